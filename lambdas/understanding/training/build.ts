import { createHash } from 'node:crypto';
import { TOPIC_IDS } from '../../content/topic-ids';
import { decide } from '../decide';
import { featuresOf } from '../features';
import { createClassifier, type Bands, type Label, type ModelFile, type Scored } from '../model';
import type { LabelledText } from './corpus';
import { report, rate, type Judged } from './evaluate';
import { DEFAULT_TRAINING, train, type TrainOptions, type TrainedWeights } from './softmax';

/** The classes, in a fixed order: every topic, then null ("none of them"). */
export const LABELS: Label[] = [...TOPIC_IDS, null];

/** Bump when features.ts changes meaning, so an old model.json is seen to be stale. */
export const FEATURES_VERSION = 2;

/** Weights smaller than this (after training) are dropped from the shipped model: a third of the size, −0.2 points in cross-validation. */
const PRUNE_BELOW = 0.25;
const SCALE = 1000;

/**
 * What a model was trained on and how: every line with its label and its features as features.ts
 * reads them now (so a change to the features, the normalisation or the pinyin table shows), and the
 * training settings. A test compares it with the shipped model: stale data fails the suite.
 */
export function fingerprint(corpus: readonly LabelledText[]): string {
  const hash = createHash('sha256').update(`features v${FEATURES_VERSION} ${JSON.stringify({ DEFAULT_TRAINING, PRUNE_BELOW, SCALE, BAND_LIMITS, VALUE, CRISIS_FALSE_ALARMS })}\n`);
  for (const item of corpus) hash.update(`${JSON.stringify([item.q, item.ok, featuresOf(item.q)])}\n`);
  return hash.digest('hex');
}

function fit(items: readonly LabelledText[], options: Partial<TrainOptions> = {}): TrainedWeights {
  const examples = items.map((item) => ({ features: featuresOf(item.q), label: LABELS.indexOf(item.ok[0] ?? null) }));
  return train(examples, { ...DEFAULT_TRAINING, ...options, classes: LABELS.length });
}

export function toModelFile(trained: TrainedWeights, bands: Bands, trainedOn: string, prune = PRUNE_BELOW): ModelFile {
  const K = trained.classes;
  const weights: Record<string, number[]> = {};
  trained.features.forEach((feature, f) => {
    const row: number[] = [];
    for (let k = 0; k < K; k++) {
      const w = trained.weights[f * K + k]!;
      if (Math.abs(w) >= prune) row.push(k, Math.round(w * SCALE));
    }
    if (row.length) weights[feature] = row;
  });
  return { version: 1, trainedOn, labels: LABELS, bias: [...trained.bias].map((b) => Math.round(b * SCALE)), weights, scale: SCALE, bands };
}

/** Fold of an item: a hash of its text, so folds do not depend on file order and stay put as the corpus grows. */
function foldOf(q: string, folds: number): number {
  return createHash('sha256').update(q).digest().readUInt32BE(0) % folds;
}

/** Out-of-fold rankings: each item ranked by a model trained without its fold (extra items are always trained on). */
export function crossValidate(items: readonly LabelledText[], always: readonly LabelledText[], folds = 5, options: Partial<TrainOptions> = {}): Scored[][] {
  // Stryker disable next-line ArrayDeclaration: equivalent — every index is assigned below
  const rankings: Scored[][] = new Array(items.length);
  const placeholderBands: Bands = { answer: 1, askPair: 1, askSecond: 1 };
  // Stryker disable next-line EqualityOperator: equivalent — one fold more holds no item (only time is lost)
  for (let fold = 0; fold < folds; fold++) {
    const held = items.map((item, i) => ({ item, i })).filter(({ item }) => foldOf(item.q, folds) === fold);
    const rest = items.filter((item) => foldOf(item.q, folds) !== fold);
    // Stryker disable next-line StringLiteral: equivalent — a fold's model is never asked what it was trained on
    const classifier = createClassifier(toModelFile(fit([...rest, ...always], options), placeholderBands, ''));
    for (const { item, i } of held) rankings[i] = classifier.rank(item.q);
  }
  return rankings;
}

