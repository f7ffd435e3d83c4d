/**
 * Every word staff read about a callback request, in one place: the console, the command line and the
 * CSV export use these, so a status, an outcome or the reference code has one name everywhere.
 * The reference code is 编号, as callers hear it ("您的编号是…"); the request's internal id is "ID".
 */
import type { DueState } from '../callbacks/schedule';
import type { CallbackChannel, CallbackOutcome, CallbackStatus, HistoryAction, NumberSource } from '../callbacks/store';

/** The reference code's name, for callers and staff alike. */
export const CODE_LABEL = '编号';

export const STATUS_LABELS: Record<CallbackStatus, string> = { open: '待回电', claimed: '处理中', unreached: '未接通', done: '已结束' };

/** The names of a request's facts, where the console and the command line both show them. */
export const FIELD_LABELS = {
  status: '状态',
  phone: '电话',
  due: '约定时间',
  topic: '话题',
  otherTopics: '也问过',
  question: '原话',
  /** Unanswered calls so far (`未接通 2 次`); the status of the same name comes after several in a row. */
  attempts: '未接通',
  repeats: '重复请求',
  outcome: '结果',
  note: '备注',
} as const;

export const OUTCOME_LABELS: Record<CallbackOutcome, { label: string; hint: string }> = {
  reached: { label: '已接通', hint: '通话完成，请求结束' },
  'no-answer': { label: '无人接听', hint: '放回待回电队列，稍后再打（未接通次数加 1；连续几次没打通会移到“未接通”）' },
  'wrong-number': { label: '号码错误', hint: '打不通这个号码或不是本人，请求结束' },
  declined: { label: '拒绝回电', hint: '对方不需要回电，请求结束' },
};

export const ACTION_LABELS: Record<HistoryAction, string> = {
  requested: '请求回电',
  window: '定下时间',
  reopened: '再次请求，回到队列',
  claimed: '认领',
  released: '放回队列',
  outcome: '记录结果',
};

export const CHANNEL_LABELS: Record<CallbackChannel, string> = { voice: '电话', sms: '短信' };

/** Who made a change, when it was not a staff member. */
export const CALLER_LABELS: Record<'caller' | 'sms', string> = { caller: '来电者（电话）', sms: '来电者（短信）' };

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as CallbackStatus] ?? status;
}

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome as CallbackOutcome]?.label ?? outcome;
}

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel as CallbackChannel] ?? channel;
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action as HistoryAction] ?? action;
}

export function actorLabel(by: string): string {
  return CALLER_LABELS[by as 'caller' | 'sms'] ?? by;
}

/** How staff are told a request is urgent: the console, the command line and the CSV export use these. */
export const URGENT_TEXT = {
  /** The mark itself (badge, list prefix, CSV column). */
  label: '紧急',
  /** The badge's accessible name: why, and what to do. */
  description: '紧急：来电人情绪危机，请尽快回电',
  /** One line for whoever calls back. */
  guidance: '来电人表达了轻生或绝望的想法：先确认对方现在是否安全，必要时建议拨打110或120，并提供12356心理援助热线。',
  yes: '是',
  no: '否',
} as const;

/** How staff read a due state and a number source (console, CLI, CSV). */
export const DUE_TEXT: Record<DueState, string> = { overdue: '已过约定时间', due: '现在该打', upcoming: '还没到时间' };
export const NUMBER_SOURCE_TEXT: Record<NumberSource, string> = {
  'caller-id': '来电显示',
  'sms-sender': '短信号码',
  'keyed-in': '来电者按键输入（可能不是本人号码）',
};

