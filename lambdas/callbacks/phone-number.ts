/**
 * Callers' phone numbers: the one check that makes a callable E.164 number, and the per-number key
 * for senders that are not callable. Pure, so handlers, the store and the tests share it.
 */
// Mobile-only metadata: a third of the full set's size, and a callback number must be a mobile anyway
// (a landline is refused as invalid rather than as not-mobile).
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

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
  // `0014155550123` keyed on a phone pad. A bare `86138…` needs nothing: libphonenumber reads the 86 as the country code.
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;

  if (digits.startsWith('+')) {
    const parsed = parsePhoneNumberFromString(digits);
    if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: equivalent — country CN and calling code 86 always come together, so either test alone decides.
    if (parsed.country === 'CN' || parsed.countryCallingCode === '86') {
      // Stryker disable next-line ConditionalExpression: equivalent — with mobile-only metadata a valid mainland number is a mobile (a landline is invalid above).
      return parsed.getType() === 'MOBILE' ? { ok: true, e164: parsed.number as E164, kind: 'cn-mobile' } : { ok: false, reason: 'not-mobile' };
    }
    return { ok: true, e164: parsed.number as E164, kind: 'international' };
  }

  const parsed = parsePhoneNumberFromString(digits, 'CN');
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid' };
  // Stryker disable next-line ConditionalExpression: equivalent — with mobile-only metadata a valid mainland number is a mobile (a landline is invalid above).
  if (parsed.getType() !== 'MOBILE') return { ok: false, reason: 'not-mobile' };
  return { ok: true, e164: parsed.number as E164, kind: 'cn-mobile' };
}

/** The key used for per-number items when the sender is not a callable number (short codes, odd caller ids). */
export function phoneKeyOf(input: string): string {
  const check = normalisePhone(input);
  return check.ok ? check.e164 : input.normalize('NFKC').trim().toLowerCase();
}
