/**
 * The staff API's JSON shapes, shared by the handler, the web console and the CLI. Paths are in
 * `lambdas/http/routes.ts` (`staff*` routes); every request carries `Authorization: Bearer <token>`.
 * Clients call it through `client.ts`; the words staff read are in `labels.ts`.
 *
 * | route                                                     | body                           | answer                    |
 * | --------------------------------------------------------- | ------------------------------ | ------------------------- |
 * | GET  /staff/me                                            |                                | `{ staff }`               |
 * | GET  /staff/callbacks?status=&limit=&cursor=&urgentAfter= |                                | `StaffCallbackPage` (*)   |
 * | GET  /staff/callbacks/export.csv?from=&to=                |                                | CSV (text/csv)            |
 * | GET  /staff/callbacks/{id}                                |                                | `StaffCallback` (**)      |
 * | POST /staff/callbacks/{id}/claim                          | `{ version? }`                 | `StaffCallback`           |
 * | POST /staff/callbacks/{id}/release                        | `{ version? }`                 | `StaffCallback`           |
 * | POST /staff/callbacks/{id}/outcome                        | `{ outcome, note?, version? }` | `StaffCallback`           |
 * | GET  /staff/stats?from=&to=                               |                                | `StaffStats`              |
 * | GET  /staff/stats.csv?from=&to=                           |                                | CSV (text/csv), per day   |
 * | GET  /staff/inbox?labelled=&limit=&cursor=                |                                | `StaffInboxPage`          |
 * | POST /staff/inbox/{id}/label                              | `{ topic: TopicId \| null }`   | `StaffInboxQuestion`      |
 * | DELETE /staff/inbox/{id}                                  |                                | `{ id, deleted: true }`   |
 *
 * (**) with `history` and `earlier` (the same number's earlier requests). The inbox: `inbox-contract.ts`.
 *
 * (*) status open (default), claimed, unreached (未接通) or done. open, claimed and unreached: oldest
 * first (longest waiting); done: most recently created first. Pages
 * keep that order even for urgent requests; queues are shown urgent first (`compareQueue`), so a
 * client that shows fewer pages than there are asks `urgentAfter=true` on the last page it reads
 * and gets every urgent request on the pages after it in `urgentAfter` (see `StaffCallbackPage`).
 *
 * Errors are JSON `StaffError` with 400 (bad input), 401 (no valid token), 404 (unknown id),
 * 409 (someone else holds it, it is closed, or `version` is stale: `current` is the request as it
 * is now), 413, 503 (storage unavailable; try again), 500 (a bug; logged). A method or path with
 * no route never reaches the API: API Gateway answers 404 `{"message":"Not Found"}` itself (so does
 * the local server), and in AWS its JWT authorizer answers 401 `{"message":"Unauthorized"}`.
 */
import type { DueState } from '../callbacks/schedule';
import type { CallbackChannel, CallbackOutcome, CallbackStatus, DueSlot, HistoryEntry, NumberSource } from '../callbacks/store';

export type { CallbackOutcome, CallbackStatus, DueSlot, DueState, HistoryEntry, NumberSource };
export type * from './inbox-contract';

export interface StaffCallback {
  id: string;
  status: CallbackStatus;
  /** Full E.164 only for the staff member holding the claim; masked (`+86 138****5678`) for everyone else. */
  phone: string;
  /** True when `phone` is the full number. */
  phoneVisible: boolean;
  /** Reference code: staff say it first so the caller knows the call is genuine. */
  code: string;
  /** The time the caller was promised, in the words they heard (`明天晚上七点到九点`, said on the day it was made). */
  window: string;
  /** The same promise as instants; null for requests stored before due times. */
  due: DueSlot | null;
  /** Where `due` stands at the time of the answer (server clock): not yet, now, or past. */
  dueState: DueState | null;
  topic: string | null;
  /** The topic's menu label in Chinese, when there is a topic. */
  topicLabel: string | null;
  /** Every topic the person asked about (ids and Chinese labels, same order). */
  topics: string[];
  topicLabels: string[];
  /** What they wrote or said, long numbers masked (`*`), at most 140 characters. */
  question: string | null;
  channel: CallbackChannel;
  /** How we have the number: caller ID / SMS sender, or keyed in by whoever called (could be anyone). */
  numberSource: NumberSource | null;
  attempts: number;
  /** Unanswered calls since the person last asked; at the limit (default 3) the request is `unreached`. */
  missedInRow: number;
  repeats: number;
  /** The caller was in crisis (despair, self-harm): call back first. Stays true until done. */
  urgent: boolean;
  version: number;
  claimedBy: string | null;
  /** When the claim was taken; after the lease (2 h) another staff member may take it over. */
  claimedAt: string | null;
  outcome: CallbackOutcome | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Only in `GET /staff/callbacks/{id}` and in answers to POSTs. */
  history?: HistoryEntry[];
  /** Only in `GET /staff/callbacks/{id}`: the same number's requests before this one, by any channel, newest first (at most 5; expired ones are gone). */
  earlier?: StaffEarlierRequest[];
}

