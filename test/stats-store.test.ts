/**
 * The counts store on dynalite with the real DynamoDB client, called directly (the handlers log a
 * failed count and carry on, so only here does a refusal or an error show): input checks, one write
 * per answer, a call's position taken once, reads in batches that ask again for unprocessed keys.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { KEY_PREFIX } from '../lambdas/callbacks/table';
import { addDays } from '../lambdas/shared/time-zone';
import { callKey, createDynamoStatsStore, StatsInputError, statsKey } from '../lambdas/stats/dynamo-stats';
import { COUNTER } from '../lambdas/stats/vocabulary';
import { useDynalite } from './support/dynalite';

const dynamo = useDynalite();
const NOW = new Date('2026-12-04T02:00:00Z');
let calls = 0;
const callSid = () => `CA${(++calls).toString(16).padStart(32, 'b')}`;

function store(overrides: { client?: DynamoDBClient; wait?: (ms: number) => Promise<void>; tableName?: string } = {}) {
  return createDynamoStatsStore({ client: dynamo().client, tableName: dynamo().tableName, now: () => NOW, ...overrides });
}

async function itemOf(key: { pk: string }) {
  const doc = DynamoDBDocumentClient.from(dynamo().client);
  return (await doc.send(new GetCommand({ TableName: dynamo().tableName, Key: key }))).Item;
}

/** A client of the same dynalite whose BatchGetItem answers leave keys unprocessed, as DynamoDB may under load. */
function leavingKeysUnprocessed(rounds: number) {
  const client = createDynamoClient({ endpoint: dynamo().endpoint });
  const asked: number[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== 'BatchGetItemCommand') return result;
      const table = dynamo().tableName;
      // At this step, after the document client's unmarshalling: plain items and keys.
      const output = result.output as { Responses?: Record<string, { pk: string }[]>; UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
      const answered = output.Responses?.[table] ?? [];
      asked.push((args.input as { RequestItems: Record<string, { Keys: unknown[] }> }).RequestItems[table]?.Keys.length ?? 0);
      if (asked.length <= rounds && answered.length) {
        // The oldest day is left for later, so the answers arrive out of order.
        const oldest = answered.reduce((a, b) => (a.pk < b.pk ? a : b));
        output.Responses = { [table]: answered.filter((item) => item !== oldest) };
        output.UnprocessedKeys = { [table]: { Keys: [{ pk: oldest.pk }] } };
      }
      return result;
    },
    { step: 'initialize', name: 'leaveKeysUnprocessed' },
  );
  return { client, asked };
}

describe('adding to a day', () => {
  it('adds one per name in one write, a name given twice adds two, and the day expires after 400 days', async () => {
    const stats = store();
    await stats.add('2026-12-01', [COUNTER.contact('sms'), COUNTER.topic('sms', 'evidence'), COUNTER.contact('sms')]);
    await stats.add('2026-12-01', [COUNTER.contact('sms')]);
    const item = await itemOf(statsKey('2026-12-01'));
    expect(item).toEqual({
      pk: `${KEY_PREFIX.stats}2026-12-01`,
      kind: 'stats',
      expiresAt: Date.parse(`${addDays('2026-12-01', 400)}T00:00:00+08:00`) / 1000,
      'contact.sms': 3,
      'sms.topic.evidence': 1,
    });
  });

  it('writes nothing for no names, and refuses a day that is not a date or a name outside the vocabulary', async () => {
    const stats = store();
    await expect(stats.add('2026-12-02', [])).resolves.toBeUndefined();
    expect(await itemOf(statsKey('2026-12-02'))).toBeUndefined();
    for (const [day, names, message] of [
      ['2026-02-30', [COUNTER.contact('sms')], 'day must be YYYY-MM-DD'],
      ['2026-12-02', ['contact.fax'], 'not a counter of the vocabulary'],
    ] as const) {
      const refused = await stats.add(day, names).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StatsInputError);
      expect(refused).toMatchObject({ name: 'StatsInputError', message });
    }
    expect(await itemOf(statsKey('2026-12-02'))).toBeUndefined();
  });

  it("stops when the caller's signal has already given up", async () => {
    const stopped = AbortSignal.abort();
    await expect(store().add('2026-12-03', [COUNTER.contact('voice')], stopped)).rejects.toThrow();
    await expect(store().placeCall(callSid(), 'main', stopped)).rejects.toThrow();
    expect(await itemOf(statsKey('2026-12-03'))).toBeUndefined();
  });
});

