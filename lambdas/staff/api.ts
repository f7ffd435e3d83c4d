/**
 * The staff API's core: a request (route, params, query, body, who is asking) in, a status and a
 * JSON (or CSV) body out. No HTTP or AWS here: the handler decodes events and checks tokens, the
 * store is injected, so tests drive this with a dynalite-backed store.
 */
import {
  CallbackConflictError,
  CallbackInputError,
  CallbackNotFoundError,
  type CallbackRequest,
  type CallbackStatus,
  type CallbackStore,
} from '../callbacks/store';
import type { RouteName } from '../http/routes';
import { addDays, daysBetween, instantAt, isCalendarDate, localTime } from '../shared/time-zone';
import { URGENT_AFTER_MAX, type StaffCallback, type StaffCallbackPage, type StaffError } from './contract';
import { callbacksCsv } from './csv';
import { parseClaimBody, parseExportQuery, parseListQuery, parseOutcomeBody, type InputIssue } from './input';
import { outcomeLabel } from './labels';
import { answerInbox } from './inbox-api';
import { toStaffCallback, toStaffEarlier, type TopicLabel } from './view';
import { statsCsv } from '../stats/csv';
import { buildStats, statsRange } from '../stats/report';
import type { StatsStore } from '../stats/store';

export interface StaffApiRequest {
  route: RouteName;
  params: Record<string, string>;
  query: URLSearchParams;
  body: string;
  /** The verified staff identity. */
  staff: string;
}

export type StaffApiResponse =
  | { status: number; json: unknown }
  | { status: 200; csv: string; filename: string };

export interface StaffApiDeps {
  store: CallbackStore;
  topicLabel: TopicLabel;
  /** The anonymous counts (`GET /staff/stats`); without it those routes answer 404. */
  stats?: Pick<StatsStore, 'read'>;
  now?: () => Date;
}

/** Staff are in mainland China: export dates are calendar days there (UTC+8 all year). */
const DEFAULT_EXPORT_DAYS = 30;
export const MAX_EXPORT_DAYS = 366;
/** One export's rows and bytes: below the Lambda's 6 MB response limit. A bigger range is refused, never cut. */
export const MAX_EXPORT_ROWS = 5_000;
export const MAX_EXPORT_BYTES = 5_000_000;
/**
 * Store calls one `urgentAfter` may make: each reads up to 100 queue items (up to 1,000 while it
 * finds no urgent one), so the walk stops after 5,000, far beyond this hotline's queues.
 */
const URGENT_AFTER_READS = 5;

