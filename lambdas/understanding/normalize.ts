import * as OpenCC from 'opencc-js/t2cn';

// Traditional (Taiwan and Hong Kong variants) → simplified. Built once per process: the dictionaries are static.
const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });

/** Traditional (Taiwan or Hong Kong forms) → simplified; everything else unchanged. */
export function toSimplified(text: string): string {
  return fromHongKong(fromTaiwan(text));
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
