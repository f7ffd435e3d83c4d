/**
 * The voice responder between Twilio's form and the menu, with what it is given replaced by
 * recorders: which understanding it loads, what it reads from the form, what it counts and keeps for
 * the question inbox, and what it logs. The whole call over the handler is in voice.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { KeepQuestionInput } from '../lambdas/callbacks/inbox';
import { decodeEvent } from '../lambdas/http/event';
import { ROUTES, type RouteName } from '../lambdas/http/routes';
import type { TwilioRequest } from '../lambdas/http/twilio-webhook';
import { localesOf } from '../lambdas/locales/locale';
import { mandarin } from '../lambdas/locales/mandarin';
import type { Understand, Understanding } from '../lambdas/understanding/understand';
import { createVoiceResponder, type VoiceDeps } from '../lambdas/voice/handler';
import { renderVoice, targetUrl } from '../lambdas/voice/twiml';
import { speakNumbers } from '../lambdas/voice/spoken-numbers';
import { content, parseTwiml, spoken, twilioEvent } from './support/twilio';

const voice = content.prompts.voice;

function setup(understood: Partial<Understanding> = {}, options: { keep?: 'ok' | 'fails'; noInbox?: boolean } = {}) {
  const heard: string[] = [];
  let loads = 0;
  const understand: Understand = (text) => {
    heard.push(text);
    return { topic: null, reason: 'unmatched', score: 0, candidates: [], top: null, ...understood };
  };
  const locales = localesOf([mandarin({ content, understanding: async () => (loads++, understand) })]);
  const counted: unknown[] = [];
  const ended: unknown[][] = [];
  const kept: KeepQuestionInput[] = [];
  const logs: unknown[][] = [];
  const at = (level: string) => (...args: unknown[]) => void logs.push([level, ...args]);
  const deps: VoiceDeps = {
    locales,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    callback: async () => ({ kind: 'hangup', say: ['callback branch'] }),
    counting: {
      voice: async (answer) => void counted.push(answer),
      callEnded: async (...args) => void ended.push(args),
    },
    ...(options.noInbox
      ? {}
      : {
          inbox: () => ({
            keepQuestion: async (input: KeepQuestionInput) => {
              kept.push(input);
              if (options.keep === 'fails') throw new Error('table gone');
              return { kept: true } as never;
            },
          }),
        }),
  };
  const responder = createVoiceResponder(deps);
  const respond = (route: RouteName, params: Record<string, string>, query = '') => {
    const request = decodeEvent(twilioEvent({ path: ROUTES[route].path, query, params }));
    const twilio: TwilioRequest = { route, request, form: params, signal: new AbortController().signal };
    return responder(twilio);
  };
  return { respond, heard, counted, ended, kept, logs, loads: () => loads };
}

const sayings = (xml: string) => spoken(parseTwiml(xml));

describe('the voice responder', () => {
  it('answers Twilio\'s status callback with an empty response, counting where the call ended', async () => {
    const { respond, ended, counted } = setup();
    expect(parseTwiml(await respond('voiceStatus', { CallSid: 'CA1', CallStatus: 'completed' }))).toEqual([]);
    expect(ended).toEqual([['CA1', 'completed', expect.any(AbortSignal)]]);
    expect(counted).toEqual([]);
  });

  it('greets a new call and counts the answer, without loading the classifier', async () => {
    const { respond, counted, loads } = setup();
    expect(sayings(await respond('voiceIncoming', { CallSid: 'CA1' }))[0]).toBe(speakNumbers(voice.greeting));
    expect(counted).toEqual([expect.objectContaining({ route: 'voiceIncoming', callSid: 'CA1', prompts: voice })]);
    expect(loads()).toBe(0);
  });

  it('takes keys before speech, loads the classifier only for words, and cuts what it reads', async () => {
    const keys = setup({ topic: 'negotiate', reason: 'matched' });
    expect(sayings(await keys.respond('voiceMenu', { CallSid: 'CA1', Digits: '5', SpeechResult: '起诉' }, 'at=main'))).toContain(content.topics.get('negotiate')!.speech);
    expect(keys.loads()).toBe(0);
    expect(keys.counted).toEqual([expect.not.objectContaining({ said: expect.anything() })]);
    const blank = setup();
    await blank.respond('voiceMenu', { CallSid: 'CA1', SpeechResult: '   ' }, 'at=main');
    expect(blank.loads()).toBe(0);
    const words = setup({ topic: 'negotiate', reason: 'matched', candidates: ['negotiate'], top: 'negotiate' });
    await words.respond('voiceMenu', { CallSid: 'CA1', Digits: ' ', SpeechResult: `协商${'话'.repeat(400)}` }, 'at=main');
    expect(words.loads()).toBe(1);
    expect(words.heard).toEqual([`协商${'话'.repeat(298)}`]);
    expect(words.counted).toEqual([expect.objectContaining({ route: 'voiceMenu', from: { kind: 'main' }, said: `协商${'话'.repeat(298)}` })]);
    expect(words.logs).toContainEqual(['info', 'speech understood', { at: 'main', confidence: undefined, reply: 'gather' }]);
    const long = setup();
    // Sixteen keys are read, one at a time ('0' goes back to the main menu); the seventeenth is dropped.
    const main = sayings(await long.respond('voiceMenu', { CallSid: 'CA1', Digits: '0' }, 'at=main'));
    expect(sayings(await long.respond('voiceMenu', { CallSid: 'CA1', Digits: `${'0'.repeat(16)}5` }, 'at=main'))).toEqual(main);
    expect(sayings(await long.respond('voiceMenu', { CallSid: 'CA1', Digits: `${'0'.repeat(15)}5` }, 'at=main'))).not.toEqual(main);
  });

  it('reads Twilio\'s Confidence only as a number from 0 to 1: a low one asks back', async () => {
    const understood = { topic: 'negotiate' as const, reason: 'matched' as const, candidates: ['negotiate', 'lawsuit'] as never, top: 'negotiate' as const };
    const asks = async (confidence: string) => sayings(await setup(understood).respond('voiceMenu', { CallSid: 'CA1', SpeechResult: '协商', Confidence: confidence }, 'at=main'))[0] === voice.unsure;
    expect(await asks('0.2')).toBe(true);
    expect(await asks(' 0.2 ')).toBe(true);
    for (const confidence of ['', '  ', 'x', '-0.2', '1.2', '0', '1', '0.9']) expect(await asks(confidence), JSON.stringify(confidence)).toBe(false);
  });

  it('keeps a question it was unsure of for the inbox, and says so in the log when it could not', async () => {
    const unsure = { reason: 'unmatched' as const, top: 'legality' as const };
    const ok = setup(unsure);
    await ok.respond('voiceMenu', { CallSid: 'CA9', SpeechResult: '违法吗' }, 'at=main');
    expect(ok.kept).toEqual([{ text: '违法吗', guess: { kind: 'topic', topics: ['legality'] }, channel: 'voice', sourceSid: 'CA9' }]);
    expect(ok.logs.filter(([level]) => level === 'warn')).toEqual([]);
    const failing = setup(unsure, { keep: 'fails' });
    expect(sayings(await failing.respond('voiceMenu', { CallSid: 'CA9', SpeechResult: '违法吗' }, 'at=main'))[0]).toBe(voice.notUnderstood);
    expect(failing.logs).toContainEqual(['warn', 'question not kept for the inbox', { route: 'voiceMenu' }]);
    const sure = setup({ topic: 'negotiate', reason: 'matched', candidates: ['negotiate'], top: 'negotiate' });
    await sure.respond('voiceMenu', { CallSid: 'CA9', SpeechResult: '协商' }, 'at=main');
    expect(sure.kept).toEqual([]);
    const noInbox = setup(unsure, { noInbox: true });
    expect(sayings(await noInbox.respond('voiceMenu', { CallSid: 'CA9', SpeechResult: '违法吗' }, 'at=main'))[0]).toBe(voice.notUnderstood);
  });

  it('hands the callback route to the callback branch', async () => {
    const { respond } = setup();
    expect(sayings(await respond('voiceCallback', { CallSid: 'CA1', Digits: '1' }, 'step=window'))).toEqual(['callback branch']);
  });

  it('logs nothing about speech for a key press', async () => {
    const { respond, logs } = setup();
    await respond('voiceMenu', { CallSid: 'CA1', Digits: '1' }, 'at=main');
    expect(logs).toEqual([]);
  });
});

describe('TwiML for a reply', () => {
  const locale = localesOf([mandarin({ content, understanding: async () => (() => ({ topic: null, reason: 'unmatched', score: 0, candidates: [], top: null })) as Understand })]).default;

  it('writes action URLs relative to the route called, with the count of silent prompts only when there is one, and the locale when asked', () => {
    expect(targetUrl('/twilio/voice', { route: 'voiceMenu', at: { kind: 'main' } })).toBe('voice/menu?at=main');
    expect(targetUrl('/twilio/voice/menu', { route: 'voiceMenu', at: { kind: 'main' }, silence: 0 })).toBe('menu?at=main');
    expect(targetUrl('/twilio/voice/menu', { route: 'voiceMenu', at: { kind: 'main' }, silence: 2, rejected: 'negotiate' })).toBe('menu?at=main&s=2&x=negotiate');
    expect(targetUrl('/twilio/voice/menu', { route: 'voiceMenu', at: { kind: 'main' } }, 'zh-TEST')).toBe('menu?l=zh-TEST&at=main');
    expect(targetUrl('/twilio/voice/menu', { route: 'voiceCallback', state: { step: 'start', topics: [], keyedIn: false, tries: 0, silence: 0, silent: false } })).toBe('callback');
  });

  it('posts redirects, gathers keys only or keys and speech, and ends a number with #', () => {
    const at = { route: 'voiceMenu' as const, at: { kind: 'main' as const } };
    const redirect = parseTwiml(renderVoice({ kind: 'redirect', say: ['好'], to: at }, '/twilio/voice', locale));
    expect(redirect.at(-1)).toMatchObject({ name: 'Redirect', attrs: { method: 'POST' }, text: 'voice/menu?at=main' });
    const keysOnly = parseTwiml(renderVoice({ kind: 'gather', say: ['请输入'], action: at, onSilence: at, finishOnKey: '#', speech: false, hints: [] }, '/twilio/voice', locale));
    expect(keysOnly[0]).toMatchObject({ name: 'Gather', attrs: { input: 'dtmf', finishOnKey: '#', method: 'POST', action: 'voice/menu?at=main' } });
    expect(keysOnly[0]!.attrs).not.toHaveProperty('numDigits');
    expect(keysOnly[1]).toMatchObject({ name: 'Redirect', attrs: { method: 'POST' } });
    const speech = parseTwiml(renderVoice({ kind: 'gather', say: ['请说'], action: at, onSilence: 'hangup', numDigits: 1, speech: true, hints: ['回电'] }, '/twilio/voice', locale));
    expect(speech[0]).toMatchObject({ name: 'Gather', attrs: { input: 'dtmf speech', numDigits: '1', hints: '回电' } });
    expect(speech[1]).toMatchObject({ name: 'Hangup' });
    const carried = parseTwiml(renderVoice({ kind: 'redirect', say: [], to: at }, '/twilio/voice', locale, true));
    expect(carried.at(-1)!.text).toBe(`voice/menu?l=${locale.id}&at=main`);
  });
});
