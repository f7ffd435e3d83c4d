import { createHash, createHmac } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { isSpeakableCode } from '../lambdas/callbacks/reference-code';
import {
  CallbackConflictError,
  CallbackInputError,
  CallbackStoreError,
  InvalidPhoneError,
  type CallbackStore,
} from '../lambdas/callbacks/store';
import { createCallbackTableInput } from '../lambdas/callbacks/table';
import { manualClock as movableClock } from './support/clock';
import { startDynalite, useDynalite } from './support/dynalite';

const dynamo = useDynalite();
let tables = 0;

const manualClock = (start = Date.parse('2025-03-01T08:00:00Z')) => movableClock(start);

/** A store on a table of its own, so listings see only this test's requests. */
async function freshStore(options: { now?: () => Date; retentionDays?: number } = {}): Promise<CallbackStore> {
  const tableName = `callbacks-${++tables}`;
  await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
  return createDynamoCallbackStore({ client: dynamo().client, tableName, ...options });
}

let sidCounter = 0;
const sid = (prefix = 'CA') => `${prefix}${String(++sidCounter).padStart(32, '0')}`;
const PHONE = '13812345678';
const E164 = '+8613812345678';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('requestCallback', () => {
  it('creates an open request with a speakable code and a first history entry', async () => {
    const store = await freshStore();
    const result = await store.requestCallback({ phone: PHONE, window: 'evening', topic: 'negotiate', channel: 'voice', sourceSid: sid() });
    expect(result.created).toBe(true);
    expect(result.replayed).toBe(false);
    const { request } = result;
    expect(request).toMatchObject({ phone: E164, status: 'open', window: 'evening', topic: 'negotiate', channel: 'voice', repeats: 0, attempts: 0, version: 1 });
    expect(isSpeakableCode(request.code)).toBe(true);
    expect(request.history).toEqual([{ at: request.createdAt, by: 'caller', action: 'requested', detail: 'voice window=evening topic=negotiate' }]);
    expect(await store.get(request.id)).toEqual(request);
  });

  it('updates the open request when the number asks again instead of duplicating it', async () => {
    const store = await freshStore();
    const first = await store.requestCallback({ phone: PHONE, window: 'morning', topic: 'evidence', channel: 'voice', sourceSid: sid() });
    const again = await store.requestCallback({ phone: '+86 138 1234 5678', window: 'evening', topic: null, channel: 'sms', sourceSid: sid('SM') });
    expect(again.created).toBe(false);
    expect(again.replayed).toBe(false);
    // A repeat without a topic keeps the topic the caller came from.
    expect(again.request).toMatchObject({ id: first.request.id, code: first.request.code, window: 'morning', topic: 'evidence', repeats: 1, version: 2, channel: 'voice' });
    expect(again.request.history.map((h) => h.by)).toEqual(['caller', 'sms']);
    const open = await store.listByStatus('open');
    expect(open.items.map((r) => r.id)).toEqual([first.request.id]);
  });

  it('returns the same result and code when the same sid is replayed', async () => {
    const store = await freshStore();
    const callSid = sid();
    const first = await store.requestCallback({ phone: PHONE, window: 'afternoon', channel: 'voice', sourceSid: callSid });
    const replay = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: callSid });
    expect(replay).toEqual({ request: first.request, created: true, replayed: true });

    const repeat = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'sms', sourceSid: sid('SM') });
    const repeatSid = sid('SM');
    const counted = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: repeatSid });
    const countedReplay = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: repeatSid });
    expect(repeat.request.repeats).toBe(1);
    expect(countedReplay).toEqual({ request: counted.request, created: false, replayed: true });
    expect(countedReplay.request.code).toBe(first.request.code);
  });

  it('creates one request from 20 concurrent deliveries of the same sid', async () => {
    const store = await freshStore();
    const callSid = sid();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: callSid })),
    );
    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.request.code)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.every((r) => r.created)).toBe(true);
    const stored = await store.get(results[0]!.request.id);
    expect(stored).toMatchObject({ repeats: 0, version: 1 });
    expect(stored?.history).toHaveLength(1);
    expect((await store.listByStatus('open')).items).toHaveLength(1);
  });

  it('keeps one request with 19 repeats after 20 concurrent requests with different sids', async () => {
    const store = await freshStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.requestCallback({ phone: PHONE, window: `w${i}`, channel: i % 2 ? 'sms' : 'voice', sourceSid: sid() })),
    );
    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.some((r) => r.replayed)).toBe(false);
    const stored = await store.get(results[0]!.request.id);
    expect(stored).toMatchObject({ repeats: 19, version: 20 });
    expect(stored?.history).toHaveLength(20);
    expect((await store.listByStatus('open')).items).toHaveLength(1);
  });

  it('refuses an invalid number without echoing it', async () => {
    const store = await freshStore();
    const error = await rejection(store.requestCallback({ phone: '12345', window: 'evening', channel: 'voice', sourceSid: sid() }));
    expect(error).toBeInstanceOf(InvalidPhoneError);
    expect((error as Error).message).not.toContain('12345');
    expect(await rejection(store.requestCallback({ phone: PHONE, window: '', channel: 'voice', sourceSid: sid() }))).toBeInstanceOf(CallbackInputError);
    expect(await rejection(store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: '' }))).toBeInstanceOf(CallbackInputError);
  });
});

