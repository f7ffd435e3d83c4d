/**
 * The callback branch as the Lambda runs it: the flow, the DynamoDB store and the settings from the
 * environment. Loaded by the handler on the first request that reaches the callback route, so the
 * greeting and key presses never load the DynamoDB client or phone-number metadata.
 */
import { callbackStoreFromEnv } from '../callbacks/from-env';
import { callbackSettingsFromEnv, staffCalendar } from '../callbacks/settings';
import { perLocale } from '../locales/locale';
import type { HotlineLogger } from '../shared/logging';
import type { CountFailure } from '../shared/metrics';
import { countingFromEnv } from '../stats/production';
import { createVoiceCallbackFlow } from './callback-flow';
import { storedCallback } from './stored-callback';

export function callbackFromEnv(logger: HotlineLogger, countFailure: CountFailure) {
  const { callbacksPerDay } = callbackSettingsFromEnv();
  const flowFor = perLocale(({ content }) => createVoiceCallbackFlow({ content, dailyLimit: callbacksPerDay, calendar: staffCalendar(content) }));
  // The funnel is counted where requests are made (`lambdas/stats/funnel.ts`).
  return storedCallback(flowFor, countingFromEnv(logger).callbacks(callbackStoreFromEnv()), logger, countFailure);
}
