/**
 * Text from callers and staff made safe to keep and show: bounded, one line where it must be, and
 * long numbers masked where other staff will read it.
 */
import { maskPhonesIn, starNumbersIn } from '../shared/privacy';

export const LIMITS = { window: 40, topic: 60, sid: 64, staff: 128, note: 1000, question: 140 } as const;

/**
 * The question a caller asked, for staff: one line, every long number masked digit by digit
 * (phone, ID card, bank card), cut to 140 characters. Undefined when nothing is left.
 */
export function cleanQuestion(text: string | undefined): string | undefined {
  return cleanText(text, LIMITS.question, { keepAmounts: true });
}

/**
 * Someone's words made one line, numbers starred (`starNumbersIn`: every digit, or with
 * `keepAmounts` short amounts stay), cut to `max` characters (a cut one ends with `…`).
 */
export function cleanText(text: string | undefined, max: number, options: { keepAmounts?: boolean } = {}): string | undefined {
  if (text === undefined) return undefined;
  const line = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  const masked = starNumbersIn(line, options);
  if (!masked) return undefined;
  // By code point, so a cut never splits an emoji's surrogate pair.
  const chars = [...masked];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : masked;
}

/** A short single-line label (window id, topic id, staff id): trimmed, bounded, no control characters. */
export function cleanLabel(value: string, max: number): string | null {
  return cleanWords(value.normalize('NFKC'), max);
}

/** Topic ids, each cleaned like a label, without repeats, at most 20. */
export function cleanTopics(topics: readonly string[]): string[] {
  return [...new Set(topics.map((t) => cleanLabel(String(t), LIMITS.topic)).filter((t): t is string => t !== null))].slice(0, 20);
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
