/**
 * Words and numbers as staff read them: waiting times, China times, statuses, history lines. Pure
 * functions (no DOM), so the tests run them in Node too.
 */
import { DEFAULT_CLAIM_LEASE_MINUTES } from '../../lambdas/callbacks/claim-lease';
import { dueState, staffSlotText, type DueState } from '../../lambdas/callbacks/schedule';
import { HOTLINE_TIME_ZONE } from '../../lambdas/shared/time-zone';
import { compareQueue, compareUrgency, STAFF_OUTCOMES, type CallbackOutcome, type CallbackStatus, type HistoryEntry, type NumberSource, type StaffCallback } from '../../lambdas/staff/contract';
import { actionLabel, actorLabel, channelLabel, NUMBER_SOURCE_TEXT, OUTCOME_LABELS, outcomeLabel, URGENT_TEXT } from '../../lambdas/staff/labels';

/** Callers and their time windows are in mainland China: every time on screen is Beijing time. */
export const TIME_ZONE = HOTLINE_TIME_ZONE;

/** The outcome choices, in the store's order, with the words of `labels.ts`. */
export const OUTCOMES: readonly { value: CallbackOutcome; label: string; hint: string }[] = STAFF_OUTCOMES.map((value) => ({ value, ...OUTCOME_LABELS[value] }));

/** The longest note the server accepts (characters). */
export const NOTE_MAX = 1000;

/** The topic the caller came from, else the first one they asked about (a texter's question before 回电). */
export function topicShown(item: Pick<StaffCallback, 'topic' | 'topicLabel' | 'topicLabels'>): string {
  return item.topicLabel ?? item.topic ?? item.topicLabels[0] ?? '未选';
}

/** `不到 1 分钟`, `25 分钟`, `2 小时 5 分`, `2 小时`, `2 天 3 小时` from `since` to `now` (never negative). */
function durationText(since: string, now: Date): string {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return '';
  const minutes = Math.max(0, Math.floor((now.getTime() - start) / 60_000));
  if (minutes < 1) return '不到 1 分钟';
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} 小时 ${minutes % 60} 分` : `${hours} 小时`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} 天 ${hours % 24} 小时` : `${days} 天`;
}

/** `等了 2 小时 5 分` from the request's creation to `now`. */
export function waitingText(since: string, now: Date): string {
  const duration = durationText(since, now);
  if (!duration) return '';
  return duration.startsWith('不到') ? `等了${duration}` : `等了 ${duration}`;
}

/** `2 小时 5 分前`, `不到 1 分钟前`. */
export function agoText(since: string, now: Date): string {
  const duration = durationText(since, now);
  return duration ? `${duration}前` : '';
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `11月28日 14:05` (Beijing time). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : timeFormat.format(ms);
}

const clockFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** `14:05:09` (Beijing time). */
export function clockTime(instant: Date): string {
  return clockFormat.format(instant);
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** `2026-11-28`: the calendar day in China (the CSV export's dates are China days). */
export function chinaDate(instant: Date): string {
  return dayFormat.format(instant);
}

const shortClockFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** `10:05` when `iso` is on `now`'s day in China, else `11月27日 22:05` (Beijing time). */
export function shortTime(iso: string, now: Date): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return chinaDate(new Date(ms)) === chinaDate(now) ? shortClockFormat.format(ms) : timeFormat.format(ms);
}

// ---------------------------------------------------------------------------------------------
// Claims and their lease

/** After this long another staff member may take a claim over (the server's rule, `store.ts`). */
export const CLAIM_LEASE_MS = DEFAULT_CLAIM_LEASE_MINUTES * 60_000;

/** `2 小时` (or `90 分钟`): the lease as staff read it. */
export const LEASE_TEXT = DEFAULT_CLAIM_LEASE_MINUTES % 60 ? `${DEFAULT_CLAIM_LEASE_MINUTES} 分钟` : `${DEFAULT_CLAIM_LEASE_MINUTES / 60} 小时`;

/**
 * Whether the claim's lease ran out at `now`: the server lets anyone else take it over then (it
 * compares `claimedAt` with its own clock, so a claim right at the edge may still be refused).
 */
export function claimLapsed(item: Pick<StaffCallback, 'status' | 'claimedBy' | 'claimedAt'>, now: Date): boolean {
  if (item.status !== 'claimed' || !item.claimedBy || !item.claimedAt) return false;
  const at = Date.parse(item.claimedAt);
  return !Number.isNaN(at) && now.getTime() - at > CLAIM_LEASE_MS;
}

/** A lapsed claim someone other than `viewer` holds: `viewer` may take it over (接手). */
export function canTakeOver(item: Pick<StaffCallback, 'status' | 'claimedBy' | 'claimedAt'>, viewer: string, now: Date): boolean {
  return claimLapsed(item, now) && item.claimedBy !== viewer;
}

/** `alice 认领于 10:05（2 小时 5 分前）` (Beijing time); `alice 认领` when the time is unknown. */
export function claimText(item: Pick<StaffCallback, 'claimedBy' | 'claimedAt'>, now: Date): string {
  const who = item.claimedBy ?? '其他同事';
  if (!item.claimedAt) return `${who} 认领`;
  const ago = agoText(item.claimedAt, now);
  return `${who} 认领于 ${shortTime(item.claimedAt, now)}${ago ? `（${ago}）` : ''}`;
}

/** The mark on a lapsed claim: for others it can be taken over, for its holder it may be. */
export function lapsedText(item: Pick<StaffCallback, 'claimedBy'>, viewer: string): string {
  return item.claimedBy === viewer ? `你的认领已超过 ${LEASE_TEXT}，其他同事可以接手` : `认领已超过 ${LEASE_TEXT}，可以接手`;
}

/** `+8613812345678` → `+86 138 1234 5678`; other numbers as given. */
export function displayPhone(phone: string): string {
  const cn = /^\+86(1\d{2})(\d{4})(\d{4})$/.exec(phone);
  return cn ? `+86 ${cn[1]} ${cn[2]} ${cn[3]}` : phone;
}

/** A `tel:` link for a full E.164 number, or undefined when the text is not one (masked). */
export function telHref(phone: string): string | undefined {
  const digits = phone.replace(/[\s-]/g, '');
  return /^\+?\d{5,16}$/.test(digits) ? `tel:${digits}` : undefined;
}

export interface HistoryLine {
  time: string;
  who: string;
  action: string;
  /** Chinese summary of the change (window, topic, outcome). */
  detail: string;
  /** A staff note, shown as typed. */
  note?: string;
}

/**
 * One history entry in Chinese. The store writes `voice window=晚上七点到九点 topic=negotiate` for
 * requests (`voice urgent window=…` when the caller was in crisis) and `no-answer: 备注` for
 * outcomes; anything else is shown as written.
 */
export function historyLine(entry: HistoryEntry, topicLabel: (topic: string) => string, repeat = false): HistoryLine {
  const base = { time: formatTime(entry.at), who: actorLabel(entry.by), action: actionLabel(entry.action) };
  const detail = entry.detail ?? '';
  if (entry.action === 'requested') {
    const parsed = /^(\w+)( urgent)?(?: window=(.*?))?(?: topic=(\S+))?(?: via=(\S+))?$/.exec(detail);
    const action = repeat ? '再次请求回电' : base.action;
    if (!parsed) return { ...base, action, detail };
    const parts = [channelLabel(parsed[1]!)];
    if (parsed[2]) parts.push(URGENT_TEXT.label);
    if (parsed[3]) parts.push(`时段：${parsed[3]}`);
    if (parsed[4]) parts.push(`话题：${topicLabel(parsed[4])}`);
    const source = parsed[5] as NumberSource | undefined;
    if (source) parts.push(`号码：${NUMBER_SOURCE_TEXT[source] ?? source}`);
    return { ...base, action, detail: parts.join('，') };
  }
  if (entry.action === 'window' && detail.startsWith('window=')) return { ...base, detail: `时间：${detail.slice('window='.length)}` };
  if (entry.action === 'outcome') {
    const parsed = /^(reached|no-answer|wrong-number|declined)(?::\s?([\s\S]*))?$/.exec(detail);
    if (!parsed) return { ...base, detail };
    const outcome = parsed[1] as CallbackOutcome;
    const word = outcome === 'no-answer' ? `${outcomeLabel(outcome)}（放回队列）` : outcomeLabel(outcome);
    return parsed[2] ? { ...base, detail: word, note: parsed[2] } : { ...base, detail: word };
  }
  return { ...base, detail };
}

/** Every history line of a request, the caller's repeats marked as such. */
export function historyLines(request: Pick<StaffCallback, 'topic' | 'topicLabel' | 'history'>): HistoryLine[] {
  const label = (topic: string) => (topic === request.topic && request.topicLabel ? request.topicLabel : topic);
  let requested = 0;
  return (request.history ?? []).map((entry) => historyLine(entry, label, entry.action === 'requested' && requested++ > 0));
}

/**
 * Queue order. Open, claimed and unreached: urgent first (callers in crisis), then in 待回电 the
 * lapsed claims listed there for taking over (the only claimed requests it shows), then by the time
 * promised (overdue, due now, upcoming; `compareQueue`). Done: most recently closed first. The API's
 * pages come oldest first; the console orders what it read.
 */
export function sortForTab(items: StaffCallback[], status: CallbackStatus): StaffCallback[] {
  const copy = [...items];
  if (status === 'done') return copy.sort((a, b) => (b.closedAt ?? b.updatedAt).localeCompare(a.closedAt ?? a.updatedAt));
  const lapsedRank = (item: StaffCallback) => (status === 'open' && item.status === 'claimed' ? 0 : 1);
  return copy.sort((a, b) => compareUrgency(a, b) || lapsedRank(a) - lapsedRank(b) || compareQueue(a, b));
}

/** Where a request's promised time stands now (the console's clock, not the answer's), or null without one. */
export function dueNow(item: Pick<StaffCallback, 'due' | 'status'>, now: Date): DueState | null {
  return item.due && item.status !== 'done' ? dueState(item.due, now) : null;
}

/** `今天 19:00–21:00` for a request with a due time; the caller's words for older ones. */
export function dueSlotText(item: Pick<StaffCallback, 'due' | 'window'>, now: Date): string {
  return item.due ? staffSlotText(item.due, now) : item.window;
}
