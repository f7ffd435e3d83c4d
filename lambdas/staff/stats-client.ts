/**
 * The anonymous counts (`GET /staff/stats`, `StaffStats` in `contract.ts`) on the one staff client
 * (`client.ts`): same token, timeout and errors (400 `bad-request` with `issues` for a bad range).
 */
import { isObject, search, staffPath, type StaffClient } from './client';
import type { StaffStats } from './contract';

export interface StatsQuery {
  /** `YYYY-MM-DD`, Beijing days, inclusive; by default the 30 days up to today. At most 400 days. */
  from?: string;
  to?: string;
}

function isStats(value: unknown): value is StaffStats {
  return isObject(value) && typeof value.from === 'string' && typeof value.to === 'string' && Array.isArray(value.days) && value.days.every(isObject) && isObject(value.total);
}

export interface StatsClient {
  stats(query?: StatsQuery): Promise<StaffStats>;
  /** `GET /staff/stats.csv`: the same range, one row per day and a total row (UTF-8 with a byte-order mark). */
  csv(query?: StatsQuery): Promise<{ csv: string; filename: string }>;
}

export function statsClient(client: StaffClient): StatsClient {
  const range = (query: StatsQuery) => search({ from: query.from, to: query.to });
  return {
    stats: (query = {}) => client.call('GET', `${staffPath('staffStats')}${range(query)}`, isStats),
    csv: (query = {}) => client.csv(`${staffPath('staffStatsCsv')}${range(query)}`, `stats${[query.from, query.to].filter(Boolean).map((d) => `-${d}`).join('')}.csv`),
  };
}
