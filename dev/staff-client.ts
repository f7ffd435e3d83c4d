/**
 * A small typed client for the staff API (`lambdas/staff/contract.ts`) over an injected `fetch`,
 * for the `callbacks` command line and tests. Paths come from `lambdas/http/routes.ts`.
 *
 * Every failure is one of two errors, so callers can tell them apart without reading messages:
 * - `StaffApiError`: the server answered, but not with success (4xx/5xx, or an answer that is not
 *   the staff API's JSON: a wrong URL). `message` is the server's Chinese message when it sent one.
 * - `StaffNetworkError`: no answer at all (connection refused, unknown host, timeout).
 */
import { ROUTES } from '../lambdas/http/routes';
import type { CallbackOutcome, CallbackStatus, StaffCallback, StaffCallbackPage, StaffError, StaffErrorCode } from '../lambdas/staff/contract';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface StaffClientOptions {
  /** `http://127.0.0.1:3000`, or the API's URL with its stage path; a trailing `/` is ignored. */
  baseUrl: string;
  token: string;
  fetch: FetchLike;
  /** Per request; a stuck server should not hang the terminal. Default 15 s. */
  timeoutMs?: number;
}

export interface ListQuery {
  status?: CallbackStatus;
  /** Page size, 1–100 (the server's default is 25). */
  limit?: number;
  cursor?: string;
  /** Also name the urgent requests on the pages after this one (`StaffCallbackPage.urgentAfter`). */
  urgentAfter?: boolean;
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
  /** Follows `cursor` to the last page; `maxPages` guards against a server that never stops. */
  listAll(query?: Omit<ListQuery, 'cursor' | 'urgentAfter'>, maxPages?: number): Promise<StaffCallbackPage>;
  show(id: string): Promise<StaffCallback>;
  claim(id: string, version?: number): Promise<StaffCallback>;
  release(id: string, version?: number): Promise<StaffCallback>;
  outcome(id: string, outcome: CallbackOutcome, note?: string, version?: number): Promise<StaffCallback>;
  /** The CSV text, byte-order mark included (Excel needs it for the Chinese). */
  exportCsv(query?: ExportQuery): Promise<string>;
}

/** The server answered, but not with what was asked for. */
export class StaffApiError extends Error {
  override readonly name = 'StaffApiError';
  constructor(
    /** HTTP status (a 2xx when the answer was not the expected JSON). */
    readonly status: number,
    /** The API's error code; undefined when the answer was not the staff API's JSON. */
    readonly code: StaffErrorCode | undefined,
    message: string,
    /** The parsed error body, when there was one (`current` for 409, `issues` for 400). */
    readonly body?: Partial<StaffError>,
  ) {
    super(message);
  }
}

/** No answer from the server. `message` names the URL; `reason` is short (`ECONNREFUSED`, `timeout`). */
export class StaffNetworkError extends Error {
  override readonly name = 'StaffNetworkError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${url}: ${reason}`);
  }
}

export const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_PAGES = 1000;
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

type StaffPath = (typeof ROUTES)[Extract<keyof typeof ROUTES, `staff${string}`>]['path'];

/** A route path with its `{id}` segment filled in (encoded: ids are opaque to the client). */
export function staffPath(path: StaffPath, id?: string): string {
  if (!path.includes('{id}')) return path;
  if (!id) throw new Error(`${path} needs an id`);
  return path.replace('{id}', encodeURIComponent(id));
}

function isObject(value: unknown): value is Record<string, unknown> {
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

/** The network failure's most telling part: `ECONNREFUSED`, `ENOTFOUND`, `timeout`, `bad port`… */
function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code ?? (current instanceof AggregateError ? (current.errors[0] as { code?: unknown } | undefined)?.code : undefined);
    if (typeof code === 'string' && code) return code;
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message;
}

