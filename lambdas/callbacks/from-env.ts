import { createDynamoClient } from './dynamo-client';
import { createDynamoCallbackStore } from './dynamo-store';
import { callbackSettingsFromEnv, phoneKeyFromEnv } from './settings';
import type { CallbackStore } from './store';
import { CALLBACK_TABLE } from './table';

/** The DynamoDB store the Lambdas use: TABLE_NAME from the stack, DYNAMODB_ENDPOINT only locally. */
export function callbackStoreFromEnv(env: NodeJS.ProcessEnv = process.env): CallbackStore {
  const client = createDynamoClient(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {});
  return createDynamoCallbackStore({
    client,
    tableName: env.TABLE_NAME ?? CALLBACK_TABLE.defaultName,
    retentionDays: callbackSettingsFromEnv(env).retentionDays,
    maxAttempts: callbackSettingsFromEnv(env).maxAttempts,
    hashSecret: phoneKeyFromEnv(env),
  });
}
