/**
 * The callback store under load and delay, on dynalite: a request worked through 300 missed calls
 * with the longest notes and contexts stays writable (history bounded), and a database that accepts
 * connections but never answers is abandoned at the SDK's request timeout and retried. Slow by nature
 * (seconds each): part of `npm test`, not of the store's mutation group, whose own tests pin each rule.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { HISTORY_CAP } from '../lambdas/callbacks/dynamo-items';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { CallbackStoreError, type CallbackStore } from '../lambdas/callbacks/store';
import { createCallbackTableInput } from '../lambdas/callbacks/table';
import { useDynalite } from './support/dynalite';

const dynamo = useDynalite();
let tables = 0;

async function freshStore(): Promise<CallbackStore> {
  const tableName = `endurance-${++tables}`;
  await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
  return createDynamoCallbackStore({ client: dynamo().client, tableName });
}

let sids = 0;
const sid = (prefix = 'CA') => `${prefix}${String(++sids).padStart(32, '0')}`;
const PHONE = '13812345678';

describe('bounded history', () => {
  it('keeps a request writable through 300 no-answer cycles with the longest notes: the latest entries kept, the rest counted', async () => {
    const store = await freshStore();
    const { request } = await store.requestCallback({ phone: PHONE, window: 'evening', channel: 'voice', sourceSid: sid() });
    // The largest context too: every topic, the longest question, a hundred repeat asks.
    const topics = ['negotiate', 'threats', 'lawsuit', 'evidence', 'report-police', 'block-harassment', 'warn-contacts', 'illegal-loans'];
    for (let i = 0; i < 100; i++) await store.requestCallback({ phone: PHONE, window: 'evening', topics, question: '问'.repeat(500), channel: 'sms', numberSource: 'sms-sender', sourceSid: sid('SM') });
    const note = '没接通，'.repeat(250);
    for (let i = 0; i < 300; i++) {
      await store.claim(request.id, 'alice');
      await store.recordOutcome(request.id, 'alice', 'no-answer', `${i} ${note}`);
    }
    const after = (await store.get(request.id))!;
    expect(after.attempts).toBe(300);
    expect(after.history.length).toBeLessThanOrEqual(HISTORY_CAP);
    expect(after.history.length + after.historyDropped!).toBe(701);
    expect(after.repeats).toBe(100);
    expect(after.history.at(-1)).toMatchObject({ action: 'outcome', by: 'alice' });
    expect(after.history.at(-1)!.detail).toContain('299');
    // DynamoDB refuses items over 400 KB; the JSON of the whole record stays far below.
    const bytes = Buffer.byteLength(JSON.stringify(after));
    console.info(`request after 300 cycles: ${after.history.length} history entries, ${(bytes / 1024).toFixed(0)} KB as JSON`);
    expect(bytes).toBeLessThan(400 * 1024 * 0.75);
  });
});

describe('a database that never answers', () => {
  it('abandons a stalled attempt at the request timeout and retries it within the deadline', async () => {
    let connections = 0;
    const sockets = new Set<Socket>();
    const hung = createServer((socket) => {
      connections++;
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
    const client = createDynamoClient({ endpoint: `http://127.0.0.1:${(hung.address() as AddressInfo).port}` });
    const store = createDynamoCallbackStore({ client, tableName: 'callbacks-stalled' });
    const error = await store.isOptedOut(`+86${PHONE}`).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    client.destroy();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hung.close(() => resolve()));
    expect(error).toBeInstanceOf(CallbackStoreError);
    // Each attempt that stalls is cut at the SDK's request timeout and tried again on a new connection.
    expect(connections).toBeGreaterThanOrEqual(2);
  });});
