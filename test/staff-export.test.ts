import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import type { CallbackStore } from '../lambdas/callbacks/store';
import { createCallbackTableInput } from '../lambdas/callbacks/table';
import { createStaffApi } from '../lambdas/staff/api';
import { beijingTime } from '../lambdas/staff/csv';
import { useDynalite } from './support/dynalite';

const dynamo = useDynalite();
let t = 0;
const clock = () => new Date(t);
let table: Promise<CallbackStore> | undefined;
let sids = 0;

/** The store, its table made by the first test that needs it (a setup that fails then fails that test, not skips it). */
function store(): Promise<CallbackStore> {
  table ??= dynamo()
    .client.send(new CreateTableCommand(createCallbackTableInput('export-test')))
    .then(() => createDynamoCallbackStore({ client: dynamo().client, tableName: 'export-test', now: clock }));
  return table;
}

/** A request created at `createdAt` and closed (reached) at `closedAt`, both UTC ISO. */
async function closedRequest(phone: string, createdAt: string, closedAt: string): Promise<string> {
  const requests = await store();
  t = Date.parse(createdAt);
  const { request } = await requests.requestCallback({ phone, window: '上午', channel: 'sms', sourceSid: `SMexport${++sids}` });
  t = Date.parse(closedAt);
  await requests.claim(request.id, 'alice');
  await requests.recordOutcome(request.id, 'alice', 'reached');
  return request.id;
}

const api = async () => createStaffApi({ store: await store(), topicLabel: () => null, now: clock });

async function exportIds(query: string): Promise<string[]> {
  const answer = await (await api())({ route: 'staffExport', params: {}, query: new URLSearchParams(query), body: '', staff: 'alice' });
  if (!('csv' in answer)) throw new Error(`expected CSV, got ${JSON.stringify(answer)}`);
  return answer.csv.replace(/^\ufeff/, '').trim().split('\r\n').slice(1).map((line) => line.split(',')[0]!);
}

describe('CSV export by Beijing day', () => {
  it('puts 15:59:59 UTC on the same Beijing day and 16:00:00 UTC on the next', async () => {
    const late = await closedRequest('13812349001', '2026-03-01T10:00:00Z', '2026-03-01T15:59:59Z');
    const nextDay = await closedRequest('13812349002', '2026-03-01T10:00:00Z', '2026-03-01T16:00:00Z');
    expect(await exportIds('from=2026-03-01&to=2026-03-01')).toEqual([late]);
    expect(await exportIds('from=2026-03-02&to=2026-03-02')).toEqual([nextDay]);
  });

  it('selects by the day a request closed, not the day it was made', async () => {
    const longWait = await closedRequest('13812349003', '2026-02-10T02:00:00Z', '2026-03-05T02:00:00Z');
    expect(await exportIds('from=2026-03-05&to=2026-03-05')).toEqual([longWait]);
    expect(await exportIds('from=2026-02-10&to=2026-02-10')).toEqual([]);
  });

  it('defaults to the 30 days up to today in Beijing', async () => {
    const recent = await closedRequest('13812349004', '2026-04-01T01:00:00Z', '2026-04-01T01:30:00Z');
    t = Date.parse('2026-04-20T17:00:00Z'); // already 21 April in Beijing
    expect(await exportIds('')).toContain(recent);
    t = Date.parse('2026-05-02T16:30:00Z'); // 3 May in Beijing: 1 April is 32 days back
    expect(await exportIds('')).not.toContain(recent);
  });

  it('writes times in Beijing time', () => {
    expect(beijingTime('2026-03-01T23:30:00.000Z')).toBe('2026-03-02 07:30:00');
    expect(beijingTime(undefined)).toBe('');
  });
});
