/**
 * The console's decisions, without a browser: what the queue shows, which action a request
 * offers, which answer may replace the detail, the texts staff read, the export form's checks,
 * the notice and refresh timers (on a fake clock), and the page's thin API layer. The page itself
 * is tested in Chromium by console.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { csvDownload, createConsoleClient, QUEUE_PAGES, readQueue } from '../console/src/api';
import { createState, forgetSession, type Clock, type ConsoleContext, type ConsoleElements } from '../console/src/context';
import { ACTION_DONE, actionBlockFor, actionsKey, earlierLines, nextDetail } from '../console/src/detail-logic';
import { defaultExportRange, EXPORT_MAX_DAYS, exportRangeProblem } from '../console/src/export-logic';
import { createNotices } from '../console/src/notices';
import { queueView, selectValues, tabItems, topicChoices, type QueueFilters, type QueueList } from '../console/src/queue-logic';
import { createRefresh } from '../console/src/refresh';
import { errorText, fadesAfter, REFRESH_MS, shouldAutoRefresh, signInView, tokenProblem, worthTelling } from '../console/src/session-logic';
import { MAX_EXPORT_DAYS } from '../lambdas/staff/api';
import { createStaffClient, fallbackMessage, StaffApiError, type FetchLike } from '../lambdas/staff/client';
import { statsClient } from '../lambdas/staff/stats-client';
import type { StaffCallback } from '../lambdas/staff/contract';
import { sampleCallback } from './support/staff-callback';

const NOW = new Date('2026-11-28T06:30:00Z'); // 14:30 in Beijing
const LAPSED_AT = '2026-11-28T04:00:00Z'; // claimed 2.5 hours before NOW: past the 2-hour lease
const FRESH_AT = '2026-11-28T06:00:00Z';

/** A request with no topic, made at 09:00 Beijing time; `code` is the id in capitals. */
function request(id: string, extra: Partial<StaffCallback> = {}): StaffCallback {
  const createdAt = '2026-11-28T01:00:00Z';
  return sampleCallback({ id, code: id.toUpperCase(), topic: null, topicLabel: null, topics: [], topicLabels: [], channel: 'voice', createdAt, updatedAt: createdAt, ...extra });
}

const claimedBy = (id: string, holder: string, at: string, extra: Partial<StaffCallback> = {}) => request(id, { status: 'claimed', claimedBy: holder, claimedAt: at, ...extra });
const NO_FILTERS: QueueFilters = { due: '', topic: '' };
const list = (extra: Partial<QueueList> = {}): QueueList => ({ tab: 'open', items: [], more: false, loaded: true, ...extra });

