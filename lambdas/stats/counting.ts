/**
 * Counting as the handlers do it: after each answer is decided, its counters go to the day's item
 * (and a call's position to its own), with the webhook's deadline. Counting never breaks or holds up
 * an answer: a write gives up after half a second at most, and any failure is logged, never thrown
 * (no alarm: a lost count costs a figure, not a caller).
 */
import type { CallbackStore } from '../callbacks/store';
import type { HotlineLogger } from '../shared/logging';
import { localTime } from '../shared/time-zone';
import type { SmsOutcome } from '../sms/conversation';
import { positionOf, smsCounters, voiceCounters, type VoiceAnswer } from './answers';
import { outcomeCounters, requestCounters } from './funnel';
import { CALL_SID, FINAL_CALL_STATUSES, type StatsStore } from './store';
import { COUNTER } from './vocabulary';

export interface Counting {
  /** A voice answer: its counters, and where the call now is. */
  voice(answer: VoiceAnswer & { callSid?: string }, signal?: AbortSignal): Promise<void>;
  /** Twilio's status callback: the position the call ended at, counted once per call. */
  callEnded(callSid: string | undefined, callStatus: string | undefined, signal?: AbortSignal): Promise<void>;
  /** An SMS answer. */
  sms(outcome: Pick<SmsOutcome, 'routed' | 'events' | 'replies'>, signal?: AbortSignal): Promise<void>;
  /** The callback store, counting the funnel as requests are made and outcomes recorded. */
  callbacks(store: CallbackStore): CallbackStore;
}

export interface CountingDeps {
  stats: StatsStore;
  logger: HotlineLogger;
  /** The clock that decides the day (tests move it). */
  now?: () => Date;
}

export function createCounting(deps: CountingDeps): Counting {
  const { stats, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const today = () => localTime(now()).date;

  /** Runs a count; a failure is logged by its error name only (never a message that could hold input). */
  const quietly = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      logger.warn('not counted', { what, error: error instanceof Error ? error.name : 'unknown' });
    }
  };
  const add = (what: string, names: readonly string[], signal?: AbortSignal) => quietly(what, () => (names.length ? stats.add(today(), names, signal) : Promise.resolve()));

  const callbacks = (inner: CallbackStore, signal?: AbortSignal): CallbackStore => ({
    ...inner,
    within: (scoped) => callbacks(inner.within(scoped), scoped),
    requestCallback: async (input) => {
      const result = await inner.requestCallback(input);
      await add('callback request', requestCounters(result), signal);
      return result;
    },
    recordOutcome: async (id, staff, outcome, note, expectedVersion) => {
      const request = await inner.recordOutcome(id, staff, outcome, note, expectedVersion);
      await add('callback outcome', outcomeCounters(request, outcome), signal);
      return request;
    },
  });

  return {
    async voice(answer, signal) {
      const callSid = answer.callSid && CALL_SID.test(answer.callSid) ? answer.callSid : undefined;
      await Promise.all([
        add('voice', voiceCounters(answer), signal),
        callSid ? quietly('call position', () => stats.placeCall(callSid, positionOf(answer.reply), signal)) : undefined,
      ]);
    },
    async callEnded(callSid, callStatus, signal) {
      if (!callSid || !CALL_SID.test(callSid) || !callStatus || !FINAL_CALL_STATUSES.includes(callStatus)) return;
      await quietly('call end', async () => {
        const position = await stats.takeCall(callSid, signal);
        if (position) await stats.add(today(), [COUNTER.end(position)], signal);
      });
    },
    sms: (outcome, signal) => add('sms', smsCounters(outcome.routed, outcome.events, outcome.replies.length), signal),
    callbacks: (store) => callbacks(store),
  };
}
