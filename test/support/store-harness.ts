/**
 * The DynamoDB store on a table of its own, seen from below: every command it sends (name and key),
 * a hook that runs just before a chosen command goes out (to land a concurrent write, or to fail
 * one, exactly there), and the items as stored. For the `test/store-*.test.ts` suites.
 */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll } from 'vitest';
import { createDynamoClient } from '../../lambdas/callbacks/dynamo-client';
import { createDynamoCallbackStore, type DynamoCallbackStoreOptions } from '../../lambdas/callbacks/dynamo-store';
import type { CallbackStore } from '../../lambdas/callbacks/store';
import { createCallbackTableInput } from '../../lambdas/callbacks/table';
import type { TestDynamo } from './dynalite';

/** A command as the store sent it (before marshalling): `UpdateItemCommand`, its `pk`, its input. */
export interface SentCommand {
  name: string;
  pk?: string;
  input: Record<string, unknown>;
}

export interface StoreHarness {
  store: CallbackStore;
  /** A store on the same table through a client of its own: its commands are neither recorded nor hooked. */
  other: CallbackStore;
  tableName: string;
  /** The store's client (hooked). */
  client: DynamoDBClient;
  /** Every command the store sent, oldest first. */
  sent: SentCommand[];
  /**
   * Runs `run` just before the next command that `matches` is sent (once); a throw from `run` fails
   * that command as the database would. Resolves when it ran.
   */
  before(matches: (command: SentCommand) => boolean, run: (command: SentCommand) => unknown): Promise<void>;
  /** Every item of the table, as stored. */
  items(prefix?: string): Promise<Record<string, unknown>[]>;
  item(pk: string): Promise<Record<string, unknown> | undefined>;
  put(item: Record<string, unknown>): Promise<void>;
  update(pk: string, UpdateExpression: string, values?: Record<string, unknown>): Promise<void>;
  remove(pk: string): Promise<void>;
}

/** One harness per test (each its own table); clients are destroyed after the file. */
export function storeHarnesses(dynamo: () => TestDynamo, prefix: string): (options?: Omit<DynamoCallbackStoreOptions, 'client' | 'tableName'>) => Promise<StoreHarness> {
  let tables = 0;
  const clients: DynamoDBClient[] = [];
  afterAll(() => {
    for (const client of clients) client.destroy();
  });
  return async (options = {}) => {
    const { endpoint } = dynamo();
    const tableName = `${prefix}-${++tables}`;
    await dynamo().client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
    const client = createDynamoClient({ endpoint });
    const plain = createDynamoClient({ endpoint });
    clients.push(client, plain);
    const sent: SentCommand[] = [];
    const hooks: { matches: (command: SentCommand) => boolean; run: (command: SentCommand) => unknown; done: () => void }[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const key = input.Key as { pk?: unknown } | undefined;
        const command: SentCommand = { name: String(context.commandName), ...(typeof key?.pk === 'string' ? { pk: key.pk } : {}), input };
        sent.push(command);
        const hook = hooks.find((h) => h.matches(command));
        if (hook) {
          hooks.splice(hooks.indexOf(hook), 1);
          try {
            await hook.run(command);
          } finally {
            hook.done();
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'storeHarness' },
    );
    const doc = DynamoDBDocumentClient.from(plain);
    return {
      store: createDynamoCallbackStore({ client, tableName, ...options }),
      other: createDynamoCallbackStore({ client: plain, tableName, ...options }),
      tableName,
      client,
      sent,
      before: (matches, run) => new Promise<void>((done) => hooks.push({ matches, run, done })),
      items: async (pkPrefix = '') => ((await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? []).filter((item) => String(item.pk).startsWith(pkPrefix)),
      item: async (pk) => (await doc.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }))).Item,
      put: async (item) => void (await doc.send(new PutCommand({ TableName: tableName, Item: item }))),
      update: async (pk, UpdateExpression, values) =>
        void (await doc.send(new UpdateCommand({ TableName: tableName, Key: { pk }, UpdateExpression, ...(values ? { ExpressionAttributeValues: values } : {}) }))),
      remove: async (pk) => void (await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk } }))),
    };
  };
}

/** Resolves with what `promise` rejected with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

/** A conditional write refused, as DynamoDB refuses it. */
export function conditionFailure(): Error {
  return Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException', $metadata: {} });
}
