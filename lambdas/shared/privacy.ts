/**
 * Phone numbers and other personal numbers are personal data; every number shape we mask is
 * defined here, once. Logs keep a number's first three and last four digits (`138****5678`,
 * `+86 138****5678`), enough to tell callers apart; what staff read and the corpus keeps has every
 * digit starred (`starNumbersIn`).
 */
export function maskPhone(phone: string | undefined | null): string {
  if (!phone) return '(none)';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length) || '(none)';
  if (phone.trim().startsWith('+86') && digits.length === 13) return `+86 ${maskDigits(digits.slice(2))}`;
  return (phone.trim().startsWith('+') ? '+' : '') + maskDigits(digits);
}

function maskDigits(digits: string): string {
  if (digits.length <= 8) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

// The shapes of a personal number, most specific first (an alternation takes the first that fits):
// - an 18-character resident ID number, whose last character may be X;
// - a bank card in groups of four with dashes, 16–19 digits (with spaces it is a digit run);
// - 7 or more digits with single spaces between (phones, IDs, cards, accounts);
// - a phone written in groups: 138-1234-5678, 139.1234.5678, (139)1234-5678, 139_1234_5678, 010-1234-5678.
const ID_NUMBER = String.raw`\d{17}[\dXx]`;
const DASHED_CARD = String.raw`\d{4}(?:-\d{4}){3}(?:-\d{1,3})?`;
const DIGIT_RUN = String.raw`\d(?: ?\d){6,}`;
const GROUPED_PHONE = String.raw`\(?\d{2,4}\)?[-. _]?\d{3,4}[-. _]?\d{4}`;
const SHAPES = `(?:${ID_NUMBER}|${DASHED_CARD}|${DIGIT_RUN}|${GROUPED_PHONE})`;

// For logs: a shape optionally after `+` or its URL encoding `%2B`, never inside a longer word (ids,
// hex, ISO timestamps); or a mainland mobile right after a letter (`x13912345678`, `tel13912345678`),
// a shape specific enough that a hex id almost never ends in one.
const PHONE_LIKE = new RegExp(String.raw`(?<![\w+%])(?:\+|%2[Bb])?${SHAPES}(?!\w)|(?<=[A-Za-z])1[3-9]\d{9}(?!\w)`, 'g');
const NUMBER_SHAPE = new RegExp(SHAPES, 'g');
// Five or more digits, spaces or dashes allowed between them: account numbers in any grouping.
// Amounts up to 9,999 are shorter ("欠了3000").
const LONG_NUMBER = /\d(?:[\s-]?\d){4,}/g;
const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

/** Full-width digits (１３８…), as typed on Chinese keyboards, as ASCII digits. */
function asciiDigits(text: string): string {
  return text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

/** Masks every phone-like run of digits in free text (the logger's last line of defence). */
export function maskPhonesIn(text: string): string {
  return asciiDigits(text).replace(PHONE_LIKE, (match) => maskPhone(match.replace(/%2b/i, '+')));
}

const star = (run: string) => run.replace(/[\dXx]/g, '*');

/**
 * Free text with every number starred digit by digit (`*`, separators kept, an ID number's final X
 * too): what staff read and the training corpus keeps. `keepAmounts`: runs of up to four digits that
 * belong to no longer number stay readable ("欠了3000", context staff need on a callback request).
 */
export function starNumbersIn(text: string, options: { keepAmounts?: boolean } = {}): string {
  const starred = asciiDigits(text).replace(NUMBER_SHAPE, star).replace(LONG_NUMBER, star);
  return options.keepAmounts ? starred : starred.replace(/\d/g, '*');
}
