/**
 * What the store takes as keys and gives back as requests: ids it could not have issued are answered
 * without a read, a sender that is not a number is keyed only when it is one of bounded size, the
 * per-number secret failing is said and retried, cursors are bounded, a caller's earlier requests are
 * only ever that number's, and a request item missing later-added fields reads as having none.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestId } from '../lambdas/callbacks/dynamo-items';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { CallbackInputError, CallbackNotFoundError, CallbackStoreError, InvalidPhoneError } from '../lambdas/callbacks/store';
import { useDynalite } from './support/dynalite';
import { rejection, storeHarnesses } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-keys');

const PHONE = '+8613812345678';
const OTHER = '+8613987654321';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
let sids = 0;
const sid = (prefix = 'SM') => `${prefix}${String(++sids).padStart(32, '0')}`;

describe('request ids', () => {
  it('are answered without any read or write when the store could not have issued them', async () => {
    const h = await harness();
    const { request } = await h.store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid() });
    const before = h.sent.length;
    for (const id of ['', 'x', `x${request.id}`, `${request.id}x`, `${request.id}\n`, request.id.toUpperCase(), request.id.slice(1), 'f'.repeat(3000)]) {
      expect(await h.store.get(id), id).toBeUndefined();
      expect(await h.store.earlierRequests(id), id).toEqual([]);
      expect(await rejection(h.store.claim(id, 'alice')), id).toBeInstanceOf(CallbackNotFoundError);
      expect(await rejection(h.store.release(id, 'alice')), id).toBeInstanceOf(CallbackNotFoundError);
      expect(await rejection(h.store.recordOutcome(id, 'alice', 'reached')), id).toBeInstanceOf(CallbackNotFoundError);
    }
    expect(h.sent.slice(before)).toEqual([]);
    expect((await h.store.get(request.id))?.status).toBe('open');
  });
});

describe('per-number keys', () => {
  it('key a sender that is not a number by its words, up to 64 characters; refuse an empty one and one that is not text', async () => {
    const h = await harness();
    const longest = 'A'.repeat(64);
    expect(await h.store.consumeQuota(longest, 'sms-reply', 1, 3600)).toBe(true);
    expect(await h.store.consumeQuota(longest.toLowerCase(), 'sms-reply', 1, 3600)).toBe(false);
    const quota = await h.items('QUOTA#');
    expect(quota).toHaveLength(1);
    expect(quota[0]!.pk).toContain(sha256('a'.repeat(64)));
    for (const phone of ['A'.repeat(65), ' \t ', 13812345678 as unknown as string, undefined as unknown as string]) {
      const error = await rejection(h.store.consumeQuota(phone, 'sms-reply', 1, 3600));
      expect(error, String(phone)).toBeInstanceOf(InvalidPhoneError);
      expect(error.message).toBe('invalid phone number: empty');
      expect(await rejection(h.store.isOptedOut(phone))).toBeInstanceOf(InvalidPhoneError);
    }
    expect(await h.items('QUOTA#')).toHaveLength(1);
  });

  it('say when the secret could not be read, with the cause, and read it again next time', async () => {
    const failure = new Error('throttled');
    let reads = 0;
    const h = await harness({
      hashSecret: async () => {
        reads += 1;
        if (reads === 1) throw failure;
        return 'secret';
      },
    });
    const error = await rejection(h.store.isOptedOut(PHONE));
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect(error.message).toBe('the per-number key secret could not be read');
    expect(error.cause).toBe(failure);
    expect(await h.store.isOptedOut(PHONE)).toBe(false);
    expect(await h.store.isOptedOut(PHONE)).toBe(false);
    expect(reads).toBe(2);
  });
});

describe('requests as read back', () => {
  it('have no topics when none were given, and are stored as kind "request"', async () => {
    const h = await harness();
    const { request } = await h.store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid() });
    expect(request.topics).toEqual([]);
    expect((await h.item(`REQ#${request.id}`))?.kind).toBe('request');
  });

  it('read an item stored without later-added fields as having none of them, and no key for what is absent', async () => {
    const h = await harness();
    const id = requestId(sha256(PHONE), 0);
    const stored = {
      pk: `REQ#${id}`, kind: 'request', id, phone: PHONE, code: '2468', status: 'claimed', window: '晚上', channel: 'voice',
      createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T01:00:00.000Z', claimedBy: 'alice',
      phoneHash: sha256(PHONE), gen: 0, firstSid: 'CA1', sids: new Set(['CA1']),
    };
    await h.put(stored);
    expect(await h.store.get(id)).toStrictEqual({
      id, phone: PHONE, code: '2468', status: 'claimed', window: '晚上', topic: null, topics: [], channel: 'voice',
      repeats: 0, attempts: 0, missedInRow: 0, urgent: false, version: 0, claimedBy: 'alice',
      createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T01:00:00.000Z', history: [],
    });
    // A claim time without a holder is no claim.
    const { claimedBy: _, ...unclaimed } = stored;
    await h.put({ ...unclaimed, status: 'open', claimedAt: '2025-01-01T01:00:00.000Z' });
    expect(Object.keys((await h.store.get(id))!)).not.toContain('claimedAt');
  });
});

describe("a caller's earlier requests", () => {
  it('are only ever the same number’s, even if another number’s item were at one of its keys', async () => {
    const h = await harness();
    const first = await h.store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid() });
    await h.store.claim(first.request.id, 'alice');
    await h.store.recordOutcome(first.request.id, 'alice', 'wrong-number');
    const second = await h.store.requestCallback({ phone: PHONE, window: '晚上', channel: 'voice', sourceSid: sid('CA') });
    expect((await h.store.earlierRequests(second.request.id)).map((r) => r.id)).toEqual([first.request.id]);
    // Another number's request written where this number's generation 0 is.
    const other = await h.store.requestCallback({ phone: OTHER, window: '上午', channel: 'sms', sourceSid: sid() });
    await h.put({ ...(await h.item(`REQ#${other.request.id}`)), pk: `REQ#${first.request.id}`, id: first.request.id });
    expect(await h.store.earlierRequests(second.request.id)).toEqual([]);
  });
});

describe('queue cursors', () => {
  it('are taken up to 512 characters, and refused beyond', async () => {
    const h = await harness();
    const cursor = (length: number) => Buffer.from(JSON.stringify({ pk: 'REQ#0123456789abcdef0123', status: 'open', createdAt: '2026-12-03T02:00:00.000Z' }).padEnd(length, ' ')).toString('base64url');
    expect(cursor(384)).toHaveLength(512);
    expect(await h.store.listByStatus('open', { cursor: cursor(384) })).toEqual({ items: [] });
    const error = await rejection(h.store.listByStatus('open', { cursor: cursor(385) }));
    expect(error).toBeInstanceOf(CallbackInputError);
    expect(error.message).toBe('invalid cursor');
    const claimed = await rejection(h.store.listByStatus('claimed', { cursor: cursor(100) }));
    expect(claimed).toBeInstanceOf(CallbackInputError);
  });
});

describe('the store', () => {
  it('refuses settings that would break it', () => {
    expect(() => createDynamoCallbackStore({ client: dynamo().client, retentionDays: 0 })).toThrow(CallbackInputError);
  });
});
