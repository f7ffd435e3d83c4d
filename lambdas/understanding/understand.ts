import type { TopicId } from '../content/topic-ids';
import { detectSafety, type SafetySignal } from '../safety/detect';
import { declinesCallback } from './callback-refusal';
import { decide } from './decide';
import type { Classifier } from './model';

/**
 * What a caller or texter said, understood: the safety check first (crisis, then threats to
 * physical safety), then the classifier with its three confidence bands.
 * - `topic`: what the hotline answers with; null when it asks back or offers the menu.
 * - `reason`: which step decided, so replies open with the right words and logs count them without the text.
 * - `choices`: the two topics to ask between (reason `ask`).
 * - `candidates`: the three most probable topics whatever the decision (a low-confidence transcript asks
 *   between the first two; after "不是这个" the caller is asked between the other two).
 */
export interface Understanding {
  topic: TopicId | null;
  reason: 'crisis' | 'threat' | 'matched' | 'ask' | 'unmatched';
  /** Probability of the best topic (1 for the safety check). */
  score: number;
  choices?: [TopicId, TopicId];
  candidates: TopicId[];
  /** The label ranked first (null: "none of the topics"), whatever the bands did with it. */
  top: TopicId | null;
}

/** `safety`: the caller already ran the safety check on this text (or a longer one): do not run it twice. */
export type Understand = (text: string, safety?: SafetySignal | null) => Understanding;

/** A threat to physical safety gets the police answer, whose first step is 110. */
const THREAT_TOPIC: TopicId = 'report-police';

export function createUnderstanding(classifier: Classifier): Understand {
  return (text, checked) => {
    const safety = checked === undefined ? detectSafety(text) : checked;
    if (safety?.kind === 'crisis') return { topic: 'crisis', reason: 'crisis', score: 1, candidates: ['crisis'], top: 'crisis' };
    if (safety?.kind === 'threat') return { topic: THREAT_TOPIC, reason: 'threat', score: 1, candidates: [THREAT_TOPIC], top: THREAT_TOPIC };
    // A refusal ("不用回电了") must never book a callback: callback is not a candidate then.
    const declined = declinesCallback(text);
    const ranking = classifier.rank(text).filter((r) => !(declined && r.label === 'callback'));
    const candidates = ranking.flatMap((r) => (r.label === null ? [] : [r.label])).slice(0, 3);
    const decision = decide(ranking, classifier.bands);
    const top = ranking[0]?.label ?? null;
    const score = Math.round(decision.probability * 1000) / 1000;
    // The classifier can reach `crisis` on its own too: that is still a crisis.
    if (decision.kind === 'answer') return { topic: decision.topic, reason: decision.topic === 'crisis' ? 'crisis' : 'matched', score, candidates, top };
    if (decision.kind === 'ask') return { topic: null, reason: 'ask', score, choices: decision.choices, candidates, top };
    return { topic: null, reason: 'unmatched', score, candidates, top };
  };
}
