import { fill, type Content } from '../content/content';
import type { TopicId } from '../content/topic-ids';
import { normalisePhone } from '../callbacks/rules';
import type { CallbackStore } from '../callbacks/store';
import type { VoiceReply, VoiceTarget } from './reply';
import { readCode, spokenNumber } from './spoken-numbers';

export { readCode, readDigits, spokenNumber } from './spoken-numbers';

export interface CallbackFlowDeps {
  content: Content;
  store: Pick<CallbackStore, 'requestCallback' | 'consumeQuota' | 'findPending' | 'recentQuota'>;
  /** Callback requests a number may make per day before it hears the limit message. */
  dailyLimit: number;
}

export interface CallbackStepInput {
  /** Query parameters of the callback route: step, w (window key), n (number keyed in), t (tries), s (silence). */
  params: URLSearchParams;
  digits?: string;
  from?: string;
  callSid?: string;
  topic?: TopicId;
}

const MAX_SILENCE = 2;
const MAX_NUMBER_TRIES = 3;

/**
 * The spoken callback request: choose a window → confirm the number (or key one in) → hear the
 * reference code twice. Each step's state travels in the action URL; only the last step writes.
 */
export function createVoiceCallbackFlow(deps: CallbackFlowDeps) {
  const texts = deps.content.prompts.callback;
  const voice = deps.content.prompts.voice;
  const windows = texts.windows;

  return async (input: CallbackStepInput): Promise<VoiceReply> => {
    const step = input.params.get('step') ?? 'start';
    const urgent = input.topic === 'crisis';
    const keys = (input.digits ?? '').trim();
    const silence = Number.parseInt(input.params.get('s') ?? '0', 10) || 0;
    const state: Record<string, string> = {};
    if (input.topic) state.topic = input.topic;
    for (const name of ['w', 'n']) {
      const value = input.params.get(name);
      if (value) state[name] = value;
    }
    const target = (nextStep: string, extra: Record<string, string> = {}): VoiceTarget => ({ route: 'voiceCallback', params: { ...state, step: nextStep, ...extra } });
    const ask = (say: string[], nextStep: string, options: { numDigits?: number; finishOnKey?: string; extra?: Record<string, string> } = {}): VoiceReply => ({
      kind: 'gather',
      say,
      action: target(nextStep, options.extra),
      // Silence comes back here with the count; past MAX_SILENCE the caller hears goodbye (below).
      // Silence returns to the question being asked now (its action step), never the previous one.
      onSilence: target(nextStep, { ...options.extra, s: String(silence + 1), silent: '1' }),
      numDigits: options.finishOnKey ? undefined : (options.numDigits ?? 1),
      finishOnKey: options.finishOnKey,
      speech: false,
      hints: [],
    });
    const toMain = (say: string[]): VoiceReply => ({ kind: 'redirect', say, to: { route: 'voiceMenu', at: { kind: 'main' } } });
    const chooseWindow = (intro: string[]) =>
      ask([...intro, texts.voiceChooseWindow, ...windows.map((w, i) => fill(texts.voiceWindowItem, { window: w, key: String(i + 1) })), voice.navigation], 'window');
    const confirm = (intro: string[], e164: string) =>
      ask([...intro, fill(texts.voiceConfirmNumber, { digits: spokenNumber(e164) })], 'confirm', { extra: { n: e164 } });
    const enterNumber = (intro: string[], tries: number) =>
      ask([...intro, texts.voiceEnterNumber], 'entered', { finishOnKey: '#', extra: { t: String(tries) } });

    // A redirect after silence: say so, then ask the same question again (twice), then hang up politely.
    const silent = input.params.get('silent') === '1' && !keys;
    if (silent && silence > MAX_SILENCE) return { kind: 'hangup', say: [voice.goodbye] };
    const notice = silent ? [voice.silence] : [];

    if (keys === '0' && step !== 'entered') return toMain([]);

    /** The window is known: confirm the caller's number, or ask for one. */
    const askNumber = (intro: string[]): VoiceReply => {
      const caller = normalisePhone(input.from);
      if (caller.ok) return confirm(intro, caller.e164);
      // A landline or foreign fixed line is shown but cannot take our callback: say so, not "withheld".
      const hidden = caller.reason === 'withheld' || caller.reason === 'empty';
      return enterNumber([...intro, hidden ? texts.voiceNoCallerId : texts.voiceNotMobile], 0);
    };

    switch (step) {
      case 'start': {
        // A caller in crisis is not asked to pick a time: staff call back as soon as they can.
        if (urgent) return askNumber([texts.voiceStart]);
        // Already at today's limit (by caller ID): say so now, not after choosing a time and confirming.
        const caller = normalisePhone(input.from);
        if (caller.ok && (await deps.store.recentQuota(caller.e164, 'callback', 86_400)) >= deps.dailyLimit) {
          return toMain([(await deps.store.findPending(caller.e164)) ? texts.voiceLimitPending : texts.voiceLimit]);
        }
        return chooseWindow([texts.voiceStart]);
      }

      case 'window': {
        // `9` asks for a callback everywhere; here that is the question being asked, so ask it again.
        if (silent || keys === '*' || keys === '9') return chooseWindow(notice);
        const index = Number.parseInt(keys, 10) - 1;
        if (!/^\d$/.test(keys) || !windows[index]) return chooseWindow([voice.unknownKey]);
        state.w = String(index + 1);
        return askNumber([]);
      }

      case 'confirm': {
        const number = normalisePhone(state.n ?? input.from);
        if (!number.ok) return enterNumber([texts.voiceNoCallerId], 0);
        if (silent || keys === '*' || keys === '9') return confirm(notice, number.e164);
        if (keys === '2') return enterNumber([], 0);
        if (keys !== '1') return confirm([voice.unknownKey], number.e164);
        return register(number.e164, [], true);
      }

      case 'entered': {
        const tries = Number.parseInt(input.params.get('t') ?? '0', 10) || 0;
        if (silent) return enterNumber(notice, tries);
        // `*` (alone or after a slip) starts the number again: a repeat, not a wrong try.
        if (keys.includes('*')) return enterNumber([], tries);
        const number = normalisePhone(keys);
        if (number.ok) return confirm([], number.e164);
        if (tries + 1 >= MAX_NUMBER_TRIES) return toMain([texts.voiceTooManyTries]);
        return enterNumber([texts.voiceBadNumber], tries + 1);
      }

      case 'done': {
        // The code has been said twice: silence now means the caller is done, so say goodbye.
        if (silent) return { kind: 'hangup', say: [voice.goodbye] };
        // '*' repeats the code: registering again with the same CallSid is a replay and writes nothing.
        const number = normalisePhone(state.n ?? input.from);
        if (!number.ok) return toMain([]);
        return register(number.e164, [], false);
      }

      default:
        return chooseWindow([texts.voiceStart]);
    }

    /** Writes the request (idempotent on the CallSid) and reads the code out twice. */
    async function register(e164: string, intro: string[], countTowardsLimit: boolean): Promise<VoiceReply> {
      // An urgent (crisis) request is never refused by the daily limit: it upgrades the waiting one.
      if (countTowardsLimit && !urgent && !(await deps.store.consumeQuota(e164, 'callback', deps.dailyLimit, 86_400, input.callSid || undefined))) {
        // Over the limit but already waiting: the request stands. Its code and window are not said:
        // whoever is calling may not be the person who asked (caller ID can be spoofed, numbers keyed in).
        const pending = await deps.store.findPending(e164);
        return toMain([pending ? texts.voiceLimitPending : texts.voiceLimit]);
      }
      const chosen = urgent ? texts.urgentWindow : (windows[Number(state.w) - 1] ?? texts.anyWindow);
      // Never a number in a sid: sids are kept on the per-number item, which holds hashes only.
      const sourceSid = input.callSid || `voice-nosid-${state.w}`;
      // The window is set when the request is created and never by a repeat (keepWindow).
      const result = await deps.store.requestCallback({ phone: e164, window: chosen, keepWindow: true, topic: input.topic ?? null, channel: 'voice', sourceSid, urgent });
      // The code is said only in the call that created the request (this CallSid, replays included). A
      // repeat from another call — maybe a collector who keyed in or spoofed the victim's number — hears
      // that a request is waiting, and how the real owner gets the code: by SMS to that number.
      if (!result.created) return toMain([texts.voiceAlreadyWaiting, ...(urgent ? [texts.voiceUrgentWaiting] : [])]);
      // Promise only what is stored: a replayed CallSid keeps the window it was first given.
      const window = result.request.window;
      const code = readCode(result.request.code);
      return ask(
        [...intro, fill(texts.voiceRegistered, { code }), urgent ? texts.voicePromiseUrgent : fill(texts.voicePromise, { window }), texts.voiceAfterRegistered],
        'done',
        { extra: { n: e164 } },
      );
    }
  };
}
