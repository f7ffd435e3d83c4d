/**
 * Counting for the voice Lambda, whose greeting and key presses never load the DynamoDB client (a cold
 * start answers faster without it): the counting module loads on first use, and until it has, an
 * answer does not wait for its count, which follows as soon as the module is there. A status callback
 * (no caller waiting) always waits for its count.
 */
import type { HotlineLogger } from '../shared/logging';
import type { Counting } from './counting';

export type VoiceCounting = Pick<Counting, 'voice' | 'callEnded'>;

export function deferredCounting(load: () => Promise<VoiceCounting>, logger: HotlineLogger): VoiceCounting {
  let loaded: VoiceCounting | undefined;
  const ready = async () => (loaded ??= await load());
  return {
    voice: async (answer, signal) => {
      if (loaded) return loaded.voice(answer, signal);
      void ready()
        .then((counting) => counting.voice(answer, signal))
        .catch((error: unknown) => logger.warn('not counted', { what: 'voice', error: error instanceof Error ? error.name : 'unknown' }));
    },
    callEnded: async (callSid, callStatus, signal) => {
      try {
        await (await ready()).callEnded(callSid, callStatus, signal);
      } catch (error) {
        logger.warn('not counted', { what: 'call end', error: error instanceof Error ? error.name : 'unknown' });
      }
    },
  };
}
