import { pinyin } from 'pinyin-pro';

/** One unit of matching: a Han character with its pinyin, a pinyin syllable typed in Latin, or a digit. */
export interface Unit {
  /** The Han character or digit as written; '' for a typed pinyin syllable. */
  char: string;
  /** Toneless pinyin ('' for digits). */
  syllable: string;
  /** Syllable with the confusions of southern accents and recognisers folded (zh→z, ing→in, …). */
  loose: string;
}

const INITIAL = '(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?';
const FINAL = '(?:iang|iong|uang|ang|eng|ing|ong|uai|uan|ian|iao|ai|ei|ao|ou|an|en|er|ia|ie|in|iu|ua|uo|ui|un|ve|ue|a|o|e|i|u|v)';
const SYLLABLE = new RegExp(`${INITIAL}${FINAL}`, 'g');

/** Greedy longest-match segmentation of toneless pinyin typed without spaces ("tongxunlu" → tong xun lu). */
export function segmentPinyin(word: string): string[] {
  return word.match(SYLLABLE) ?? [];
}

export function looseSyllable(syllable: string): string {
  return syllable
    .replace(/^([zcs])h/, '$1')
    .replace(/^l/, 'n')
    .replace(/ing$/, 'in')
    .replace(/eng$/, 'en')
    .replace(/([^iu])ang$/, '$1an');
}

function unit(char: string, syllable: string): Unit {
  return { char, syllable, loose: looseSyllable(syllable) };
}

/** Turns normalised text into matching units. Pinyin of Han text is read in context (还款 → huan kuan). */
export function toUnits(normalized: string): Unit[] {
  const units: Unit[] = [];
  for (const run of normalized.match(/\p{Script=Han}+|[a-z]+|[0-9]/gu) ?? []) {
    if (/^[a-z]/.test(run)) {
      const syllables = segmentPinyin(run);
      // A Latin word that is not entirely pinyin ("call", "help") is one unit, compared as written.
      if (syllables.join('') === run) for (const syllable of syllables) units.push(unit('', syllable));
      else units.push({ char: run, syllable: '', loose: '' });
    } else if (/^[0-9]/.test(run)) {
      units.push({ char: run, syllable: '', loose: '' });
    } else {
      const syllables = pinyin(run, { toneType: 'none', type: 'array', v: true });
      [...run].forEach((char, i) => units.push(unit(char, syllables[i] ?? '')));
    }
  }
  return units;
}
