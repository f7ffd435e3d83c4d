/**
 * Counting as the Lambdas run it: the stats store on the callback table (TABLE_NAME from the stack,
 * DYNAMODB_ENDPOINT only locally), one per function instance, shared by everything that counts in it.
 */
import { createDynamoClient } from '../callbacks/dynamo-client';
import { CALLBACK_TABLE } from '../callbacks/table';
import type { HotlineLogger } from '../shared/logging';
import { createCounting, type Counting } from './counting';
import { createDynamoStatsStore } from './dynamo-stats';
import type { StatsStore } from './store';

let shared: StatsStore | undefined;

export function statsStoreFromEnv(env: NodeJS.ProcessEnv = process.env): StatsStore {
  shared ??= createDynamoStatsStore({
    client: createDynamoClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
    tableName: env.TABLE_NAME ?? CALLBACK_TABLE.defaultName,
  });
  return shared;
}

export function countingFromEnv(logger: HotlineLogger): Counting {
  return createCounting({ stats: statsStoreFromEnv(), logger });
}
