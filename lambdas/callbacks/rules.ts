/**
 * Pure callback rules: phone numbers, reference codes, status transitions, retention. No AWS, no
 * I/O, so the handlers, the store and the tests share one definition.
 */
// Mobile-only metadata: a third of the full set's size, and a callback number must be a mobile anyway
// (a landline is refused as invalid rather than as not-mobile).
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import { maskPhonesIn } from '../shared/privacy';
import { CALLBACK_DEFAULTS } from './limits';
import type { CallbackOutcome, CallbackRequest, CallbackStatus, ConflictReason } from './store';

// ---------------------------------------------------------------- phone numbers

/** A callable number in E.164 (`+8613812345678`): only `normalisePhone` makes one, so holding one means it was checked. */
export type E164 = string & { readonly __brand: 'E164' };

export type PhoneCheck =
  | { ok: true; e164: E164; kind: 'cn-mobile' | 'international' }
  | { ok: false; reason: 'empty' | 'withheld' | 'not-a-number' | 'invalid' | 'not-mobile' };

/** Caller ids Twilio sends when the number is withheld (and a few spellings of them). */
const WITHHELD = new Set(['anonymous', 'restricted', 'unknown', 'private', 'unavailable', '+266696687', '+7378742833', '+2562533', '+8656696']);

const MAX_INPUT = 32;

/**
 * Accepts a mainland mobile in national form (`13812345678`, `138 1234 5678`, `+86 138…`,
 * `0086…`, `86138…`, full-width digits) or any valid number in international form
 * (`+14155550123`, or `0014155550123` keyed in on a phone pad). Mainland numbers must be mobiles:
 * staff call back from a domestic line and texts go to mobiles. Returns E.164.
 */
export function normalisePhone(input: string | null | undefined): PhoneCheck {
  if (input == null) return { ok: false, reason: 'empty' };
  const raw = input.normalize('NFKC').trim();
  if (!raw) return { ok: false, reason: 'empty' };
  if (WITHHELD.has(raw.toLowerCase())) return { ok: false, reason: 'withheld' };
  if (raw.length > MAX_INPUT || !/^\+?[\d\s().-]+$/.test(raw)) return { ok: false, reason: 'not-a-number' };

  let digits = raw.replace(/[\s().-]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  else if (/^861[3-9]\d{9}$/.test(digits)) digits = `+${digits}`;

  if (digits.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(digits);
    if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
    if (parsed.country === 'CN' || parsed.countryCallingCode === '86') {
      return parsed.getType() === 'MOBILE' ? { ok: true, e164: parsed.number as E164, kind: 'cn-mobile' } : { ok: false, reason: 'not-mobile' };
    }
    return { ok: true, e164: parsed.number as E164, kind: 'international' };
  }

  const parsed = parsePhoneNumberFromString(digits, 'CN');
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
  if (parsed.getType() !== 'MOBILE') return { ok: false, reason: 'not-mobile' };
  return { ok: true, e164: parsed.number as E164, kind: 'cn-mobile' };
}

/** The key used for per-number items when the sender is not a callable number (short codes, odd caller ids). */
export function phoneKeyOf(input: string): string {
  const check = normalisePhone(input);
  return check.ok ? check.e164 : input.normalize('NFKC').trim().toLowerCase();
}

// ---------------------------------------------------------------- reference codes

export type RandomSource = () => number;

/**
 * Easy to say and hear on a bad line: 4 digits, no leading 0, no digit twice in a row (`1123`,
 * `1111`), no digit more than twice, no straight run (`1234`, `9876`).
 */
export function isSpeakableCode(code: string): boolean {
  if (!/^[1-9]\d{3}$/.test(code)) return false;
  const d = [...code].map(Number) as [number, number, number, number];
  for (let i = 1; i < d.length; i++) if (d[i] === d[i - 1]) return false;
  const counts = new Map<number, number>();
  for (const x of d) counts.set(x, (counts.get(x) ?? 0) + 1);
  if ([...counts.values()].some((n) => n > 2)) return false;
  const steps = d.slice(1).map((x, i) => x - d[i]!);
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return false;
  return true;
}

/** A speakable 4-digit code. `random` returns [0, 1) like Math.random (inject it in tests). */
export function generateReferenceCode(random: RandomSource = Math.random): string {
  for (let i = 0; i < 50; i++) {
    const n = 1000 + Math.floor(clamp01(random()) * 9000);
    const code = String(n);
    if (isSpeakableCode(code)) return code;
  }
  // A source that keeps failing (a stuck stub): still a valid code.
  return '2580';
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 0.9999999) : 0;
}

// ---------------------------------------------------------------- status transitions

export type CallbackAction = 'claim' | 'release' | 'outcome';

/** An urgent (crisis) request is due from the moment it is made, for this long (then overdue). */
export const URGENT_DUE_MINUTES = 60;

/** An urgent request is due now: staff call as soon as they can, whatever the hours. */
export function urgentDue(now: Date): { from: string; until: string } {
  return { from: now.toISOString(), until: new Date(now.getTime() + URGENT_DUE_MINUTES * 60_000).toISOString() };
}

