/**
 * The staff API's queue and export over a store in memory, with as many requests as a test needs
 * (what the list leaves out, every page of an export, the export's limits), and the handler around
 * it with a stand-in API: headers, refusals and failures. The API over HTTP is in staff-api.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { gatewayEvent } from '../dev/api-gateway';
import { CallbackStoreError, type CallbackPage, type CallbackRequest, type CallbackStatus, type ListOptions } from '../lambdas/callbacks/store';
import { createStaffApi, MAX_EXPORT_BYTES, MAX_EXPORT_ROWS, type StaffApiRequest, type StaffApiResponse } from '../lambdas/staff/api';
import { createStaffHandler, STAFF_REFUSALS } from '../lambdas/staff/handler';
import { parseClaimBody, parseExportQuery, parseLabelBody, parseListQuery, parseOutcomeBody } from '../lambdas/staff/input';
import { actionLabel, actorLabel, channelLabel, NUMBER_SOURCE_TEXT, OUTCOME_LABELS, outcomeLabel } from '../lambdas/staff/labels';
import { storedRequest } from './support/staff-callback';

const NOW = new Date('2026-11-30T04:00:00Z');

const request = storedRequest;

/** A store that pages `items` 100 at a time (what the export asks for), recording each list call. */
function pagedStore(items: CallbackRequest[]) {
  const calls: [CallbackStatus, ListOptions | undefined][] = [];
  const store = {
    calls,
    async listByStatus(status: CallbackStatus, options?: ListOptions): Promise<CallbackPage> {
      calls.push([status, options]);
      const start = Number(options?.cursor ?? 0);
      const limit = options?.limit ?? 25;
      const page = items.filter((r) => r.status === status).slice(start, start + limit);
      const next = start + limit < items.filter((r) => r.status === status).length ? String(start + limit) : undefined;
      return { items: page, ...(next ? { cursor: next } : {}) };
    },
  };
  return store;
}

function apiOver(items: CallbackRequest[]) {
  const store = pagedStore(items);
  const api = createStaffApi({ store: store as never, topicLabel: (id) => id, now: () => NOW });
  const call = (route: StaffApiRequest['route'], query = '') => api({ route, staff: 'alice', params: {}, query: new URLSearchParams(query), body: '' });
  return { store, call };
}

const rowsOf = (csv: string) => csv.replace(/^\ufeff/, '').trim().split('\r\n').slice(1);

describe('the queue list', () => {
  it('lists requests without their history (the detail has it)', async () => {
    const { call } = apiOver([request(1, { status: 'open', outcome: undefined, closedAt: undefined })]);
    const answer = await call('staffList', 'status=open');
    expect(answer.status).toBe(200);
    const items = (answer as { json: { items: Record<string, unknown>[] } }).json.items;
    expect(items).toHaveLength(1);
    expect(items[0]).not.toHaveProperty('history');
  });
});

describe('the CSV export', () => {
  it('reads every page of closed requests, not only the first hundred', async () => {
    const { store, call } = apiOver(Array.from({ length: 250 }, (_, i) => request(i)));
    const answer = await call('staffExport', 'from=2026-11-29&to=2026-11-29');
    expect(answer.status).toBe(200);
    expect(rowsOf((answer as { csv: string }).csv)).toHaveLength(250);
    expect(store.calls.map(([, options]) => options)).toEqual([{ limit: 100 }, { limit: 100, cursor: '100' }, { limit: 100, cursor: '200' }]);
  });

  it(`refuses more than ${MAX_EXPORT_ROWS} rows rather than cutting them`, async () => {
    const { call } = apiOver(Array.from({ length: MAX_EXPORT_ROWS + 1 }, (_, i) => request(i)));
    const answer = await call('staffExport', 'from=2026-11-29&to=2026-11-29');
    expect(answer).toMatchObject({ status: 400, json: { error: 'bad-request', issues: [{ path: 'to', message: `range too large: more than ${MAX_EXPORT_ROWS} rows` }] } });
    const { call: justEnough } = apiOver(Array.from({ length: MAX_EXPORT_ROWS }, (_, i) => request(i)));
    expect((await justEnough('staffExport', 'from=2026-11-29&to=2026-11-29')).status).toBe(200);
  });

  it(`refuses an export over ${MAX_EXPORT_BYTES / 1_000_000} MB rather than cutting it`, async () => {
    const note = '回'.repeat(1000);
    const { call } = apiOver(Array.from({ length: 2000 }, (_, i) => request(i, { note })));
    const answer = await call('staffExport', 'from=2026-11-29&to=2026-11-29');
    expect(answer).toMatchObject({ status: 400, json: { issues: [{ path: 'to', message: 'range too large: more than 5 MB' }] } });
  });
});

