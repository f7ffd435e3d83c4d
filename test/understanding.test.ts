import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import modelJson from '../lambdas/understanding/data/model.json';
import pinyinJson from '../lambdas/understanding/data/pinyin.json';
import t2sJson from '../lambdas/understanding/data/t2s.json';
import { toSimplified } from '../lambdas/understanding/normalize';
import { buildT2sTable, openccToSimplified } from '../lambdas/understanding/training/t2s-table';
import { declinesCallback } from '../lambdas/understanding/callback-refusal';
import { decide } from '../lambdas/understanding/decide';
import { featuresOf } from '../lambdas/understanding/features';
import type { ModelFile } from '../lambdas/understanding/model';
import { fingerprint } from '../lambdas/understanding/training/build';
import { contentExamples } from '../lambdas/understanding/training/content-examples';
import { bareQuestion, parseLabelled, readCorpus } from '../lambdas/understanding/training/corpus';
import { judgeUnderstanding, rate, report } from '../lambdas/understanding/training/evaluate';
import { buildPinyinTable, packPinyinTable } from '../lambdas/understanding/training/pinyin-table';
import { TOPIC_IDS } from '../lambdas/content/topic-ids';
import { content, understand } from './support/twilio';

const model = modelJson as unknown as ModelFile;
const corpusFolder = new URL('../content/zh-CN/corpus', import.meta.url).pathname;
const corpus = readCorpus(corpusFolder);

describe('the training corpus', () => {
  it('has at least 1,500 lines, 60 per topic and 150 out of scope, in several styles', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1500);
    const perLabel = new Map<string, number>();
    for (const line of corpus) perLabel.set(String(line.ok[0]), (perLabel.get(String(line.ok[0])) ?? 0) + 1);
    for (const id of TOPIC_IDS) expect(perLabel.get(id), id).toBeGreaterThanOrEqual(60);
    expect(perLabel.get('null')).toBeGreaterThanOrEqual(150);
    // `inbox`: questions staff labelled in the question inbox (`npm run corpus -- pull`), once there are any.
    const styles = new Set(corpus.map((line) => line.style));
    styles.delete('inbox');
    expect(styles).toEqual(new Set(['speech', 'sms', 'contact', 'indirect', 'story']));
  });

  it('shares no question with the evaluation sets', () => {
    const evaluation = ['blind/questions-blind-v3.jsonl', 'blind/questions-blind-v2.jsonl', 'questions-holdout.jsonl', 'questions.jsonl'].flatMap((name) =>
      parseLabelled(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'), name),
    );
    // Compared without spaces and punctuation: "你好。" and "你好" are the same question (as `npm run corpus -- pull` compares).
    const asked = new Set(evaluation.map((line) => bareQuestion(line.q)));
    expect(corpus.filter((line) => asked.has(bareQuestion(line.q))).map((line) => line.q)).toEqual([]);
  });

  it('rejects a malformed line with its file and line number', () => {
    expect(() => parseLabelled('{"q":"x","ok":["permissions"]}\n{"q":"y","ok":["nope"]}', 'a.jsonl')).toThrow('a.jsonl:2');
    expect(() => parseLabelled('not json', 'b.jsonl')).toThrow('b.jsonl:1: not JSON');
  });
});

describe('the shipped model (data/*.json, written by npm run train)', () => {
  it('was trained on the corpus and content as they are now', () => {
    expect(model.trainedOn, 'run `npm run train` and commit lambdas/understanding/data').toBe(fingerprint([...corpus, ...contentExamples(content)]));
  });

  it('ships the traditional → simplified table opencc-js gives today, and converts every text we have as opencc-js does', () => {
    expect(t2sJson).toEqual(buildT2sTable());
    const opencc = openccToSimplified();
    const texts = [
      ...corpus.map((line) => line.q),
      ...contentExamples(content).map((line) => line.q),
      ...[...content.topics.values()].flatMap((t) => [t.speech, t.sms, t.menuLabel]),
      '網貸逾期了，催收天天打電話給我的同事，說要上門', '香港嘅朋友話佢哋收到恐嚇電話', '軟體裡的通訊錄權限怎麼關', '乾脆不還了會怎樣',
    ];
    expect(texts.filter((text) => toSimplified(text) !== opencc(text))).toEqual([]);
  });

  it('ships the pinyin table pinyin-pro gives today', () => {
    expect(pinyinJson).toEqual(packPinyinTable(buildPinyinTable([...corpus, ...contentExamples(content)].map((line) => line.q))));
  });

  it('kept its cross-validated figures above their floors when it was trained', () => {
    const cv = model.crossValidated!;
    console.info(`cross-validated corpus (classifier alone): ${JSON.stringify(cv)}`);
    // A little under what was measured (classifier alone: top-1 0.905, wrong 0.028, asked 0.070): a regression
    // in the corpus, the features or the bands fails here. The target for top-1 is 0.95: not reached.
    expect(cv.top1).toBeGreaterThanOrEqual(0.895);
    expect(cv.wrong).toBeLessThanOrEqual(0.032);
    expect(cv.asked).toBeLessThanOrEqual(0.08);
  });
});

