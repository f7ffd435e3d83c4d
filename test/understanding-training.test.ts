// The understanding layer's build-time code (lambdas/understanding/training, run by `npm run train` and
// `npm run eval`) on small fixture corpora: what the trainer learns, how the bands are chosen, how the
// corpus is read and how replies are counted. The shipped model itself is tested in test/understanding.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledContent } from '../lambdas/content/content';
import { TOPIC_IDS } from '../lambdas/content/topic-ids';
import { createClassifier, type Label, type Scored } from '../lambdas/understanding/model';
import {
  buildModel, chooseBands, chooseCrisisBand, crossValidate, fingerprint, judgeRanking, LABELS, toModelFile,
} from '../lambdas/understanding/training/build';
import { contentExamples } from '../lambdas/understanding/training/content-examples';
import { bareQuestion, evaluationTexts, parseLabelled, readCorpus, type LabelledText } from '../lambdas/understanding/training/corpus';
import { add, emptyTally, judgeUnderstanding, outcomeOf, rate, report, type Judged } from '../lambdas/understanding/training/evaluate';
import { buildPinyinTable, packPinyinTable } from '../lambdas/understanding/training/pinyin-table';
import { DEFAULT_TRAINING, train, type Example, type TrainedWeights } from '../lambdas/understanding/training/softmax';
import { buildT2sTable } from '../lambdas/understanding/training/t2s-table';

