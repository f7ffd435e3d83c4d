/**
 * The one client of the staff API (`contract.ts`), for the web console and the `callbacks` command
 * line. It runs over an injected `fetch` and uses nothing Node-only, so the console's browser bundle
 * includes it as it is. Paths come from `lambdas/http/routes.ts`.
 *
 * Every failure is a `StaffApiError` with a Chinese message staff can read:
 * - the server answered, but not with success: `status` is its HTTP status, `code` the API's error
 *   code (or the one the status stands for when the answer was not the staff API's JSON, such as
 *   API Gateway's own `{"message":"Not Found"}`), `body` the API's error when it sent one;
 * - the server answered 2xx with something that is not the staff API's answer (a wrong URL):
 *   `status` is that 2xx and `code` undefined;
 * - no answer at all (refused, unknown host, timeout): `status` 0, `reason` says why.
 */
import { ROUTES, type Route } from '../http/routes';
import type { CallbackOutcome, CallbackStatus, StaffCallback, StaffCallbackPage, StaffError, StaffErrorCode } from './contract';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface StaffClientOptions {
  /** `http://127.0.0.1:3000`, the API's URL with its stage path, or `''` for the page's own origin; a trailing `/` is ignored. */
  baseUrl: string;
  /** The bearer token now (the console's may be renewed), or undefined when signed out: then nothing is sent and the call fails as 401. */
  token: () => string | undefined | Promise<string | undefined>;
  fetch: FetchLike;
  /** Per request, the answer's body included: a stuck server must not hang the page or the terminal. */
  timeoutMs?: number;
  /** Told of every 401 before it is thrown (the console goes back to sign-in). */
  onUnauthorized?: (error: StaffApiError) => void;
}

export interface ListQuery {
  status?: CallbackStatus;
  /** Page size, 1–100 (the server's default is 25). */
  limit?: number;
  cursor?: string;
  /** Also name the urgent requests on the pages after this one (`StaffCallbackPage.urgentAfter`). */
  urgentAfter?: boolean;
}

export interface PagesOptions {
  /** Pages read at most; the answer's `cursor` is not null when there were more. */
  maxPages: number;
  /** Ask the last page read for the urgent requests beyond it, so none hides on a page not read. */
  urgentAfterLastPage?: boolean;
}

export interface ExportQuery {
  /** `YYYY-MM-DD`, China time. */
  from?: string;
  to?: string;
}

export interface StaffClient {
  readonly baseUrl: string;
  me(): Promise<{ staff: string }>;
  list(query?: ListQuery): Promise<StaffCallbackPage>;
  /** Follows `cursor` for up to `maxPages` pages: every item read, the last page's `urgentAfter` and `cursor`. */
  listPages(query: Omit<ListQuery, 'cursor' | 'urgentAfter'>, options: PagesOptions): Promise<StaffCallbackPage>;
  show(id: string): Promise<StaffCallback>;
  /**
   * `version` is optional on the actions: without it the server lets only the holder act and claims
   * atomically; with one, it refuses a stale version with 409 `stale`.
   */
  claim(id: string, version?: number): Promise<StaffCallback>;
  release(id: string, version?: number): Promise<StaffCallback>;
  /** An empty note is no note (the store keeps none). */
  outcome(id: string, outcome: CallbackOutcome, note?: string, version?: number): Promise<StaffCallback>;
  /** The CSV text, byte-order mark included (Excel needs it for the Chinese), and the server's file name. */
  exportCsv(query?: ExportQuery): Promise<{ csv: string; filename: string }>;
  /** Any staff route's CSV answer, as `exportCsv`; `fallbackName` when the server names no file (`stats-client.ts` uses it). */
  csv(path: string, fallbackName: string): Promise<{ csv: string; filename: string }>;
  /** Any staff route's JSON answer, refused unless `shaped` (the inbox's methods use it: `inbox-client.ts`). */
  call<T>(method: Route['method'], path: string, shaped: (value: unknown) => value is T, body?: unknown): Promise<T>;
}

interface StaffApiErrorInit {
  status: number;
  code?: StaffErrorCode | undefined;
  message: string;
  body?: StaffError | undefined;
  reason?: string | undefined;
}

