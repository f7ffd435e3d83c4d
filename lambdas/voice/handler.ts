import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { isTopicId as isTopic, type TopicId } from '../content/topic-ids';
import type { LambdaHandler } from '../http/request-shell';
import { ROUTES } from '../http/routes';
import { twilioWebhook, type TwilioRequest } from '../http/twilio-webhook';
import type { Understand } from '../understanding/understand';
import { keepQuietly, type InboxFor, type InboxGuess } from '../callbacks/inbox';
import { chooseLocale, parseNumberLocales, type Locale, type Locales, type NumberLocales } from '../locales/locale';
import { shippedLocales } from '../locales/shipped';
import { webhookConfigFromEnv, type WebhookConfig } from '../shared/config';
import { createLogger, type HotlineLogger } from '../shared/logging';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { lazyHandler, once } from '../shared/once';
import type { Counting } from '../stats/counting';
import { deferredCounting } from '../stats/deferred';
import { VoiceMenu } from './menu';
import { decodePosition, type Position, type VoiceReply } from './reply';
import { renderVoice, say } from './twiml';

export interface VoiceDeps {
  /** Words, voice and understanding by locale; each locale's classifier loads on its first speech, not on a key press. */
  locales: Locales;
  /** Which hotline number answers in which locale (the default for any other). */
  numberLocales?: NumberLocales;
  logger: HotlineLogger;
  /** The callback branch (`9`, "我要人工"): its own flow, given the request (its URL holds the flow's state). */
  callback: (request: TwilioRequest, locale: Locale) => Promise<VoiceReply>;
  /** Anonymous counts (`lambdas/stats/`): each answer and where the call is, and where it ended. */
  counting?: Pick<Counting, 'voice' | 'callEnded'>;
  /** The question inbox: speech the menu did not answer confidently is kept there (`keepQuietly`: never at the answer's cost). */
  inbox?: InboxFor;
}

/** The answer to Twilio's status callback: nothing to do on a call that is over. */
const EMPTY_RESPONSE = new VoiceResponse().toString();

/** Longest input we read from Twilio's fields; anything longer is cut, never an error. */
const MAX_DIGITS = 16;
const MAX_SPEECH = 300;

/** Keys never reach the classifier; if a bug ever sent them there, this says so instead of guessing. */
const notLoaded: Understand = () => {
  throw new Error('understanding was not loaded for a request without speech');
};

export function createVoiceResponder(deps: VoiceDeps): (request: TwilioRequest) => Promise<string> {
  return async (twilio) => {
    const { route, request, form } = twilio;
    if (route === 'voiceStatus') {
      await deps.counting?.callEnded(form.CallSid, form.CallStatus, twilio.signal);
      return EMPTY_RESPONSE;
    }
    // A call keeps the locale it started in (the URL carries it); the first request takes the number's.
    const locale = chooseLocale(deps.locales, request.query.get('l'), form.To, deps.numberLocales);
    const { content } = locale;
    const isGroup = (name: string) => Object.hasOwn(content.menu.groups, name);
    let reply: VoiceReply;
    // For the counts: where a menu request came from, and whether the caller spoke instead of pressing keys.
    let heard: { from?: Position; said?: string } = {};
    let kept: Promise<boolean> | undefined;
    switch (route) {
      case 'voiceMenu': {
        const at = decodePosition(request.query.get('at') ?? undefined, isTopic, isGroup);
        // `s=`: how many times in a row nothing was heard (0…10; anything else is 0).
        const silence = Math.max(0, Math.min(Math.trunc(Number(request.query.get('s'))) || 0, 10));
        const digits = form.Digits?.slice(0, MAX_DIGITS);
        const speech = form.SpeechResult?.slice(0, MAX_SPEECH);
        // Keys first (as the menu does): the classifier loads only when words are what the caller gave.
        const needsUnderstanding = !digits?.trim() && Boolean(speech?.trim());
        const unsure: InboxGuess[] = [];
        const menu = new VoiceMenu(content, needsUnderstanding ? await locale.understanding() : notLoaded, (guess) => unsure.push(guess));
        heard = { from: at, ...(needsUnderstanding ? { said: speech } : {}) };
        // Twilio's Confidence as sent: the menu treats anything but a number above 0 and below its threshold as "sure".
        reply = menu.respond({ at, silence, digits, speech, confidence: Number(form.Confidence), rejected: rejectedOf(request.query.get('x')) });
        if (unsure[0] && speech && deps.inbox) kept = keepQuietly(deps.inbox, twilio.signal, { text: speech, guess: unsure[0], channel: 'voice', sourceSid: form.CallSid });
        if (form.SpeechResult) deps.logger.info('speech understood', { at: request.query.get('at'), confidence: form.Confidence, reply: reply.kind });
        break;
      }
      case 'voiceCallback':
        reply = await deps.callback(twilio, locale);
        break;
      default:
        reply = new VoiceMenu(content, notLoaded).answer();
    }
    const twiml = renderVoice(reply, ROUTES[route].path, locale, locale !== deps.locales.default);
    await deps.counting?.voice({ route, reply, ...heard, prompts: content.prompts.voice, callSid: form.CallSid }, twilio.signal);
    if (kept && !(await kept)) deps.logger.warn('question not kept for the inbox', { route });
    return twiml;
  };
}

/** `x=`: a topic the caller rejected; anything that is not a topic id is ignored. */
function rejectedOf(value: string | null): TopicId | undefined {
  return value && isTopic(value) ? value : undefined;
}

/** Spoken when anything fails: the default locale's plain words (the failure may be in reading the request), then a clean hang-up. */
export function voiceApology(locale: Locale): string {
  const response = new VoiceResponse();
  say(response, locale.content.prompts.voice.systemError, locale);
  response.hangup();
  return response.toString();
}

export function createVoiceHandler(deps: VoiceDeps & { config: WebhookConfig; countFailure?: CountFailure; /** The webhook's deadline (default WEBHOOK_DEADLINE_MS). */ deadlineMs?: number }): LambdaHandler {
  return twilioWebhook({
    fn: 'voice',
    config: deps.config,
    ...(deps.deadlineMs ? { deadlineMs: deps.deadlineMs } : {}),
    logger: deps.logger,
    countFailure: deps.countFailure,
    respond: createVoiceResponder(deps),
    apology: () => voiceApology(deps.locales.default),
  });
}

/**
 * Lambda entry: what every request needs is built on the first one; the classifier and the callback
 * branch (DynamoDB, phone metadata) are separate chunks, imported the first time a request needs them.
 */
export const handler: LambdaHandler = lazyHandler(() => {
  const logger = createLogger('hotline-voice');
  const countFailure = createFailureCounter('hotline-voice');
  const callback = once(async () => (await import('./callback-production')).callbackFromEnv(logger, countFailure));
  const inbox = once(async () => (await import('../callbacks/from-env')).callbackStoreFromEnv());
  const locales = shippedLocales();
  return createVoiceHandler({
    locales,
    numberLocales: parseNumberLocales(process.env.HOTLINE_NUMBER_LOCALES, locales.ids),
    logger,
    countFailure,
    callback: async (request, locale) => (await callback())(request, locale),
    counting: deferredCounting(async () => (await import('../stats/production')).countingFromEnv(logger), logger),
    // The DynamoDB client loads with the first question kept, never for a greeting or a key press.
    inbox: async (signal) => (await inbox()).within(signal),
    config: webhookConfigFromEnv(),
  });
});