/** Class probabilities of a trained model for one example's features, read as model.ts reads them (each feature 1/√n). */
function probabilities(trained: TrainedWeights, features: readonly string[]): number[] {
  const K = trained.classes;
  const x = features.length ? 1 / Math.sqrt(features.length) : 0;
  const logits = [...trained.bias];
  for (const feature of features) {
    const f = trained.features.indexOf(feature);
    if (f >= 0) for (let k = 0; k < K; k++) logits[k]! += trained.weights[f * K + k]! * x;
  }
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

const weightOf = (trained: TrainedWeights, feature: string, k: number) => trained.weights[trained.features.indexOf(feature) * trained.classes + k]!;

describe('softmax.train: multinomial logistic regression by full-batch Adam', () => {
  const separable: Example[] = [
    { features: ['a'], label: 0 },
    { features: ['a', 'x'], label: 0 },
    { features: ['b'], label: 1 },
    { features: ['b', 'x', 'y'], label: 1 },
    { features: ['c', 'y'], label: 2 },
    { features: ['c'], label: 2 },
  ];

  it('keeps the features seen in at least minCount examples, sorted', () => {
    const trained = train(
      [
        { features: ['b', 'a'], label: 0 },
        { features: ['a', 'c'], label: 1 },
        { features: ['b', 'd'], label: 1 },
      ],
      { ...DEFAULT_TRAINING, epochs: 1, classes: 2 },
    );
    expect(trained.features).toEqual(['a', 'b']);
    expect(trained.classes).toBe(2);
    expect(trained.weights).toHaveLength(4);
    expect(trained.bias).toHaveLength(2);
    expect(train([{ features: ['b', 'a'], label: 0 }], { ...DEFAULT_TRAINING, minCount: 1, epochs: 1, classes: 2 }).features).toEqual(['a', 'b']);
  });

  it('moves every parameter by the learning rate against its gradient on the first step', () => {
    // From zero every class has probability 1/3; a parameter's gradient is the mean over the 7 examples of
    // (1/3 − [label = k]), times 1/√n (n: the example's features, also those left out) for a weight. Signs:
    // bias: class 1 has three examples (−), classes 0 and 2 two (+);
    // a: only in class-0 examples (−, +, +); b: in one class-0 and one class-1 example, same 1/√n (−, −, +);
    // c: in class 1 with 1/√2, in class 2 with 1 (+, −, −);
    // g: in class 1 alone (1) and class 2 among nine features (1/3): for class 2, 1/3 − 2/3 × 1/3 > 0 (+, −, +).
    // `d` and the `h…` are seen once: left out.
    const examples: Example[] = [
      { features: ['a', 'b'], label: 0 },
      { features: ['a'], label: 0 },
      { features: ['b', 'c'], label: 1 },
      { features: ['c'], label: 2 },
      { features: ['d'], label: 1 },
      { features: ['g'], label: 1 },
      { features: ['g', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8'], label: 2 },
    ];
    const lr = 0.125;
    const trained = train(examples, { ...DEFAULT_TRAINING, learningRate: lr, epochs: 1, classes: 3 });
    expect(trained.features).toEqual(['a', 'b', 'c', 'g']);
    const moved = (values: ArrayLike<number>) => Array.from(values, (v) => Math.round((v / lr) * 1e4) / 1e4);
    expect(moved(trained.bias)).toEqual([-1, 1, -1]);
    expect(moved(trained.weights)).toEqual([1, -1, -1, 1, 1, -1, -1, 1, 1, -1, 1, -1]);
    // Exactly: Adam's first step is lr × g / (|g| + 1e-8); for g, class 2 the gradient is (1/3 × 1 − 2/3 × 1/3) / 7 = 1/63.
    expect(weightOf(trained, 'g', 2)).toBeCloseTo((-lr * (1 / 63)) / (1 / 63 + 1e-8), 13);
  });

  it('learns a separable set: every example’s own label is the most probable, by far', () => {
    const trained = train(separable, { ...DEFAULT_TRAINING, minCount: 1, classes: 3 });
    for (const { features, label } of separable) expect(probabilities(trained, features)[label], features.join()).toBeGreaterThan(0.9);
  });

  it('learns the frequencies of contradictory examples, with each feature counted 1/√n as model.ts reads it', () => {
    // Four features two to one for class 0, one feature two to one for class 1: the fitted probabilities are 2/3.
    const many = ['a', 'b', 'c', 'd'];
    const examples: Example[] = [
      ...[0, 0, 1].map((label) => ({ features: many, label })),
      ...[1, 1, 0].map((label) => ({ features: ['e'], label })),
    ];
    const trained = train(examples, { ...DEFAULT_TRAINING, l2: 0, epochs: 400, classes: 2 });
    expect(probabilities(trained, many)[0]).toBeCloseTo(2 / 3, 2);
    expect(probabilities(trained, ['e'])[1]).toBeCloseTo(2 / 3, 2);
  });

  it('weighs the L2 penalty against the mean loss: the same corpus twice gives the same model', () => {
    const options = { ...DEFAULT_TRAINING, l2: 0.02, epochs: 60, minCount: 1, classes: 3 };
    const once = train(separable, options);
    const twice = train([...separable, ...separable], options);
    expect(twice.features).toEqual(once.features);
    for (let i = 0; i < once.weights.length; i++) expect(twice.weights[i]).toBeCloseTo(once.weights[i]!, 9);
    for (let k = 0; k < 3; k++) expect(twice.bias[k]).toBeCloseTo(once.bias[k]!, 9);
  });

  it('keeps the weights smaller the larger the L2 penalty', () => {
    const size = (l2: number) => {
      const trained = train(separable, { ...DEFAULT_TRAINING, l2, minCount: 1, classes: 3 });
      return trained.weights.reduce((sum, w) => sum + w * w, 0);
    };
    expect(size(0.05)).toBeLessThan(size(0.005));
    expect(size(0.005)).toBeLessThan(size(0));
  });

  it('stays finite with a learning rate large enough to push the logits into the hundreds', () => {
    const trained = train(separable, { ...DEFAULT_TRAINING, learningRate: 200, epochs: 6, minCount: 1, classes: 3 });
    expect(Math.max(...trained.weights.map(Math.abs))).toBeGreaterThan(400);
    expect([...trained.weights, ...trained.bias].every(Number.isFinite)).toBe(true);
    for (const { features, label } of separable) expect(probabilities(trained, features)[label], features.join()).toBeGreaterThan(0.5);
  });

  it('is deterministic: the same examples give the same weights', () => {
    const options = { ...DEFAULT_TRAINING, epochs: 20, minCount: 1, classes: 3 };
    expect(train(separable, options)).toEqual(train(separable, options));
  });
});

// A small corpus in which each topic has words of its own: enough for the trainer and the folds to show what they do.
const line = (q: string, ok: Label[], style = 'sms'): LabelledText => ({ q, ok, style, source: 'fixture.jsonl' });
const FIXTURE: LabelledText[] = [
  ...['我要报警', '怎么报警', '报警有用吗', '可以打110吗', '去派出所报案', '派出所管不管', '报警电话是多少', '能不能报警抓他们'].map((q) => line(q, ['report-police'])),
  ...['怎么保存证据', '录音算证据吗', '截图有用吗', '通话录音怎么弄', '证据怎么留', '短信截图保存', '要不要录音', '留证据的办法'].map((q) => line(q, ['evidence'])),
  ...['怎么关通讯录权限', '软件权限怎么关', '关掉读取通讯录', '手机权限设置', '取消应用权限', '权限关了还能读吗', '不给通讯录权限', '怎样关闭权限'].map((q) => line(q, ['permissions'])),
  ...['明天会下雨吗', '今天吃什么', '你好', '话费怎么充', '天气怎么样', '推荐一部电影', '附近有什么好吃的', '几点了', '周末去哪玩', '讲个笑话'].map((q) => line(q, [null])),
];
const ALWAYS: LabelledText[] = [line('报警', ['report-police'], 'content'), line('保存证据', ['evidence'], 'content'), line('关闭权限', ['permissions'], 'content')];
/** Fewer epochs than shipped: the suite trains six models per build. */
const QUICK = { epochs: 100 };

describe('build: the classes and the model file', () => {
  it('has every topic, then "none of them", as its classes', () => {
    expect(LABELS).toEqual([...TOPIC_IDS, null]);
  });

  it('writes the weights scaled and rounded, dropping those below the pruning threshold (either sign)', () => {
    const K = LABELS.length;
    const weights = new Float64Array(3 * K);
    weights[0 * K + 0] = 0.25; // exactly the threshold: kept
    weights[0 * K + 5] = -1.23456;
    weights[1 * K + 2] = 0.2499; // below: dropped, and with it the whole feature
    weights[2 * K + (K - 1)] = 2.0004;
    const bias = Float64Array.from({ length: K }, (_, k) => (k === 1 ? -0.0126 : k / 1000));
    const bands = { answer: 0.6, askPair: 0.7, askSecond: 0.2 };
    const file = toModelFile({ features: ['c:a', 'c:b', 'c:c'], weights, bias, classes: K }, bands, 'hash');
    expect(file).toEqual({
      version: 1,
      trainedOn: 'hash',
      labels: LABELS,
      bias: Array.from({ length: K }, (_, k) => (k === 1 ? -13 : k)),
      weights: { 'c:a': [0, 250, 5, -1235], 'c:c': [K - 1, 2000] },
      scale: 1000,
      bands,
    });
    expect(toModelFile({ features: ['c:a', 'c:b', 'c:c'], weights, bias, classes: K }, bands, 'hash', 0.2).weights['c:b']).toEqual([2, 250]);
  });
});

describe('build: replies from a ranking', () => {
  const bands = { answer: 0.5, askPair: 0.6, askSecond: 0.2 };
  it('answers, asks back or offers the menu as the bands say, and keeps the label ranked first', () => {
    expect(judgeRanking([{ label: 'evidence', probability: 0.7 }, { label: null, probability: 0.3 }], bands)).toEqual({ reply: { kind: 'answer', topic: 'evidence' }, top: 'evidence' });
    expect(judgeRanking([{ label: 'evidence', probability: 0.4 }, { label: 'lawsuit', probability: 0.3 }, { label: null, probability: 0.3 }], bands)).toEqual({
      reply: { kind: 'ask', choices: ['evidence', 'lawsuit'] },
      top: 'evidence',
    });
    expect(judgeRanking([{ label: null, probability: 0.9 }, { label: 'evidence', probability: 0.1 }], bands)).toEqual({ reply: { kind: 'menu' }, top: null });
    expect(judgeRanking([], bands)).toEqual({ reply: { kind: 'menu' }, top: null });
  });
});

describe('corpus files', () => {
  const folders: string[] = [];
  const folder = (files: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), 'corpus-'));
    folders.push(root);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), text);
    }
    return root;
  };
  afterAll(() => {
    for (const root of folders) rmSync(root, { recursive: true, force: true });
  });

  it('reads one labelled line per line, skipping blank ones, with "unknown" (or the given style) when a line has none', () => {
    const jsonl = '{"q":"怎么报警","ok":["report-police"],"style":"sms"}\n\n   \n{"q":"你好","ok":[null]}\n{"q":"证据","ok":["evidence","lawsuit"]}\n';
    expect(parseLabelled(jsonl, 'a.jsonl')).toEqual([
      { q: '怎么报警', ok: ['report-police'], style: 'sms', source: 'a.jsonl' },
      { q: '你好', ok: [null], style: 'unknown', source: 'a.jsonl' },
      { q: '证据', ok: ['evidence', 'lawsuit'], style: 'unknown', source: 'a.jsonl' },
    ]);
    expect(parseLabelled('{"q":"你好","ok":[null]}', 'b.jsonl', 'blind')[0]!.style).toBe('blind');
  });

  it('rejects a line without a question or with labels that are not topic ids, naming the file and line (blank lines counted)', () => {
    const bad = (text: string) => () => parseLabelled(`{"q":"好","ok":[null]}\n\n${text}`, 'c.jsonl');
    expect(bad('{"q":"   ","ok":[null]}')).toThrow('c.jsonl:3: "q" must be a non-empty string');
    expect(bad('{"q":7,"ok":[null]}')).toThrow('c.jsonl:3: "q" must be a non-empty string');
    for (const ok of ['[]', '"evidence"', '["evidence","nope"]', '["nope","evidence"]', '[7]', '[{}]']) {
      expect(bad(`{"q":"好","ok":${ok}}`), ok).toThrow('c.jsonl:3: "ok" must list topic ids or null');
    }
  });

  it('compares questions without spaces, punctuation or full-width forms', () => {
    expect(bareQuestion('你好。')).toBe('你好');
    expect(bareQuestion(' 怎么 报警？ＡＢ１ 138****0000 ')).toBe('怎么报警AB11380000');
  });

  it('reads the corpus from the .jsonl files of a folder, in name order', () => {
    const root = folder({
      'b.jsonl': '{"q":"二","ok":[null]}\n',
      'a.jsonl': '{"q":"一","ok":[null]}\n',
      'notes.txt': 'not a corpus file',
      'a.jsonl.bak': '{"q":"旧","ok":[null]}\n',
    });
    expect(readCorpus(root).map((item) => `${item.source}:${item.q}`)).toEqual(['a.jsonl:一', 'b.jsonl:二']);
  });

  it('collects the texts of every evaluation set under a folder, subfolders included, in name order', () => {
    const root = folder({
      'z.jsonl': '{"q":"最后"}\n',
      'blind/safety.jsonl': '{"text":"安全","expect":"crisis"}\n\n  \n{"expect":"none"}\n{"q":7,"text":"数字"}\n',
      'a.jsonl': '{"q":"第一","text":"不是这个"}\n',
      'readme.md': '{"q":"说明"}',
    });
    expect(evaluationTexts(root)).toEqual(['第一', '安全', '数字', '最后']);
    expect(evaluationTexts(join(root, 'missing'))).toEqual([]);
  });

  it('turns the content’s menu labels and match phrases into training lines of their topic', () => {
    const content = bundledContent();
    const examples = contentExamples(content);
    const expected = [...content.topics.values()].flatMap((topic) => [topic.menuLabel, ...topic.phrases].map((q) => ({ q, ok: [topic.id] })));
    expect(examples.map(({ q, ok }) => ({ q, ok }))).toEqual(expected);
    expect(new Set(examples.map((e) => `${e.style} ${e.source}`))).toEqual(new Set(['content topics.json']));
  });
});

