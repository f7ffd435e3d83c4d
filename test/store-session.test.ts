/**
 * One store call against the table (`openSession`), seen on the wire: strongly consistent reads of an
 * item or of one attribute, expression names filled in and unused values left out, a refused
 * condition answered as `undefined` and every other failure as CallbackStoreError with its cause.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { openSession } from '../lambdas/callbacks/dynamo-session';
import { CallbackStoreError } from '../lambdas/callbacks/store';
import { useDynalite } from './support/dynalite';
import { conditionFailure, rejection, storeHarnesses } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-session');

async function session() {
  const h = await harness();
  return { h, s: openSession(DynamoDBDocumentClient.from(h.client), h.tableName, 5000) };
}

describe('reads', () => {
  it('read an item, or only the attribute asked for, always strongly consistent', async () => {
    const { h, s } = await session();
    await h.put({ pk: 'QUOTA#x', count: 3, tokens: new Set(['SM1']), expiresAt: 100 });
    expect(await s.read({ pk: 'QUOTA#x' })).toEqual({ pk: 'QUOTA#x', count: 3, tokens: new Set(['SM1']), expiresAt: 100 });
    expect(await s.read({ pk: 'QUOTA#x' }, 'count')).toEqual({ count: 3 });
    expect(await s.read({ pk: 'QUOTA#none' }, 'count')).toBeUndefined();
    const gets = h.sent.filter((c) => c.name === 'GetItemCommand');
    expect(gets).toHaveLength(3);
    for (const get of gets) expect(get.input.ConsistentRead).toBe(true);
    expect(gets[1]!.input).toMatchObject({ ProjectionExpression: '#count', ExpressionAttributeNames: { '#count': 'count' } });
  });
});

describe('updates', () => {
  it('name every #attribute, and send only the values the expressions use (DynamoDB refuses others)', async () => {
    const { h, s } = await session();
    await h.put({ pk: 'X#1', a: 1, b: 2 });
    expect(await s.update({ Key: { pk: 'X#1' }, UpdateExpression: 'REMOVE #a', ExpressionAttributeValues: { ':unused': 1 } })).toEqual({ pk: 'X#1', b: 2 });
    expect(await s.update({ Key: { pk: 'X#1' }, UpdateExpression: 'SET #b = :b', ConditionExpression: '#b = :two', ExpressionAttributeValues: { ':b': 3, ':two': 2, ':other': 4 } })).toEqual({ pk: 'X#1', b: 3 });
    expect(await s.update({ Key: { pk: 'X#1' }, UpdateExpression: 'REMOVE #b' })).toEqual({ pk: 'X#1' });
    const updates = h.sent.filter((c) => c.name === 'UpdateItemCommand').map((c) => c.input);
    expect(updates[0]).toMatchObject({ ExpressionAttributeNames: { '#a': 'a' }, ExpressionAttributeValues: undefined });
    expect(updates[1]).toMatchObject({ ExpressionAttributeNames: { '#b': 'b' }, ExpressionAttributeValues: { ':b': 3, ':two': 2 } });
  });

  it('answer a refused condition with undefined, and throw every other failure', async () => {
    const { h, s } = await session();
    expect(await s.update({ Key: { pk: 'X#1' }, UpdateExpression: 'SET #a = :a', ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeValues: { ':a': 1 } })).toBeUndefined();
    void h.before((c) => c.name === 'UpdateItemCommand', () => Promise.reject(conditionFailure()));
    expect(await s.update({ Key: { pk: 'X#1' }, UpdateExpression: 'SET #a = :a', ExpressionAttributeValues: { ':a': 1 } })).toBeUndefined();
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: {} });
    void h.before((c) => c.name === 'UpdateItemCommand', () => Promise.reject(throttled));
    const error = await rejection(s.update({ Key: { pk: 'X#1' }, UpdateExpression: 'SET #a = :a', ExpressionAttributeValues: { ':a': 1 } }));
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect(error.message).toBe('DynamoDB UpdateCommand failed: ProvisionedThroughputExceededException');
    expect(error.cause).toBe(throttled);
    expect(await h.item('X#1')).toBeUndefined();
  });
});

describe('failures', () => {
  it('name what failed and keep the cause: a table that is not there', async () => {
    const { h } = await session();
    const store = createDynamoCallbackStore({ client: h.client, tableName: 'no-such-table' });
    const error = await rejection(store.get('0123456789abcdef0123'));
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect(error.message).toBe('DynamoDB GetCommand failed: ResourceNotFoundException');
    expect((error.cause as Error).name).toBe('ResourceNotFoundException');
    // A write fails the same way: only a refused condition is "no".
    expect(await rejection(store.labelQuestion('0123456789abcdef0123', 'negotiate', 'alice'))).toBeInstanceOf(CallbackStoreError);
  });

  it('say "unknown error" for a failure that is not an Error', async () => {
    const { h, s } = await session();
    void h.before(() => true, () => Promise.reject('socket hang up'));
    const error = await rejection(s.send(new GetCommand({ TableName: h.tableName, Key: { pk: 'X#1' } })));
    expect(error).toBeInstanceOf(CallbackStoreError);
    expect(error.message).toBe('DynamoDB GetCommand failed: unknown error');
    expect(error.cause).toBe('socket hang up');
  });
});
