/**
 * Phone numbers are personal data: every log line goes through these. A number keeps its first
 * three and last four digits (`138****5678`, `+86 138****5678`), enough to tell callers apart.
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

// 7 or more digits with single spaces between, or 3-4-4 style groups with hyphens, optionally after
// `+` or its URL encoding `%2B`; never inside a longer word (ids, hex, ISO timestamps).
const PHONE_LIKE = /(?<![\w+%])(?:\+|%2[Bb])?(?:\d{2,4}-\d{3,4}-\d{4}|\d(?: ?\d){6,})(?!\w)/g;
const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

/** Masks every phone-like run of digits in free text (the logger's last line of defence). */
export function maskPhonesIn(text: string): string {
  // Full-width digits (１３８…), as typed on Chinese keyboards, are read as ASCII first.
  const ascii = text.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return ascii.replace(PHONE_LIKE, (match) => maskPhone(match.replace(/^%2b/i, '+')));
}
