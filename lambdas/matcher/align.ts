import type { Unit } from './syllables';

// Scores of the local alignment. A same-character match is full evidence; a homophone (报/爆, 谢/协)
// nearly so; a syllable that differs only by accent (zh/z, in/ing) a little less. Mismatches and gaps
// cost enough that a phrase with one wrong character out of four still scores about 0.6.
const SAME_CHAR = 1;
const SAME_SYLLABLE = 0.9;
const LOOSE_SYLLABLE = 0.7;
const MISMATCH = -0.6;
const GAP = -0.35;

function pairScore(a: Unit, b: Unit): number {
  if (a.char && a.char === b.char) return SAME_CHAR;
  if (a.syllable && a.syllable === b.syllable) return SAME_SYLLABLE;
  if (a.loose && a.loose === b.loose) return LOOSE_SYLLABLE;
  return MISMATCH;
}

/**
 * Smith–Waterman local alignment of a phrase inside a query, normalised by the phrase length:
 * 1 means the whole phrase occurs as written; fillers between its characters cost a little each.
 */
export function phraseCoverage(phrase: readonly Unit[], query: readonly Unit[]): number {
  if (phrase.length === 0 || query.length === 0) return 0;
  let previous = new Float64Array(query.length + 1);
  let current = new Float64Array(query.length + 1);
  let best = 0;
  for (let i = 1; i <= phrase.length; i++) {
    current[0] = 0;
    const p = phrase[i - 1]!;
    for (let j = 1; j <= query.length; j++) {
      const diagonal = previous[j - 1]! + pairScore(p, query[j - 1]!);
      const skipQuery = current[j - 1]! + GAP;
      const skipPhrase = previous[j]! + GAP;
      const score = Math.max(0, diagonal, skipQuery, skipPhrase);
      current[j] = score;
      if (score > best) best = score;
    }
    [previous, current] = [current, previous];
  }
  return best / phrase.length;
}
