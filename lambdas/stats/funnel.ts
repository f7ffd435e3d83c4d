/**
 * The callback funnel's counters, from what the store answered at the moment each step happened:
 * a request made (or asked again), an outcome recorded, the first attempt and how long it waited.
 */
import type { CallbackOutcome, CallbackRequest, RequestCallbackResult } from '../callbacks/store';
import { COUNTER, waitBucket } from './vocabulary';

/** A new request by channel (and urgent), a repeat ask; nothing for a Twilio retry of the same sid. */
export function requestCounters(result: RequestCallbackResult): string[] {
  if (result.replayed) return [];
  if (!result.created) return [COUNTER.repeat];
  return [COUNTER.requested(result.request.channel), ...(result.request.urgent ? [COUNTER.requested('urgent')] : [])];
}

/**
 * The outcome, 未接通 when this outcome moved the request there, and, on its first attempt, how long
 * it waited. First is read from `attempts` (only unanswered calls raise it, and nothing lowers it),
 * not from the history, whose oldest entries are dropped on long-lived requests.
 *
 * The wait runs from when staff could first call: the request's creation, or the start of the time
 * the caller chose when that is later ("明天上午" asked at night waits from 9:00, not from the night).
 */
export function outcomeCounters(request: CallbackRequest, outcome: CallbackOutcome): string[] {
  const names = [COUNTER.outcome(outcome)];
  if (request.status === 'unreached') names.push(COUNTER.unreached);
  const first = outcome === 'no-answer' ? request.attempts === 1 : request.attempts === 0;
  if (first) names.push(COUNTER.firstAttempt(request.urgent ? 'urgent' : 'normal', waitBucket(waitedMinutes(request))));
  return names;
}

/** Minutes from when the request could be worked to this attempt (the outcome's write time); never negative. */
export function waitedMinutes(request: Pick<CallbackRequest, 'createdAt' | 'updatedAt' | 'due'>): number {
  const created = Date.parse(request.createdAt);
  const dueFrom = request.due ? Date.parse(request.due.from) : Number.NaN;
  const from = Number.isFinite(dueFrom) ? Math.max(created, dueFrom) : created;
  const minutes = (Date.parse(request.updatedAt) - from) / 60_000;
  return Number.isFinite(minutes) ? Math.max(0, minutes) : 0;
}