/** An earlier request of the same number, as much as staff need to see a pattern (its number is this one's). */
export interface StaffEarlierRequest {
  id: string;
  status: CallbackStatus;
  channel: CallbackChannel;
  /** Its reference code (each request has its own). */
  code: string;
  createdAt: string;
  closedAt: string | null;
  /** The last outcome recorded (`no-answer` on one that was never reached). */
  outcome: CallbackOutcome | null;
  /** Its last note (numbers masked). */
  note: string | null;
}

export interface StaffCallbackPage {
  items: StaffCallback[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  cursor: string | null;
  /**
   * Only with `urgentAfter=true` and status open or claimed: the urgent requests on the pages after
   * this one (oldest first, at most `URGENT_AFTER_MAX`, within the next 5,000 requests; empty on
   * the last page).
   *
   * Why not order the pages themselves urgent first: they walk the `by-status` index, sorted by
   * `createdAt`, and its cursor is a position in that order. An index sorted by urgency would need a
   * sort key derived from `createdAt` that the single conditional write of a repeat ask cannot
   * compute (DynamoDB cannot concatenate in an update), and a table change. Urgent requests are few
   * and queues short (the console reads up to 500, all of it in practice), so clients order what
   * they read, and this field makes sure no urgent request hides on a page they did not read, for
   * one filtered read of the rest of the queue only when they ask and there is a next page.
   */
  urgentAfter?: StaffCallback[];
}

/** At most this many requests in `urgentAfter`. */
export const URGENT_AFTER_MAX = 100;

export type StaffErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'not-found'
  | 'payload-too-large'
  | 'claimed-by-other'
  | 'closed'
  | 'stale'
  | 'not-claimed'
  | 'unavailable'
  | 'internal';

export interface StaffError {
  error: StaffErrorCode;
  /** Chinese, for people: what happened and what to do. */
  message: string;
  /** For 409: the request as it is now. */
  current?: StaffCallback;
  /** For 400: which fields were wrong. */
  issues?: { path: string; message: string }[];
}

/** The outcomes staff may record: the store's own list. */
export { CALLBACK_OUTCOMES as STAFF_OUTCOMES } from '../callbacks/store';

/** Urgent before not urgent (0 when both or neither are). */
export function compareUrgency(a: Pick<StaffCallback, 'urgent'>, b: Pick<StaffCallback, 'urgent'>): number {
  return Number(b.urgent === true) - Number(a.urgent === true);
}

/**
 * The order requests waiting for a call are worked in: urgent first, then by the time the caller was
 * promised (overdue before due now before upcoming), then the longest waiting.
 */
export function compareQueue(a: Pick<StaffCallback, 'urgent' | 'createdAt' | 'due'>, b: Pick<StaffCallback, 'urgent' | 'createdAt' | 'due'>): number {
  return compareUrgency(a, b) || (a.due?.from ?? a.createdAt).localeCompare(b.due?.from ?? b.createdAt) || a.createdAt.localeCompare(b.createdAt);
}

/**
 * What the console reads from `config.json` beside its `index.html`: the local server writes one
 * for token sign-in; the stack deploys one for Cognito's hosted UI (OIDC code flow with PKCE).
 */
export interface ConsoleConfig {
  /** Prefix of the staff API (`''` when the API is on the console's own origin). */
  apiBaseUrl: string;
  auth:
    | { mode: 'token' }
    | {
        mode: 'oidc';
        /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` (OIDC discovery lives there). */
        authority: string;
        clientId: string;
        /** The console's own URL (`https://d123.cloudfront.net/console/`). */
        redirectUri: string;
        scope: string;
        /** Cognito's hosted-UI logout (`https://<domain>/logout?client_id=…&logout_uri=…`): Cognito publishes no end_session_endpoint. */
        logoutUrl?: string;
      };
}

/**
 * `GET /staff/stats?from=YYYY-MM-DD&to=YYYY-MM-DD` (Beijing days, inclusive; default the last 30
 * days to today; at most `STATS_MAX_DAYS`): anonymous counts (`lambdas/stats/vocabulary.ts`), never
 * a number or a word anyone said. `days` has every day of the range, oldest first, zeros included,
 * so each field charts as a series; `total` is the same over the whole range.
 */
export interface StaffStats {
  from: string;
  to: string;
  days: StaffStatsDay[];
  total: StaffStatsFigures;
}

export const STATS_MAX_DAYS = 400;

export interface StaffStatsDay extends StaffStatsFigures {
  day: string;
}

export interface ChannelCounts {
  voice: number;
  sms: number;
}

export interface StaffStatsFigures {
  /** Calls answered, texts received. */
  contacts: ChannelCounts;
  /** Calls that reached the crisis answer; texts answered as a crisis. */
  crisis: ChannelCounts;
  /** By topic id, only topics with a count: a topic reached on the phone, or asked about by text (menu numbers or words). */
  topics: Record<string, ChannelCounts>;
  /** By menu group, only groups with a count: sub-menus opened. */
  groups: Record<string, ChannelCounts>;
  /** What became of people's own words (speech, free text): answered, asked back between two topics, not understood, crisis, threat. */
  understood: Record<'match' | 'ask' | 'nomatch' | 'crisis' | 'threat', ChannelCounts>;
  /** Texts by what they asked for (`crisis`, `menu`, `group`, `topic`, `ask`, `callback`, `code`, `opt-out`, `opt-in`), only those with a count. */
  smsIntents: Record<string, number>;
  /** Texts past the hourly reply limit; texts that got no reply at all. */
  smsLimited: number;
  smsUnanswered: number;
  /**
   * Calls by where they ended (Twilio's status callback), only positions with a count: `main`,
   * `group.<group>`, `topic.<topic>`, `ask`, `callback.<step>` (`window`: choosing a time,
   * `confirm` / `entered`: the number, `done`: after hearing the code) or `goodbye` (we hung up after silence).
   */
  callEnds: Record<string, number>;
  callbacks: StaffStatsCallbacks;
}

/** The callback funnel, counted when each step happened. */
export interface StaffStatsCallbacks {
  /** New requests by channel; `urgent` (crisis) is a part of them. */
  requested: { voice: number; sms: number; urgent: number };
  /** A number asking again while its request waited. */
  repeats: number;
  /** Requests given their first attempt by staff (the first outcome recorded on them). */
  firstAttempts: { normal: number; urgent: number };
  /** Every outcome recorded. */
  outcomes: Record<CallbackOutcome, number>;
  /** Requests moved to 未接通 after unanswered calls in a row. */
  unreached: number;
  /**
   * How long requests waited for their first attempt, from when staff could first call (creation,
   * or the start of the time the caller chose if later): counts by bucket (`le15m` … `le24h`, `gt24h`).
   */
  waits: { normal: Record<string, number>; urgent: Record<string, number> };
  /** p50 and p90 of that wait in minutes, estimated from the buckets; null without first attempts. */
  waitMinutes: { normal: WaitPercentiles | null; urgent: WaitPercentiles | null };
}

/**
 * Percentiles estimated by linear interpolation inside the bucket that holds them (as Prometheus'
 * histogram_quantile). A value in the open `gt24h` bucket is given as 1440: "a day or more".
 */
export interface WaitPercentiles {
  p50: number;
  p90: number;
  /** First attempts the estimate is made from. */
  count: number;
}