describe('queue', () => {
  it('lists the lapsed claims of others in 待回电 only, first after urgent ones', () => {
    const open = [request('plain', { createdAt: '2026-11-28T00:00:00Z' }), request('urgent', { urgent: true, createdAt: '2026-11-28T03:00:00Z' })];
    const claimed = [claimedBy('bobs-lapsed', 'bob', LAPSED_AT), claimedBy('bobs-fresh', 'bob', FRESH_AT), claimedBy('my-lapsed', 'alice', LAPSED_AT)];
    expect(tabItems('open', open, claimed, 'alice', NOW).map((i) => i.id)).toEqual(['urgent', 'bobs-lapsed', 'plain']);
    // 处理中 lists every claim as read, by the time promised (here: the longest waiting first).
    const waiting = (item: StaffCallback, createdAt: string) => ({ ...item, createdAt });
    const [bobsLapsed, bobsFresh, myLapsed] = claimed as [StaffCallback, StaffCallback, StaffCallback];
    const inClaimed = tabItems('claimed', [waiting(bobsLapsed, '2026-11-28T02:00:00Z'), waiting(bobsFresh, '2026-11-28T03:00:00Z'), waiting(myLapsed, '2026-11-28T00:30:00Z')], claimed, 'alice', NOW);
    expect(inClaimed.map((i) => i.id)).toEqual(['my-lapsed', 'bobs-lapsed', 'bobs-fresh']);
    expect(tabItems('claimed', [], claimed, 'alice', NOW)).toEqual([]);
  });

  it('filters by where the promised time stands and by topic', () => {
    const slot = (fromMin: number, untilMin: number) => ({ from: new Date(NOW.getTime() + fromMin * 60_000).toISOString(), until: new Date(NOW.getTime() + untilMin * 60_000).toISOString() });
    const items = [
      request('overdue', { due: slot(-240, -120), topicLabel: '报警求助' }),
      request('due', { due: slot(-10, 50), topicLabel: '跟平台协商还款' }),
      request('asked', { topicLabels: ['报警求助'] }),
    ];
    const shown = (filters: QueueFilters) => queueView(list({ items }), filters, NOW).shown.map((i) => i.id);
    expect(shown(NO_FILTERS)).toEqual(['overdue', 'due', 'asked']);
    expect(shown({ due: 'due', topic: '' })).toEqual(['due']);
    expect(shown({ due: '', topic: '报警求助' })).toEqual(['overdue', 'asked']);
    expect(shown({ due: 'overdue', topic: '跟平台协商还款' })).toEqual([]);
  });

  it('offers each topic once, in Chinese order, and keeps a choice the list no longer has', () => {
    const items = [request('d'), request('b', { topicLabel: '跟平台协商还款' }), request('a', { topicLabel: '报警求助' }), request('c', { topicLabel: '报警求助' })];
    expect(topicChoices(items)).toEqual(['报警求助', '跟平台协商还款', '未选']);
    expect(selectValues(['报警求助'], '跟平台协商还款')).toEqual(['报警求助', '跟平台协商还款']);
    expect(selectValues(['报警求助'], '报警求助')).toEqual(['报警求助']);
    expect(selectValues(['报警求助'], '')).toEqual(['报警求助']);
  });

  it('counts what is shown in the heading, out of how many when filtered', () => {
    const items = [request('a', { topicLabel: '报警求助' }), request('b'), request('c')];
    expect(queueView(list({ items }), NO_FILTERS, NOW).title).toBe('待回电（3）');
    expect(queueView(list({ tab: 'claimed', items }), { due: '', topic: '报警求助' }, NOW).title).toBe('处理中（1 / 3）');
  });

  it('says why the list is empty, and nothing before the first answer', () => {
    expect(queueView(list({ loaded: false }), NO_FILTERS, NOW).empty).toBeUndefined();
    expect(queueView(list(), NO_FILTERS, NOW).empty).toBe('现在没有待回电的请求。');
    expect(queueView(list({ tab: 'unreached' }), NO_FILTERS, NOW).empty).toBe('没有未接通的请求。');
    expect(queueView(list({ items: [request('a')] }), { due: 'due', topic: '' }, NOW).empty).toBe('没有符合筛选条件的请求。');
    expect(queueView(list({ items: [request('a')] }), NO_FILTERS, NOW).empty).toBeUndefined();
  });

  it('says what comes first: urgent requests, then lapsed claims in 待回电', () => {
    const order = (extra: Partial<QueueList>) => queueView(list(extra), NO_FILTERS, NOW).order;
    expect(order({ items: [request('a')] })).toMatch(/^按约定时间排列：已过约定时间的在最前，其次是现在该打的，再是还没到时间的。/);
    expect(order({ items: [request('u', { urgent: true })] })).toMatch(/^标有“紧急”的请求排在最前。按约定时间/);
    expect(order({ items: [claimedBy('l', 'bob', LAPSED_AT)] })).toMatch(/^认领已超过 2 小时、可以接手的请求排在最前。/);
    expect(order({ items: [request('u', { urgent: true }), claimedBy('l', 'bob', LAPSED_AT)] })).toMatch(/^标有“紧急”的请求排在最前，其次是认领已超过 2 小时、可以接手的请求。/);
    // 处理中 lists claims by definition, and done requests are no longer worked: no such notes there.
    expect(order({ tab: 'claimed', items: [claimedBy('l', 'bob', LAPSED_AT)] })).toMatch(/^按约定时间排列：已过约定时间的在最前。/);
    expect(order({ tab: 'done', items: [request('u', { urgent: true, status: 'done' })] })).toBe('最近结束的在最前。时间均为北京时间。');
  });

  it('says what a cut list leaves out, only when it was cut', () => {
    expect(queueView(list({ more: false }), NO_FILTERS, NOW).more).toBeUndefined();
    expect(queueView(list({ more: true }), NO_FILTERS, NOW).more).toBe('只显示等得最久的 500 条，以及其余所有紧急的请求。');
    expect(queueView(list({ tab: 'done', more: true }), NO_FILTERS, NOW).more).toBe('只显示最近的 500 条。');
  });
});

