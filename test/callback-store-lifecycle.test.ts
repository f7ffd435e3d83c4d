/**
 * The request's life beyond create/claim/close: the time promised and the context staff see, the
 * time named later by SMS, 未接通 after missed calls, per-number items that expire, and a webhook's
 * deadline that cancels storage calls. Real DynamoDB client against dynalite.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { RECENT_QUESTION_SECONDS } from '../lambdas/callbacks/dynamo-recent';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { CallbackStoreError, type CallbackStore } from '../lambdas/callbacks/store';
import { createCallbackTableInput } from '../lambdas/callbacks/table';
import { cleanQuestion } from '../lambdas/callbacks/text-cleaning';
import { manualClock as movableClock } from './support/clock';
import { useDynalite } from './support/dynalite';

const dynamo = useDynalite();
let tables = 0;

const manualClock = (start = Date.parse('2026-12-03T02:00:00Z')) => movableClock(start);

async function freshStore(options: { now?: () => Date; maxAttempts?: number; retentionDays?: number } = {}): Promise<{ store: CallbackStore; items: () => Promise<Record<string, unknown>[]> }> {
  const tableName = `lifecycle-${++tables}`;
  await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
  const doc = DynamoDBDocumentClient.from(dynamo().client);
  return {
    store: createDynamoCallbackStore({ client: dynamo().client, tableName, hashSecret: 'test-secret', ...options }),
    items: async () => ((await doc.send(new ScanCommand({ TableName: tableName }))).Items ?? []) as Record<string, unknown>[],
  };
}

let sidCounter = 0;
const sid = (prefix = 'CA') => `${prefix}${String(++sidCounter).padStart(32, '0')}`;
const PHONE = '+8613812345678';
const EVENING = { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z' };
const MORNING = { from: '2026-12-04T01:00:00.000Z', until: '2026-12-04T04:00:00.000Z' };

describe('the promise and the context', () => {
  it('keeps the first ask\'s time, due slot and number source; gathers topics; keeps the latest question, masked', async () => {
    const { store } = await freshStore();
    const first = await store.requestCallback({
      phone: PHONE, window: '今天晚上七点到九点', due: EVENING, topic: 'negotiate', topics: ['threats'], question: '催收打给我同事 13912345678，能报警吗',
      channel: 'sms', numberSource: 'sms-sender', sourceSid: sid('SM'),
    });
    expect(first.request).toMatchObject({
      window: '今天晚上七点到九点', due: EVENING, topic: 'negotiate', topics: ['negotiate', 'threats'], numberSource: 'sms-sender', repeats: 0, missedInRow: 0,
    });
    expect(first.request.question).toBe('催收打给我同事 ***********，能报警吗');
    // A collector keys in the victim's number: nothing the first ask set changes, and the source stays.
    const again = await store.requestCallback({ phone: PHONE, window: '明天上午', due: MORNING, topic: 'lawsuit', question: '起诉', channel: 'voice', numberSource: 'keyed-in', sourceSid: sid() });
    expect(again.created).toBe(false);
    expect(again.request).toMatchObject({ window: '今天晚上七点到九点', due: EVENING, numberSource: 'sms-sender', topic: 'lawsuit', topics: ['lawsuit', 'negotiate', 'threats'], question: '起诉', repeats: 1 });
    expect(again.request.history.at(-1)?.detail).toContain('via=keyed-in');
  });

  it('cuts a long question to 140 characters and masks every run of five digits or more', () => {
    expect(cleanQuestion('欠了3000元，身份证 110101 19900101 1234，卡号6222-0200-1234')).toBe('欠了3000元，身份证 ****** ******** ****，卡号****-****-****');
    const long = cleanQuestion('我'.repeat(500))!;
    expect(long).toHaveLength(140);
    expect(long.endsWith('…')).toBe(true);
    expect(cleanQuestion(' \n\t ')).toBeUndefined();
  });

  it('refuses a due slot that ends before it starts', async () => {
    const { store } = await freshStore();
    await expect(store.requestCallback({ phone: PHONE, window: 'x', due: { from: EVENING.until, until: EVENING.from }, channel: 'sms', sourceSid: sid('SM') })).rejects.toThrow('due must be');
  });
});

describe('setWindow: a time named after 回电 alone', () => {
  it('sets the time once, without counting a repeat; a retried delivery is a replay; a second time is refused', async () => {
    const { store } = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: '今天晚上九点以前', due: EVENING, windowPending: true, channel: 'sms', sourceSid: sid('SM') });
    expect(request.windowPending).toBe(true);
    const followUp = sid('SM');
    const set = await store.setWindow({ phone: PHONE, window: '明天上午九点到十二点', due: MORNING, sourceSid: followUp });
    expect(set).toMatchObject({ id: request.id, code: request.code, window: '明天上午九点到十二点', due: MORNING, repeats: 0 });
    expect(set?.windowPending).toBeUndefined();
    expect(set?.history.map((h) => h.action)).toEqual(['requested', 'window']);
    expect(await store.setWindow({ phone: PHONE, window: '明天上午九点到十二点', due: MORNING, sourceSid: followUp })).toMatchObject({ id: request.id, version: set!.version });
    expect(await store.setWindow({ phone: PHONE, window: '今天晚上', due: EVENING, sourceSid: sid('SM') })).toBeUndefined();
    // A repeat 回电 cannot make the time pending again.
    const repeat = await store.requestCallback({ phone: PHONE, window: 'x', due: EVENING, windowPending: true, channel: 'sms', sourceSid: sid('SM') });
    expect(repeat.request.windowPending).toBeUndefined();
    expect(await store.setWindow({ phone: PHONE, window: '今天晚上', due: EVENING, sourceSid: sid('SM') })).toBeUndefined();
  });

  it('does nothing for a request made with a time, or for a number without a request', async () => {
    const { store } = await freshStore();
    expect(await store.setWindow({ phone: PHONE, window: '明天上午', due: MORNING, sourceSid: sid('SM') })).toBeUndefined();
    await store.requestCallback({ phone: PHONE, window: '今天晚上七点到九点', due: EVENING, channel: 'sms', sourceSid: sid('SM') });
    expect(await store.setWindow({ phone: PHONE, window: '明天上午', due: MORNING, sourceSid: sid('SM') })).toBeUndefined();
  });
});

describe('未接通 (unreached) after missed calls in a row', () => {
  async function missOnce(store: CallbackStore, id: string, note?: string) {
    await store.claim(id, 'staff-a');
    return store.recordOutcome(id, 'staff-a', 'no-answer', note);
  }

  it('leaves the queue after the third missed call in a row, with an expiry; stays claimable', async () => {
    const clock = manualClock();
    const { store } = await freshStore({ now: clock.now, maxAttempts: 3, retentionDays: 30 });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'w', due: EVENING, channel: 'voice', sourceSid: sid() });
    expect(await missOnce(store, request.id)).toMatchObject({ status: 'open', attempts: 1, missedInRow: 1 });
    expect(await missOnce(store, request.id)).toMatchObject({ status: 'open', attempts: 2, missedInRow: 2 });
    const third = await missOnce(store, request.id, '关机');
    expect(third).toMatchObject({ status: 'unreached', attempts: 3, missedInRow: 3, note: '关机' });
    expect(third.expiresAt).toBe(Math.floor(clock.ms / 1000) + 30 * 86_400);
    expect((await store.listByStatus('open')).items).toEqual([]);
    expect((await store.listByStatus('unreached')).items.map((r) => r.id)).toEqual([request.id]);
    // Staff may try again: the claim takes it out of 未接通 and it no longer expires.
    const retried = await store.claim(request.id, 'staff-b');
    expect(retried).toMatchObject({ status: 'claimed', claimedBy: 'staff-b' });
    expect(retried.expiresAt).toBeUndefined();
    expect(await store.recordOutcome(request.id, 'staff-b', 'reached')).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('counts only misses since the person last asked: asking again resets the count, and reopens an unreached request', async () => {
    const { store } = await freshStore({ maxAttempts: 2 });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'w', due: EVENING, channel: 'voice', sourceSid: sid() });
    await missOnce(store, request.id);
    await store.requestCallback({ phone: PHONE, window: 'w', channel: 'sms', sourceSid: sid('SM') });
    expect(await missOnce(store, request.id)).toMatchObject({ status: 'open', missedInRow: 1, attempts: 2 });
    expect(await missOnce(store, request.id)).toMatchObject({ status: 'unreached', missedInRow: 2, attempts: 3 });
    const reopened = await store.requestCallback({ phone: PHONE, window: 'other', channel: 'sms', sourceSid: sid('SM') });
    expect(reopened).toMatchObject({ created: false, request: { id: request.id, code: request.code, status: 'open', missedInRow: 0, attempts: 3, window: 'w', repeats: 2 } });
    expect(reopened.request.expiresAt).toBeUndefined();
    expect(reopened.request.history.map((h) => h.action).slice(-2)).toEqual(['reopened', 'requested']);
    expect((await store.findPending(PHONE))?.id).toBe(request.id);
  });

  it('a repeat ask that lands between reading and writing a missed call is not lost: the count re-reads', async () => {
    const { store } = await freshStore({ maxAttempts: 2 });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'w', channel: 'voice', sourceSid: sid() });
    await missOnce(store, request.id);
    await store.claim(request.id, 'staff-a');
    // Ask again and record the miss at once: whichever lands first, the ask's reset is kept.
    const [, missed] = await Promise.all([store.requestCallback({ phone: PHONE, window: 'w', channel: 'sms', sourceSid: sid('SM') }), store.recordOutcome(request.id, 'staff-a', 'no-answer')]);
    const now = await store.get(request.id);
    expect(now?.attempts).toBe(2);
    expect(now?.status === 'unreached' ? now.missedInRow === 2 : now?.missedInRow === 1 || now?.missedInRow === 0).toBe(true);
    expect(missed.attempts).toBe(2);
  });
});

describe('per-number items expire once nothing refers to them', () => {
  const phoneItem = async (items: () => Promise<Record<string, unknown>[]>) => (await items()).find((i) => String(i.pk).startsWith('PHONE#'));

  it('gets an expiry after its request closes (past the request\'s own), loses it while a new request waits', async () => {
    const clock = manualClock();
    const { store, items } = await freshStore({ now: clock.now, retentionDays: 30 });
    const { request } = await store.requestCallback({ phone: PHONE, window: 'w', channel: 'voice', sourceSid: sid() });
    expect(await phoneItem(items)).toBeUndefined();
    await store.claim(request.id, 'staff-a');
    const done = await store.recordOutcome(request.id, 'staff-a', 'reached');
    const phone = await phoneItem(items);
    expect(phone?.gen).toBe(1);
    expect(Number(phone?.expiresAt)).toBe(done.expiresAt! + 7 * 86_400);
    await store.requestCallback({ phone: PHONE, window: 'w', channel: 'sms', sourceSid: sid('SM') });
    expect((await phoneItem(items))?.expiresAt).toBeUndefined();
  });

  it('keeps an opt-out without expiry; opting back in with nothing waiting lets it expire', async () => {
    const clock = manualClock();
    const { store, items } = await freshStore({ now: clock.now, retentionDays: 30 });
    await store.setOptOut(PHONE, true, 'SMout1');
    expect((await phoneItem(items))?.expiresAt).toBeUndefined();
    await store.setOptOut(PHONE, false, 'SMin1');
    expect(Number((await phoneItem(items))?.expiresAt)).toBe(Math.floor(clock.ms / 1000) + 37 * 86_400);
    await store.setOptOut(PHONE, true, 'SMout2');
    expect((await phoneItem(items))?.expiresAt).toBeUndefined();
  });

  it('does not let an opted-in number\'s item expire while its request waits', async () => {
    const { store, items } = await freshStore();
    await store.requestCallback({ phone: PHONE, window: 'w', channel: 'sms', sourceSid: sid('SM') });
    await store.setOptOut(PHONE, true, 'SMout1');
    await store.setOptOut(PHONE, false, 'SMin1');
    expect((await phoneItem(items))?.expiresAt).toBeUndefined();
  });
});

describe('what a texter asked lately', () => {
  it('is kept two hours (topics gathered, latest question), then read as gone even before TTL deletes it', async () => {
    const clock = manualClock();
    const { store } = await freshStore({ now: clock.now });
    expect(await store.recentQuestion(PHONE)).toBeUndefined();
    await store.rememberQuestion(PHONE, ['threats'], '他们说要去我单位 13812345678');
    await store.rememberQuestion(PHONE, ['negotiate', 'threats'], '能少还点吗');
    expect(await store.recentQuestion(PHONE)).toEqual({ topics: ['negotiate', 'threats'], question: '能少还点吗', at: clock.now().toISOString() });
    clock.advance(RECENT_QUESTION_SECONDS * 1000 + 1000);
    expect(await store.recentQuestion(PHONE)).toBeUndefined();
  });
});

describe('a webhook deadline cancels storage calls', () => {
  it('an aborted signal stops the call before it writes', async () => {
    const { store, items } = await freshStore();
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(store.within(controller.signal).requestCallback({ phone: PHONE, window: 'w', channel: 'sms', sourceSid: sid('SM') })).rejects.toBeInstanceOf(CallbackStoreError);
    expect(await items()).toEqual([]);
    // The store itself is unaffected.
    expect((await store.requestCallback({ phone: PHONE, window: 'w', channel: 'sms', sourceSid: sid('SM') })).created).toBe(true);
  });
});
