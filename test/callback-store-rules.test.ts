/**
 * Store rules the lifecycle tests leave open: the per-number counters' limits and tokens, the actors
 * reserved for callers, and the bound on retries when every conditional write is refused.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { MAX_ROUNDS } from '../lambdas/callbacks/dynamo-session';
import { CallbackConflictError, CallbackInputError, CallbackNotFoundError, CallbackStoreError, InvalidPhoneError, type CallbackStore } from '../lambdas/callbacks/store';
import { createCallbackTableInput } from '../lambdas/callbacks/table';
import { useDynalite } from './support/dynalite';

const dynamo = useDynalite();
let tables = 0;
const PHONE = '+8613812345678';

async function freshStore(): Promise<CallbackStore> {
  const tableName = `rules-${++tables}`;
  await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
  return createDynamoCallbackStore({ client: dynamo().client, tableName });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('per-number counters', () => {
  it('allow exactly `limit` in a window: one with a limit of 1, none with 0', async () => {
    const store = await freshStore();
    expect(await store.consumeQuota(PHONE, 'crisis-reply', 1, 86_400)).toBe(true);
    expect(await store.consumeQuota(PHONE, 'crisis-reply', 1, 86_400)).toBe(false);
    expect(await store.recentQuota(PHONE, 'crisis-reply', 86_400)).toBe(1);
    expect(await store.consumeQuota(PHONE, 'callback', 0, 86_400)).toBe(false);
    expect(await store.recentQuota(PHONE, 'callback', 86_400)).toBe(0);
  });

  it('count a token once and answer its retry as the first delivery was answered, even past the limit', async () => {
    const store = await freshStore();
    expect(await store.consumeQuota(PHONE, 'callback', 2, 86_400, 'CA1')).toBe(true);
    expect(await store.consumeQuota(PHONE, 'callback', 2, 86_400, 'CA1')).toBe(true);
    expect(await store.recentQuota(PHONE, 'callback', 86_400)).toBe(1);
    expect(await store.consumeQuota(PHONE, 'callback', 2, 86_400, 'CA2')).toBe(true);
    expect(await store.consumeQuota(PHONE, 'callback', 2, 86_400, 'CA3')).toBe(false);
    expect(await store.consumeQuota(PHONE, 'callback', 2, 86_400, 'CA1')).toBe(true);
    expect(await store.recentQuota(PHONE, 'callback', 86_400)).toBe(2);
  });

  it('refuse a token that is not one, rather than counting without it', async () => {
    const store = await freshStore();
    for (const token of ['', '   ', '\u0000', 'x'.repeat(65)]) {
      const error = await rejection(store.consumeQuota(PHONE, 'sms-reply', 5, 3600, token));
      expect(error, JSON.stringify(token)).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe('invalid quota token');
    }
    expect(await store.recentQuota(PHONE, 'sms-reply', 3600)).toBe(0);
    expect(await store.consumeQuota(PHONE, 'sms-reply', 5, 3600, 'x'.repeat(64))).toBe(true);
  });

  it('refuse unknown kinds and limits or windows that are not whole', async () => {
    const store = await freshStore();
    await expect(store.consumeQuota(PHONE, 'other' as never, 1, 60)).rejects.toThrow('unknown quota kind');
    await expect(store.consumeQuota(PHONE, 'callback', 1.5, 60)).rejects.toThrow('limit and windowSeconds must be integers');
    await expect(store.consumeQuota(PHONE, 'callback', 1, 0)).rejects.toThrow('limit and windowSeconds must be integers');
    await expect(store.recentQuota(PHONE, 'other' as never, 60)).rejects.toThrow('unknown quota kind');
    await expect(store.recentQuota(PHONE, 'callback', 0)).rejects.toThrow('windowSeconds must be an integer');
  });
});

describe('actors reserved for callers', () => {
  it('refuse "caller" and "sms" as staff ids for every staff action', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: 'SM1' });
    for (const staff of ['caller', 'sms', '']) {
      await expect(store.claim(request.id, staff), staff).rejects.toBeInstanceOf(CallbackInputError);
      await expect(store.release(request.id, staff), staff).rejects.toBeInstanceOf(CallbackInputError);
      await expect(store.recordOutcome(request.id, staff, 'reached'), staff).rejects.toBeInstanceOf(CallbackInputError);
    }
    expect((await store.get(request.id))?.status).toBe('open');
  });
});

describe('contention', () => {
  it(`gives up after ${MAX_ROUNDS} refused writes instead of retrying for ever`, async () => {
    const store = await freshStore();
    let updates = 0;
    // Every conditional update is refused, as if another writer always got there first.
    dynamo().client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand') {
          updates += 1;
          throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', $metadata: {} });
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseEveryUpdate' },
    );
    try {
      const error = await rejection(store.requestCallback({ phone: PHONE, window: '晚上', channel: 'voice', sourceSid: 'CA1' }));
      expect(error).toBeInstanceOf(CallbackStoreError);
      expect(error.message).toBe('requestCallback: too much contention, gave up');
      expect(updates).toBe(MAX_ROUNDS);
    } finally {
      dynamo().client.middlewareStack.remove('refuseEveryUpdate');
    }
  });
});

describe('the store\'s settings and errors', () => {
  it('refuses a retention that is not positive and attempts that are not a positive whole number', () => {
    const client = dynamo().client;
    for (const retentionDays of [0, -1, Number.NaN]) {
      expect(() => createDynamoCallbackStore({ client, retentionDays }), String(retentionDays)).toThrow(new CallbackInputError('retentionDays must be positive'));
    }
    for (const maxAttempts of [0, 1.5]) {
      expect(() => createDynamoCallbackStore({ client, maxAttempts }), String(maxAttempts)).toThrow(new CallbackInputError('maxAttempts must be a positive integer'));
    }
    expect(() => createDynamoCallbackStore({ client, retentionDays: 0.5, maxAttempts: 1 })).not.toThrow();
  });

  it('writes nothing undefined: a request without a question or due time is stored and read back without them', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: 'SMbare' });
    expect(request).not.toHaveProperty('question');
    expect(request).not.toHaveProperty('due');
  });

  it('names its errors, and says what went wrong without the number', () => {
    expect(new CallbackConflictError('abc', 'stale')).toMatchObject({ name: 'CallbackConflictError', message: 'callback abc: stale', id: 'abc', reason: 'stale' });
    expect(new CallbackNotFoundError('abc')).toMatchObject({ name: 'CallbackNotFoundError', message: 'callback abc: not found' });
    expect(new InvalidPhoneError('not-mobile')).toMatchObject({ name: 'InvalidPhoneError', message: 'invalid phone number: not-mobile' });
    expect(new CallbackInputError('x').name).toBe('CallbackInputError');
    expect(new CallbackStoreError('x').name).toBe('CallbackStoreError');
  });
});

describe('listing the queue', () => {
  it('refuses an unknown status, a limit outside 1–100 and a cursor it did not issue for that status', async () => {
    const store = await freshStore();
    await expect(store.listByStatus('lost' as never)).rejects.toThrow(new CallbackInputError('unknown status'));
    for (const limit of [0, 101, 1.5]) await expect(store.listByStatus('open', { limit }), String(limit)).rejects.toThrow(new CallbackInputError('limit must be 1–100'));
    expect((await store.listByStatus('open', { limit: 100 })).items).toEqual([]);
    for (let i = 0; i < 3; i++) await store.requestCallback({ phone: `+861381234567${i}`, window: '晚上', channel: 'sms', sourceSid: `SMlist${i}` });
    const page = await store.listByStatus('open', { limit: 1 });
    expect(page.cursor).toBeDefined();
    await expect(store.listByStatus('claimed', { limit: 1, cursor: page.cursor! })).rejects.toThrow(new CallbackInputError('invalid cursor'));
    await expect(store.listByStatus('open', { limit: 1, cursor: 'x'.repeat(513) })).rejects.toThrow(new CallbackInputError('invalid cursor'));
    await expect(store.listByStatus('open', { limit: 1, cursor: 'garbage' })).rejects.toThrow(new CallbackInputError('invalid cursor'));
    expect((await store.listByStatus('open', { limit: 1, cursor: page.cursor! })).items).toHaveLength(1);
  });

  it('lists oldest first, or newest first when asked', async () => {
    let t = Date.parse('2026-03-01T08:00:00Z');
    const tableName = `rules-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    const store = createDynamoCallbackStore({ client: dynamo().client, tableName, now: () => new Date((t += 60_000)) });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await store.requestCallback({ phone: `+861391234567${i}`, window: '晚上', channel: 'sms', sourceSid: `SMorder${i}` })).request.id);
    expect((await store.listByStatus('open')).items.map((r) => r.id)).toEqual(ids);
    expect((await store.listByStatus('open', { newestFirst: true })).items.map((r) => r.id)).toEqual([...ids].reverse());
  });

  it('reads at most ten pages looking for an urgent request before answering with a cursor', async () => {
    const store = await freshStore();
    for (let i = 0; i < 12; i++) await store.requestCallback({ phone: `+86137123456${String(i).padStart(2, '0')}`, window: '晚上', channel: 'sms', sourceSid: `SMplain${i}` });
    let queries = 0;
    dynamo().client.middlewareStack.add((next, context) => async (args) => (context.commandName === 'QueryCommand' && (queries += 1), next(args)), { step: 'initialize', name: 'countQueries' });
    try {
      const page = await store.listByStatus('open', { limit: 1, urgentOnly: true });
      expect(page.items).toEqual([]);
      expect(page.cursor).toBeDefined();
      expect(queries).toBe(10);
    } finally {
      dynamo().client.middlewareStack.remove('countQueries');
    }
  });
});

describe('what a texter asked lately', () => {
  it('keeps topics, words or both for two hours, and nothing when there is neither', async () => {
    let t = Date.parse('2026-03-01T08:00:00Z');
    const tableName = `rules-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    const store = createDynamoCallbackStore({ client: dynamo().client, tableName, now: () => new Date(t) });
    await store.rememberQuestion('+8613812340001', [], undefined);
    expect(await store.recentQuestion('+8613812340001')).toBeUndefined();
    await store.rememberQuestion('+8613812340002', ['negotiate'], undefined);
    expect(await store.recentQuestion('+8613812340002')).toEqual({ topics: ['negotiate'], at: '2026-03-01T08:00:00.000Z' });
    await store.rememberQuestion('+8613812340003', [], '怎么办');
    expect(await store.recentQuestion('+8613812340003')).toEqual({ topics: [], question: '怎么办', at: '2026-03-01T08:00:00.000Z' });
    t += 2 * 3600_000 - 1000;
    expect(await store.recentQuestion('+8613812340003')).toBeDefined();
    t += 1000;
    expect(await store.recentQuestion('+8613812340003')).toBeUndefined();
  });
});
