/**
 * The 统计 view's figures, shaped from `StaffStats` without the DOM: for each chart its series (or
 * bars), the lines that say what it shows, and the table that carries the same numbers for screen
 * readers. `stats.ts` puts them on the page, `charts.ts` draws them.
 */
import type { ChannelCounts, StaffStats, StaffStatsFigures } from '../../lambdas/staff/contract';
import { URGENCIES, WAIT_BUCKETS } from '../../lambdas/stats/vocabulary';
import { CHART_TEXT, FUNNEL_TEXT, NO_ANSWER_TEXT, positionText, SERIES_TEXT, STATS_TEXT, URGENCY_TEXT, WAIT_BUCKET_TEXT, waitSummary, type FunnelStep } from './stats-labels';
import { topicName } from './topic-names';

/** Colours of the series, named by what they show (the legend and the canvas use the same). */
export const SERIES_COLORS = { voice: '#0b57d0', sms: '#0f7b53', urgent: '#b3261e', count: '#0b57d0' } as const;

export interface Series {
  label: string;
  color: string;
  values: number[];
}

/** One line per day (`days`: `YYYY-MM-DD`), or one bar per category. */
export type ChartData = { kind: 'days'; days: string[]; series: Series[] } | { kind: 'bars'; categories: string[]; series: Series[] };

export interface Table {
  head: string[];
  rows: (string | number)[][];
}

export type FigureId = 'contacts' | 'topics' | 'callEnds' | 'funnel' | 'waits' | 'crisis';

export interface Figure {
  id: FigureId;
  title: string;
  note: string;
  /** What the chart shows, in words (shown beside it, and what a screen reader hears first). */
  summary: string[];
  /** Undefined when there is nothing to draw (the summary says so). */
  chart: ChartData | undefined;
  table: Table;
}

const both = (counts: ChannelCounts) => counts.voice + counts.sms;

/** `43%` of `whole`; `—` when there is no whole to be a part of. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';
}

/** The days with anything in them (for the tables: ninety rows of zeros help nobody), and the total. */
function dayRows(stats: StaffStats, columns: ((d: StaffStatsFigures) => number)[]): (string | number)[][] {
  const rows = stats.days.map((d) => [d.day, ...columns.map((c) => c(d))]).filter((row) => row.slice(1).some((v) => v !== 0));
  return [...rows, [STATS_TEXT.total, ...columns.map((c) => c(stats.total))]];
}

function contacts(stats: StaffStats): Figure {
  const { voice, sms } = stats.total.contacts;
  const any = voice + sms > 0;
  return {
    id: 'contacts',
    ...CHART_TEXT.contacts,
    summary: [any ? `共 ${voice + sms} 次：${SERIES_TEXT.voice} ${voice}，${SERIES_TEXT.sms} ${sms}。` : STATS_TEXT.none],
    chart: any
      ? {
          kind: 'days',
          days: stats.days.map((d) => d.day),
          series: [
            { label: SERIES_TEXT.voice, color: SERIES_COLORS.voice, values: stats.days.map((d) => d.contacts.voice) },
            { label: SERIES_TEXT.sms, color: SERIES_COLORS.sms, values: stats.days.map((d) => d.contacts.sms) },
          ],
        }
      : undefined,
    table: { head: [STATS_TEXT.day, SERIES_TEXT.voice, SERIES_TEXT.sms, STATS_TEXT.total], rows: dayRows(stats, [(d) => d.contacts.voice, (d) => d.contacts.sms, (d) => both(d.contacts)]) },
  };
}

/** Most first; equal counts in Chinese order of their names. */
function byCount<T extends { name: string; count: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'zh-CN'));
}

function topics(stats: StaffStats): Figure {
  const rows = byCount(Object.entries(stats.total.topics).map(([id, counts]) => ({ name: topicName(id), counts, count: both(counts) })));
  const top = rows.slice(0, 3).map((r) => `${r.name}（${r.count}）`);
  return {
    id: 'topics',
    ...CHART_TEXT.topics,
    summary: [rows.length ? `最多：${top.join('、')}。共 ${rows.length} 个话题。` : STATS_TEXT.none],
    chart: rows.length
      ? {
          kind: 'bars',
          categories: rows.map((r) => r.name),
          series: [
            { label: SERIES_TEXT.voice, color: SERIES_COLORS.voice, values: rows.map((r) => r.counts.voice) },
            { label: SERIES_TEXT.sms, color: SERIES_COLORS.sms, values: rows.map((r) => r.counts.sms) },
          ],
        }
      : undefined,
    table: { head: ['话题', SERIES_TEXT.voice, SERIES_TEXT.sms, STATS_TEXT.total], rows: rows.map((r) => [r.name, r.counts.voice, r.counts.sms, r.count]) },
  };
}

function callEnds(stats: StaffStats): Figure {
  const rows = byCount(Object.entries(stats.total.callEnds).map(([position, count]) => ({ name: positionText(position), count })));
  const calls = rows.reduce((sum, r) => sum + r.count, 0);
  return {
    id: 'callEnds',
    ...CHART_TEXT.callEnds,
    summary: [rows.length ? `${calls} 通电话；最常在“${rows[0]!.name}”结束（${rows[0]!.count}，${percent(rows[0]!.count, calls)}）。` : STATS_TEXT.none],
    chart: rows.length ? { kind: 'bars', categories: rows.map((r) => r.name), series: [{ label: STATS_TEXT.count, color: SERIES_COLORS.count, values: rows.map((r) => r.count) }] } : undefined,
    table: { head: ['结束的位置', STATS_TEXT.count, '占比'], rows: rows.map((r) => [r.name, r.count, percent(r.count, calls)]) },
  };
}

