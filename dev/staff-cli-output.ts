/**
 * How the staff command line prints requests: the queue as a table aligned by display width, one
 * request with its history, the queue's working order. Pure (no I/O): tests read its output directly.
 */


import type { CallbackStatus, StaffCallback, StaffCallbackPage } from '../lambdas/staff/contract';
import { compareQueue } from '../lambdas/staff/contract';
import { actionLabel, actorLabel, channelLabel, CODE_LABEL, DUE_TEXT, FIELD_LABELS, NUMBER_SOURCE_TEXT, outcomeLabel, STATUS_LABELS, statusLabel, URGENT_TEXT } from '../lambdas/staff/labels';
import { staffSlotText } from '../lambdas/callbacks/schedule';
import { maskPhone } from '../lambdas/shared/privacy';
import { wallClockText } from '../lambdas/shared/time-zone';
import stringWidth from 'string-width';

/** Control characters and bidi overrides could rewrite the terminal; every field shown goes through this. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function safeText(text: string | null | undefined, singleLine = true): string {
  const cleaned = (text ?? '').replace(UNSAFE, '\ufffd');
  return singleLine ? cleaned.replace(/[\t\n]+/g, ' ') : cleaned.replace(/\t/g, ' ');
}

/** Terminal columns a string takes (Chinese characters take two), by the Unicode East Asian Width tables. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Rows under a header, columns two spaces apart, aligned by display width. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : padTo(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `不到1分钟`, `12分钟`, `3小时05分`, `2天4小时`. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '不到1分钟';
  if (minutes < 60) return `${minutes}分钟`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}小时${String(minutes % 60).padStart(2, '0')}分`;
  return `${Math.floor(hours / 24)}天${hours % 24}小时`;
}

/** Beijing time (staff are in mainland China, UTC+8 all year): `2026-11-29 18:05`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return safeText(iso);
  return wallClockText(ms).slice(0, 16);
}

/** How long the caller has waited: until now, or until the request was closed. */
export function waitingMs(request: Pick<StaffCallback, 'createdAt' | 'closedAt'>, now: Date): number {
  const end = request.closedAt ? Date.parse(request.closedAt) : now.getTime();
  return end - Date.parse(request.createdAt);
}

function statusText(request: StaffCallback): string {
  if (request.status === 'claimed') return `${STATUS_LABELS.claimed} ${safeText(request.claimedBy ?? '')}`.trim();
  if (request.status === 'done' && request.outcome) return `${STATUS_LABELS.done}·${outcomeLabel(request.outcome)}`;
  return statusLabel(request.status);
}

/** The topic the caller came from, else the first one they asked about (a texter's question before 回电). */
export function topicText(request: Pick<StaffCallback, 'topic' | 'topicLabel' | 'topicLabels'>): string {
  return safeText(request.topicLabel ?? request.topic ?? request.topicLabels[0] ?? '—');
}

/** `现在该打 今天 19:00–21:00`: the due state as of the answer, then the slot in Beijing time (old requests: their words). */
export function dueText(request: Pick<StaffCallback, 'due' | 'dueState' | 'window' | 'urgent'>, now: Date): string {
  if (!request.due) return safeText(request.window);
  const slot = staffSlotText(request.due, now);
  return request.dueState ? `${DUE_TEXT[request.dueState]} ${slot}` : slot;
}

export const LIST_HEADER = ['ID', FIELD_LABELS.status, FIELD_LABELS.due, '已等待', FIELD_LABELS.topic, FIELD_LABELS.attempts, CODE_LABEL, FIELD_LABELS.phone] as const;

/**
 * The queue as a table, in the order given (`queueOrder` puts urgent first). The number is always
 * masked here: the API masks it for everyone but the claim holder, and the table masks the
 * holder's own too (`show` and `claim` print it in full). An urgent request's status starts with
 * `紧急·` (`紧急·待回电`), so the mark is in the words, and a row keeps its columns.
 */
export function formatList(items: readonly StaffCallback[], now: Date): string {
  const rows = items.map((r) => [
    safeText(r.id),
    `${r.urgent ? `${URGENT_TEXT.label}·` : ''}${statusText(r)}`,
    dueText(r, now),
    formatDuration(waitingMs(r, now)),
    topicText(r),
    String(r.attempts),
    safeText(r.code),
    r.phoneVisible ? maskPhone(r.phone) : safeText(r.phone),
  ]);
  return renderTable(LIST_HEADER, rows);
}

/**
 * A page of open or claimed requests as staff work them: urgent first, then the longest waiting;
 * with the urgent requests from later pages (`urgentAfter`) that the page itself does not hold.
 * Done requests keep the API's order (most recent first).
 */
