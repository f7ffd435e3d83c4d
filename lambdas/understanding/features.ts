import { normalizeForUnderstanding } from './normalize';
import { looseSyllable, pinyinSyllables, syllableOf } from './pinyin';

/** Longest text read: the start of a long SMS says what it is about; the rest only costs time. */
export const MAX_TEXT = 400;
/** How many Han characters at the end of a longer text are read again as its question. */
const FOCUS_CHARACTERS = 8;

/**
 * The features the classifier sees, as strings (the same function at training and at run time):
 * - `c:` single Han characters and `b:` character bigrams, as written (after normalisation);
 * - `p:` pinyin syllable bigrams with accent confusions folded, from Han text and from typed
 *   pinyin alike, so that 报/暴/爆 通讯录, 通信录 and "tongxunlu" meet;
 * - `n:` numbers (110 is not 100; a run longer than 6 digits is any phone number);
 * - `s:` single syllables as read (not folded), so typed pinyin and homophones still count when a bigram is new;
 * - `w:` Latin words ("app", "police", "call"; pinyin words too: "police" is also po-li-ce);
 * - `f:` the bigrams of the question at the end of a longer text (see below).
 * Each feature counts once per text.
 */
export function featuresOf(text: string): string[] {
  const normalized = normalizeForUnderstanding(text.slice(0, MAX_TEXT));
  const features = new Set<string>();
  // Runs: Han text and typed pinyin are one stream of syllables until punctuation, digits or English break it.
  // (Two separators in a row leave an empty segment: it has no tokens.)
  for (const segment of normalized.split(/[^\p{Script=Han}a-z0-9 ]/u)) {
    let syllables: string[] = [];
    let previousChar = '';
    const flush = () => {
      // Single syllables exactly (是/事 shi must not meet 死 si); pairs with accents folded (tong xun ~ tong xun).
      for (let i = 0; i < syllables.length; i++) {
        features.add(`s:${syllables[i]}`);
        if (i > 0) features.add(`p:${looseSyllable(syllables[i - 1]!)}_${looseSyllable(syllables[i]!)}`);
      }
      syllables = [];
      previousChar = '';
    };
    // A token is one Han character, letters only or digits only.
    for (const token of segment.match(/\p{Script=Han}|[a-z]+|[0-9]+/gu) ?? []) {
      if (/[0-9]/.test(token)) {
        flush();
        features.add(`n:${token.length > 6 ? 'long' : token}`);
      } else if (/[a-z]/.test(token)) {
        // English words and pinyin overlap ("police" is also po-li-ce): keep the word either way.
        features.add(`w:${token}`);
        const typed = pinyinSyllables(token);
        if (typed) {
          previousChar = '';
              syllables.push(...typed);
        } else {
          flush();
        }
      } else {
        features.add(`c:${token}`);
        if (previousChar) features.add(`b:${previousChar}${token}`);
        previousChar = token;
        const syllable = syllableOf(token);
        if (syllable) syllables.push(syllable);
      }
    }
    flush();
  }
  // The question usually comes last ("…被爆了，能报警吗"): the bigrams of the last few Han characters
  // count again as `f:` features, so the model can weigh what is asked above what is told.
  const clauses = normalized.split(/[^\p{Script=Han}a-z0-9]/u).filter((clause) => /\p{Script=Han}/u.test(clause));
  // Stryker disable next-line StringLiteral: equivalent — without a clause, any fallback without Han characters leaves no focus
  const focus = [...(clauses.at(-1) ?? '')].filter((c) => /\p{Script=Han}/u.test(c)).slice(-FOCUS_CHARACTERS);
  if (clauses.length > 1 || normalized.length > 12) for (let i = 1; i < focus.length; i++) features.add(`f:${focus[i - 1]}${focus[i]}`);
  return [...features];
}
