/**
 * `npm run ask` (bin/ask.ts) in a child process: one question as JSON, lines from stdin, the deciding
 * features. Apart from the understanding tests because a child process runs the code as it is: a
 * mutation run (which mutates only its own process) must not count a difference from it as a test.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shippedClassifier } from '../lambdas/understanding/shipped';
import { readCorpus } from '../lambdas/understanding/training/corpus';
import { understand } from './support/twilio';

const corpus = readCorpus(new URL('../content/zh-CN/corpus', import.meta.url).pathname);

describe('npm run ask', () => {
  const ask = (args: string[], input?: string) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'bin/ask.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });

  it('prints one JSON object with --json, with the two choices when it would ask back', () => {
    expect(JSON.parse(ask(['--json', '网贷逾期通讯录被爆怎么办']))).toEqual({ topic: 'already-exposed', score: expect.any(Number) });
    expect(JSON.parse(ask(['--json', '明天会下雨吗'])).topic).toBeNull();
    const classifier = shippedClassifier();
    // Find an ask-back in the development questions rather than hard-coding one.
    const asking = corpus.map((line) => line.q).find((q) => understand(q).reason === 'ask');
    expect(asking, 'no question in the corpus is asked back').toBeDefined();
    const answer = JSON.parse(ask(['--json', asking!]));
    expect(answer.topic).toBeNull();
    expect(answer.choices).toEqual(understand(asking!).choices);
    expect(classifier.bands.answer).toBeGreaterThan(0);
  });

  it('prints one JSON line per input line with --stdin', () => {
    const lines = ask(['--stdin'], '报警\n明天会下雨吗\n我要人工\n').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.topic)).toEqual(['report-police', null, 'callback']);
  });

  it('says which features decided with --explain', () => {
    const out = ask(['--explain', '通讯录被爆了怎么办']);
    expect(out).toMatch(/already-exposed/);
    expect(out).toMatch(/p=0\.\d{3}/);
    expect(out).toMatch(/[bpcf]:\S+ \+\d/);
  });

  it('reports a crisis and a threat as the hotline answers them', () => {
    const topics = ask(['--stdin'], '我不想活了\n想死\n催收说要上门\n').trim().split('\n').map((line) => JSON.parse(line).topic);
    expect(topics).toEqual(['crisis', 'crisis', 'report-police']);
  });
});