describe('evaluation: outcomes and tallies', () => {
  it('judges a reply against the acceptable labels', () => {
    expect(outcomeOf({ kind: 'answer', topic: 'evidence' }, ['lawsuit', 'evidence'])).toBe('right');
    expect(outcomeOf({ kind: 'answer', topic: 'evidence' }, ['lawsuit'])).toBe('wrong');
    expect(outcomeOf({ kind: 'ask', choices: ['evidence', 'lawsuit'] }, ['evidence'])).toBe('asked');
    expect(outcomeOf({ kind: 'ask', choices: ['evidence', 'lawsuit'] }, [null])).toBe('asked');
    expect(outcomeOf({ kind: 'menu' }, [null])).toBe('right');
    expect(outcomeOf({ kind: 'menu' }, ['evidence'])).toBe('menu');
  });

  it('counts top-1 only when the first label is acceptable, and helpful ask-backs only when a choice is', () => {
    const tally = emptyTally();
    add(tally, { reply: { kind: 'ask', choices: ['evidence', 'lawsuit'] }, top: 'evidence' }, ['lawsuit']);
    add(tally, { reply: { kind: 'ask', choices: ['evidence', 'lawsuit'] }, top: 'evidence' }, ['negotiate']);
    add(tally, { reply: { kind: 'answer', topic: 'evidence' }, top: 'evidence' }, ['evidence']);
    add(tally, { reply: { kind: 'menu' }, top: null }, ['evidence']);
    expect(tally).toEqual({ total: 4, top1: 1, right: 1, wrong: 0, asked: 2, askedHelpfully: 1, menu: 1 });
    expect(rate(tally.asked, tally)).toBe(0.5);
    expect(rate(0, emptyTally())).toBe(0);
  });

  it('reports by style and topic, the reply matrix, the wrong-answer pairs and the misses', () => {
    const items = [
      line('一', ['evidence'], 'sms'),
      line('二', ['evidence'], 'speech'),
      line('三', ['evidence'], 'sms'),
      line('四', [null], 'sms'),
      line('五', ['lawsuit'], 'sms'),
      line('六', ['lawsuit'], 'sms'),
    ];
    const replies: Judged[] = [
      { reply: { kind: 'answer', topic: 'lawsuit' }, top: 'lawsuit' },
      { reply: { kind: 'answer', topic: 'lawsuit' }, top: 'lawsuit' },
      { reply: { kind: 'answer', topic: 'evidence' }, top: 'evidence' },
      { reply: { kind: 'menu' }, top: null },
      { reply: { kind: 'ask', choices: ['lawsuit', 'evidence'] }, top: 'lawsuit' },
      { reply: { kind: 'menu' }, top: 'lawsuit' },
    ];
    const result = report(items, (_, i) => replies[i]!);
    expect(result.all).toEqual({ total: 6, top1: 4, right: 2, wrong: 2, asked: 1, askedHelpfully: 1, menu: 1 });
    expect(result.byStyle.get('speech')).toEqual({ total: 1, top1: 0, right: 0, wrong: 1, asked: 0, askedHelpfully: 0, menu: 0 });
    expect(result.byStyle.get('sms')!.total).toBe(5);
    expect([...result.byTopic.keys()]).toEqual(['evidence', 'null', 'lawsuit']);
    expect(result.byTopic.get('evidence')).toMatchObject({ total: 3, right: 1, wrong: 2 });
    expect(result.matrix).toEqual(
      new Map([
        ['evidence', new Map([['lawsuit', 2], ['evidence', 1]])],
        ['null', new Map([['menu', 1]])],
        ['lawsuit', new Map([['ask', 1], ['menu', 1]])],
      ]),
    );
    expect(result.confusions).toEqual(new Map([['evidence → lawsuit', 2]]));
    expect(result.misses.map((m) => m.item.q)).toEqual(['一', '二', '五', '六']);
    expect(result.misses[2]!.reply).toEqual({ kind: 'ask', choices: ['lawsuit', 'evidence'] });
  });

  it('reads the hotline’s understanding as a reply: a topic, two choices, or the menu', () => {
    expect(judgeUnderstanding({ topic: 'evidence', reason: 'matched', top: 'evidence' })).toEqual({ reply: { kind: 'answer', topic: 'evidence' }, top: 'evidence' });
    expect(judgeUnderstanding({ topic: null, reason: 'ask', choices: ['evidence', 'lawsuit'], top: 'evidence' })).toEqual({
      reply: { kind: 'ask', choices: ['evidence', 'lawsuit'] },
      top: 'evidence',
    });
    expect(judgeUnderstanding({ topic: null, reason: 'unmatched', top: null })).toEqual({ reply: { kind: 'menu' }, top: null });
  });
});

