/**
 * The staff API at its edges, over a store in memory: the bounded walk for urgent requests after a
 * page, the export's date range and order, the words of a refused change (409), and the counts'
 * routes when the hotline has no counts.
 */
import { describe, expect, it } from 'vitest';
import { CallbackConflictError, type CallbackPage, type CallbackRequest, type CallbackStatus, type ListOptions } from '../lambdas/callbacks/store';
import { createStaffApi, MAX_EXPORT_DAYS, type StaffApiRequest, type StaffApiResponse } from '../lambdas/staff/api';
import { URGENT_AFTER_MAX, type StaffError } from '../lambdas/staff/contract';
import { outcomeLabel } from '../lambdas/staff/labels';
import { toStaffCallback } from '../lambdas/staff/view';
import { storedRequest } from './support/staff-callback';

const NOW = new Date('2026-11-30T04:00:00Z');

/** An open request (the store's shape), `i`-th of the day. */
const request = (i: number, extra: Partial<CallbackRequest> = {}): CallbackRequest =>
  storedRequest(i, { status: 'open', version: 1, outcome: undefined, closedAt: undefined, closedBy: undefined, history: [], ...extra });

/** Pages of `items` by position; `urgentOnly` filters within each page read, as a DynamoDB filter does. */
function memoryStore(items: CallbackRequest[], overrides: Record<string, unknown> = {}) {
  const calls: ListOptions[] = [];
  return {
    calls,
    async listByStatus(status: CallbackStatus, options: ListOptions = {}): Promise<CallbackPage> {
      calls.push(options);
      const all = items.filter((r) => r.status === status);
      const start = Number(options.cursor ?? 0);
      const limit = options.limit ?? 25;
      const read = all.slice(start, start + limit);
      const next = start + limit < all.length ? String(start + limit) : undefined;
      return { items: options.urgentOnly ? read.filter((r) => r.urgent) : read, ...(next ? { cursor: next } : {}) };
    },
    ...overrides,
  };
}

function apiOver(store: object, extra: Record<string, unknown> = {}) {
  const api = createStaffApi({ store: store as never, topicLabel: (id) => id, now: () => NOW, ...extra });
  return (route: StaffApiRequest['route'], query = '', params: Record<string, string> = {}, body = '') => api({ route, staff: 'alice', params, query: new URLSearchParams(query), body });
}

const jsonOf = <T>(answer: StaffApiResponse) => (answer as { json: T }).json;

describe('urgent requests after a page', () => {
  it('lists the urgent ones on the pages after this one, oldest first, at most URGENT_AFTER_MAX', async () => {
    // Three in four urgent: each read of 100 finds 75, so the second read finds more than are listed.
    const items = [request(0), ...Array.from({ length: 400 }, (_, i) => request(i + 1, { urgent: i % 4 !== 0 }))];
    const store = memoryStore(items);
    const page = jsonOf<{ items: { id: string }[]; urgentAfter: { id: string }[] }>(await apiOver(store)('staffList', 'status=open&limit=1&urgentAfter=true'));
    expect(page.items.map((r) => r.id)).toEqual([items[0]!.id]);
    expect(page.urgentAfter.map((r) => r.id)).toEqual(items.filter((r) => r.urgent).slice(0, URGENT_AFTER_MAX).map((r) => r.id));
    // One page read, then the walk: it stops once it has found enough.
    expect(store.calls).toEqual([
      { limit: 1, newestFirst: false },
      { limit: 100, urgentOnly: true, cursor: '1' },
      { limit: 100, urgentOnly: true, cursor: '101' },
    ]);
  });

  it('walks at most five reads of the rest of the queue, and none on the last page or when not asked', async () => {
    const items = [request(0), ...Array.from({ length: 1000 }, (_, i) => request(i + 1)), request(1001, { urgent: true })];
    const store = memoryStore(items);
    const page = jsonOf<{ urgentAfter: unknown[] }>(await apiOver(store)('staffList', 'status=open&limit=1&urgentAfter=true'));
    expect(page.urgentAfter).toEqual([]);
    expect(store.calls).toHaveLength(1 + 5);

    const last = memoryStore([request(0, { urgent: true })]);
    expect(jsonOf<{ urgentAfter: unknown[] }>(await apiOver(last)('staffList', 'status=open&urgentAfter=true')).urgentAfter).toEqual([]);
    expect(last.calls).toHaveLength(1);
    const plain = memoryStore(items);
    expect(jsonOf<object>(await apiOver(plain)('staffList', 'status=open&limit=1'))).not.toHaveProperty('urgentAfter');
    expect(plain.calls).toHaveLength(1);
  });
});

