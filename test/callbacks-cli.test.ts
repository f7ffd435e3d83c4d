import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  csvRowCount,
  displayWidth,
  formatCallback,
  formatDuration,
  formatList,
  formatTime,
  parseCommand,
  queueOrder,
  resolveConnection,
  runCallbacksCli,
  safeText,
  UsageError,
  USAGE,
  type Env,
} from '../dev/callbacks-cli';
import type { FetchLike } from '../lambdas/staff/client';
import { bundledContent, topic } from '../lambdas/content/content';
import type { StaffCallback } from '../lambdas/staff/contract';
import { sampleCallback } from './support/staff-callback';
import { ALICE, BOB, useStaffHotline } from './support/staff';

const NOW = new Date('2026-11-29T10:00:00Z');

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fake server: answers from `reply` and records every request. */
function fakeFetch(reply: (call: Call) => Response | Promise<Response>): FetchLike & { calls: Call[] } {
  const calls: Call[] = [];
  const fn = async (url: string, init: RequestInit) => {
    const call = { url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: init.body as string | undefined };
    calls.push(call);
    return reply(call);
  };
  return Object.assign(fn, { calls });
}

const jsonResponse = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  files: Map<string, string>;
}

async function run(argv: string[], env: Env, fetchImpl: FetchLike, now?: Date, timeoutMs?: number): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const files = new Map<string, string>();
  const code = await runCallbacksCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    fetch: fetchImpl,
    ...(now ? { now: () => now } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    writeFile: async (path, data) => {
      files.set(path, data);
    },
  });
  return { code, stdout, stderr, files };
}

const TOKEN_ENV = { STAFF_TOKEN: 'test-token-0123456789' };