/** Why a call to the staff API failed; see the module comment for the three kinds. */
export class StaffApiError extends Error {
  // `declare`: assigned in the constructor, so the console's ES2020 bundle needs no class-field helper.
  /** HTTP status; 0 when no answer came. */
  declare readonly status: number;
  /** The API's error code, or the one the status stands for; undefined when the status says nothing more. */
  declare readonly code: StaffErrorCode | undefined;
  /** The API's error body when it sent one (`current` for 409, `issues` for 400). */
  declare readonly body: StaffError | undefined;
  /** No answer only: `ECONNREFUSED`, `ENOTFOUND`, `timeout`… */
  declare readonly reason: string | undefined;

  constructor(init: StaffApiErrorInit) {
    super(init.message);
    this.name = 'StaffApiError';
    this.status = init.status;
    this.code = init.code;
    this.body = init.body;
    this.reason = init.reason;
  }

  /** False when the server could not be reached at all. */
  get answered(): boolean {
    return this.status !== 0;
  }
}

/** The 401 the console and the command line treat as "sign in again". */
export function isUnauthorized(error: unknown): error is StaffApiError {
  return error instanceof StaffApiError && error.status === 401;
}

/** The messages the client words itself; the server's own message wins whenever it sends one. */
export const CLIENT_MESSAGES = {
  unreachable: '连不上服务器，请检查网络后再试。',
  timeout: '服务器没有及时回答，请稍后再试。',
  repeatedCursor: '服务器的分页没有结束（同一页又出现了），已停止读取。',
} as const;

/**
 * What a status means when the answer is not the staff API's error (API Gateway's own answers, a
 * proxy, a wrong URL): the code it stands for and words for staff.
 */
const STATUS_FALLBACKS: Readonly<Record<number, { code?: StaffErrorCode; message: string }>> = {
  401: { code: 'unauthorized', message: '登录已失效或令牌不对，请重新登录。' },
  403: { message: '没有权限做这件事。' },
  404: { code: 'not-found', message: '找不到：这条回电请求可能已过期删除，或服务器地址不对。' },
  409: { message: '这条回电请求刚被别人改过，请刷新后再试。' },
  429: { message: '请求太频繁，请稍等一会儿再试。' },
  502: { code: 'unavailable', message: '服务器暂时不可用，请稍后再试。' },
  503: { code: 'unavailable', message: '服务器暂时不可用，请稍后再试。' },
  504: { code: 'unavailable', message: '服务器暂时不可用，请稍后再试。' },
};

export function fallbackMessage(status: number): string {
  return STATUS_FALLBACKS[status]?.message ?? `出错了（HTTP ${status}），请稍后再试。`;
}