describe('urgent requests', () => {
  /** Writes items directly, as older code (or a full item) would have left them. */
  const raw = () => DynamoDBDocumentClient.from(dynamo().client);

  it('creates an urgent request, says so in its history, and leaves other requests not urgent', async () => {
    const store = await freshStore();
    const urgent = await store.requestCallback({ phone: PHONE, window: 'evening', topic: 'crisis', channel: 'voice', sourceSid: sid(), urgent: true });
    expect(urgent.request).toMatchObject({ urgent: true, status: 'open', repeats: 0, version: 1 });
    expect(urgent.request.history).toEqual([{ at: urgent.request.createdAt, by: 'caller', action: 'requested', detail: 'voice urgent window=evening topic=crisis' }]);
    expect(await store.get(urgent.request.id)).toEqual(urgent.request);
    const plain = await store.requestCallback({ phone: '13812340101', window: 'evening', channel: 'sms', sourceSid: sid('SM') });
    expect(plain.request.urgent).toBe(false);
    expect(plain.request.history[0]!.detail).not.toContain('urgent');
    const falseFlag = await store.requestCallback({ phone: '13812340102', window: 'evening', channel: 'sms', sourceSid: sid('SM'), urgent: false });
    expect(falseFlag.request.urgent).toBe(false);
  });

  it('makes the open request urgent when the number asks again in crisis, keeping its id, code and window', async () => {
    const store = await freshStore();
    const first = await store.requestCallback({ phone: PHONE, window: 'morning', topic: 'negotiate', channel: 'voice', sourceSid: sid() });
    expect(first.request.urgent).toBe(false);
    const again = await store.requestCallback({ phone: PHONE, window: 'morning', topic: 'crisis', channel: 'sms', sourceSid: sid('SM'), urgent: true });
    expect(again).toMatchObject({ created: false, replayed: false });
    expect(again.request).toMatchObject({ id: first.request.id, code: first.request.code, urgent: true, repeats: 1, version: 2, window: 'morning', topic: 'crisis' });
    expect(again.request.history.map((h) => h.detail)).toEqual(['voice window=morning topic=negotiate', 'sms urgent window=morning topic=crisis']);
    expect((await store.listByStatus('open')).items.map((r) => [r.id, r.urgent])).toEqual([[first.request.id, true]]);
  });

  it('never clears the flag: a later ask without it keeps the request urgent', async () => {
    const store = await freshStore();
    const first = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'sms', sourceSid: sid('SM'), urgent: true });
    const plain = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'voice', sourceSid: sid() });
    const explicit = await store.requestCallback({ phone: PHONE, window: 'afternoon', channel: 'sms', sourceSid: sid('SM'), urgent: false });
    expect(plain.request).toMatchObject({ id: first.request.id, urgent: true, repeats: 1 });
    // The time is set by the ask that created the request: no repeat changes it.
    expect(explicit.request).toMatchObject({ id: first.request.id, urgent: true, repeats: 2, window: 'evening' });
    expect(explicit.request.history.map((h) => h.detail?.includes('urgent'))).toEqual([true, false, false]);
  });

  it('stays idempotent for a replayed sid, whatever flag the replay carries', async () => {
    const store = await freshStore();
    const urgentSid = sid();
    const first = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: urgentSid, urgent: true });
    expect(await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: urgentSid, urgent: true })).toEqual({ request: first.request, created: true, replayed: true });
    expect(await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: urgentSid })).toEqual({ request: first.request, created: true, replayed: true });

    // A sid applied without the flag is not turned into an urgent ask by a replay of it.
    const other = await freshStore();
    const plainSid = sid('SM');
    const plain = await other.requestCallback({ phone: PHONE, window: 'evening', channel: 'sms', sourceSid: plainSid });
    const replay = await other.requestCallback({ phone: PHONE, window: 'evening', channel: 'sms', sourceSid: plainSid, urgent: true });
    expect(replay).toEqual({ request: plain.request, created: true, replayed: true });
    expect((await other.get(plain.request.id))).toMatchObject({ urgent: false, version: 1 });
  });

  it('stays urgent through claim, release, no answer and back to the queue; the next request after closing starts plain', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid(), urgent: true });
    expect(await store.claim(request.id, 'staff-a')).toMatchObject({ status: 'claimed', urgent: true });
    expect((await store.listByStatus('claimed')).items.map((r) => r.urgent)).toEqual([true]);
    expect(await store.release(request.id, 'staff-a')).toMatchObject({ status: 'open', urgent: true });
    await store.claim(request.id, 'staff-b');
    expect(await store.recordOutcome(request.id, 'staff-b', 'no-answer', '关机')).toMatchObject({ status: 'open', attempts: 1, urgent: true });
    expect((await store.listByStatus('open')).items.map((r) => [r.id, r.urgent])).toEqual([[request.id, true]]);
    // The caller asks again without the flag while it waits: still urgent, same request.
    const again = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM') });
    expect(again.request).toMatchObject({ id: request.id, urgent: true, attempts: 1 });
    await store.claim(request.id, 'staff-a');
    const done = await store.recordOutcome(request.id, 'staff-a', 'reached');
    expect(done).toMatchObject({ status: 'done', urgent: true });

    const next = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM') });
    expect(next.request.id).not.toBe(request.id);
    expect(next.request.urgent).toBe(false);
  });

  it('ends urgent when urgent and plain asks from one number race, in any order, new or open', async () => {
    for (let round = 0; round < 4; round++) {
      const store = await freshStore();
      const phone = `1381234020${round}`;
      if (round % 2) await store.requestCallback({ phone, window: 'evening', channel: 'voice', sourceSid: sid() });
      const urgentAt = round * 3;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.requestCallback({ phone, window: `w${i}`, channel: i % 2 ? 'sms' : 'voice', sourceSid: sid(), urgent: i === urgentAt })),
      );
      expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
      const stored = await store.get(results[0]!.request.id);
      expect(stored).toMatchObject({ urgent: true, repeats: round % 2 ? 12 : 11 });
      expect(stored!.history.filter((h) => h.detail?.includes('urgent'))).toHaveLength(1);
    }
  });

  it('reads requests stored before the flag as not urgent, and marks them when asked in crisis', async () => {
    const tableName = `callbacks-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    const store = createDynamoCallbackStore({ client: dynamo().client, tableName });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    await raw().send(new UpdateCommand({ TableName: tableName, Key: { pk: `REQ#${request.id}` }, UpdateExpression: 'REMOVE urgent' }));
    expect((await store.get(request.id))!.urgent).toBe(false);
    expect((await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'sms', sourceSid: sid('SM') })).request.urgent).toBe(false);
    expect((await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'sms', sourceSid: sid('SM'), urgent: true })).request.urgent).toBe(true);
  });

  it('takes the urgent ask even when the request has taken all the repeats it keeps', async () => {
    const tableName = `callbacks-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    const store = createDynamoCallbackStore({ client: dynamo().client, tableName });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    await raw().send(new UpdateCommand({ TableName: tableName, Key: { pk: `REQ#${request.id}` }, UpdateExpression: 'SET requestCount = :full', ExpressionAttributeValues: { ':full': 500 } }));
    const plain = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM') });
    expect(plain.request).toMatchObject({ urgent: false, window: 'evening', version: 1 });
    const urgent = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM'), urgent: true });
    expect(urgent.request).toMatchObject({ id: request.id, urgent: true, version: 2 });
    const after = await store.requestCallback({ phone: PHONE, window: 'afternoon', channel: 'sms', sourceSid: sid('SM'), urgent: true });
    expect(after.request).toMatchObject({ urgent: true, version: 2 });
  });

  it('lists only urgent requests with urgentOnly, following the cursor past pages without any', async () => {
    const clock = manualClock();
    const store = await freshStore({ now: clock.now });
    const urgentIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(60_000);
      const { request } = await store.requestCallback({ phone: `1381234030${i}`, window: 'evening', channel: 'voice', sourceSid: sid(), urgent: i === 4 || i === 6 });
      if (request.urgent) urgentIds.push(request.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const page = await store.listByStatus('open', { limit: 1, urgentOnly: true, ...(cursor ? { cursor } : {}) });
      expect(page.items.every((r) => r.urgent)).toBe(true);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.cursor;
      calls++;
    } while (cursor && calls < 20);
    expect(seen).toEqual(urgentIds);
    // The first call read past the four plain requests at its head instead of answering with an empty page.
    expect((await store.listByStatus('open', { limit: 1, urgentOnly: true })).items.map((r) => r.id)).toEqual([urgentIds[0]]);
    expect((await store.listByStatus('done', { urgentOnly: true })).items).toEqual([]);
  });
});

