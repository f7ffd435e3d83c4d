/**
 * The spoken callback request step by step (`createVoiceCallbackFlow`), on a store in memory: what
 * each key or silence leads to, what is written, and who hears the code. The same flow over HTTP and
 * DynamoDB is in callback-flows.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { staffCalendar } from '../lambdas/callbacks/settings';
import { fill } from '../lambdas/content/content';
import { createVoiceCallbackFlow, type CallbackStepInput } from '../lambdas/voice/callback-flow';
import { decodeCallbackState, encodeCallbackState, START, type CallbackState } from '../lambdas/voice/callback-state';
import { readCode, readDigits, spokenNumber } from '../lambdas/voice/spoken-numbers';
import { storedCallback } from '../lambdas/voice/stored-callback';
import { normalisePhone, type E164 } from '../lambdas/callbacks/phone-number';
import { isTopicId } from '../lambdas/content/topic-ids';
import type { VoiceReply } from '../lambdas/voice/reply';
import { callNames, fakeStore } from './support/fake-store';
import { content, locales, silentLogger } from './support/twilio';

const texts = content.prompts.callback;
const voice = content.prompts.voice;
const calendar = staffCalendar(content, {});
/** Thursday 3 December 2026, 10:00 Beijing time. */
const NOW = new Date('2026-12-03T02:00:00Z');
const CALLER = '+8613812345678' as E164;
const OTHER = '+8613912345678' as E164;
const CALL = 'CA0123456789abcdef0123456789abcdef';

function setup(dailyLimit = 3) {
  const store = fakeStore(() => NOW);
  const flow = createVoiceCallbackFlow({ content, dailyLimit, calendar, now: () => NOW });
  const step = (state: Partial<CallbackState>, input: Omit<CallbackStepInput, 'state'> = {}) =>
    flow({ state: { ...START, ...state }, from: CALLER, callSid: CALL, ...input }, store);
  return { store, step };
}

const gather = (reply: VoiceReply) => {
  if (reply.kind !== 'gather') throw new Error(`expected a gather, got ${reply.kind}`);
  return reply;
};
const stateOf = (reply: VoiceReply) => {
  const target = gather(reply).action;
  if (target.route !== 'voiceCallback') throw new Error('expected the callback route');
  return target.state;
};
const windowList = calendar.windows.map((w, i) => fill(texts.voiceWindowItem, { window: w.label, key: String(i + 1) }));
const chooseTimePrompts = [texts.voiceChooseWindow, ...windowList, fill(texts.voiceAnyWindow, { key: '4' }), voice.navigation];

describe('the start of the flow', () => {
  it('asks for a time, by speech or by key, listing every window and "any time"', async () => {
    const { step, store } = setup();
    const reply = gather(await step({}));
    expect(reply.say).toEqual([texts.voiceStart, ...chooseTimePrompts]);
    expect(reply.speech).toBe(true);
    expect(reply.hints).toEqual(texts.voiceTimeHints);
    expect(reply.numDigits).toBe(1);
    expect(reply.finishOnKey).toBeUndefined();
    expect(stateOf(reply)).toMatchObject({ step: 'window', silence: 0, silent: false });
    expect(reply.onSilence).toEqual({ route: 'voiceCallback', state: { ...START, step: 'window', silence: 1, silent: true } });
    expect(store.calls).toEqual([['recentQuota', CALLER, 'callback', 86_400]]);
  });

  it('tells a caller already at the daily limit at once, with or without a waiting request', async () => {
    const { step, store } = setup(1);
    await store.consumeQuota(CALLER, 'callback', 1, 86_400, 'CAearlier');
    expect(await step({})).toEqual({ kind: 'redirect', say: [texts.voiceLimit], to: { route: 'voiceMenu', at: { kind: 'main' } } });
    await store.requestCallback({ phone: CALLER, window: '晚上', channel: 'sms', sourceSid: 'SM1' });
    expect(await step({})).toEqual({ kind: 'redirect', say: [texts.voiceLimitPending], to: { route: 'voiceMenu', at: { kind: 'main' } } });
  });

  it('lets a caller one below the limit choose a time', async () => {
    const { step, store } = setup(2);
    await store.consumeQuota(CALLER, 'callback', 2, 86_400, 'CAearlier');
    expect(gather(await step({})).say[0]).toBe(texts.voiceStart);
  });

  it('does not ask a caller in crisis for a time, nor count their limit', async () => {
    const { step, store } = setup(0);
    const reply = gather(await step({ topics: ['crisis'] }));
    expect(reply.say).toEqual([texts.voiceStart, fill(texts.voiceConfirmNumber, { digits: spokenNumber(CALLER) })]);
    expect(stateOf(reply)).toMatchObject({ step: 'confirm', number: CALLER, keyedIn: false, topics: ['crisis'] });
    expect(store.calls).toEqual([]);
  });

  it('goes back to the main menu on 0', async () => {
    const { step } = setup();
    for (const at of ['start', 'window', 'confirm', 'done'] as const) {
      expect(await step({ step: at, number: CALLER }, { digits: '0' })).toEqual({ kind: 'redirect', say: [], to: { route: 'voiceMenu', at: { kind: 'main' } } });
    }
  });
});

