/**
 * Counting as the handlers use it, over a counts store in memory: what is written for which call,
 * that a failing store is logged by error name and never thrown, that only a real CallSid with a
 * final status ends a call, and the voice counter that loads only after the first answer.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CallbackRequest, CallbackStore, RequestCallbackInput } from '../lambdas/callbacks/store';
import type { HotlineLogger } from '../lambdas/shared/logging';
import { createCounting, type Counting } from '../lambdas/stats/counting';
import { deferredCounting, type VoiceCounting } from '../lambdas/stats/deferred';
import type { StatsStore } from '../lambdas/stats/store';
import { COUNTER } from '../lambdas/stats/vocabulary';

const CALL = `CA${'0'.repeat(31)}1`;
const NOW = new Date('2026-12-03T17:30:00Z'); // 01:30 on 12-04 in Beijing

function memoryStats(failing?: Error) {
  const added: [string, readonly string[]][] = [];
  const calls = new Map<string, string>();
  const store: StatsStore = {
    async add(day, names) {
      if (failing) throw failing;
      added.push([day, names]);
    },
    async placeCall(callSid, position) {
      if (failing) throw failing;
      calls.set(callSid, position);
    },
    async takeCall(callSid) {
      if (failing) throw failing;
      const position = calls.get(callSid);
      calls.delete(callSid);
      return position;
    },
    async read() {
      return [];
    },
  };
  return { store, added, calls };
}

function recordingLogger() {
  const warnings: unknown[][] = [];
  const logger = { debug() {}, info() {}, warn: (...args: unknown[]) => void warnings.push(args), error() {} } as unknown as HotlineLogger;
  return { logger, warnings };
}

const greeting = { route: 'voiceIncoming', reply: { kind: 'gather', position: { kind: 'main' } } } as unknown as Parameters<Counting['voice']>[0];

describe('counting', () => {
  it('counts a voice answer on the Beijing day, and remembers where a call with a real CallSid is', async () => {
    const { store, added, calls } = memoryStats();
    const counting = createCounting({ stats: store, logger: recordingLogger().logger, now: () => NOW });
    await counting.voice({ ...greeting, callSid: CALL });
    expect(added).toEqual([['2026-12-04', [COUNTER.contact('voice')]]]);
    expect([...calls.keys()]).toEqual([CALL]);
    await counting.voice({ ...greeting, callSid: 'CA-not-a-sid' });
    await counting.voice(greeting);
    expect(calls.size).toBe(1);
  });

  it('ends a call once, only on a final status and a real CallSid', async () => {
    const { store, added, calls } = memoryStats();
    const counting = createCounting({ stats: store, logger: recordingLogger().logger, now: () => NOW });
    calls.set(CALL, 'main');
    await counting.callEnded(CALL, 'in-progress');
    await counting.callEnded('CAxyz', 'completed');
    await counting.callEnded(undefined, 'completed');
    await counting.callEnded(CALL, undefined);
    expect(added).toEqual([]);
    await counting.callEnded(CALL, 'completed');
    await counting.callEnded(CALL, 'completed');
    expect(added).toEqual([['2026-12-04', [COUNTER.end('main')]]]);
  });

  it("ends a call on each of Twilio's final statuses, and on none of the others", async () => {
    const { store, added, calls } = memoryStats();
    const counting = createCounting({ stats: store, logger: recordingLogger().logger, now: () => NOW });
    const sidFor = (status: string) => `CA${createHash('md5').update(status).digest('hex')}`;
    const statuses = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled'];
    for (const status of statuses) {
      calls.set(sidFor(status), `topic.evidence`);
      await counting.callEnded(sidFor(status), status);
    }
    expect(added).toHaveLength(5);
    expect(statuses.filter((status) => !calls.has(sidFor(status)))).toEqual(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
  });

  it('logs a failed count by its error name only, and never throws', async () => {
    const { store } = memoryStats(Object.assign(new Error('secret text 13812345678'), { name: 'ThrottlingException' }));
    const { logger, warnings } = recordingLogger();
    const counting = createCounting({ stats: store, logger, now: () => NOW });
    await counting.voice({ ...greeting, callSid: CALL });
    await counting.callEnded(CALL, 'completed');
    await counting.sms({ routed: { kind: 'menu' }, events: [], replies: ['…'] } as unknown as Parameters<Counting['sms']>[0]);
    const request = { channel: 'sms', urgent: false, status: 'done', attempts: 0, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() } as CallbackRequest;
    const inner = { requestCallback: async () => ({ request, created: true, replayed: false }), recordOutcome: async () => request } as unknown as CallbackStore;
    const callbacks = counting.callbacks(inner);
    expect(await callbacks.requestCallback({} as RequestCallbackInput)).toEqual({ request, created: true, replayed: false });
    expect(await callbacks.recordOutcome('id', 'alice', 'reached', undefined, 1)).toBe(request);
    expect(warnings).toEqual([
      ['not counted', { what: 'voice', error: 'ThrottlingException' }],
      ['not counted', { what: 'call position', error: 'ThrottlingException' }],
      ['not counted', { what: 'call end', error: 'ThrottlingException' }],
      ['not counted', { what: 'sms', error: 'ThrottlingException' }],
      ['not counted', { what: 'callback request', error: 'ThrottlingException' }],
      ['not counted', { what: 'callback outcome', error: 'ThrottlingException' }],
    ]);
    const odd = memoryStats();
    odd.store.add = () => Promise.reject('not an error');
    const quiet = recordingLogger();
    await createCounting({ stats: odd.store, logger: quiet.logger }).voice(greeting);
    expect(quiet.warnings).toEqual([['not counted', { what: 'voice', error: 'unknown' }]]);
  });
});

describe('deferred voice counting', () => {
  it('answers the first request without waiting for counting to load, then counts it and every later one', async () => {
    const { store, added } = memoryStats();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const counting = deferredCounting(async () => {
      loads++;
      await gate;
      return createCounting({ stats: store, logger: recordingLogger().logger, now: () => NOW });
    }, recordingLogger().logger);
    await counting.voice(greeting);
    expect(added).toEqual([]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(added).toHaveLength(1);
    await counting.voice(greeting);
    expect(added).toHaveLength(2);
    expect(loads).toBe(1);
  });

  it('logs, by name, a counter that cannot load, for answers and for call ends alike', async () => {
    const { logger, warnings } = recordingLogger();
    const counting: VoiceCounting = deferredCounting(() => Promise.reject(Object.assign(new Error('x'), { name: 'ImportError' })), logger);
    await counting.voice(greeting);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await counting.callEnded(CALL, 'completed');
    const failing = deferredCounting(() => Promise.reject('odd'), logger);
    await failing.callEnded(CALL, 'completed');
    await failing.voice(greeting);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warnings).toEqual([
      ['not counted', { what: 'voice', error: 'ImportError' }],
      ['not counted', { what: 'call end', error: 'ImportError' }],
      ['not counted', { what: 'call end', error: 'unknown' }],
      ['not counted', { what: 'voice', error: 'unknown' }],
    ]);
  });
});
