/**
 * The console's question inbox (待学习的问题). Without a browser: how a question reads, what the
 * label select offers and sends, what the list keeps after a label or a delete. In Chromium, on a
 * local hotline that real texts reached: the questions listed with digits masked, paging with the
 * cursor, a label given and changed, a delete confirmed, a label on a question deleted meanwhile.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { afterLabel, guessText, INBOX_PAGE_SIZE, inboxRow, isGone, labelChoices, labelShown, labelToSend, NOT_IN_SCOPE_VALUE, without } from '../console/src/inbox-logic';
import { postSignedForm } from '../dev/phone-lib';
import { TOPIC_IDS } from '../lambdas/content/topic-ids';
import { createStaffClient, StaffApiError } from '../lambdas/staff/client';
import type { StaffInboxQuestion } from '../lambdas/staff/contract';
import { inboxClient } from '../lambdas/staff/inbox-client';
import { useConsoleBrowser } from './support/browser';
import { content } from './support/twilio';

const label = (id: string) => content.topics.get(id as never)!.menuLabel;

function question(extra: Partial<StaffInboxQuestion> = {}): StaffInboxQuestion {
  return {
    id: 'q1',
    text: '请问附近哪里有好吃的 我电话***********',
    channel: 'sms',
    guess: { kind: 'none', topics: [], topicLabels: [] },
    day: '2026-12-04',
    createdAt: '2026-12-03T17:30:00Z',
    expiresAt: '2027-01-02T17:30:00Z',
    labelled: false,
    label: null,
    labelText: null,
    labelledBy: null,
    labelledAt: null,
    ...extra,
  };
}

describe('inbox, without a browser', () => {
  it('says what the matcher made of a question', () => {
    expect(guessText({ kind: 'ask', topics: ['negotiate', 'lawsuit'], topicLabels: ['协商还款', '被起诉'] })).toBe('热线追问了：“协商还款”还是“被起诉”');
    expect(guessText({ kind: 'topic', topics: ['evidence'], topicLabels: ['留证据'] })).toBe('热线给了菜单；最接近“留证据”');
    expect(guessText({ kind: 'none', topics: [], topicLabels: [] })).toBe('热线给了菜单；没有接近的话题');
  });

  it('reads a question: masked words, channel and Beijing time, the label given and who gave it', () => {
    expect(inboxRow(question())).toEqual({ id: 'q1', text: '请问附近哪里有好吃的 我电话***********', meta: '短信 · 12月4日 01:30', guess: '热线给了菜单；没有接近的话题', label: undefined, value: '' });
    const labelled = question({ channel: 'voice', labelled: true, label: 'negotiate', labelText: '协商还款', labelledBy: 'bob' });
    expect(inboxRow(labelled)).toMatchObject({ meta: '电话 · 12月4日 01:30', label: '已标注：协商还款（bob）', value: 'negotiate' });
    const none = question({ labelled: true, label: null, labelledBy: 'alice' });
    expect(labelShown(none)).toBe('不在范围');
    expect(inboxRow(none)).toMatchObject({ label: '已标注：不在范围（alice）', value: NOT_IN_SCOPE_VALUE });
    expect(labelShown(question())).toBeUndefined();
  });

  it('offers every topic once, then 不在范围, and sends a topic id, null or nothing', () => {
    const { groups, none } = labelChoices();
    expect(groups.flatMap((g) => g.topics.map((t) => t.id)).sort()).toEqual([...TOPIC_IDS].sort());
    expect(none).toEqual({ value: NOT_IN_SCOPE_VALUE, label: '不在范围' });
    expect(labelToSend('negotiate')).toBe('negotiate');
    expect(labelToSend(NOT_IN_SCOPE_VALUE)).toBeNull();
    expect(labelToSend('')).toBeUndefined();
  });

  it('drops a labelled question from 未标注, updates it in 已标注, and drops a deleted one', () => {
    const items = [question({ id: 'a' }), question({ id: 'b' })];
    const updated = question({ id: 'b', labelled: true, label: 'evidence', labelText: '留证据' });
    expect(afterLabel(items, updated, 'unlabelled').map((q) => q.id)).toEqual(['a']);
    expect(afterLabel(items, updated, 'labelled')[1]).toBe(updated);
    expect(without(items, 'a').map((q) => q.id)).toEqual(['b']);
  });

  it('knows a question that is gone from the 404', () => {
    expect(isGone(new StaffApiError({ status: 404, code: 'not-found', message: '找不到' }))).toBe(true);
    expect(isGone(new StaffApiError({ status: 409, message: '冲突' }))).toBe(false);
    expect(isGone(new Error('x'))).toBe(false);
  });
});

const TOKEN = 'console-inbox-token-alice';
const FIRST = '请问附近哪里有好吃的 我电话13912345678';
const FIRST_KEPT = '请问附近哪里有好吃的 我电话***********';
const TO_DELETE = '这个问题请删掉 谢谢你们了';
const GONE = '明天会下雨吗 我卡号6222021234567890';
const GONE_KEPT = '明天会下雨吗 我卡号****************';

describe('the inbox in a browser, after real texts', () => {
  const suite = useConsoleBrowser({ authToken: 'console-inbox-twilio', staffUsers: { [TOKEN]: 'alice' } });
  const hotline = () => suite.hotline();
  let sids = 0;

  async function text(body: string): Promise<void> {
    sids += 1;
    const from = `+86139007${String(sids).padStart(5, '0')}`;
    const response = await postSignedForm(hotline().url, '/twilio/sms', { MessageSid: `SM${String(sids).padStart(32, '0')}`, From: from, Body: body }, hotline().authToken);
    expect(response.status).toBe(200);
  }

  const inbox = () => inboxClient(createStaffClient({ baseUrl: hotline().url, token: () => TOKEN, fetch }));
  const stored = async (labelled?: boolean) => (await inbox().listPages(labelled === undefined ? {} : { labelled }, 20)).items;

  async function openInbox(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await suite.signedIn(TOKEN, { viewport });
    await page.getByRole('button', { name: '待学习的问题' }).click();
    await page.locator('#inbox-count', { hasText: '条' }).waitFor();
    return page;
  }

  const card = (page: Page, words: string) => page.locator('.question-card', { hasText: words });

  beforeAll(async () => {
    // More than a page of questions the hotline did not understand, the three the tests work on newest.
    for (let i = 0; i < INBOX_PAGE_SIZE; i++) await text(`今天晚饭吃什么好呢 真的不知道`);
    for (const body of [GONE, TO_DELETE, FIRST]) await text(body);
  });

  it('lists the questions newest first, digits masked, with channel, time and guess, a page at a time', async () => {
    expect((await stored(false)).length).toBe(INBOX_PAGE_SIZE + 3);
    const page = await openInbox();
    await expect.poll(() => page.locator('.question-card').count()).toBe(INBOX_PAGE_SIZE);
    expect(await page.locator('#inbox-count').textContent()).toBe(`未标注：${INBOX_PAGE_SIZE}+ 条`);
    const first = card(page, '好吃的');
    expect(await first.locator('.question-text').textContent()).toBe(`“${FIRST_KEPT}”`);
    expect(await first.textContent()).toMatch(/短信 · \d+月\d+日 \d\d:\d\d/);
    expect(await first.textContent()).toContain('热线给了菜单');
    expect((await page.content()).replace(/\D/g, '')).not.toContain('13912345678');
    expect(await card(page, '下雨').locator('.question-text').textContent()).toBe(`“${GONE_KEPT}”`);

    await page.getByRole('button', { name: '更多' }).click();
    await expect.poll(() => page.locator('.question-card').count()).toBe(INBOX_PAGE_SIZE + 3);
    expect(await page.getByRole('button', { name: '更多' }).count()).toBe(0);
    expect(await page.locator('#inbox-count').textContent()).toBe(`未标注：${INBOX_PAGE_SIZE + 3} 条`);
  });

  it('labels a question with a topic, shows it under 已标注, and changes it to 不在范围', async () => {
    const page = await openInbox();
    const first = card(page, '好吃的');
    await first.getByRole('button', { name: '标注' }).click();
    await page.locator('#notice', { hasText: '请先选择正确的话题' }).waitFor();

    await first.getByLabel('正确的话题').selectOption('negotiate');
    await first.getByRole('button', { name: '标注' }).click();
    await page.locator('#notice', { hasText: `已标注为“${label('negotiate')}”。` }).waitFor();
    await expect.poll(() => card(page, '好吃的').count()).toBe(0);

    await page.getByRole('button', { name: '已标注' }).click();
    const labelled = card(page, '好吃的');
    await labelled.waitFor();
    expect(await labelled.locator('.label-given').textContent()).toBe(`已标注：${label('negotiate')}（alice）`);
    expect(await labelled.getByLabel('正确的话题').inputValue()).toBe('negotiate');
    await labelled.getByLabel('正确的话题').selectOption({ label: '不在范围' });
    await labelled.getByRole('button', { name: '标注' }).click();
    await page.locator('#notice', { hasText: '已标注为“不在范围”。' }).waitFor();
    await labelled.locator('.label-given', { hasText: '已标注：不在范围（alice）' }).waitFor();
    expect((await stored(true)).map((q) => ({ text: q.text, label: q.label, labelled: q.labelled }))).toEqual([{ text: FIRST_KEPT, label: null, labelled: true }]);
  });

  it('deletes a question only once staff confirm', async () => {
    const page = await openInbox();
    const doomed = card(page, '请删掉');
    await doomed.getByRole('button', { name: '删除' }).click();
    await doomed.getByText('删除后无法恢复').waitFor();
    await doomed.getByRole('button', { name: '取消' }).click();
    await doomed.getByRole('button', { name: '删除' }).waitFor();
    expect((await stored()).some((q) => q.text === TO_DELETE)).toBe(true);

    await doomed.getByRole('button', { name: '删除' }).click();
    await doomed.getByRole('button', { name: '确定删除' }).click();
    await page.locator('#notice', { hasText: '已删除这条问题。' }).waitFor();
    await expect.poll(() => card(page, '请删掉').count()).toBe(0);
    expect((await stored()).some((q) => q.text === TO_DELETE)).toBe(false);
  });

  it('says clearly when a question was deleted meanwhile, and takes it off the list', async () => {
    const page = await openInbox();
    const gone = card(page, '下雨');
    await gone.waitFor();
    const [target] = (await stored(false)).filter((q) => q.text === GONE_KEPT);
    await inbox().remove(target!.id);
    await gone.getByLabel('正确的话题').selectOption('evidence');
    await gone.getByRole('button', { name: '标注' }).click();
    await page.locator('#notice', { hasText: '这个问题已被删除或已过期，已从列表中移除。' }).waitFor();
    await expect.poll(() => card(page, '下雨').count()).toBe(0);
  });

  it('fits a 375 px phone', async () => {
    const page = await openInbox({ width: 375, height: 700 });
    await page.locator('.question-card').first().waitFor();
    await page.locator('.question-card').first().getByRole('button', { name: '删除' }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    for (const right of await page.locator('.question-card, .question-card select, .question-card button').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().right))) {
      expect(right).toBeLessThanOrEqual(375);
    }
    await page.screenshot({ path: '/tmp/console-inbox-375.png', fullPage: true });
  });
});
