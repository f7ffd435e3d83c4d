/**
 * Staff actions on a request (`dynamo-staff-actions.ts`) where the lifecycle suites leave them open:
 * what they refuse before writing, retries that stop, a claim held already, what closing clears, and
 * a missed call whose count changed between reading and writing it (the write refuses it and counts
 * again, so neither an ask's reset nor another miss is lost).
 */
import { describe, expect, it } from 'vitest';
import { MAX_ROUNDS } from '../lambdas/callbacks/dynamo-session';
import { CallbackInputError, CallbackStoreError, type CallbackStore } from '../lambdas/callbacks/store';
import { useDynalite } from './support/dynalite';
import { conditionFailure, rejection, storeHarnesses } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-staff');

const PHONE = '+8613812345678';
let sids = 0;
const sid = (prefix = 'SM') => `${prefix}${String(++sids).padStart(32, '0')}`;
const ask = (store: CallbackStore) => store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid() });

describe('staff actions refuse before writing', () => {
  it('a missing staff id, a version that is not a whole number, an unknown outcome', async () => {
    const h = await harness();
    const { request } = await ask(h.store);
    const refusals: [() => Promise<unknown>, string][] = [
      [() => h.store.claim(request.id, undefined as unknown as string), 'staff id is required'],
      [() => h.store.claim(request.id, ' '), 'staff id is required'],
      [() => h.store.release(request.id, 'sms'), 'staff id is required'],
      [() => h.store.claim(request.id, 'alice', 1.5), 'expectedVersion must be an integer'],
      [() => h.store.recordOutcome(request.id, 'alice', 'reached', undefined, Number.NaN), 'expectedVersion must be an integer'],
      [() => h.store.recordOutcome(request.id, 'alice', 'hung-up' as 'reached'), 'unknown outcome'],
    ];
    const before = h.sent.length;
    for (const [action, message] of refusals) {
      const error = await rejection(action());
      expect(error).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe(message);
    }
    expect(h.sent.slice(before)).toEqual([]);
    expect(await h.store.get(request.id)).toEqual(request);
  });
});

describe('retries', () => {
  it(`stop after ${MAX_ROUNDS} refused writes, for every staff action`, async () => {
    const h = await harness();
    const { request } = await ask(h.store);
    let updates = 0;
    // Every UpdateItem refused by its condition, as if another write always landed first.
    const refuseEveryUpdate = () =>
      h.client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName !== 'UpdateItemCommand') return next(args);
          updates += 1;
          throw conditionFailure();
        },
        { step: 'initialize', name: 'refuseEveryUpdate' },
      );
    refuseEveryUpdate();
    const error = await rejection(h.store.claim(request.id, 'alice'));
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect(error.message).toBe('claim: too much contention, gave up');
    expect(updates).toBe(MAX_ROUNDS);
    h.client.middlewareStack.remove('refuseEveryUpdate');
    await h.store.claim(request.id, 'alice');
    refuseEveryUpdate();
    expect((await rejection(h.store.recordOutcome(request.id, 'alice', 'reached'))).message).toBe('outcome: too much contention, gave up');
    expect(updates).toBe(2 * MAX_ROUNDS);
  });
});

describe('claims', () => {
  it('claiming what you hold already changes nothing', async () => {
    const h = await harness();
    const { request } = await ask(h.store);
    const claimed = await h.store.claim(request.id, 'alice');
    expect(await h.store.claim(request.id, 'alice')).toEqual(claimed);
    expect(await h.store.get(request.id)).toEqual(claimed);
  });
});

describe('closing', () => {
  it('clears the claim, and the note of an earlier attempt when the closing outcome has none', async () => {
    const h = await harness();
    const { request } = await ask(h.store);
    await h.store.claim(request.id, 'alice');
    expect((await h.store.recordOutcome(request.id, 'alice', 'no-answer', '关机')).note).toBe('关机');
    await h.store.claim(request.id, 'alice');
    const done = await h.store.recordOutcome(request.id, 'alice', 'reached');
    expect(done).toMatchObject({ status: 'done', outcome: 'reached', closedBy: 'alice' });
    const stored = await h.item(`REQ#${request.id}`);
    expect(stored).not.toHaveProperty('note');
    expect(stored).not.toHaveProperty('claimedBy');
    expect(stored).not.toHaveProperty('claimedAt');
    expect(done.history.map((e) => e.detail).filter(Boolean)).toEqual(['sms window=晚上', 'no-answer: 关机', 'reached']);
  });
});

describe('a missed call whose count changed before it was written', () => {
  it('counts from the reset when the person asked again in between', async () => {
    const h = await harness({ maxAttempts: 2 });
    const { request } = await ask(h.store);
    await h.store.claim(request.id, 'alice');
    await h.store.recordOutcome(request.id, 'alice', 'no-answer');
    await h.store.claim(request.id, 'alice');
    // The miss is read at 1; the ask lands before the write and puts the count back to 0.
    const asked = h.before((command) => command.name === 'UpdateItemCommand' && command.pk === `REQ#${request.id}`, () => ask(h.other));
    const missed = await h.store.recordOutcome(request.id, 'alice', 'no-answer');
    await asked;
    expect(missed).toMatchObject({ status: 'open', attempts: 2, missedInRow: 1, repeats: 1 });
    expect(missed.historyDropped).toBeUndefined();
    expect(missed.history.map((e) => e.action)).toEqual(['requested', 'claimed', 'outcome', 'claimed', 'requested', 'outcome']);
  });

  it('counts on from another miss recorded in between (a second tab)', async () => {
    const h = await harness({ maxAttempts: 2 });
    const { request } = await ask(h.store);
    await h.store.claim(request.id, 'alice');
    // The count is read at 0; the same holder records a miss and claims again before the write.
    const other = h.before(
      (command) => command.name === 'UpdateItemCommand' && command.pk === `REQ#${request.id}`,
      async () => {
        await h.other.recordOutcome(request.id, 'alice', 'no-answer');
        await h.other.claim(request.id, 'alice');
      },
    );
    const missed = await h.store.recordOutcome(request.id, 'alice', 'no-answer');
    await other;
    expect(missed).toMatchObject({ status: 'unreached', attempts: 2, missedInRow: 2 });
  });

  it('counts a request stored before the count existed as having missed none', async () => {
    const h = await harness({ maxAttempts: 2 });
    const { request } = await ask(h.store);
    await h.update(`REQ#${request.id}`, 'REMOVE missedInRow');
    await h.store.claim(request.id, 'alice');
    expect(await h.store.recordOutcome(request.id, 'alice', 'no-answer')).toMatchObject({ status: 'open', attempts: 1, missedInRow: 1 });
  });
});