export function queueOrder(status: CallbackStatus, page: Pick<StaffCallbackPage, 'items' | 'urgentAfter'>): { items: StaffCallback[]; later: number } {
  if (status === 'done') return { items: [...page.items], later: 0 };
  const seen = new Set(page.items.map((i) => i.id));
  const later = (page.urgentAfter ?? []).filter((i) => !seen.has(i.id));
  return { items: [...page.items, ...later].sort(compareQueue), later: later.length };
}

function field(label: string, value: string): string {
  return `  ${padTo(label, 10)}${value}`;
}

function multiline(text: string, indent: number): string {
  return safeText(text, false)
    .split(/\r\n?|\n/)
    .join(`\n${' '.repeat(indent)}`);
}

/** One request with its history, for `show` (and after a change). */
export function formatCallback(request: StaffCallback, now: Date): string {
  const lines = [`回电请求 ${safeText(request.id)}`];
  lines.push(field(FIELD_LABELS.status, statusText(request)));
  lines.push(field(URGENT_TEXT.label, request.urgent ? URGENT_TEXT.yes : URGENT_TEXT.no));
  if (request.urgent) lines.push(field('', URGENT_TEXT.guidance));
  lines.push(field(FIELD_LABELS.phone, request.phoneVisible || request.status !== 'open' ? safeText(request.phone) : `${safeText(request.phone)}（认领后可见完整号码）`));
  lines.push(field(CODE_LABEL, `${safeText(request.code)}（接通后先说${CODE_LABEL}，对方才知道是热线回电）`));
  lines.push(field(FIELD_LABELS.due, `${dueText(request, now)}（对来电人说的是：${safeText(request.window)}）`));
  lines.push(field(FIELD_LABELS.topic, request.topic ? `${topicText(request)}（${safeText(request.topic)}）` : topicText(request)));
  const others = request.topicLabels.filter((label) => label !== topicText(request));
  if (others.length) lines.push(field(FIELD_LABELS.otherTopics, others.map((t) => safeText(t)).join('、')));
  if (request.question) lines.push(field(FIELD_LABELS.question, `“${safeText(request.question)}”（号码已隐去）`));
  const source = request.numberSource ? ` · 号码来自${NUMBER_SOURCE_TEXT[request.numberSource] ?? safeText(request.numberSource)}` : '';
  lines.push(field('来源', `${safeText(channelLabel(request.channel))}${source} · ${FIELD_LABELS.repeats} ${request.repeats} 次 · ${FIELD_LABELS.attempts} ${request.attempts} 次（连续 ${request.missedInRow} 次）`));
  if (request.outcome) lines.push(field(FIELD_LABELS.outcome, `${outcomeLabel(request.outcome)}${request.closedBy ? ` · ${safeText(request.closedBy)}` : ''}`));
  if (request.note) lines.push(field(FIELD_LABELS.note, multiline(request.note, 10)));
  lines.push(field('提出', `${formatTime(request.createdAt)}（${request.closedAt ? '等了' : '已等待'}${formatDuration(waitingMs(request, now))}）`));
  if (request.closedAt) lines.push(field('结束', formatTime(request.closedAt)));
  lines.push(field('版本', String(request.version)));
  const history = request.history ?? [];
  if (history.length) {
    lines.push('历史（北京时间）');
    const rows = history.map((h) => [
      formatTime(h.at),
      safeText(actorLabel(h.by)),
      safeText(actionLabel(h.action)),
      safeText(h.detail ?? ''),
    ]);
    lines.push(indented(renderTable(['时间', '谁', '做了什么', '详情'], rows)));
  }
  // The same number's requests before this one, by any channel: a pattern (wrong number, declined) to know before calling.
  const earlier = request.earlier ?? [];
  if (earlier.length) {
    lines.push('此前的请求（同一号码，最近的在前）');
    const rows = earlier.map((r) => [formatTime(r.createdAt), safeText(channelLabel(r.channel)), safeText(statusLabel(r.status)), r.outcome ? outcomeLabel(r.outcome) : '', safeText(r.code), safeText(r.note ?? '')]);
    lines.push(indented(renderTable(['提出', '方式', '状态', FIELD_LABELS.outcome, CODE_LABEL, FIELD_LABELS.note], rows)));
  }
  return lines.join('\n');
}

function indented(table: string): string {
  return table
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Data rows of a CSV text (quoted line breaks inside a note do not count). */
export function csvRowCount(csv: string): number {
  let rows = 0;
  let quoted = false;
  let content = false;
  for (const char of csv.replace(/^\ufeff/, '')) {
    if (char === '"') quoted = !quoted;
    if (char === '\n' && !quoted) {
      if (content) rows++;
      content = false;
    } else if (char !== '\r') content = true;
  }
  if (content) rows++;
  return Math.max(0, rows - 1);
}
