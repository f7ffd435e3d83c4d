/**
 * The question inbox in the store (`dynamo-inbox.ts`), below the staff API: what a kept question is
 * (the guess only in the shapes it may have, no number, an expiry), that a replay keeps nothing new,
 * that pages are complete and in order across both partitions, that a cursor is only what the store
 * issued, that a label refuses a lapsed question and deleting really deletes; and `keepQuietly`
 * leaving nothing behind on the signal it listened to.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { INBOX_LIMITS, keepQuietly, type InboxGuess, type InboxQuestion, type KeepQuestionInput, type QuestionInbox } from '../lambdas/callbacks/inbox';
import { CallbackInputError, CallbackStoreError } from '../lambdas/callbacks/store';
import { CALLBACK_TABLE } from '../lambdas/callbacks/table';
import { manualClock } from './support/clock';
import { useDynalite } from './support/dynalite';
import { rejection, storeHarnesses } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-inbox');

// 01:30 on Friday 4 December in Beijing, still the 3rd in UTC.
const NOW = Date.parse('2026-12-03T17:30:00Z');
const DAY = 86_400_000;
const INBOX_PREFIX = 'INBOX#';

const keep = (inbox: QuestionInbox, text: string, more: Partial<KeepQuestionInput> = {}) => inbox.keepQuestion({ text, guess: { kind: 'none', topics: [] }, channel: 'sms', ...more });

async function everything(inbox: QuestionInbox, options: { limit?: number; labelled?: boolean } = {}): Promise<{ pages: InboxQuestion[][]; all: InboxQuestion[] }> {
  const pages: InboxQuestion[][] = [];
  let cursor: string | undefined;
  do {
    const page = await inbox.listInbox({ ...options, ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.cursor;
    expect(pages.length).toBeLessThan(50);
  } while (cursor);
  return { pages, all: pages.flat() };
}

const encode = (value: unknown, padTo = 0) => Buffer.from(JSON.stringify(value).padEnd(padTo, ' ')).toString('base64url');

describe('keeping a question', () => {
  it('keeps the words, the guess, the channel, the Beijing day and a 30-day expiry under INBOX#<id>: nothing else', async () => {
    const h = await harness({ now: () => new Date(NOW) });
    await keep(h.store, ' 我电话13912345678\n怎么办 ', { guess: { kind: 'ask', topics: ['negotiate', 'threats'] }, channel: 'voice', sourceSid: 'CA1' });
    const [item] = await h.items(INBOX_PREFIX);
    expect(item).toEqual({
      pk: `INBOX#${item!.id}`,
      kind: 'inbox',
      id: item!.id,
      text: '我电话*********** 怎么办',
      guess: { kind: 'ask', topics: ['negotiate', 'threats'] },
      channel: 'voice',
      day: '2026-12-04',
      createdAt: '2026-12-03T17:30:00.000Z',
      expiresAt: NOW / 1000 + 30 * 86_400,
      status: CALLBACK_TABLE.inboxPartitions.unlabelled,
    });
    expect(item!.id).toMatch(/^[0-9a-f]{20}$/);
    expect(INBOX_LIMITS.retentionDays).toBe(30);
  });

  it('keeps a guess only in the shapes it may have: two topics to an ask-back, one to a near miss, none otherwise', async () => {
    const h = await harness({ now: () => new Date(NOW) });
    const cases: [string, unknown, InboxGuess][] = [
      ['ask with three', { kind: 'ask', topics: ['a', 'b', 'c'] }, { kind: 'ask', topics: ['a', 'b'] }],
      ['ask with one', { kind: 'ask', topics: ['a'] }, { kind: 'none', topics: [] }],
      ['topic with one', { kind: 'topic', topics: ['a'] }, { kind: 'topic', topics: ['a'] }],
      ['topic with two', { kind: 'topic', topics: ['a', 'b'] }, { kind: 'topic', topics: ['a'] }],
      ['topic with none', { kind: 'topic', topics: [] }, { kind: 'none', topics: [] }],
      ['topic without a list', { kind: 'topic' }, { kind: 'none', topics: [] }],
      ['none with topics', { kind: 'none', topics: ['a', 'b'] }, { kind: 'none', topics: [] }],
      ['other kind', { kind: 'maybe', topics: ['a', 'b'] }, { kind: 'none', topics: [] }],
      ['no guess', undefined, { kind: 'none', topics: [] }],
    ];
    for (const [text, guess] of cases) await h.store.keepQuestion({ text, guess: guess as InboxGuess, channel: 'sms' });
    const { all } = await everything(h.store);
    expect(Object.fromEntries(all.map((q) => [q.text, q.guess]))).toEqual(Object.fromEntries(cases.map(([text, , kept]) => [text, kept])));
  });

  it('keeps nothing of an empty or missing text, and refuses a channel other than voice or sms', async () => {
    const h = await harness();
    await keep(h.store, ' \n\t ');
    await keep(h.store, undefined as unknown as string);
    expect(await h.items(INBOX_PREFIX)).toEqual([]);
    const error = await rejection(keep(h.store, '问题', { channel: 'fax' as 'sms' }));
    expect(error).toBeInstanceOf(CallbackInputError);
    expect(error.message).toBe('channel must be voice or sms');
    expect(await h.items(INBOX_PREFIX)).toEqual([]);
  });

  it('keeps a replayed delivery once and leaves a label given meanwhile; two questions of one call are two', async () => {
    const clock = manualClock(NOW);
    const h = await harness({ now: clock.now });
    await keep(h.store, '第一个问题', { sourceSid: 'CA-replayed' });
    const [first] = (await h.store.listInbox()).items;
    await h.store.labelQuestion(first!.id, 'negotiate', 'alice');
    clock.advance(60_000);
    await keep(h.store, '第一个问题', { sourceSid: 'CA-replayed', guess: { kind: 'topic', topics: ['threats'] } });
    await keep(h.store, '第二个问题', { sourceSid: 'CA-replayed' });
    const { all } = await everything(h.store);
    expect(all.map((q) => q.text)).toEqual(['第二个问题', '第一个问题']);
    expect(all[1]).toEqual({ ...first, label: { topic: 'negotiate', by: 'alice', at: new Date(NOW).toISOString() } });
  });
});

describe('listing the inbox', () => {
  it('lists unlabelled questions newest first, then labelled ones newest first, in one page when they fit', async () => {
    const clock = manualClock(NOW);
    const h = await harness({ now: clock.now });
    for (const text of ['qa', 'qb', 'qc', 'qd']) {
      await keep(h.store, text);
      clock.advance(60_000);
    }
    const byText = Object.fromEntries((await h.store.listInbox()).items.map((q) => [q.text, q.id]));
    await h.store.labelQuestion(byText.qa!, null, 'alice');
    await h.store.labelQuestion(byText.qc!, 'negotiate', 'alice');
    const page = await h.store.listInbox();
    expect(page.items.map((q) => q.text)).toEqual(['qd', 'qb', 'qc', 'qa']);
    expect(page.cursor).toBeUndefined();
    expect((await h.store.listInbox({ labelled: true })).items.map((q) => q.text)).toEqual(['qc', 'qa']);
    expect((await h.store.listInbox({ labelled: false })).items.map((q) => q.text)).toEqual(['qd', 'qb']);
  });

  it('gives every question once across pages of any size, whichever partition a page ends in', async () => {
    const clock = manualClock(NOW);
    const h = await harness({ now: clock.now });
    const texts = ['qa', 'qb', 'qc', 'qd', 'qe'];
    for (const text of texts) {
      await keep(h.store, text);
      clock.advance(60_000);
    }
    const ids = Object.fromEntries((await h.store.listInbox()).items.map((q) => [q.text, q.id]));
    await h.store.labelQuestion(ids.qb!, 'negotiate', 'bob');
    await h.store.labelQuestion(ids.qd!, 'negotiate', 'bob');
    for (const limit of [1, 2, 3, 5, 6]) {
      const { pages, all } = await everything(h.store, { limit });
      expect(all.map((q) => q.text), `limit ${limit}`).toEqual(['qe', 'qc', 'qa', 'qd', 'qb']);
      expect(pages.every((page) => page.length <= limit)).toBe(true);
    }
  });

  it('leaves out a question past its 30 days that TTL has not deleted yet', async () => {
    const clock = manualClock(NOW);
    const h = await harness({ now: clock.now });
    await keep(h.store, 'old');
    clock.advance(20 * DAY);
    await keep(h.store, 'new');
    clock.advance(10 * DAY + 1000);
    expect((await everything(h.store)).all.map((q) => q.text)).toEqual(['new']);
    expect(await h.items(INBOX_PREFIX)).toHaveLength(2);
  });

  it('refuses a limit outside 1–100', async () => {
    const h = await harness();
    for (const limit of [0, 101, 2.5]) {
      const error = await rejection(h.store.listInbox({ limit }));
      expect(error).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe('limit must be 1–100');
    }
    expect((await h.store.listInbox({ limit: 100 })).items).toEqual([]);
  });

  it('takes back only a cursor it could have issued: right partition, an inbox key of bounded size, nothing else', async () => {
    const h = await harness({ now: () => new Date(NOW) });
    await keep(h.store, 'qa');
    await keep(h.store, 'qb');
    const issued = (await h.store.listInbox({ limit: 1 })).cursor!;
    expect((await h.store.listInbox({ cursor: issued })).items).toHaveLength(1);

    const key = (pk: unknown = `INBOX#${'f'.repeat(58)}`, createdAt: unknown = '2026-12-03T17:30:00.000Z'.padEnd(40, 'Z'), status: unknown = 'inbox') => ({ pk, status, createdAt });
    // The largest key and the longest cursor it takes.
    expect(key().pk).toHaveLength(64);
    expect(key().createdAt).toHaveLength(40);
    await h.store.listInbox({ cursor: encode({ p: 'inbox', k: key() }) });
    const longest = encode({ p: 'inbox-labelled' }, 384);
    expect(longest).toHaveLength(512);
    await h.store.listInbox({ cursor: longest });

    const refused = [
      encode({ p: 'inbox-labelled' }, 385),
      encode({ p: 'requests' }),
      encode({ p: 'inbox', extra: 1 }),
      encode({ p: 'inbox', k: key(`INBOX#${'f'.repeat(59)}`) }),
      encode({ p: 'inbox', k: key(undefined, '2026-12-03T17:30:00.000Z'.padEnd(41, 'Z')) }),
      encode({ p: 'inbox', k: key('REQ#0123456789abcdef0123') }),
      encode({ p: 'inbox', k: key(42) }),
      encode({ p: 'inbox', k: key(undefined, 1_700_000_000) }),
      encode({ p: 'inbox', k: key(undefined, undefined, 'inbox-labelled') }),
      encode({ p: 'inbox', k: key(undefined, undefined, 'open') }),
      encode({ p: 'inbox', k: { ...key(), phone: '+8613812345678' } }),
      'not a cursor',
    ];
    for (const cursor of refused) {
      const error = await rejection(h.store.listInbox({ cursor }));
      expect(error, cursor).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe('invalid cursor');
    }
    // A cursor of the whole inbox is not one of its labelled part.
    const error = await rejection(h.store.listInbox({ labelled: true, cursor: encode({ p: 'inbox' }) }));
    expect(error).toBeInstanceOf(CallbackInputError);
  });

  it('reads a question stored without some of its fields as having none', async () => {
    const h = await harness({ now: () => new Date(NOW) });
    const base = { kind: 'inbox', channel: 'sms', day: '2026-12-04', createdAt: '2026-12-03T17:30:00.000Z', expiresAt: NOW / 1000 + 86_400 };
    await h.put({ ...base, pk: 'INBOX#00000000000000000001', id: '00000000000000000001', text: 'no guess', status: 'inbox' });
    await h.put({ ...base, pk: 'INBOX#00000000000000000002', id: '00000000000000000002', text: 'no topics', status: 'inbox', guess: { kind: 'none' } });
    await h.put({ ...base, pk: 'INBOX#00000000000000000003', id: '00000000000000000003', text: 'labelled, by no one', status: 'inbox-labelled', guess: { kind: 'topic', topics: ['threats'] } });
    const { all } = await everything(h.store);
    expect(all.map((q) => [q.text, q.guess, q.label])).toEqual([
      ['no guess', { kind: 'none', topics: [] }, undefined],
      ['no topics', { kind: 'none', topics: [] }, undefined],
      ['labelled, by no one', { kind: 'topic', topics: ['threats'] }, { topic: null, by: '', at: '' }],
    ]);
  });
});

describe('labelling and deleting', () => {
  it('labels with a topic or null; refuses what is not a topic and a missing staff id', async () => {
    const clock = manualClock(NOW);
    const h = await harness({ now: clock.now });
    await keep(h.store, 'q');
    const [question] = (await h.store.listInbox()).items;
    clock.advance(60_000);
    expect(await h.store.labelQuestion(question!.id, null, ' alice ')).toEqual({ ...question, label: { topic: null, by: 'alice', at: new Date(NOW + 60_000).toISOString() } });
    for (const topic of ['', ' ', 'x'.repeat(61)]) {
      const error = await rejection(h.store.labelQuestion(question!.id, topic, 'alice'));
      expect(error).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe('topic must be a topic id or null');
    }
    for (const staff of ['', undefined as unknown as string]) {
      const error = await rejection(h.store.labelQuestion(question!.id, 'negotiate', staff));
      expect(error).toBeInstanceOf(CallbackInputError);
      expect(error.message).toBe('staff id is required');
    }
    expect((await h.store.listInbox({ labelled: true })).items[0]?.label).toEqual({ topic: null, by: 'alice', at: new Date(NOW + 60_000).toISOString() });
  });

  it('does not label a question past its 30 days, nor one that is not there', async () => {
    const clock = manualClock(NOW);
    const h = await harness({ now: clock.now });
    await keep(h.store, 'q');
    const [question] = (await h.store.listInbox()).items;
    clock.advance(30 * DAY);
    expect(await h.store.labelQuestion(question!.id, 'negotiate', 'alice')).toBeUndefined();
    expect((await h.item(`INBOX#${question!.id}`))?.status).toBe('inbox');
    expect(await h.store.labelQuestion('0123456789abcdef0123', 'negotiate', 'alice')).toBeUndefined();
    expect(await h.items(INBOX_PREFIX)).toHaveLength(1);
  });

  it('deletes the item itself, once', async () => {
    const h = await harness();
    await keep(h.store, 'q');
    const [question] = (await h.store.listInbox()).items;
    expect(await h.store.deleteQuestion(question!.id)).toBe(true);
    expect(await h.item(`INBOX#${question!.id}`)).toBeUndefined();
    expect(await h.store.deleteQuestion(question!.id)).toBe(false);
    expect((await h.store.listInbox()).items).toEqual([]);
  });

  it('answers an id it could not have issued without asking the database', async () => {
    const h = await harness();
    await keep(h.store, 'q');
    const [question] = (await h.store.listInbox()).items;
    const sent = h.sent.length;
    for (const id of ['', 'x', `${question!.id}0`, `0${question!.id}`, question!.id.toUpperCase(), `${question!.id}\n`, 'f'.repeat(3000)]) {
      expect(await h.store.deleteQuestion(id), id).toBe(false);
      expect(await h.store.labelQuestion(id, 'negotiate', 'alice'), id).toBeUndefined();
    }
    expect(h.sent.slice(sent)).toEqual([]);
    expect(await h.items(INBOX_PREFIX)).toHaveLength(1);
  });

  it('fails a label or a delete the database could not make (a refused condition is not a failure)', async () => {
    const h = await harness();
    await keep(h.store, 'q');
    const [question] = (await h.store.listInbox()).items;
    const throttled = () => {
      throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException', $metadata: {} });
    };
    void h.before((command) => command.name === 'UpdateItemCommand', throttled);
    expect(await rejection(h.store.labelQuestion(question!.id, 'negotiate', 'alice'))).toBeInstanceOf(CallbackStoreError);
    void h.before((command) => command.name === 'DeleteItemCommand', throttled);
    expect(await rejection(h.store.deleteQuestion(question!.id))).toBeInstanceOf(CallbackStoreError);
    expect(await h.items(INBOX_PREFIX)).toEqual([expect.objectContaining({ status: 'inbox' })]);
  });
});

describe('keepQuietly', () => {
  const input: KeepQuestionInput = { text: '问题', guess: { kind: 'none', topics: [] }, channel: 'sms' };

  it('leaves no listener on the signal it gave the store, kept or not', async () => {
    const seen: AbortSignal[] = [];
    const webhook = new AbortController();
    expect(await keepQuietly((signal) => (seen.push(signal), { keepQuestion: async () => undefined }), webhook.signal, input, 60_000)).toBe(true);
    expect(await keepQuietly((signal) => (seen.push(signal), { keepQuestion: () => Promise.reject(new Error('down')) }), webhook.signal, input, 60_000)).toBe(false);
    expect(await keepQuietly((signal) => (seen.push(signal), { keepQuestion: () => new Promise<void>(() => {}) }), webhook.signal, input, 20)).toBe(false);
    expect(seen).toHaveLength(3);
    for (const signal of seen) expect(getEventListeners(signal, 'abort')).toEqual([]);
  });
});
