import type { TopicId } from '../content/topic-ids';

export interface LabelledQuestion {
  q: string;
  /** Every acceptable answer; null means "no topic: the menu". */
  ok: (TopicId | null)[];
}

export interface Evaluation {
  total: number;
  correct: number;
  accuracy: number;
  misses: { q: string; expected: (TopicId | null)[]; got: TopicId | null; score: number }[];
}

/** Top-1 accuracy of `match` over a labelled set. */
export function evaluate(match: (question: string) => { topic: TopicId | null; score: number }, questions: readonly LabelledQuestion[]): Evaluation {
  const misses: Evaluation['misses'] = [];
  for (const { q, ok } of questions) {
    const { topic, score } = match(q);
    if (!ok.includes(topic)) misses.push({ q, expected: ok, got: topic, score });
  }
  const correct = questions.length - misses.length;
  return { total: questions.length, correct, accuracy: questions.length ? correct / questions.length : 0, misses };
}

export function parseQuestions(jsonl: string): LabelledQuestion[] {
  return jsonl
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LabelledQuestion);
}