describe('callbacks command line: parsing', () => {
  it('lists open requests by default', () => {
    expect(parseCommand(['list']).command).toEqual({ kind: 'list', status: 'open', all: false, json: false });
  });

  it('reads list filters, paging and --json', () => {
    expect(parseCommand(['list', '--status', 'claimed', '--limit', '50', '--all', '--json']).command).toEqual({ kind: 'list', status: 'claimed', limit: 50, all: true, json: true });
  });

  it('reads an outcome with its note', () => {
    expect(parseCommand(['outcome', 'abc', 'no-answer', '--note', '关机了']).command).toEqual({ kind: 'outcome', id: 'abc', outcome: 'no-answer', note: '关机了', json: false });
  });

  it('reads export dates and the output file', () => {
    expect(parseCommand(['export', '--from', '2026-11-01', '--to', '2026-11-30', '--out', 'x.csv']).command).toEqual({ kind: 'export', from: '2026-11-01', to: '2026-11-30', out: 'x.csv' });
  });

  it('treats help, --help and -h alike, whatever else is given', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['claim', '--help']]) expect(parseCommand(argv).command).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /missing command/],
    [['frob'], /unknown command "frob"/],
    [['list', '--status', 'closed'], /open\|claimed\|unreached\|done/],
    [['list', '--limit', '0'], /1 to 100/],
    [['list', '--limit', '101'], /1 to 100/],
    [['list', '--limit', '5x'], /1 to 100/],
    [['list', 'extra'], /unexpected argument "extra"/],
    [['show'], /missing argument.*show <id>/],
    [['claim', 'a', 'b'], /unexpected argument "b"/],
    [['claim', 'a', '--status', 'open'], /claim takes no --status/],
    [['release', 'a', '--note', 'x'], /release takes no --note/],
    [['outcome', 'a'], /missing argument/],
    [['outcome', 'a', 'maybe'], /reached\|no-answer\|wrong-number\|declined/],
    [['outcome', 'a', 'reached', '--note', 'x'.repeat(1001)], /1000/],
    [['export', '--from', '2026-02-30'], /YYYY-MM-DD/],
    [['export', '--to', '29/11/2026'], /YYYY-MM-DD/],
    [['export', '--from', '2026-11-02', '--to', '2026-11-01'], /before/],
    [['export', '--json'], /export takes no --json/],
    [['list', '--bogus'], /--bogus/],
    [['outcome', 'a', 'reached', '--note'], /--note/],
  ])('refuses %j as a usage error', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe('callbacks command line: connection', () => {
  it('defaults to the local server', () => {
    expect(resolveConnection({}, TOKEN_ENV)).toEqual({ url: 'http://127.0.0.1:3000', token: TOKEN_ENV.STAFF_TOKEN });
    // Like npm start and npm run phone: PORT picks the local port when no HOTLINE_URL is set.
    expect(resolveConnection({}, { ...TOKEN_ENV, PORT: '3391' })).toEqual({ url: 'http://127.0.0.1:3391', token: TOKEN_ENV.STAFF_TOKEN });
  });

  it('prefers --url and --token over HOTLINE_URL and STAFF_TOKEN', () => {
    const env = { HOTLINE_URL: 'http://env.example:1234', STAFF_TOKEN: 'env-token' };
    expect(resolveConnection({}, env)).toEqual({ url: 'http://env.example:1234', token: 'env-token' });
    expect(resolveConnection({ url: 'https://api.example/prod/', token: 'flag-token' }, env)).toEqual({ url: 'https://api.example/prod', token: 'flag-token' });
  });

  it('says where a token comes from when there is none', () => {
    expect(() => resolveConnection({}, {})).toThrow(/STAFF_TOKEN[\s\S]*--token|--token[\s\S]*STAFF_TOKEN/);
    expect(() => resolveConnection({}, { STAFF_TOKEN: '   ' })).toThrow(UsageError);
  });

  it.each(['ftp://example.com', 'not a url', 'http://x/?a=1'])('refuses the URL %s', (url) => {
    expect(() => resolveConnection({ url }, TOKEN_ENV)).toThrow(UsageError);
  });

  it('refuses a token that cannot go in a header', () => {
    expect(() => resolveConnection({ token: '令牌' }, {})).toThrow(UsageError);
  });
});

describe('callbacks command line: output', () => {
  it('formats waiting times', () => {
    expect(formatDuration(30_000)).toBe('不到1分钟');
    expect(formatDuration(-5_000)).toBe('不到1分钟');
    expect(formatDuration(12 * 60_000)).toBe('12分钟');
    expect(formatDuration((3 * 60 + 5) * 60_000)).toBe('3小时05分');
    expect(formatDuration((50 * 60 + 59) * 60_000)).toBe('2天2小时');
  });

  it('shows times in Beijing time', () => {
    expect(formatTime('2026-11-29T16:30:00.000Z')).toBe('2026-11-30 00:30');
    expect(formatTime(null)).toBe('—');
  });

  it('counts Chinese characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('晚上七点')).toBe(8);
    expect(displayWidth('ＡＢ')).toBe(4);
  });

  it('aligns the queue by display width', () => {
    const table = formatList(
      [sampleCallback(), sampleCallback({ id: 'ffffffffffffffffffff', window: 'evening', topic: null, topicLabel: null, attempts: 2, createdAt: '2026-11-28T08:00:00.000Z' })],
      NOW,
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    // The code column (4 digits, or its header) starts at the same terminal column on every line.
    const codeColumn = (line: string, cell: string) => displayWidth(line.slice(0, line.indexOf(cell)));
    expect(codeColumn(lines[1]!, '4821')).toBe(codeColumn(lines[0]!, '编号'));
    expect(codeColumn(lines[2]!, '4821')).toBe(codeColumn(lines[0]!, '编号'));
    expect(lines[1]).toContain('2小时05分');
    expect(lines[2]).toContain('1天2小时');
    expect(lines[1]).toContain('跟平台协商还款');
  });

  it('shows a texter\'s question as the topic when the request came without one, and their words in show', () => {
    const texted = sampleCallback({ topic: null, topicLabel: null, topics: ['report-police'], topicLabels: ['报警求助'], question: '他们说要去我单位闹' });
    expect(formatList([texted], NOW).split('\n')[1]!.split(/ {2,}/)[4]).toBe('报警求助');
    const shown = formatCallback(texted, NOW);
    expect(shown).toMatch(/话题 +报警求助/);
    expect(shown).not.toContain('也问过');
    expect(shown).toContain('“他们说要去我单位闹”');
  });

  it('masks the number in the queue even for the claim holder', () => {
    const table = formatList([sampleCallback({ status: 'claimed', claimedBy: 'alice', phone: '+8613812345678', phoneVisible: true })], NOW);
    expect(table).not.toContain('13812345678');
    expect(table).toContain('+86 138****5678');
    expect(table).toContain('处理中 alice');
  });

  it('neutralises terminal escapes in fields people typed', () => {
    expect(safeText('a\u001b[31mred\u001b[0m')).toBe('a\ufffd[31mred\ufffd[0m');
    expect(safeText('one\ntwo')).toBe('one two');
    expect(safeText('x\u202ey')).toBe('x\ufffdy');
    const table = formatList([sampleCallback({ window: '\u001b]0;owned\u0007' })], NOW);
    expect(table).not.toContain('\u001b');
    expect(table).not.toContain('\u0007');
  });

  it('shows a request with its outcome, note and history', () => {
    const text = formatCallback(
      sampleCallback({
        status: 'done',
        outcome: 'reached',
        note: '讲了协商步骤\n下周再联系',
        closedAt: '2026-11-29T09:00:00.000Z',
        closedBy: 'alice',
        attempts: 1,
        history: [
          { at: '2026-11-29T07:55:00.000Z', by: 'sms', action: 'requested', detail: 'sms window=晚上七点到九点' },
          { at: '2026-11-29T08:00:00.000Z', by: 'alice', action: 'claimed' },
          { at: '2026-11-29T09:00:00.000Z', by: 'alice', action: 'outcome', detail: 'reached: 讲了协商步骤' },
        ],
      }),
      NOW,
    );
    expect(text).toContain('已结束·已接通');
    expect(text).toMatch(/备注 +讲了协商步骤\n +下周再联系/);
    expect(text).toContain('等了1小时05分');
    expect(text).toMatch(/2026-11-29 17:00 +alice +记录结果 +reached: 讲了协商步骤/);
    expect(text).toMatch(/2026-11-29 15:55 +来电者（短信） +请求回电/);
  });

  it('marks urgent rows in the queue, keeping every column', () => {
    const lines = formatList([sampleCallback({ id: 'u'.repeat(20), urgent: true }), sampleCallback(), sampleCallback({ id: 'c'.repeat(20), urgent: true, status: 'claimed', claimedBy: 'bob' })], NOW).split('\n');
    expect(lines[1]!.split(/ {2,}/)).toEqual(['u'.repeat(20), '紧急·待回电', '晚上七点到九点', '2小时05分', '跟平台协商还款', '0', '4821', '+86 138****5678']);
    expect(lines[2]!.split(/ {2,}/)[1]).toBe('待回电');
    expect(lines[3]!.split(/ {2,}/)[1]).toBe('紧急·处理中 bob');
  });

  it('orders a page urgent first, then oldest first, adding urgent requests from later pages once', () => {
    const old = sampleCallback({ id: 'old', createdAt: '2026-11-29T01:00:00.000Z' });
    const young = sampleCallback({ id: 'young', createdAt: '2026-11-29T03:00:00.000Z' });
    const urgentOnPage = sampleCallback({ id: 'urgent-on-page', urgent: true, createdAt: '2026-11-29T04:00:00.000Z' });
    const urgentLater = sampleCallback({ id: 'urgent-later', urgent: true, createdAt: '2026-11-29T02:00:00.000Z' });
    const ordered = queueOrder('open', { items: [old, young, urgentOnPage], urgentAfter: [urgentLater, urgentOnPage] });
    expect(ordered.items.map((i) => i.id)).toEqual(['urgent-later', 'urgent-on-page', 'old', 'young']);
    expect(ordered.later).toBe(1);
    expect(queueOrder('open', { items: [young, old] }).items.map((i) => i.id)).toEqual(['old', 'young']);
    const done = [sampleCallback({ id: 'd1', status: 'done' }), sampleCallback({ id: 'd2', status: 'done', urgent: true })];
    expect(queueOrder('done', { items: done }).items.map((i) => i.id)).toEqual(['d1', 'd2']);
  });

  it('says in show whether a request is urgent, and what to do first when it is', () => {
    const urgent = formatCallback(sampleCallback({ urgent: true }), NOW);
    expect(urgent).toMatch(/\n {2}紧急 +是\n +来电人表达了轻生或绝望的想法：先确认对方现在是否安全/);
    expect(urgent).toContain('12356');
    const plain = formatCallback(sampleCallback(), NOW);
    expect(plain).toMatch(/\n {2}紧急 +否\n/);
    expect(plain).not.toContain('轻生');
  });

  it('counts CSV rows without counting line breaks inside a note', () => {
    expect(csvRowCount('\ufeffid,note\r\n1,"a\r\nb"\r\n2,c\r\n')).toBe(2);
    expect(csvRowCount('\ufeffid,note\r\n')).toBe(0);
  });
});

describe('callbacks command line: running against a fake server', () => {
  it('prints the usage in Chinese and English without needing a token', async () => {
    const fetch = fakeFetch(() => jsonResponse(500, {}));
    const result = await run(['--help'], {}, fetch);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(USAGE);
    expect(result.stdout).toMatch(/用法/);
    expect(result.stdout).toMatch(/usage/);
    expect(fetch.calls).toHaveLength(0);
  });

  it('exits 2 without a token and sends nothing', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, { items: [], cursor: null }));
    const result = await run(['list'], {}, fetch);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('STAFF_TOKEN');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fetch.calls).toHaveLength(0);
  });

  it('exits 2 for a usage error and sends nothing', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, {}));
    const result = await run(['outcome', 'abc', 'maybe'], TOKEN_ENV, fetch);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('help');
    expect(fetch.calls).toHaveLength(0);
  });

  it('sends the token and an encoded id to the route', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, sampleCallback({ status: 'claimed', claimedBy: 'alice', phone: '+8613812345678', phoneVisible: true })));
    const result = await run(['claim', 'a/b?c', '--url', 'http://h.example/stage/'], TOKEN_ENV, fetch);
    expect(result.code).toBe(0);
    expect(fetch.calls).toEqual([
      { url: 'http://h.example/stage/staff/callbacks/a%2Fb%3Fc/claim', method: 'POST', headers: expect.objectContaining({ authorization: `Bearer ${TOKEN_ENV.STAFF_TOKEN}`, 'content-type': 'application/json' }), body: '{}' },
    ]);
    expect(result.stdout).toContain('请拨打 +8613812345678');
    expect(result.stdout).toContain('编号 4821');
  });

  it('sends the outcome and note as JSON', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, sampleCallback({ attempts: 1 })));
    const result = await run(['outcome', 'abc', 'no-answer', '--note', '关机'], TOKEN_ENV, fetch);
    expect(result.code).toBe(0);
    expect(fetch.calls[0]!.url).toBe('http://127.0.0.1:3000/staff/callbacks/abc/outcome');
    expect(JSON.parse(fetch.calls[0]!.body!)).toEqual({ outcome: 'no-answer', note: '关机' });
    expect(result.stdout).toContain('累计未接通 1 次，已放回队列');
  });

  it('follows the cursor with --all', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [sampleCallback({ id: 'page1' })], cursor: 'c1' },
      c1: { items: [sampleCallback({ id: 'page2' })], cursor: 'c2' },
      c2: { items: [sampleCallback({ id: 'page3' })], cursor: null },
    };
    const fetch = fakeFetch((call) => jsonResponse(200, pages[new URL(call.url).searchParams.get('cursor') ?? '']));
    const result = await run(['list', '--all', '--limit', '1', '--json'], TOKEN_ENV, fetch);
    expect(result.code).toBe(0);
    expect(fetch.calls.map((c) => new URL(c.url).search)).toEqual(['?status=open&limit=1', '?status=open&limit=1&cursor=c1', '?status=open&limit=1&cursor=c2']);
    const printed = JSON.parse(result.stdout) as { items: StaffCallback[]; cursor: string | null };
    expect(printed.items.map((i) => i.id)).toEqual(['page1', 'page2', 'page3']);
    expect(printed.cursor).toBeNull();
  });

  it('stops when the server repeats a cursor', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, { items: [sampleCallback()], cursor: 'same' }));
    const result = await run(['list', '--all'], TOKEN_ENV, fetch);
    expect(result.code).toBe(1);
    expect(fetch.calls).toHaveLength(2);
  });

  it('says there are more pages without --all', async () => {
    const fetch = fakeFetch(() => jsonResponse(200, { items: [sampleCallback()], cursor: 'next' }));
    const result = await run(['list'], TOKEN_ENV, fetch, NOW);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--all');
    expect(fetch.calls).toHaveLength(1);
  });

  it('asks for the urgent requests on later pages and lists them first', async () => {
    const later = sampleCallback({ id: 'urgent-later-page', urgent: true, createdAt: '2026-11-29T09:00:00.000Z' });
    const fetch = fakeFetch(() => jsonResponse(200, { items: [sampleCallback()], cursor: 'next', urgentAfter: [later] }));
    const result = await run(['list', '--limit', '1'], TOKEN_ENV, fetch, NOW);
    expect(result.code).toBe(0);
    expect(fetch.calls).toHaveLength(1);
    expect(new URL(fetch.calls[0]!.url).search).toBe('?status=open&limit=1&urgentAfter=true');
    const rows = result.stdout.split('\n');
    expect(rows[1]).toMatch(/^urgent-later-page +紧急·待回电 /);
    expect(rows[2]).toMatch(/^a1b2c3d4e5f6a7b8c9d0 +待回电 /);
    expect(result.stdout).toContain('待回电 1 条（本页），另有后面几页里紧急的 1 条，紧急的在前，其余按约定时间。');
    // Closed requests: no such question.
    const done = fakeFetch(() => jsonResponse(200, { items: [sampleCallback({ status: 'done', outcome: 'reached' })], cursor: null }));
    await run(['list', '--status', 'done'], TOKEN_ENV, done, NOW);
    expect(new URL(done.calls[0]!.url).searchParams.has('urgentAfter')).toBe(false);
  });

  it("prints the API's Chinese message and exits 1", async () => {
    const fetch = fakeFetch(() => jsonResponse(409, { error: 'closed', message: '这条回电请求已经结束（已接通），不能再操作。' }));
    const result = await run(['release', 'abc'], TOKEN_ENV, fetch);
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: '✗ 这条回电请求已经结束（已接通），不能再操作。\n' });
  });

  it("words API Gateway's own English answers in Chinese", async () => {
    const fetch = fakeFetch(() => jsonResponse(401, { message: 'Unauthorized' }));
    const result = await run(['list'], TOKEN_ENV, fetch);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('登录已失效或令牌不对');
    expect(result.stderr).not.toContain('Unauthorized');
    expect(result.stderr).toContain('STAFF_TOKEN');
  });

  it('says to check the URL when no route answers (404 without the staff API\'s error)', async () => {
    const fetch = fakeFetch(() => jsonResponse(404, { message: 'Not Found' }));
    const result = await run(['show', 'abc', '--url', 'http://h.example/wrong-stage'], TOKEN_ENV, fetch);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('找不到');
    expect(result.stderr).toContain('http://h.example/wrong-stage');
    // The staff API's own 404 names the request: no hint about the address then.
    const known = await run(['show', 'abc'], TOKEN_ENV, fakeFetch(() => jsonResponse(404, { error: 'not-found', message: '找不到这条回电请求，可能已过期删除。' })));
    expect(known).toMatchObject({ code: 1, stderr: '✗ 找不到这条回电请求，可能已过期删除。\n' });
  });

  it('exits 1 when the URL answers with something other than the staff API', async () => {
    const fetch = fakeFetch(() => new Response('<html>hello</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const result = await run(['show', 'abc'], TOKEN_ENV, fetch);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('http://127.0.0.1:3000');
  });

  it('exits 3 and names the URL when the network fails', async () => {
    const fetch = fakeFetch(() => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })));
    const result = await run(['list', '--url', 'http://10.0.0.9:8080'], TOKEN_ENV, fetch);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('http://10.0.0.9:8080');
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  it('reports a timeout as a network failure', async () => {
    // Answers after 300 ms, unless the client gave up before (after 10 ms here).
    const fetch: FetchLike = (_url, init) =>
      new Promise((resolve, reject) => {
        const answer = setTimeout(() => resolve(jsonResponse(200, { items: [], cursor: null })), 300);
        init.signal?.addEventListener('abort', () => {
          clearTimeout(answer);
          reject(init.signal?.reason);
        });
      });
    const result = await run(['list', '--url', 'http://slow.example'], TOKEN_ENV, fetch, undefined, 10);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('http://slow.example（timeout）');
  });

  it('writes the export to --out and prints it otherwise', async () => {
    const csv = '\ufeffid,note\r\n1,a\r\n2,b\r\n';
    const fetch = fakeFetch(() => new Response(csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } }));
    const toFile = await run(['export', '--from', '2026-11-01', '--out', 'out.csv'], TOKEN_ENV, fetch);
    expect(toFile.code).toBe(0);
    expect(toFile.files.get('out.csv')).toBe(csv);
    expect(toFile.stdout).toContain('2');
    expect(new URL(fetch.calls[0]!.url).search).toBe('?from=2026-11-01');
    const toStdout = await run(['export'], TOKEN_ENV, fetch);
    expect(toStdout.stdout).toBe(csv);
  });

});

