/**
 * What the queue shows, decided without the DOM: which requests a tab lists and in what order,
 * which pass the filters, the topic choices, and the heading and notes around the cards.
 */
import type { CallbackStatus, DueState, StaffCallback } from '../../lambdas/staff/contract';
import { DUE_TEXT, STATUS_LABELS, URGENT_TEXT } from '../../lambdas/staff/labels';
import { canTakeOver, dueNow, LEASE_TEXT, sortForTab, topicShown } from './format';

/** The list one tab holds, as last read. */
export interface QueueList {
  tab: CallbackStatus;
  items: readonly StaffCallback[];
  /** The server had more than the console reads (`QUEUE_PAGES`). */
  more: boolean;
  /** False until the tab's first answer: no "empty" note before it. */
  loaded: boolean;
}

export interface QueueFilters {
  /** `''` for any. */
  due: DueState | '';
  /** A topic as shown (`topicShown`); `''` for any. */
  topic: string;
}

export interface QueueView {
  shown: StaffCallback[];
  /** `待回电（3）`, `待回电（1 / 3）` when filtered. */
  title: string;
  /** The note in place of the cards; undefined while there are cards or before the first answer. */
  empty: string | undefined;
  order: string;
  /** The note under a list that was cut; undefined when it was not. */
  more: string | undefined;
  /** The topic filter's choices: every topic in the list, in Chinese order. */
  topics: string[];
}

const IN_BEIJING_TIME = '时间均为北京时间。';

/** How each tab is ordered (the server's pages come oldest first; `sortForTab` orders what was read). */
const QUEUE_ORDER: Record<CallbackStatus, string> = {
  open: `按约定时间排列：${DUE_TEXT.overdue}的在最前，其次是${DUE_TEXT.due}的，再是${DUE_TEXT.upcoming}的。${IN_BEIJING_TIME}`,
  claimed: `按约定时间排列：${DUE_TEXT.overdue}的在最前。${IN_BEIJING_TIME}`,
  unreached: `连续几次没打通、已移出${STATUS_LABELS.open}队列的请求，按约定时间排列；仍可认领再打，来电人再次申请时会自动回到${STATUS_LABELS.open}。${IN_BEIJING_TIME}`,
  done: `最近结束的在最前。${IN_BEIJING_TIME}`,
};

/** Which part of a long list each tab shows (`QUEUE_PAGES` pages of 100, plus the urgent ones beyond). */
const QUEUE_MORE: Record<CallbackStatus, string> = {
  open: `只显示等得最久的 500 条，以及其余所有${URGENT_TEXT.label}的请求。`,
  claimed: `只显示等得最久的 500 条，以及其余所有${URGENT_TEXT.label}的请求。`,
  unreached: `只显示最早的 500 条，以及其余所有${URGENT_TEXT.label}的请求。`,
  done: '只显示最近的 500 条。',
};

/**
 * A tab's list from what was read. 待回电 also lists the claims of others whose lease ran out (read
 * from 处理中): staff working the queue take them over there instead of finding them stuck.
 */
export function tabItems(tab: CallbackStatus, items: readonly StaffCallback[], claimed: readonly StaffCallback[] | undefined, viewer: string, now: Date): StaffCallback[] {
  const lapsed = tab === 'open' && claimed ? claimed.filter((item) => canTakeOver(item, viewer, now)) : [];
  return sortForTab([...lapsed, ...items], tab);
}

export function passesFilters(item: StaffCallback, filters: QueueFilters, now: Date): boolean {
  return (!filters.due || dueNow(item, now) === filters.due) && (!filters.topic || topicShown(item) === filters.topic);
}

export function topicChoices(items: readonly StaffCallback[]): string[] {
  return [...new Set(items.map(topicShown))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/** A select's values: those listed, and the one chosen even when the list no longer has it (it stays chosen). */
export function selectValues(listed: readonly string[], chosen: string): string[] {
  return [...new Set(chosen ? [...listed, chosen] : listed)];
}

/** Urgent first and, in 待回电, lapsed claims next: said first when the list has any. */
function firstInOrder(list: QueueList): string {
  const lapsedFirst = list.tab === 'open' && list.items.some((item) => item.status === 'claimed');
  const urgentFirst = list.tab !== 'done' && list.items.some((item) => item.urgent);
  const lapsed = `认领已超过 ${LEASE_TEXT}、可以接手的请求`;
  if (urgentFirst) return `标有“${URGENT_TEXT.label}”的请求排在最前${lapsedFirst ? `，其次是${lapsed}` : ''}。`;
  return lapsedFirst ? `${lapsed}排在最前。` : '';
}

function emptyText(list: QueueList): string {
  if (list.items.length) return '没有符合筛选条件的请求。';
  return list.tab === 'open' ? `现在没有${STATUS_LABELS.open}的请求。` : `没有${STATUS_LABELS[list.tab]}的请求。`;
}

export function queueView(list: QueueList, filters: QueueFilters, now: Date): QueueView {
  const shown = list.items.filter((item) => passesFilters(item, filters, now));
  const total = list.items.length;
  const count = shown.length === total ? `${total}` : `${shown.length} / ${total}`;
  return {
    shown,
    title: `${STATUS_LABELS[list.tab]}（${count}）`,
    empty: shown.length || !list.loaded ? undefined : emptyText(list),
    order: `${firstInOrder(list)}${QUEUE_ORDER[list.tab]}`,
    more: list.more ? QUEUE_MORE[list.tab] : undefined,
    topics: topicChoices(list.items),
  };
}