/** The reply the bands give for a ranking (without the safety check, which sits in front of the classifier). */
export function judgeRanking(ranking: readonly Scored[], bands: Bands): Judged {
  const decision = decide(ranking, bands);
  const top = ranking[0]?.label ?? null;
  if (decision.kind === 'answer') return { reply: { kind: 'answer', topic: decision.topic }, top };
  if (decision.kind === 'ask') return { reply: { kind: 'ask', choices: decision.choices }, top };
  return { reply: { kind: 'menu' }, top };
}

/** Limits the chosen bands must keep on the out-of-fold predictions, a little tighter than the targets. */
export const BAND_LIMITS = { wrong: 0.025, asked: 0.08 };

/**
 * What a reply is worth to the person asking, for choosing the bands: a right answer 1; asking
 * back with the right topic among the two nearly as much (one key press); the menu nothing (they
 * find it themselves); a wrong answer costs twice what a right one gives (it sends them the wrong way).
 */
const VALUE = { right: 1, askedHelpfully: 0.7, askedUselessly: -0.3, menu: 0, wrong: -2 };

/**
 * Picks the bands on out-of-fold rankings: the most value (VALUE) while wrong answers and ask-backs
 * stay within BAND_LIMITS.
 */
export function chooseBands(items: readonly LabelledText[], rankings: readonly Scored[][]): Bands {
  let best: { bands: Bands; value: number } | undefined;
  // Integer steps: adding 0.025 in floating point would stop short of the last value.
  for (let a = 8; a <= 38; a++) {
    for (let p = 6; p <= 19; p++) {
      for (let q = 1; q <= 9; q++) {
        const bands = { answer: round(a * 0.025), askPair: round(p * 0.05), askSecond: round(q * 0.05) };
        const { all } = report(items, (_, i) => judgeRanking(rankings[i]!, bands));
        if (rate(all.wrong, all) > BAND_LIMITS.wrong || rate(all.asked, all) > BAND_LIMITS.asked) continue;
        const value =
          VALUE.right * all.right + VALUE.askedHelpfully * all.askedHelpfully + VALUE.askedUselessly * (all.asked - all.askedHelpfully) + VALUE.wrong * all.wrong;
        if (!best || value > best.value) best = { bands, value };
      }
    }
  }
  // Nothing within the limits: answer only when nearly certain, otherwise the menu.
  return best?.bands ?? { answer: 0.95, askPair: 1, askSecond: 1 };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Share of lines that are not about despair which may get the crisis answer from the classifier alone. */
export const CRISIS_FALSE_ALARMS = 0.005;

/**
 * The lowest crisis band whose out-of-fold false alarms (lines where crisis is not acceptable) stay
 * within CRISIS_FALSE_ALARMS: a missed crisis costs far more than a crisis answer sent by mistake.
 */
export function chooseCrisisBand(items: readonly LabelledText[], rankings: readonly Scored[][]): number {
  const others = items.map((item, i) => ({ item, i })).filter(({ item }) => !item.ok.includes('crisis'));
  // Stryker disable next-line EqualityOperator: equivalent — the last band is 1, as when none keeps the limit
  for (let c = 4; c <= 40; c++) {
    const band = round(c * 0.025);
    const alarms = others.filter(({ i }) => (rankings[i]!.find((r) => r.label === 'crisis')?.probability ?? 0) >= band).length;
    if (alarms / others.length <= CRISIS_FALSE_ALARMS) return band;
  }
  return 1;
}

/** Trains the shipped model: bands from cross-validation, weights from the whole corpus. */
export function buildModel(corpus: readonly LabelledText[], always: readonly LabelledText[], options: Partial<TrainOptions> = {}): { model: ModelFile; rankings: Scored[][] } {
  const rankings = crossValidate(corpus, always, 5, options);
  const bands = { ...chooseBands(corpus, rankings), crisis: chooseCrisisBand(corpus, rankings) };
  const model = toModelFile(fit([...corpus, ...always], options), bands, fingerprint([...corpus, ...always]));
  const { all } = report(corpus, (_, i) => judgeRanking(rankings[i]!, bands));
  const share = (n: number) => Math.round((n / all.total) * 10_000) / 10_000;
  // Recorded with the model (classifier alone, without the safety check in front): the test suite keeps floors on them.
  model.crossValidated = { lines: all.total, top1: share(all.top1), right: share(all.right), wrong: share(all.wrong), asked: share(all.asked), menu: share(all.menu) };
  return { model, rankings };
}