describe('per-number keys', () => {
  it('are an HMAC with the secret, not a hash anyone can recompute from the number', async () => {
    const tableName = `callbacks-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    let reads = 0;
    const store = createDynamoCallbackStore({
      client: dynamo().client,
      tableName,
      // Fails once (a Secrets Manager hiccup), then answers: the failure is not cached.
      hashSecret: async () => {
        if (++reads === 1) throw new Error('throttled');
        return 'test-secret';
      },
    });
    expect(await rejection(store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() }))).toBeInstanceOf(CallbackStoreError);
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    expect(reads).toBe(2);
    const plain = createHash('sha256').update(E164).digest('hex');
    const keyed = createHmac('sha256', 'test-secret').update(E164).digest('hex');
    const doc = DynamoDBDocumentClient.from(dynamo().client);
    await store.consumeQuota(PHONE, 'callback', 3, 86_400);
    const stored = JSON.stringify((await doc.send(new ScanCommand({ TableName: tableName }))).Items);
    expect(stored).toContain(keyed);
    expect(stored).not.toContain(plain);
    expect(stored).not.toContain(createHash('sha256').update(E164).digest('hex').slice(0, 20));
    expect((await store.findPending(PHONE))?.id).toBe(request.id);
    expect(reads).toBe(2);
  });
});

describe('findPending', () => {
  it("finds the number's open or claimed request, and nothing once it is done", async () => {
    const store = await freshStore();
    expect(await store.findPending('13812340001')).toBeUndefined();
    const { request } = await store.requestCallback({ phone: '13812340001', window: '上午', channel: 'sms', sourceSid: 'SMpend1' });
    expect((await store.findPending('+8613812340001'))?.id).toBe(request.id);
    await store.claim(request.id, 'alice');
    expect((await store.findPending('138 1234 0001'))?.status).toBe('claimed');
    await store.recordOutcome(request.id, 'alice', 'reached');
    expect(await store.findPending('13812340001')).toBeUndefined();
    expect(await store.findPending('not a number')).toBeUndefined();
  });
});

describe('claim lease', () => {
  it('lets another staff member take over a claim older than the lease, and not before', async () => {
    const clock = manualClock();
    const store = await freshStore({ now: clock.now });
    const { request } = await store.requestCallback({ phone: '13812340002', window: '上午', channel: 'sms', sourceSid: 'SMlease1' });
    await store.claim(request.id, 'alice');
    clock.advance(119 * 60_000);
    expect(await rejection(store.claim(request.id, 'bob'))).toMatchObject({ reason: 'claimed-by-other' });
    clock.advance(2 * 60_000);
    const taken = await store.claim(request.id, 'bob');
    expect(taken).toMatchObject({ status: 'claimed', claimedBy: 'bob', claimedAt: clock.now().toISOString() });
    // The old holder can no longer act on it.
    expect(await rejection(store.recordOutcome(request.id, 'alice', 'reached'))).toMatchObject({ reason: 'claimed-by-other' });
    expect((await store.get(request.id))!.history.filter((h) => h.action === 'claimed').map((h) => h.by)).toEqual(['alice', 'bob']);
  });
});

describe('staff actions', () => {
  it('lets exactly one of two concurrent claims win', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    const outcomes = await Promise.allSettled([store.claim(request.id, 'staff-a'), store.claim(request.id, 'staff-b')]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(CallbackConflictError);
    expect((lost[0]!.reason as CallbackConflictError).reason).toBe('claimed-by-other');
    const stored = await store.get(request.id);
    expect(stored?.status).toBe('claimed');
    expect(stored?.history.filter((h) => h.action === 'claimed')).toHaveLength(1);
    expect((await store.listByStatus('claimed')).items.map((r) => r.id)).toEqual([request.id]);
    expect((await store.listByStatus('open')).items).toEqual([]);
  });

  it('refuses an outcome or a release by someone who does not hold the claim', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    const unclaimed = await rejection(store.recordOutcome(request.id, 'staff-a', 'reached'));
    expect(unclaimed).toMatchObject({ name: 'CallbackConflictError', reason: 'not-claimed' });
    await store.claim(request.id, 'staff-a');
    expect(await rejection(store.recordOutcome(request.id, 'staff-b', 'reached'))).toMatchObject({ reason: 'claimed-by-other' });
    expect(await rejection(store.release(request.id, 'staff-b'))).toMatchObject({ reason: 'claimed-by-other' });
    expect(await rejection(store.claim('0123456789abcdef0123', 'staff-a'))).toMatchObject({ name: 'CallbackNotFoundError' });
    const released = await store.release(request.id, 'staff-a');
    expect(released).toMatchObject({ status: 'open', version: 3 });
    expect(released.claimedBy).toBeUndefined();
  });

  it('puts a request back in the queue after no answer with attempts 1', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    await store.claim(request.id, 'staff-a');
    const after = await store.recordOutcome(request.id, 'staff-a', 'no-answer', 'rang 10 times');
    expect(after).toMatchObject({ status: 'open', attempts: 1, note: 'rang 10 times', version: 3 });
    expect(after.claimedBy).toBeUndefined();
    expect(after.expiresAt).toBeUndefined();
    expect(after.history.at(-1)).toMatchObject({ by: 'staff-a', action: 'outcome', detail: 'no-answer: rang 10 times' });
    expect((await store.listByStatus('open')).items.map((r) => r.id)).toEqual([request.id]);
    // The caller asking again now still updates the same request.
    const again = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM') });
    expect(again.request).toMatchObject({ id: request.id, attempts: 1, repeats: 1 });
  });

  it('closes a reached request with a TTL and full history, and frees the number for a new request', async () => {
    const clock = manualClock();
    const store = await freshStore({ now: clock.now, retentionDays: 7 });
    const firstSid = sid();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', topic: 'report-police', channel: 'voice', sourceSid: firstSid });
    clock.advance(60_000);
    await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM') });
    clock.advance(60_000);
    await store.claim(request.id, 'staff-a');
    clock.advance(60_000);
    await store.recordOutcome(request.id, 'staff-a', 'no-answer');
    clock.advance(60_000);
    await store.claim(request.id, 'staff-b');
    clock.advance(60_000);
    const done = await store.recordOutcome(request.id, 'staff-b', 'reached', 'advised to report');
    expect(done).toMatchObject({ status: 'done', outcome: 'reached', closedBy: 'staff-b', attempts: 1, repeats: 1, version: 6 });
    expect(done.expiresAt).toBe(Math.floor(clock.ms / 1000) + 7 * 86_400);
    expect(done.history.map((h) => [h.by, h.action])).toEqual([
      ['caller', 'requested'],
      ['sms', 'requested'],
      ['staff-a', 'claimed'],
      ['staff-a', 'outcome'],
      ['staff-b', 'claimed'],
      ['staff-b', 'outcome'],
    ]);
    expect(new Set(done.history.map((h) => h.at)).size).toBe(6);
    expect(await rejection(store.claim(request.id, 'staff-a'))).toMatchObject({ reason: 'closed' });

    const next = await store.requestCallback({ phone: E164, window: 'afternoon', channel: 'voice', sourceSid: sid() });
    expect(next.created).toBe(true);
    expect(next.request.id).not.toBe(request.id);
    expect(next.request).toMatchObject({ status: 'open', repeats: 0, attempts: 0, version: 1 });
    // A late replay of the first call still gets the first (closed) request, not a third one.
    const late = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: firstSid });
    expect(late).toMatchObject({ replayed: true, created: true, request: { id: request.id, status: 'done', code: request.code } });
    expect((await store.listByStatus('open')).items.map((r) => r.id)).toEqual([next.request.id]);
  });

  it('frees the number even when the generation step after closing was lost', async () => {
    const tableName = `callbacks-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    const store = createDynamoCallbackStore({ client: dynamo().client, tableName });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    await store.claim(request.id, 'staff-a');
    await store.recordOutcome(request.id, 'staff-a', 'wrong-number');
    // Simulate a crash between closing the request and advancing the number's generation.
    const hash = createHash('sha256').update(E164).digest('hex');
    await DynamoDBDocumentClient.from(dynamo().client).send(
      new UpdateCommand({ TableName: tableName, Key: { pk: `PHONE#${hash}` }, UpdateExpression: 'SET gen = :zero REMOVE prevSids, prevGen', ExpressionAttributeValues: { ':zero': 0 } }),
    );
    const next = await store.requestCallback({ phone: PHONE, window: 'morning', channel: 'sms', sourceSid: sid('SM') });
    expect(next.created).toBe(true);
    expect(next.request.id).not.toBe(request.id);
    expect((await store.get(request.id))?.status).toBe('done');
  });

  it('refuses a write made with a stale version', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    const claimed = await store.claim(request.id, 'staff-a', request.version);
    expect(claimed.version).toBe(2);
    // The caller asks again (with a question) while staff look at version 2; the time stays as first set.
    await store.requestCallback({ phone: PHONE, window: 'morning', question: '还能打吗', channel: 'sms', sourceSid: sid('SM') });
    const stale = await rejection(store.recordOutcome(request.id, 'staff-a', 'reached', undefined, claimed.version));
    expect(stale).toBeInstanceOf(CallbackConflictError);
    expect(stale).toMatchObject({ reason: 'stale', current: { version: 3, window: 'evening', question: '还能打吗', repeats: 1 } });
    expect((await store.get(request.id))?.status).toBe('claimed');
    expect(await store.recordOutcome(request.id, 'staff-a', 'reached', undefined, 3)).toMatchObject({ status: 'done', version: 4 });
  });
});

