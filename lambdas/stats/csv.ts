/**
 * `GET /staff/stats.csv`: the same figures as `StaffStats`, one row per day and a last `total` row,
 * one column per figure (named by its JSON path, `callbacks.requested.sms`), written like the callback
 * export (UTF-8 with a byte-order mark for Excel, CRLF). The columns are the same for any range, except
 * groups and call ends, which appear as they occur.
 */
import { CALLBACK_OUTCOMES } from '../callbacks/store';
import { TOPIC_IDS } from '../content/topic-ids';
import type { StaffStats, StaffStatsFigures } from '../staff/contract';
import { csvCell } from '../staff/csv';
import { CHANNELS, HEARD, SMS_INTENTS, URGENCIES, WAIT_BUCKETS } from './vocabulary';

export function statsCsv(stats: StaffStats): string {
  const columns = columnsFor(stats.total);
  const rows = [...stats.days.map((d) => [d.day, flatten(d)] as const), ['total', flatten(stats.total)] as const].map(([day, values]) =>
    [day, ...columns.map((column) => values.get(column) ?? (column.includes('.waitMinutes.') ? '' : 0))].map(csvCell).join(','),
  );
  return `\ufeff${[['day', ...columns].join(','), ...rows].join('\r\n')}\r\n`;
}

function columnsFor(total: StaffStatsFigures): string[] {
  const perChannel = (prefix: string) => CHANNELS.map((channel) => `${prefix}.${channel}`);
  return [
    ...perChannel('contacts'),
    ...perChannel('crisis'),
    ...HEARD.flatMap((heard) => perChannel(`understood.${heard}`)),
    ...SMS_INTENTS.map((intent) => `smsIntents.${intent}`),
    'smsLimited',
    'smsUnanswered',
    ...['voice', 'sms', 'urgent'].map((kind) => `callbacks.requested.${kind}`),
    'callbacks.repeats',
    ...URGENCIES.map((u) => `callbacks.firstAttempts.${u}`),
    ...CALLBACK_OUTCOMES.map((outcome) => `callbacks.outcomes.${outcome}`),
    'callbacks.unreached',
    ...URGENCIES.flatMap((u) => [`callbacks.waitMinutes.${u}.p50`, `callbacks.waitMinutes.${u}.p90`]),
    ...URGENCIES.flatMap((u) => WAIT_BUCKETS.map((b) => `callbacks.waits.${u}.${b.id}`)),
    ...TOPIC_IDS.flatMap((topic) => perChannel(`topics.${topic}`)),
    ...Object.keys(total.groups).sort().flatMap((group) => perChannel(`groups.${group}`)),
    ...Object.keys(total.callEnds).sort().map((position) => `callEnds.${position}`),
  ];
}

/** Every number of the figures by its dotted path (counts inside `waitMinutes` skipped). */
function flatten(figures: StaffStatsFigures): Map<string, number> {
  const values = new Map<string, number>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'number') {
      if (!path.endsWith('.count')) values.set(path, value);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key);
    }
  };
  const { day: _day, ...rest } = figures as StaffStatsFigures & { day?: string };
  walk(rest, '');
  return values;
}
