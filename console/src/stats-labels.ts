/**
 * Every word of the 统计 view, in one place: chart titles and notes, series, funnel steps, wait
 * buckets and where calls end. Statuses, outcomes, channels and 紧急 are the staff vocabulary's
 * (`lambdas/staff/labels.ts`); topic and sub-menu names are the content's (`topic-names.ts`).
 */
import { CHANNEL_LABELS, OUTCOME_LABELS, STATUS_LABELS, URGENT_TEXT } from '../../lambdas/staff/labels';
import type { Urgency, WaitBucket } from '../../lambdas/stats/vocabulary';
import { groupName, topicName } from './topic-names';

export const STATS_TEXT = {
  title: '统计',
  rangeNote: '按北京时间的日期统计；只有次数，没有号码，也没有任何人说过或写过的话。',
  loading: '正在读取统计……',
  updated: (from: string, to: string, days: number) => `${from} 至 ${to}，共 ${days} 天`,
  failed: (reason: string) => `统计没有读出来：${reason}`,
  csvDone: (filename: string) => `已下载 ${filename}。`,
  csvFailed: (reason: string) => `统计 CSV 没有下载：${reason}`,
  preset: (days: number) => `最近 ${days} 天`,
  numbers: '查看数字',
  none: '这段时间没有。',
  total: '合计',
  day: '日期',
  count: '次数',
  share: '占请求',
  noChart: '图表没有画出来，数字见下面的表格。',
} as const;

/** Chart titles and the one line under each that says how to read it. */
export const CHART_TEXT = {
  contacts: { title: '每天的来电和短信', note: '接通的来电和收到的短信，每天各多少。' },
  topics: { title: '问了哪些话题', note: '电话里听到的话题和短信里问的话题，从多到少。' },
  callEnds: { title: '电话在哪里结束', note: '来电人挂断（或热线结束通话）时在菜单的哪一步。' },
  funnel: {
    title: '回电请求的进展',
    note: '每一步按发生的那天计数：这段时间的回拨可能属于更早的请求，所以比例只是大概。',
  },
  waits: { title: '多久后第一次回拨', note: '从可以回拨时（提交时，或来电人选的时间开始时）到第一次回拨。' },
  crisis: { title: '危机求助', note: '表达轻生或绝望的来电和短信，以及紧急回电请求。' },
} as const;

export const SERIES_TEXT = {
  voice: CHANNEL_LABELS.voice,
  sms: CHANNEL_LABELS.sms,
  crisisVoice: `危机${CHANNEL_LABELS.voice}`,
  crisisSms: `危机${CHANNEL_LABELS.sms}`,
  urgentRequests: `${URGENT_TEXT.label}回电请求`,
} as const;

export const URGENCY_TEXT: Record<Urgency, string> = { normal: '一般', urgent: URGENT_TEXT.label };

export type FunnelStep = 'requested' | 'firstAttempt' | 'reached' | 'unreached' | 'wrong-number' | 'declined';

export const FUNNEL_TEXT: Record<FunnelStep, string> = {
  requested: '请求回电',
  firstAttempt: '第一次回拨',
  reached: OUTCOME_LABELS.reached.label,
  unreached: `转为${STATUS_LABELS.unreached}`,
  'wrong-number': OUTCOME_LABELS['wrong-number'].label,
  declined: OUTCOME_LABELS.declined.label,
};

/** Outcomes the funnel does not show as a step, said in its notes. */
export const NO_ANSWER_TEXT = (count: number) => `${OUTCOME_LABELS['no-answer'].label}共 ${count} 次（每次没打通都算）。`;

/** Ordered as the buckets themselves (`WAIT_BUCKETS`). */
export const WAIT_BUCKET_TEXT: Record<WaitBucket, string> = {
  le15m: '15 分钟内',
  le30m: '15–30 分钟',
  le1h: '30 分钟–1 小时',
  le2h: '1–2 小时',
  le4h: '2–4 小时',
  le8h: '4–8 小时',
  le24h: '8–24 小时',
  gt24h: '超过 24 小时',
};

/** `约 25 分钟`, `约 2.5 小时`, `一天或更久` (the open last bucket is given as 1440). */
export function minutesText(minutes: number): string {
  if (minutes >= 1440) return '一天或更久';
  if (minutes < 60) return `约 ${Math.round(minutes * 10) / 10} 分钟`;
  return `约 ${Math.round((minutes / 60) * 10) / 10} 小时`;
}

/** `一般：一半在约 7.5 分钟内，九成在约 13.5 分钟内（2 次）`, or that there were none. */
export function waitSummary(urgency: Urgency, waits: { p50: number; p90: number; count: number } | null): string {
  const who = URGENCY_TEXT[urgency];
  if (!waits) return `${who}：这段时间没有第一次回拨。`;
  return `${who}：一半在${minutesText(waits.p50)}内，九成在${minutesText(waits.p90)}内（${waits.count} 次）`;
}

const CALLBACK_STEP_TEXT: Record<string, string> = {
  start: '回电：刚按了回电',
  window: '回电：选时间',
  confirm: '回电：确认号码',
  entered: '回电：输入号码后',
  done: '回电：听到编号后',
};

/** Where a call ended (`end.<position>` of `lambdas/stats/vocabulary.ts`), as staff read it. */
export function positionText(position: string): string {
  if (position === 'main') return '主菜单';
  if (position === 'ask') return '追问（在两个话题中选）';
  if (position === 'goodbye') return '没有回应，热线结束通话';
  const [kind = '', rest = ''] = [position.slice(0, position.indexOf('.')), position.slice(position.indexOf('.') + 1)];
  if (kind === 'group') return `子菜单：${groupName(rest)}`;
  if (kind === 'topic') return `话题：${topicName(rest)}`;
  if (kind === 'callback') return CALLBACK_STEP_TEXT[rest] ?? `回电：${rest}`;
  return position;
}
