/**
 * The callback-request store: what the voice and SMS handlers and the staff API need, nothing about
 * how it is kept. `dynamo-store.ts` implements it on DynamoDB (or dynalite locally).
 *
 * Lifecycle: open → claimed (one staff member at a time) → done with an outcome, or back to open
 * after `no-answer` (attempts + 1). After `maxAttempts` unanswered calls in a row (default 3) it
 * leaves the active queue for `unreached` (未接通): still claimable, reopened when the person asks
 * again, deleted after the retention period otherwise. A number has at most one request that is not
 * done; asking again updates it (topics, question, repeats; never the code, window or due time).
 * Every change appends a history entry.
 *
 * Urgent: a request made by someone in crisis (despair, self-harm) is marked `urgent` and stays so
 * until it is done: a later ask without the mark never clears it, an ask with it marks the open one.
 */
import type { QuestionInbox } from './inbox';

export type CallbackChannel = 'voice' | 'sms';
export type CallbackStatus = 'open' | 'claimed' | 'unreached' | 'done';
export type CallbackOutcome = 'reached' | 'no-answer' | 'wrong-number' | 'declined';
/** `crisis-reply`: crisis answers by SMS; its counter also says a number was in crisis lately. */
export type QuotaKind = 'sms-reply' | 'callback' | 'crisis-reply';

export const CALLBACK_STATUSES: readonly CallbackStatus[] = ['open', 'claimed', 'unreached', 'done'];
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ['reached', 'no-answer', 'wrong-number', 'declined'];
export const QUOTA_KINDS: readonly QuotaKind[] = ['sms-reply', 'callback', 'crisis-reply'];

/** Who made a change: `caller` (voice), `sms` (a text), or a staff member's id. */
export type Actor = 'caller' | 'sms' | (string & {});

export type HistoryAction = 'requested' | 'window' | 'reopened' | 'claimed' | 'released' | 'outcome';

/** How the number to call was obtained: caller ID or SMS sender (both can be spoofed), or keyed in by the caller. */
export type NumberSource = 'caller-id' | 'sms-sender' | 'keyed-in';
export const NUMBER_SOURCES: readonly NumberSource[] = ['caller-id', 'sms-sender', 'keyed-in'];

/** When staff should call: Beijing-time slot chosen by the caller, as UTC instants (ISO 8601). */
export interface DueSlot {
  from: string;
  until: string;
}

export interface HistoryEntry {
  /** ISO 8601 time. */
  at: string;
  by: Actor;
  action: HistoryAction;
  /** Short, human-readable; never contains the phone number. */
  detail?: string;
}

export interface CallbackRequest {
  id: string;
  /** The number to call, E.164 (`+8613812345678`). Personal data: mask it in every log line. */
  phone: string;
  /** 4 digits, said by staff first so the caller knows the call is genuine. Never changes. */
  code: string;
  status: CallbackStatus;
  /** The time the caller was promised, as they heard it without the day (`晚上七点到九点`). Set once. */
  window: string;
  /** The same promise as instants; absent on requests stored before due times existed. Set once. */
  due?: DueSlot;
  /** Topic the caller came from (a topic id), if any. Latest request wins. */
  topic: string | null;
  /** Every topic the person asked about around their requests (topic ids, unordered, bounded by the topic list). */
  topics: string[];
  /** What the person last wrote or said when asking, every long number masked, at most 140 characters. */
  question?: string;
  /** Channel of the first request. */
  channel: CallbackChannel;
  /** How the first request's number was obtained (absent on requests stored before it was recorded). */
  numberSource?: NumberSource;
  /** How many times the number asked again while this request was not done (naming a time for it is not a repeat). */
  repeats: number;
  /** Calls by staff that did not reach the caller. */
  attempts: number;
  /** Unanswered calls since the person last asked: at the store's `maxAttempts` the request becomes `unreached`. */
  missedInRow: number;
  /** The caller may still name the time (a texter who sent 回电 alone, for a short while): see `setWindow`. */
  windowPending?: boolean;
  /**
   * The person said they were in crisis (despair, self-harm) when asking: staff call back first.
   * Once set it stays set for the request's lifetime (false for requests stored before the flag).
   */
  urgent: boolean;
  /** Increments on every write; pass it back as `expectedVersion` to refuse stale writes. */
  version: number;
  /** Staff id while claimed. */
  claimedBy?: string;
  /** When the current claim was taken (ISO 8601). */
  claimedAt?: string;
  outcome?: CallbackOutcome;
  /** Last note given with an outcome. */
  note?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Staff member who recorded the closing outcome. */
  closedBy?: string;
  /** Epoch seconds after which a done or unreached request is deleted (DynamoDB TTL). */
  expiresAt?: number;
  history: HistoryEntry[];
  /** Older history entries dropped to keep the record bounded (the latest are kept). */
  historyDropped?: number;
}

export interface RequestCallbackInput {
  /** Mainland mobile (`13812345678`) or E.164; normalised by the store (invalid → InvalidPhoneError). */
  phone: string;
  /** The promise as the caller hears it, without the day. Applies to a new request only: a repeat keeps its own. */
  window: string;
  /** The promise as instants (set with `window`, on a new request only). */
  due?: DueSlot;
  /** No time was named yet: a later `setWindow` may set one, once. */
  windowPending?: boolean;
  topic?: string | null;
  /** Topics asked about just before (added to the request's set). */
  topics?: readonly string[];
  /** What the person wrote or said; the store masks long numbers and cuts it to 140 characters. */
  question?: string;
  numberSource?: NumberSource;
  channel: CallbackChannel;
  /** Twilio CallSid / MessageSid: the same sid always gives the same result. */
  sourceSid: string;
  /**
   * The person is in crisis: the request (new, or the number's open one) becomes urgent and stays
   * so. Absent or false never clears an earlier urgent ask.
   */
  urgent?: boolean;
}

