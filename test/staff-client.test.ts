/**
 * The one staff API client (`lambdas/staff/client.ts`) against a fake `fetch`: paths, bodies,
 * error mapping, no answer and timeouts, the CSV, paging. The console and the command line both
 * run on it; their own tests drive it through them.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../lambdas/http/routes';
import { CLIENT_MESSAGES, createStaffClient, fallbackMessage, isUnauthorized, StaffApiError, type FetchLike, type StaffClientOptions } from '../lambdas/staff/client';
import type { StaffCallback } from '../lambdas/staff/contract';
import { sampleCallback, staffFailure } from './support/staff-callback';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  cache: RequestCache | undefined;
  signal: AbortSignal | null | undefined;
}

/** A fake server: answers from `reply` and records every request. */
function fakeFetch(reply: (sent: Sent, init: RequestInit) => Response | Promise<Response>): FetchLike & { sent: Sent[] } {
  const sent: Sent[] = [];
  const fn: FetchLike = async (url, init) => {
    const request = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body === undefined ? undefined : (JSON.parse(String(init.body)) as unknown),
      cache: init.cache,
      signal: init.signal,
    };
    sent.push(request);
    return reply(request, init);
  };
  return Object.assign(fn, { sent });
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

const sample = (id = 'req-1', extra: Partial<StaffCallback> = {}) => sampleCallback({ id, ...extra });

function client(fetch: FetchLike, options: Partial<StaffClientOptions> = {}) {
  return createStaffClient({ baseUrl: 'https://api.example.test/prod/', token: () => 'token-1234567890abcdef', fetch, ...options });
}

const failure = staffFailure;

