import type { TopicId } from '../content/topic-ids';
import type { Matcher } from '../matcher/matcher';
import { detectSafety, type SafetySignal } from '../safety/detect';

/**
 * What a caller or texter said, understood: the safety check first (crisis, then threats to
 * physical safety), then the matcher. `reason` says which one decided, so replies can open with the
 * right words and logs can count them without keeping the text.
 */
export interface Understanding {
  topic: TopicId | null;
  reason: 'crisis' | 'threat' | 'matched' | 'unmatched';
  score: number;
}

/** `safety`: the caller already ran the safety check on this text (or a longer one): do not run it twice. */
export type Understand = (text: string, safety?: SafetySignal | null) => Understanding;

/** A threat to physical safety gets the police answer, whose first step is 110. */
const THREAT_TOPIC: TopicId = 'report-police';

export function createUnderstanding(match: Matcher): Understand {
  return (text, checked) => {
    const safety = checked === undefined ? detectSafety(text) : checked;
    if (safety?.kind === 'crisis') return { topic: 'crisis', reason: 'crisis', score: 1 };
    if (safety?.kind === 'threat') return { topic: THREAT_TOPIC, reason: 'threat', score: 1 };
    const { topic, score } = match(text);
    // The matcher can reach `crisis` by its own phrases too: that is still a crisis.
    if (topic === 'crisis') return { topic, reason: 'crisis', score };
    return { topic, reason: topic ? 'matched' : 'unmatched', score };
  };
}
