/**
 * The question inbox, decided without the DOM: how a question reads (what the matcher guessed,
 * its label), what the label select offers and sends, what the list keeps after a label or a
 * delete, and what staff are told.
 */
import { StaffApiError } from '../../lambdas/staff/client';
import type { StaffInboxGuess, StaffInboxQuestion } from '../../lambdas/staff/contract';
import { channelLabel } from '../../lambdas/staff/labels';
import { formatTime } from './format';
import { topicChoiceGroups, type TopicChoiceGroup } from './topic-names';

/** Questions per read; 更多 reads the next page with the cursor. */
export const INBOX_PAGE_SIZE = 20;

export type InboxFilter = 'unlabelled' | 'labelled';

/** "None of the topics": the menu was the right answer (the API's `topic: null`). */
export const NOT_IN_SCOPE = '不在范围';
/** The select's value for it (a topic id never starts with `-`). */
export const NOT_IN_SCOPE_VALUE = '-none';

export const INBOX_TEXT = {
  title: '待学习的问题',
  intro: '热线没有把握回答的短信和来电人的话（数字已隐去，保留 30 天）。标上正确的话题，下次训练（npm run corpus -- pull，npm run train）就能学会；与求助无关的标“不在范围”。',
  filters: { unlabelled: '未标注', labelled: '已标注' } satisfies Record<InboxFilter, string>,
  empty: { unlabelled: '没有待标注的问题。', labelled: '还没有标注过的问题。' } satisfies Record<InboxFilter, string>,
  loading: '正在读取……',
  more: '更多',
  labelField: '正确的话题',
  choose: '请选择……',
  save: '标注',
  remove: '删除',
  confirm: '删除后无法恢复，确定删除这条问题吗？',
  confirmYes: '确定删除',
  cancel: '取消',
  chooseFirst: '请先选择正确的话题，或“不在范围”。',
  labelled: (label: string) => `已标注为“${label}”。`,
  deleted: '已删除这条问题。',
  gone: '这个问题已被删除或已过期，已从列表中移除。',
  failed: (reason: string) => `问题列表没有读出来：${reason}`,
  actionFailed: (reason: string) => `没有完成：${reason}`,
} as const;

/** What the matcher made of the question, in words. */
export function guessText(guess: StaffInboxGuess): string {
  const [first, second] = guess.topicLabels;
  if (guess.kind === 'ask' && first && second) return `热线追问了：“${first}”还是“${second}”`;
  if (guess.kind === 'topic' && first) return `热线给了菜单；最接近“${first}”`;
  return '热线给了菜单；没有接近的话题';
}

/** The label given, as staff read it; undefined while unlabelled. */
export function labelShown(q: Pick<StaffInboxQuestion, 'labelled' | 'label' | 'labelText'>): string | undefined {
  if (!q.labelled) return undefined;
  return q.label === null ? NOT_IN_SCOPE : (q.labelText ?? q.label);
}

export interface InboxRow {
  id: string;
  text: string;
  /** `短信 · 12月4日 01:30` */
  meta: string;
  guess: string;
  /** `已标注：协商还款（bob）`, or undefined. */
  label: string | undefined;
  /** The select's starting value: the label given, else none chosen. */
  value: string;
}

export function inboxRow(q: StaffInboxQuestion): InboxRow {
  const label = labelShown(q);
  return {
    id: q.id,
    text: q.text,
    meta: `${channelLabel(q.channel)} · ${formatTime(q.createdAt)}`,
    guess: guessText(q.guess),
    label: label === undefined ? undefined : `已标注：${label}${q.labelledBy ? `（${q.labelledBy}）` : ''}`,
    value: q.labelled ? (q.label ?? NOT_IN_SCOPE_VALUE) : '',
  };
}

/** Every topic in menu order, then 不在范围: what a question may be labelled with. */
export function labelChoices(): { groups: TopicChoiceGroup[]; none: { value: string; label: string } } {
  return { groups: topicChoiceGroups(), none: { value: NOT_IN_SCOPE_VALUE, label: NOT_IN_SCOPE } };
}

/** The label to send for a select's value: a topic id, null for 不在范围, undefined when none is chosen. */
export function labelToSend(value: string): string | null | undefined {
  if (!value) return undefined;
  return value === NOT_IN_SCOPE_VALUE ? null : value;
}

/** The list after a question was labelled: it leaves 未标注; in 已标注 it shows its new label. */
export function afterLabel(items: readonly StaffInboxQuestion[], updated: StaffInboxQuestion, filter: InboxFilter): StaffInboxQuestion[] {
  return filter === 'unlabelled' ? items.filter((q) => q.id !== updated.id) : items.map((q) => (q.id === updated.id ? updated : q));
}

/** The list without a question (deleted, or found gone). */
export function without(items: readonly StaffInboxQuestion[], id: string): StaffInboxQuestion[] {
  return items.filter((q) => q.id !== id);
}

/** A label or delete of a question that is no longer there: the API's 404. */
export function isGone(error: unknown): boolean {
  return error instanceof StaffApiError && error.status === 404;
}