describe('detail', () => {
  it('offers the action the viewer may take', () => {
    expect(actionBlockFor(request('a'), 'alice', NOW)).toBe('claim');
    expect(actionBlockFor(request('a', { status: 'done' }), 'alice', NOW)).toBe('done');
    // 未接通: back in the queue, claimable by anyone (the server allows it), whoever tried last.
    expect(actionBlockFor(request('a', { status: 'unreached', claimedBy: 'bob' } as never), 'alice', NOW)).toBe('claim');
    expect(actionBlockFor(claimedBy('a', 'bob', LAPSED_AT), 'alice', NOW)).toBe('take-over');
    expect(actionBlockFor(claimedBy('a', 'bob', FRESH_AT), 'alice', NOW)).toBe('held');
    expect(actionBlockFor(claimedBy('a', 'alice', FRESH_AT, { phoneVisible: true }), 'alice', NOW)).toBe('call');
    // The holder's own lapsed claim is still theirs to call.
    expect(actionBlockFor(claimedBy('a', 'alice', LAPSED_AT, { phoneVisible: true }), 'alice', NOW)).toBe('call');
    // Held by the viewer but the answer masked the number (an older answer): nothing to dial yet.
    expect(actionBlockFor(claimedBy('a', 'alice', FRESH_AT), 'alice', NOW)).toBe('held');
  });

  it('rebuilds the action block only when what it shows changes', () => {
    const mine = claimedBy('a', 'alice', FRESH_AT, { phoneVisible: true, phone: '+8613812345678' });
    const key = actionsKey(mine, 'alice', NOW);
    const savedAgain: StaffCallback = { ...mine, version: 9, attempts: 2, note: '关机' };
    expect(actionsKey(savedAgain, 'alice', NOW)).toBe(key);
    expect(actionsKey({ ...mine, claimedBy: 'bob' }, 'alice', NOW)).not.toBe(key);
    expect(actionsKey({ ...mine, phoneVisible: false, phone: '+86 138****5678' }, 'alice', NOW)).not.toBe(key);
    expect(actionsKey({ ...mine, status: 'open' }, 'alice', NOW)).not.toBe(key);
    const bobs = claimedBy('a', 'bob', FRESH_AT);
    expect(actionsKey(bobs, 'alice', new Date('2026-11-28T08:30:01Z'))).not.toBe(actionsKey(bobs, 'alice', NOW));
  });

  it('keeps the shown request against a late, older read, but not against an action', () => {
    const history = [{ at: '2026-11-28T01:00:00Z', by: 'caller', action: 'requested' as const }];
    const shown = request('a', { version: 3, history });
    expect(nextDetail(shown, request('a', { version: 2 }), false)).toBeUndefined();
    expect(nextDetail(shown, request('a', { version: 2 }), true)).toMatchObject({ version: 2, history });
    expect(nextDetail(shown, request('a', { version: 3 }), false)).toMatchObject({ version: 3, history });
    expect(nextDetail(shown, request('a', { version: 4, history: [] }), false)?.history).toEqual([]);
    const other = nextDetail(shown, request('b', { version: 1 }), false);
    expect(other?.id).toBe('b');
    expect(other?.history).toBeUndefined();
    expect(nextDetail(null, request('a', { version: 1 }), false)).toMatchObject({ id: 'a' });
  });

  it('says what each action did', () => {
    const item = request('x', { code: '4821', attempts: 2 });
    expect(ACTION_DONE.claimed(item)).toBe('已认领编号 4821，请拨打下面的号码。');
    expect(ACTION_DONE.tookOver(item, 'bob')).toBe('已接手编号 4821（原由 bob 认领），请拨打下面的号码。');
    expect(ACTION_DONE.released(item)).toBe('已把编号 4821 放回待回电队列。');
    expect(ACTION_DONE.outcome('no-answer', item)).toBe('已记录：无人接听（第 2 次），编号 4821 已放回待回电队列。');
    expect(ACTION_DONE.outcome('declined', item)).toBe('已记录：拒绝回电，编号 4821 的请求已结束。');
  });
});

