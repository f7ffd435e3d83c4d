/**
 * The question inbox's rules on their own: keeping never fails or holds an answer for long (also with
 * the database down, over real HTTP), and what `npm run corpus -- pull` adds against the real
 * evaluation sets.
 */
import { describe, expect, it } from 'vitest';
import { planPull } from '../dev/corpus-cli';
import { postSignedForm } from '../dev/phone-lib';
import { inboxText, keepQuietly, type KeepQuestionInput } from '../lambdas/callbacks/inbox';
import type { StaffInboxQuestion } from '../lambdas/staff/contract';
import { evaluationTexts } from '../lambdas/understanding/training/corpus';
import { useStaffHotline } from './support/staff';
import { content, parseTwiml, spoken } from './support/twilio';

const INPUT: KeepQuestionInput = { text: '附近哪里有好吃的', guess: { kind: 'none', topics: [] }, channel: 'sms' };
const never = { keepQuestion: () => new Promise<void>(() => {}) };

describe('keepQuietly', () => {
  it('says whether it kept the question', async () => {
    const kept: KeepQuestionInput[] = [];
    expect(await keepQuietly(() => ({ keepQuestion: async (input) => void kept.push(input) }), new AbortController().signal, INPUT)).toBe(true);
    expect(kept).toEqual([INPUT]);
    expect(await keepQuietly(() => ({ keepQuestion: () => Promise.reject(new Error('database down')) }), new AbortController().signal, INPUT)).toBe(false);
    expect(await keepQuietly(() => Promise.reject(new Error('module failed to load')), new AbortController().signal, INPUT)).toBe(false);
  });

  it('gives up after its budget even when the store never answers', async () => {
    const started = performance.now();
    expect(await keepQuietly(() => never, new AbortController().signal, INPUT, 50)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up at the webhook deadline, and passes its signal on', async () => {
    const deadline = new AbortController();
    let seen: AbortSignal | undefined;
    const keeping = keepQuietly((signal) => ((seen = signal), never), deadline.signal, INPUT, 60_000);
    deadline.abort();
    expect(await keeping).toBe(false);
    expect(seen?.aborted).toBe(true);
    expect(await keepQuietly(() => never, deadline.signal, INPUT, 60_000)).toBe(false);
  });
});

describe('inboxText', () => {
  it('makes one line, stars every digit, and keeps nothing of an empty text', () => {
    expect(inboxText(' 欠了3000\n\t电话１３９１２３４５６７８ ')).toBe('欠了**** 电话***********');
    expect(inboxText(' \n ')).toBeUndefined();
  });
});

describe('a hotline whose database is down', () => {
  const hotline = useStaffHotline();

  it('still answers speech it did not understand (the question is lost, not the answer)', async () => {
    await hotline().stopDatabase();
    const response = await postSignedForm(hotline().url, '/twilio/voice/menu?at=main', { CallSid: 'CA'.padEnd(34, '1'), From: '+8613900009001', SpeechResult: '请问一下附近哪里有好吃的' }, hotline().authToken);
    expect(response.status).toBe(200);
    const heard = spoken(parseTwiml(await response.text()));
    expect(heard[0]).toBe(content.prompts.voice.notUnderstood);
    expect(heard).not.toContain(content.prompts.voice.systemError);
  });
});

describe('planPull against the real evaluation sets', () => {
  const evaluation = evaluationTexts(new URL('fixtures', import.meta.url).pathname);
  const labelled = (text: string, label: string | null = 'permissions'): StaffInboxQuestion => ({
    id: text,
    text,
    channel: 'sms',
    guess: { kind: 'none', topics: [], topicLabels: [] },
    day: '2026-12-04',
    createdAt: '2026-12-03T17:30:00.000Z',
    expiresAt: '2027-01-02T17:30:00.000Z',
    labelled: label !== undefined,
    label,
    labelText: null,
    labelledBy: 'alice',
    labelledAt: '2026-12-03T18:00:00.000Z',
  });

  it('reads every evaluation set, the blind and safety sets included', () => {
    expect(evaluation).toContain('请问怎么把贷款软件的通讯录权限关掉');
    expect(evaluation).toContain('我不想活了');
    expect(evaluation.length).toBeGreaterThan(1000);
  });

  it('skips a question of an evaluation set (punctuation aside), one the corpus has, and one that is only masked digits', () => {
    const plan = planPull(
      [labelled('请问怎么把贷款软件的通讯录权限关掉！'), labelled('已经在语料里了'), labelled('*** ****'), labelled('新的问题', null), labelled('新的问题')],
      ['已经在语料里了。'],
      evaluation,
    );
    // Newest first in, oldest first out: the file grows in the order questions were asked.
    expect(plan.lines).toEqual(['{"q": "新的问题", "ok": ["permissions"], "style": "inbox"}']);
    expect(plan.skipped).toEqual({ corpus: 2, evaluation: 1, empty: 1 });
  });
});
