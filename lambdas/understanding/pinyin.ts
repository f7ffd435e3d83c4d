import table from './data/pinyin.json';

/**
 * Toneless pinyin of Han characters, from a table computed at build time (`npm run train` reads
 * pinyin-pro once and writes data/pinyin.json: syllable → characters with that default reading).
 * The Lambda ships that table instead of pinyin-pro's dictionary, which costs ~0.3 s to build at
 * start-up. One reading per character is enough here: what matters is that 报/暴/爆 read alike.
 */
const packed = table as { syllables: string[]; chars: string; index: string };
/** Code points of `packed.chars`, in order: built on the first lookup (4 ms, against 14 ms for a Map). */
let codePoints: Uint32Array | undefined;

/** The character's default reading (toneless), by binary search in the packed table. */
export function syllableOf(char: string): string | undefined {
  codePoints ??= Uint32Array.from(packed.chars, (c) => c.codePointAt(0)!);
  const target = char.codePointAt(0);
  if (target === undefined) return undefined;
  let low = 0;
  // Stryker disable next-line ArithmeticOperator: equivalent — past the end the value is undefined, compares false both ways, and the search moves down
  let high = codePoints.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = codePoints[middle]!;
    if (value === target) return packed.syllables[packed.index.charCodeAt(middle) - 0x100];
    // Stryker disable next-line EqualityOperator: equivalent — equal was returned just above
    if (value < target) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

const INITIAL = '(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?';
const FINAL = '(?:iang|iong|uang|ang|eng|ing|ong|uai|uan|ian|iao|ai|ei|ao|ou|an|en|er|ia|ie|in|iu|ua|uo|ui|un|ve|ue|a|o|e|i|u|v)';
const SYLLABLE = new RegExp(`${INITIAL}${FINAL}`, 'g');

/** Greedy longest-match segmentation of toneless pinyin typed without spaces ("tongxunlu" → tong xun lu). */
export function segmentPinyin(word: string): string[] {
  return word.match(SYLLABLE) ?? [];
}

/** A Latin word made entirely of pinyin syllables ("baojing"), as opposed to English ("app", "call"). */
export function pinyinSyllables(word: string): string[] | undefined {
  const syllables = segmentPinyin(word);
  return syllables.length > 0 && syllables.join('') === word ? syllables : undefined;
}

/** The syllable with the confusions of southern accents and recognisers folded (zh→z, l→n, ing→in, …). */
export function looseSyllable(syllable: string): string {
  // Stryker disable Regex: equivalent — the anchors: in a syllable, zh/ch/sh and l only start it, ing/eng/ang only end it
  return syllable
    .replace(/^([zcs])h/, '$1')
    .replace(/^l/, 'n')
    .replace(/ing$/, 'in')
    .replace(/eng$/, 'en')
    .replace(/([^iu])ang$/, '$1an');
  // Stryker restore Regex
}
