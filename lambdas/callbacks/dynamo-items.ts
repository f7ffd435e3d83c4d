/**
 * The items as stored: their keys, the per-number hash in them, the bounds that keep an item under
 * DynamoDB's 400 KB, and the request item read back as a `CallbackRequest`. The layout is described
 * in `dynamo-store.ts` and `table.ts`.
 */
import { createHash, createHmac } from 'node:crypto';
import { phoneKeyOf } from './phone-number';
import { CallbackStoreError, InvalidPhoneError, type CallbackRequest, type QuotaKind } from './store';
import { KEY_PREFIX } from './table';

/** Repeats counted per request: bounds the item (history, sids) even if a rate limit is missing. */
export const MAX_REQUESTS_PER_ITEM = 500;
/**
 * Staff actions kept in a request's history. At the cap the oldest are dropped down to HISTORY_KEEP
 * and counted (`historyDropped`): 300 claim/no-answer cycles with 1,000-character notes would
 * otherwise pass DynamoDB's 400 KB item limit and make the request unwritable.
 */
export const HISTORY_CAP = 60;
export const HISTORY_KEEP = 40;
/** Opt-out/opt-in sids remembered per number (Twilio retries within hours; a set this size is a few KB). */
export const MAX_OPT_SIDS = 50;
export const ID_PATTERN = /^[0-9a-f]{20}$/;

/** The request item as stored (domain fields plus keys and bookkeeping). */
export interface RequestItem extends Omit<CallbackRequest, 'repeats' | 'urgent' | 'topics' | 'due' | 'missedInRow'> {
  /** Absent on items stored before the flag existed. */
  urgent?: boolean;
  topics?: Set<string>;
  dueFrom?: string;
  dueUntil?: string;
  missedInRow?: number;
  pk: string;
  kind: 'request';
  phoneHash: string;
  gen: number;
  firstSid: string;
  sids: Set<string>;
  requestCount: number;
  claimedAt?: string;
  historyDropped?: number;
}

export interface PhoneItem {
  pk: string;
  gen?: number;
  prevGen?: number;
  prevSids?: Set<string>;
  optedOut?: boolean;
  expiresAt?: number;
}

export const reqKey = (id: string) => ({ pk: `${KEY_PREFIX.request}${id}` });
export const phoneKey = (phoneHash: string) => ({ pk: `${KEY_PREFIX.phone}${phoneHash}` });
export const recentKey = (phoneHash: string) => ({ pk: `${KEY_PREFIX.recent}${phoneHash}` });
export const quotaKey = (kind: QuotaKind, phoneHash: string, windowStart: number) => ({ pk: `${KEY_PREFIX.quota}${kind}#${phoneHash}#${windowStart}` });

/** The id of a number's request of generation `gen`: "one open request per number" is one item. */
export const requestId = (phoneHash: string, gen: number): string => createHash('sha256').update(`${phoneHash}:${gen}`).digest('hex').slice(0, 20);

/**
 * Hashes a per-number key: HMAC-SHA-256 with the secret, plain SHA-256 without one (tests only). A
 * secret given as a function is read on first use, and again only if that failed.
 */
export function phoneHasher(source: string | (() => Promise<string>) | undefined): (key: string) => Promise<string> {
  let secret: Promise<string | undefined> | undefined;
  const hashSecret = (): Promise<string | undefined> => {
    secret ??= (typeof source === 'function' ? source() : Promise.resolve(source)).catch((error: unknown) => {
      secret = undefined;
      throw new CallbackStoreError('the per-number key secret could not be read', { cause: error });
    });
    return secret;
  };
  return async (key: string): Promise<string> => {
    const secretValue = await hashSecret();
    return (secretValue ? createHmac('sha256', secretValue) : createHash('sha256')).update(key).digest('hex');
  };
}

/** The key of a number's per-number items; any sender will do, not only a callable number. */
export function requirePhoneKey(phone: string): string {
  const key = typeof phone === 'string' ? phoneKeyOf(phone) : '';
  if (!key || key.length > 64) throw new InvalidPhoneError('empty');
  return key;
}

/** Epoch seconds at which a record closed at `nowMs` expires (the table's TTL attribute). */
export function expiresAtFor(nowMs: number, retentionDays: number): number {
  return Math.floor(nowMs / 1000) + Math.round(retentionDays * 86_400);
}

export function toRequest(item: RequestItem): CallbackRequest {
  return {
    id: item.id,
    phone: item.phone,
    code: item.code,
    status: item.status,
    window: item.window,
    ...(item.dueFrom && item.dueUntil ? { due: { from: item.dueFrom, until: item.dueUntil } } : {}),
    topic: item.topic ?? null,
    topics: [...(item.topics ?? [])].sort(),
    ...(item.question ? { question: item.question } : {}),
    channel: item.channel,
    ...(item.numberSource ? { numberSource: item.numberSource } : {}),
    repeats: Math.max(0, Number(item.requestCount ?? 1) - 1),
    attempts: Number(item.attempts ?? 0),
    missedInRow: Number(item.missedInRow ?? 0),
    ...(item.windowPending === true ? { windowPending: true } : {}),
    urgent: item.urgent === true,
    version: Number(item.version ?? 0),
    ...(item.claimedBy ? { claimedBy: item.claimedBy } : {}),
    ...(item.claimedBy && item.claimedAt ? { claimedAt: item.claimedAt } : {}),
    ...(item.outcome ? { outcome: item.outcome } : {}),
    ...(item.note ? { note: item.note } : {}),
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    ...(item.closedAt ? { closedAt: item.closedAt } : {}),
    ...(item.closedBy ? { closedBy: item.closedBy } : {}),
    ...(item.expiresAt !== undefined ? { expiresAt: Number(item.expiresAt) } : {}),
    history: (item.history ?? []).map((h) => ({ at: h.at, by: h.by, action: h.action, ...(h.detail ? { detail: h.detail } : {}) })),
    ...(item.historyDropped ? { historyDropped: Number(item.historyDropped) } : {}),
  };
}
