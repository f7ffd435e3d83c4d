/**
 * The question inbox end to end: real signed webhooks and the staff API over HTTP on the local
 * hotline, the items read back from its dynalite, and `npm run corpus -- pull` into a copy of a corpus.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { runCorpusCli } from '../dev/corpus-cli';
import { postSignedForm } from '../dev/phone-lib';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { CALLBACK_TABLE } from '../lambdas/callbacks/table';
import type { StaffError, StaffInboxPage, StaffInboxQuestion } from '../lambdas/staff/contract';
import { parseLabelled } from '../lambdas/understanding/training/corpus';
import { ALICE, BOB, useStaffHotline } from './support/staff';
import { parseTwiml, spoken, understand } from './support/twilio';
import { content } from './support/twilio';

// 01:30 on Friday 4 December in Beijing, still the 3rd in UTC: the inbox's day is Beijing's.
const NOW = Date.parse('2026-12-03T17:30:00Z');
const hotline = useStaffHotline({ now: () => new Date(NOW), settings: { smsRepliesPerHour: 100 } });

/** Not understood at all; its numbers must never be kept. */
const UNCLEAR = '请问附近哪里有好吃的 我电话139.1234.5678 身份证11010519900307123X 卡号6222-0212-3456-7890';
const UNCLEAR_KEPT = '请问附近哪里有好吃的 我电话***.****.**** 身份证****************** 卡号****-****-****-****';
/** Close to two topics: the hotline asks back. */
const TWO_TOPICS = '借呗';

let sids = 0;
const nextSid = (prefix: string) => `${prefix}${String(++sids).padStart(32, '0')}`;

async function sms(body: string, from = '+8613900008001', sid = nextSid('SM')): Promise<string[]> {
  const response = await postSignedForm(hotline().url, '/twilio/sms', { MessageSid: sid, From: from, Body: body }, hotline().authToken);
  expect(response.status).toBe(200);
  return parseTwiml(await response.text()).map((verb) => verb.text ?? '');
}

async function say(speech: string, callSid = nextSid('CA')): Promise<string[]> {
  const response = await postSignedForm(hotline().url, '/twilio/voice/menu?at=main', { CallSid: callSid, From: '+8613900008002', SpeechResult: speech, Confidence: '0.9' }, hotline().authToken);
  expect(response.status).toBe(200);
  return spoken(parseTwiml(await response.text()));
}