/** A 2xx answer that is not the staff API's: most likely the address points somewhere else. */
export function unreadableMessage(baseUrl: string): string {
  return `服务器的回答不是员工接口的回答${baseUrl ? `（地址 ${baseUrl} 对吗？）` : '，请稍后再试'}。`;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** `ignoreBOM`: Response.text() would drop the CSV's byte-order mark, which Excel needs. */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

type StaffRouteName = Extract<keyof typeof ROUTES, `staff${string}`>;

/** A staff route's path with its `{id}` segment filled in (encoded: ids are opaque to the client). */
export function staffPath(route: StaffRouteName, id?: string): string {
  const path: string = ROUTES[route].path;
  if (!path.includes('{id}')) return path;
  if (!id) throw new Error(`${path} needs an id`);
  return path.replace('{id}', encodeURIComponent(id));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStaffCallback(value: unknown): value is StaffCallback {
  return isObject(value) && typeof value.id === 'string' && typeof value.status === 'string';
}

function isPage(value: unknown): value is StaffCallbackPage {
  return (
    isObject(value) &&
    Array.isArray(value.items) &&
    value.items.every(isStaffCallback) &&
    (value.cursor === null || typeof value.cursor === 'string') &&
    (value.urgentAfter === undefined || (Array.isArray(value.urgentAfter) && value.urgentAfter.every(isStaffCallback)))
  );
}

function isStaffError(value: unknown): value is StaffError {
  return isObject(value) && typeof value.error === 'string' && typeof value.message === 'string' && value.message.trim() !== '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** The network failure's most telling part: `ECONNREFUSED`, `ENOTFOUND`, `bad port`… (Node nests it in `cause`). */
function networkReason(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const first = typeof AggregateError !== 'undefined' && current instanceof AggregateError ? (current.errors[0] as { code?: unknown } | undefined) : undefined;
    const code = (current as { code?: unknown }).code ?? first?.code;
    if (typeof code === 'string' && code) return code;
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message;
}

/** The staff API's `{ error, message }`, else what the status stands for (API Gateway's `{ message }` is English). */
function errorFrom(status: number, text: string): StaffApiError {
  const body = parseJson(text);
  if (isStaffError(body)) return new StaffApiError({ status, code: body.error, message: body.message, body });
  return new StaffApiError({ status, code: STATUS_FALLBACKS[status]?.code, message: fallbackMessage(status) });
}

/** `?a=1&b=2` of the values given, or `''`. */
export function search(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function createStaffClient(options: StaffClientOptions): StaffClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Called as a plain function: the browser's fetch refuses to run with any other `this` than the window.
  const fetchImpl = options.fetch;

  function refuse(error: StaffApiError): never {
    if (error.status === 401) options.onUnauthorized?.(error);
    throw error;
  }

  async function send(method: Route['method'], path: string, body?: unknown): Promise<{ response: Response; text: string }> {
    const token = await options.token();
    if (!token) refuse(new StaffApiError({ status: 401, code: 'unauthorized', message: fallbackMessage(401) }));
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        // Answers carry full numbers for the claim holder: never from or into a browser cache.
        cache: 'no-store',
        signal: controller.signal,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      text = UTF8.decode(await response.arrayBuffer());
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new StaffApiError({ status: 0, message: timedOut ? CLIENT_MESSAGES.timeout : CLIENT_MESSAGES.unreachable, reason: timedOut ? 'timeout' : networkReason(error) });
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) refuse(errorFrom(response.status, text));
    return { response, text };
  }

  async function answer<T>(method: Route['method'], path: string, shaped: (value: unknown) => value is T, body?: unknown): Promise<T> {
    const { response, text } = await send(method, path, body);
    const value = parseJson(text);
    if (!shaped(value)) throw new StaffApiError({ status: response.status, message: unreadableMessage(baseUrl) });
    return value;
  }

  const action = (route: 'staffClaim' | 'staffRelease' | 'staffOutcome', id: string, body: object, version: number | undefined) =>
    answer('POST', staffPath(route, id), isStaffCallback, version === undefined ? body : { ...body, version });

  async function list(query: ListQuery = {}): Promise<StaffCallbackPage> {
    const params = { status: query.status, limit: query.limit?.toString(), cursor: query.cursor || undefined, urgentAfter: query.urgentAfter ? 'true' : undefined };
    return answer('GET', `${staffPath('staffList')}${search(params)}`, isPage);
  }

  async function csv(path: string, fallbackName: string): Promise<{ csv: string; filename: string }> {
    const { response, text } = await send('GET', path);
    if (!/^text\/csv\b/i.test(response.headers.get('content-type') ?? '')) throw new StaffApiError({ status: response.status, message: unreadableMessage(baseUrl) });
    const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
    return { csv: text, filename: named ?? fallbackName };
  }

  return {
    baseUrl,
    async me() {
      const value = await answer('GET', staffPath('staffMe'), (v): v is { staff: string } => isObject(v) && typeof v.staff === 'string');
      return { staff: value.staff };
    },
    list,
    async listPages(query, { maxPages, urgentAfterLastPage = false }) {
      const items: StaffCallback[] = [];
      const seen = new Set<string>();
      let page: StaffCallbackPage = { items: [], cursor: null };
      for (let read = 0; read < maxPages; read++) {
        const last = read === maxPages - 1;
        page = await list({ ...query, ...(page.cursor ? { cursor: page.cursor } : {}), urgentAfter: urgentAfterLastPage && last });
        items.push(...page.items);
        if (!page.cursor) break;
        // A server that hands out a cursor twice would be read for ever.
        if (seen.has(page.cursor)) throw new StaffApiError({ status: 200, message: CLIENT_MESSAGES.repeatedCursor });
        seen.add(page.cursor);
      }
      return { items, cursor: page.cursor, ...(page.urgentAfter ? { urgentAfter: page.urgentAfter } : {}) };
    },
    show: (id) => answer('GET', staffPath('staffShow', id), isStaffCallback),
    call: answer,
    claim: (id, version) => action('staffClaim', id, {}, version),
    release: (id, version) => action('staffRelease', id, {}, version),
    outcome: (id, outcome, note, version) => action('staffOutcome', id, { outcome, ...(note ? { note } : {}) }, version),
    csv,
    exportCsv(query = {}) {
      const days = [query.from, query.to].filter(Boolean).join('-');
      return csv(`${staffPath('staffExport')}${search({ from: query.from, to: query.to })}`, `callbacks${days ? `-${days}` : ''}.csv`);
    },
  };
}