describe("the caller's earlier requests", () => {
  it('reads each as when, how and its code, with how it ended and its note', () => {
    const lines = earlierLines([
      { id: 'b', status: 'unreached', channel: 'voice', code: 'K7Q2', createdAt: '2026-11-27T12:00:00Z', closedAt: null, outcome: 'no-answer', note: null },
      { id: 'a', status: 'done', channel: 'sms', code: 'M9P4', createdAt: '2026-11-20T01:05:00Z', closedAt: '2026-11-20T03:00:00Z', outcome: 'wrong-number', note: '不认识' },
      { id: 'c', status: 'open', channel: 'sms', code: 'Z1Z1', createdAt: '2026-11-19T01:05:00Z', closedAt: null, outcome: null, note: null },
    ]);
    expect(lines).toEqual([
      { time: '11月27日 20:00', what: '电话 · 编号 K7Q2', state: '未接通：无人接听', note: undefined },
      { time: '11月20日 09:05', what: '短信 · 编号 M9P4', state: '已结束：号码错误', note: '不认识' },
      { time: '11月19日 09:05', what: '短信 · 编号 Z1Z1', state: '待回电', note: undefined },
    ]);
    expect(earlierLines([])).toEqual([]);
  });
});

describe('sign-in, errors and refresh rules', () => {
  const refused = (status: number, message: string) => new StaffApiError({ status, message });

  it("shows the client's message for API errors and says what went wrong otherwise", () => {
    expect(errorText(refused(409, '这条回电请求已被 bob 认领，请选择别的请求。'))).toBe('这条回电请求已被 bob 认领，请选择别的请求。');
    expect(errorText(new Error('boom'))).toBe('出错了：boom');
    expect(errorText('odd')).toBe('出错了：odd');
  });

  it('leaves a 401 to sign-in and tells the rest where it happened', () => {
    expect(worthTelling(refused(401, fallbackMessage(401)))).toBe(false);
    expect(worthTelling(refused(403, fallbackMessage(403)))).toBe(true);
    expect(worthTelling(new StaffApiError({ status: 0, message: 'x' }))).toBe(true);
    expect(tokenProblem(refused(401, '请先登录（登录已失效或令牌不对）。'))).toBe('令牌不对或已失效，请检查后重新粘贴。');
    expect(tokenProblem(new StaffApiError({ status: 0, message: '连不上服务器，请检查网络后再试。' }))).toBe('连不上服务器，请检查网络后再试。');
  });

  it('marks the token field invalid and described by the message only when there is one', () => {
    expect(signInView('token', '令牌不对')).toEqual({ form: 'token', error: '令牌不对', tokenDescribedBy: 'sign-in-error token-hint' });
    expect(signInView('oidc', undefined)).toEqual({ form: 'oidc', error: undefined, tokenDescribedBy: 'token-hint' });
    expect(signInView('token', '')).toMatchObject({ error: undefined, tokenDescribedBy: 'token-hint' });
  });

  it('lets success notices fade and keeps errors', () => {
    expect(fadesAfter('info')).toBe(8_000);
    expect(fadesAfter('error')).toBeUndefined();
  });

  it('refreshes automatically only in view, signed in, with no action under way', () => {
    const idle = { pageHidden: false, actionsInFlight: 0, working: true };
    expect(shouldAutoRefresh(idle)).toBe(true);
    expect(shouldAutoRefresh({ ...idle, pageHidden: true })).toBe(false);
    expect(shouldAutoRefresh({ ...idle, actionsInFlight: 1 })).toBe(false);
    expect(shouldAutoRefresh({ ...idle, working: false })).toBe(false);
  });

  it('forgets everything of the last person and makes answers on their way too late', () => {
    const state = createState();
    Object.assign(state, { me: 'alice', tab: 'done', items: [request('a')], more: true, loaded: true, detail: request('a'), actionsKey: 'k', session: 4, listSeq: 7, detailSeq: 9 });
    state.drafts.set('a', { note: '明晚再打' });
    forgetSession(state);
    expect(state).toEqual({ ...createState(), session: 5, listSeq: 8, detailSeq: 10 });
  });
});

