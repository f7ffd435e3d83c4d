/**
 * The 统计 view's date range, decided without the DOM: the presets, the range it opens with, which
 * preset a range is, and what is wrong with one before it is sent (the server checks the same:
 * `lambdas/stats/report.ts`).
 */
import { STATS_MAX_DAYS } from '../../lambdas/staff/contract';
import { addDays, daysBetween, isCalendarDate } from '../../lambdas/shared/time-zone';
import { chinaDate } from './format';

/** The preset buttons: the last this many days, today included. */
export const STATS_PRESETS = [7, 30, 90] as const;

/** The view opens on this preset (the server's default range too). */
export const STATS_DEFAULT_DAYS = 30;

export interface StatsRange {
  /** `YYYY-MM-DD`, Beijing days, inclusive. */
  from: string;
  to: string;
}

/** The last `days` Beijing days up to `now`'s, today included. */
export function lastDays(now: Date, days: number): StatsRange {
  const to = chinaDate(now);
  return { from: addDays(to, 1 - days), to };
}

/** The preset a range is (ending today, that many days), or undefined. */
export function presetOf(range: StatsRange, now: Date): number | undefined {
  return STATS_PRESETS.find((days) => range.to === chinaDate(now) && range.from === lastDays(now, days).from);
}

/** Days in the range, both ends included. */
export function rangeDays(range: StatsRange): number {
  return daysBetween(range.from, range.to) + 1;
}

/** What is wrong with the dates (as date inputs give them), or undefined to ask for them. */
export function statsRangeProblem(range: StatsRange): string | undefined {
  if (!range.from || !range.to) return '请选择开始和结束日期。';
  if (!isCalendarDate(range.from) || !isCalendarDate(range.to)) return '日期的格式应当是 年-月-日。';
  if (range.to < range.from) return '结束日期不能早于开始日期。';
  if (rangeDays(range) > STATS_MAX_DAYS) return `一次最多看 ${STATS_MAX_DAYS} 天，请缩短日期范围。`;
  return undefined;
}
