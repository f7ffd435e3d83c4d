import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { bundledContent, type Content } from '../content/content';
import { isTopicId as isTopic, type TopicId } from '../content/topic-ids';
import { twilioWebhook, type LambdaHandler, type TwilioRequest } from '../http/twilio-webhook';
import { shippedUnderstanding } from '../understanding/shipped';
import type { Understand } from '../understanding/understand';
import { webhookConfigFromEnv, type WebhookConfig } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { callbackSettingsFromEnv, callbackStoreFromEnv, staffCalendar } from '../callbacks/from-env';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { maskPhone } from '../shared/privacy';
import type { CallbackStore } from '../callbacks/store';
import { createVoiceCallbackFlow, type VoiceCallbackStore } from './callback-flow';
import { decodeCallbackState, type CallbackState } from './callback-state';
import { VoiceMenu } from './menu';
import { decodePosition, type VoiceReply } from './reply';
import { renderVoice, say } from './twiml';

export interface VoiceDeps {
  content: Content;
  /** Safety check, then the classifier (speech at any position). */
  understand: Understand;
  logger: HotlineLogger;
  /** The callback branch (`9`, "我要人工"): its own flow, given the request and its decoded URL state. */
  callback: (request: TwilioRequest, state: CallbackState) => Promise<VoiceReply>;
}

/** Longest input we read from Twilio's fields; anything longer is cut, never an error. */
const MAX_DIGITS = 16;
const MAX_SPEECH = 300;

export function createVoiceResponder(deps: VoiceDeps): (request: TwilioRequest) => Promise<string> {
  const menu = new VoiceMenu(deps.content, deps.understand);
  const isGroup = (name: string) => Object.hasOwn(deps.content.menu.groups, name);
  return async (twilio) => {
    const { route, request, form } = twilio;
    let reply: VoiceReply;
    switch (route) {
      case 'voiceMenu': {
        const at = decodePosition(request.query.get('at') ?? undefined, isTopic, isGroup);
        const silence = Math.max(0, Math.min(Number.parseInt(request.query.get('s') ?? '0', 10) || 0, 10));
        reply = menu.respond({
          at,
          silence,
          digits: form.Digits?.slice(0, MAX_DIGITS),
          speech: form.SpeechResult?.slice(0, MAX_SPEECH),
          confidence: confidenceOf(form.Confidence),
          rejected: rejectedOf(request.query.get('x')),
        });
        if (form.SpeechResult) deps.logger.info('speech understood', { at: request.query.get('at'), confidence: form.Confidence, reply: reply.kind });
        break;
      }
      case 'voiceCallback': {
        reply = await deps.callback(twilio, decodeCallbackState(request.query, isTopic));
        break;
      }
      default:
        reply = menu.answer();
    }
    return renderVoice(reply, request.routePath);
  };
}

/** `x=`: a topic the caller rejected; anything that is not a topic id is ignored. */
function rejectedOf(value: string | null): TopicId | undefined {
  return value && isTopic(value) ? value : undefined;
}

/** Twilio's Confidence (0…1) when it is a number; anything else is "not sent". */
function confidenceOf(value: string | undefined): number | undefined {
  const confidence = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : undefined;
}

/** Spoken when anything fails: plain Mandarin, then a clean hang-up. */
export function voiceApology(content: Content): string {
  const response = new VoiceResponse();
  say(response, content.prompts.voice.systemError);
  response.hangup();
  return response.toString();
}

export function createVoiceHandler(deps: VoiceDeps & { config: WebhookConfig; countFailure?: CountFailure; /** The webhook's deadline (default WEBHOOK_DEADLINE_MS). */ deadlineMs?: number }): LambdaHandler {
  return twilioWebhook({
    config: deps.config,
    ...(deps.deadlineMs ? { deadlineMs: deps.deadlineMs } : {}),
    logger: deps.logger,
    countFailure: deps.countFailure,
    respond: createVoiceResponder(deps),
    apology: () => voiceApology(deps.content),
  });
}

/**
 * The callback branch backed by the store. When storage fails the caller hears, in plain words,
 * that the request was not taken and what to do instead; the failure is logged for the alarm.
 */
export function storedCallback(
  flow: ReturnType<typeof createVoiceCallbackFlow>,
  store: VoiceCallbackStore & Pick<CallbackStore, 'within'>,
  content: Content,
  logger: HotlineLogger,
  countFailure: CountFailure = () => {},
): VoiceDeps['callback'] {
  return async ({ form, signal }, state) => {
    try {
      return await flow({ state, digits: form.Digits?.slice(0, MAX_DIGITS), speech: form.SpeechResult?.slice(0, MAX_SPEECH), from: form.From, callSid: form.CallSid }, store.within(signal));
    } catch (error) {
      countFailure('StoreFailure');
      logger.error('callback request not stored', { from: maskPhone(form.From), error: error instanceof Error ? error.name : String(error) });
      return { kind: 'redirect', say: [content.prompts.voice.callbackUnavailable], to: { route: 'voiceMenu', at: { kind: 'main' } } };
    }
  };
}

/** Without a store (menu-only tests), the callback branch explains how a callback works and returns to the menu. */
export function explainCallback(content: Content): VoiceDeps['callback'] {
  return async () => ({ kind: 'redirect', say: [content.topics.get('callback')?.speech ?? ''], to: { route: 'voiceMenu', at: { kind: 'main' } } });
}

let production: LambdaHandler | undefined;

/** Lambda entry: dependencies built from the environment on the first request, then reused. */
export const handler: LambdaHandler = async (event) => {
  if (!production) {
    const content = bundledContent();
    const logger = createLogger('hotline-voice');
    const countFailure = createFailureCounter('hotline-voice');
    const flow = createVoiceCallbackFlow({ content, dailyLimit: callbackSettingsFromEnv().callbacksPerDay, calendar: staffCalendar(content) });
    production = createVoiceHandler({
      content,
      understand: shippedUnderstanding(),
      logger,
      countFailure,
      callback: storedCallback(flow, callbackStoreFromEnv(), content, logger, countFailure),
      config: webhookConfigFromEnv(),
    });
  }
  return production(event);
};