describe("a call's position", () => {
  it('is kept under a hash of the CallSid written in 32 letters a–p, and taken once', async () => {
    const stats = store();
    const sid = callSid();
    const key = callKey(sid);
    expect(key.pk).toMatch(new RegExp(`^${KEY_PREFIX.call}[a-p]{32}$`));
    expect(callKey(sid)).toEqual(key);
    expect(callKey(callSid()).pk).not.toBe(key.pk);

    await stats.placeCall(sid, 'main');
    await stats.placeCall(sid, 'topic.evidence');
    expect(await itemOf(key)).toEqual({ ...key, kind: 'call', position: 'topic.evidence', expiresAt: NOW.getTime() / 1000 + 86_400 });
    expect(await stats.takeCall(sid)).toBe('topic.evidence');
    // The status callback again, and a voice request that lands after it: no error, nothing changes.
    expect(await stats.takeCall(sid)).toBeUndefined();
    await expect(stats.placeCall(sid, 'main')).resolves.toBeUndefined();
    expect(await stats.takeCall(sid)).toBeUndefined();
    expect(await stats.takeCall(callSid())).toBeUndefined();
  });

  it('refuses a position that is not a position id, and passes on errors that are not a refused condition', async () => {
    await expect(store().placeCall(callSid(), 'topic.my words')).rejects.toBeInstanceOf(StatsInputError);
    const missing = store({ tableName: 'no-such-table' });
    await expect(missing.placeCall(callSid(), 'main')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(missing.takeCall(callSid())).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('reading days', () => {
  it('gives the days that have counters, oldest first, across batches of 100 keys', async () => {
    const stats = store();
    const days = ['2025-01-01', '2025-04-10', '2025-04-11', '2025-06-30'];
    for (const day of days.toReversed()) await stats.add(day, [COUNTER.contact('voice')]);
    const read = await stats.read('2025-01-01', '2025-06-30'); // 181 days: two batches
    expect(read).toEqual(days.map((day) => ({ day, counters: { 'contact.voice': 1 } })));
    expect(await stats.read('2025-04-11', '2025-04-11')).toEqual([{ day: '2025-04-11', counters: { 'contact.voice': 1 } }]);
    expect(await stats.read('2025-04-12', '2025-04-12')).toEqual([]);
    // Exactly one batch of 100 days.
    expect((await stats.read('2025-01-01', addDays('2025-01-01', 99))).map((day) => day.day)).toEqual(['2025-01-01', '2025-04-10']);
  });

  it('asks again for keys DynamoDB left unprocessed, waiting longer each time, and still answers oldest first', async () => {
    const days = ['2025-08-01', '2025-08-02', '2025-08-03'];
    for (const day of days) await store().add(day, [COUNTER.repeat]);
    const { client, asked } = leavingKeysUnprocessed(2);
    const waits: number[] = [];
    const read = await store({ client, wait: async (ms) => void waits.push(ms) }).read('2025-08-01', '2025-08-03');
    client.destroy();
    expect(read.map((day) => day.day)).toEqual(days);
    expect(asked).toEqual([3, 1, 1]);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after five rounds that leave keys unprocessed', async () => {
    await store().add('2025-09-01', [COUNTER.repeat]);
    const { client, asked } = leavingKeysUnprocessed(Number.POSITIVE_INFINITY);
    const waits: number[] = [];
    const read = store({ client, wait: async (ms) => void waits.push(ms) }).read('2025-09-01', '2025-09-01');
    await expect(read).rejects.toThrow('stats: DynamoDB left keys unprocessed');
    client.destroy();
    expect(asked).toEqual([1, 1, 1, 1, 1]);
    expect(waits).toEqual([100, 200, 400, 800]);
  });

  it('gives up at its time limit when the database accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
    const client = createDynamoClient({ endpoint: `http://127.0.0.1:${(hung.address() as AddressInfo).port}` });
    // Shorter than the SDK's own request timeout: only the store's limit can end this read.
    const read = createDynamoStatsStore({ client, tableName: dynamo().tableName, readTimeoutMs: 300 }).read('2025-10-01', '2025-10-01');
    const failure = await read.then(
      () => undefined,
      (error: unknown) => error,
    );
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    expect(failure).toMatchObject({ name: 'AbortError' });
  });

  it('refuses days that are not dates, or a range that ends before it starts', async () => {
    for (const [from, to] of [['2025-13-01', '2025-12-01'], ['2025-12-01', '2025-12-32'], ['2025-12-02', '2025-12-01']] as const) {
      const refused = store().read(from, to);
      await expect(refused, `${from}..${to}`).rejects.toBeInstanceOf(StatsInputError);
      await expect(refused).rejects.toThrow('from and to must be days, from first');
    }
  });
});
