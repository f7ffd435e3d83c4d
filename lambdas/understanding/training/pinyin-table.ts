import { pinyin } from 'pinyin-pro';

/**
 * Build-time: the toneless reading of every CJK Unified Ideograph that pinyin-pro knows, grouped
 * by syllable (syllable → characters), so the Lambda can look pinyin up without the library.
 * A character with several readings gets the one pinyin-pro gives it most often in `texts` (the
 * corpus and the content, read in context: 了 is "le" there, not the dictionary's "liao"), so that
 * what people type in pinyin meets what they write in characters.
 */
export function buildPinyinTable(texts: readonly string[]): Record<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const text of texts) {
    // Stryker disable next-line ArrayDeclaration: equivalent — the readings of anything else would be counted for characters outside the table
    const han = text.match(/\p{Script=Han}+/gu) ?? [];
    for (const run of han) {
      const readings = pinyin(run, { toneType: 'none', type: 'array', v: true });
      [...run].forEach((char, i) => {
        const reading = readings[i];
        // Stryker disable next-line Regex: equivalent — pinyin-pro gives a character either letters only (ü as v) or the character itself
        if (!reading || !/^[a-z]+$/.test(reading)) return;
        const forChar = counts.get(char) ?? new Map<string, number>();
        forChar.set(reading, (forChar.get(reading) ?? 0) + 1);
        counts.set(char, forChar);
      });
    }
  }
  const table: Record<string, string> = {};
  // Stryker disable next-line EqualityOperator: equivalent — pinyin-pro has no reading for U+9FFF, the last one
  for (let code = 0x4e00; code <= 0x9fff; code++) {
    const char = String.fromCodePoint(code);
    // Stryker disable next-line EqualityOperator: equivalent — the readings compared are different strings, never equal
    const inContext = [...(counts.get(char) ?? [])].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
    const reading = inContext ?? pinyin(char, { toneType: 'none', v: true });
    // Stryker disable next-line Regex: equivalent — pinyin-pro gives a character either letters only (ü as v) or the character itself
    if (!/^[a-z]+$/.test(reading)) continue;
    table[reading] = (table[reading] ?? '') + char;
  }
  // In code-point order of each syllable's first character: packPinyinTable sorts the syllables.
  return table;
}

/**
 * The table as the Lambdas read it: characters sorted by code point in one string, and beside each,
 * in a second string, its syllable's number (as the character U+0100 + n). A lookup is a binary search,
 * so nothing is built at start-up (a Map of 20,000 characters took 14 ms of every cold start).
 */
export interface PackedPinyin {
  syllables: string[];
  chars: string;
  index: string;
}

export const PINYIN_INDEX_BASE = 0x100;

export function packPinyinTable(table: Record<string, string>): PackedPinyin {
  const syllables = Object.keys(table).sort();
  const pairs: [number, number][] = [];
  syllables.forEach((syllable, i) => {
    for (const c of table[syllable]!) pairs.push([c.codePointAt(0)!, i]);
  });
  pairs.sort((a, b) => a[0] - b[0]);
  return {
    syllables,
    chars: pairs.map(([cp]) => String.fromCodePoint(cp)).join(''),
    index: pairs.map(([, i]) => String.fromCharCode(PINYIN_INDEX_BASE + i)).join(''),
  };
}
