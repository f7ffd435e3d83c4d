import { beforeEach, describe, expect, it } from 'vitest';
import type { CallbackRequest } from '../lambdas/callbacks/store';
import { ROUTES } from '../lambdas/http/routes';
import type { StaffCallback, StaffCallbackPage, StaffError } from '../lambdas/staff/contract';
import { csvCell } from '../lambdas/staff/csv';
import { ALICE, BOB, useStaffHotline } from './support/staff';


const hotline = useStaffHotline();
let counter = 0;

interface Answer<T> {
  status: number;
  type: string;
  headers: Headers;
  body: T;
  text: string;
}

async function call<T = unknown>(method: string, path: string, options: { token?: string | null; body?: unknown; raw?: string; authorization?: string } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? ALICE : options.token;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined && method !== 'GET') body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${hotline().url}${path}`, { method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, headers: response.headers, text, body: (type.startsWith('application/json') ? JSON.parse(text) : text) as T };
}

const get = <T = unknown>(path: string, token?: string | null) => call<T>('GET', path, { token });
const post = <T = unknown>(path: string, body?: unknown, token?: string | null) => call<T>('POST', path, { body, token });

/** A new open request from a distinct mainland mobile. */
async function newRequest(overrides: Partial<{ phone: string; window: string; topic: string | null; urgent: boolean }> = {}): Promise<CallbackRequest> {
  counter += 1;
  const phone = overrides.phone ?? `1390000${String(1000 + counter).padStart(4, '0')}`;
  const { request } = await hotline().store.requestCallback({
    phone,
    window: overrides.window ?? '晚上七点到九点',
    topic: overrides.topic === undefined ? 'negotiate' : overrides.topic,
    channel: 'sms',
    sourceSid: `SM${String(counter).padStart(32, '0')}`,
    ...(overrides.urgent ? { urgent: true } : {}),
  });
  return request;
}

const path = (id: string, action?: 'claim' | 'release' | 'outcome') => `/staff/callbacks/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

async function allOpen(token = ALICE): Promise<StaffCallback[]> {
  const items: StaffCallback[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer<StaffCallbackPage> = await get<StaffCallbackPage>(`/staff/callbacks?status=open&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return items;
}

describe('staff API: the queue', () => {
  it('lists open requests oldest first with masked numbers and the fields staff need', async () => {
    const first = await newRequest({ phone: '13812345678', topic: 'for-contacts' });
    const second = await newRequest();
    const items = await allOpen();
    const ids = items.map((i) => i.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    const item = items.find((i) => i.id === first.id)!;
    expect(item).toMatchObject({ status: 'open', phone: '+86 138****5678', phoneVisible: false, code: first.code, window: '晚上七点到九点', topic: 'for-contacts', attempts: 0 });
    expect(item.topicLabel).toBeTruthy();
    expect(item.createdAt).toBe(first.createdAt);
    expect(JSON.stringify(items)).not.toContain('13812345678');
  });

  it('pages with limit and cursor, and refuses a forged cursor', async () => {
    await newRequest();
    await newRequest();
    const first = await get<StaffCallbackPage>('/staff/callbacks?status=open&limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.cursor).toEqual(expect.any(String));
    const second = await get<StaffCallbackPage>(`/staff/callbacks?status=open&limit=1&cursor=${encodeURIComponent(first.body.cursor!)}`);
    expect(second.body.items[0]!.id).not.toBe(first.body.items[0]!.id);
    const forged = await get<StaffError>(`/staff/callbacks?status=open&cursor=${encodeURIComponent(Buffer.from('{"pk":"x"}').toString('base64url'))}`);
    expect(forged.status).toBe(400);
    expect(forged.body.error).toBe('bad-request');
  });

  it.each([
    ['status=closed', 'status'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
  ])('answers 400 to ?%s', async (query, field) => {
    const answer = await get<StaffError>(`/staff/callbacks?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('bad-request');
    expect(answer.body.issues?.map((i) => i.path)).toContain(field);
    expect(answer.body.message).toMatch(/请求内容不对/);
  });

  it('treats empty query values as not given', async () => {
    const answer = await get<StaffCallbackPage>('/staff/callbacks?status=&limit=&cursor=');
    expect(answer.status).toBe(200);
  });
});