describe('export form', () => {
  it('starts from 30 days before today to today, China days', () => {
    // 16:30 UTC is already the next day in Beijing.
    expect(defaultExportRange(new Date('2026-11-28T16:30:00Z'))).toEqual({ from: '2026-10-30', to: '2026-11-29' });
  });

  it('refuses missing dates, a reversed range and more than the server allows', () => {
    expect(exportRangeProblem('', '2026-11-30')).toBe('请选择开始和结束日期。');
    expect(exportRangeProblem('2026-11-30', '2026-11-01')).toBe('结束日期不能早于开始日期。');
    expect(exportRangeProblem('2025-11-29', '2026-11-30')).toBe('一次最多导出 366 天，请缩短日期范围。');
    // 366 days counting both ends.
    expect(exportRangeProblem('2025-11-30', '2026-11-30')).toBeUndefined();
    expect(exportRangeProblem('2026-11-30', '2026-11-30')).toBeUndefined();
    expect(EXPORT_MAX_DAYS).toBe(MAX_EXPORT_DAYS);
  });
});

/** Timers that run only when the test moves time on. */
function fakeClock(): Clock & { advance(ms: number): void; pending(): number } {
  let now = NOW.getTime();
  let nextId = 1;
  const timers = new Map<number, { at: number; run: () => void; every?: number }>();
  return {
    now: () => new Date(now),
    setTimeout: (run, ms) => (timers.set(nextId, { at: now + ms, run }), nextId++),
    setInterval: (run, ms) => (timers.set(nextId, { at: now + ms, run, every: ms }), nextId++),
    clearTimeout: (id) => void (id !== undefined && timers.delete(id)),
    clearInterval: (id) => void (id !== undefined && timers.delete(id)),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, timer] = due;
        now = timer.at;
        if (timer.every) timer.at += timer.every;
        else timers.delete(id);
        timer.run();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}

describe('timers on an explicit clock', () => {
  it('announces a notice after a moment, fades a success after 8 s and keeps an error', () => {
    const clock = fakeClock();
    const notice = { textContent: '', className: '' };
    const notices = createNotices({ clock, el: { notice } as unknown as ConsoleElements });
    notices.notify('已下载 a.csv。');
    expect(notice).toEqual({ textContent: '', className: 'notice info' });
    clock.advance(29);
    expect(notice.textContent).toBe('');
    clock.advance(1);
    expect(notice.textContent).toBe('已下载 a.csv。');
    clock.advance(8_000);
    expect(notice.textContent).toBe('');
    // An error right after a success: the success's fade must not take the error away.
    notices.notify('已认领编号 4821。');
    clock.advance(1_000);
    notices.notify('导出没有完成', 'error');
    clock.advance(60_000);
    expect(notice).toEqual({ textContent: '导出没有完成', className: 'notice error' });
    notices.clear();
    expect(notice.textContent).toBe('');
    expect(clock.pending()).toBe(0);
  });

  it('refreshes the queue (and the open detail) every 15 s while allowed, and stops', async () => {
    const clock = fakeClock();
    const state = createState();
    const work = { hidden: false };
    const queuePage = { hidden: false };
    const doc = { hidden: false, addEventListener: () => undefined } as unknown as Document;
    const el = { work, queuePage, refresh: { addEventListener: () => undefined } } as unknown as ConsoleElements;
    const reads: string[] = [];
    const refresh = createRefresh({ clock, doc, el, state } as unknown as ConsoleContext, {
      loadQueue: async () => void reads.push('queue'),
      reloadDetail: async () => void reads.push('detail'),
    });
    refresh.start();
    refresh.start(); // a second sign-in must not leave two timers
    expect(clock.pending()).toBe(1);
    clock.advance(REFRESH_MS - 1);
    expect(reads).toEqual([]);
    clock.advance(1);
    expect(reads).toEqual(['queue']);
    state.detail = request('a');
    clock.advance(REFRESH_MS);
    expect(reads).toEqual(['queue', 'queue', 'detail']);
    state.busy = 1;
    clock.advance(REFRESH_MS);
    expect(reads).toHaveLength(3);
    state.busy = 0;
    // 统计 or the inbox on screen: the queue is not read behind them.
    queuePage.hidden = true;
    clock.advance(REFRESH_MS);
    expect(reads).toHaveLength(3);
    queuePage.hidden = false;
    refresh.stop();
    clock.advance(REFRESH_MS * 3);
    expect(reads).toHaveLength(3);
    expect(clock.pending()).toBe(0);
    await Promise.resolve();
  });
});

