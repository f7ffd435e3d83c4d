// The understanding layer's run-time pieces on their own, with small hand-made inputs: the band edges
// of `decide`, what `createUnderstanding` returns around the classifier, the classifier's arithmetic
// (`createClassifier` on a hand-made model), and the normalisation, pinyin and feature rules that the
// shipped model cannot show one by one. (test/understanding.test.ts tests the shipped model as a whole.)
import { describe, expect, it } from 'vitest';
import type { TopicId } from '../lambdas/content/topic-ids';
import type { SafetySignal } from '../lambdas/safety/detect';
import { declinesCallback } from '../lambdas/understanding/callback-refusal';
import { decide } from '../lambdas/understanding/decide';
import { featuresOf, MAX_TEXT } from '../lambdas/understanding/features';
import { createClassifier, type Bands, type Classifier, type ModelFile, type Scored } from '../lambdas/understanding/model';
import { normalizeForUnderstanding } from '../lambdas/understanding/normalize';
import { pinyinSyllables, segmentPinyin } from '../lambdas/understanding/pinyin';
import { createUnderstanding } from '../lambdas/understanding/understand';

// Probabilities that are exact in binary, so that "reaches the band" means equal, not nearly.
describe('decide: the edges of the bands', () => {
  const noAsking: Bands = { answer: 0.5, askPair: 1, askSecond: 1 };

  it('answers the best topic from exactly the answer band, not below it', () => {
    expect(decide([{ label: 'evidence', probability: 0.5 }, { label: null, probability: 0.5 }], noAsking)).toEqual({ kind: 'answer', topic: 'evidence', probability: 0.5 });
    expect(decide([{ label: 'evidence', probability: 0.375 }, { label: null, probability: 0.625 }], noAsking)).toEqual({ kind: 'menu', probability: 0.375 });
  });

  it('answers crisis from exactly its own lower band, even when another topic ranks first', () => {
    const bands: Bands = { ...noAsking, crisis: 0.25 };
    const ranking: Scored[] = [{ label: 'evidence', probability: 0.375 }, { label: null, probability: 0.375 }, { label: 'crisis', probability: 0.25 }];
    expect(decide(ranking, bands)).toEqual({ kind: 'answer', topic: 'crisis', probability: 0.25 });
    // Above the answer band, a topic ranked first still gives way to crisis within its band.
    expect(decide([{ label: 'evidence', probability: 0.625 }, { label: 'crisis', probability: 0.25 }, { label: null, probability: 0.125 }], bands)).toMatchObject({ topic: 'crisis' });
    // Below the crisis band, or without one, crisis is an ordinary label.
    expect(decide([{ label: 'evidence', probability: 0.5 }, { label: null, probability: 0.375 }, { label: 'crisis', probability: 0.125 }], bands)).toMatchObject({ topic: 'evidence' });
    expect(decide(ranking, noAsking)).toEqual({ kind: 'menu', probability: 0.375 });
  });

  it('asks back when the pair reaches askPair and the second topic askSecond, exactly; otherwise the menu', () => {
    const bands: Bands = { answer: 0.5, askPair: 0.625, askSecond: 0.25 };
    const ranking: Scored[] = [{ label: 'evidence', probability: 0.375 }, { label: null, probability: 0.375 }, { label: 'lawsuit', probability: 0.25 }];
    // "None of them" between the two is skipped: the choices are the two best topics.
    expect(decide(ranking, bands)).toEqual({ kind: 'ask', choices: ['evidence', 'lawsuit'], probability: 0.375 });
    expect(decide(ranking, { ...bands, askSecond: 0.375 })).toEqual({ kind: 'menu', probability: 0.375 });
    expect(decide(ranking, { ...bands, askPair: 0.75 })).toEqual({ kind: 'menu', probability: 0.375 });
  });
});

/** A classifier that ranks every text the same way, and records what it was asked. */
function fixedClassifier(ranking: Scored[], bands: Bands = { answer: 0.5, askPair: 0.6, askSecond: 0.2 }): Classifier & { asked: string[] } {
  const asked: string[] = [];
  return {
    bands,
    asked,
    rank(text) {
      asked.push(text);
      return ranking.map((r) => ({ ...r }));
    },
    explain: () => [],
  };
}

