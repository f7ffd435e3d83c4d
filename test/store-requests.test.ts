/**
 * A number's request as callers make it (`dynamo-requests.ts`), where the lifecycle suites leave it
 * open: what an ask refuses before writing anything, what its history says, asks racing a reopen
 * (none is lost), a request full of repeats, and a request closed while its number's generation step
 * was lost (it takes no time and is pending no more).
 */
import { describe, expect, it } from 'vitest';
import { MAX_REQUESTS_PER_ITEM } from '../lambdas/callbacks/dynamo-items';
import { CallbackInputError, type CallbackStore, type RequestCallbackInput } from '../lambdas/callbacks/store';
import { useDynalite } from './support/dynalite';
import { rejection, storeHarnesses, type StoreHarness } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-requests');

const PHONE = '+8613812345678';
const EVENING = { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z' };
const MORNING = { from: '2026-12-04T01:00:00.000Z', until: '2026-12-04T04:00:00.000Z' };
let sids = 0;
const sid = (prefix = 'SM') => `${prefix}${String(++sids).padStart(32, '0')}`;
const ask = (store: CallbackStore, more: Partial<RequestCallbackInput> = {}) => store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid(), ...more });

/** Closes the request as staff do, with the number's generation step after it lost (a crash between the two writes). */
async function closeLosingGeneration(h: StoreHarness, id: string): Promise<void> {
  await h.store.claim(id, 'alice');
  const lost = h.before(
    (command) => command.name === 'UpdateItemCommand' && command.pk?.startsWith('PHONE#') === true,
    () => {
      throw Object.assign(new Error('connection reset'), { name: 'TimeoutError', $metadata: {} });
    },
  );
  expect((await h.store.recordOutcome(id, 'alice', 'reached')).status).toBe('done');
  await lost;
}

describe('an ask refuses before writing anything', () => {
  it('an unknown number source or channel, a missing time or sid, a due slot that is not one', async () => {
    const h = await harness();
    const refusals: [Partial<RequestCallbackInput>, string][] = [
      [{ numberSource: 'guessed' as 'keyed-in' }, 'unknown number source'],
      [{ channel: 'fax' as 'sms' }, 'channel must be voice or sms'],
      [{ window: undefined as unknown as string }, 'window is required (at most 40 characters)'],
      [{ window: ' ' }, 'window is required (at most 40 characters)'],
      [{ window: '晚'.repeat(41) }, 'window is required (at most 40 characters)'],
      [{ sourceSid: undefined as unknown as string }, 'sourceSid is required'],
      [{ sourceSid: '' }, 'sourceSid is required'],
      [{ due: { from: 'tonight', until: EVENING.until } }, 'due must be two ISO times, from before until'],
      [{ due: { from: EVENING.from, until: 'later' } }, 'due must be two ISO times, from before until'],
      [{ due: { from: EVENING.from, until: EVENING.from } }, 'due must be two ISO times, from before until'],
    ];
    for (const [input, message] of refusals) {
      const error = await rejection(ask(h.store, input));
      expect(error, JSON.stringify(input)).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe(message);
    }
    expect(await h.items()).toEqual([]);
    expect(h.sent).toEqual([]);
  });

  it('and a named time refuses a due slot that is missing or not one', async () => {
    const h = await harness();
    await ask(h.store, { windowPending: true, due: EVENING });
    for (const due of [undefined, { from: MORNING.until, until: MORNING.from }, { from: MORNING.from, until: MORNING.from }, { from: 'x', until: MORNING.until }]) {
      const error = await rejection(h.store.setWindow({ phone: PHONE, window: '明天上午', due: due as typeof MORNING, sourceSid: sid() }));
      expect(error, JSON.stringify(due)).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe('due must be two ISO times, from before until');
    }
    expect((await h.store.findPending(PHONE))?.windowPending).toBe(true);
  });
});

describe('what the history says', () => {
  it('an ask: the channel, urgent, the window, the topic and how the number came, each only when there is one', async () => {
    const h = await harness();
    const plain = await ask(h.store);
    expect(plain.request.history.map((e) => e.detail)).toEqual(['sms window=晚上']);
    expect(plain.request.topics).toEqual([]);
    const full = await ask(h.store, { channel: 'voice', urgent: true, topic: 'negotiate', numberSource: 'keyed-in', window: '上午' });
    expect(full.request.history.at(-1)).toEqual({ at: full.request.updatedAt, by: 'caller', action: 'requested', detail: 'voice urgent window=上午 topic=negotiate via=keyed-in' });
  });

  it('a time named later: by sms, the window named', async () => {
    const h = await harness();
    await ask(h.store, { windowPending: true, due: EVENING });
    const set = await h.store.setWindow({ phone: PHONE, window: '明天上午', due: MORNING, sourceSid: sid() });
    expect(set?.history.at(-1)).toEqual({ at: set!.updatedAt, by: 'sms', action: 'window', detail: 'window=明天上午' });
  });
});

