/**
 * The staff API from the browser: every request carries `Authorization: Bearer <token>`; errors
 * become `ApiError` with the API's Chinese message (or one of ours when there is none).
 */
import type { CallbackOutcome, CallbackStatus, StaffCallback, StaffCallbackPage, StaffError } from '../../lambdas/staff/contract';

/** Paths of the `staff*` routes in lambdas/http/routes.ts (copied: that module is not bundled). */
const PATHS = {
  me: '/staff/me',
  list: '/staff/callbacks',
  export: '/staff/callbacks/export.csv',
  one: (id: string) => `/staff/callbacks/${encodeURIComponent(id)}`,
} as const;

export class ApiError extends Error {
  // `declare`: no class-field helper in the ES2020 bundle.
  /** HTTP status, 0 when the server could not be reached. */
  declare readonly status: number;
  declare readonly body: StaffError | undefined;

  constructor(message: string, status: number, body?: StaffError) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

export interface Api {
  me(): Promise<string>;
  list(status: CallbackStatus): Promise<{ items: StaffCallback[]; more: boolean }>;
  show(id: string): Promise<StaffCallback>;
  /**
   * `version` is optional on the actions: the console sends none (the server lets only the holder
   * act, and claims atomically); with one, the server refuses a stale version with 409 "stale".
   */
  claim(id: string, version?: number): Promise<StaffCallback>;
  release(id: string, version?: number): Promise<StaffCallback>;
  outcome(id: string, outcome: CallbackOutcome, note: string, version?: number): Promise<StaffCallback>;
  exportCsv(from: string, to: string): Promise<{ blob: Blob; filename: string }>;
}

/** Pages read per list refresh (100 each): the queue shows at most this many × 100, plus urgent ones after them. */
const MAX_PAGES = 5;

function fallbackMessage(status: number): string {
  if (status === 401) return '登录已失效或令牌不对，请重新登录。';
  if (status === 403) return '没有权限做这件事。';
  if (status === 404) return '找不到这条回电请求，可能已过期删除。';
  if (status === 409) return '这条回电请求刚被别人改过，请刷新后再试。';
  if (status === 503 || status === 502 || status === 504) return '服务器暂时不可用，请稍后再试。';
  return `出错了（HTTP ${status}），请稍后再试。`;
}

/** The action's body, with `version` only when the caller passed one. */
function withVersion<T extends object>(body: T, version: number | undefined): T & { version?: number } {
  return version === undefined ? body : { ...body, version };
}

function isStaffError(value: unknown): value is StaffError {
  return typeof value === 'object' && value !== null && typeof (value as StaffError).error === 'string' && typeof (value as StaffError).message === 'string';
}

export function createApi(baseUrl: string, token: () => Promise<string | undefined>, onUnauthorized: (error: ApiError) => void): Api {
  const base = baseUrl.replace(/\/+$/, '');

  async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const bearer = await token();
    if (!bearer) {
      const error = new ApiError(fallbackMessage(401), 401);
      onUnauthorized(error);
      throw error;
    }
    const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(base + path, { method, headers, cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError('连不上服务器，请检查网络后再试。', 0);
    }
    if (response.ok) return response;
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      payload = undefined;
    }
    const staffError = isStaffError(payload) ? payload : undefined;
    const error = new ApiError(staffError?.message ?? fallbackMessage(response.status), response.status, staffError);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }

  async function json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError('服务器的回答无法读取，请稍后再试。', response.status);
    }
  }

  return {
    async me() {
      return (await json<{ staff: string }>('GET', PATHS.me)).staff;
    },
    async list(status) {
      const items: StaffCallback[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        // The last page read also asks for the urgent requests beyond it: they are shown first, so
        // none may hide among the ones not read (`StaffCallbackPage.urgentAfter`).
        const last = pages === MAX_PAGES - 1;
        const query = new URLSearchParams({ status, limit: '100', ...(cursor ? { cursor } : {}), ...(last ? { urgentAfter: 'true' } : {}) });
        const page: StaffCallbackPage = await json<StaffCallbackPage>('GET', `${PATHS.list}?${query}`);
        items.push(...page.items, ...(page.urgentAfter ?? []));
        cursor = page.cursor;
        pages++;
      } while (cursor && pages < MAX_PAGES);
      return { items, more: Boolean(cursor) };
    },
    show: (id) => json('GET', PATHS.one(id)),
    claim: (id, version) => json('POST', `${PATHS.one(id)}/claim`, withVersion({}, version)),
    release: (id, version) => json('POST', `${PATHS.one(id)}/release`, withVersion({}, version)),
    outcome: (id, outcome, note, version) => json('POST', `${PATHS.one(id)}/outcome`, withVersion({ outcome, ...(note ? { note } : {}) }, version)),
    async exportCsv(from, to) {
      const response = await send('GET', `${PATHS.export}?${new URLSearchParams({ from, to })}`);
      const disposition = response.headers.get('content-disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `callbacks-${from}-${to}.csv`;
      return { blob: await response.blob(), filename };
    },
  };
}