describe('createUnderstanding: the safety check, then the classifier and its bands', () => {
  const outOfScope = fixedClassifier([{ label: null, probability: 0.75 }, { label: 'evidence', probability: 0.25 }]);

  it('answers despair and threats from the safety check, whatever the classifier says', () => {
    const understand = createUnderstanding(outOfScope);
    expect(understand('我不想活了')).toEqual({ topic: 'crisis', reason: 'crisis', score: 1, candidates: ['crisis'], top: 'crisis' });
    expect(understand('他们说要上门砍我')).toEqual({ topic: 'report-police', reason: 'threat', score: 1, candidates: ['report-police'], top: 'report-police' });
  });

  it('trusts a safety check the caller already ran: null means none found, a signal is answered as found', () => {
    const understand = createUnderstanding(fixedClassifier([{ label: 'evidence', probability: 0.75 }, { label: null, probability: 0.25 }]));
    // The caller checked a longer text and found nothing: the words are not checked again.
    expect(understand('我不想活了', null)).toMatchObject({ topic: 'evidence', reason: 'matched' });
    const crisis: SafetySignal = { kind: 'crisis', cue: '不想活' };
    const threat: SafetySignal = { kind: 'threat', cue: '砍' };
    expect(understand('怎么保存证据', crisis)).toMatchObject({ topic: 'crisis', reason: 'crisis' });
    expect(understand('怎么保存证据', threat)).toMatchObject({ topic: 'report-police', reason: 'threat' });
  });

  it('never offers a callback the person declined, but keeps the other topics', () => {
    const classifier = fixedClassifier([
      { label: 'callback', probability: 0.625 },
      { label: 'evidence', probability: 0.25 },
      { label: null, probability: 0.125 },
    ]);
    const understand = createUnderstanding(classifier);
    expect(understand('请给我回电')).toMatchObject({ topic: 'callback', reason: 'matched', candidates: ['callback', 'evidence'] });
    expect(understand('不用回电了')).toEqual({ topic: null, reason: 'unmatched', score: 0.25, candidates: ['evidence'], top: 'evidence' });
  });

  it('lists the three most probable topics as candidates (never "none of them") and the label ranked first', () => {
    const understand = createUnderstanding(
      fixedClassifier([
        { label: null, probability: 0.4 },
        { label: 'evidence', probability: 0.2 },
        { label: 'lawsuit', probability: 0.15 },
        { label: 'permissions', probability: 0.15 },
        { label: 'negotiate', probability: 0.1 },
      ]),
    );
    expect(understand('明天会下雨吗')).toEqual({ topic: null, reason: 'unmatched', score: 0.2, candidates: ['evidence', 'lawsuit', 'permissions'], top: null });
  });

  it('asks back between the two best topics, with the best one’s probability to three decimals', () => {
    const understand = createUnderstanding(
      fixedClassifier([{ label: 'already-exposed', probability: 0.45678 }, { label: 'for-contacts', probability: 0.41234 }, { label: null, probability: 0.13088 }]),
    );
    expect(understand('通讯录')).toEqual({
      topic: null,
      reason: 'ask',
      score: 0.457,
      choices: ['already-exposed', 'for-contacts'],
      candidates: ['already-exposed', 'for-contacts'],
      top: 'already-exposed',
    });
  });

  it('answers crisis as a crisis when the classifier alone reaches it', () => {
    const understand = createUnderstanding(fixedClassifier([{ label: 'crisis', probability: 0.9 }, { label: null, probability: 0.1 }]));
    expect(understand('最近很累')).toEqual({ topic: 'crisis', reason: 'crisis', score: 0.9, candidates: ['crisis'], top: 'crisis' });
  });
});