async function staff<T>(method: string, path: string, options: { body?: unknown; token?: string | null } = {}): Promise<{ status: number; body: T }> {
  const token = options.token === undefined ? ALICE : options.token;
  const response = await fetch(`${hotline().url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Every inbox item as stored (the table itself, not the API). */
async function storedItems(): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(createDynamoClient({ endpoint: hotline().dynamoEndpoint }));
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: CALLBACK_TABLE.defaultName }));
  return Items.filter((item) => String(item.pk).startsWith('INBOX#'));
}

async function rawItem(id: string): Promise<Record<string, unknown> | undefined> {
  const doc = DynamoDBDocumentClient.from(createDynamoClient({ endpoint: hotline().dynamoEndpoint }));
  return (await doc.send(new GetCommand({ TableName: CALLBACK_TABLE.defaultName, Key: { pk: `INBOX#${id}` }, ConsistentRead: true }))).Item;
}

async function allQuestions(query = ''): Promise<StaffInboxQuestion[]> {
  const items: StaffInboxQuestion[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: StaffInboxPage } = await staff<StaffInboxPage>('GET', `/staff/inbox?limit=2${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return items;
}

const find = async (text: string) => (await allQuestions()).find((q) => q.text === text);

describe('what the inbox keeps', () => {
  it('keeps an SMS it did not understand: digits masked, the day in Beijing, 30 days, no number at all', async () => {
    expect(understand(UNCLEAR).reason).toBe('unmatched');
    const from = '+8613900008111';
    const replies = await sms(UNCLEAR, from);
    expect(replies.join('')).toContain(content.prompts.sms.menu.slice(0, 10));
    const question = await find(UNCLEAR_KEPT);
    expect(question).toMatchObject({ channel: 'sms', day: '2026-12-04', createdAt: new Date(NOW).toISOString(), labelled: false, label: null });
    expect(question!.guess.kind).toMatch(/^(topic|none)$/);
    expect(question!.expiresAt).toBe(new Date(NOW + 30 * 86_400_000).toISOString());

    const item = (await rawItem(question!.id))!;
    expect(item.expiresAt).toBe(Math.floor(NOW / 1000) + 30 * 86_400);
    // Only these attributes: no number, no hash of it, no sid.
    expect(Object.keys(item).sort()).toEqual(['channel', 'createdAt', 'day', 'expiresAt', 'guess', 'id', 'kind', 'pk', 'status', 'text']);
    expect(item.text).not.toMatch(/\d/);
    expect(JSON.stringify(item)).not.toContain(from.slice(3));
  });

  it('keeps an ask-back with its two choices, by SMS and by voice', async () => {
    const { choices } = understand(TWO_TOPICS);
    expect(choices).toHaveLength(2);
    await sms(TWO_TOPICS);
    const heard = await say(TWO_TOPICS);
    expect(heard.join('')).toContain('请按1');
    const kept = (await allQuestions()).filter((q) => q.text === TWO_TOPICS);
    expect(kept.map((q) => q.channel).sort()).toEqual(['sms', 'voice']);
    for (const q of kept) expect(q.guess).toEqual({ kind: 'ask', topics: choices, topicLabels: choices!.map((t) => content.topics.get(t)!.menuLabel) });
  });

  it('keeps speech it did not understand, once per question however often Twilio retries', async () => {
    const words = '请问一下附近哪里有好吃的';
    expect(understand(words).topic).toBeNull();
    const callSid = nextSid('CA');
    const heard = await say(words, callSid);
    expect(heard[0]).toBe(content.prompts.voice.notUnderstood);
    await say(words, callSid);
    const sid = nextSid('SM');
    await sms('今天晚饭吃什么好呢', undefined, sid);
    await sms('今天晚饭吃什么好呢', undefined, sid);
    const questions = await allQuestions();
    expect(questions.filter((q) => q.text === words).map((q) => q.channel)).toEqual(['voice']);
    expect(questions.filter((q) => q.text === '今天晚饭吃什么好呢')).toHaveLength(1);
  });

  it('never keeps a crisis message, nor a question answered with confidence, nor menu keys', async () => {
    const before = (await storedItems()).length;
    expect((await sms('我不想活了 13912345678')).length).toBeGreaterThan(0);
    await say('我真的不想活了');
    const answered = '网贷逾期了通讯录被爆怎么办';
    expect(understand(answered).reason).toBe('matched');
    await sms(answered);
    await sms('3');
    expect((await storedItems()).length).toBe(before);
  });

  it('cuts long texts to 300 characters', async () => {
    const long = `附近哪里有好吃的${'啊'.repeat(600)}`;
    await sms(long);
    const kept = (await allQuestions()).find((q) => q.text.startsWith('附近哪里有好吃的啊'))!;
    expect([...kept.text]).toHaveLength(300);
    expect(kept.text.endsWith('…')).toBe(true);
  });
});

describe('the staff routes', () => {
  it('lists unlabelled questions first, newest first, then labelled ones; ?labelled= filters', async () => {
    const all = await allQuestions();
    const firstLabelled = all.findIndex((q) => q.labelled);
    expect(all.slice(firstLabelled === -1 ? all.length : firstLabelled).every((q) => q.labelled)).toBe(true);
    expect(new Set(all.map((q) => q.id)).size).toBe(all.length);

    const [labelMe] = all;
    const labelled = await staff<StaffInboxQuestion>('POST', `/staff/inbox/${labelMe!.id}/label`, { body: { topic: 'permissions' }, token: BOB });
    expect(labelled.status).toBe(200);
    expect(labelled.body).toMatchObject({ id: labelMe!.id, labelled: true, label: 'permissions', labelText: content.topics.get('permissions')!.menuLabel, labelledBy: 'bob' });

    const after = await allQuestions();
    expect(after.at(-1)?.id).toBe(labelMe!.id);
    expect((await allQuestions('&labelled=false')).map((q) => q.id)).toEqual(after.filter((q) => !q.labelled).map((q) => q.id));
    expect((await allQuestions('&labelled=true')).map((q) => q.id)).toEqual([labelMe!.id]);
    const unlabelled = after.filter((q) => !q.labelled);
    expect(unlabelled.map((q) => q.createdAt)).toEqual([...unlabelled.map((q) => q.createdAt)].sort().reverse());
  });

  it('labels "none of the topics" with null, and refuses what is not a topic', async () => {
    const [question] = await allQuestions('&labelled=false');
    const none = await staff<StaffInboxQuestion>('POST', `/staff/inbox/${question!.id}/label`, { body: { topic: null } });
    expect(none.body).toMatchObject({ labelled: true, label: null, labelText: null, labelledBy: 'alice' });
    for (const body of [{ topic: 'nope' }, {}, { topic: 'permissions', extra: 1 }]) {
      const refused = await staff<StaffError>('POST', `/staff/inbox/${question!.id}/label`, { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error).toBe('bad-request');
    }
    expect((await staff<StaffError>('GET', '/staff/inbox?labelled=maybe')).status).toBe(400);
    expect((await staff<StaffError>('GET', `/staff/inbox?cursor=${Buffer.from('{"p":"open"}').toString('base64url')}`)).status).toBe(400);
  });

  it('deletes the item itself; labelling or deleting it again is a 404 in Chinese', async () => {
    await sms('这个问题请删掉 谢谢你们了');
    const question = (await find('这个问题请删掉 谢谢你们了'))!;
    const deleted = await staff<{ id: string; deleted: boolean }>('DELETE', `/staff/inbox/${question.id}`);
    expect(deleted).toEqual({ status: 200, body: { id: question.id, deleted: true } });
    expect(await rawItem(question.id)).toBeUndefined();
    expect(await find(question.text)).toBeUndefined();
    for (const [method, path, body] of [['POST', `/staff/inbox/${question.id}/label`, { topic: 'evidence' }], ['DELETE', `/staff/inbox/${question.id}`, undefined], ['POST', '/staff/inbox/not-an-id/label', { topic: null }]] as const) {
      const gone = await staff<StaffError>(method, path, body ? { body } : {});
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ error: 'not-found', message: expect.stringContaining('找不到这条问题') });
    }
    expect(await rawItem(question.id)).toBeUndefined();
  });

  it('answers 401 without a valid token, on every inbox route', async () => {
    const [question] = await allQuestions();
    for (const token of [null, 'not-a-staff-token-at-all']) {
      for (const [method, path, body] of [['GET', '/staff/inbox', undefined], ['POST', `/staff/inbox/${question!.id}/label`, { topic: null }], ['DELETE', `/staff/inbox/${question!.id}`, undefined]] as const) {
        const refused = await staff<StaffError>(method, path, { token, ...(body ? { body } : {}) });
        expect(refused.status, `${method} ${path}`).toBe(401);
        expect(refused.body.error).toBe('unauthorized');
      }
    }
    expect(await rawItem(question!.id)).toBeDefined();
  });
});

describe('npm run corpus -- pull', () => {
  it('appends labelled questions to inbox.jsonl in the corpus format, once, and never one the corpus has', async () => {
    await sms(UNCLEAR);
    const questions = await allQuestions('&labelled=false');
    const unclear = questions.find((q) => q.text === UNCLEAR_KEPT)!;
    const known = questions.find((q) => q.text !== UNCLEAR_KEPT)!;
    await staff('POST', `/staff/inbox/${unclear.id}/label`, { body: { topic: 'negotiate' } });
    await staff('POST', `/staff/inbox/${known.id}/label`, { body: { topic: null } });
    const labelled = await allQuestions('&labelled=true');

    const corpusDir = mkdtempSync(join(tmpdir(), 'corpus-'));
    // A corpus that already has one of them (punctuation aside): it is not added again.
    writeFileSync(join(corpusDir, 'people.jsonl'), `{"q": "${known.text}。", "ok": ["evidence"], "style": "story"}\n`);
    const pull = async (...extra: string[]) => {
      let stdout = '';
      const code = await runCorpusCli(['pull', ...extra], {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stdout += text),
        env: { HOTLINE_URL: hotline().url, STAFF_TOKEN: ALICE },
        fetch: (url, init) => fetch(url, init),
        corpusDir,
        evaluationDirs: [new URL('fixtures', import.meta.url).pathname],
      });
      return { code, stdout };
    };

    const dry = await pull('--dry-run');
    expect(dry.code).toBe(0);
    expect(() => readFileSync(join(corpusDir, 'inbox.jsonl'))).toThrow();

    const first = await pull();
    expect(first.code).toBe(0);
    const file = readFileSync(join(corpusDir, 'inbox.jsonl'), 'utf8');
    expect(file).toContain(`{"q": "${UNCLEAR_KEPT}", "ok": ["negotiate"], "style": "inbox"}\n`);
    expect(file).not.toContain(known.text);
    const lines = parseLabelled(file, 'inbox.jsonl');
    // One line per question; the same words asked twice (by SMS and by voice) are one line.
    expect(lines.map((line) => line.q).sort()).toEqual([...new Set(labelled.filter((q) => q.id !== known.id).map((q) => q.text))].sort());
    expect(lines.every((line) => line.style === 'inbox')).toBe(true);
    expect(first.stdout).toMatch(/已在语料 [1-9]\d* 条/);

    const second = await pull();
    expect(second.code).toBe(0);
    expect(readFileSync(join(corpusDir, 'inbox.jsonl'), 'utf8')).toBe(file);
    expect(second.stdout).toContain('已加入 / added 0 条');
  });

  it('refuses without a token, and says so', async () => {
    let stderr = '';
    const code = await runCorpusCli(['pull'], { stdout: () => {}, stderr: (text) => (stderr += text), env: { HOTLINE_URL: hotline().url, STAFF_TOKEN: 'wrong-token-0123456789' }, fetch: (url, init) => fetch(url, init), corpusDir: mkdtempSync(join(tmpdir(), 'corpus-')) });
    expect(code).toBe(1);
    expect(stderr).toContain('STAFF_TOKEN');
  });
});
