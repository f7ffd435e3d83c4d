/**
 * The hotline's handlers as `npm start` wires them (`dev/local-handlers.ts`), on a dynalite of the
 * test file's own: what the handler tests drive, with no storage-free shortcuts in production code.
 */
import { randomBytes } from 'node:crypto';
import { localHandlers, type LocalHandlerOptions } from '../../dev/local-handlers';
import { createDynamoCallbackStore } from '../../lambdas/callbacks/dynamo-store';
import { callbackSettingsFromEnv, type CallbackSettings } from '../../lambdas/callbacks/settings';
import type { CallbackStore } from '../../lambdas/callbacks/store';
import type { LambdaHandler } from '../../lambdas/http/request-shell';
import type { FunctionName } from '../../lambdas/http/routes';
import { createDynamoStatsStore } from '../../lambdas/stats/dynamo-stats';
import type { StatsStore } from '../../lambdas/stats/store';
import { useDynalite, type TestDynamo } from './dynalite';
import { config, content, silentLogger, understand } from './twilio';

export interface TestHotline extends Record<FunctionName, LambdaHandler> {
  store: CallbackStore;
  /** The anonymous counts the handlers keep (in the same table, as in AWS). */
  stats: StatsStore;
  /** The test file's dynalite, for tests that read the table itself. */
  dynamo: TestDynamo;
}

export interface TestHotlineOptions {
  settings?: Partial<CallbackSettings>;
  now?: () => Date;
  locales?: LocalHandlerOptions['locales'];
  numberLocales?: LocalHandlerOptions['numberLocales'];
  /** Staff bearer tokens (`{ token: staffId }`); none by default. */
  staffUsers?: Record<string, string>;
}

/** Call at the top of a test file; the result, called inside a test, gives the handlers. */
export function useTestHotline(options: TestHotlineOptions = {}): () => TestHotline {
  const dynamo = useDynalite();
  let built: TestHotline | undefined;
  return () => {
    if (built) return built;
    const { client, tableName } = dynamo();
    const settings = { ...callbackSettingsFromEnv(), ...options.settings };
    const clock = options.now ? { now: options.now } : {};
    const store = createDynamoCallbackStore({ client, tableName, retentionDays: settings.retentionDays, hashSecret: randomBytes(32).toString('hex'), ...clock });
    const locales = { ...(options.locales ? { locales: options.locales } : {}), ...(options.numberLocales ? { numberLocales: options.numberLocales } : {}) };
    const stats = createDynamoStatsStore({ client, tableName, ...clock });
    const staffUsers = options.staffUsers ?? {};
    built = { ...localHandlers({ content, understand, config, store, stats, settings, staffUsers, logger: silentLogger, ...clock, ...locales }), store, stats, dynamo: dynamo() };
    return built;
  };
}

let senders = 0;
/** A mobile number no other test in the process has used: opt-outs and hourly limits stay per test. */
export function freshMobile(): string {
  senders += 1;
  return `+86139${String(senders).padStart(8, '0')}`;
}
