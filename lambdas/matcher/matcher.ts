import type { TopicId } from '../content/topic-ids';
import { phraseCoverage } from './align';
import { normalizeText } from './normalize';
import { toUnits, type Unit } from './syllables';

export interface MatchResult {
  /** The best topic, or null when nothing scores above the threshold (the caller gets the menu). */
  topic: TopicId | null;
  /** Score of the best topic, 0…1.1, rounded to 3 decimals. */
  score: number;
  /** Best topics first, for `npm run eval` and debugging. */
  ranking: { topic: TopicId; score: number; phrase: string }[];
}

export interface MatchableTopic {
  id: TopicId;
  menuLabel: string;
  phrases: readonly string[];
}

export interface MatcherOptions {
  /** Below this the answer is null: the menu is a better reply than a wrong topic. */
  threshold?: number;
}

export const DEFAULT_THRESHOLD = 0.6;
const DECLINED_CALLBACK = /(不用|不要|别|取消|不需要|无需)(再|给我)?(回电|回拨|人工|打电话|打给我|回个电话)/;
/** Longest question we read: a 2,000-character SMS is cut here rather than aligned in full. */
const MAX_QUERY_UNITS = 200;

interface PreparedPhrase {
  text: string;
  units: Unit[];
  /** Two-character phrases are weaker evidence than longer ones. */
  weight: number;
}

export type Matcher = (question: string) => MatchResult;

export function createMatcher(topics: readonly MatchableTopic[], options: MatcherOptions = {}): Matcher {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const prepared = topics.map((topic) => ({
    id: topic.id,
    phrases: [topic.menuLabel, ...topic.phrases].map((text): PreparedPhrase => {
      const units = toUnits(normalizeText(text));
      return { text, units, weight: units.length >= 3 ? 1 : 0.9 };
    }).filter((p) => p.units.length > 0),
  }));

  return (question: string): MatchResult => {
    const query = toUnits(normalizeText(question.slice(0, MAX_QUERY_UNITS * 2))).slice(0, MAX_QUERY_UNITS);
    const ranking = prepared
      .map((topic) => {
        const scored = topic.phrases
          .map((phrase) => ({ phrase: phrase.text, score: phraseCoverage(phrase.units, query) * phrase.weight }))
          .sort((a, b) => b.score - a.score);
        const [best, second] = scored;
        // A second phrase of the same topic that also matches well is corroboration, worth a little.
        const corroboration = second && second.score >= threshold ? 0.1 * second.score : 0;
        return { topic: topic.id, score: round((best?.score ?? 0) + corroboration), phrase: best?.phrase ?? '' };
      })
      .sort((a, b) => b.score - a.score);
    const top = ranking[0];
    let topic = top && top.score >= threshold ? top.topic : null;
    // "不用回电了", "取消人工": a refusal of a callback must never book one.
    if (topic === 'callback' && DECLINED_CALLBACK.test(normalizeText(question.slice(0, 200)).replace(/\s/g, ''))) topic = null;
    return { topic, score: top?.score ?? 0, ranking };
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