describe('staff API: urgent requests', () => {
  it('marks urgent requests in the list and the detail, with the crisis ask in the history', async () => {
    const plain = await newRequest();
    const urgent = await newRequest({ urgent: true, topic: 'crisis' });
    const items = await allOpen();
    expect(items.find((i) => i.id === plain.id)!.urgent).toBe(false);
    expect(items.find((i) => i.id === urgent.id)!.urgent).toBe(true);
    const shown = await get<StaffCallback>(path(urgent.id), BOB);
    expect(shown.body).toMatchObject({ urgent: true, topic: 'crisis' });
    expect(shown.body.history![0]!.detail).toContain('urgent');
  });

  it('keeps a request urgent through claim, no answer and release, and shows it so in 处理中', async () => {
    const request = await newRequest({ urgent: true });
    expect((await post<StaffCallback>(path(request.id, 'claim'))).body).toMatchObject({ status: 'claimed', urgent: true });
    const claimed = (await get<StaffCallbackPage>('/staff/callbacks?status=claimed&limit=100')).body.items;
    expect(claimed.find((i) => i.id === request.id)!.urgent).toBe(true);
    expect((await post<StaffCallback>(path(request.id, 'outcome'), { outcome: 'no-answer' })).body).toMatchObject({ status: 'open', attempts: 1, urgent: true });
    // The caller asks again without the mark: still urgent.
    await hotline().store.requestCallback({ phone: request.phone, window: '上午九点到十二点', channel: 'sms', sourceSid: `SMurgent-repeat-${request.id}` });
    expect((await get<StaffCallback>(path(request.id))).body).toMatchObject({ urgent: true, repeats: 1 });
  });

  it('keeps pages oldest first and, when asked, names the urgent requests on later pages', async () => {
    // Older plain requests first: the urgent one is not on the first page of one.
    await newRequest();
    await newRequest();
    const urgent = await newRequest({ urgent: true });
    const first = await get<StaffCallbackPage>('/staff/callbacks?status=open&limit=1&urgentAfter=true');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]!.id).not.toBe(urgent.id);
    expect(first.body.cursor).toEqual(expect.any(String));
    const after = first.body.urgentAfter!;
    expect(after.map((i) => i.id)).toContain(urgent.id);
    expect(after.every((i) => i.urgent && i.status === 'open' && i.phoneVisible === false)).toBe(true);
    expect(after.map((i) => i.createdAt)).toEqual([...after.map((i) => i.createdAt)].sort());
    expect(after.some((i) => i.id === first.body.items[0]!.id)).toBe(false);

    // Pages themselves stay in createdAt order (the cursor walks the index), urgent or not.
    const all = await allOpen();
    expect(all.map((i) => i.createdAt)).toEqual([...all.map((i) => i.createdAt)].sort());

    // Not asked, or nothing after the page: no names, or none.
    expect((await get<StaffCallbackPage>('/staff/callbacks?status=open&limit=1')).body).not.toHaveProperty('urgentAfter');
    const whole = await get<StaffCallbackPage>('/staff/callbacks?status=open&limit=100&urgentAfter=true');
    expect(whole.body.cursor).toBeNull();
    expect(whole.body.urgentAfter).toEqual([]);
    expect((await get<StaffCallbackPage>('/staff/callbacks?status=done&urgentAfter=true')).body).not.toHaveProperty('urgentAfter');
    const bad = await get<StaffError>('/staff/callbacks?status=open&urgentAfter=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.map((i) => i.path)).toContain('urgentAfter');
  });
});

