import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import type { Content } from '../content/content';
import type { LambdaHandler } from '../http/request-shell';
import { twilioWebhook, type TwilioRequest } from '../http/twilio-webhook';
import { chooseLocale, parseNumberLocales, perLocale, type Locales, type NumberLocales } from '../locales/locale';
import { shippedLocales } from '../locales/shipped';
import { webhookConfigFromEnv, type WebhookConfig } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { lazyHandler } from '../shared/once';
import { maskPhone } from '../shared/privacy';
import { callbackStoreFromEnv } from '../callbacks/from-env';
import { callbackSettingsFromEnv, staffCalendar } from '../callbacks/settings';
import { normalisePhone } from '../callbacks/phone-number';
import type { CallbackStore } from '../callbacks/store';
import { keepQuietly } from '../callbacks/inbox';
import type { Counting } from '../stats/counting';
import { countingFromEnv } from '../stats/production';
import { createSmsConversation, type Sender, type SmsLimits, type SmsStore } from './conversation';

export { DEFAULT_SMS_LIMITS, type SmsLimits } from './conversation';

export interface SmsDeps {
  /** Words and understanding by locale; each locale's classifier loads on its first free-text message. */
  locales: Locales;
  /** Which hotline number answers in which locale (the default for any other). */
  numberLocales?: NumberLocales;
  logger: HotlineLogger;
  /** Opt-outs, rate limits and callback requests. */
  store: SmsStore & Pick<CallbackStore, 'within'>;
  limits?: SmsLimits;
  /** Clock (tests move it across midnight). */
  now?: () => Date;
  countFailure?: CountFailure;
  /** Anonymous counts (`lambdas/stats/`) of each text's answer. */
  counting?: Pick<Counting, 'sms'>;
}

/** The sender, parsed once: every rule after this sees an E.164 number or knows there is none. */
export function senderOf(from: string | undefined): Sender {
  const raw = (from ?? '').trim();
  if (!raw) return { kind: 'none' };
  const phone = normalisePhone(raw);
  return phone.ok ? { kind: 'mobile', e164: phone.e164 } : { kind: 'other', id: raw };
}

export function createSmsResponder(deps: SmsDeps): (request: TwilioRequest) => Promise<string> {
  // Staff windows are words of the locale; days off come from the environment (CALLBACK_DAYS_OFF).
  const conversationFor = perLocale((locale) =>
    createSmsConversation({
      content: locale.content,
      understanding: locale.understanding,
      calendar: staffCalendar(locale.content),
      ...(deps.limits ? { limits: deps.limits } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );
  return async ({ form, signal }) => {
    const body = form.Body ?? '';
    const from = senderOf(form.From);
    // SMS is stateless: every text answers in the locale of the number it was sent to.
    const conversation = conversationFor(chooseLocale(deps.locales, undefined, form.To, deps.numberLocales));
    const sid = form.MessageSid || form.SmsSid || undefined;
    const outcome = await conversation({ from, body, sid }, deps.store.within(signal));
    // A question it was not sure of goes to the staff's inbox, while the reply is written (never at its cost).
    const kept = outcome.unsure && keepQuietly((cut) => deps.store.within(cut), signal, { ...outcome.unsure, channel: 'sms', ...(sid ? { sourceSid: sid } : {}) });
    // Counted while the reply is written (the count never holds it up for long: `lambdas/stats/counting.ts`).
    const counted = deps.counting?.sms(outcome, signal);
    const masked = maskPhone(form.From);
    deps.logger.info('sms routed', { from: masked, intent: outcome.intent, length: body.length, replies: outcome.replies.length });
    for (const event of outcome.events) {
      if (event === 'callback-unconfirmed') {
        await deps.countFailure?.('StoreFailure');
        deps.logger.error('sms callback not confirmed', { from: masked });
      } else if (event === 'reply-limit') deps.logger.warn('sms reply limit reached', { from: masked });
      else deps.logger.info(`sms ${event}`, { from: masked });
    }
    const response = new MessagingResponse();
    // A crisis reply and its callback confirmation are two messages, each complete on its own.
    for (const text of outcome.replies) response.message(text);
    await counted;
    if (kept && !(await kept)) deps.logger.warn('question not kept for the inbox', { from: masked });
    return response.toString();
  };
}

export function smsApology(content: Content): string {
  const response = new MessagingResponse();
  response.message(content.prompts.sms.systemError);
  return response.toString();
}

export function createSmsHandler(deps: SmsDeps & { config: WebhookConfig; countFailure?: CountFailure; /** The webhook's deadline (default WEBHOOK_DEADLINE_MS). */ deadlineMs?: number }): LambdaHandler {
  return twilioWebhook({
    fn: 'sms',
    config: deps.config,
    ...(deps.deadlineMs ? { deadlineMs: deps.deadlineMs } : {}),
    logger: deps.logger,
    countFailure: deps.countFailure,
    respond: createSmsResponder(deps),
    apology: () => smsApology(deps.locales.default.content),
  });
}

/** Lambda entry: dependencies built from the environment on the first request, then reused. */
export const handler: LambdaHandler = lazyHandler(() => {
  const locales = shippedLocales();
  const logger = createLogger('hotline-sms');
  const counting = countingFromEnv(logger);
  return createSmsHandler({
    locales,
    numberLocales: parseNumberLocales(process.env.HOTLINE_NUMBER_LOCALES, locales.ids),
    logger,
    countFailure: createFailureCounter('hotline-sms'),
    counting,
    store: counting.callbacks(callbackStoreFromEnv()),
    limits: callbackSettingsFromEnv(),
    config: webhookConfigFromEnv(),
  });
});