/** Unanswered calls in a row after which a request leaves the active queue for `unreached` (未接通). */
export const DEFAULT_MAX_ATTEMPTS = CALLBACK_DEFAULTS.maxAttempts;

/**
 * Status after recording an outcome: a missed call goes back to the queue, unless it is the
 * `maxAttempts`-th in a row since the person last asked (then `unreached`, out of the active queue).
 */
export function statusAfterOutcome(outcome: CallbackOutcome, missedBefore = 0, maxAttempts: number = DEFAULT_MAX_ATTEMPTS): CallbackStatus {
  if (outcome !== 'no-answer') return 'done';
  return missedBefore + 1 >= maxAttempts ? 'unreached' : 'open';
}

/** Statuses a claim may start from: the queue, and requests nobody reached (staff may try again). */
export const CLAIMABLE: readonly CallbackStatus[] = ['open', 'unreached'];

export function canTransition(from: CallbackStatus, to: CallbackStatus): boolean {
  if (to === 'claimed') return CLAIMABLE.includes(from);
  return from === 'claimed' && (to === 'open' || to === 'unreached' || to === 'done');
}

/**
 * Why `staff` may not apply `action` to `current` (null: allowed). Used to explain a refused
 * conditional write after reading the item back, and as the rule the write's condition encodes.
 */
export function conflictFor(
  current: Pick<CallbackRequest, 'status' | 'claimedBy' | 'claimedAt' | 'version'>,
  action: CallbackAction,
  staff: string,
  expectedVersion?: number,
  /** Claims taken before this instant (ISO) have lapsed and may be taken over. */
  leaseStart?: string,
): ConflictReason | null {
  if (current.status === 'done') return 'closed';
  if (action === 'claim') {
    if (current.status === 'unreached') return expectedVersion !== undefined && current.version !== expectedVersion ? 'stale' : null;
    const lapsed = leaseStart !== undefined && current.claimedAt !== undefined && current.claimedAt < leaseStart;
    if (current.status === 'claimed' && current.claimedBy !== staff && !lapsed) return 'claimed-by-other';
  } else {
    if (current.status !== 'claimed') return 'not-claimed';
    if (current.claimedBy !== staff) return 'claimed-by-other';
  }
  if (expectedVersion !== undefined && current.version !== expectedVersion) return 'stale';
  return null;
}

// ---------------------------------------------------------------- retention, quotas, inputs

export const DEFAULT_RETENTION_DAYS = CALLBACK_DEFAULTS.retentionDays;
export { DEFAULT_CLAIM_LEASE_MINUTES } from './store';

/** Epoch seconds at which a record closed at `nowMs` expires. */
export function expiresAtFor(nowMs: number, retentionDays: number = DEFAULT_RETENTION_DAYS): number {
  return Math.floor(nowMs / 1000) + Math.round(retentionDays * 86_400);
}

/** Start (epoch seconds) of the fixed quota window containing `nowMs`. */
export function quotaWindowStart(nowMs: number, windowSeconds: number): number {
  const now = Math.floor(nowMs / 1000);
  return now - (now % windowSeconds);
}

export const LIMITS = { window: 40, topic: 60, sid: 64, staff: 128, note: 1000, question: 140 } as const;

/** How long what a texter asked is kept for a later 回电 (RECENT# items; a read ignores older ones). */
export const RECENT_QUESTION_SECONDS = 2 * 3600;

// Five or more digits, spaces or dashes allowed between them: phone, ID, card and account numbers.
// Amounts up to 9,999 stay readable ("欠了3000"), which is context staff need.
const LONG_NUMBER = /\d(?:[\s-]?\d){4,}/g;

/**
 * The question a caller asked, for staff: one line, every long number masked digit by digit
 * (phone, ID card, bank card), cut to 140 characters. Undefined when nothing is left.
 */
export function cleanQuestion(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text
    // Full-width digits (１３８…) are digits too; the rest stays as typed (Chinese punctuation).
    .replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const masked = line.replace(LONG_NUMBER, (run) => run.replace(/\d/g, '*'));
  if (!masked) return undefined;
  return masked.length > LIMITS.question ? `${masked.slice(0, LIMITS.question - 1)}…` : masked;
}

/** A short single-line label (window id, topic id, staff id): trimmed, bounded, no control characters. */
export function cleanLabel(value: string, max: number): string | null {
  return cleanWords(value.normalize('NFKC'), max);
}

/** Words as the caller heard them (the promised time): like cleanLabel, but Chinese punctuation kept as written. */
export function cleanWords(value: string, max: number): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned && cleaned.length <= max ? cleaned : null;
}

/**
 * A staff note: control characters removed (newlines kept), cut to the limit, and any phone number
 * in it masked: notes are shown to every staff member and exported, the number only to the holder.
 */
export function cleanNote(note: string | undefined): string | undefined {
  if (note === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  const cleaned = maskPhonesIn(note.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')).trim();
  return cleaned ? cleaned.slice(0, LIMITS.note) : undefined;
}
