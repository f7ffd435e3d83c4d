/**
 * `npm run callbacks`: the staff's command line for callback requests. Argument parsing, the
 * commands and their output live here, free of process globals (argv, env, stdout, the network and
 * files are injected), so tests drive it end to end; `bin/callbacks.ts` is the thin entry.
 *
 * Exit codes: 0 done, 1 the API refused (its Chinese message on stderr), 2 usage error, 3 the
 * server could not be reached.
 */
import { writeFile as fsWriteFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CALLBACK_STATUSES } from '../lambdas/callbacks/store';
import type { CallbackOutcome, CallbackStatus, StaffCallbackPage } from '../lambdas/staff/contract';
import { STAFF_OUTCOMES } from '../lambdas/staff/contract';
import { createStaffClient, StaffApiError, type FetchLike, type StaffClient } from '../lambdas/staff/client';
import { CODE_LABEL, DUE_TEXT, FIELD_LABELS, NUMBER_SOURCE_TEXT, outcomeLabel, STATUS_LABELS, URGENT_TEXT } from '../lambdas/staff/labels';
import { localHotlineUrl } from './local-defaults';
import { csvRowCount, dueText, formatCallback, formatList, pretty, queueOrder, safeText, topicText } from './staff-cli-output';

export const DEFAULT_URL = localHotlineUrl({});

export const EXIT = { ok: 0, api: 1, usage: 2, network: 3 } as const;

export const USAGE = `回电请求命令行 / callbacks: the staff command line for callback requests

用法 / usage:
  npm run callbacks -- <命令 command> [选项 options]

命令 / commands:
  list [--status open|claimed|unreached|done] [--limit N] [--all] [--json]
      列出回电请求（默认${STATUS_LABELS.open} open，${URGENT_TEXT.label}的在前，其余按约定时间：${DUE_TEXT.overdue}的、${DUE_TEXT.due}的、
      ${DUE_TEXT.upcoming}的；每页 N 条，默认 25，最多 100；后面几页里的${URGENT_TEXT.label}请求也列出）；
      unreached 是连续几次没打通、移出队列的请求；--all 翻完所有页；--json 输出原始 JSON
      list requests (default: open, urgent first, then by the time promised: overdue, due now,
      upcoming; N per page, default 25, at most 100; urgent ones on later pages are listed too);
      unreached: requests that left the queue after several missed calls in a row;
      --all follows every page; --json prints the raw JSON
  show <id> [--json]
      查看一条请求和它的历史 / one request and its history
  claim <id> [--json]
      认领：之后只有你看得到完整号码 / claim it: then you alone see the full number
  release <id> [--json]
      放回队列 / give it back to the queue
  outcome <id> <reached|no-answer|wrong-number|declined> [--note "…"] [--json]
      记录结果：reached ${outcomeLabel('reached')}、no-answer ${outcomeLabel('no-answer')}（放回队列，未接通次数加一；连续 3 次
      移到“${STATUS_LABELS.unreached}”）、wrong-number ${outcomeLabel('wrong-number')}、declined ${outcomeLabel('declined')}
      record the outcome; no-answer puts it back in the queue with attempts + 1 (after 3 in a
      row: unreached)
  export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out 文件.csv]
      把${STATUS_LABELS.done}的请求导出为 CSV（按北京时间的日期，默认最近 30 天），输出到屏幕或文件
      closed requests as CSV (China dates, default the last 30 days), to stdout or a file
  help, --help
      这段说明 / this help

选项 / options:
  --url URL       热线地址 / the hotline's URL
                  （默认 default: 环境变量 $HOTLINE_URL，否则 otherwise http://127.0.0.1:$PORT，PORT 默认 3000）
  --token 令牌     员工令牌 / staff token（默认 default: 环境变量 $STAFF_TOKEN；
                  npm start 启动时会打印 / printed by npm start）

例子 / examples:
  STAFF_TOKEN=… npm run callbacks -- list
  npm run callbacks -- claim 3f2a9c…
  npm run callbacks -- outcome 3f2a9c… no-answer --note "关机"
  npm run callbacks -- export --from 2026-11-01 --out callbacks.csv

退出码 / exit codes: 0 成功 ok · 1 接口拒绝 API error · 2 用法不对 usage error · 3 连不上 network error
`;

