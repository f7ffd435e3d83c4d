import table from './data/pinyin.json';

/**
 * Toneless pinyin of Han characters, from a table computed at build time (`npm run train` reads
 * pinyin-pro once and writes data/pinyin.json: syllable → characters with that default reading).
 * The Lambda ships that table instead of pinyin-pro's dictionary, which costs ~0.3 s to build at
 * start-up. One reading per character is enough here: what matters is that 报/暴/爆 read alike.
 */
let byCharacter: Map<string, string> | undefined;

export function syllableOf(char: string): string | undefined {
  if (!byCharacter) {
    byCharacter = new Map();
    for (const [syllable, chars] of Object.entries(table as Record<string, string>)) for (const c of chars) byCharacter.set(c, syllable);
  }
  return byCharacter.get(char);
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
  return syllable
    .replace(/^([zcs])h/, '$1')
    .replace(/^l/, 'n')
    .replace(/ing$/, 'in')
    .replace(/eng$/, 'en')
    .replace(/([^iu])ang$/, '$1an');
}