export function createStaffClient(options: StaffClientOptions): StaffClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ response: Response; text: string }> {
    const url = `${baseUrl}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Decoded by hand: Response.text() drops the CSV's byte-order mark, which Excel needs.
      text = UTF8.decode(await response.arrayBuffer());
    } catch (error) {
      throw new StaffNetworkError(baseUrl, networkReason(error));
    }
    if (!response.ok) throw errorFrom(response, text, baseUrl);
    return { response, text };
  }

  async function sendJson(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const { response, text } = await send(method, path, body);
    const value = parseJson(text);
    if (value === undefined) throw new StaffApiError(response.status, undefined, `服务器的回答不是员工接口的 JSON（地址 ${baseUrl} 对吗？）`);
    return value;
  }

  async function callback(method: 'GET' | 'POST', path: string, body?: unknown): Promise<StaffCallback> {
    const value = await sendJson(method, path, body);
    if (!isStaffCallback(value)) throw unexpected();
    return value;
  }

  function unexpected(): StaffApiError {
    return new StaffApiError(200, undefined, `服务器的回答格式不对（地址 ${baseUrl} 对吗？）`);
  }

  async function list(query: ListQuery = {}): Promise<StaffCallbackPage> {
    const params = new URLSearchParams();
    if (query.status) params.set('status', query.status);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.urgentAfter) params.set('urgentAfter', 'true');
    const search = params.size ? `?${params}` : '';
    const value = await sendJson('GET', `${staffPath(ROUTES.staffList.path)}${search}`);
    if (!isPage(value)) throw unexpected();
    return value;
  }

  return {
    baseUrl,
    async me() {
      const value = await sendJson('GET', staffPath(ROUTES.staffMe.path));
      if (!isObject(value) || typeof value.staff !== 'string') throw unexpected();
      return { staff: value.staff };
    },
    list,
    async listAll(query = {}, maxPages = DEFAULT_MAX_PAGES) {
      const items: StaffCallback[] = [];
      const seen = new Set<string>();
      let cursor: string | null = null;
      for (let page = 0; page < maxPages; page++) {
        const answer: StaffCallbackPage = await list({ ...query, ...(cursor ? { cursor } : {}) });
        items.push(...answer.items);
        cursor = answer.cursor;
        if (!cursor) return { items, cursor: null };
        if (seen.has(cursor)) break;
        seen.add(cursor);
      }
      throw new StaffApiError(200, undefined, `翻页没有结束（超过 ${maxPages} 页或游标重复），已停止。`);
    },
    show: (id) => callback('GET', staffPath(ROUTES.staffShow.path, id)),
    claim: (id, version) => callback('POST', staffPath(ROUTES.staffClaim.path, id), version === undefined ? {} : { version }),
    release: (id, version) => callback('POST', staffPath(ROUTES.staffRelease.path, id), version === undefined ? {} : { version }),
    outcome: (id, outcome, note, version) =>
      callback('POST', staffPath(ROUTES.staffOutcome.path, id), { outcome, ...(note !== undefined ? { note } : {}), ...(version !== undefined ? { version } : {}) }),
    async exportCsv(query = {}) {
      const params = new URLSearchParams();
      if (query.from) params.set('from', query.from);
      if (query.to) params.set('to', query.to);
      const search = params.size ? `?${params}` : '';
      const { response, text } = await send('GET', `${staffPath(ROUTES.staffExport.path)}${search}`);
      if (!/^text\/csv\b/i.test(response.headers.get('content-type') ?? '')) {
        throw new StaffApiError(response.status, undefined, `服务器的回答不是 CSV（地址 ${baseUrl} 对吗？）`);
      }
      return text;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** The staff API's `{ error, message }`, API Gateway's `{ message }` (its JWT authorizer), or a generic message. */
function errorFrom(response: Response, text: string, baseUrl: string): StaffApiError {
  const body = parseJson(text);
  if (isObject(body) && typeof body.message === 'string' && body.message.trim()) {
    const code = typeof body.error === 'string' ? (body.error as StaffErrorCode) : undefined;
    return new StaffApiError(response.status, code, body.message, body as Partial<StaffError>);
  }
  return new StaffApiError(response.status, undefined, `服务器返回 HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}（地址 ${baseUrl} 对吗？）`);
}