describe('staff client: requests', () => {
  it('sends the bearer token to the route paths under the base URL, never from a cache', async () => {
    const fetch = fakeFetch(() => json(200, { staff: 'alice' }));
    expect(await client(fetch).me()).toEqual({ staff: 'alice' });
    expect(fetch.sent).toEqual([
      {
        url: `https://api.example.test/prod${ROUTES.staffMe.path}`,
        method: 'GET',
        headers: { authorization: 'Bearer token-1234567890abcdef', accept: 'application/json' },
        body: undefined,
        cache: 'no-store',
        signal: expect.any(AbortSignal),
      },
    ]);
  });

  it('asks for the token before every request (the console may have renewed it)', async () => {
    const fetch = fakeFetch(() => json(200, { staff: 'alice' }));
    const tokens = ['first-token-000000', 'second-token-00000'];
    const api = client(fetch, { token: () => Promise.resolve(tokens.shift()) });
    await api.me();
    await api.me();
    expect(fetch.sent.map((s) => s.headers.authorization)).toEqual(['Bearer first-token-000000', 'Bearer second-token-00000']);
  });

  it('puts an id into one encoded path segment for every route that takes one', async () => {
    const fetch = fakeFetch(() => json(200, sample()));
    const api = client(fetch);
    const id = 'a/b?c#d e%';
    await api.show(id);
    await api.claim(id);
    await api.release(id);
    await api.outcome(id, 'reached');
    const encoded = 'a%2Fb%3Fc%23d%20e%25';
    expect(fetch.sent.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      `GET /prod${ROUTES.staffShow.path.replace('{id}', encoded)}`,
      `POST /prod${ROUTES.staffClaim.path.replace('{id}', encoded)}`,
      `POST /prod${ROUTES.staffRelease.path.replace('{id}', encoded)}`,
      `POST /prod${ROUTES.staffOutcome.path.replace('{id}', encoded)}`,
    ]);
    expect(fetch.sent.slice(1).every((s) => s.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('sends a version and a note only when there is one', async () => {
    const fetch = fakeFetch(() => json(200, sample()));
    const api = client(fetch);
    await api.claim('id1');
    await api.release('id1');
    await api.outcome('id1', 'reached', '');
    await api.outcome('id1', 'declined', '不需要');
    await api.claim('id1', 3);
    await api.release('id1', 4);
    await api.outcome('id1', 'no-answer', '关机', 5);
    expect(fetch.sent.map((s) => s.body)).toEqual([
      {},
      {},
      { outcome: 'reached' },
      { outcome: 'declined', note: '不需要' },
      { version: 3 },
      { version: 4 },
      { outcome: 'no-answer', note: '关机', version: 5 },
    ]);
  });

  it('calls fetch as a plain function (the browser refuses any other `this`)', async () => {
    const receivers: unknown[] = [];
    const fetch = function (this: unknown) {
      receivers.push(this);
      return Promise.resolve(json(200, { staff: 'alice' }));
    };
    await client(fetch).me();
    expect(receivers).toEqual([undefined]);
  });
});

describe('staff client: errors', () => {
  it("keeps the staff API's code, message and body", async () => {
    const fetch = fakeFetch(() => json(409, { error: 'claimed-by-other', message: '这条回电请求已被 bob 认领，请选择别的请求。', current: sample('abc', { claimedBy: 'bob' }) }));
    const error = await failure(client(fetch).claim('abc'));
    expect(error).toMatchObject({ name: 'StaffApiError', status: 409, code: 'claimed-by-other', message: '这条回电请求已被 bob 认领，请选择别的请求。', answered: true });
    expect(error.body?.current?.claimedBy).toBe('bob');
  });

  it("turns API Gateway's 404 for an unmatched route into the ordinary not-found error, in Chinese", async () => {
    const fetch = fakeFetch(() => json(404, { message: 'Not Found' }));
    const error = await failure(client(fetch).show('abc'));
    expect(error).toMatchObject({ status: 404, code: 'not-found', message: fallbackMessage(404), body: undefined, answered: true });
    expect(error.message).toMatch(/找不到/);
    expect(error.message).not.toContain('Not Found');
  });

  it.each([
    [401, 'unauthorized', /登录已失效/],
    [403, undefined, /没有权限/],
    [409, undefined, /刚被别人改过/],
    [429, undefined, /太频繁/],
    [502, 'unavailable', /暂时不可用/],
    [503, 'unavailable', /暂时不可用/],
    [504, 'unavailable', /暂时不可用/],
    [500, undefined, /HTTP 500/],
  ])('words a %i that is not the staff API\'s JSON in Chinese', async (status, code, message) => {
    const fetch = fakeFetch(() => new Response('<html>error</html>', { status, headers: { 'content-type': 'text/html' } }));
    const error = await failure(client(fetch).list());
    expect(error).toMatchObject({ status, code, body: undefined });
    expect(error.message).toMatch(message);
  });

  it('tells onUnauthorized of every 401, and of a missing token without sending anything', async () => {
    const heard: StaffApiError[] = [];
    const refused = fakeFetch(() => json(401, { message: 'Unauthorized' }));
    const error = await failure(client(refused, { onUnauthorized: (e) => heard.push(e) }).me());
    expect(heard).toEqual([error]);
    expect(isUnauthorized(error)).toBe(true);

    const neverCalled = fakeFetch(() => json(200, { staff: 'alice' }));
    const signedOut = await failure(client(neverCalled, { token: () => undefined, onUnauthorized: (e) => heard.push(e) }).me());
    expect(signedOut).toMatchObject({ status: 401, code: 'unauthorized', message: fallbackMessage(401) });
    expect(neverCalled.sent).toHaveLength(0);
    expect(heard).toHaveLength(2);
  });

  it('does not call onUnauthorized for other refusals', async () => {
    const heard: unknown[] = [];
    await failure(client(fakeFetch(() => json(404, { error: 'not-found', message: '找不到这条回电请求，可能已过期删除。' })), { onUnauthorized: (e) => heard.push(e) }).show('x'));
    expect(heard).toEqual([]);
  });

  it('refuses a success that is not the staff API\'s answer, naming the address', async () => {
    const html = await failure(client(fakeFetch(() => new Response('<html>hello</html>', { status: 200 }))).show('abc'));
    expect(html).toMatchObject({ status: 200, code: undefined, answered: true });
    expect(html.message).toContain('https://api.example.test/prod');
    const wrongShape = await failure(client(fakeFetch(() => json(200, { items: 'none' }))).list());
    expect(wrongShape.message).toBe(html.message);
    const noBaseUrl = await failure(client(fakeFetch(() => json(200, {})), { baseUrl: '' }).show('abc'));
    expect(noBaseUrl.message).not.toContain('地址');
  });

  it('says the server could not be reached, with the reason Node nests in `cause`', async () => {
    const refused = fakeFetch(() => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) })));
    expect(await failure(client(refused).me())).toMatchObject({ status: 0, answered: false, reason: 'ECONNREFUSED', message: CLIENT_MESSAGES.unreachable, code: undefined });
    const happyEyeballs = fakeFetch(() => Promise.reject(new TypeError('fetch failed', { cause: new AggregateError([Object.assign(new Error('x'), { code: 'ENETUNREACH' })]) })));
    expect((await failure(client(happyEyeballs).me())).reason).toBe('ENETUNREACH');
    const plain = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    expect((await failure(client(plain).me())).reason).toBe('Failed to fetch');
  });

  it('gives up after the timeout when no answer comes', async () => {
    const hanging = fakeFetch((_sent, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))));
    const error = await failure(client(hanging, { timeoutMs: 20 }).list());
    expect(error).toMatchObject({ status: 0, answered: false, reason: 'timeout', message: CLIENT_MESSAGES.timeout });
  });

  it('gives up after the timeout when the answer starts but its body never ends', async () => {
    const stalled = fakeFetch(
      (_sent, init) =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"items":['));
              init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    );
    expect(await failure(client(stalled, { timeoutMs: 20 }).list())).toMatchObject({ status: 0, reason: 'timeout' });
  });
});

