/**
 * The console's 统计 view. Without a browser: the figures shaped from `StaffStats` (series, bars,
 * the words and tables beside them), percentages and the funnel, the date range and its presets,
 * the topic names from content, and the build (the view and uPlot are a chunk of their own, topics
 * stripped to their labels). In Chromium: a local hotline that real calls and texts exercised, the
 * charts drawn, their numbers in words and tables, the range changed, the CSV downloaded, a 375 px phone.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleFiles } from '../console/build';
import { chinaDate } from '../console/src/format';
import { positionText, minutesText, waitSummary } from '../console/src/stats-labels';
import { funnelSteps, percent, statsFigures, type Figure } from '../console/src/stats-logic';
import { lastDays, presetOf, rangeDays, statsRangeProblem } from '../console/src/stats-range';
import { groupName, topicChoiceGroups, topicName } from '../console/src/topic-names';
import { parseKeys, playCall, postSignedForm } from '../dev/phone-lib';
import { TOPIC_IDS } from '../lambdas/content/topic-ids';
import { createStaffClient } from '../lambdas/staff/client';
import type { StaffStats } from '../lambdas/staff/contract';
import { statsClient } from '../lambdas/staff/stats-client';
import { buildStats } from '../lambdas/stats/report';
import { useConsoleBrowser } from './support/browser';
import { content } from './support/twilio';

const figure = (stats: StaffStats, id: Figure['id']) => statsFigures(stats).find((f) => f.id === id)!;

describe('统计 figures, without a browser', () => {
  const stats = buildStats('2026-12-01', '2026-12-03', [
    {
      day: '2026-12-02',
      counters: {
        'contact.voice': 5,
        'contact.sms': 3,
        'crisis.sms': 1,
        'voice.topic.negotiate': 2,
        'sms.topic.negotiate': 1,
        'sms.topic.evidence': 4,
        'end.topic.negotiate': 2,
        'end.group.report': 1,
        'end.goodbye': 2,
        'cb.requested.voice': 2,
        'cb.requested.sms': 2,
        'cb.requested.urgent': 1,
        'cb.first.normal.le15m': 2,
        'cb.first.urgent.le30m': 1,
        'cb.outcome.reached': 2,
        'cb.outcome.no-answer': 3,
        'cb.outcome.declined': 1,
        'cb.unreached': 1,
      },
    },
    { day: '2026-12-03', counters: { 'contact.sms': 2 } },
  ]);

  it('draws contacts per day by channel, and lists only the days with any in its table', () => {
    const contacts = figure(stats, 'contacts');
    expect(contacts.chart).toEqual({
      kind: 'days',
      days: ['2026-12-01', '2026-12-02', '2026-12-03'],
      series: [expect.objectContaining({ label: '电话', values: [0, 5, 0] }), expect.objectContaining({ label: '短信', values: [0, 3, 2] })],
    });
    expect(contacts.summary).toEqual(['共 10 次：电话 5，短信 5。']);
    expect(contacts.table).toEqual({ head: ['日期', '电话', '短信', '合计'], rows: [['2026-12-02', 5, 3, 8], ['2026-12-03', 0, 2, 2], ['合计', 5, 5, 10]] });
  });

  it('names topics by their menu labels, most asked first, by channel', () => {
    const topics = figure(stats, 'topics');
    const [evidence, negotiate] = [content.topics.get('evidence')!.menuLabel, content.topics.get('negotiate')!.menuLabel];
    expect(topics.chart).toMatchObject({ kind: 'bars', categories: [evidence, negotiate], series: [{ values: [0, 2] }, { values: [4, 1] }] });
    expect(topics.table.rows).toEqual([[evidence, 0, 4, 4], [negotiate, 2, 1, 3]]);
    expect(topics.summary[0]).toBe(`最多：${evidence}（4）、${negotiate}（3）。共 2 个话题。`);
  });

  it('says where calls ended, in words, with their share', () => {
    const ends = figure(stats, 'callEnds');
    const negotiate = `话题：${content.topics.get('negotiate')!.menuLabel}`;
    // Equal counts in Chinese order (huà before méi).
    expect(ends.table.rows).toEqual([
      [negotiate, 2, '40%'],
      ['没有回应，热线结束通话', 2, '40%'],
      [`子菜单：${content.menu.groups.report!.label}`, 1, '20%'],
    ]);
    expect(ends.summary[0]).toBe(`5 通电话；最常在“${negotiate}”结束（2，40%）。`);
  });

  it('follows callback requests through first attempt to how they ended, with the wait percentiles', () => {
    expect(funnelSteps(stats.total.callbacks)).toEqual([
      { step: 'requested', count: 4 },
      { step: 'firstAttempt', count: 3 },
      { step: 'reached', count: 2 },
      { step: 'unreached', count: 1 },
      { step: 'wrong-number', count: 0 },
      { step: 'declined', count: 1 },
    ]);
    const funnel = figure(stats, 'funnel');
    expect(funnel.table.rows).toEqual([
      ['请求回电', 4, '100%'],
      ['第一次回拨', 3, '75%'],
      ['已接通', 2, '50%'],
      ['转为未接通', 1, '25%'],
      ['号码错误', 0, '0%'],
      ['拒绝回电', 1, '25%'],
    ]);
    expect(funnel.summary).toEqual([
      '请求回电 4 次（电话 2，短信 2，其中紧急 1）；重复请求 0 次。',
      '第一次回拨等了多久，一般：一半在约 7.5 分钟内，九成在约 13.5 分钟内（2 次）',
      '第一次回拨等了多久，紧急：一半在约 22.5 分钟内，九成在约 28.5 分钟内（1 次）',
      '无人接听共 3 次（每次没打通都算）。',
    ]);
    const waits = figure(stats, 'waits');
    expect(waits.chart).toMatchObject({ kind: 'bars', series: [{ label: '一般', values: [2, 0, 0, 0, 0, 0, 0, 0] }, { label: '紧急', values: [0, 1, 0, 0, 0, 0, 0, 0] }] });
    expect(waits.table.rows[0]).toEqual(['15 分钟内', 2, 0]);
    expect(waits.table.rows.at(-1)).toEqual(['超过 24 小时', 0, 0]);
  });

  it('shows crisis texts and calls and urgent requests per day, with how fast urgent ones were first called', () => {
    const crisis = figure(stats, 'crisis');
    expect(crisis.chart).toMatchObject({ kind: 'days', series: [{ label: '危机电话', values: [0, 0, 0] }, { label: '危机短信', values: [0, 1, 0] }, { label: '紧急回电请求', values: [0, 1, 0] }] });
    expect(crisis.summary).toEqual(['危机电话 0，危机短信 1，紧急回电请求 1。', '第一次回拨等了多久，紧急：一半在约 22.5 分钟内，九成在约 28.5 分钟内（1 次）']);
    expect(crisis.table.rows).toEqual([['2026-12-02', 0, 1, 1], ['合计', 0, 1, 1]]);
  });

  it('draws nothing for a range without counts, and says so', () => {
    const empty = buildStats('2026-12-01', '2026-12-02', []);
    const figures = statsFigures(empty);
    expect(figures.map((f) => f.id)).toEqual(['contacts', 'topics', 'callEnds', 'funnel', 'waits', 'crisis']);
    expect(figures.every((f) => f.chart === undefined)).toBe(true);
    expect(figure(empty, 'contacts').summary).toEqual(['这段时间没有。']);
    expect(figure(empty, 'contacts').table.rows).toEqual([['合计', 0, 0, 0]]);
    expect(figure(empty, 'waits').summary).toEqual(['一般：这段时间没有第一次回拨。', '紧急：这段时间没有第一次回拨。']);
    expect(figure(empty, 'funnel').table.rows[1]).toEqual(['第一次回拨', 0, '—']);
  });

  it('rounds percentages and has none of nothing', () => {
    expect(percent(1, 3)).toBe('33%');
    expect(percent(2, 3)).toBe('67%');
    expect(percent(5, 4)).toBe('125%');
    expect(percent(0, 0)).toBe('—');
  });

  it('words wait times and every kind of place a call ends', () => {
    expect(minutesText(7.5)).toBe('约 7.5 分钟');
    expect(minutesText(90)).toBe('约 1.5 小时');
    expect(minutesText(1440)).toBe('一天或更久');
    expect(waitSummary('urgent', null)).toBe('紧急：这段时间没有第一次回拨。');
    expect(positionText('main')).toBe('主菜单');
    expect(positionText('ask')).toBe('追问（在两个话题中选）');
    expect(positionText('goodbye')).toBe('没有回应，热线结束通话');
    expect(positionText('group.law')).toBe(`子菜单：${content.menu.groups.law!.label}`);
    expect(positionText('topic.lawsuit')).toBe(`话题：${content.topics.get('lawsuit')!.menuLabel}`);
    expect(positionText('callback.window')).toBe('回电：选时间');
    expect(positionText('callback.done')).toBe('回电：听到编号后');
    expect(positionText('callback.start')).toBe('回电：刚按了回电');
    expect(positionText('something')).toBe('something');
  });

  it('names topics and sub-menus from content, and offers every topic once in menu order', () => {
    for (const id of TOPIC_IDS) expect(topicName(id)).toBe(content.topics.get(id)!.menuLabel);
    expect(topicName('gone-topic')).toBe('gone-topic');
    expect(groupName('report')).toBe(content.menu.groups.report!.label);
    const groups = topicChoiceGroups();
    const ids = groups.flatMap((g) => g.topics.map((t) => t.id));
    expect([...ids].sort()).toEqual([...TOPIC_IDS].sort());
    expect(groups[0]!.group).toBeUndefined();
    expect(groups[0]!.topics[0]).toEqual({ id: 'already-exposed', label: content.topics.get('already-exposed')!.menuLabel });
    expect(groups.slice(1).map((g) => g.group)).toEqual(content.menu.main.flatMap((item) => ('group' in item ? [content.menu.groups[item.group]!.label] : [])));
  });
});

describe('统计 date range', () => {
  // 01:30 on 4 December in Beijing, still the 3rd in UTC: the days are Beijing's.
  const now = new Date('2026-12-03T17:30:00Z');

  it('opens on the last 30 days, today included, and knows its presets', () => {
    expect(lastDays(now, 30)).toEqual({ from: '2026-11-05', to: '2026-12-04' });
    expect(lastDays(now, 7)).toEqual({ from: '2026-11-28', to: '2026-12-04' });
    expect(rangeDays(lastDays(now, 90))).toBe(90);
    expect(presetOf(lastDays(now, 7), now)).toBe(7);
    expect(presetOf({ from: '2026-11-28', to: '2026-12-03' }, now)).toBeUndefined();
  });

  it('refuses missing, reversed, unreal and over-long ranges, as the server would', () => {
    expect(statsRangeProblem({ from: '', to: '2026-12-04' })).toBe('请选择开始和结束日期。');
    expect(statsRangeProblem({ from: '2026-12-05', to: '2026-12-04' })).toBe('结束日期不能早于开始日期。');
    expect(statsRangeProblem({ from: '2026-02-30', to: '2026-03-04' })).toBe('日期的格式应当是 年-月-日。');
    expect(statsRangeProblem({ from: '2025-10-30', to: '2026-12-04' })).toContain('400');
    expect(statsRangeProblem({ from: '2025-10-31', to: '2026-12-04' })).toBeUndefined();
  });
});

describe('console build with 统计', () => {
  it('keeps uPlot and the view out of the first page, and ships only topic labels of the content', async () => {
    const files = await buildConsoleFiles();
    const text = (path: string) => files.find((f) => f.path === path)!.body.toString();
    const statics = (path: string) => [...text(path).matchAll(/(?:^|[;}\s])import\s*(?:[\w${}\s,*]+from\s*)?"\.\/([\w-]+\.js)"/g)].map((m) => m[1]!);
    const firstPage = new Set<string>();
    const todo = ['app.js'];
    while (todo.length) {
      const path = todo.pop()!;
      if (!firstPage.has(path)) todo.push(...statics(path));
      firstPage.add(path);
    }
    // uPlot's own class names mark its code.
    const uplot = files.filter((f) => f.path.endsWith('.js') && f.body.includes('u-over'));
    expect(uplot).toHaveLength(1);
    expect(firstPage.has(uplot[0]!.path)).toBe(false);
    expect(text('app.js')).toContain(`import("./${uplot[0]!.path}")`);
    const speech = content.topics.get('negotiate')!.speech.slice(0, 12);
    for (const file of files) expect(file.body.includes(speech), file.path).toBe(false);
    expect(files.some((f) => f.body.includes(content.topics.get('negotiate')!.menuLabel))).toBe(true);
    expect(text('styles.css')).toContain('.u-over');
  });
});

const TOKEN = 'console-stats-token-alice';
const DAYS = 30;

describe('统计 in a browser, after real calls and texts', () => {
  const suite = useConsoleBrowser({ authToken: 'console-stats-twilio', staffUsers: { [TOKEN]: 'alice' } });
  const hotline = () => suite.hotline();
  let sids = 0;

  async function call(keys: string, from: string): Promise<void> {
    const result = await playCall({ baseUrl: hotline().url, authToken: hotline().authToken, from, answers: parseKeys(keys), statusCallback: '/twilio/voice/status' }, { print: () => {} }, fetch);
    expect(result.outcome).not.toBe('http-error');
  }

  async function text(from: string, body: string): Promise<void> {
    sids += 1;
    const response = await postSignedForm(hotline().url, '/twilio/sms', { MessageSid: `SM${String(sids).padStart(32, '0')}`, From: from, Body: body }, hotline().authToken);
    expect(response.status).toBe(200);
  }

  const staffClient = () => createStaffClient({ baseUrl: hotline().url, token: () => TOKEN, fetch });

  async function openStats(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await suite.signedIn(TOKEN, { viewport });
    await page.getByRole('button', { name: '统计' }).click();
    await page.locator('#stats-range', { hasText: '共' }).waitFor();
    return page;
  }

  const figureLocator = (page: Page, id: Figure['id']) => page.locator(`[data-figure="${id}"]`);
  const tableRows = (page: Page, id: Figure['id']) =>
    figureLocator(page, id)
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));

  beforeAll(async () => {
    // Three calls: the police topic, a callback confirmed (the code read out), silence; four texts.
    await call('3 2 q', '+8613900060001');
    await call('9 3 1', '+8613900060002');
    await call('_ _ _', '+8613900060003');
    await text('+8613900060004', '网贷逾期了通讯录被爆怎么办');
    await text('+8613900060005', '我不想活了');
    await text('+8613900060006', '回电 晚上');
    await text('+8613900060007', '请问附近哪里有好吃的');
    // The voice request's first attempt: reached.
    const client = staffClient();
    const voice = (await client.list({ status: 'open' })).items.find((r) => r.channel === 'voice')!;
    await client.claim(voice.id);
    await client.outcome(voice.id, 'reached');
  });

  it('draws every chart and says the same numbers as the API in words and tables', async () => {
    const range = lastDays(new Date(), DAYS);
    const stats = await statsClient(staffClient()).stats(range);
    expect(stats.total.contacts).toEqual({ voice: 3, sms: 4 });
    const page = await openStats();
    expect(await page.locator('#stats-from').inputValue()).toBe(range.from);
    expect(await page.locator('#stats-to').inputValue()).toBe(range.to);
    expect(await page.locator('[data-days="30"]').getAttribute('aria-pressed')).toBe('true');

    for (const id of ['contacts', 'topics', 'callEnds', 'funnel', 'waits', 'crisis'] as const) {
      await figureLocator(page, id).locator('canvas').first().waitFor();
      expect(await figureLocator(page, id).locator('.chart').getAttribute('aria-hidden'), id).toBe('true');
    }
    expect(await figureLocator(page, 'contacts').locator('.summary').textContent()).toBe('共 7 次：电话 3，短信 4。');
    expect((await tableRows(page, 'contacts')).at(-1)).toEqual(['合计', '3', '4', '7']);

    const police = content.topics.get('report-police')!.menuLabel;
    expect(await tableRows(page, 'topics')).toContainEqual([police, String(stats.total.topics['report-police']!.voice), '0', String(stats.total.topics['report-police']!.voice)]);
    const ends = await tableRows(page, 'callEnds');
    expect(ends.map((row) => row[0])).toEqual(expect.arrayContaining([`话题：${police}`, '回电：听到编号后', '没有回应，热线结束通话']));
    expect(ends.map((row) => Number(row[1])).reduce((a, b) => a + b, 0)).toBe(3);

    expect((await tableRows(page, 'funnel')).slice(0, 3)).toEqual([
      ['请求回电', '2', '100%'],
      ['第一次回拨', '1', '50%'],
      ['已接通', '1', '50%'],
    ]);
    const p50 = stats.total.callbacks.waitMinutes.normal!.p50;
    expect(await figureLocator(page, 'waits').locator('.summary').first().textContent()).toBe(waitSummary('normal', stats.total.callbacks.waitMinutes.normal));
    expect(await figureLocator(page, 'waits').textContent()).toContain(minutesText(p50));
    expect(await figureLocator(page, 'crisis').locator('.summary').first().textContent()).toBe('危机电话 0，危机短信 1，紧急回电请求 0。');
    await page.screenshot({ path: '/tmp/console-stats-1280.png', fullPage: true });
  });

  it('reads another range from a preset or the dates, and refuses a reversed one without asking', async () => {
    const page = await openStats();
    await page.locator('[data-figure="contacts"] canvas').first().waitFor();
    await page.getByRole('button', { name: '最近 7 天' }).click();
    await page.locator('#stats-range', { hasText: '共 7 天' }).waitFor();
    expect(await page.locator('#stats-from').inputValue()).toBe(lastDays(new Date(), 7).from);
    expect(await page.locator('[data-days="7"]').getAttribute('aria-pressed')).toBe('true');
    expect(await figureLocator(page, 'contacts').locator('.summary').textContent()).toBe('共 7 次：电话 3，短信 4。');

    // A month long ago: nothing counted, nothing drawn.
    await page.locator('#stats-from').fill('2025-01-01');
    await page.locator('#stats-to').fill('2025-01-31');
    await page.getByRole('button', { name: '查看' }).click();
    await page.locator('#stats-range', { hasText: '2025-01-01 至 2025-01-31，共 31 天' }).waitFor();
    expect(await figureLocator(page, 'contacts').locator('.summary').textContent()).toBe('这段时间没有。');
    expect(await page.locator('#stats-figures canvas').count()).toBe(0);
    expect(await page.locator('[aria-pressed="true"][data-days]').count()).toBe(0);

    // Back to the queue and again to 统计: the same range, read afresh; the queue is not refreshed behind it.
    await page.getByRole('button', { name: '回电请求' }).click();
    expect(await page.locator('#stats-page').isHidden()).toBe(true);
    expect(await page.locator('#queue-title').evaluate((el) => el === document.activeElement)).toBe(true);
    const reread = page.waitForResponse((response) => response.url().includes('/staff/stats?from=2025-01-01&to=2025-01-31'));
    await page.getByRole('button', { name: '统计' }).click();
    await reread;
    expect(await page.locator('#stats-title').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByRole('button', { name: '统计' }).getAttribute('aria-current')).toBe('page');

    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/staff/stats')) asked.push(request.url());
    });
    await page.locator('#stats-from').fill('2025-02-01');
    await page.getByRole('button', { name: '查看' }).click();
    await page.locator('#notice', { hasText: '结束日期不能早于开始日期' }).waitFor();
    expect(asked).toEqual([]);

    // Signing out empties the view; the next person starts on the queue.
    await page.getByRole('button', { name: '退出' }).click();
    await page.locator('#token-input').fill(TOKEN);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#queue-title', { hasText: '（' }).waitFor();
    expect(await page.locator('#stats-page').isHidden()).toBe(true);
    expect(await page.locator('#stats-figures > *').count()).toBe(0);
    expect(await page.getByRole('button', { name: '回电请求' }).getAttribute('aria-current')).toBe('page');
  });

  it('downloads the CSV of the range shown: one row per day and a total', async () => {
    const page = await openStats();
    const { from, to } = lastDays(new Date(), DAYS);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`stats-${from}-${to}.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\ufeffday,contacts.voice,contacts.sms,')).toBe(true);
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(DAYS + 2);
    expect(lines[1]!.startsWith(`${from},`)).toBe(true);
    const total = lines.at(-1)!.split(',');
    expect(total.slice(0, 3)).toEqual(['total', '3', '4']);
    await page.locator('#notice', { hasText: `已下载 stats-${from}-${to}.csv` }).waitFor();
  });

  it('fits a 375 px phone, and the charts follow their container when the window narrows', async () => {
    const page = await openStats({ width: 1280, height: 900 });
    const canvas = figureLocator(page, 'contacts').locator('canvas').first();
    await canvas.waitFor();
    const wide = (await canvas.boundingBox())!.width;
    expect(wide).toBeGreaterThan(375);
    await page.setViewportSize({ width: 375, height: 700 });
    await expect.poll(async () => (await canvas.boundingBox())!.width).toBeLessThan(375);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    const phone = await openStats({ width: 375, height: 700 });
    await figureLocator(phone, 'waits').locator('canvas').first().waitFor();
    for (const details of await phone.locator('details.numbers summary').all()) await details.click();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    for (const box of await phone.locator('#stats-figures canvas, #stats-figures table').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().right))) {
      expect(box).toBeLessThanOrEqual(375);
    }
    await phone.screenshot({ path: '/tmp/console-stats-375.png', fullPage: true });
  });

  it('downloads neither uPlot nor the view until 统计 is opened', async () => {
    const page = await suite.newPage();
    const loaded: string[] = [];
    page.on('response', (response) => loaded.push(new URL(response.url()).pathname));
    await page.goto(`${hotline().consoleUrl}#token=${TOKEN}`);
    await page.locator('#queue-title', { hasText: '（' }).waitFor();
    await page.waitForLoadState('networkidle');
    const uplot = (await buildConsoleFiles()).find((f) => f.path.endsWith('.js') && f.body.includes('u-over'))!;
    expect(loaded.some((path) => path.endsWith(uplot.path))).toBe(false);
    await page.getByRole('button', { name: '统计' }).click();
    await page.locator('#stats-figures canvas').first().waitFor();
    await expect.poll(() => loaded.some((path) => path.endsWith(uplot.path))).toBe(true);
    expect(chinaDate(new Date())).toBe(await page.locator('#stats-to').inputValue());
  });
});
