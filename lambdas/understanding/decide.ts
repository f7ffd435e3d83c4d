import type { TopicId } from '../content/topic-ids';
import type { Bands, Scored } from './model';

/** What the hotline does with a ranking: answer one topic, ask back between two, or offer the menu. */
export type Decision =
  | { kind: 'answer'; topic: TopicId; probability: number }
  | { kind: 'ask'; choices: [TopicId, TopicId]; probability: number }
  | { kind: 'menu'; probability: number };

export function decide(ranking: readonly Scored[], bands: Bands): Decision {
  const best = ranking[0];
  if (!best) return { kind: 'menu', probability: 0 };
  // Erring on the side of care: despair the safety check missed is answered from a lower band.
  const crisis = ranking.find((r) => r.label === 'crisis');
  if (bands.crisis !== undefined && crisis && crisis.probability >= bands.crisis) return { kind: 'answer', topic: 'crisis', probability: crisis.probability };
  if (best.label !== null && best.probability >= bands.answer) return { kind: 'answer', topic: best.label, probability: best.probability };
  const [first, second] = ranking.filter((r): r is Scored & { label: TopicId } => r.label !== null);
  if (first && second && first.probability + second.probability >= bands.askPair && second.probability >= bands.askSecond) {
    return { kind: 'ask', choices: [first.label, second.label], probability: first.probability };
  }
  // The score is always the best topic's probability (what `ask --json` reports), menu or not.
  return { kind: 'menu', probability: first?.probability ?? 0 };
}
