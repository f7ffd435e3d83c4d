/**
 * The question inbox's and the counts' calls on the one staff client (`inbox-client.ts`,
 * `stats-client.ts`) against a fake `fetch`: paths and query strings, bodies, paging that stops, and
 * answers of the wrong shape refused rather than shown.
 */
import { describe, expect, it } from 'vitest';
import { createStaffClient, type FetchLike } from '../lambdas/staff/client';
import { inboxClient } from '../lambdas/staff/inbox-client';
import { statsClient } from '../lambdas/staff/stats-client';
import { staffFailure } from './support/staff-callback';

interface Sent {
  path: string;
  method: string;
  body: unknown;
}

const BASE = 'https://api.example.test/prod';

/** A fake server answering each request from `reply`, recording path (with query), method and body. */
function fakeFetch(reply: (sent: Sent) => Response): FetchLike & { sent: Sent[] } {
  const sent: Sent[] = [];
  const fn: FetchLike = async (url, init) => {
    const request = { path: url.slice(BASE.length), method: init.method ?? 'GET', body: init.body === undefined ? undefined : (JSON.parse(String(init.body)) as unknown) };
    sent.push(request);
    return reply(request);
  };
  return Object.assign(fn, { sent });
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

const staff = (fetch: FetchLike) => createStaffClient({ baseUrl: `${BASE}/`, token: () => 'token-1234567890abcdef', fetch });

const question = (id: string, extra: Record<string, unknown> = {}) => ({ id, text: '那个**怎么办', channel: 'sms', guess: { kind: 'none', topics: [] }, labelled: false, label: null, ...extra });

const failure = staffFailure;

describe('inbox client', () => {
  it('lists with only the filters given, and reads a page', async () => {
    const fetch = fakeFetch(() => json({ items: [question('q1')], cursor: 'c2' }));
    const inbox = inboxClient(staff(fetch));
    expect(await inbox.list()).toEqual({ items: [question('q1')], cursor: 'c2' });
    await inbox.list({ labelled: false, limit: 20, cursor: 'c2' });
    await inbox.list({ labelled: true, cursor: '' });
    expect(fetch.sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /staff/inbox',
      'GET /staff/inbox?labelled=false&limit=20&cursor=c2',
      'GET /staff/inbox?labelled=true',
    ]);
  });

  it('follows the cursor page by page, up to the pages asked for, and says when more remain', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [question('q1')], cursor: 'c2' },
      c2: { items: [question('q2')], cursor: 'c3' },
      c3: { items: [question('q3')], cursor: null },
    };
    const fetch = fakeFetch((sent) => json(pages[new URL(sent.path, BASE).searchParams.get('cursor') ?? '']));
    const inbox = inboxClient(staff(fetch));
    const all = await inbox.listPages({ labelled: true }, 5);
    expect(all).toEqual({ items: [question('q1'), question('q2'), question('q3')], cursor: null });
    expect(fetch.sent.map((s) => s.path)).toEqual(['/staff/inbox?labelled=true', '/staff/inbox?labelled=true&cursor=c2', '/staff/inbox?labelled=true&cursor=c3']);
    const two = await inbox.listPages({}, 2);
    expect(two).toEqual({ items: [question('q1'), question('q2')], cursor: 'c3' });
  });

  it('stops, with a clear error, on a server that hands out the same cursor twice', async () => {
    const fetch = fakeFetch(() => json({ items: [question('q1')], cursor: 'again' }));
    const error = await failure(inboxClient(staff(fetch)).listPages({}, 10));
    expect(error.message).toMatch(/分页/);
    expect(fetch.sent).toHaveLength(2);
  });

  it('labels with a topic or with null (not in scope), and deletes', async () => {
    const fetch = fakeFetch((sent) => (sent.method === 'DELETE' ? json({ id: 'q1', deleted: true }) : json(question('q1', { labelled: true, label: (sent.body as { topic: unknown }).topic }))));
    const inbox = inboxClient(staff(fetch));
    expect(await inbox.label('q1', 'negotiate')).toMatchObject({ id: 'q1', labelled: true, label: 'negotiate' });
    expect(await inbox.label('q1', null)).toMatchObject({ label: null });
    expect(await inbox.remove('q1')).toEqual({ id: 'q1', deleted: true });
    expect(fetch.sent).toEqual([
      { path: '/staff/inbox/q1/label', method: 'POST', body: { topic: 'negotiate' } },
      { path: '/staff/inbox/q1/label', method: 'POST', body: { topic: null } },
      { path: '/staff/inbox/q1', method: 'DELETE', body: undefined },
    ]);
  });

  it('refuses answers that are not what the inbox routes answer', async () => {
    const pageOf = (page: unknown) => failure(inboxClient(staff(fakeFetch(() => json(page)))).list());
    for (const page of [
      [],
      { items: {}, cursor: null },
      { items: [question('q1')] },
      { items: [question('q1')], cursor: 3 },
      { items: [{ ...question('q1'), id: 1 }], cursor: null },
      { items: [{ ...question('q1'), text: undefined }], cursor: null },
      { items: [{ ...question('q1'), labelled: 'no' }], cursor: null },
      { items: [{ ...question('q1'), guess: 'none' }], cursor: null },
    ]) {
      expect((await pageOf(page)).status, JSON.stringify(page)).toBe(200);
    }
    for (const deleted of [{ id: 'q1' }, { id: 'q1', deleted: 'yes' }, { deleted: true }, null]) {
      await failure(inboxClient(staff(fakeFetch(() => json(deleted)))).remove('q1'));
    }
  });
});