describe('staff client: CSV export', () => {
  const csv = '\ufeffid,note\r\n1,"a\r\nb"\r\n';

  it('keeps the byte-order mark and the server\'s file name, and sends the dates', async () => {
    const fetch = fakeFetch(() => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="callbacks-2026-11-01-2026-11-30.csv"' } }));
    expect(await client(fetch).exportCsv({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ csv, filename: 'callbacks-2026-11-01-2026-11-30.csv' });
    const url = new URL(fetch.sent[0]!.url);
    expect(url.pathname).toBe(`/prod${ROUTES.staffExport.path}`);
    expect(url.search).toBe('?from=2026-11-01&to=2026-11-30');
  });

  it('names the file after the dates when the server does not', async () => {
    const fetch = fakeFetch(() => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv' } }));
    expect((await client(fetch).exportCsv({ from: '2026-11-01', to: '2026-11-02' })).filename).toBe('callbacks-2026-11-01-2026-11-02.csv');
    expect((await client(fetch).exportCsv()).filename).toBe('callbacks.csv');
    expect(new URL(fetch.sent[1]!.url).search).toBe('');
  });

  it('refuses an answer that is not CSV', async () => {
    const fetch = fakeFetch(() => new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect((await failure(client(fetch).exportCsv())).message).toContain('不是员工接口的回答');
  });
});

describe('staff client: pages', () => {
  /** Pages p1…p`count` chained by cursors c1…; `urgentAfter` when asked for. */
  function pagedServer(count: number) {
    return fakeFetch((sent) => {
      const query = new URL(sent.url).searchParams;
      const page = Number(query.get('cursor')?.slice(1) ?? 0) + 1;
      return json(200, {
        items: [sample(`p${page}`)],
        cursor: page < count ? `c${page}` : null,
        ...(query.get('urgentAfter') === 'true' ? { urgentAfter: [sample(`urgent-after-p${page}`, { urgent: true })] } : {}),
      });
    });
  }

  it('reads one page with the query given', async () => {
    const fetch = pagedServer(3);
    const page = await client(fetch).list({ status: 'claimed', limit: 50, cursor: 'c1', urgentAfter: true });
    expect(new URL(fetch.sent[0]!.url).search).toBe('?status=claimed&limit=50&cursor=c1&urgentAfter=true');
    expect(page.items.map((i) => i.id)).toEqual(['p2']);
  });

  it('follows the cursor to the last page', async () => {
    const fetch = pagedServer(3);
    const read = await client(fetch).listPages({ status: 'open', limit: 1 }, { maxPages: 10 });
    expect(fetch.sent.map((s) => new URL(s.url).search)).toEqual(['?status=open&limit=1', '?status=open&limit=1&cursor=c1', '?status=open&limit=1&cursor=c2']);
    expect(read).toEqual({ items: [sample('p1'), sample('p2'), sample('p3')], cursor: null });
  });

  it('stops at maxPages with the cursor left, asking the last page read for the urgent ones beyond', async () => {
    const fetch = pagedServer(9);
    const read = await client(fetch).listPages({ status: 'open' }, { maxPages: 5, urgentAfterLastPage: true });
    expect(fetch.sent.map((s) => new URL(s.url).searchParams.get('urgentAfter'))).toEqual([null, null, null, null, 'true']);
    expect(read.items.map((i) => i.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(read.urgentAfter?.map((i) => i.id)).toEqual(['urgent-after-p5']);
    expect(read.cursor).toBe('c5');
  });

  it('stops with an error when the server hands out the same cursor again', async () => {
    const fetch = fakeFetch(() => json(200, { items: [sample()], cursor: 'same' }));
    const error = await failure(client(fetch).listPages({}, { maxPages: 1000 }));
    expect(error.message).toBe(CLIENT_MESSAGES.repeatedCursor);
    expect(fetch.sent).toHaveLength(2);
  });
});