describe('createClassifier: a multinomial logistic regression over the features', () => {
  // Latin words that are not pinyin have one feature each (`w:…`).
  const labels: (TopicId | null)[] = ['evidence', 'lawsuit', 'permissions', null];
  const model: ModelFile = {
    version: 1,
    trainedOn: 'fixture',
    labels,
    bias: [0, 0, 0, 500],
    weights: { 'w:app': [0, 3000, 1, -500], 'w:call': [0, 1000, 1, 2000] },
    scale: 1000,
    bands: { answer: 0.5, askPair: 0.6, askSecond: 0.2 },
  };
  const softmax = (logits: number[]) => {
    const exps = logits.map((z) => Math.exp(z));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  };

  it('reads the features it is given as words', () => {
    expect(featuresOf('app')).toEqual(['w:app']);
    expect(featuresOf('app call')).toEqual(['w:app', 'w:call']);
  });

  it('ranks every label, most probable first, from the biases and the weights scaled by 1/√(number of features)', () => {
    const classifier = createClassifier(model);
    expect(classifier.bands).toBe(model.bands);
    expect(classifier.trainedOn).toBe('fixture');
    // "app call": two features, each counts 1/√2.
    const x = 1 / Math.SQRT2;
    const [evidence, lawsuit, permissions, none] = softmax([(3 + 1) * x, (-0.5 + 2) * x, 0, 0.5]);
    const ranking = classifier.rank('app call');
    expect(ranking.map((r) => r.label)).toEqual(['evidence', 'lawsuit', null, 'permissions']);
    for (const [i, p] of [evidence, lawsuit, none, permissions].entries()) expect(ranking[i]!.probability).toBeCloseTo(p!, 12);
    // A feature the model has no weights for changes nothing but the 1/√n of the others.
    const withUnknown = classifier.rank('app call xyz');
    expect(withUnknown[0]!.probability).toBeCloseTo(softmax([4 / Math.sqrt(3), 1.5 / Math.sqrt(3), 0, 0.5])[0]!, 12);
    // No features at all: the biases alone.
    expect(classifier.rank('').map((r) => r.probability)[0]).toBeCloseTo(softmax([0, 0, 0, 0.5])[3]!, 12);
  });

  it('stays a probability when one label is overwhelmingly likely (no overflow to NaN)', () => {
    const certain = createClassifier({ ...model, bias: [1_000_000, 0, 0, -1_000_000] });
    expect(certain.rank('')).toEqual([
      { label: 'evidence', probability: 1 },
      { label: 'lawsuit', probability: 0 },
      { label: 'permissions', probability: 0 },
      { label: null, probability: 0 },
    ]);
  });

  it('explains the three best labels by the features that pushed each up most, rounded to three decimals', () => {
    const explained = createClassifier(model).explain('app call');
    expect(explained.map((e) => e.label)).toEqual(['evidence', 'lawsuit', null]);
    // 3 × 1/√2 = 2.1213…, 1/√2 = 0.7071…, 2/√2 = 1.4142…, −0.5/√2 = −0.3535…; a label without weights has no evidence.
    expect(explained.map((e) => e.evidence)).toEqual([
      [{ feature: 'w:app', weight: 2.121 }, { feature: 'w:call', weight: 0.707 }],
      [{ feature: 'w:call', weight: 1.414 }, { feature: 'w:app', weight: -0.354 }],
      [],
    ]);
    expect(explained[0]!.probability).toBe(createClassifier(model).rank('app call')[0]!.probability);
    expect(createClassifier(model).explain('app call', 1).map((e) => e.evidence.map((w) => w.feature))).toEqual([['w:app'], ['w:call'], []]);
  });
});

describe('normalisation, pinyin and features: the rules one by one', () => {
  it('turns every digit word of a number read out into its digit', () => {
    expect(normalizeForUnderstanding('零〇幺一二三四五六七八九')).toBe('001123456789');
    expect(normalizeForUnderstanding('打幺幺零，借了九九九')).toBe('打110,借了999');
  });

  it('segments only what is pinyin: no syllable, no segmentation; an empty word is not pinyin', () => {
    expect(segmentPinyin('xyz')).toEqual([]);
    expect(segmentPinyin('tongxunlu')).toEqual(['tong', 'xun', 'lu']);
    expect(pinyinSyllables('')).toBeUndefined();
    expect(pinyinSyllables('app')).toBeUndefined();
    expect(pinyinSyllables('baojing')).toEqual(['bao', 'jing']);
  });

  it(`reads only the first ${MAX_TEXT} characters of a text`, () => {
    const filler = '的'.repeat(MAX_TEXT - 2);
    expect(featuresOf(`${filler}报警`)).toContain('c:报');
    expect(featuresOf(`${filler}的报警`)).toContain('c:的');
    expect(featuresOf(`${filler}的的报警`)).not.toContain('c:报');
  });

  it('keeps numbers of up to six digits as they are; longer runs are any phone number', () => {
    expect(featuresOf('123456')).toEqual(['n:123456']);
    expect(featuresOf('1234567')).toEqual(['n:long']);
  });

  it('hears a refusal with 不想 as well as 不想要, and 回电话 before the refusal', () => {
    for (const text of ['不想回电', '不想回电话了', '回电话不用了', '回电话就算了', '回个电话就免了']) expect(declinesCallback(text), text).toBe(true);
  });
});