describe('callbacks command line against the local hotline', () => {
  const hotline = useStaffHotline();
  let counter = 0;

  const as = (token: string) => ({ HOTLINE_URL: hotline().url, STAFF_TOKEN: token });
  const cli = (argv: string[], token = ALICE) => run(argv, as(token), fetch);

  async function newRequest(urgent = false): Promise<{ id: string; code: string; phone: string }> {
    counter += 1;
    const local = `1381234${String(5000 + counter).padStart(4, '0')}`;
    const { request } = await hotline().store.requestCallback({
      phone: local,
      window: '晚上七点到九点',
      due: { from: new Date(Date.now() + 3_600_000).toISOString(), until: new Date(Date.now() + 3 * 3_600_000).toISOString() },
      topic: 'negotiate',
      channel: 'sms',
      sourceSid: `SMcli${String(counter).padStart(29, '0')}`,
      ...(urgent ? { urgent } : {}),
    });
    return { id: request.id, code: request.code, phone: local };
  }

  /** The cells of the queue row for `id` (columns are two or more spaces apart). */
  function row(stdout: string, id: string): string[] {
    const line = stdout.split('\n').find((l) => l.startsWith(id));
    expect(line, `row for ${id} in:\n${stdout}`).toBeDefined();
    return line!.split(/ {2,}/);
  }

  it('works a request from the queue to done: no answer, then reached with a note', async () => {
    const { id, code, phone } = await newRequest();
    const masked = `+86 ${phone.slice(0, 3)}****${phone.slice(-4)}`;

    const first = await cli(['list']);
    expect(first.code).toBe(0);
    // The topic's menu label is content (staff may reword it): read it from there.
    // The promised time in Beijing time, with where it stands now (今天 19:00–21:00 or a date).
    expect(row(first.stdout, id)).toEqual([id, '待回电', expect.stringMatching(/^还没到时间 .*\d\d:\d\d–.*\d\d:\d\d$/), expect.any(String), topic(bundledContent(), 'negotiate').menuLabel, '0', code, masked]);

    const claim = await cli(['claim', id]);
    expect(claim.code).toBe(0);
    expect(claim.stdout).toContain(`请拨打 +86${phone}`);

    const noAnswer = await cli(['outcome', id, 'no-answer']);
    expect(noAnswer).toMatchObject({ code: 0, stderr: '' });

    const second = await cli(['list']);
    expect(row(second.stdout, id)[5]).toBe('1');

    expect((await cli(['claim', id])).code).toBe(0);
    const reached = await cli(['outcome', id, 'reached', '--note', '讲了协商步骤']);
    expect(reached.code).toBe(0);
    expect(reached.stdout).toContain('请求已结束');

    const stored = await hotline().store.get(id);
    expect(stored).toMatchObject({ status: 'done', outcome: 'reached', note: '讲了协商步骤', attempts: 1, closedBy: 'alice' });

    const show = await cli(['show', id]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('已结束·已接通');
    expect(show.stdout).toMatch(/备注 +讲了协商步骤/);
    const history = show.stdout.slice(show.stdout.indexOf('历史'));
    expect(history.match(/alice +认领/g)).toHaveLength(2);
    expect(history).toMatch(/alice +记录结果 +no-answer/);
    expect(history).toMatch(/alice +记录结果 +reached: 讲了协商步骤/);
    expect(history.indexOf('no-answer')).toBeLessThan(history.indexOf('reached'));

    const done = await cli(['list', '--status', 'done']);
    expect(row(done.stdout, id)[1]).toBe('已结束·已接通');
  });

  it("refuses bob's claim on alice's request with the Chinese conflict message", async () => {
    const { id } = await newRequest();
    expect((await cli(['claim', id], ALICE)).code).toBe(0);
    const bob = await cli(['claim', id], BOB);
    expect(bob.code).toBe(1);
    expect(bob.stdout).toBe('');
    expect(bob.stderr).toContain('这条回电请求已被 alice 认领');
    expect(await hotline().store.get(id)).toMatchObject({ status: 'claimed', claimedBy: 'alice' });
  });

  it('shows bob only the masked number of a request alice holds', async () => {
    const { id, phone } = await newRequest();
    await cli(['claim', id], ALICE);
    const bob = await cli(['show', id], BOB);
    expect(bob.code).toBe(0);
    expect(bob.stdout).not.toContain(phone);
    expect(bob.stdout).toContain('处理中 alice');
  });

  it('releases a claim back to the queue', async () => {
    const { id } = await newRequest();
    await cli(['claim', id]);
    const release = await cli(['release', id]);
    expect(release.code).toBe(0);
    expect(await hotline().store.get(id)).toMatchObject({ status: 'open' });
  });

  it('exits 1 with the 401 message for a wrong token', async () => {
    const result = await cli(['list'], 'not-a-staff-token-at-all');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('请先登录');
    expect(result.stdout).toBe('');
  });

  it('exits 1 with the not-found message for an unknown id, encoded into one path segment', async () => {
    const result = await cli(['show', '../callbacks']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('找不到这条回电请求');
  });

  it('pages through the whole queue with --all', async () => {
    const ids = [(await newRequest()).id, (await newRequest()).id, (await newRequest()).id];
    const one = await cli(['list', '--limit', '1']);
    expect(one.stdout).toContain('--all');
    const all = await cli(['list', '--limit', '1', '--all', '--json']);
    expect(all.code).toBe(0);
    const page = JSON.parse(all.stdout) as { items: StaffCallback[]; cursor: string | null };
    expect(page.cursor).toBeNull();
    expect(page.items.map((i) => i.id)).toEqual(expect.arrayContaining(ids));
    expect(page.items.every((i) => i.status === 'open')).toBe(true);
  });

  it('exports closed requests as CSV to a file', async () => {
    const { id } = await newRequest();
    await cli(['claim', id]);
    await cli(['outcome', id, 'declined', '--note', '=1+1']);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const result = await cli(['export', '--from', today, '--to', today, '--out', 'today.csv']);
    expect(result.code).toBe(0);
    const csv = result.files.get('today.csv') ?? '';
    expect(csv.startsWith('\ufeffid,')).toBe(true);
    expect(csv).toMatch(new RegExp(`^${id},.*,declined,`, 'm'));
    expect(result.stdout).toContain(`已导出 ${csvRowCount(csv)} 条`);
  });

  it('lists an urgent request first, marked, also when it is beyond the page; show and claim say what to do', async () => {
    const older = [(await newRequest()).id, (await newRequest()).id];
    const { id, code } = await newRequest(true);

    const list = await cli(['list', '--all']);
    expect(list.code).toBe(0);
    const rows = list.stdout.split('\n').slice(1).filter((l) => /^[0-9a-f]{20} /.test(l));
    expect(rows[0]!.split(/ {2,}/).slice(0, 2)).toEqual([id, '紧急·待回电']);
    expect(rows.filter((l) => l.includes('紧急·')).map((l) => l.slice(0, 20))).toEqual([id]);
    for (const other of older) expect(row(list.stdout, other)[1]).toBe('待回电');
    expect(list.stdout).toContain('紧急的在前');

    // One page of the oldest: the urgent request is not on it, and is still listed first.
    const one = await cli(['list', '--limit', '1']);
    expect(one.stdout.split('\n')[1]!.startsWith(id)).toBe(true);
    expect(one.stdout).toContain('另有后面几页里紧急的 1 条');
    expect(one.stdout).toContain('--all');

    const show = await cli(['show', id]);
    expect(show.stdout).toMatch(/紧急 +是/);
    expect(show.stdout).toContain('12356');
    expect(show.stdout).toMatch(/来电者（短信） +请求回电 +sms urgent window=晚上七点到九点/);
    expect((await cli(['show', older[0]!])).stdout).toMatch(/紧急 +否/);

    const claim = await cli(['claim', id]);
    expect(claim.stdout.split('\n')[0]).toBe('紧急：来电人表达了轻生或绝望的想法：先确认对方现在是否安全，必要时建议拨打110或120，并提供12356心理援助热线。');
    expect(claim.stdout).toContain(`编号 ${code}`);
    const claimed = await cli(['list', '--status', 'claimed']);
    expect(row(claimed.stdout, id)[1]).toBe('紧急·处理中 alice');
    expect((await cli(['outcome', id, 'reached'])).code).toBe(0);
    for (const other of older) {
      await cli(['claim', other]);
      await cli(['outcome', other, 'declined']);
    }
  });

  it('exits 3 and names the URL when the server is down', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const result = await run(['list'], { HOTLINE_URL: url, STAFF_TOKEN: ALICE }, fetch);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(url);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for a usage error before reaching the server', async () => {
    const result = await cli(['claim']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('claim <id>');
  });
});
