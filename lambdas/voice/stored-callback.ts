import type { CallbackStore } from '../callbacks/store';
import { normalisePhone } from '../callbacks/phone-number';
import type { Locale } from '../locales/locale';
import { isTopicId } from '../content/topic-ids';
import type { TwilioRequest } from '../http/twilio-webhook';
import type { HotlineLogger } from '../shared/logging';
import type { CountFailure } from '../shared/metrics';
import { maskPhone } from '../shared/privacy';
import type { createVoiceCallbackFlow, VoiceCallbackStore } from './callback-flow';
import { decodeCallbackState } from './callback-state';
import type { VoiceReply } from './reply';

/** Longest keys read from Twilio's fields; anything longer is cut, never an error. */
const MAX_DIGITS = 16;
const MAX_SPEECH = 300;

/**
 * The callback branch backed by the store: decodes the URL state, runs the flow with the store scoped
 * to this webhook's deadline. When storage fails the caller hears, in plain words, that the request may
 * not have been taken and what to do; the failure is logged and counted for the alarm.
 */
export function storedCallback(
  flowFor: (locale: Locale) => ReturnType<typeof createVoiceCallbackFlow>,
  store: VoiceCallbackStore & Pick<CallbackStore, 'within'>,
  logger: HotlineLogger,
  countFailure: CountFailure = () => {},
): (request: TwilioRequest, locale: Locale) => Promise<VoiceReply> {
  return async ({ request, form, signal }, locale) => {
    const flow = flowFor(locale);
    const state = decodeCallbackState(request.query, isTopicId, normalisePhone);
    try {
      return await flow({ state, digits: form.Digits?.slice(0, MAX_DIGITS), speech: form.SpeechResult?.slice(0, MAX_SPEECH), from: form.From, callSid: form.CallSid }, store.within(signal));
    } catch (error) {
      await countFailure('StoreFailure');
      logger.error('callback request not stored', { from: maskPhone(form.From), error: error instanceof Error ? error.name : String(error) });
      return { kind: 'redirect', say: [locale.content.prompts.voice.callbackUnavailable], to: { route: 'voiceMenu', at: { kind: 'main' } } };
    }
  };
}
