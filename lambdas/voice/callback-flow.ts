import { describeSlot, parseTimeWish, slotFor, type StaffCalendar, type TimeWish } from '../callbacks/schedule';
import { QUOTA_WINDOW_SECONDS } from '../callbacks/limits';
import { normalisePhone, type E164 } from '../callbacks/phone-number';
import { urgentDue } from '../callbacks/urgency';
import type { CallbackStore } from '../callbacks/store';
import { fill, type Content } from '../content/content';
import type { CallbackState, ChosenSlot } from './callback-state';
import type { VoiceReply, VoiceTarget } from './reply';
import { readCode, spokenNumber } from './spoken-numbers';

export { readCode, readDigits, spokenNumber } from './spoken-numbers';

export type VoiceCallbackStore = Pick<CallbackStore, 'requestCallback' | 'consumeQuota' | 'findPending' | 'recentQuota'>;

export interface CallbackFlowDeps {
  content: Content;
  /** Callback requests a number may make per day before it hears the limit message. */
  dailyLimit: number;
  /** Staff windows and days off. */
  calendar: StaffCalendar;
  now?: () => Date;
}

export interface CallbackStepInput {
  state: CallbackState;
  digits?: string;
  /** What the caller said (Twilio's SpeechResult), at the time question. */
  speech?: string;
  /** Caller ID as Twilio sent it (parsed here, once). */
  from?: string;
  callSid?: string;
}

const MAX_SILENCE = 2;
const MAX_NUMBER_TRIES = 3;

/**
 * The spoken callback request: when (said, or a key) → confirm the number (or key one in) → hear the
 * reference code twice. Each step's state travels in the action URL (`callback-state.ts`); only the
 * last step writes. The store comes with each step, scoped to that webhook's deadline.
 */
