/**
 * CallbackStore on DynamoDB (dynalite locally). Single-item conditional writes only — dynalite has
 * no transactions — so every invariant is held by one item's condition:
 *
 * - `PHONE#<hash>` (one per number): `gen`, the generation of the number's current request;
 *   `prevGen`/`prevSids`, the sids applied to the previous one (replays after closing); `optedOut`.
 *   Written when a request closes (gen + 1, and an expiry: retention + 7 days, so every request it
 *   refers to is gone first) and on opt-out (no expiry) / opt-in (expiry when no request waits). A
 *   request written while the item has an expiry removes it: it never expires under a waiting request.
 * - `REQ#<id>` with `id = sha256(<hash>:<gen>)[0..20]`: the request. Because the id follows from
 *   (number, generation), "one open request per number" and "exactly once per sid" are the same
 *   conditional upsert: it creates the item, or updates it while open/claimed and while its `sids`
 *   set lacks this sid. Closing it (done) bumps the number's `gen`, so the next request gets a new id.
 * - `QUOTA#<kind>#<hash>#<windowStart>`: fixed-window counters (ADD under `count < limit`), TTL.
 * - `RECENT#<hash>`: what a texter asked in the last 2 hours (topic set, masked question), TTL.
 * - `INBOX#<id>`: questions not answered confidently, for staff (`dynamo-inbox.ts`), TTL.
 *
 * `unreached` (未接通) is a status of its own, so the queue index lists it apart. A repeat ask cannot
 * move it back to `open` in the same write (an update cannot choose a value by the current one), so
 * the upsert refuses it and a second conditional write reopens it first.
 *
 * `urgent` rides on the same upsert: an urgent ask writes `urgent = true`, any other ask only
 * `if_not_exists(urgent, false)`, so whatever order concurrent asks land in, one urgent ask leaves
 * the request urgent, and nothing but closing it (the next request is a new item) ends that.
 *
 * Keys use the SHA-256 of the E.164 number (HMAC when `hashSecret` is given); the clear number is
 * only in the request item's `phone` attribute, which staff need to call back.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_CLAIM_LEASE_MINUTES } from './claim-lease';
import { phoneHasher } from './dynamo-items';
import { listByStatus } from './dynamo-list';
import { isOptedOut, setOptOut } from './dynamo-phone';
import { consumeQuota, recentQuota } from './dynamo-quota';
import { recentQuestion, rememberQuestion } from './dynamo-recent';
import { earlierRequests } from './dynamo-earlier';
import { deleteQuestion, keepQuestion, labelQuestion, listInbox } from './dynamo-inbox';
import { findPending, get, requestCallback, setWindow } from './dynamo-requests';
import { openSession, type StoreContext } from './dynamo-session';
import { claim, recordOutcome, release } from './dynamo-staff-actions';
import { CALLBACK_DEFAULTS } from './limits';
import type { RandomSource } from './reference-code';
import { CallbackInputError, type CallbackStore } from './store';
import { CALLBACK_TABLE } from './table';

export interface DynamoCallbackStoreOptions {
  client: DynamoDBClient;
  tableName?: string;
  /** Clock (tests inject one). */
  now?: () => Date;
  /** Days a done request is kept before TTL deletes it (default 30). */
  retentionDays?: number;
  /** Random source for reference codes. */
  random?: RandomSource;
  /**
   * The secret of the per-number keys (HMAC-SHA-256): the mainland mobile space is small enough to
   * reverse a plain hash. A function is called once, on first use (Secrets Manager in AWS), and again
   * only if it failed. Without it keys are plain SHA-256 (tests only).
   */
  hashSecret?: string | (() => Promise<string>);
  /** Minutes after which another staff member may take over a claim (default 120). */
  claimLeaseMinutes?: number;
  /** Deadline for one store call, all SDK attempts included (default 6000 ms). */
  operationTimeoutMs?: number;
  /** Unanswered calls in a row after which a request becomes `unreached` (default 3). */
  maxAttempts?: number;
}

export function createDynamoCallbackStore(options: DynamoCallbackStoreOptions): CallbackStore {
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent — no value the store writes is undefined (values an expression does not use are dropped in `openSession`); a guard for one a later change might pass
  const doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  const tableName = options.tableName ?? CALLBACK_TABLE.defaultName;
  const retentionDays = options.retentionDays ?? CALLBACK_DEFAULTS.retentionDays;
  const timeoutMs = options.operationTimeoutMs ?? 6000;
  const maxAttempts = options.maxAttempts ?? CALLBACK_DEFAULTS.maxAttempts;
  if (!(retentionDays > 0)) throw new CallbackInputError('retentionDays must be positive');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new CallbackInputError('maxAttempts must be a positive integer');
  const shared = {
    tableName,
    clock: options.now ?? (() => new Date()),
    hash: phoneHasher(options.hashSecret),
    retentionDays,
    maxAttempts,
    claimLeaseMinutes: options.claimLeaseMinutes ?? DEFAULT_CLAIM_LEASE_MINUTES,
    random: options.random ?? Math.random,
  };

  /**
   * The store's methods under one outer deadline (a webhook's): every call is cut when it fires, as
   * well as at the call's own `operationTimeoutMs`. `within(signal)` gives such a view.
   */
  const make = (outer?: AbortSignal): CallbackStore => {
    const ctx: StoreContext = { ...shared, session: () => openSession(doc, tableName, timeoutMs, outer) };
    return {
      requestCallback: (input) => requestCallback(ctx, input),
      get: (id) => get(ctx, id),
      findPending: (phone) => findPending(ctx, phone),
      setWindow: (input) => setWindow(ctx, input),
      rememberQuestion: (phone, topics, question) => rememberQuestion(ctx, phone, topics, question),
      recentQuestion: (phone) => recentQuestion(ctx, phone),
      listByStatus: (status, list) => listByStatus(ctx, status, list),
      claim: (id, staff, expectedVersion) => claim(ctx, id, staff, expectedVersion),
      release: (id, staff, expectedVersion) => release(ctx, id, staff, expectedVersion),
      recordOutcome: (id, staff, outcome, note, expectedVersion) => recordOutcome(ctx, id, staff, outcome, note, expectedVersion),
      setOptOut: (phone, optedOut, token) => setOptOut(ctx, phone, optedOut, token),
      isOptedOut: (phone) => isOptedOut(ctx, phone),
      consumeQuota: (phone, kind, limit, windowSeconds, token) => consumeQuota(ctx, phone, kind, limit, windowSeconds, token),
      recentQuota: (phone, kind, windowSeconds) => recentQuota(ctx, phone, kind, windowSeconds),
      earlierRequests: (id) => earlierRequests(ctx, id),
      keepQuestion: (input) => keepQuestion(ctx, input),
      listInbox: (list) => listInbox(ctx, list),
      labelQuestion: (id, topic, staff) => labelQuestion(ctx, id, topic, staff),
      deleteQuestion: (id) => deleteQuestion(ctx, id),
      within: make,
    };
  };
  return make();
}