/** The command line is wrong: exit 2, with the message and a pointer to `help`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command =
  | { kind: 'help' }
  | { kind: 'list'; status: CallbackStatus; limit?: number; all: boolean; json: boolean }
  | { kind: 'show' | 'claim' | 'release'; id: string; json: boolean }
  | { kind: 'outcome'; id: string; outcome: CallbackOutcome; note?: string; json: boolean }
  | { kind: 'export'; from?: string; to?: string; out?: string };

export interface Connection {
  url: string;
  token: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  status: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  note: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  out: { type: 'string' },
} as const;
type OptionName = keyof typeof OPTIONS;

const COMMON: OptionName[] = ['url', 'token', 'help'];
const COMMAND_OPTIONS: Record<Exclude<Command['kind'], 'help'>, OptionName[]> = {
  list: ['status', 'limit', 'all', 'json'],
  show: ['json'],
  claim: ['json'],
  release: ['json'],
  outcome: ['note', 'json'],
  export: ['from', 'to', 'out'],
};
/** Positional arguments after the command name. */
const COMMAND_ARGS: Record<Exclude<Command['kind'], 'help'>, string[]> = {
  list: [],
  show: ['<id>'],
  claim: ['<id>'],
  release: ['<id>'],
  outcome: ['<id>', '<reached|no-answer|wrong-number|declined>'],
  export: [],
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** `list --all` reads at most this many pages: a server that never stops must not hang the terminal. */
const MAX_PAGES = 1000;
/** The API's note limit (`LIMITS.note`); checked here so a long note fails before any request. */
const MAX_NOTE = 1000;

function isCommandName(name: string): name is Exclude<Command['kind'], 'help'> {
  return Object.hasOwn(COMMAND_OPTIONS, name);
}

/** A calendar date that exists (`2026-02-30` does not). */
function isRealDate(day: string): boolean {
  if (!DATE.test(day)) return false;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

/** Parses the arguments after `npm run callbacks --`. Throws UsageError. */
export function parseCommand(argv: readonly string[]): { command: Command; values: { url?: string; token?: string } } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const connection = { ...(values.url !== undefined ? { url: values.url } : {}), ...(values.token !== undefined ? { token: values.token } : {}) };
  const [name, ...args] = positionals;
  if (values.help || name === 'help') return { command: { kind: 'help' }, values: connection };
  if (name === undefined) throw new UsageError('缺少命令 / missing command (list, show, claim, release, outcome, export, help)');
  if (!isCommandName(name)) throw new UsageError(`没有这个命令 "${name}" / unknown command "${name}" (list, show, claim, release, outcome, export, help)`);

  const allowed = new Set<OptionName>([...COMMON, ...COMMAND_OPTIONS[name]]);
  for (const option of Object.keys(values) as OptionName[]) {
    if (values[option] !== undefined && !allowed.has(option)) throw new UsageError(`${name} 不接受 --${option} / ${name} takes no --${option}`);
  }
  const expected = COMMAND_ARGS[name];
  const synopsis = `${name} ${expected.join(' ')}`.trim();
  if (args.length < expected.length) throw new UsageError(`缺少参数，应为 / missing argument, expected: ${synopsis}`);
  if (args.length > expected.length) throw new UsageError(`多余的参数 / unexpected argument "${args[expected.length]}", expected: ${synopsis}`);
  const json = values.json ?? false;

  switch (name) {
    case 'list': {
      const status = values.status ?? 'open';
      if (!(CALLBACK_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status 只能是 / must be one of ${CALLBACK_STATUSES.join('|')}（收到 got "${status}"）`);
      let limit: number | undefined;
      if (values.limit !== undefined) {
        limit = /^\d+$/.test(values.limit) ? Number(values.limit) : Number.NaN;
        if (!(limit >= 1 && limit <= 100)) throw new UsageError(`--limit 应为 1 到 100 的整数 / must be a whole number from 1 to 100（收到 got "${values.limit}"）`);
      }
      return { command: { kind: 'list', status: status as CallbackStatus, ...(limit !== undefined ? { limit } : {}), all: values.all ?? false, json }, values: connection };
    }
    case 'show':
    case 'claim':
    case 'release':
      return { command: { kind: name, id: requireId(args[0]), json }, values: connection };
    case 'outcome': {
      const outcome = args[1] ?? '';
      if (!(STAFF_OUTCOMES as readonly string[]).includes(outcome)) throw new UsageError(`结果只能是 / outcome must be one of ${STAFF_OUTCOMES.join('|')}（收到 got "${outcome}"）`);
      const note = values.note;
      if (note !== undefined && [...note].length > MAX_NOTE) throw new UsageError(`备注最多 ${MAX_NOTE} 个字 / the note is longer than ${MAX_NOTE} characters`);
      return { command: { kind: 'outcome', id: requireId(args[0]), outcome: outcome as CallbackOutcome, ...(note !== undefined ? { note } : {}), json }, values: connection };
    }
    case 'export': {
      for (const key of ['from', 'to'] as const) {
        const day = values[key];
        if (day !== undefined && !isRealDate(day)) throw new UsageError(`--${key} 应为日期 YYYY-MM-DD / must be a date YYYY-MM-DD（收到 got "${day}"）`);
      }
      if (values.from && values.to && values.to < values.from) throw new UsageError(`--to ${values.to} 早于 / is before --from ${values.from}`);
      if (values.out !== undefined && !values.out.trim()) throw new UsageError('--out 需要文件名 / needs a file name');
      return {
        command: { kind: 'export', ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}), ...(values.out ? { out: values.out } : {}) },
        values: connection,
      };
    }
  }
}

function requireId(id: string | undefined): string {
  const trimmed = id?.trim();
  if (!trimmed) throw new UsageError('缺少请求 ID / missing request id');
  return trimmed;
}

/** `--url` / `HOTLINE_URL` / the default, and `--token` / `STAFF_TOKEN` (required). Throws UsageError. */
export function resolveConnection(values: { url?: string; token?: string }, env: Env): Connection {
  const url = (values.url ?? '').trim() || localHotlineUrl(env);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`地址不对 / not a URL: "${url}"（例如 e.g. ${DEFAULT_URL}）`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`地址应以 http:// 或 https:// 开头 / the URL must start with http:// or https://: "${url}"`);
  if (parsed.search || parsed.hash) throw new UsageError(`地址不能带 ? 或 # / the URL must not have a query or fragment: "${url}"`);
  const token = (values.token ?? env.STAFF_TOKEN ?? '').trim();
  if (!token) {
    throw new UsageError(
      '缺少员工令牌：用 --token 令牌，或设置环境变量 STAFF_TOKEN（npm start 启动时会打印令牌）。\n' +
        'Missing staff token: pass --token TOKEN or set STAFF_TOKEN (npm start prints one).',
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError('令牌里有不能用的字符（空格、中文等）/ the token has characters a token cannot have (spaces, non-ASCII)');
  return { url: parsed.href.replace(/\/+$/, ''), token };
}

// Output: dev/staff-cli-output.ts (tables, one request, queue order).
export * from './staff-cli-output';

// ---------------------------------------------------------------------------------------------
// Running

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  fetch: FetchLike;
  now?: () => Date;
  writeFile?: (path: string, data: string) => Promise<void>;
  timeoutMs?: number;
}

/** Runs one command line; returns the exit code. Never throws for expected failures. */
export async function runCallbacksCli(argv: readonly string[], io: CliIO): Promise<number> {
  let command: Command;
  let connection: Connection;
  try {
    const parsed = parseCommand(argv);
    command = parsed.command;
    if (command.kind === 'help') {
      io.stdout(USAGE);
      return EXIT.ok;
    }
    connection = resolveConnection(parsed.values, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`✗ ${error.message}\n  帮助 / help: npm run callbacks -- help\n`);
    return EXIT.usage;
  }

  const { url, token } = connection;
  const client = createStaffClient({ baseUrl: url, token: () => token, fetch: io.fetch, ...(io.timeoutMs !== undefined ? { timeoutMs: io.timeoutMs } : {}) });
  try {
    return await execute(command, client, io);
  } catch (error) {
    if (!(error instanceof StaffApiError)) throw error;
    if (!error.answered) {
      io.stderr(
        `✗ 连不上 ${url}（${error.reason}）。热线在运行吗？先在另一个终端里 npm start，或用 --url / HOTLINE_URL 指定地址。\n` +
          `  Cannot reach ${url} (${error.reason}). Is the hotline running? Start it with npm start, or pass --url / set HOTLINE_URL.\n`,
      );
      return EXIT.network;
    }
    io.stderr(`✗ ${safeText(error.message, false)}\n`);
    if (error.status === 401) io.stderr('  检查 --token 或环境变量 STAFF_TOKEN / check --token or STAFF_TOKEN\n');
    // Not the staff API's own 404 (that one names the request): no such route, so most likely not its address.
    if (error.status === 404 && !error.body) io.stderr(`  检查地址 / check the URL: ${url}（--url / HOTLINE_URL）\n`);
    return EXIT.api;
  }
}

async function execute(command: Exclude<Command, { kind: 'help' }>, client: StaffClient, io: CliIO): Promise<number> {
  const now = io.now?.() ?? new Date();
  switch (command.kind) {
    case 'list': {
      const query = { status: command.status, ...(command.limit !== undefined ? { limit: command.limit } : {}) };
      // One page of the queue also names the urgent requests on the pages after it: they go first.
      const page: StaffCallbackPage = command.all ? await client.listPages(query, { maxPages: MAX_PAGES }) : await client.list({ ...query, urgentAfter: command.status !== 'done' });
      if (command.all && page.cursor) {
        io.stderr(`✗ 翻了 ${MAX_PAGES} 页还没有结束，已停止。/ still more after ${MAX_PAGES} pages; stopped.\n`);
        return EXIT.api;
      }
      if (command.json) {
        io.stdout(pretty(page));
        return EXIT.ok;
      }
      const word = STATUS_LABELS[command.status];
      const { items, later } = queueOrder(command.status, page);
      if (!items.length) {
        io.stdout(`没有${word}的回电请求。/ No ${command.status} callback requests.\n`);
        return EXIT.ok;
      }
      io.stdout(`${formatList(items, now)}\n`);
      const urgent = items.some((i) => i.urgent);
      const order = command.status === 'done' ? '' : urgent ? `，${URGENT_TEXT.label}的在前，其余按约定时间` : '，按约定时间';
      const extra = later ? `，另有后面几页里${URGENT_TEXT.label}的 ${later} 条` : '';
      io.stdout(`${word} ${page.items.length} 条${page.cursor ? '（本页）' : ''}${extra}${order}。\n`);
      if (page.cursor) io.stdout('还有更多：加 --all 显示全部 / more pages: add --all\n');
      return EXIT.ok;
    }
    case 'show': {
      const request = await client.show(command.id);
      io.stdout(command.json ? pretty(request) : `${formatCallback(request, now)}\n`);
      return EXIT.ok;
    }
    case 'claim': {
      const request = await client.claim(command.id);
      if (command.json) {
        io.stdout(pretty(request));
        return EXIT.ok;
      }
      const id = safeText(request.id);
      io.stdout(
        [
          ...(request.urgent ? [`${URGENT_TEXT.label}：${URGENT_TEXT.guidance}`] : []),
          `已认领 ${id}。`,
          `请拨打 ${safeText(request.phone)}，接通后先说${CODE_LABEL} ${safeText(request.code)}。`,
          `${FIELD_LABELS.due}：${dueText(request, now)} · ${FIELD_LABELS.topic}：${topicText(request)} · ${FIELD_LABELS.attempts} ${request.attempts} 次`,
          ...(request.question ? [`原话：“${safeText(request.question)}”`] : []),
          ...(request.numberSource === 'keyed-in' ? [`注意：号码是${NUMBER_SOURCE_TEXT['keyed-in']}，接通后先确认是本人。`] : []),
          `打完后记录结果 / then record the outcome:`,
          `  npm run callbacks -- outcome ${id} reached|no-answer|wrong-number|declined [--note "…"]`,
          `打不了就放回 / or give it back: npm run callbacks -- release ${id}`,
        ].join('\n') + '\n',
      );
      return EXIT.ok;
    }
    case 'release': {
      const request = await client.release(command.id);
      io.stdout(command.json ? pretty(request) : `已放回队列：${safeText(request.id)}。\n`);
      return EXIT.ok;
    }
    case 'outcome': {
      const request = await client.outcome(command.id, command.outcome, command.note);
      if (command.json) {
        io.stdout(pretty(request));
        return EXIT.ok;
      }
      const what = outcomeLabel(command.outcome);
      const after =
        request.status === 'open'
          ? `累计未接通 ${request.attempts} 次，已放回队列。`
          : request.status === 'unreached'
            ? `连续 ${request.missedInRow} 次没打通，已移到“${STATUS_LABELS.unreached}”（list --status unreached 可以看到，仍可认领再打）。`
            : `请求${STATUS_LABELS.done}。`;
      io.stdout(`已记录 ${safeText(request.id)}：${what}，${after}\n`);
      return EXIT.ok;
    }
    case 'export': {
      const { csv } = await client.exportCsv({ ...(command.from ? { from: command.from } : {}), ...(command.to ? { to: command.to } : {}) });
      if (!command.out) {
        io.stdout(csv);
        return EXIT.ok;
      }
      try {
        await (io.writeFile ?? ((path, data) => fsWriteFile(path, data, 'utf8')))(command.out, csv);
      } catch (error) {
        const reason = (error as { code?: unknown }).code ?? (error instanceof Error ? error.message : String(error));
        io.stderr(`✗ 无法写入 / cannot write ${command.out}（${String(reason)}）\n`);
        return EXIT.api;
      }
      io.stdout(`已导出 ${csvRowCount(csv)} 条到 / exported to ${command.out}\n`);
      return EXIT.ok;
    }
  }
}