describe('choosing the time', () => {
  it('takes a window key, then reads the caller ID back for confirmation', async () => {
    const { step, store } = setup();
    const reply = gather(await step({ step: 'window' }, { digits: '3' }));
    expect(reply.say).toEqual([fill(texts.voiceConfirmNumber, { digits: spokenNumber(CALLER) })]);
    expect(stateOf(reply)).toMatchObject({
      step: 'confirm',
      number: CALLER,
      keyedIn: false,
      slot: { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z', window: 'evening', adjusted: false },
    });
    expect(store.calls).toEqual([]);
  });

  it('takes the key after the windows as any time, and speech as the caller said it', async () => {
    const { step } = setup();
    expect(stateOf(await step({ step: 'window' }, { digits: '4' })).slot).toMatchObject({ window: 'any', from: '2026-12-03T02:00:00.000Z', adjusted: false });
    expect(stateOf(await step({ step: 'window' }, { speech: '明天上午' })).slot).toMatchObject({ window: 'morning', from: '2026-12-04T01:00:00.000Z' });
    // Keys win over speech when both arrive.
    expect(stateOf(await step({ step: 'window' }, { digits: '1', speech: '晚上' })).slot).toMatchObject({ window: 'morning' });
  });

  it('says when a time was moved, and which, before asking for the number', async () => {
    const { step } = setup();
    const reply = gather(await step({ step: 'window' }, { speech: '凌晨三点' }));
    expect(reply.say[0]).toBe(texts.timeAdjusted);
    expect(reply.say[1]).toMatch(/^今天/);
    expect(reply.say[2]).toBe(fill(texts.voiceConfirmNumber, { digits: spokenNumber(CALLER) }));
    expect(stateOf(reply).slot?.adjusted).toBe(true);
  });

  it('asks again after a key that is no window, and after words that are no time', async () => {
    const { step } = setup();
    for (const digits of ['5', '7', '12']) expect(gather(await step({ step: 'window' }, { digits })).say).toEqual([voice.unknownKey, ...chooseTimePrompts]);
    expect(gather(await step({ step: 'window' }, { speech: '我不知道' })).say).toEqual([texts.voiceTimeNotHeard, ...chooseTimePrompts]);
  });

  it('asks again, without calling it wrong, on * and on 9', async () => {
    const { step } = setup();
    for (const digits of ['*', '9']) expect(gather(await step({ step: 'window' }, { digits })).say).toEqual(chooseTimePrompts);
  });

  it('asks a caller with a withheld number to key one in, and a landline caller too, saying why', async () => {
    const { step } = setup();
    for (const from of ['anonymous', '']) {
      const reply = gather(await step({ step: 'window' }, { digits: '1', from }));
      expect(reply.say).toEqual([texts.voiceNoCallerId, texts.voiceEnterNumber]);
      expect(reply.finishOnKey).toBe('#');
      expect(reply.numDigits).toBeUndefined();
      expect(stateOf(reply)).toMatchObject({ step: 'entered', tries: 0, slot: { window: 'morning' } });
    }
    expect(gather(await step({ step: 'window' }, { digits: '1', from: '+861082951332' })).say).toEqual([texts.voiceNotMobile, texts.voiceEnterNumber]);
  });
});

describe('silence', () => {
  it('repeats the question being asked with a notice, keeping the count the redirect carries, and hangs up after the second', async () => {
    const { step } = setup();
    // Twilio's redirect after silence: the URL already holds the new count (onSilence adds one).
    const first = gather(await step({ step: 'window', silent: true, silence: 1 }));
    expect(first.say).toEqual([voice.silence, ...chooseTimePrompts]);
    expect(stateOf(first)).toMatchObject({ silence: 1, silent: false });
    expect(first.onSilence).toMatchObject({ state: { silence: 2, silent: true } });
    expect(gather(await step({ step: 'window', silent: true, silence: 2 })).say[0]).toBe(voice.silence);
    expect(await step({ step: 'window', silent: true, silence: 3 })).toEqual({ kind: 'hangup', say: [voice.goodbye] });
  });

  it('counts an empty answer posted to the action as silence too, but not at the start', async () => {
    const { step } = setup();
    expect(stateOf(await step({ step: 'confirm', number: CALLER, silence: 0 }))).toMatchObject({ step: 'confirm', silence: 1 });
    expect(await step({ step: 'confirm', number: CALLER, silence: 2 })).toEqual({ kind: 'hangup', say: [voice.goodbye] });
    expect(gather(await step({ step: 'start' })).say[0]).toBe(texts.voiceStart);
  });

  it('resets the count once the caller answers', async () => {
    const { step } = setup();
    expect(stateOf(await step({ step: 'window', silence: 2 }, { digits: '1' }))).toMatchObject({ step: 'confirm', silence: 2, silent: false });
    expect(gather(await step({ step: 'window', silence: 2 }, { digits: '1' })).onSilence).toMatchObject({ state: { silence: 3, silent: true } });
  });

  it('repeats the number prompt and the confirmation on silence, and says goodbye after the code', async () => {
    const { step } = setup();
    expect(gather(await step({ step: 'entered', silent: true, tries: 1 })).say).toEqual([voice.silence, texts.voiceEnterNumber]);
    expect(gather(await step({ step: 'confirm', number: OTHER, keyedIn: true, silent: true })).say).toEqual([voice.silence, fill(texts.voiceConfirmNumber, { digits: spokenNumber(OTHER) })]);
    expect(await step({ step: 'done', number: CALLER, silent: true })).toEqual({ kind: 'hangup', say: [voice.goodbye] });
  });
});

describe('the number', () => {
  it('asks again on a wrong key, on * and on 9, and for a new number on 2', async () => {
    const { step } = setup();
    const confirm = fill(texts.voiceConfirmNumber, { digits: spokenNumber(CALLER) });
    expect(gather(await step({ step: 'confirm', number: CALLER }, { digits: '5' })).say).toEqual([voice.unknownKey, confirm]);
    for (const digits of ['*', '9']) expect(gather(await step({ step: 'confirm', number: CALLER }, { digits })).say).toEqual([confirm]);
    const other = gather(await step({ step: 'confirm', number: CALLER }, { digits: '2' }));
    expect(other.say).toEqual([texts.voiceEnterNumber]);
    expect(stateOf(other)).toMatchObject({ step: 'entered', tries: 0 });
  });

  it('confirms with the caller ID when the URL carries no number, and asks for one when there is none', async () => {
    const { step } = setup();
    expect(stateOf(await step({ step: 'confirm' }, { digits: '*' }))).toMatchObject({ number: CALLER });
    const none = gather(await step({ step: 'confirm' }, { digits: '1', from: 'anonymous' }));
    expect(none.say).toEqual([texts.voiceNoCallerId, texts.voiceEnterNumber]);
  });

  it('reads a keyed-in number back, starts it again on *, and gives up after three wrong ones', async () => {
    const { step } = setup();
    const keyed = gather(await step({ step: 'entered' }, { digits: '13912345678' }));
    expect(keyed.say).toEqual([fill(texts.voiceConfirmNumber, { digits: spokenNumber(OTHER) })]);
    expect(stateOf(keyed)).toMatchObject({ step: 'confirm', number: OTHER, keyedIn: true });
    expect(gather(await step({ step: 'entered', tries: 1 }, { digits: '139*' })).say).toEqual([texts.voiceEnterNumber]);
    expect(stateOf(await step({ step: 'entered', tries: 1 }, { digits: '139*' }))).toMatchObject({ tries: 1 });
    const wrong = gather(await step({ step: 'entered', tries: 1 }, { digits: '12345' }));
    expect(wrong.say).toEqual([texts.voiceBadNumber, texts.voiceEnterNumber]);
    expect(stateOf(wrong)).toMatchObject({ tries: 2 });
    expect(await step({ step: 'entered', tries: 2 }, { digits: '12345' })).toEqual({ kind: 'redirect', say: [texts.voiceTooManyTries], to: { route: 'voiceMenu', at: { kind: 'main' } } });
  });

  it('takes 0 as part of a number being keyed in, not as the main menu', async () => {
    const { step } = setup();
    expect(gather(await step({ step: 'entered' }, { digits: '0' })).say).toEqual([texts.voiceBadNumber, texts.voiceEnterNumber]);
  });
});

describe('registering', () => {
  const slot = { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z', window: 'evening', adjusted: false };

  it('writes the request with the chosen time, counted under the CallSid, and says the code twice with the promise', async () => {
    const { step, store } = setup();
    const reply = gather(await step({ step: 'confirm', number: CALLER, slot, topics: ['negotiate', 'evidence'] }, { digits: '1' }));
    expect(callNames(store)).toEqual(['consumeQuota', 'requestCallback']);
    expect(store.calls[0]).toEqual(['consumeQuota', CALLER, 'callback', 3, 86_400, CALL]);
    expect(store.calls[1]).toEqual([
      'requestCallback',
      {
        phone: CALLER,
        window: '今天晚上七点到九点',
        due: { from: slot.from, until: slot.until },
        topic: 'negotiate',
        topics: ['evidence'],
        channel: 'voice',
        sourceSid: CALL,
        urgent: false,
        numberSource: 'caller-id',
      },
    ]);
    const code = readCode('4821');
    expect(reply.say).toEqual([fill(texts.voiceRegistered, { code }), fill(texts.voicePromise, { window: '今天晚上七点到九点' }), texts.voiceAfterRegistered]);
    expect(stateOf(reply)).toMatchObject({ step: 'done', number: CALLER, keyedIn: false });
  });

  it('marks a keyed-in number as keyed in, and books the next staff time when the URL lost the slot', async () => {
    const { step, store } = setup();
    await step({ step: 'confirm', number: OTHER, keyedIn: true }, { digits: '1' });
    expect(store.calls[1]).toMatchObject(['requestCallback', { phone: OTHER, numberSource: 'keyed-in', window: '今天晚上九点以前', due: { from: NOW.toISOString(), until: '2026-12-03T13:00:00.000Z' }, topic: null, topics: [] }]);
  });

  it('hears the code again when Twilio retries the confirmation with the same CallSid, even at the daily limit', async () => {
    const { step, store } = setup(1);
    const first = gather(await step({ step: 'confirm', number: CALLER, slot }, { digits: '1' }));
    const retry = gather(await step({ step: 'confirm', number: CALLER, slot }, { digits: '1' }));
    expect(retry.say).toEqual(first.say);
    expect(store.requests).toHaveLength(1);
    expect(store.quotas.get(`callback:${CALLER}`)).toEqual([CALL]);
  });

  it('writes a sid without any number when Twilio sent no CallSid', async () => {
    const { step, store } = setup();
    await step({ step: 'confirm', number: CALLER, slot }, { digits: '1', callSid: '' });
    expect(store.calls[0]).toEqual(['consumeQuota', CALLER, 'callback', 3, 86_400, undefined]);
    expect(store.calls[1]).toMatchObject(['requestCallback', { sourceSid: `voice-nosid-${Date.parse(slot.from) / 60_000}` }]);
  });

  it('repeats the code on * after it, for the number keyed in (not the caller ID), writing nothing new', async () => {
    const { step, store } = setup();
    const first = gather(await step({ step: 'confirm', number: OTHER, keyedIn: true, slot }, { digits: '1' }));
    const again = gather(await step({ step: 'done', number: OTHER, keyedIn: true, slot }, { digits: '*' }));
    expect(again.say).toEqual(first.say);
    expect(store.requests).toHaveLength(1);
    expect(store.requests[0]!.phone).toBe(OTHER);
    // * repeats, it is not a new ask: the daily count is not touched again.
    expect(callNames(store)).toEqual(['consumeQuota', 'requestCallback', 'requestCallback']);
    expect(store.calls[2]).toMatchObject(['requestCallback', { phone: OTHER, sourceSid: CALL, numberSource: 'keyed-in' }]);
  });

  it('repeats the code for the caller ID after a request made with it, and goes to the menu when there is no number at all', async () => {
    const { step } = setup();
    const first = gather(await step({ step: 'confirm', slot }, { digits: '1' }));
    expect(gather(await step({ step: 'done', slot }, { digits: '*' })).say).toEqual(first.say);
    expect(await step({ step: 'done' }, { digits: '*', from: 'anonymous' })).toEqual({ kind: 'redirect', say: [], to: { route: 'voiceMenu', at: { kind: 'main' } } });
  });

  it('never says the code to another call for the same number: it hears that a request is waiting', async () => {
    const { step, store } = setup();
    await step({ step: 'confirm', number: CALLER, slot }, { digits: '1' });
    const other = await step({ step: 'confirm', number: CALLER, slot }, { digits: '1', callSid: 'CAanother' });
    expect(other).toEqual({ kind: 'redirect', say: [texts.voiceAlreadyWaiting], to: { route: 'voiceMenu', at: { kind: 'main' } } });
    expect(JSON.stringify(other)).not.toContain(readCode('4821'));
    expect(store.requests[0]!.repeats).toBe(1);
  });

  it('refuses past the daily limit without the code: "waiting" when a request stands, the limit otherwise', async () => {
    const { step, store } = setup(1);
    await store.consumeQuota(OTHER, 'callback', 1, 86_400, 'CAearlier');
    expect(await step({ step: 'confirm', number: OTHER, keyedIn: true, slot }, { digits: '1' })).toEqual({ kind: 'redirect', say: [texts.voiceLimit], to: { route: 'voiceMenu', at: { kind: 'main' } } });
    await store.requestCallback({ phone: OTHER, window: '晚上', channel: 'sms', sourceSid: 'SM1' });
    expect(await step({ step: 'confirm', number: OTHER, keyedIn: true, slot }, { digits: '1' })).toEqual({ kind: 'redirect', say: [texts.voiceLimitPending], to: { route: 'voiceMenu', at: { kind: 'main' } } });
  });

  it('books a caller in crisis as urgent, due now, past any limit, and upgrades a waiting request without its code', async () => {
    const { step, store } = setup(0);
    const reply = gather(await step({ step: 'confirm', number: CALLER, topics: ['crisis'] }, { digits: '1' }));
    expect(callNames(store)).toEqual(['requestCallback']);
    expect(store.calls[0]).toMatchObject(['requestCallback', { urgent: true, window: texts.urgentWindow, topic: 'crisis', due: { from: NOW.toISOString(), until: '2026-12-03T03:00:00.000Z' } }]);
    expect(reply.say).toEqual([fill(texts.voiceRegistered, { code: readCode('4821') }), texts.voicePromiseUrgent, texts.voiceAfterRegistered]);
    const again = await step({ step: 'confirm', number: CALLER, topics: ['crisis'] }, { digits: '1', callSid: 'CAlater' });
    expect(again).toEqual({ kind: 'redirect', say: [texts.voiceAlreadyWaiting, texts.voiceUrgentWaiting], to: { route: 'voiceMenu', at: { kind: 'main' } } });
  });
});

describe('the state in the URL', () => {
  const parse = (params: Record<string, string>) => decodeCallbackState(new URLSearchParams(params), isTopicId, normalisePhone);

  it('round-trips every field, with start as the default step and minutes for the slot', () => {
    const state: CallbackState = {
      step: 'confirm',
      topics: ['negotiate', 'evidence'],
      slot: { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z', window: 'evening', adjusted: true },
      number: OTHER,
      keyedIn: true,
      tries: 2,
      silence: 1,
      silent: true,
    };
    const params = encodeCallbackState(state);
    expect(params).toEqual({ step: 'confirm', topic: 'negotiate.evidence', f: String(Date.parse(state.slot!.from) / 60_000), u: String(Date.parse(state.slot!.until) / 60_000), w: 'evening', j: '1', n: OTHER, k: '1', t: '2', s: '1', silent: '1' });
    expect(parse(params)).toEqual(state);
    expect(encodeCallbackState(START)).toEqual({});
    expect(parse({})).toEqual(START);
  });

  it('falls back to safe defaults for anything tampered with', () => {
    expect(parse({ step: 'paid' }).step).toBe('start');
    expect(parse({ topic: 'negotiate.nope.negotiate.evidence.lawsuit' }).topics).toEqual(['negotiate']);
    expect(parse({ topic: 'evidence.negotiate.lawsuit' }).topics).toEqual(['evidence', 'negotiate']);
    expect(parse({ n: '12345', k: '1' })).toEqual(START);
    expect(parse({ n: '13912345678', k: '0' })).toMatchObject({ number: OTHER, keyedIn: false });
    expect(parse({ t: '99', s: '-4' })).toMatchObject({ tries: 10, silence: 0 });
    expect(parse({ t: 'x' }).tries).toBe(0);
    expect(parse({ silent: 'yes' }).silent).toBe(false);
  });

  it('keeps a slot only when it is whole, in order, at most a day long, with a plain window id', () => {
    const from = Date.parse('2026-12-03T11:00:00.000Z') / 60_000;
    const ok = { f: String(from), u: String(from + 120), w: 'evening' };
    expect(parse(ok).slot).toEqual({ from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z', window: 'evening', adjusted: false });
    expect(parse({ ...ok, u: String(from + 24 * 60) }).slot).toBeDefined();
    for (const broken of [
      { ...ok, f: '' },
      { ...ok, u: '' },
      { ...ok, w: '' },
      { ...ok, u: String(from) },
      { ...ok, u: String(from - 1) },
      { ...ok, u: String(from + 24 * 60 + 1) },
      { ...ok, f: `${from}x` },
      { ...ok, u: `x${from + 1}` },
      { ...ok, f: '12345678901' },
      { ...ok, w: 'Evening' },
      { ...ok, w: '1evening' },
      { ...ok, w: 'a'.repeat(21) },
      { ...ok, w: 'evening!' },
    ]) {
      expect(parse(broken).slot, JSON.stringify(broken)).toBeUndefined();
    }
    expect(parse({ ...ok, w: 'a'.repeat(20) }).slot).toBeDefined();
    expect(parse({ ...ok, w: 'late-2' }).slot).toBeDefined();
  });
});

describe('numbers as they are read out', () => {
  it('groups a mainland mobile 3-4-4, a short number whole, and anything else by fours', () => {
    expect(readDigits('13812345678')).toBe('幺三八，幺二三四，五六七八');
    expect(readDigits('1234')).toBe('幺二三四');
    expect(readDigits('110')).toBe('幺幺零');
    expect(readDigits('4155550123')).toBe('四幺五五，五五零幺，二三');
    expect(readDigits('+1 (415)')).toBe('幺四幺五');
    expect(spokenNumber('+14155550123')).toBe('加，幺四幺，五五五五，零幺二三');
    expect(spokenNumber('+447911123456')).toBe('加，四四七九，幺幺幺二，三四五六');
    expect(readCode('4821')).toBe('四、八、二、幺');
  });
});

describe('the callback branch with its store', () => {
  const request = (query: string, form: Record<string, string>) => ({
    route: 'voiceCallback' as const,
    request: { method: 'POST', rawPath: '/twilio/voice/callback', rawQuery: query, query: new URLSearchParams(query), headers: {}, body: '', bodyBytes: 0 },
    form,
    signal: new AbortController().signal,
  });

  it('decodes the state from the URL and cuts long keys and speech before the flow reads them', async () => {
    const seen: CallbackStepInput[] = [];
    const branch = storedCallback(() => async (input) => (seen.push(input), { kind: 'hangup', say: [] }), fakeStore(), silentLogger);
    await branch(request('step=entered&t=1', { Digits: '1'.repeat(40), SpeechResult: '话'.repeat(400), From: CALLER, CallSid: CALL }), locales.default);
    expect(seen[0]!.state).toMatchObject({ step: 'entered', tries: 1 });
    expect(seen[0]!.digits).toHaveLength(16);
    expect(seen[0]!.speech).toHaveLength(300);
    expect(seen[0]).toMatchObject({ from: CALLER, callSid: CALL });
  });

  it('tells the caller, counts and logs when the store fails', async () => {
    const counted: string[] = [];
    const errors: unknown[][] = [];
    const logger = { ...silentLogger, error: (...args: unknown[]) => void errors.push(args) };
    const branch = storedCallback(() => () => Promise.reject(Object.assign(new Error('down'), { name: 'CallbackStoreError' })), fakeStore(), logger, (name) => void counted.push(name));
    expect(await branch(request('step=confirm', { From: CALLER }), locales.default)).toEqual({ kind: 'redirect', say: [voice.callbackUnavailable], to: { route: 'voiceMenu', at: { kind: 'main' } } });
    expect(counted).toEqual(['StoreFailure']);
    expect(errors).toEqual([['callback request not stored', { from: '+86 138****5678', error: 'CallbackStoreError' }]]);
  });
});