describe('the build-time tables', () => {
  it('reads a character as pinyin-pro reads it most often in context, ü written v, ties to the first in alphabetical order', () => {
    // 率 is lü in 效率 twice, shuai in 直率 once; 了 is liao in 了解 and le in 好了 once each; 乐 is not in the texts.
    const table = buildPinyinTable(['效率很高', '直率', '提高效率', '了解', '好了']);
    expect(table.lv).toContain('率');
    expect(table.shuai).not.toContain('率');
    expect(table.le).toContain('了');
    expect(table.liao).not.toContain('了');
    expect(table.le).toContain('乐');
    // Without context, the dictionary's reading: 了 is liao.
    expect(buildPinyinTable(['没有汉字 at all']).liao).toContain('了');
  });

  it('packs the table by code point, each character beside its syllable’s number, the syllables in alphabetical order', () => {
    const packed = packPinyinTable({ shi: '是十', bao: '爆报', a: '啊' });
    expect(packed.syllables).toEqual(['a', 'bao', 'shi']);
    // 十 U+5341, 啊 U+554A, 报 U+62A5, 是 U+662F, 爆 U+7206.
    expect(packed.chars).toBe('十啊报是爆');
    expect([...packed.index].map((c) => packed.syllables[c.charCodeAt(0) - 0x100])).toEqual(['shi', 'a', 'bao', 'shi', 'bao']);
  });

  it('writes data/t2s.json byte for byte as `npm run train` does (keys in the same order), so training leaves no diff', () => {
    // (The pinyin table's order is packPinyinTable's, tested above; its content is compared in test/understanding.test.ts.)
    const shipped = readFileSync(new URL('../lambdas/understanding/data/t2s.json', import.meta.url), 'utf8');
    expect(shipped).toBe(`${JSON.stringify(buildT2sTable())}\n`);
  });
});

