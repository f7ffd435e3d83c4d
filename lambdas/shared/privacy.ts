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

// 7 or more digits, optionally after + and with single spaces between, not inside a longer word (ids, hex).
const PHONE_LIKE = /(?<![\w+])\+?\d(?: ?\d){6,}(?!\w)/g;

/** Masks every phone-like run of digits in free text (the logger's last line of defence). */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_LIKE, (match) => maskPhone(match));
}
