import type { TopicId } from '../content/topic-ids';
import type { Matcher } from '../matcher/matcher';
import { detectSafety } from '../safety/detect';

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

export type Understand = (text: string) => Understanding;

/** A threat to physical safety gets the police answer, whose first step is 110. */
const THREAT_TOPIC: TopicId = 'report-police';

export function createUnderstanding(match: Matcher): Understand {
  return (text) => {
    const safety = detectSafety(text);
    if (safety?.kind === 'crisis') return { topic: 'crisis', reason: 'crisis', score: 1 };
    if (safety?.kind === 'threat') return { topic: THREAT_TOPIC, reason: 'threat', score: 1 };
    const { topic, score } = match(text);
    // The matcher can reach `crisis` by its own phrases too: that is still a crisis.
    if (topic === 'crisis') return { topic, reason: 'crisis', score };
    return { topic, reason: topic ? 'matched' : 'unmatched', score };
  };
}
