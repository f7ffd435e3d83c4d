import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, parseQuestions } from '../lambdas/matcher/evaluate';
import { normalizeText } from '../lambdas/matcher/normalize';
import { segmentPinyin } from '../lambdas/matcher/syllables';
import { loadLabelledQuestions } from '../bin/questions';
import { match } from './support/twilio';

describe('matcher', () => {
  it('gets at least 90 % of the labelled questions right (top-1)', () => {
    const { questions } = loadLabelledQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(150);
    const result = evaluate(match, questions);
    expect(result.accuracy, JSON.stringify(result.misses, null, 1)).toBeGreaterThanOrEqual(0.9);
  });

  it('stays above its floor on the blind hold-out set, which no phrase was tuned on', () => {
    const holdout = parseQuestions(readFileSync(new URL('fixtures/questions-holdout.jsonl', import.meta.url), 'utf8'));
    expect(evaluate(match, holdout).accuracy).toBeGreaterThanOrEqual(0.75);
  });

  it('hears 爆, 报, 暴, 曝 and 抱 通讯录 as one thing', () => {
    for (const c of ['爆', '报', '暴', '曝', '抱']) expect(match(`通讯录被${c}了怎么办`).topic).toBe('already-exposed');
  });

  it('reads 谢商 as 协商 and traditional characters as simplified', () => {
    expect(match('想跟平台谢商还款').topic).toBe('negotiate');
    expect(match('可以跟平台協商延期還款嗎').topic).toBe('negotiate');
    expect(normalizeText('通訊錄ＡＢＣ１２３')).toBe('通讯录abc123');
  });

  it('reads toneless pinyin typed without spaces', () => {
    expect(segmentPinyin('tongxunlubeibaole')).toEqual(['tong', 'xun', 'lu', 'bei', 'bao', 'le']);
    expect(match('baojing').topic).toBe('report-police');
  });

  it('tolerates filler words and a typo', () => {
    expect(match('那个，就是，请问一下啊，催收打电话给我通讯录里的人，这个合法吗').topic).toBe('legality');
    expect(match('崔收老打我电话，我又不是借款人').topic).toBe('for-contacts');
  });

  it('answers null below the threshold rather than a wrong topic', () => {
    for (const q of ['明天会下雨吗', '你好', '', '😀😀', 'asdfgh', '房贷利率多少']) expect(match(q).topic).toBeNull();
  });

  it('answers a 5,000-character question without reading all of it', () => {
    expect(match(`报警${'的'.repeat(5000)}`).topic).toBe('report-police');
  });
});

describe('npm run ask', () => {
  const ask = (args: string[], input?: string) =>
    execFileSync(process.execPath, ['--import', 'tsx', 'bin/ask.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });

  it('prints one JSON object with --json', () => {
    expect(JSON.parse(ask(['--json', '网贷逾期通讯录被爆怎么办']))).toEqual({ topic: 'already-exposed', score: expect.any(Number) });
    expect(JSON.parse(ask(['--json', '明天会下雨吗'])).topic).toBeNull();
  });

  it('prints one JSON line per input line with --stdin', () => {
    const lines = ask(['--stdin'], '报警\n明天会下雨吗\n我要人工\n').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.topic)).toEqual(['report-police', null, 'callback']);
  });
});
