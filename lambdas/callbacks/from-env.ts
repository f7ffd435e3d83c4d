import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { createDynamoCallbackStore, createDynamoClient, type DynamoCallbackStoreOptions } from './dynamo-store';
import type { Content } from '../content/content';
import { DEFAULT_MAX_ATTEMPTS } from './rules';
import { parseDaysOff, type StaffCalendar } from './schedule';
import type { CallbackStore } from './store';
import { CALLBACK_TABLE } from './table';

/** Limits and retention, from the environment the stack (or the local server) sets. */
export interface CallbackSettings {
  retentionDays: number;
  smsRepliesPerHour: number;
  callbacksPerDay: number;
  /** Unanswered calls in a row before a request becomes 未接通 (unreached). */
  maxAttempts: number;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function callbackSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): CallbackSettings {
  return {
    retentionDays: positive(env.CALLBACK_RETENTION_DAYS, 30),
    smsRepliesPerHour: positive(env.SMS_REPLIES_PER_HOUR, 20),
    callbacksPerDay: positive(env.CALLBACKS_PER_DAY, 3),
    maxAttempts: Math.round(positive(env.CALLBACK_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS)),
  };
}

/**
 * When staff call back: the content's windows (Beijing time) on every day but CALLBACK_DAYS_OFF
 * (`sat,sun,2027-02-17`; weekdays or dates). A bad value stops the Lambda at start with its name.
 */
export function staffCalendar(content: Content, env: NodeJS.ProcessEnv = process.env): StaffCalendar {
  return { windows: content.prompts.callback.windows, ...parseDaysOff(env.CALLBACK_DAYS_OFF) };
}

/**
 * The secret of the per-number keys: Secrets Manager when PHONE_KEY_SECRET names one (AWS, cached
 * by Powertools), else PHONE_KEY (the local server sets it from a file in HOTLINE_DATA_DIR).
 */
export function phoneKeyFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoCallbackStoreOptions['hashSecret'] {
  const secretId = env.PHONE_KEY_SECRET;
  if (secretId) {
    return async () => {
      const value = (await getSecret<string>(secretId))?.trim();
      if (!value) throw new Error('the per-number key secret is empty');
      return value;
    };
  }
  return env.PHONE_KEY || undefined;
}

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
