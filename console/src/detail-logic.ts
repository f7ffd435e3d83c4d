/**
 * One request's detail, decided without the DOM: which action block it offers the viewer, when
 * that block must be rebuilt, which answer may replace the one shown, and what staff are told
 * after an action.
 */
import type { CallbackOutcome, StaffCallback, StaffEarlierRequest } from '../../lambdas/staff/contract';
import { channelLabel, CODE_LABEL, outcomeLabel, STATUS_LABELS, statusLabel } from '../../lambdas/staff/labels';
import { canTakeOver, formatTime } from './format';

/**
 * `claim`: in the queue. `take-over`: someone else's claim whose lease ran out. `call`: the viewer
 * holds it and sees the number (dial, script, outcome form). `held`: someone else works on it.
 * `done`: closed.
 */
export type ActionBlock = 'claim' | 'take-over' | 'call' | 'held' | 'done';

type Actionable = Pick<StaffCallback, 'status' | 'claimedBy' | 'claimedAt' | 'phoneVisible'>;

export function actionBlockFor(item: Actionable, viewer: string, now: Date): ActionBlock {
  // Unreached (未接通) requests are back in the queue: anyone may claim them again, as the server allows.
  if (item.status === 'open' || item.status === 'unreached') return 'claim';
  if (item.status === 'done') return 'done';
  if (canTakeOver(item, viewer, now)) return 'take-over';
  return item.claimedBy === viewer && item.phoneVisible ? 'call' : 'held';
}

/**
 * What the action block depends on: it is rebuilt only when this changes, so a note being typed
 * survives every refresh that changes nothing it shows.
 */
export function actionsKey(item: Actionable & Pick<StaffCallback, 'id' | 'phone'>, viewer: string, now: Date): string {
  return `${item.id}|${item.status}|${item.claimedBy ?? ''}|${item.phoneVisible}|${item.phone}|${canTakeOver(item, viewer, now)}`;
}

/**
 * The request to show when `incoming` arrives, or undefined to keep the one shown: a refresh that
 * answers with an older version than shown came late. An action's answer always wins (it is what
 * the server just did). The history already read stays when the answer carries none (list items).
 */
export function nextDetail(shown: StaffCallback | null, incoming: StaffCallback, fromAction: boolean): StaffCallback | undefined {
  if (shown?.id !== incoming.id) return incoming;
  if (!fromAction && shown.version > incoming.version) return undefined;
  return !incoming.history && shown.history ? { ...incoming, history: shown.history } : incoming;
}

/** Said when the outcome form is sent without a choice. */
export const CHOOSE_OUTCOME = '请先选择通话结果。';

/** What staff are told after each action succeeded. */
export const ACTION_DONE = {
  claimed: (item: Pick<StaffCallback, 'code'>) => `已认领${CODE_LABEL} ${item.code}，请拨打下面的号码。`,
  tookOver: (item: Pick<StaffCallback, 'code'>, holder: string | null) => `已接手${CODE_LABEL} ${item.code}（原由 ${holder} 认领），请拨打下面的号码。`,
  released: (item: Pick<StaffCallback, 'code'>) => `已把${CODE_LABEL} ${item.code} 放回${STATUS_LABELS.open}队列。`,
  outcome(outcome: CallbackOutcome, changed: Pick<StaffCallback, 'code' | 'attempts'>): string {
    if (outcome === 'no-answer') return `已记录：${outcomeLabel(outcome)}（第 ${changed.attempts} 次），${CODE_LABEL} ${changed.code} 已放回${STATUS_LABELS.open}队列。`;
    return `已记录：${outcomeLabel(outcome)}，${CODE_LABEL} ${changed.code} 的请求${STATUS_LABELS.done}。`;
  },
};

export interface EarlierLine {
  /** `11月28日 14:05` (Beijing time), when it was asked. */
  time: string;
  /** `短信 · 编号 K7Q2M9` */
  what: string;
  /** `已结束：号码错误`, `待回电`, `未接通：无人接听`. */
  state: string;
  note: string | undefined;
}

/**
 * The same number's earlier requests (`StaffCallback.earlier`, newest first) as staff read them:
 * a repeat caller is recognisable before anyone picks up the phone.
 */
export function earlierLines(earlier: readonly StaffEarlierRequest[]): EarlierLine[] {
  return earlier.map((r) => ({
    time: formatTime(r.createdAt),
    what: `${channelLabel(r.channel)} · ${CODE_LABEL} ${r.code}`,
    state: r.outcome ? `${statusLabel(r.status)}：${outcomeLabel(r.outcome)}` : statusLabel(r.status),
    note: r.note ?? undefined,
  }));
}