export function createStaffApi(deps: StaffApiDeps): (request: StaffApiRequest) => Promise<StaffApiResponse> {
  const now = deps.now ?? (() => new Date());
  const view = (request: CallbackRequest, staff: string, withHistory = false) => toStaffCallback(request, staff, deps.topicLabel, now(), withHistory);

  async function handle(req: StaffApiRequest): Promise<StaffApiResponse> {
    const { store } = deps;
    const id = req.params.id ?? '';
    switch (req.route) {
      case 'staffMe':
        return { status: 200, json: { staff: req.staff } };
      case 'staffList': {
        const query = parseListQuery(req.query);
        if (!query.ok) return badRequest(query.issues);
        // The queue is worked oldest first; closed requests are looked up newest first. Pages stay in
        // that order; clients put urgent requests first (why: `StaffCallbackPage.urgentAfter`).
        const { status, limit, cursor, urgentAfter } = query.value;
        const newestFirst = status === 'done';
        const page = await store.listByStatus(status, { limit, newestFirst, ...(cursor ? { cursor } : {}) });
        const answer: StaffCallbackPage = { items: page.items.map((r) => view(r, req.staff)), cursor: page.cursor ?? null };
        if (urgentAfter && status !== 'done') answer.urgentAfter = page.cursor ? (await urgentFrom(status, page.cursor)).map((r) => view(r, req.staff)) : [];
        return { status: 200, json: answer };
      }
      case 'staffShow': {
        // In parallel: the earlier requests are found from this one's item, read by both.
        const [request, earlier] = await Promise.all([store.get(id), store.earlierRequests(id)]);
        return request ? { status: 200, json: { ...view(request, req.staff, true), earlier: earlier.map(toStaffEarlier) } } : notFound();
      }
      case 'staffClaim':
      case 'staffRelease': {
        const body = parseClaimBody(req.body);
        if (!body.ok) return badRequest(body.issues);
        const { version } = body.value;
        const changed = req.route === 'staffClaim' ? await store.claim(id, req.staff, version) : await store.release(id, req.staff, version);
        return { status: 200, json: view(changed, req.staff, true) };
      }
      case 'staffOutcome': {
        const body = parseOutcomeBody(req.body);
        if (!body.ok) return badRequest(body.issues);
        const { outcome, note, version } = body.value;
        return { status: 200, json: view(await store.recordOutcome(id, req.staff, outcome, note, version), req.staff, true) };
      }
      case 'staffExport':
        return exportCsv(req.query);
      case 'staffInbox':
      case 'staffInboxLabel':
      case 'staffInboxDelete': {
        const answer = await answerInbox({ route: req.route, id, query: req.query, body: req.body, staff: req.staff }, store, deps.topicLabel);
        return 'issues' in answer ? badRequest(answer.issues) : answer;
      }
      case 'staffStats':
      case 'staffStatsCsv': {
        if (!deps.stats) return { status: 404, json: error('not-found', '没有这个接口。') };
        const range = statsRange(req.query, chinaDate(now()));
        if (!range.ok) return badRequest(range.issues);
        const stats = buildStats(range.from, range.to, await deps.stats.read(range.from, range.to));
        return req.route === 'staffStats' ? { status: 200, json: stats } : { status: 200, csv: statsCsv(stats), filename: `stats-${range.from}-${range.to}.csv` };
      }
      default:
        return { status: 404, json: error('not-found', '没有这个接口。') };
    }
  }

  /** The urgent requests after `cursor` (one filtered walk of the rest of the queue, bounded). */
  async function urgentFrom(status: Exclude<CallbackStatus, 'done'>, start: string): Promise<CallbackRequest[]> {
    const found: CallbackRequest[] = [];
    let cursor: string | undefined = start;
    for (let reads = 0; cursor && found.length < URGENT_AFTER_MAX && reads < URGENT_AFTER_READS; reads++) {
      const page = await deps.store.listByStatus(status, { limit: 100, urgentOnly: true, cursor });
      found.push(...page.items);
      cursor = page.cursor;
    }
    return found.slice(0, URGENT_AFTER_MAX);
  }

  async function exportCsv(queryParams: URLSearchParams): Promise<StaffApiResponse> {
    const query = parseExportQuery(queryParams);
    if (!query.ok) return badRequest(query.issues);
    const today = chinaDate(now());
    const to = query.value.to ?? today;
    const from = query.value.from ?? (isCalendarDate(to) ? addDays(to, -DEFAULT_EXPORT_DAYS) : to);
    const start = dayStart(from);
    const end = dayStart(to);
    if (start === undefined) return badRequest([{ path: 'from', message: 'not a real date' }]);
    if (end === undefined) return badRequest([{ path: 'to', message: 'not a real date' }]);
    if (end < start) return badRequest([{ path: 'to', message: '`to` is before `from`' }]);
    if (daysBetween(from, to) >= MAX_EXPORT_DAYS) return badRequest([{ path: 'to', message: `at most ${MAX_EXPORT_DAYS} days at a time` }]);
    const endExclusive = instantAt(addDays(to, 1), 0).getTime();

    // Done requests expire after the retention period, so this walk is bounded by it.
    const rows: CallbackRequest[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.store.listByStatus('done', { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const r of page.items) {
        const closed = r.closedAt ? Date.parse(r.closedAt) : Number.NaN;
        if (closed >= start && closed < endExclusive) rows.push(r);
      }
      if (rows.length > MAX_EXPORT_ROWS) return tooBig(`more than ${MAX_EXPORT_ROWS} rows`);
      cursor = page.cursor;
    } while (cursor);
    rows.sort((a, b) => (a.closedAt ?? '').localeCompare(b.closedAt ?? ''));
    const csv = callbacksCsv(rows, deps.topicLabel);
    if (Buffer.byteLength(csv) > MAX_EXPORT_BYTES) return tooBig(`more than ${MAX_EXPORT_BYTES / 1_000_000} MB`);
    return { status: 200, csv, filename: `callbacks-${from}-${to}.csv` };
  }

  return async (req) => {
    try {
      return await handle(req);
    } catch (caught) {
      if (caught instanceof CallbackNotFoundError) return notFound();
      if (caught instanceof CallbackInputError) return badRequest([{ path: '(request)', message: caught.message }]);
      if (caught instanceof CallbackConflictError) return conflict(caught, req.staff);
      throw caught;
    }
  };

  function conflict(caught: CallbackConflictError, staff: string): StaffApiResponse {
    const current = caught.current ? view(caught.current, staff, true) : undefined;
    const message = conflictMessage(caught, current);
    return { status: 409, json: { ...error(caught.reason, message), ...(current ? { current } : {}) } };
  }
}

function conflictMessage(caught: CallbackConflictError, current: StaffCallback | undefined): string {
  switch (caught.reason) {
    case 'claimed-by-other':
      return `这条回电请求已被 ${current?.claimedBy ?? '其他同事'} 认领，请选择别的请求。`;
    case 'closed':
      return `这条回电请求已经结束${current?.outcome ? `（${outcomeLabel(current.outcome)}）` : ''}，不能再操作。`;
    case 'stale':
      return '这条回电请求刚被别人更新过，请刷新后再试。';
    case 'not-claimed':
      return '请先认领这条回电请求，再记录结果或放回。';
  }
}

function error(code: StaffError['error'], message: string, issues?: InputIssue[]): StaffError {
  return { error: code, message, ...(issues ? { issues } : {}) };
}

function badRequest(issues: InputIssue[]): StaffApiResponse {
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { status: 400, json: error('bad-request', `请求内容不对：${list}`, issues) };
}

function tooBig(what: string): StaffApiResponse {
  return { status: 400, json: error('bad-request', `这个日期范围的记录太多（${what}），请缩短日期范围分几次导出。`, [{ path: 'to', message: `range too large: ${what}` }]) };
}

function notFound(): StaffApiResponse {
  return { status: 404, json: error('not-found', '找不到这条回电请求，可能已过期删除。') };
}

/** The calendar day in China of an instant (`2026-11-28`). */
function chinaDate(instant: Date): string {
  return localTime(instant).date;
}

/** Epoch ms of 00:00 China time on that day, or undefined for a day that does not exist (`2026-02-30`). */
function dayStart(day: string): number | undefined {
  return isCalendarDate(day) ? instantAt(day, 0).getTime() : undefined;
}
