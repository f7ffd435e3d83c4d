import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import { bundledContent, topic, type Content } from '../content/content';
import { twilioWebhook, type LambdaHandler, type TwilioRequest } from '../http/twilio-webhook';
import { shippedUnderstanding } from '../understanding/shipped';
import type { Understand } from '../understanding/understand';
import { webhookConfigFromEnv, type WebhookConfig } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { maskPhone } from '../shared/privacy';
import { callbackSettingsFromEnv, callbackStoreFromEnv } from '../callbacks/from-env';
import { CallbackStoreError, type CallbackStore } from '../callbacks/store';
import { smsCallbackReply, smsCodeReply, windowWords } from './callback-reply';
import { smsCrisisReply } from './crisis-reply';
import { smsReplyText } from './replies';
import { routeSms, type SmsIntent } from './router';

export interface SmsDeps {
  content: Content;
  /** Safety check, then the classifier (free text). */
  understand: Understand;
  logger: HotlineLogger;
  /** Opt-outs, rate limits and callback requests. Without it (tests of the menu alone) nothing is stored. */
  store?: Pick<CallbackStore, 'requestCallback' | 'consumeQuota' | 'isOptedOut' | 'setOptOut' | 'findPending' | 'recentQuota'>;
  limits?: SmsLimits;
  countFailure?: CountFailure;
}

export interface SmsLimits {
  /** Replies a number gets per hour; past it, silence (protects the number and our bill). */
  smsRepliesPerHour: number;
  /** Callback requests a number may make per day. */
  callbacksPerDay: number;
}

export const DEFAULT_SMS_LIMITS: SmsLimits = { smsRepliesPerHour: 20, callbacksPerDay: 3 };

/** Without storage (issue of callbacks), the callback branch explains how callbacks work. */
function replyWithoutStorage(intent: Extract<SmsIntent, { kind: 'callback' | 'optOut' | 'optIn' | 'crisis' | 'code' }>, content: Content): string | null {
  if (intent.kind === 'code') return content.prompts.callback.smsNoRequest;
  if (intent.kind === 'crisis') return topic(content, 'crisis').sms + content.prompts.sms.footer;
  if (intent.kind === 'callback') return topic(content, 'callback').sms + content.prompts.sms.footer;
  if (intent.kind === 'optOut') return content.prompts.sms.optOut;
  return content.prompts.sms.optIn + content.prompts.sms.menu;
}

export function createSmsResponder(deps: SmsDeps): (request: TwilioRequest) => Promise<string> {
  const limits = deps.limits ?? DEFAULT_SMS_LIMITS;
  const words = windowWords(deps.content);
  const understand = deps.understand;
  return async (twilio) => {
    const body = twilio.form.Body ?? '';
    const intent = routeSms(body, deps.content, understand, words);
    deps.logger.info('sms routed', { from: maskPhone(twilio.form.From), intent: intent.kind, length: body.length });
    const reply = deps.store ? await replyWithStore(deps.store, intent, twilio) : storelessReply(intent);
    const response = new MessagingResponse();
    // A crisis reply and its callback confirmation are two messages, each complete on its own.
    for (const text of Array.isArray(reply) ? reply : [reply]) if (text) response.message(text);
    return response.toString();
  };

  function storelessReply(intent: SmsIntent): string | null {
    if (intent.kind === 'callback' || intent.kind === 'optOut' || intent.kind === 'optIn' || intent.kind === 'crisis' || intent.kind === 'code') return replyWithoutStorage(intent, deps.content);
    return smsReplyText(intent, deps.content);
  }

  /** Opted-out numbers get silence until they opt in; past the hourly limit, silence too. */
  async function replyWithStore(store: NonNullable<SmsDeps['store']>, intent: SmsIntent, twilio: TwilioRequest): Promise<string[] | string | null> {
    const sms = deps.content.prompts.sms;
    const from = (twilio.form.From ?? '').trim();
    // Without a sender there is nobody to opt out or rate-limit: answer, but store nothing.
    if (!from) return intent.kind === 'callback' ? deps.content.prompts.callback.smsBadNumber : storelessReply(intent);
    // Before opt-out and the hourly limit: a person in crisis is answered (see crisis-reply.ts for the limits).
    if (intent.kind === 'crisis') return smsCrisisReply(store, deps.content, twilio, intent.callback);
    if (intent.kind === 'optIn') {
      // Opting in is a reply like any other: it counts towards the hourly limit.
      if (!(await store.consumeQuota(from, 'sms-reply', limits.smsRepliesPerHour, 3600, twilio.form.MessageSid || undefined))) return null;
      await store.setOptOut(from, false, twilio.form.MessageSid || undefined);
      return sms.optIn + sms.menu;
    }
    if (await store.isOptedOut(from)) return null;
    if (intent.kind === 'optOut') {
      await store.setOptOut(from, true, twilio.form.MessageSid || undefined);
      return sms.optOut;
    }
    const mayReply = await store.consumeQuota(from, 'sms-reply', limits.smsRepliesPerHour, 3600, twilio.form.MessageSid || undefined);
    if (!mayReply) deps.logger.warn('sms reply limit reached', { from: maskPhone(from) });
    // Past the hourly reply limit a callback request is still recorded (under its own daily limit), with
    // no reply: the limit protects the number and our bill, it must not lose what the person asked for.
    // The code can be had later with 编号.
    if (intent.kind === 'callback') {
      let reply: string | null;
      try {
        reply = await smsCallbackReply(store, deps.content, twilio, intent.window, limits.callbacksPerDay, intent.windowOnly);
      } catch (error) {
        if (!(error instanceof CallbackStoreError)) throw error;
        // The write may have landed after all (a stall past the deadline): say so, and how to check.
        deps.countFailure?.('StoreFailure');
        deps.logger.error('sms callback not confirmed', { from: maskPhone(from), error: error.name });
        reply = deps.content.prompts.callback.smsUnconfirmed;
      }
      return mayReply ? reply : null;
    }
    if (!mayReply) return null;
    if (intent.kind === 'code') return smsCodeReply(store, deps.content, twilio);
    if (intent.kind === 'topic' && intent.threat) deps.logger.info('sms threat answered', { from: maskPhone(from) });
    return smsReplyText(intent, deps.content);
  }
}

export function smsApology(content: Content): string {
  const response = new MessagingResponse();
  response.message(content.prompts.sms.systemError);
  return response.toString();
}

export function createSmsHandler(deps: SmsDeps & { config: WebhookConfig; countFailure?: CountFailure }): LambdaHandler {
  return twilioWebhook({
    config: deps.config,
    logger: deps.logger,
    countFailure: deps.countFailure,
    respond: createSmsResponder(deps),
    apology: () => smsApology(deps.content),
  });
}

let production: LambdaHandler | undefined;

/** Lambda entry: dependencies built from the environment on the first request, then reused. */
export const handler: LambdaHandler = async (event) => {
  if (!production) {
    const content = bundledContent();
    production = createSmsHandler({
      content,
      understand: shippedUnderstanding(),
      logger: createLogger('hotline-sms'),
      countFailure: createFailureCounter('hotline-sms'),
      store: callbackStoreFromEnv(),
      limits: callbackSettingsFromEnv(),
      config: webhookConfigFromEnv(),
    });
  }
  return production(event);
};