describe('the export range', () => {
  const closed = (i: number, closedAt: string) => request(i, { status: 'done', outcome: 'reached', closedAt, closedBy: 'alice' });

  it('refuses a date that is not real, a reversed range and one over the limit, naming the field', async () => {
    const call = apiOver(memoryStore([]));
    const issuesOf = async (query: string) => jsonOf<StaffError>(await call('staffExport', query)).issues;
    expect(await issuesOf('from=2026-02-30&to=2026-03-01')).toEqual([{ path: 'from', message: expect.any(String) }]);
    expect(await issuesOf('from=2026-03-01&to=2026-02-30')).toEqual([{ path: 'to', message: expect.any(String) }]);
    expect(await issuesOf('from=2026-03-02&to=2026-03-01')).toEqual([{ path: 'to', message: '`to` is before `from`' }]);
    expect(await issuesOf(`from=2025-01-01&to=2026-01-02`)).toEqual([{ path: 'to', message: `at most ${MAX_EXPORT_DAYS} days at a time` }]);
    // 365 days apart is 366 calendar days: the most allowed.
    expect((await call('staffExport', 'from=2025-01-02&to=2026-01-02')).status).toBe(200);
    expect((await call('staffExport', 'from=2026-03-01&to=2026-03-01')).status).toBe(200);
  });

  it('puts rows in the order requests were closed, whatever order the store reads them in', async () => {
    const store = memoryStore([closed(1, '2026-11-29T09:00:00.000Z'), closed(2, '2026-11-29T03:00:00.000Z'), closed(3, '2026-11-29T06:00:00.000Z')]);
    const answer = await apiOver(store)('staffExport', 'from=2026-11-29&to=2026-11-29');
    const rows = (answer as { csv: string }).csv.replace(/^\ufeff/, '').trim().split('\r\n').slice(1);
    expect(rows.map((row) => /req0+(\d)/.exec(row)?.[1])).toEqual(['2', '3', '1']);
  });
});

describe('a refused change (409)', () => {
  const refusing = (reason: CallbackConflictError['reason'], current?: CallbackRequest) =>
    apiOver(
      memoryStore([], {
        async claim() {
          throw new CallbackConflictError('req1', reason, current);
        },
      }),
    )('staffClaim', '', { id: 'req1' }, '{}');

  it('says who holds a claim, how a closed request ended, and what to do for a stale or unclaimed one', async () => {
    const claimed = request(1, { status: 'claimed', claimedBy: 'bob', claimedAt: NOW.toISOString() });
    const byBob = jsonOf<StaffError & { current: { history: unknown[] } }>(await refusing('claimed-by-other', claimed));
    expect(byBob).toMatchObject({ error: 'claimed-by-other', message: '这条回电请求已被 bob 认领，请选择别的请求。' });
    // The current state comes with its history, so the console can show what happened.
    expect(byBob.current.history).toEqual([]);
    expect(jsonOf<StaffError>(await refusing('claimed-by-other')).message).toBe('这条回电请求已被 其他同事 认领，请选择别的请求。');
    const done = request(1, { status: 'done', outcome: 'declined', closedAt: NOW.toISOString() });
    expect(jsonOf<StaffError>(await refusing('closed', done)).message).toBe(`这条回电请求已经结束（${outcomeLabel('declined')}），不能再操作。`);
    expect(jsonOf<StaffError>(await refusing('closed')).message).toBe('这条回电请求已经结束，不能再操作。');
    expect(jsonOf<StaffError>(await refusing('stale')).message).toBe('这条回电请求刚被别人更新过，请刷新后再试。');
    expect(jsonOf<StaffError>(await refusing('not-claimed')).message).toBe('请先认领这条回电请求，再记录结果或放回。');
    expect(jsonOf<object>(await refusing('stale'))).not.toHaveProperty('current');
  });
});

describe('the counts without a counts store', () => {
  it('answers 404 for both routes, as for any route it does not serve', async () => {
    const call = apiOver(memoryStore([]));
    for (const route of ['staffStats', 'staffStatsCsv'] as const) {
      expect(await call(route)).toEqual({ status: 404, json: { error: 'not-found', message: '没有这个接口。' } });
    }
  });

  it('names the CSV after its range', async () => {
    const call = apiOver(memoryStore([]), { stats: { read: async () => [] } });
    const answer = await call('staffStatsCsv', 'from=2026-11-01&to=2026-11-03');
    expect(answer).toMatchObject({ status: 200, filename: 'stats-2026-11-01-2026-11-03.csv' });
    expect(jsonOf<{ days: unknown[] }>(await call('staffStats', 'from=2026-11-01&to=2026-11-03')).days).toHaveLength(3);
  });
});

describe('what staff see of a request', () => {
  const label = (topic: string | null) => (topic ? `《${topic}》` : null);
  const now = new Date('2026-11-29T03:00:00Z');
  const due = { from: '2026-11-29T11:00:00.000Z', until: '2026-11-29T13:00:00.000Z' };

  it('leaves the history out unless asked for it', () => {
    const request = storedRequest(1);
    expect(toStaffCallback(request, 'bob', label, now)).not.toHaveProperty('history');
    expect(toStaffCallback(request, 'bob', label, now, true).history).toEqual(request.history);
  });

  it('says whether the chosen time has come only while the request is not done', () => {
    expect(toStaffCallback(storedRequest(2, { due }), 'bob', label, now).dueState).toBeNull();
    expect(toStaffCallback(storedRequest(3, { due, status: 'open', closedAt: undefined }), 'bob', label, now).dueState).not.toBeNull();
    expect(toStaffCallback(storedRequest(4, { status: 'open', closedAt: undefined }), 'bob', label, now).dueState).toBeNull();
  });
});
