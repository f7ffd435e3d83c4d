import { afterAll, beforeAll } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient } from '../../lambdas/callbacks/dynamo-client';
import { CALLBACK_TABLE, createCallbackTableInput } from '../../lambdas/callbacks/table';

export interface TestDynamo {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  stop: () => Promise<void>;
}

/** An in-memory dynalite on a free port with the callback table created (the same definition as the stack). */
export async function startDynalite(tableName: string = CALLBACK_TABLE.defaultName): Promise<TestDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDynamoClient({ endpoint });
  await client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
  let stopped = false;
  return {
    client,
    endpoint,
    tableName,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      client.destroy();
      await new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

/**
 * One dynalite for a test file: started before its tests, stopped after. Call the result inside a test.
 * A start that fails (the table definition is ours: a mutation run breaks it) fails each test that asks
 * for dynalite: a throwing beforeAll would only skip them, and a mutation run counts skipped as survived.
 */
export function useDynalite(): () => TestDynamo {
  let dynamo: TestDynamo | undefined;
  let failed: { error: unknown } | undefined;
  beforeAll(async () => {
    try {
      dynamo = await startDynalite();
    } catch (error) {
      failed = { error };
    }
  });
  afterAll(async () => {
    await dynamo?.stop();
  });
  return () => {
    if (failed) throw failed.error;
    if (!dynamo) throw new Error('dynalite is not started yet');
    return dynamo;
  };
}
