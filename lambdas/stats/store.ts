/**
 * Where the counts are kept: per-day counters and each call's last position, nothing else. The
 * DynamoDB version is `dynamo-stats.ts`; the handlers and the staff API see only this.
 */

/** One Beijing day's counters (`2026-12-03`), by counter name (`vocabulary.ts`). */
export interface DayCounters {
  day: string;
  counters: Record<string, number>;
}

export interface StatsStore {
  /** Adds one per name (a name given twice adds two) to the day's counters, in one atomic write. Names outside the vocabulary are refused. */
  add(day: string, names: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Remembers where a call is now (a position id), for its status callback; nothing once the call has ended. */
  placeCall(callSid: string, position: string, signal?: AbortSignal): Promise<void>;
  /** The call's last position, once: a repeated status callback for the same call gets undefined. */
  takeCall(callSid: string, signal?: AbortSignal): Promise<string | undefined>;
  /** The days from `from` to `to` (inclusive) that have counters, oldest first. */
  read(from: string, to: string): Promise<DayCounters[]>;
}

/** A Twilio CallSid: `CA` and 32 hex digits. Anything else is not a call we can follow. */
export const CALL_SID = /^CA[0-9a-f]{32}$/;

/** Call statuses after which a call is over (Twilio's status callback). */
export const FINAL_CALL_STATUSES: readonly string[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