// The slow tests (band choice, models trained on a fixture corpus) come last: a mutation run stops at the first
// failing test, so a mutant the quick tests above catch never waits for them.
/** `count` lines labelled `ok`, each ranked as `ranking`. */
const ranked = (count: number, ok: Label[], ranking: Scored[]) => Array.from({ length: count }, () => ({ item: line('…', ok), ranking }));
const split = (rows: { item: LabelledText; ranking: Scored[] }[]) => ({ items: rows.map((r) => r.item), rankings: rows.map((r) => r.ranking) });

describe('build: choosing the bands on out-of-fold rankings', () => {
  it('takes the most value within the limits: no wrong answers that cost more than they gain, and ask-backs that help', () => {
    const { items, rankings } = split([
      // Answered right from any answer band up to 0.9.
      ...ranked(80, ['evidence'], [{ label: 'evidence', probability: 0.9 }, { label: null, probability: 0.1 }]),
      // Two close topics, the second right: wrong if answered (too many to be allowed); worth asking back.
      ...ranked(3, ['lawsuit'], [{ label: 'evidence', probability: 0.5 }, { label: 'lawsuit', probability: 0.4 }, { label: null, probability: 0.1 }]),
      ...ranked(3, ['lawsuit'], [{ label: 'evidence', probability: 0.55 }, { label: 'lawsuit', probability: 0.3 }, { label: null, probability: 0.15 }]),
      // Out of scope, but ranked like the first three: asking them back is useless (and loses a right menu).
      ...ranked(1, [null], [{ label: 'evidence', probability: 0.5 }, { label: 'lawsuit', probability: 0.4 }, { label: null, probability: 0.1 }]),
      // Half right, half wrong at 0.6: within the wrong-answer limit, but a wrong answer costs two right ones.
      ...ranked(2, ['lawsuit'], [{ label: 'evidence', probability: 0.6 }, { label: null, probability: 0.3 }, { label: 'lawsuit', probability: 0.1 }]),
      ...ranked(2, ['evidence'], [{ label: 'evidence', probability: 0.6 }, { label: null, probability: 0.3 }, { label: 'lawsuit', probability: 0.1 }]),
      // Out of scope and clearly so.
      ...ranked(9, [null], [{ label: null, probability: 0.9 }, { label: 'evidence', probability: 0.05 }, { label: 'lawsuit', probability: 0.05 }]),
    ]);
    // Answer above 0.6 (the 0.6 lines would cost more than they give); ask back the six with the right second topic
    // (second ≥ 0.3, with the one useless ask among them: still worth it), but not the 0.6 lines (11 ask-backs > 8 %).
    expect(chooseBands(items, rankings)).toEqual({ answer: 0.625, askPair: 0.3, askSecond: 0.15 });
  });

  it('allows exactly 2.5 % wrong answers and 8 % ask-backs, and prefers the lowest bands when values tie', () => {
    const sure: Scored[] = [{ label: 'evidence', probability: 0.9 }, { label: null, probability: 0.1 }];
    const wrong = split([...ranked(39, ['evidence'], sure), ...ranked(1, ['lawsuit'], sure)]);
    expect(chooseBands(wrong.items, wrong.rankings)).toEqual({ answer: 0.2, askPair: 0.3, askSecond: 0.05 });
    const close: Scored[] = [{ label: 'evidence', probability: 0.45 }, { label: 'lawsuit', probability: 0.45 }, { label: null, probability: 0.1 }];
    const asked = split([...ranked(23, ['evidence'], sure), ...ranked(2, ['lawsuit'], close)]);
    expect(chooseBands(asked.items, asked.rankings)).toEqual({ answer: 0.475, askPair: 0.3, askSecond: 0.05 });
  });

  it('reaches the top of each band’s range: answer 0.95, askPair 0.95, askSecond 0.45', () => {
    const sure: Scored[] = [{ label: 'evidence', probability: 0.9 }, { label: null, probability: 0.1 }];
    // Right at 0.95, wrong at 0.925 (half the lines): only an answer band of 0.95 keeps the limit.
    const answer = split([
      ...ranked(10, ['evidence'], [{ label: 'evidence', probability: 0.95 }, { label: null, probability: 0.05 }]),
      ...ranked(10, ['lawsuit'], [{ label: 'evidence', probability: 0.925 }, { label: null, probability: 0.075 }]),
    ]);
    expect(chooseBands(answer.items, answer.rankings)).toEqual({ answer: 0.95, askPair: 0.3, askSecond: 0.05 });
    // Worth asking when the pair reaches 0.95; a pair of 0.92 with as strong a second topic is a useless ask-back.
    const pair = split([
      ...ranked(40, ['evidence'], sure),
      ...ranked(2, ['lawsuit'], [{ label: 'evidence', probability: 0.5 }, { label: 'lawsuit', probability: 0.45 }, { label: null, probability: 0.05 }]),
      ...ranked(1, ['negotiate'], [{ label: 'evidence', probability: 0.46 }, { label: 'lawsuit', probability: 0.46 }, { label: null, probability: 0.08 }]),
    ]);
    expect(chooseBands(pair.items, pair.rankings)).toEqual({ answer: 0.525, askPair: 0.95, askSecond: 0.05 });
    // Worth asking when the second topic reaches 0.45; at 0.44 (with a larger pair) it is useless, and costs a right menu.
    const second = split([
      ...ranked(40, ['evidence'], sure),
      ...ranked(2, ['lawsuit'], [{ label: 'evidence', probability: 0.5 }, { label: 'lawsuit', probability: 0.45 }, { label: null, probability: 0.05 }]),
      ...ranked(1, [null], [{ label: 'evidence', probability: 0.54 }, { label: 'lawsuit', probability: 0.44 }, { label: null, probability: 0.02 }]),
    ]);
    expect(chooseBands(second.items, second.rankings)).toEqual({ answer: 0.55, askPair: 0.3, askSecond: 0.45 });
  });

  it('answers only when nearly certain when no bands keep the limits', () => {
    const { items, rankings } = split(ranked(10, ['lawsuit'], [{ label: 'evidence', probability: 0.99 }, { label: 'lawsuit', probability: 0.01 }]));
    expect(chooseBands(items, rankings)).toEqual({ answer: 0.95, askPair: 1, askSecond: 1 });
  });

  it('sets the crisis band as low as false alarms allow: at most 0.5 % of the lines that are not about despair', () => {
    const { items, rankings } = split([
      ...ranked(1, ['negotiate'], [{ label: 'negotiate', probability: 0.5 }, { label: 'crisis', probability: 0.5 }]),
      ...ranked(1, ['negotiate'], [{ label: 'negotiate', probability: 0.7 }, { label: 'crisis', probability: 0.3 }]),
      ...ranked(198, ['evidence'], [{ label: 'evidence', probability: 1 }]),
      // Despair ranked as despair is no false alarm.
      ...ranked(5, ['crisis', 'negotiate'], [{ label: 'crisis', probability: 0.9 }, { label: 'negotiate', probability: 0.1 }]),
    ]);
    // 0.3 would make two alarms in 200 (1 %); from 0.325 one is left (0.5 %, allowed).
    expect(chooseCrisisBand(items, rankings)).toBe(0.325);
    const alarming = split(ranked(10, ['evidence'], [{ label: 'crisis', probability: 0.99 }, { label: 'evidence', probability: 0.01 }]));
    expect(chooseCrisisBand(alarming.items, alarming.rankings)).toBe(1);
  });
});

