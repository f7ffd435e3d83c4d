/**
 * The staff API's view of the counts: the date range asked for, and the stored counters of each day
 * arranged as `StaffStats` (see `../staff/contract.ts`), ready to chart, with the wait percentiles
 * estimated from their buckets. Pure: the counters come in, JSON goes out.
 */
import { CALLBACK_OUTCOMES, type CallbackOutcome } from '../callbacks/store';
import { addDays, daysBetween, isCalendarDate } from '../shared/time-zone';
import { STATS_MAX_DAYS, type ChannelCounts, type StaffStats, type StaffStatsFigures, type WaitPercentiles } from '../staff/contract';
import { parseExportQuery, type InputIssue } from '../staff/input';
import type { DayCounters } from './store';
import { COUNTER, HEARD, isCounterName, URGENCIES, WAIT_BUCKETS, type Channel, type Urgency } from './vocabulary';

/** Without `from`, the 30 days up to `to` (today by default). */
export const STATS_DEFAULT_DAYS = 30;

export type StatsRange = { ok: true; from: string; to: string } | { ok: false; issues: InputIssue[] };

/** `?from=&to=` as Beijing days: real dates, `from` not after `to`, at most STATS_MAX_DAYS days. */
export function statsRange(query: URLSearchParams, today: string): StatsRange {
  const parsed = parseExportQuery(query);
  if (!parsed.ok) return parsed;
  const to = parsed.value.to ?? today;
  if (!isCalendarDate(to)) return refuse('to', 'not a real date');
  const from = parsed.value.from ?? addDays(to, 1 - STATS_DEFAULT_DAYS);
  if (!isCalendarDate(from)) return refuse('from', 'not a real date');
  if (to < from) return refuse('to', '`to` is before `from`');
  if (daysBetween(from, to) + 1 > STATS_MAX_DAYS) return refuse('to', `at most ${STATS_MAX_DAYS} days at a time`);
  return { ok: true, from, to };
}

function refuse(path: string, message: string): StatsRange {
  return { ok: false, issues: [{ path, message }] };
}

/** Every day from `from` to `to` (stored or not) and their total. */
export function buildStats(from: string, to: string, stored: readonly DayCounters[]): StaffStats {
  const byDay = new Map(stored.map((d) => [d.day, d.counters]));
  const total: Record<string, number> = {};
  const days = Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => {
    const day = addDays(from, i);
    const counters = byDay.get(day) ?? {};
    for (const [name, value] of Object.entries(counters)) total[name] = (total[name] ?? 0) + value;
    return { day, ...figuresOf(counters) };
  });
  return { from, to, days, total: figuresOf(total) };
}

/** One day's (or the range's) counters, arranged; names outside the vocabulary are left out. */
export function figuresOf(counters: Readonly<Record<string, number>>): StaffStatsFigures {
  const n = (name: string) => counters[name] ?? 0;
  const byChannel = (name: (channel: Channel) => string): ChannelCounts => ({ voice: n(name('voice')), sms: n(name('sms')) });
  const topics: Record<string, ChannelCounts> = {};
  const groups: Record<string, ChannelCounts> = {};
  const smsIntents: Record<string, number> = {};
  const callEnds: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters)) {
    if (!value || !isCounterName(name)) continue;
    const [head, kind, id = ''] = name.split('.');
    if (head === 'end') callEnds[name.slice('end.'.length)] = value;
    else if (head === 'sms' && kind === 'intent') smsIntents[id] = value;
    else if ((head === 'voice' || head === 'sms') && (kind === 'topic' || kind === 'group')) {
      const into = kind === 'topic' ? topics : groups;
      (into[id] ??= { voice: 0, sms: 0 })[head] = value;
    }
  }
  const buckets = (urgency: Urgency) => Object.fromEntries(WAIT_BUCKETS.map((b) => [b.id, n(COUNTER.firstAttempt(urgency, b.id))]));
  const waits = { normal: buckets('normal'), urgent: buckets('urgent') };
  const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
  return {
    contacts: byChannel(COUNTER.contact),
    crisis: byChannel(COUNTER.crisis),
    topics,
    groups,
    understood: Object.fromEntries(HEARD.map((heard) => [heard, byChannel((channel) => COUNTER.heard(channel, heard))])) as StaffStatsFigures['understood'],
    smsIntents,
    smsLimited: n(COUNTER.smsLimited),
    smsUnanswered: n(COUNTER.smsUnanswered),
    callEnds,
    callbacks: {
      requested: { voice: n(COUNTER.requested('voice')), sms: n(COUNTER.requested('sms')), urgent: n(COUNTER.requested('urgent')) },
      repeats: n(COUNTER.repeat),
      firstAttempts: { normal: sum(waits.normal), urgent: sum(waits.urgent) },
      outcomes: Object.fromEntries(CALLBACK_OUTCOMES.map((o) => [o, n(COUNTER.outcome(o))])) as Record<CallbackOutcome, number>,
      unreached: n(COUNTER.unreached),
      waits,
      waitMinutes: Object.fromEntries(URGENCIES.map((u) => [u, waitPercentiles(waits[u])])) as StaffStatsFigures['callbacks']['waitMinutes'],
    },
  };
}

/** p50 and p90 of the wait from its bucket counts; null when there are none. */
export function waitPercentiles(buckets: Readonly<Record<string, number>>): WaitPercentiles | null {
  const count = WAIT_BUCKETS.reduce((total, b) => total + (buckets[b.id] ?? 0), 0);
  return count ? { p50: quantile(0.5, buckets, count), p90: quantile(0.9, buckets, count), count } : null;
}

/** The q-quantile, linear inside its bucket; in the open last bucket, that bucket's lower edge. */
function quantile(q: number, buckets: Readonly<Record<string, number>>, count: number): number {
  const rank = q * count;
  let below = 0;
  let lower = 0;
  for (const bucket of WAIT_BUCKETS) {
    const inside = buckets[bucket.id] ?? 0;
    if (inside > 0 && below + inside >= rank) {
      if (!Number.isFinite(bucket.upTo)) return lower;
      return Math.round((lower + ((bucket.upTo - lower) * (rank - below)) / inside) * 10) / 10;
    }
    below += inside;
    if (Number.isFinite(bucket.upTo)) lower = bucket.upTo;
  }
  return lower;
}
