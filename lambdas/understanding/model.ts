import type { TopicId } from '../content/topic-ids';
import { featuresOf } from './features';

/** A class of the model: a topic, or null for "none of them" (out of scope). */
export type Label = TopicId | null;

/**
 * The classifier as shipped (data/model.json, written by `npm run train`): a multinomial logistic
 * regression over the features of features.ts, stored sparsely, plus the confidence bands chosen
 * by cross-validation on the training corpus.
 */
export interface ModelFile {
  version: 1;
  /** SHA-256 of the corpus, the content phrases and the feature code version it was trained on. */
  trainedOn: string;
  labels: Label[];
  /** Per label, scaled by `scale`. */
  bias: number[];
  /** feature → [label index, weight × scale, label index, weight × scale, …] (small weights dropped). */
  weights: Record<string, number[]>;
  scale: number;
  bands: Bands;
  /** 5-fold cross-validation figures on the corpus when it was trained (shares of the lines). */
  crossValidated?: { lines: number; top1: number; right: number; wrong: number; asked: number; menu: number };
}

/**
 * Three bands of confidence. Answer when the best topic's probability reaches `answer`; ask back
 * between the two best topics when together they reach `askPair` and the second alone `askSecond`;
 * otherwise the menu.
 */
export interface Bands {
  answer: number;
  askPair: number;
  askSecond: number;
  /** The crisis topic is answered from this probability up, even when another topic ranks higher. */
  crisis?: number;
}

export interface Scored {
  label: Label;
  probability: number;
}

export interface Explained extends Scored {
  /** The features that pushed this label up most, with their contribution to its logit. */
  evidence: { feature: string; weight: number }[];
}

export interface Classifier {
  /** Every label, most probable first. */
  rank(text: string): Scored[];
  explain(text: string, top?: number): Explained[];
  readonly bands: Bands;
  /** Fingerprint of what the model was trained on (see ModelFile). */
  readonly trainedOn?: string;
}

export function createClassifier(model: ModelFile): Classifier {
  const { labels, scale } = model;
  const logitsOf = (features: readonly string[]) => {
    const logits = model.bias.map((b) => b / scale);
    // Features are weighted 1/√n: a long story is not more certain than a short question for its length alone.
    const x = features.length ? 1 / Math.sqrt(features.length) : 0;
    for (const feature of features) {
      const row = model.weights[feature];
      if (!row) continue;
      // Stryker disable next-line EqualityOperator: equivalent — one pair past the end only adds NaN to logits[undefined], which is not an entry
      for (let i = 0; i < row.length; i += 2) logits[row[i]!]! += (row[i + 1]! / scale) * x;
    }
    return { logits, x };
  };
  const softmax = (logits: number[]) => {
    const max = Math.max(...logits);
    const exps = logits.map((z) => Math.exp(z - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  };
  const rank = (text: string): Scored[] =>
    softmax(logitsOf(featuresOf(text)).logits)
      .map((probability, i) => ({ label: labels[i] ?? null, probability }))
      .sort((a, b) => b.probability - a.probability);
  return {
    bands: model.bands,
    trainedOn: model.trainedOn,
    rank,
    explain(text, top = 5) {
      const features = featuresOf(text);
      const { x } = logitsOf(features);
      return rank(text).slice(0, 3).map((scored) => {
        const index = labels.indexOf(scored.label);
        const evidence = features
          .map((feature) => {
            const row = model.weights[feature] ?? [];
            let weight = 0;
            // Stryker disable next-line EqualityOperator: equivalent — one pair past the end reads undefined, never a label's index
            for (let i = 0; i < row.length; i += 2) {
              if (row[i] === index) weight = (row[i + 1]! / scale) * x;
            }
            return { feature, weight: Math.round(weight * 1000) / 1000 };
          })
          .filter((e) => e.weight !== 0)
          .sort((a, b) => b.weight - a.weight)
          .slice(0, top);
        return { ...scored, evidence };
      });
    },
  };
}