describe('the words staff read', () => {
  it('names every outcome, action, channel, actor and number source, and passes anything unknown through', () => {
    expect(['reached', 'no-answer', 'wrong-number', 'declined', 'lost'].map(outcomeLabel)).toEqual(['已接通', '无人接听', '号码错误', '拒绝回电', 'lost']);
    expect(Object.values(OUTCOME_LABELS).map((o) => o.hint)).toEqual([
      '通话完成，请求结束',
      '放回待回电队列，稍后再打（未接通次数加 1；连续几次没打通会移到“未接通”）',
      '打不通这个号码或不是本人，请求结束',
      '对方不需要回电，请求结束',
    ]);
    expect(['requested', 'window', 'reopened', 'claimed', 'released', 'outcome', 'x'].map(actionLabel)).toEqual(['请求回电', '定下时间', '再次请求，回到队列', '认领', '放回队列', '记录结果', 'x']);
    expect(['voice', 'sms', 'fax'].map(channelLabel)).toEqual(['电话', '短信', 'fax']);
    expect(['caller', 'sms', 'alice'].map(actorLabel)).toEqual(['来电者（电话）', '来电者（短信）', 'alice']);
    expect(NUMBER_SOURCE_TEXT).toEqual({ 'caller-id': '来电显示', 'sms-sender': '短信号码', 'keyed-in': '来电者按键输入（可能不是本人号码）' });
  });
});

describe('what the staff API reads', () => {
  it('takes an empty body as {}, and refuses one that is not a JSON object, saying why', () => {
    expect(parseClaimBody('  ')).toEqual({ ok: true, value: {} });
    for (const body of ['[]', 'null', '3', '"x"']) expect(parseClaimBody(body), body).toEqual({ ok: false, issues: [{ path: '(body)', message: 'expected a JSON object' }] });
    expect(parseOutcomeBody('{oops')).toEqual({ ok: false, issues: [{ path: '(body)', message: 'not valid JSON' }] });
    expect(parseLabelBody('[1]')).toEqual({ ok: false, issues: [{ path: '(body)', message: 'expected a JSON object' }] });
  });

  it('says what a query value should have been', () => {
    expect(parseListQuery(new URLSearchParams('status=lost'))).toMatchObject({ ok: false, issues: [{ path: 'status', message: 'expected one of: open, claimed, unreached, done' }] });
    expect(parseListQuery(new URLSearchParams('urgentAfter=yes'))).toMatchObject({ ok: false, issues: [{ path: 'urgentAfter', message: 'expected true or false' }] });
    expect(parseListQuery(new URLSearchParams(''))).toMatchObject({ ok: true, value: { status: 'open', urgentAfter: false } });
    for (const query of ['from=2026-1-01', 'to=x2026-01-01', 'to=2026-01-01x']) expect(parseExportQuery(new URLSearchParams(query)), query).toMatchObject({ ok: false, issues: [{ message: 'expected YYYY-MM-DD' }] });
    expect(parseLabelBody('{"topic":"nope"}')).toMatchObject({ ok: false, issues: [{ path: 'topic', message: expect.stringMatching(/^expected a topic id \(.*negotiate.*\) or null$/) }] });
    expect(parseLabelBody('{"topic":null}')).toEqual({ ok: true, value: { topic: null } });
  });
});