describe('understanding on the frozen blind sets (measured, never tuned on)', () => {
  for (const [name, floor] of [
    // Measured: v3 top-1 0.959, right 0.909, wrong 0.022, asked 0.041; v2 0.955, 0.903, 0.019, 0.037.
    ['blind/questions-blind-v3.jsonl', { top1: 0.945, right: 0.895, wrong: 0.028, asked: 0.06 }],
    ['blind/questions-blind-v2.jsonl', { top1: 0.94, right: 0.89, wrong: 0.025, asked: 0.06 }],
  ] as const) {
    it(`${name}: top-1, right answers, wrong answers and ask-backs within their floors`, () => {
      const items = parseLabelled(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8'), name);
      const { all } = report(items, (item) => judgeUnderstanding(understand(item.q)));
      console.info(`${name}: ${JSON.stringify(all)}`);
      expect(items.length).toBeGreaterThanOrEqual(150);
      expect(rate(all.top1, all)).toBeGreaterThanOrEqual(floor.top1);
      expect(rate(all.right, all)).toBeGreaterThanOrEqual(floor.right);
      expect(rate(all.wrong, all)).toBeLessThanOrEqual(floor.wrong);
      expect(rate(all.asked, all)).toBeLessThanOrEqual(floor.asked);
    });
  }
});

describe('features', () => {
  it('reads numbers as numbers: 100 is not 110, and 幺幺零 is 110', () => {
    expect(featuresOf('借了100块')).toContain('n:100');
    expect(featuresOf('借了100块')).not.toContain('n:110');
    expect(featuresOf('打幺幺零')).toContain('n:110');
    expect(featuresOf('打一二三七八投诉')).toContain('n:12378');
    expect(featuresOf('１２３７８')).toContain('n:12378');
    expect(featuresOf('我的号码13800138000')).toContain('n:long');
  });

  it('gives homophones, traditional characters and typed pinyin the same pinyin features', () => {
    const bao = (text: string) => featuresOf(text).filter((f) => f.startsWith('p:'));
    expect(bao('通讯录被报了')).toEqual(bao('通讯录被爆了'));
    expect(bao('通讯录被暴了')).toEqual(bao('通讯录被曝了'));
    expect(featuresOf('通訊錄')).toEqual(featuresOf('通讯录'));
    expect(bao('tongxunlu bei bao le')).toEqual(bao('通讯录被爆了'));
    expect(featuresOf('tongxunlubeibaole')).toEqual(expect.arrayContaining(bao('通讯录被爆了')));
  });

  it('reads only the start of a very long text, and copes with empty and odd input', () => {
    expect(featuresOf(`报警${'的'.repeat(5000)}`).length).toBeLessThan(20);
    for (const odd of ['', ' ', '😀😀', '\u0000', '???', 'x'.repeat(10_000)]) expect(() => featuresOf(odd)).not.toThrow();
    expect(featuresOf('')).toEqual([]);
  });
});

describe('deciding: answer, ask back or the menu', () => {
  const bands = { answer: 0.5, askPair: 0.6, askSecond: 0.2 };
  it('answers a confident topic, asks back between two close ones, and offers the menu otherwise', () => {
    expect(decide([{ label: 'evidence', probability: 0.7 }, { label: null, probability: 0.3 }], bands)).toMatchObject({ kind: 'answer', topic: 'evidence' });
    expect(
      decide([{ label: 'already-exposed', probability: 0.45 }, { label: 'for-contacts', probability: 0.4 }, { label: null, probability: 0.15 }], bands),
    ).toMatchObject({ kind: 'ask', choices: ['already-exposed', 'for-contacts'] });
    expect(decide([{ label: 'evidence', probability: 0.45 }, { label: 'lawsuit', probability: 0.1 }, { label: null, probability: 0.45 }], bands)).toMatchObject({ kind: 'menu' });
    // "None of them" is never answered and never one of the two choices.
    expect(decide([{ label: null, probability: 0.9 }, { label: 'evidence', probability: 0.1 }], bands)).toMatchObject({ kind: 'menu' });
    expect(decide([], bands)).toMatchObject({ kind: 'menu' });
  });
});

describe('understanding real wording', () => {
  it('hears 爆, 报, 暴, 曝 通讯录 and 通信录 as one thing', () => {
    for (const text of ['通讯录被爆了怎么办', '通讯录被报了怎么办', '通讯录被暴了怎么办', '通讯录被曝了怎么办', '通信录被爆了咋整']) {
      expect(understand(text).topic, text).toBe('already-exposed');
    }
  });

  it('answers what was asked, not the loudest word (the cases the matcher got wrong)', () => {
    expect(understand('我借了网贷还不上，他们把我通讯录里的人都打了一遍，我妈都接到电话了，咋整啊').topic).toBe('already-exposed');
    expect(understand('我是她同学，她借了网贷，现在催收天天打我电话骂我，我该怎么办').topic).toBe('for-contacts');
    expect(understand('能不能让人打给我').topic).toBe('callback');
    expect(understand('借了100块现在天天被催').topic).not.toBe('report-police');
  });

  it('offers the menu for what is out of scope, never a topic', () => {
    for (const text of ['明天会下雨吗', '你好', '', '😀😀', 'asdfgh', '话费怎么充']) expect(understand(text).topic, text).toBeNull();
  });

  it('never books a callback the person declined, in either word order', () => {
    for (const text of ['不用回电了，谢谢', '不想要回电', '不要你们回电话了', '回电不用了', '人工 不用了', '回電不用了', '别给我打电话']) {
      expect(declinesCallback(text), text).toBe(true);
      expect(understand(text).topic, text).not.toBe('callback');
      expect(understand(text).choices ?? [], text).not.toContain('callback');
    }
    for (const text of ['请给我回电', '我要人工', '能不能让人打给我']) expect(declinesCallback(text), text).toBe(false);
  });

  it('hears short replies as replies, not as despair (是/事 are not 死)', () => {
    for (const text of ['都不是', '都不对', '没事了', '我没事了谢谢', '好的']) {
      expect(understand(text).reason, text).not.toBe('crisis');
      expect(understand(text).topic, text).toBeNull();
    }
  });

  it('answers a 5,000-character text from its beginning', () => {
    expect(understand(`报警${'的'.repeat(5000)}`).reason).not.toBe('crisis');
  });
});