describe('staff API: claim, release and outcomes', () => {
  it('shows the full number only to the claim holder', async () => {
    const request = await newRequest({ phone: '13700001111' });
    const claimed = await post<StaffCallback>(path(request.id, 'claim'));
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: 'alice', phone: '+8613700001111', phoneVisible: true });
    const asBob = await get<StaffCallback>(path(request.id), BOB);
    expect(asBob.body).toMatchObject({ phone: '+86 137****1111', phoneVisible: false, claimedBy: 'alice' });
    const asAlice = await get<StaffCallback>(path(request.id));
    expect(asAlice.body.phone).toBe('+8613700001111');
  });

  it('answers 409 with a Chinese message and the current request when someone else holds the claim', async () => {
    const request = await newRequest();
    expect((await post(path(request.id, 'claim'))).status).toBe(200);
    const lost = await post<StaffError>(path(request.id, 'claim'), {}, BOB);
    expect(lost.status).toBe(409);
    expect(lost.body.error).toBe('claimed-by-other');
    expect(lost.body.message).toContain('已被 alice 认领');
    expect(lost.body.current).toMatchObject({ id: request.id, claimedBy: 'alice', phoneVisible: false });
    expect(JSON.stringify(lost.body)).not.toContain(request.phone);
    for (const action of ['release', 'outcome'] as const) {
      const refused = await post<StaffError>(path(request.id, action), action === 'outcome' ? { outcome: 'reached' } : {}, BOB);
      expect(refused.status).toBe(409);
    }
  });

  it('lets exactly one of ten concurrent claims win', async () => {
    const request = await newRequest();
    const tokens = Array.from({ length: 10 }, (_, i) => (i % 2 ? BOB : ALICE));
    const answers = await Promise.all(tokens.map((token) => post(path(request.id, 'claim'), {}, token)));
    const statuses = answers.map((a) => a.status).sort();
    // Alice's second claim of what she already holds is a no-op 200; Bob's five all lose, or Alice's do.
    const winners = answers.filter((a) => a.status === 200).map((a) => (a.body as StaffCallback).claimedBy);
    expect(new Set(winners).size).toBe(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    const stored = await hotline().store.get(request.id);
    expect(stored!.history.filter((h) => h.action === 'claimed')).toHaveLength(1);
  });

  it('returns a no-answer to the queue with attempts + 1, then closes it on reached, keeping every step in the history', async () => {
    const request = await newRequest();
    expect((await post(path(request.id, 'claim'))).status).toBe(200);
    const noAnswer = await post<StaffCallback>(path(request.id, 'outcome'), { outcome: 'no-answer', note: '响了十声' });
    expect(noAnswer.status).toBe(200);
    expect(noAnswer.body).toMatchObject({ status: 'open', attempts: 1, claimedBy: null, phoneVisible: false });
    expect((await allOpen()).some((i) => i.id === request.id)).toBe(true);

    expect((await post(path(request.id, 'claim'), {}, BOB)).status).toBe(200);
    const reached = await post<StaffCallback>(path(request.id, 'outcome'), { outcome: 'reached', note: '已说明如何保留证据' }, BOB);
    expect(reached.body).toMatchObject({ status: 'done', outcome: 'reached', closedBy: 'bob', note: '已说明如何保留证据', attempts: 1 });
    expect((await allOpen()).some((i) => i.id === request.id)).toBe(false);

    const shown = await get<StaffCallback>(path(request.id));
    expect(shown.body.history!.map((h) => [h.action, h.by])).toEqual([
      ['requested', 'sms'],
      ['claimed', 'alice'],
      ['outcome', 'alice'],
      ['claimed', 'bob'],
      ['outcome', 'bob'],
    ]);
    expect(shown.body.history![4]!.detail).toContain('已说明如何保留证据');

    const again = await post<StaffError>(path(request.id, 'claim'));
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('closed');
    expect(again.body.message).toContain('已接通');
  });

  it('masks numbers typed into notes, for everyone, in the history and the export too', async () => {
    const request = await newRequest();
    await post(path(request.id, 'claim'));
    const answer = await post<StaffCallback>(path(request.id, 'outcome'), { outcome: 'wrong-number', note: '家属说请打 13912345678 或 139-1234-5679' });
    expect(answer.body.note).toBe('家属说请打 139****5678 或 139****5679');
    const seen = JSON.stringify((await get(path(request.id), BOB)).body);
    expect(seen.replace(/\D/g, '')).not.toContain('13912345678');
    expect(seen).not.toContain('1234-5679');
  });

  it('keeps only the closing outcome\'s note: one given with an earlier no-answer stays in the history only', async () => {
    const request = await newRequest();
    await post(path(request.id, 'claim'));
    await post(path(request.id, 'outcome'), { outcome: 'no-answer', note: '约了明天下午三点' });
    await post(path(request.id, 'claim'), {}, BOB);
    const closed = await post<StaffCallback>(path(request.id, 'outcome'), { outcome: 'declined' }, BOB);
    expect(closed.body.note).toBeNull();
    expect(closed.body.history!.some((h) => h.detail?.includes('约了明天下午三点'))).toBe(true);
  });

  it('lists closed requests newest first', async () => {
    const older = await newRequest();
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct createdAt (ms resolution)
    const newer = await newRequest();
    for (const r of [older, newer]) {
      await post(path(r.id, 'claim'));
      await post(path(r.id, 'outcome'), { outcome: 'reached' });
    }
    const done = (await get<StaffCallbackPage>('/staff/callbacks?status=done&limit=100')).body.items.map((i) => i.id);
    expect(done.indexOf(newer.id)).toBeLessThan(done.indexOf(older.id));
  });

  it.each(['wrong-number', 'declined'] as const)('closes a request on %s', async (outcome) => {
    const request = await newRequest();
    await post(path(request.id, 'claim'));
    const answer = await post<StaffCallback>(path(request.id, 'outcome'), { outcome });
    expect(answer.body).toMatchObject({ status: 'done', outcome });
  });

  it('releases a claim back to the queue', async () => {
    const request = await newRequest();
    await post(path(request.id, 'claim'));
    const released = await post<StaffCallback>(path(request.id, 'release'));
    expect(released.body).toMatchObject({ status: 'open', claimedBy: null, attempts: 0 });
    expect((await post(path(request.id, 'claim'), {}, BOB)).status).toBe(200);
  });

  it('refuses an outcome or release on a request nobody claimed', async () => {
    const request = await newRequest();
    const outcome = await post<StaffError>(path(request.id, 'outcome'), { outcome: 'reached' });
    expect(outcome.status).toBe(409);
    expect(outcome.body.error).toBe('not-claimed');
    expect((await post<StaffError>(path(request.id, 'release'))).body.error).toBe('not-claimed');
  });

  it('answers 409 stale when the version sent is not the current one', async () => {
    const request = await newRequest();
    const stale = await post<StaffError>(path(request.id, 'claim'), { version: request.version + 5 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('stale');
    expect(stale.body.current?.version).toBe(request.version);
    const fresh = await post<StaffCallback>(path(request.id, 'claim'), { version: request.version });
    expect(fresh.status).toBe(200);
  });
});

describe('staff API: bad input', () => {
  let id: string;
  beforeEach(async () => {
    id = (await newRequest()).id;
    await post(path(id, 'claim'));
  });

  it.each([
    ['not JSON', '{outcome: reached'],
    ['a JSON array', '["reached"]'],
    ['a JSON string', '"reached"'],
    ['an unknown outcome', '{"outcome":"maybe"}'],
    ['a missing outcome', '{"note":"x"}'],
    ['an unknown field', '{"outcome":"reached","phone":"13800000000"}'],
    ['a note that is too long', JSON.stringify({ outcome: 'reached', note: '很'.repeat(1001) })],
    ['a note that is not text', '{"outcome":"reached","note":42}'],
    ['a fractional version', '{"outcome":"reached","version":1.5}'],
  ])('answers 400 to an outcome body that is %s, and changes nothing', async (_what, raw) => {
    const answer = await call<StaffError>('POST', path(id, 'outcome'), { raw });
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.body.error).toBe('bad-request');
    expect((await hotline().store.get(id))!.status).toBe('claimed');
  });

  it('names the allowed outcomes when one is wrong', async () => {
    const answer = await call<StaffError>('POST', path(id, 'outcome'), { body: { outcome: 'maybe' } });
    expect(answer.body.message).toContain('reached, no-answer, wrong-number, declined');
  });

  it('answers 400 to a claim body with unknown fields', async () => {
    const answer = await call<StaffError>('POST', path(id, 'release'), { raw: '{"staff":"bob"}' });
    expect(answer.status).toBe(400);
  });

  it('answers 413 to an oversized body', async () => {
    const answer = await call<StaffError>('POST', path(id, 'outcome'), { raw: JSON.stringify({ outcome: 'reached', note: 'x'.repeat(70_000) }) });
    expect(answer.status).toBe(413);
  });

  it.each(['does-not-exist', 'REQ#x', '../../etc', '%E4%B8%AD'])('answers 404 to the unknown id %s', async (unknown) => {
    for (const [method, target] of [
      ['GET', path(unknown)],
      ['POST', path(unknown, 'claim')],
      ['POST', path(unknown, 'release')],
    ] as const) {
      const answer = await call<StaffError>(method, target, { body: {} });
      expect(answer.status).toBe(404);
      expect(answer.body.message).toMatch(/找不到/);
    }
  });

  it('never reaches the API with a wrong method or an unknown staff path (the gateway answers 404)', async () => {
    const wrong = await call<{ message: string }>('DELETE', path(id));
    expect(wrong.status).toBe(404);
    expect(wrong.body).toEqual({ message: 'Not Found' });
    const unknown = await get<{ message: string }>('/staff/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ message: 'Not Found' });
  });
});

describe('staff API: tokens', () => {
  const staffRoutes = Object.entries(ROUTES).filter(([, r]) => r.auth === 'staff');

  it.each(staffRoutes)('refuses %s without a token', async (_name, route) => {
    const answer = await call<StaffError>(route.method, route.path.replace('{id}', 'x'), { token: null, body: {} });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.body.error).toBe('unauthorized');
  });

  it.each([
    ['a wrong token', 'Bearer not-a-real-token-at-all'],
    ['another scheme', `Basic ${ALICE}`],
    ['a token with a suffix', `Bearer ${ALICE}x`],
    ['a token cut short', `Bearer ${ALICE.slice(0, -1)}`],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s', async (_what, authorization) => {
    const answer = await call<StaffError>('GET', '/staff/callbacks', { authorization });
    expect(answer.status).toBe(401);
  });

  it('says who is signed in', async () => {
    expect((await get<{ staff: string }>('/staff/me', BOB)).body).toEqual({ staff: 'bob' });
  });

  it('never caches an answer', async () => {
    const answer = await get('/staff/callbacks');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

describe('staff API: CSV export', () => {
  it('exports closed requests of a date range with masked numbers and formulas defused', async () => {
    const request = await newRequest({ phone: '13900007777' });
    await post(path(request.id, 'claim'));
    await post(path(request.id, 'outcome'), { outcome: 'declined', note: '=HYPERLINK("x"), 说不需要' });
    const open = await newRequest();
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const answer = await get<string>(`/staff/callbacks/export.csv?from=${today}&to=${today}`);
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv/);
    expect(answer.headers.get('content-disposition')).toContain(`callbacks-${today}-${today}.csv`);
    const lines = answer.text.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,code,status,outcome,window,topic,topicLabel,channel,attempts,repeats,createdAtBeijing,closedAtBeijing,closedBy,phone,note,紧急');
    const row = lines.find((l) => l.startsWith(request.id))!;
    expect(row).toContain('+86 139****7777');
    expect(row.endsWith(',否')).toBe(true);
    expect(row).toContain(`"'=HYPERLINK(""x""), 说不需要"`);
    expect(answer.text).not.toContain('13900007777');
    expect(lines.some((l) => l.startsWith(open.id))).toBe(false);

    const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
    const before = await get<string>(`/staff/callbacks/export.csv?from=${yesterday}&to=${yesterday}`);
    expect(before.text).not.toContain(request.id);
  });

  it('says in the 紧急 column whether a closed request was urgent', async () => {
    const urgent = await newRequest({ urgent: true });
    await post(path(urgent.id, 'claim'));
    await post(path(urgent.id, 'outcome'), { outcome: 'reached', note: '已确认安全，给了12356' });
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const lines = (await get<string>(`/staff/callbacks/export.csv?from=${today}&to=${today}`)).text.replace(/^\ufeff/, '').trim().split('\r\n');
    const column = lines[0]!.split(',').indexOf('紧急');
    expect(column).toBeGreaterThan(0);
    const row = lines.find((l) => l.startsWith(urgent.id))!;
    expect(row.split(',')[column]).toBe('是');
    expect(lines.slice(1).every((l) => /,(是|否)$/.test(l))).toBe(true);
  });

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=2026-02-30', 'from'],
    ['to=yesterday', 'to'],
    ['from=2026-05-02&to=2026-05-01', 'to'],
    ['from=2024-01-01&to=2026-01-01', 'to'],
  ])('answers 400 to ?%s', async (query, field) => {
    const answer = await get<StaffError>(`/staff/callbacks/export.csv?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.issues?.map((i) => i.path)).toContain(field);
  });

  it('escapes cells the way RFC 4180 and spreadsheets need', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('+86 138****5678')).toBe("'+86 138****5678");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });
});

describe('staff API: when to call, what was asked, and 未接通', () => {
  it('answers with the promised slot, where it stands now, the topics, the masked question and where the number came from', async () => {
    counter += 1;
    const now = Date.now();
    const slot = (fromMin: number, untilMin: number) => ({ from: new Date(now + fromMin * 60_000).toISOString(), until: new Date(now + untilMin * 60_000).toISOString() });
    const ask = (phone: string, due: { from: string; until: string }, extra: object = {}) =>
      hotline().store.requestCallback({ phone, window: '今天晚上七点到九点', due, topic: 'negotiate', channel: 'voice', sourceSid: `CAdue${phone}`, ...extra });
    const overdue = (await ask(`1390001${String(counter).padStart(4, '0')}`, slot(-180, -60), { topics: ['threats'], question: '他们打我妈 13812345678', numberSource: 'keyed-in' })).request;
    const dueNow = (await ask(`1390002${String(counter).padStart(4, '0')}`, slot(-10, 50))).request;
    const upcoming = (await ask(`1390003${String(counter).padStart(4, '0')}`, slot(60, 180))).request;
    const items = await allOpen();
    const mine = items.filter((i) => [overdue.id, dueNow.id, upcoming.id].includes(i.id));
    expect(mine.map((i) => [i.id, i.dueState])).toEqual([
      [overdue.id, 'overdue'],
      [dueNow.id, 'due'],
      [upcoming.id, 'upcoming'],
    ]);
    expect(mine[0]).toMatchObject({ due: overdue.due, topics: ['negotiate', 'threats'], question: '他们打我妈 ***********', numberSource: 'keyed-in', missedInRow: 0 });
    expect(mine[0]!.topicLabels).toHaveLength(2);
    expect(JSON.stringify(mine)).not.toContain('13812345678');
  });

  it('moves a request to 未接通 after three missed calls in a row; it is listed there, claimable, and back in the queue when the person asks again', async () => {
    const request = await newRequest();
    for (let i = 1; i <= 3; i++) {
      expect((await post(path(request.id, 'claim'))).status).toBe(200);
      const missed = await post<StaffCallback>(path(request.id, 'outcome'), { outcome: 'no-answer', note: `第${i}次没人接` });
      expect(missed.body).toMatchObject({ status: i < 3 ? 'open' : 'unreached', attempts: i, missedInRow: i });
    }
    expect((await allOpen()).map((i) => i.id)).not.toContain(request.id);
    const unreached = await get<StaffCallbackPage>('/staff/callbacks?status=unreached&limit=100');
    expect(unreached.body.items.map((i) => i.id)).toContain(request.id);
    // Asking again (any channel) puts it back in the queue with its code.
    await hotline().store.requestCallback({ phone: request.phone, window: 'x', channel: 'sms', sourceSid: `SMagain${request.id}` });
    const back = (await allOpen()).find((i) => i.id === request.id);
    expect(back).toMatchObject({ status: 'open', code: request.code, missedInRow: 0, attempts: 3, repeats: 1 });
  });
});