describe('the staff handler', () => {
  const event = (path: string, method = 'GET', authorization = 'Bearer ok') => gatewayEvent({ method, path, headers: { authorization } });
  function handlerWith(api: (req: StaffApiRequest) => Promise<StaffApiResponse>, authenticate: (header: string | undefined) => Promise<string | undefined> = async (h) => (h === 'Bearer ok' ? 'alice' : undefined)) {
    const logs: unknown[][] = [];
    const failures: string[] = [];
    const at = (level: string) => (...args: unknown[]) => void logs.push([level, ...args]);
    const handler = createStaffHandler({ api, authenticate, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, countFailure: (name) => void failures.push(name) });
    return { handler, logs, failures };
  }
  const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

  it('answers JSON and CSV never cached, never sniffed, and logs who asked for what', async () => {
    const { handler, logs } = handlerWith(async (req) => (req.route === 'staffExport' ? { status: 200, csv: 'a,b', filename: 'x.csv' } : { status: 200, json: { staff: req.staff } }));
    expect(await handler(event('/staff/me'))).toEqual({ statusCode: 200, headers: JSON_HEADERS, body: '{"staff":"alice"}' });
    expect(await handler(event('/staff/callbacks/export.csv'))).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="x.csv"', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      body: 'a,b',
    });
    expect(logs).toContainEqual(['info', 'staff request', { route: 'staffMe', staff: 'alice', status: 200, id: undefined }]);
  });

  it('answers 401 without a staff member, and 503 to retry when the token cannot be checked', async () => {
    const { handler, logs } = handlerWith(async () => ({ status: 200, json: {} }));
    expect(await handler(event('/staff/me', 'GET', 'Bearer nope'))).toEqual({
      statusCode: 401,
      headers: { ...JSON_HEADERS, 'www-authenticate': 'Bearer' },
      body: JSON.stringify({ error: 'unauthorized', message: '请先登录（登录已失效或令牌不对）。' }),
    });
    expect(logs).toContainEqual(['warn', 'staff request without a valid token', { route: 'staffMe', hasToken: true }]);
    const down = handlerWith(async () => ({ status: 200, json: {} }), () => Promise.reject(new Error('keys unreachable')));
    expect(await down.handler(event('/staff/me'))).toEqual({
      statusCode: 503,
      headers: { ...JSON_HEADERS, 'retry-after': '5' },
      body: JSON.stringify({ error: 'unavailable', message: '暂时无法验证登录，请稍后再试（不用重新登录）。' }),
    });
    expect(down.failures).toEqual(['StaffApiFailure']);
    expect(down.logs).toEqual([['error', 'staff token check unavailable', { route: 'staffMe', error: 'keys unreachable' }]]);
  });

  it('answers 503 to retry when the database fails, and 500 to a bug, counting each', async () => {
    const store = handlerWith(() => Promise.reject(new CallbackStoreError('throttled')));
    expect(await store.handler(event('/staff/me'))).toEqual({ statusCode: 503, headers: { ...JSON_HEADERS, 'retry-after': '5' }, body: JSON.stringify({ error: 'unavailable', message: '数据库暂时不可用，请稍后再试。' }) });
    expect(store.failures).toEqual(['StoreFailure']);
    expect(store.logs).toContainEqual(['error', 'staff request failed', { route: 'staffMe', staff: 'alice', error: { name: 'CallbackStoreError', message: 'throttled' } }]);
    const sdk = handlerWith(() => Promise.reject(Object.assign(new Error('timeout'), { $metadata: {} })));
    expect((await sdk.handler(event('/staff/me'))).statusCode).toBe(503);
    const bug = handlerWith(() => Promise.reject(new TypeError('oops')));
    expect(await bug.handler(event('/staff/me'))).toEqual({ statusCode: 500, headers: JSON_HEADERS, body: JSON.stringify({ error: 'internal', message: '系统出错了，已记录，请稍后再试。' }) });
    expect(bug.failures).toEqual(['StaffApiFailure']);
    const thrown = handlerWith(() => Promise.reject('text'));
    expect((await thrown.handler(event('/staff/me'))).statusCode).toBe(500);
    expect(thrown.logs).toContainEqual(['error', 'staff request failed', { route: 'staffMe', staff: 'alice', error: 'text' }]);
  });

  it('refuses in the contract\'s JSON before its own work', () => {
    expect(STAFF_REFUSALS.badRequest()).toEqual({ statusCode: 400, headers: JSON_HEADERS, body: JSON.stringify({ error: 'bad-request', message: '请求无法解析。' }) });
    expect(STAFF_REFUSALS.notFound()).toEqual({ statusCode: 404, headers: JSON_HEADERS, body: JSON.stringify({ error: 'not-found', message: '没有这个接口。' }) });
    expect(STAFF_REFUSALS.tooLarge()).toEqual({ statusCode: 413, headers: JSON_HEADERS, body: JSON.stringify({ error: 'payload-too-large', message: '请求内容太大。' }) });
  });
});
