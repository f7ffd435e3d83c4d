import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { relativePath, ROUTES } from '../http/routes';
import { encodeCallbackState } from './callback-state';
import { encodePosition, type VoiceReply, type VoiceTarget } from './reply';
import type { Locale, LocaleId } from '../locales/locale';

/**
 * The URL of the next step, relative to `fromPath`. A call in a locale other than the default
 * carries it (`l=`), so every step answers in the language the call started in.
 */
export function targetUrl(fromPath: string, target: VoiceTarget, locale?: LocaleId): string {
  const query = new URLSearchParams();
  if (locale) query.set('l', locale);
  let path: string;
  if (target.route === 'voiceMenu') {
    path = ROUTES.voiceMenu.path;
    query.set('at', encodePosition(target.at));
    if (target.silence) query.set('s', String(target.silence));
    if (target.rejected) query.set('x', target.rejected);
  } else {
    path = ROUTES.voiceCallback.path;
    for (const [k, v] of Object.entries(encodeCallbackState(target.state))) query.set(k, v);
  }
  const search = query.toString();
  return relativePath(fromPath, path) + (search ? `?${search}` : '');
}

/**
 * Every spoken text goes through here: numbers are read digit by digit (speakNumbers), then an
 * empty <Say> carries an SSML <prosody> child, whose text the builder escapes.
 */
export function say(into: VoiceResponse | VoiceResponse.Gather, text: string, locale: Locale): void {
  const { voice } = locale;
  into.say({ voice: voice.voice, language: voice.language }, '').prosody({ rate: voice.rate }, locale.speakNumbers(text));
}

/**
 * Renders a reply model as TwiML with twilio's builder, in the call's locale. `fromPath` is the route
 * that was called; `carryLocale` puts the locale in the action URLs (any but the default).
 */
export function renderVoice(reply: VoiceReply, fromPath: string, locale: Locale, carryLocale = false): string {
  const { voice } = locale;
  const url = (target: VoiceTarget) => targetUrl(fromPath, target, carryLocale ? locale.id : undefined);
  const response = new VoiceResponse();
  if (reply.kind === 'gather') {
    const gather = response.gather({
      input: reply.speech ? ['dtmf', 'speech'] : ['dtmf'],
      action: url(reply.action),
      method: 'POST',
      ...(reply.numDigits ? { numDigits: reply.numDigits } : {}),
      ...(reply.finishOnKey ? { finishOnKey: reply.finishOnKey } : {}),
      timeout: voice.timeout,
      ...(reply.speech
        ? {
            language: voice.recognition,
            speechTimeout: voice.speechTimeout,
            hints: reply.hints.join(','),
            // Unrecognised speech comes to the action too (not only to the redirect after the gather),
            // so the caller hears "没有听清" and the count of empty answers stays in the URL.
            actionOnEmptyResult: true,
            // Callers quote collectors' abuse; masking it would hide threats from the classifier.
            profanityFilter: false,
          }
        : {}),
    });
    for (const text of reply.say) say(gather, text, locale);
    if (reply.onSilence === 'hangup') response.hangup();
    else response.redirect({ method: 'POST' }, url(reply.onSilence));
    return response.toString();
  }
  for (const text of reply.say) say(response, text, locale);
  if (reply.kind === 'redirect') response.redirect({ method: 'POST' }, url(reply.to));
  else response.hangup();
  return response.toString();
}