describe("the page's API layer", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function pagedFetch(pages: number): FetchLike & { urls: URL[] } {
    const urls: URL[] = [];
    const fn: FetchLike = (url) => {
      const parsed = new URL(url, 'https://console.example.test/');
      urls.push(parsed);
      const page = urls.length;
      const urgentAfter = parsed.searchParams.get('urgentAfter') === 'true' ? { urgentAfter: [request('late-urgent', { urgent: true })] } : {};
      return Promise.resolve(Response.json({ items: [request(`p${page}`)], cursor: page < pages ? `c${page}` : null, ...urgentAfter }));
    };
    return Object.assign(fn, { urls });
  }

  it('reads a tab in up to five pages of 100, with the urgent requests beyond the last one', async () => {
    const fetch = pagedFetch(9);
    const { items, more } = await readQueue(createStaffClient({ baseUrl: 'https://api.example.test', token: () => 't', fetch }), 'open');
    expect(QUEUE_PAGES).toBe(5);
    expect(fetch.urls.map((u) => u.searchParams.get('limit'))).toEqual(['100', '100', '100', '100', '100']);
    expect(fetch.urls.map((u) => u.searchParams.get('urgentAfter'))).toEqual([null, null, null, null, 'true']);
    expect(items.map((i) => i.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'late-urgent']);
    expect(more).toBe(true);
    const short = await readQueue(createStaffClient({ baseUrl: '', token: () => 't', fetch: pagedFetch(2) }), 'claimed');
    expect(short.more).toBe(false);
  });

  it('hands the CSV to the browser as a UTF-8 Blob that keeps the byte-order mark', async () => {
    const csv = '\ufeffid,备注\r\n1,关机\r\n';
    const fetch: FetchLike = () => Promise.resolve(new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } }));
    const { blob, filename } = await csvDownload(createStaffClient({ baseUrl: '', token: () => 't', fetch }), '2026-11-01', '2026-11-02');
    expect(filename).toBe('callbacks-2026-11-01-2026-11-02.csv');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect([...new Uint8Array(await blob.arrayBuffer())].slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await blob.arrayBuffer())).toBe(csv);
  });

  it("reads the 统计 CSV of a range with the server's file name, or one of its own, and refuses what is not CSV", async () => {
    const csv = '\ufeffday,contacts.voice\r\ntotal,3\r\n';
    const urls: URL[] = [];
    const answers = [
      new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="stats-2026-11-01-2026-11-30.csv"' } }),
      new Response(csv, { headers: { 'content-type': 'text/csv' } }),
      new Response(csv, { headers: { 'content-type': 'text/csv' } }),
      Response.json({ from: '2026-11-01' }),
    ];
    const fetch: FetchLike = (url) => {
      urls.push(new URL(url));
      return Promise.resolve(answers.shift()!);
    };
    const stats = statsClient(createStaffClient({ baseUrl: 'https://api.example.test/prod', token: () => 't', fetch }));
    expect(await stats.csv({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ csv, filename: 'stats-2026-11-01-2026-11-30.csv' });
    expect(`${urls[0]!.pathname}${urls[0]!.search}`).toBe('/prod/staff/stats.csv?from=2026-11-01&to=2026-11-30');
    expect((await stats.csv({ from: '2026-11-01', to: '2026-11-02' })).filename).toBe('stats-2026-11-01-2026-11-02.csv');
    expect((await stats.csv()).filename).toBe('stats.csv');
    expect(urls[2]!.search).toBe('');
    await expect(stats.csv()).rejects.toThrow('不是员工接口的回答');
  });

  it("uses the page's fetch as it is when each request goes out, with the token of that moment", async () => {
    const heard: StaffApiError[] = [];
    let token = 'first-token-000000';
    // Made before the page's fetch is replaced: the client must not keep the one it saw then.
    const api = createConsoleClient('', () => token, (error) => heard.push(error));
    const seen: string[] = [];
    vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
      seen.push((init.headers as Record<string, string>).authorization!);
      return Promise.resolve(Response.json({ error: 'unauthorized', message: '请先登录（登录已失效或令牌不对）。' }, { status: 401 }));
    });
    await expect(api.me()).rejects.toBeInstanceOf(StaffApiError);
    token = 'second-token-00000';
    await expect(api.me()).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(['Bearer first-token-000000', 'Bearer second-token-00000']);
    expect(heard).toHaveLength(2);
  });
});