/** The callback funnel's steps and counts: requested → first attempt → how they ended. */
export function funnelSteps(callbacks: StaffStatsFigures['callbacks']): { step: FunnelStep; count: number }[] {
  return [
    { step: 'requested', count: callbacks.requested.voice + callbacks.requested.sms },
    { step: 'firstAttempt', count: callbacks.firstAttempts.normal + callbacks.firstAttempts.urgent },
    { step: 'reached', count: callbacks.outcomes.reached },
    { step: 'unreached', count: callbacks.unreached },
    { step: 'wrong-number', count: callbacks.outcomes['wrong-number'] },
    { step: 'declined', count: callbacks.outcomes.declined },
  ];
}

function funnel(stats: StaffStats): Figure {
  const callbacks = stats.total.callbacks;
  const steps = funnelSteps(callbacks);
  const requested = steps[0]!.count;
  const { voice, sms, urgent } = callbacks.requested;
  const any = steps.some((s) => s.count > 0);
  return {
    id: 'funnel',
    ...CHART_TEXT.funnel,
    summary: [
      `${FUNNEL_TEXT.requested} ${requested} 次（${SERIES_TEXT.voice} ${voice}，${SERIES_TEXT.sms} ${sms}，其中${URGENCY_TEXT.urgent} ${urgent}）；重复请求 ${callbacks.repeats} 次。`,
      ...URGENCIES.map((u) => `${FUNNEL_TEXT.firstAttempt}等了多久，${waitSummary(u, callbacks.waitMinutes[u])}`),
      NO_ANSWER_TEXT(callbacks.outcomes['no-answer']),
    ],
    chart: any ? { kind: 'bars', categories: steps.map((s) => FUNNEL_TEXT[s.step]), series: [{ label: STATS_TEXT.count, color: SERIES_COLORS.count, values: steps.map((s) => s.count) }] } : undefined,
    table: { head: ['步骤', STATS_TEXT.count, STATS_TEXT.share], rows: steps.map((s) => [FUNNEL_TEXT[s.step], s.count, percent(s.count, requested)]) },
  };
}

function waits(stats: StaffStats): Figure {
  const { waits: buckets, waitMinutes } = stats.total.callbacks;
  const count = (urgency: 'normal' | 'urgent', id: string) => buckets[urgency][id] ?? 0;
  const any = URGENCIES.some((u) => waitMinutes[u]);
  return {
    id: 'waits',
    ...CHART_TEXT.waits,
    summary: URGENCIES.map((u) => waitSummary(u, waitMinutes[u])),
    chart: any
      ? {
          kind: 'bars',
          categories: WAIT_BUCKETS.map((b) => WAIT_BUCKET_TEXT[b.id]),
          series: [
            { label: URGENCY_TEXT.normal, color: SERIES_COLORS.voice, values: WAIT_BUCKETS.map((b) => count('normal', b.id)) },
            { label: URGENCY_TEXT.urgent, color: SERIES_COLORS.urgent, values: WAIT_BUCKETS.map((b) => count('urgent', b.id)) },
          ],
        }
      : undefined,
    table: { head: ['等了多久', URGENCY_TEXT.normal, URGENCY_TEXT.urgent], rows: WAIT_BUCKETS.map((b) => [WAIT_BUCKET_TEXT[b.id], count('normal', b.id), count('urgent', b.id)]) },
  };
}

function crisis(stats: StaffStats): Figure {
  const { voice, sms } = stats.total.crisis;
  const urgent = stats.total.callbacks.requested.urgent;
  const any = voice + sms + urgent > 0;
  const columns = [(d: StaffStatsFigures) => d.crisis.voice, (d: StaffStatsFigures) => d.crisis.sms, (d: StaffStatsFigures) => d.callbacks.requested.urgent];
  return {
    id: 'crisis',
    ...CHART_TEXT.crisis,
    summary: [`${SERIES_TEXT.crisisVoice} ${voice}，${SERIES_TEXT.crisisSms} ${sms}，${SERIES_TEXT.urgentRequests} ${urgent}。`, `${FUNNEL_TEXT.firstAttempt}等了多久，${waitSummary('urgent', stats.total.callbacks.waitMinutes.urgent)}`],
    chart: any
      ? {
          kind: 'days',
          days: stats.days.map((d) => d.day),
          series: [SERIES_TEXT.crisisVoice, SERIES_TEXT.crisisSms, SERIES_TEXT.urgentRequests].map((label, i) => ({
            label,
            color: [SERIES_COLORS.voice, SERIES_COLORS.sms, SERIES_COLORS.urgent][i]!,
            values: stats.days.map(columns[i]!),
          })),
        }
      : undefined,
    table: { head: [STATS_TEXT.day, SERIES_TEXT.crisisVoice, SERIES_TEXT.crisisSms, SERIES_TEXT.urgentRequests], rows: dayRows(stats, columns) },
  };
}

/** Every figure of the view, in the order shown. */
export function statsFigures(stats: StaffStats): Figure[] {
  return [contacts(stats), topics(stats), callEnds(stats), funnel(stats), waits(stats), crisis(stats)];
}