export function createVoiceCallbackFlow(deps: CallbackFlowDeps) {
  const texts = deps.content.prompts.callback;
  const voice = deps.content.prompts.voice;
  const windows = deps.calendar.windows;
  const anyKey = String(windows.length + 1);
  const now = deps.now ?? (() => new Date());

  return async (input: CallbackStepInput, store: VoiceCallbackStore): Promise<VoiceReply> => {
    const state = input.state;
    const urgent = state.topics.includes('crisis');
    const keys = (input.digits ?? '').trim();
    const speech = (input.speech ?? '').trim();
    // Twilio's redirect after silence (silent=1), or an empty answer posted to the action.
    const silent = !keys && !speech && (state.silent || state.step !== 'start');
    const silence = silent && !state.silent ? state.silence + 1 : state.silence;
    if (silent && silence > MAX_SILENCE) return { kind: 'hangup', say: [voice.goodbye] };
    const notice = silent ? [voice.silence] : [];
    const base: CallbackState = { ...state, silent: false, silence: 0 };

    const target = (next: Partial<CallbackState>): VoiceTarget => ({ route: 'voiceCallback', state: { ...base, ...next } });
    const ask = (say: string[], next: Partial<CallbackState>, options: { numDigits?: number; finishOnKey?: string; speech?: boolean } = {}): VoiceReply => ({
      kind: 'gather',
      say,
      action: target({ ...next, silence }),
      // Silence returns to the question being asked now (its action step), with the count.
      onSilence: target({ ...next, silence: silence + 1, silent: true }),
      numDigits: options.finishOnKey ? undefined : (options.numDigits ?? 1),
      finishOnKey: options.finishOnKey,
      speech: options.speech === true,
      hints: options.speech ? texts.voiceTimeHints : [],
    });
    const toMain = (say: string[]): VoiceReply => ({ kind: 'redirect', say, to: { route: 'voiceMenu', at: { kind: 'main' } } });
    const chooseTime = (intro: string[]) =>
      ask(
        [
          ...intro,
          texts.voiceChooseWindow,
          ...windows.map((w, i) => fill(texts.voiceWindowItem, { window: w.label, key: String(i + 1) })),
          fill(texts.voiceAnyWindow, { key: anyKey }),
          voice.navigation,
        ],
        { step: 'window' },
        { speech: true },
      );
    const confirm = (intro: string[], number: E164, keyedIn: boolean) =>
      ask([...intro, fill(texts.voiceConfirmNumber, { digits: spokenNumber(number) })], { step: 'confirm', number, keyedIn });
    const enterNumber = (intro: string[], tries: number) => ask([...intro, texts.voiceEnterNumber], { step: 'entered', tries }, { finishOnKey: '#' });

    if (keys === '0' && state.step !== 'entered') return toMain([]);

    /** The time is known: confirm the caller's number, or ask for one. */
    const askNumber = (intro: string[], slot?: ChosenSlot): VoiceReply => {
      if (slot) base.slot = slot;
      const caller = normalisePhone(input.from);
      if (caller.ok) return confirm(intro, caller.e164, false);
      // A landline or foreign fixed line is shown but cannot take our callback: say so, not "withheld".
      const hidden = caller.reason === 'withheld' || caller.reason === 'empty';
      return enterNumber([...intro, hidden ? texts.voiceNoCallerId : texts.voiceNotMobile], 0);
    };

    switch (state.step) {
      case 'start': {
        // A caller in crisis is not asked to pick a time: staff call back as soon as they can.
        if (urgent) return askNumber([texts.voiceStart]);
        // Already at today's limit (by caller ID): say so now, not after choosing a time and confirming.
        const caller = normalisePhone(input.from);
        if (caller.ok && (await store.recentQuota(caller.e164, 'callback', QUOTA_WINDOW_SECONDS.callback)) >= deps.dailyLimit) {
          return toMain([(await store.findPending(caller.e164)) ? texts.voiceLimitPending : texts.voiceLimit]);
        }
        return chooseTime([texts.voiceStart]);
      }

      case 'window': {
        // `9` asks for a callback everywhere; here that is the question being asked, so ask it again.
        if (silent || keys === '*' || keys === '9') return chooseTime(notice);
        const wish = wishOf(keys, speech);
        if (!wish) return chooseTime([speech ? texts.voiceTimeNotHeard : voice.unknownKey]);
        const at = now();
        const slot = slotFor(wish, at, deps.calendar);
        // The caller hears the day and time now, before confirming the number, and again with the code.
        const heard = slot.adjusted ? [texts.timeAdjusted, describeSlot(slot, at, deps.calendar)] : [];
        return askNumber(heard, { from: slot.from, until: slot.until, window: slot.window, adjusted: slot.adjusted });
      }

      case 'confirm': {
        const number = state.number ?? normaliseOrUndefined(input.from);
        if (!number) return enterNumber([texts.voiceNoCallerId], 0);
        if (silent || keys === '*' || keys === '9') return confirm(notice, number, state.keyedIn);
        if (keys === '2') return enterNumber([], 0);
        if (keys !== '1') return confirm([voice.unknownKey], number, state.keyedIn);
        return register(number, state.keyedIn);
      }

      case 'entered': {
        if (silent) return enterNumber(notice, state.tries);
        // `*` (alone or after a slip) starts the number again: a repeat, not a wrong try.
        if (keys.includes('*')) return enterNumber([], state.tries);
        const number = normalisePhone(keys);
        if (number.ok) return confirm([], number.e164, true);
        if (state.tries + 1 >= MAX_NUMBER_TRIES) return toMain([texts.voiceTooManyTries]);
        return enterNumber([texts.voiceBadNumber], state.tries + 1);
      }

      case 'done': {
        // The code has been said twice: silence now means the caller is done, so say goodbye.
        if (silent) return { kind: 'hangup', say: [voice.goodbye] };
        // '*' repeats the code: registering again with the same CallSid is a replay and writes nothing.
        const number = state.number ?? normaliseOrUndefined(input.from);
        if (!number) return toMain([]);
        return register(number, state.keyedIn, false);
      }
    }

    /** A key (1…n a window, n+1 any time) or words ("明天下午三点", "随便"). */
    function wishOf(pressed: string, said: string): TimeWish | null {
      if (pressed) {
        if (pressed === anyKey) return { any: true };
        const window = /^\d$/.test(pressed) ? windows[Number(pressed) - 1] : undefined;
        return window ? { window: window.id } : null;
      }
      return said ? parseTimeWish(said, windows) : null;
    }

    /** Writes the request (idempotent on the CallSid) and reads the code out twice. */
    async function register(number: E164, keyedIn: boolean, countTowardsLimit = true): Promise<VoiceReply> {
      // An urgent (crisis) request is never refused by the daily limit: it upgrades the waiting one.
      if (countTowardsLimit && !urgent && !(await store.consumeQuota(number, 'callback', deps.dailyLimit, QUOTA_WINDOW_SECONDS.callback, input.callSid || undefined))) {
        // Over the limit but already waiting: the request stands. Its code and time are not said:
        // whoever is calling may not be the person who asked (caller ID can be spoofed, numbers keyed in).
        const pending = await store.findPending(number);
        return toMain([pending ? texts.voiceLimitPending : texts.voiceLimit]);
      }
      const at = now();
      // No slot in the URL (an old link, or a tampered one): the next time staff can call.
      const slot = base.slot ?? (urgent ? undefined : { ...slotFor({ any: true }, at, deps.calendar) });
      const due = urgent || !slot ? urgentDue(at) : { from: slot.from, until: slot.until };
      const promise = urgent || !slot ? texts.urgentWindow : describeSlot({ ...slot, adjusted: false }, at, deps.calendar);
      // Never a number in a sid: sids are kept on the per-number item, which holds hashes only.
      const sourceSid = input.callSid || `voice-nosid-${Date.parse(due.from) / 60_000}`;
      const [topic, ...others] = state.topics;
      const result = await store.requestCallback({
        phone: number,
        window: promise,
        due,
        topic: topic ?? null,
        topics: others,
        channel: 'voice',
        sourceSid,
        urgent,
        numberSource: keyedIn ? 'keyed-in' : 'caller-id',
      });
      // The code is said only in the call that created the request (this CallSid, replays included). A
      // repeat from another call — maybe a collector who keyed in or spoofed the victim's number — hears
      // that a request is waiting, and how the real owner gets the code: by SMS to that number.
      if (!result.created) return toMain([texts.voiceAlreadyWaiting, ...(urgent ? [texts.voiceUrgentWaiting] : [])]);
      // Promise only what is stored: a replayed CallSid hears the words it was first given.
      const code = readCode(result.request.code);
      return ask(
        [fill(texts.voiceRegistered, { code }), urgent ? texts.voicePromiseUrgent : fill(texts.voicePromise, { window: result.request.window }), texts.voiceAfterRegistered],
        { step: 'done', number, keyedIn },
      );
    }
  };
}

function normaliseOrUndefined(from: string | undefined): E164 | undefined {
  const phone = normalisePhone(from);
  return phone.ok ? phone.e164 : undefined;
}
