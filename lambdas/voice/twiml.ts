import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { relativePath, ROUTES } from '../http/routes';
import { encodeCallbackState } from './callback-state';
import { encodePosition, type VoiceReply, type VoiceTarget } from './reply';
import { speakNumbers } from './spoken-numbers';

/** Mandarin text-to-speech and recognition settings, in one place. */
export const VOICE = {
  voice: 'Polly.Zhiyu-Neural',
  language: 'cmn-CN',
  /** Slower than default: callers are often older, stressed, on a poor line. */
  rate: '90%',
  /**
   * Speech recognition. No `speechModel`: Twilio's documented Mandarin support is its default model
   * (Google STT V2 with `cmn-Hans-CN`), and leaving it unset keeps Twilio's fail-over to another
   * provider. `phone_call` and the experimental models have no Chinese.
   */
  recognition: 'cmn-Hans-CN',
  /**
   * Seconds of silence that end an utterance. Not `auto`, which stops at the first pause: callers
   * describe their problem in one or two sentences and pause while they think.
   */
  speechTimeout: '3',
  /** Seconds Twilio waits for a key after the prompts end. */
  timeout: 6,
} as const;

export function targetUrl(fromPath: string, target: VoiceTarget): string {
  const query = new URLSearchParams();
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
export function say(into: VoiceResponse | VoiceResponse.Gather, text: string): void {
  into.say({ voice: VOICE.voice, language: VOICE.language }, '').prosody({ rate: VOICE.rate }, speakNumbers(text));
}

/** Renders a reply model as TwiML with twilio's builder. `fromPath` is the route that was called. */
export function renderVoice(reply: VoiceReply, fromPath: string): string {
  const response = new VoiceResponse();
  if (reply.kind === 'gather') {
    const gather = response.gather({
      input: reply.speech ? ['dtmf', 'speech'] : ['dtmf'],
      action: targetUrl(fromPath, reply.action),
      method: 'POST',
      ...(reply.numDigits ? { numDigits: reply.numDigits } : {}),
      ...(reply.finishOnKey ? { finishOnKey: reply.finishOnKey } : {}),
      timeout: VOICE.timeout,
      ...(reply.speech
        ? {
            language: VOICE.recognition,
            speechTimeout: VOICE.speechTimeout,
            hints: reply.hints.join(','),
            // Unrecognised speech comes to the action too (not only to the redirect after the gather),
            // so the caller hears "没有听清" and the count of empty answers stays in the URL.
            actionOnEmptyResult: true,
            // Callers quote collectors' abuse; masking it would hide threats from the classifier.
            profanityFilter: false,
          }
        : {}),
    });
    for (const text of reply.say) say(gather, text);
    if (reply.onSilence === 'hangup') response.hangup();
    else response.redirect({ method: 'POST' }, targetUrl(fromPath, reply.onSilence));
    return response.toString();
  }
  for (const text of reply.say) say(response, text);
  if (reply.kind === 'redirect') response.redirect({ method: 'POST' }, targetUrl(fromPath, reply.to));
  else response.hangup();
  return response.toString();
}
