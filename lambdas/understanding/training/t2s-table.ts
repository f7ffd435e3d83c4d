/**
 * Build time only: the traditional → simplified table the Lambdas read (`data/t2s.json`), computed
 * with opencc-js itself. At run time opencc-js builds a dictionary trie on first use (about 25 ms of a
 * cold start, paid by every SMS since the safety check folds traditional characters); the table is
 * what it would produce, as plain data: every entry of the dictionaries it applies (Taiwan and Hong
 * Kong variants → traditional, traditional → simplified), each mapped through the real converter,
 * kept where the result differs. `toSimplified` applies it longest match first, as OpenCC does.
 */
import * as OpenCC from 'opencc-js/t2cn';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import HKVariantsRevPhrases from 'opencc-js/dict/HKVariantsRevPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';

export interface T2sTable {
  /** Longest key, in code points. */
  maxLength: number;
  /** Traditional (or variant) text → simplified. */
  map: Record<string, string>;
}

/** The converter the hotline used at run time before this table: Taiwan forms, then Hong Kong forms. */
export function openccToSimplified(): (text: string) => string {
  const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });
  return (text) => fromHongKong(fromTaiwan(text));
}

export function buildT2sTable(): T2sTable {
  const convert = openccToSimplified();
  const keys = new Set<string>();
  for (const dict of [TWVariantsRevPhrases, TWVariantsRev, HKVariantsRevPhrases, HKVariantsRev, TSPhrases, TSCharacters] as string[]) {
    for (const entry of dict.split('|')) {
      const key = entry.split(' ')[0];
      if (key) keys.add(key);
    }
  }
  const map: Record<string, string> = {};
  let maxLength = 1;
  const sorted = [...keys].sort();
  // Characters first: what each converts to alone.
  for (const key of sorted.filter((k) => [...k].length === 1)) {
    const value = convert(key);
    if (value !== key) map[key] = value;
  }
  // Phrases are kept where they convert otherwise than character by character, identity included:
  // 什么 stays 什么 although 么 alone becomes 幺, so 什么 must be in the table to win the longest match.
  // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator: equivalent — a single character converts as itself char-wise, so the test below skips it anyway
  for (const key of sorted.filter((k) => [...k].length > 1)) {
    const value = convert(key);
    const charwise = [...key].map((c) => map[c] ?? c).join('');
    if (value === charwise) continue;
    map[key] = value;
    maxLength = Math.max(maxLength, [...key].length);
  }
  return { maxLength, map };
}
