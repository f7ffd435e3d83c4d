/**
 * The four Lambdas wired the way `npm start` runs them: the production factories, given a store,
 * a clock and local settings instead of what the Lambda entries read from the environment. The
 * local server and the tests that need a whole hotline use this one wiring.
 */
import type { Content } from '../lambdas/content/content';
import type { LambdaHandler } from '../lambdas/http/request-shell';
import type { FunctionName } from '../lambdas/http/routes';
import type { Understand } from '../lambdas/understanding/understand';
import { parseNumberLocales, perLocale, type Locales, type NumberLocales } from '../lambdas/locales/locale';
import { shippedLocales } from '../lambdas/locales/shipped';
import type { WebhookConfig } from '../lambdas/shared/config';
import { createLogger, type HotlineLogger } from '../lambdas/shared/logging';
import { staffCalendar, type CallbackSettings } from '../lambdas/callbacks/settings';
import type { CallbackStore } from '../lambdas/callbacks/store';
import { handler as fallbackHandler } from '../lambdas/fallback/handler';
import { createSmsHandler } from '../lambdas/sms/handler';
import { createStaffApi } from '../lambdas/staff/api';
import { createTokenAuthenticator } from '../lambdas/staff/auth';
import { createStaffHandler, topicLabels } from '../lambdas/staff/handler';
import { createVoiceCallbackFlow } from '../lambdas/voice/callback-flow';
import { createVoiceHandler } from '../lambdas/voice/handler';
import { createCounting } from '../lambdas/stats/counting';
import type { StatsStore } from '../lambdas/stats/store';
import { storedCallback } from '../lambdas/voice/stored-callback';

export interface LocalHandlerOptions {
  content: Content;
  understand: Understand;
  config: WebhookConfig;
  store: CallbackStore;
  settings: CallbackSettings;
  /** Staff bearer tokens: `{ token: staffId }`. */
  staffUsers: Record<string, string>;
  /** The clock of every handler (a fixed day makes "今天晚上" predictable); the real one by default. */
  now?: () => Date;
  /** One logger for all (tests pass a silent one); each function's own by default. */
  logger?: HotlineLogger;
  /** The webhooks' deadline (default WEBHOOK_DEADLINE_MS). */
  deadlineMs?: number;
  /** The locales served (default: the shipped ones, on `content` and `understand`) and which number answers in which (default: HOTLINE_NUMBER_LOCALES). */
  locales?: Locales;
  numberLocales?: NumberLocales;
  /** Where the anonymous counts go (`lambdas/stats/`): every answer and the callback funnel. Nothing is counted without it. */
  stats?: StatsStore;
}

export function localHandlers(options: LocalHandlerOptions): Record<FunctionName, LambdaHandler> {
  const { content, config, settings } = options;
  // The shipped locales, with the content and the classifier already built (the classifier takes ~1 s to build).
  const locales = options.locales ?? shippedLocales({ content, understanding: () => Promise.resolve(options.understand) });
  const numberLocales = options.numberLocales ?? parseNumberLocales(process.env.HOTLINE_NUMBER_LOCALES, locales.ids);
  const loggerFor = (name: string) => options.logger ?? createLogger(name);
  const clock = options.now ? { now: options.now } : {};
  const deadline = options.deadlineMs ? { deadlineMs: options.deadlineMs } : {};
  const counting = options.stats ? createCounting({ stats: options.stats, logger: loggerFor('hotline-stats'), ...clock }) : undefined;
  const counted = counting ? { counting } : {};
  const store = counting ? counting.callbacks(options.store) : options.store;
  const voiceLogger = loggerFor('hotline-voice');
  const flowFor = perLocale((locale) => createVoiceCallbackFlow({ content: locale.content, dailyLimit: settings.callbacksPerDay, calendar: staffCalendar(locale.content), ...clock }));
  return {
    voice: createVoiceHandler({ locales, numberLocales, config, logger: voiceLogger, callback: storedCallback(flowFor, store, voiceLogger), inbox: (signal) => store.within(signal), ...counted, ...deadline }),
    sms: createSmsHandler({ locales, numberLocales, config, logger: loggerFor('hotline-sms'), store, limits: settings, ...counted, ...clock, ...deadline }),
    staff: createStaffHandler({
      api: createStaffApi({ store, topicLabel: topicLabels(content), ...(options.stats ? { stats: options.stats } : {}), ...clock }),
      authenticate: createTokenAuthenticator(options.staffUsers),
      logger: loggerFor('hotline-staff'),
    }),
    fallback: fallbackHandler as LambdaHandler,
  };
}