describe('listByStatus', () => {
  it('lists open requests oldest first, page by page with a cursor', async () => {
    const clock = manualClock();
    const store = await freshStore({ now: clock.now });
    // Created in an order different from their times, to show the index sorts by createdAt.
    const minutes = [30, 10, 50, 20, 40];
    const ids = new Map<number, string>();
    for (const [i, m] of minutes.entries()) {
      clock.set(Date.parse('2025-03-01T08:00:00Z') + m * 60_000);
      const { request } = await store.requestCallback({ phone: `1381234560${i}`, window: 'evening', channel: 'voice', sourceSid: sid() });
      ids.set(m, request.id);
    }
    await store.claim(ids.get(20)!, 'staff-a');

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listByStatus('open', { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([10, 30, 40, 50].map((m) => ids.get(m)));
    expect(pages).toBeGreaterThanOrEqual(2);
    expect((await store.listByStatus('claimed')).items.map((r) => r.id)).toEqual([ids.get(20)]);

    expect(await rejection(store.listByStatus('open', { cursor: 'not-a-cursor' }))).toBeInstanceOf(CallbackInputError);
    expect(await rejection(store.listByStatus('open', { limit: 0 }))).toBeInstanceOf(CallbackInputError);
  });
});

describe('opt-out and quotas', () => {
  it('records an opt-out and then an opt-in, whatever the number format', async () => {
    const store = await freshStore();
    expect(await store.isOptedOut(E164)).toBe(false);
    await store.setOptOut(E164, true);
    expect(await store.isOptedOut(PHONE)).toBe(true);
    expect(await store.isOptedOut('+8613900000000')).toBe(false);
    await store.setOptOut('0086 138 1234 5678', false);
    expect(await store.isOptedOut(E164)).toBe(false);
  });

  it('applies each sid once, also after the remembered sids fill up', async () => {
    const store = await freshStore();
    await store.setOptOut(E164, false, 'SMstart-old');
    await store.setOptOut(E164, true, 'SMstop-new');
    await store.setOptOut(E164, false, 'SMstart-old');
    expect(await store.isOptedOut(E164)).toBe(true);
    for (let i = 0; i < 60; i++) await store.setOptOut(E164, i % 2 === 0, `SMfill${i}`);
    expect(await store.isOptedOut(E164)).toBe(false);
    await store.setOptOut(E164, true, 'SMfill59');
    expect(await store.isOptedOut(E164)).toBe(false);
    await store.setOptOut(E164, true, 'SMafter');
    expect(await store.isOptedOut(E164)).toBe(true);
  });

  it('keeps the opt-out when the number has a request closed', async () => {
    const store = await freshStore();
    await store.setOptOut(E164, true);
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    await store.claim(request.id, 'staff-a');
    await store.recordOutcome(request.id, 'staff-a', 'declined');
    expect(await store.isOptedOut(E164)).toBe(true);
  });

  it('allows N in a window, then refuses until the next window', async () => {
    const clock = manualClock(Date.parse('2025-03-01T08:00:10Z'));
    const store = await freshStore({ now: clock.now });
    const allowed = [];
    for (let i = 0; i < 5; i++) allowed.push(await store.consumeQuota(E164, 'sms-reply', 3, 3600));
    expect(allowed).toEqual([true, true, true, false, false]);
    expect(await store.consumeQuota(E164, 'callback', 3, 3600)).toBe(true);
    expect(await store.consumeQuota('+8613900000000', 'sms-reply', 3, 3600)).toBe(true);
    expect(await store.consumeQuota(E164, 'sms-reply', 0, 3600)).toBe(false);
    clock.advance(3600_000);
    expect(await store.consumeQuota(PHONE, 'sms-reply', 3, 3600)).toBe(true);
  });

  it('counts a retried delivery with the same token once and repeats its answer', async () => {
    const store = await freshStore();
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => store.consumeQuota(E164, 'callback', 3, 86_400, 'SMretried')));
    expect(concurrent.every(Boolean)).toBe(true);
    expect(await store.consumeQuota(E164, 'callback', 3, 86_400, 'SMsecond')).toBe(true);
    expect(await store.consumeQuota(E164, 'callback', 3, 86_400, 'SMthird')).toBe(true);
    expect(await store.consumeQuota(E164, 'callback', 3, 86_400, 'SMfourth')).toBe(false);
    expect(await store.consumeQuota(E164, 'callback', 3, 86_400, 'SMfourth')).toBe(false);
    expect(await store.consumeQuota(E164, 'callback', 3, 86_400, 'SMretried')).toBe(true);
  });

  it('says how many a number consumed in the current window, without counting', async () => {
    const clock = manualClock(Date.parse('2025-03-01T08:00:10Z'));
    const store = await freshStore({ now: clock.now });
    expect(await store.recentQuota(E164, 'crisis-reply', 86_400)).toBe(0);
    expect(await store.consumeQuota(PHONE, 'crisis-reply', 10, 86_400, 'SMcrisis1')).toBe(true);
    expect(await store.consumeQuota(E164, 'crisis-reply', 10, 86_400, 'SMcrisis1')).toBe(true);
    expect(await store.recentQuota(E164, 'crisis-reply', 86_400)).toBe(1);
    expect(await store.recentQuota(E164, 'crisis-reply', 86_400)).toBe(1);
    expect(await store.recentQuota(E164, 'callback', 86_400)).toBe(0);
    expect(await store.recentQuota('+8613900000000', 'crisis-reply', 86_400)).toBe(0);
    clock.advance(86_400_000);
    expect(await store.recentQuota(E164, 'crisis-reply', 86_400)).toBe(0);
    expect(await rejection(store.recentQuota(E164, 'other' as never, 86_400))).toBeInstanceOf(CallbackInputError);
  });

  it('admits exactly the limit under concurrency', async () => {
    const store = await freshStore();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.consumeQuota(E164, 'callback', 5, 86_400)));
    expect(results.filter(Boolean)).toHaveLength(5);
  });
});

describe('failure', () => {
  it('fails fast with CallbackStoreError when the database is gone', async () => {
    const local = await startDynalite('callbacks-gone');
    const store = createDynamoCallbackStore({ client: local.client, tableName: 'callbacks-gone' });
    await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    const endpoint = local.endpoint;
    await local.stop();
    // A fresh client (the stopped one is destroyed) pointing at the dead port.
    const client = createDynamoClient({ endpoint });
    const dead = createDynamoCallbackStore({ client, tableName: 'callbacks-gone' });
    const error = await rejection(dead.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() }));
    client.destroy();
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect((error as Error).message).not.toMatch(/138\d{8}/);
  });

  it('gives up at its own deadline when the database accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
    const client = createDynamoClient({ endpoint: `http://127.0.0.1:${(hung.address() as AddressInfo).port}` });
    // A deadline shorter than the SDK's request timeout: the store's own signal, not the SDK, ends the call.
    const store = createDynamoCallbackStore({ client, tableName: 'callbacks-hung', operationTimeoutMs: 500 });
    const error = await rejection(store.isOptedOut(E164));
    client.destroy();
    const attempts = sockets.size;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect((error as Error).message).toContain('AbortError');
    expect(attempts).toBe(1);
  });
});