describe('stats client', () => {
  const stats = { from: '2026-12-01', to: '2026-12-03', days: [{ day: '2026-12-01' }], total: { contacts: { voice: 1, sms: 0 } } };

  it('asks for the range given, or the server default', async () => {
    const fetch = fakeFetch(() => json(stats));
    const client = statsClient(staff(fetch));
    expect(await client.stats({ from: '2026-12-01', to: '2026-12-03' })).toEqual(stats);
    await client.stats();
    expect(fetch.sent.map((s) => s.path)).toEqual(['/staff/stats?from=2026-12-01&to=2026-12-03', '/staff/stats']);
  });

  it('refuses answers that are not counts', async () => {
    for (const answer of [{ ...stats, from: 1 }, { ...stats, to: undefined }, { ...stats, days: {} }, { ...stats, days: [1] }, { ...stats, total: [] }, { ...stats, total: undefined }]) {
      await failure(statsClient(staff(fakeFetch(() => json(answer)))).stats());
    }
  });

  it('downloads the CSV under the server\'s file name, else one made of the range', async () => {
    const csv = (disposition?: string) =>
      fakeFetch(() => new Response('\ufeffday,contacts\r\n', { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', ...(disposition ? { 'content-disposition': disposition } : {}) } }));
    const named = csv('attachment; filename="stats-2026-12-01-2026-12-03.csv"');
    expect(await statsClient(staff(named)).csv({ from: '2026-12-01', to: '2026-12-03' })).toEqual({ csv: '\ufeffday,contacts\r\n', filename: 'stats-2026-12-01-2026-12-03.csv' });
    expect(named.sent[0]!.path).toBe('/staff/stats.csv?from=2026-12-01&to=2026-12-03');
    expect((await statsClient(staff(csv())).csv({ from: '2026-12-01', to: '2026-12-03' })).filename).toBe('stats-2026-12-01-2026-12-03.csv');
    expect((await statsClient(staff(csv())).csv({ from: '2026-12-01' })).filename).toBe('stats-2026-12-01.csv');
    expect((await statsClient(staff(csv())).csv()).filename).toBe('stats.csv');
    // Not a CSV (an HTML error page from a proxy): refused, not saved.
    await failure(statsClient(staff(fakeFetch(() => new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } })))).csv());
  });
});