export interface SetWindowInput {
  phone: string;
  window: string;
  due: DueSlot;
  /** The MessageSid of the text that named the time: applying it twice changes nothing. */
  sourceSid: string;
}

/** What a person asked by SMS recently, kept a short while so a later 回电 carries it. */
export interface RecentQuestion {
  topics: string[];
  question?: string;
  /** ISO 8601. */
  at: string;
}

export interface RequestCallbackResult {
  request: CallbackRequest;
  /** This sid created the request (stays true when the same sid is replayed). */
  created: boolean;
  /** This sid had already been applied: nothing was written. */
  replayed: boolean;
}

export interface ListOptions {
  /** 1–100, default 25. */
  limit?: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  /** Newest `createdAt` first (default: oldest first). */
  newestFirst?: boolean;
  /**
   * Only urgent requests, in the same order. DynamoDB filters after reading, so a page may hold
   * fewer than `limit` items (even none) while `cursor` says there is more: follow it.
   */
  urgentOnly?: boolean;
}

export interface CallbackPage {
  items: CallbackRequest[];
  /** Absent on the last page. */
  cursor?: string;
}

/** The table's store: callback requests, and the question inbox kept beside them (`inbox.ts`). */
export interface CallbackStore extends QuestionInbox {
  /**
   * The same store with every call also cut when `signal` aborts: a webhook passes its deadline, so
   * nothing it started keeps writing after the caller was answered.
   */
  within(signal: AbortSignal): CallbackStore;
  requestCallback(input: RequestCallbackInput): Promise<RequestCallbackResult>;
  get(id: string): Promise<CallbackRequest | undefined>;
  /** The same number's requests before this one, by any channel: newest first, at most 5 (expired ones are gone). */
  earlierRequests(id: string): Promise<CallbackRequest[]>;
  /** The number's request that is not done (open, claimed or unreached), if any. */
  findPending(phone: string): Promise<CallbackRequest | undefined>;
  /**
   * Names the time of the number's pending request made without one (`windowPending`), once; not a
   * repeat. Undefined when there is no such request (none, or its time is already set).
   */
  setWindow(input: SetWindowInput): Promise<CallbackRequest | undefined>;
  /** Keeps what a texter asked (topics, masked question) for `RECENT_QUESTION_SECONDS` (`dynamo-recent.ts`), for a later 回电. */
  rememberQuestion(phone: string, topics: readonly string[], question?: string): Promise<void>;
  recentQuestion(phone: string): Promise<RecentQuestion | undefined>;
  /** Oldest first by `createdAt`, unless `newestFirst`. */
  listByStatus(status: CallbackStatus, options?: ListOptions): Promise<CallbackPage>;
  /**
   * Atomic: of two concurrent claims exactly one wins, the other gets CallbackConflictError. A claim
   * older than the store's lease (default 2 hours) can be taken over, so a request whose holder
   * went home is not stuck.
   */
  claim(id: string, staff: string, expectedVersion?: number): Promise<CallbackRequest>;
  /** Gives a claimed request back to the queue (only its holder). */
  release(id: string, staff: string, expectedVersion?: number): Promise<CallbackRequest>;
  /**
   * Only the holder. `no-answer` → open with attempts + 1, or `unreached` at `maxAttempts` missed in a
   * row (expires later unless reopened); any other outcome → done (expires later).
   */
  recordOutcome(id: string, staff: string, outcome: CallbackOutcome, note?: string, expectedVersion?: number): Promise<CallbackRequest>;
  /** `token` (the MessageSid) applies each message once: a retried old 订阅 cannot undo a later 退订. */
  setOptOut(phone: string, optedOut: boolean, token?: string): Promise<void>;
  isOptedOut(phone: string): Promise<boolean>;
  /**
   * Fixed-window counter: true while fewer than `limit` were consumed in the current window.
   * `token` (the CallSid/MessageSid) makes it idempotent: a retried delivery with the same token
   * is not counted again and gets the answer the first delivery got.
   */
  consumeQuota(phone: string, kind: QuotaKind, limit: number, windowSeconds: number, token?: string): Promise<boolean>;
  /** How many `consumeQuota` counted for the number in the current window of that size (0 when none); counts nothing itself. */
  recentQuota(phone: string, kind: QuotaKind, windowSeconds: number): Promise<number>;
}

export type ConflictReason = 'claimed-by-other' | 'closed' | 'stale' | 'not-claimed';

/** A state change refused because the request moved on (someone else holds it, it is done, or the version is old). */
export class CallbackConflictError extends Error {
  override readonly name = 'CallbackConflictError';
  constructor(
    readonly id: string,
    readonly reason: ConflictReason,
    readonly current?: CallbackRequest,
  ) {
    super(`callback ${id}: ${reason}`);
  }
}

export class CallbackNotFoundError extends Error {
  override readonly name = 'CallbackNotFoundError';
  constructor(readonly id: string) {
    super(`callback ${id}: not found`);
  }
}

/** The number is neither a mainland mobile nor a valid E.164 number. The message never contains it. */
export class InvalidPhoneError extends Error {
  override readonly name = 'InvalidPhoneError';
  constructor(readonly reason: string) {
    super(`invalid phone number: ${reason}`);
  }
}

/** Bad input other than the number (window, cursor, limit…). */
export class CallbackInputError extends Error {
  override readonly name = 'CallbackInputError';
}

/** Storage gave up (too much contention after bounded retries, or the database failed). */
export class CallbackStoreError extends Error {
  override readonly name = 'CallbackStoreError';
}
