import t2sJson from './data/t2s.json';

// Traditional (Taiwan and Hong Kong forms) → simplified, as opencc-js converts them, precomputed at
// build time (`training/t2s-table.ts`, written by `npm run train`): a lookup instead of a dictionary
// trie built on every cold start. A test checks it against opencc-js on every text we have.
const T2S = new Map(Object.entries((t2sJson as { map: Record<string, string> }).map));
const MAX_KEY = (t2sJson as { maxLength: number }).maxLength;
// Only texts with a character the table knows need the longest-match walk (most input is simplified already).
const FIRST_CHARS = new Set([...T2S.keys()].map((key) => String.fromCodePoint(key.codePointAt(0)!)));

/** Traditional (Taiwan or Hong Kong forms) → simplified, longest match first; everything else unchanged. */
export function toSimplified(text: string): string {
  const chars = [...text];
  // Stryker disable next-line ConditionalExpression: equivalent — a shortcut: the walk below returns such a text unchanged too
  if (!chars.some((c) => FIRST_CHARS.has(c))) return text;
  let out = '';
  for (let i = 0; i < chars.length; ) {
    let matched = false;
    // Stryker disable next-line ConditionalExpression: equivalent — a shortcut: no key starts with another character
    if (FIRST_CHARS.has(chars[i]!)) {
      // Stryker disable next-line MethodExpression,ArithmeticOperator: equivalent — a key longer than the rest of the text cannot match (slice stops at the end)
      for (let length = Math.min(MAX_KEY, chars.length - i); length >= 1; length--) {
        const value = T2S.get(chars.slice(i, i + length).join(''));
        if (value !== undefined) {
          out += value;
          i += length;
          matched = true;
          break;
        }
      }
    }
    if (!matched) out += chars[i++];
  }
  return out;
}

/** Digits as a speech recogniser writes them when a caller reads a number out (幺幺零, 一二三七八). */
const SPOKEN_DIGITS: Record<string, string> = {
  零: '0', 〇: '0', 幺: '1', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
// Three or more digit words in a row are a number read out digit by digit ("幺二三七八"); shorter
// runs are ordinary words (一二, 三四个) and stay as they are.
const SPOKEN_NUMBER = /[零〇幺一二三四五六七八九]{3,}/gu;

/**
 * The text the understanding layer reads: NFKC (full-width → half-width), lower case, traditional →
 * simplified, numbers read out as words turned into digits, and 曝 (pù in the dictionary, bào in 曝光)
 * unified with 爆. Punctuation is kept: it separates runs for the features.
 */
export function normalizeForUnderstanding(input: string): string {
  const text = toSimplified(input.normalize('NFKC').toLowerCase()).replace(/曝/g, '爆');
  return text.replace(SPOKEN_NUMBER, (run) => [...run].map((c) => SPOKEN_DIGITS[c] ?? c).join(''));
}