describe('build: cross-validation and the model on a fixture corpus', () => {
  // Lines whose words and topic nothing else has, one in each of the five folds (a fold is a hash of the text).
  const lonely = [
    line('咖啡豆子', ['lawsuit']),
    line('火箭卫星', ['negotiate']),
    line('熊猫竹子', ['legality']),
    line('鳄鱼冰淇淋', ['credit-record']),
    line('区块链挖矿', ['illegal-loans']),
  ];

  it('gives a different fingerprint when a line, its label or the extra lines change', () => {
    const base = fingerprint(FIXTURE);
    expect(fingerprint([...FIXTURE])).toBe(base);
    expect(fingerprint([...FIXTURE, ...ALWAYS])).not.toBe(base);
    expect(fingerprint([{ ...FIXTURE[0]!, ok: ['evidence'] }, ...FIXTURE.slice(1)])).not.toBe(base);
    expect(fingerprint([{ ...FIXTURE[0]!, q: '我要报案' }, ...FIXTURE.slice(1)])).not.toBe(base);
  });

  it('ranks every line by a model trained without it, and always with the extra lines', () => {
    // Each lonely line twice: the same text falls in the same fold, so while it is held out nothing else has its words or topic.
    const items = [...FIXTURE, ...lonely, ...lonely];
    const rankings = crossValidate(items, ALWAYS, 5, QUICK);
    expect(rankings).toHaveLength(items.length);
    for (const ranking of rankings) {
      expect(ranking.map((r) => r.label).sort()).toEqual([...LABELS].sort());
      expect(ranking.reduce((sum, r) => sum + r.probability, 0)).toBeCloseTo(1, 9);
    }
    const topOf = (all: Scored[][]) => lonely.map((_, i) => all[FIXTURE.length + i]![0]!.label);
    for (const [i, top] of topOf(rankings).entries()) expect(top, lonely[i]!.q).not.toBe(lonely[i]!.ok[0]);
    // Most lines are still understood by a model that never saw them.
    const right = FIXTURE.filter((item, i) => rankings[i]![0]!.label === item.ok[0]).length;
    expect(right / FIXTURE.length).toBeGreaterThan(0.6);
    // As extra lines, they are learnt by every fold.
    const withExtra = crossValidate(items, [...ALWAYS, ...lonely, ...lonely], 5, QUICK);
    expect(topOf(withExtra)).toEqual(lonely.map((item) => item.ok[0]));
  });

  it('trains the shipped model on the corpus and the extra lines, with bands and figures from cross-validation', () => {
    const { model, rankings } = buildModel(FIXTURE, ALWAYS, QUICK);
    expect(rankings).toHaveLength(FIXTURE.length);
    expect(model.labels).toEqual(LABELS);
    expect(model.trainedOn).toBe(fingerprint([...FIXTURE, ...ALWAYS]));
    expect(model.bands).toEqual({ ...chooseBands(FIXTURE, rankings), crisis: chooseCrisisBand(FIXTURE, rankings) });
    const classifier = createClassifier(model);
    for (const item of FIXTURE) expect(classifier.rank(item.q)[0]!.label, item.q).toBe(item.ok[0]);
    // The figures are shares of the corpus lines (not the extra ones), to four decimals.
    const { all } = report(FIXTURE, (_, i) => judgeRanking(rankings[i]!, model.bands));
    const cv = model.crossValidated!;
    expect(cv.lines).toBe(FIXTURE.length);
    for (const key of ['top1', 'right', 'wrong', 'asked', 'menu'] as const) {
      expect(cv[key], key).toBeCloseTo(all[key] / all.total, 4);
      expect(Math.round(cv[key] * 10_000), key).toBe(cv[key] * 10_000);
    }
    expect(cv.right + cv.wrong + cv.asked + cv.menu).toBeCloseTo(1, 3);
  });
});
