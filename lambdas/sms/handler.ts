import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import { bundledContent, type Content } from '../content/content';
import { twilioWebhook, type LambdaHandler, type TwilioRequest } from '../http/twilio-webhook';
import type { Understand } from '../understanding/understand';
import { webhookConfigFromEnv, type WebhookConfig } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { lazyHandler, once } from '../shared/once';
import { maskPhone } from '../shared/privacy';
import { callbackStoreFromEnv } from '../callbacks/from-env';
import { callbackSettingsFromEnv, staffCalendar } from '../callbacks/settings';
import { normalisePhone } from '../callbacks/rules';
import type { StaffCalendar } from '../callbacks/schedule';
import type { CallbackStore } from '../callbacks/store';
import { createSmsConversation, type Sender, type SmsLimits, type SmsStore } from './conversation';

export { DEFAULT_SMS_LIMITS, type SmsLimits } from './conversation';

export interface SmsDeps {
  content: Content;
  /** Safety check, then the classifier: loaded on the first free-text message. */
  understanding: () => Promise<Understand>;
  logger: HotlineLogger;
  /** Opt-outs, rate limits and callback requests. Without it (tests of the menu alone) nothing is stored. */
  store?: SmsStore & Pick<CallbackStore, 'within'>;
  limits?: SmsLimits;
  /** Staff windows and days off (default: the content's windows, no days off). */
  calendar?: StaffCalendar;
  /** Clock (tests move it across midnight). */
  now?: () => Date;
  countFailure?: CountFailure;
}

/** The sender, parsed once: every rule after this sees an E.164 number or knows there is none. */
export function senderOf(from: string | undefined): Sender {
  const raw = (from ?? '').trim();
  if (!raw) return { kind: 'none' };
  const phone = normalisePhone(raw);
  return phone.ok ? { kind: 'mobile', e164: phone.e164 } : { kind: 'other', id: raw };
}

export function createSmsResponder(deps: SmsDeps): (request: TwilioRequest) => Promise<string> {
  const conversation = createSmsConversation({
    content: deps.content,
    understanding: deps.understanding,
    calendar: deps.calendar ?? staffCalendar(deps.content),
    ...(deps.limits ? { limits: deps.limits } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
  return async ({ form, signal }) => {
    const body = form.Body ?? '';
    const from = senderOf(form.From);
    const outcome = await conversation({ from, body, sid: form.MessageSid || form.SmsSid || undefined }, deps.store?.within(signal));
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
    config: deps.config,
    ...(deps.deadlineMs ? { deadlineMs: deps.deadlineMs } : {}),
    logger: deps.logger,
    countFailure: deps.countFailure,
    respond: createSmsResponder(deps),
    apology: () => smsApology(deps.content),
  });
}

/** Lambda entry: dependencies built from the environment on the first request, then reused. */
export const handler: LambdaHandler = lazyHandler(() => {
  const content = bundledContent();
  return createSmsHandler({
    content,
    understanding: once(async () => (await import('../understanding/shipped')).shippedUnderstanding()),
    logger: createLogger('hotline-sms'),
    countFailure: createFailureCounter('hotline-sms'),
    store: callbackStoreFromEnv(),
    limits: callbackSettingsFromEnv(),
    calendar: staffCalendar(content),
    config: webhookConfigFromEnv(),
  });
});