describe('asks that race', () => {
  async function unreachedRequest(h: StoreHarness) {
    const { request } = await ask(h.store, { channel: 'voice', sourceSid: sid('CA') });
    await h.store.claim(request.id, 'alice');
    expect((await h.store.recordOutcome(request.id, 'alice', 'no-answer')).status).toBe('unreached');
    return request;
  }

  it('an ask refused by an unreached request that another ask reopens meanwhile is still applied', async () => {
    const h = await harness({ maxAttempts: 1 });
    const request = await unreachedRequest(h);
    const late = sid();
    // After the ask is refused and before it reads the request back, another ask reopens it.
    const reopened = h.before((command) => command.name === 'GetItemCommand' && command.pk === `REQ#${request.id}`, () => ask(h.other));
    const result = await ask(h.store, { sourceSid: late, question: '还在等' });
    await reopened;
    expect(result).toMatchObject({ created: false, replayed: false, request: { id: request.id, status: 'open', repeats: 2, question: '还在等' } });
    expect(result.request.history.map((e) => e.action)).toEqual(['requested', 'claimed', 'outcome', 'reopened', 'requested', 'requested']);
    expect((await h.item(`REQ#${request.id}`))?.sids).toContain(late);
  });

  it('an urgent ask still marks a full request that another ask reopened meanwhile', async () => {
    const h = await harness({ maxAttempts: 1 });
    const request = await unreachedRequest(h);
    await h.update(`REQ#${request.id}`, 'SET requestCount = :full', { ':full': MAX_REQUESTS_PER_ITEM });
    const reopened = h.before((command) => command.name === 'GetItemCommand' && command.pk === `REQ#${request.id}`, () => ask(h.other));
    const result = await ask(h.store, { urgent: true });
    await reopened;
    expect(result).toMatchObject({ created: false, replayed: false, request: { id: request.id, status: 'open', urgent: true } });
  });

  it('a request full of repeats answers a plain ask with itself, unchanged: not created, not a replay', async () => {
    const h = await harness();
    const { request } = await ask(h.store);
    await h.update(`REQ#${request.id}`, 'SET requestCount = :full', { ':full': MAX_REQUESTS_PER_ITEM });
    const result = await ask(h.store, { question: '又来了' });
    expect(result.created).toBe(false);
    expect(result.replayed).toBe(false);
    expect(result.request).toMatchObject({ id: request.id, version: request.version, repeats: MAX_REQUESTS_PER_ITEM - 1 });
    expect(result.request.question).toBeUndefined();
  });
});

describe('a request closed while its generation step was lost', () => {
  it('is pending no more, and takes no time: neither a new one nor a retried delivery of one it took before closing', async () => {
    const h = await harness();
    const { request } = await ask(h.store, { windowPending: true, due: EVENING });
    const named = sid();
    await h.store.setWindow({ phone: PHONE, window: '明天上午', due: MORNING, sourceSid: named });
    await h.update(`REQ#${request.id}`, 'SET windowPending = :true', { ':true': true });
    await closeLosingGeneration(h, request.id);
    expect((await h.item(`REQ#${request.id}`))?.status).toBe('done');
    expect(await h.store.findPending(PHONE)).toBeUndefined();
    expect(await h.store.setWindow({ phone: PHONE, window: '今天晚上', due: EVENING, sourceSid: sid() })).toBeUndefined();
    expect(await h.store.setWindow({ phone: PHONE, window: '明天上午', due: MORNING, sourceSid: named })).toBeUndefined();
    const stored = await h.item(`REQ#${request.id}`);
    expect(stored).toMatchObject({ status: 'done', window: '明天上午', windowPending: true });
    // The next ask finds the closed request and moves the number on itself.
    const next = await ask(h.store);
    expect(next).toMatchObject({ created: true, replayed: false });
    expect(next.request.id).not.toBe(request.id);
  });
});
