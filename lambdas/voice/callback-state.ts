import type { E164 } from '../callbacks/phone-number';
import type { TopicId } from '../content/topic-ids';

/**
 * Where a caller is in the spoken callback request, carried in the action URL like the menu's
 * positions (`reply.ts`), so no table is read or written before the last step.
 */
export type CallbackStep = 'start' | 'window' | 'confirm' | 'entered' | 'done';
export const CALLBACK_STEPS: readonly CallbackStep[] = ['start', 'window', 'confirm', 'entered', 'done'];

/** The time chosen at the window step: instants (ISO) and the window id it lies in (`any` for a whole day). */
export interface ChosenSlot {
  from: string;
  until: string;
  window: string;
  /** The caller's wish could not be met as said (outside staff hours, a day off): they were told. */
  adjusted: boolean;
}

export interface CallbackState {
  step: CallbackStep;
  /** Topics the caller came from: the one they were in, or the two of an ask-back. */
  topics: TopicId[];
  slot?: ChosenSlot;
  /** The number to call, once known (caller ID confirmed, or keyed in). */
  number?: E164;
  /** The number was keyed in, not taken from caller ID. */
  keyedIn: boolean;
  /** Wrong numbers keyed in so far. */
  tries: number;
  /** Prompts in a row that got no answer. */
  silence: number;
  /** This request is Twilio coming back after silence (no keys, no speech). */
  silent: boolean;
}

export const START: CallbackState = { step: 'start', topics: [], keyedIn: false, tries: 0, silence: 0, silent: false };

const MAX_COUNT = 10;
const MAX_TOPICS = 2;
/** A slot is at most a day long and its window id a short word: anything else in the URL is ignored. */
const MAX_SLOT_MINUTES = 24 * 60;
const WINDOW_ID = /^[a-z][a-z0-9-]{0,19}$/;

/** Query parameters of `voiceCallback` URLs. Minutes since the epoch keep slot URLs short. */
export function encodeCallbackState(state: CallbackState): Record<string, string> {
  const params: Record<string, string> = {};
  // `start` is the default: the menu's link into the flow stays `callback?topic=…`.
  if (state.step !== 'start') params.step = state.step;
  if (state.topics.length) params.topic = state.topics.join('.');
  if (state.slot) {
    params.f = String(Math.round(Date.parse(state.slot.from) / 60_000));
    params.u = String(Math.round(Date.parse(state.slot.until) / 60_000));
    params.w = state.slot.window;
    if (state.slot.adjusted) params.j = '1';
  }
  if (state.number) params.n = state.number;
  if (state.keyedIn) params.k = '1';
  if (state.tries) params.t = String(state.tries);
  if (state.silence) params.s = String(state.silence);
  if (state.silent) params.silent = '1';
  return params;
}

/**
 * Parses the URL state; anything missing, unknown or tampered with falls back to a safe default, never
 * an error. `parsePhone` is `normalisePhone` (passed in so the menu, which only encodes, loads no phone metadata).
 */
export function decodeCallbackState(
  params: URLSearchParams,
  isTopic: (id: string) => id is TopicId,
  parsePhone: (text: string | null) => { ok: true; e164: E164 } | { ok: false },
): CallbackState {
  const step = params.get('step') ?? 'start';
  const topics = (params.get('topic') ?? '')
    .split('.')
    .filter((id): id is TopicId => isTopic(id))
    .slice(0, MAX_TOPICS);
  const number = parsePhone(params.get('n'));
  const slot = decodeSlot(params.get('f'), params.get('u'), params.get('w'), params.get('j'));
  return {
    step: (CALLBACK_STEPS as readonly string[]).includes(step) ? (step as CallbackStep) : 'start',
    topics: [...new Set(topics)],
    ...(slot ? { slot } : {}),
    ...(number.ok ? { number: number.e164 } : {}),
    keyedIn: number.ok && params.get('k') === '1',
    tries: count(params.get('t')),
    silence: count(params.get('s')),
    silent: params.get('silent') === '1',
  };
}

function count(value: string | null): number {
  const n = Number.parseInt(value ?? '0', 10);
  return Number.isFinite(n) ? Math.max(0, Math.min(n, MAX_COUNT)) : 0;
}

function decodeSlot(f: string | null, u: string | null, w: string | null, j: string | null): ChosenSlot | undefined {
  if (!f || !u || !w || !/^\d{1,10}$/.test(f) || !/^\d{1,10}$/.test(u) || !WINDOW_ID.test(w)) return undefined;
  const from = Number(f);
  const until = Number(u);
  if (until <= from || until - from > MAX_SLOT_MINUTES) return undefined;
  return { from: new Date(from * 60_000).toISOString(), until: new Date(until * 60_000).toISOString(), window: w, adjusted: j === '1' };
}
