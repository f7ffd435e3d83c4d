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
import { createHash, createHmac } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { cursorSchema as CursorSchema } from './cursor';
import { CALLBACK_TABLE, KEY_PREFIX } from './table';
import {
  CLAIMABLE,
  cleanLabel,
  cleanNote,
  cleanQuestion,
  cleanWords,
  conflictFor,
  DEFAULT_CLAIM_LEASE_MINUTES,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RETENTION_DAYS,
  expiresAtFor,
  generateReferenceCode,
  LIMITS,
  normalisePhone,
  phoneKeyOf,
  quotaWindowStart,
  RECENT_QUESTION_SECONDS,
  statusAfterOutcome,
  type CallbackAction,
  type RandomSource,
} from './rules';
import {
  CALLBACK_OUTCOMES,
  CALLBACK_STATUSES,
  CallbackConflictError,
  CallbackInputError,
  CallbackNotFoundError,
  CallbackStoreError,
  InvalidPhoneError,
  NUMBER_SOURCES,
  QUOTA_KINDS,
  type Actor,
  type CallbackOutcome,
  type CallbackPage,
  type CallbackRequest,
  type CallbackStatus,
  type CallbackStore,
  type HistoryEntry,
  type ListOptions,
  type QuotaKind,
  type RecentQuestion,
  type RequestCallbackInput,
  type RequestCallbackResult,
  type SetWindowInput,
} from './store';

export interface DynamoClientOptions {
  /** dynalite / DynamoDB Local URL; AWS when absent. */
  endpoint?: string;
  region?: string;
  /** Only needed with `endpoint` (any value works with dynalite). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** SDK timeouts and retries, bounded so a store call fits well inside Twilio's 15 s. */
export const DYNAMO_CLIENT_LIMITS = { connectionTimeoutMs: 1000, requestTimeoutMs: 2000, maxAttempts: 3 } as const;

/** A DynamoDB client with bounded timeouts and retries. The caller owns it (and destroys it). */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const local = options.endpoint !== undefined;
  // Without an endpoint the SDK finds region and credentials itself (AWS_REGION, the Lambda role).
  const region = options.region ?? (local ? 'local' : undefined);
  return new DynamoDBClient({
    ...(local ? { endpoint: options.endpoint } : {}),
    ...(region ? { region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: DYNAMO_CLIENT_LIMITS.maxAttempts,
    // Every setting the SDK would otherwise look up in ~/.aws/config (reading and parsing the shared
    // config files on a cold start): Lambda has none, and these are the SDK's defaults anyway.
    defaultsMode: 'standard',
    retryMode: 'standard',
    useDualstackEndpoint: false,
    useFipsEndpoint: false,
    accountIdEndpointMode: 'preferred',
    authSchemePreference: [],
    userAgentAppId: 'hotline',
    endpointDiscoveryEnabled: false,
    // throwOnRequestTimeout: without it the SDK only logs a warning when a request passes its timeout,
    // so a stalled attempt is never retried and the whole deadline goes to one hung connection.
    requestHandler: { connectionTimeout: DYNAMO_CLIENT_LIMITS.connectionTimeoutMs, requestTimeout: DYNAMO_CLIENT_LIMITS.requestTimeoutMs, throwOnRequestTimeout: true },
  });
}

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

/** A `PHONE#` item outlives every request it refers to by this much (TTL deletion lags; see table.ts). */
const PHONE_EXPIRY_MARGIN_DAYS = 7;

/** Repeats counted per request: bounds the item (history, sids) even if a rate limit is missing. */
const MAX_REQUESTS_PER_ITEM = 500;
/**
 * Staff actions kept in a request's history. At the cap the oldest are dropped down to HISTORY_KEEP
 * and counted (`historyDropped`): 300 claim/no-answer cycles with 1,000-character notes would
 * otherwise pass DynamoDB's 400 KB item limit and make the request unwritable.
 */
export const HISTORY_CAP = 60;
const HISTORY_KEEP = 40;
/** Conditional-write retries inside one call (contention, a concurrent close). */
const MAX_ROUNDS = 6;
const ID_PATTERN = /^[0-9a-f]{20}$/;
/** Reads one `urgentOnly` list call may make while they find nothing (each reads up to `limit` items). */
const MAX_FILTERED_READS = 10;

/** The request item as stored (domain fields plus keys and bookkeeping). */
interface RequestItem extends Omit<CallbackRequest, 'repeats' | 'urgent' | 'topics' | 'due' | 'missedInRow'> {
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

/** Opt-out/opt-in sids remembered per number (Twilio retries within hours; a set this size is a few KB). */
const MAX_OPT_SIDS = 50;

interface PhoneItem {
  pk: string;
  gen?: number;
  prevGen?: number;
  prevSids?: Set<string>;
  optedOut?: boolean;
  expiresAt?: number;
}

interface RecentItem {
  topics?: Set<string>;
  question?: string;
  at: string;
  expiresAt: number;
}

export function createDynamoCallbackStore(options: DynamoCallbackStoreOptions): CallbackStore {
  const doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  const TableName = options.tableName ?? CALLBACK_TABLE.defaultName;
  const clock = options.now ?? (() => new Date());
  const claimLeaseMs = (options.claimLeaseMinutes ?? DEFAULT_CLAIM_LEASE_MINUTES) * 60_000;
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const random = options.random ?? Math.random;
  const timeoutMs = options.operationTimeoutMs ?? 6000;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!(retentionDays > 0)) throw new CallbackInputError('retentionDays must be positive');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new CallbackInputError('maxAttempts must be a positive integer');
  /** Epoch seconds at which a `PHONE#` item written at `nowMs` may go: after every request it refers to. */
  const phoneExpiry = (nowMs: number) => expiresAtFor(nowMs, retentionDays + PHONE_EXPIRY_MARGIN_DAYS);

  let secret: Promise<string | undefined> | undefined;
  const hashSecret = (): Promise<string | undefined> => {
    const source = options.hashSecret;
    secret ??= (typeof source === 'function' ? source() : Promise.resolve(source)).catch((error: unknown) => {
      secret = undefined;
      throw new CallbackStoreError('the per-number key secret could not be read', { cause: error });
    });
    return secret;
  };
  const hash = async (key: string): Promise<string> => {
    const secretValue = await hashSecret();
    return (secretValue ? createHmac('sha256', secretValue) : createHash('sha256')).update(key).digest('hex');
  };
  const requestId = (phoneHash: string, gen: number): string => createHash('sha256').update(`${phoneHash}:${gen}`).digest('hex').slice(0, 20);
  const reqKey = (id: string) => ({ pk: `${KEY_PREFIX.request}${id}` });
  const phoneKey = (phoneHash: string) => ({ pk: `${KEY_PREFIX.phone}${phoneHash}` });
  const recentKey = (phoneHash: string) => ({ pk: `${KEY_PREFIX.recent}${phoneHash}` });

  /**
   * The store's methods under one outer deadline (a webhook's): every call is cut when it fires, as
   * well as at the call's own `operationTimeoutMs`. `within(signal)` gives such a view.
   */
  const make = (outer?: AbortSignal): CallbackStore => {
    /** One deadline per store call; SDK errors become CallbackStoreError, refused conditions `false`. */
    function session() {
      const own = AbortSignal.timeout(timeoutMs);
      const abortSignal = outer ? AbortSignal.any([own, outer]) : own;
      const send = async <T>(command: GetCommand | UpdateCommand | QueryCommand): Promise<T> => {
        try {
          return (await doc.send(command as never, { abortSignal })) as T;
        } catch (error) {
          if (isConditionFailure(error)) throw error;
          throw new CallbackStoreError(`DynamoDB ${command.constructor.name} failed: ${errorName(error)}`, { cause: error });
        }
      };
      const getRequest = async (id: string): Promise<RequestItem | undefined> =>
        (await send<{ Item?: RequestItem }>(new GetCommand({ TableName, Key: reqKey(id), ConsistentRead: true }))).Item;
      /** Runs a conditional update; undefined when the condition refused it. */
      const update = async (input: Omit<UpdateCommandInput, 'TableName' | 'ExpressionAttributeNames'>): Promise<RequestItem | undefined> => {
        try {
          const command = new UpdateCommand(withPlaceholders({ TableName, ReturnValues: 'ALL_NEW', ...input }));
          return (await send<{ Attributes?: RequestItem }>(command)).Attributes;
        } catch (error) {
          if (isConditionFailure(error)) return undefined;
          throw error;
        }
      };
      return { send, getRequest, update };
    }

    /** Keeps the latest HISTORY_KEEP entries and counts the rest; refused (and retried by the caller) if the item moved on. */
    async function trimHistory(s: ReturnType<typeof session>, item: RequestItem): Promise<void> {
      const history = item.history ?? [];
      await s.update({
        Key: reqKey(item.id),
        UpdateExpression: 'SET #history = :kept, #historyDropped = if_not_exists(#historyDropped, :zero) + :dropped ADD #version :one',
        ConditionExpression: '#version = :version',
        ExpressionAttributeValues: { ':kept': history.slice(-HISTORY_KEEP), ':dropped': history.length - HISTORY_KEEP, ':zero': 0, ':one': 1, ':version': item.version },
        ReturnValues: 'NONE',
      });
    }

    /** Closing a request moves the number to its next generation (idempotent: only from `gen`). */
    async function advanceGeneration(s: ReturnType<typeof session>, item: RequestItem, at: string): Promise<void> {
      const sameGen = item.gen === 0 ? '(attribute_not_exists(#gen) OR #gen = :gen)' : '#gen = :gen';
      const values = { ':next': item.gen + 1, ':gen': item.gen, ':sids': item.sids, ':now': at, ':true': true, ':expiresAt': phoneExpiry(Date.parse(at)) };
      // Nothing waits for this number now: the item may expire after the request it refers to. An
      // opted-out number keeps its item (and its opt-out) without expiry.
      const applied = await s.update({
        Key: phoneKey(item.phoneHash),
        UpdateExpression: 'SET #gen = :next, #prevGen = :gen, #prevSids = :sids, #updatedAt = :now, #expiresAt = :expiresAt',
        ConditionExpression: `${sameGen} AND (attribute_not_exists(#optedOut) OR #optedOut <> :true)`,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      });
      if (applied) return;
      await s.update({
        Key: phoneKey(item.phoneHash),
        UpdateExpression: 'SET #gen = :next, #prevGen = :gen, #prevSids = :sids, #updatedAt = :now',
        ConditionExpression: `${sameGen} AND #optedOut = :true`,
        ExpressionAttributeValues: values,
        ReturnValues: 'NONE',
      });
    }

    /** A request now waits for this number: its `PHONE#` item must not expire under it (a no-op when it has no expiry). */
    async function keepPhoneItem(s: ReturnType<typeof session>, phoneHash: string, phone: PhoneItem | undefined, gen: number): Promise<void> {
      if (phone?.expiresAt === undefined) return;
      await s.update({ Key: phoneKey(phoneHash), UpdateExpression: 'REMOVE #expiresAt', ConditionExpression: '#gen = :gen OR (attribute_not_exists(#gen) AND :gen = :zero)', ExpressionAttributeValues: { ':gen': gen, ':zero': 0 }, ReturnValues: 'NONE' });
    }

    /** An unreached request asked for again goes back to the queue (then the ask is applied as usual). */
    async function reopen(s: ReturnType<typeof session>, item: RequestItem, at: string, by: Actor): Promise<void> {
      await s.update({
        Key: reqKey(item.id),
        UpdateExpression: 'SET #status = :open, #missedInRow = :zero, #updatedAt = :now, #history = list_append(#history, :entry) ADD #version :one REMOVE #expiresAt',
        ConditionExpression: '#status = :unreached AND #version = :version',
        ExpressionAttributeValues: { ':open': 'open', ':zero': 0, ':now': at, ':entry': [{ at, by, action: 'reopened' }], ':one': 1, ':unreached': 'unreached', ':version': item.version },
        ReturnValues: 'NONE',
      });
    }

    async function requestCallback(input: RequestCallbackInput): Promise<RequestCallbackResult> {
      const check = normalisePhone(input.phone);
      if (!check.ok) throw new InvalidPhoneError(check.reason);
      const window = cleanWords(String(input.window ?? ''), LIMITS.window);
      if (!window) throw new CallbackInputError('window is required (at most 40 characters)');
      const due = input.due === undefined ? undefined : checkDue(input.due);
      const topic = input.topic == null ? null : cleanLabel(String(input.topic), LIMITS.topic);
      const topics = [...new Set([...(input.topics ?? []), ...(topic ? [topic] : [])].map((t) => cleanLabel(String(t), LIMITS.topic)).filter((t): t is string => t !== null))].slice(0, 20);
      const question = cleanQuestion(input.question);
      if (input.numberSource !== undefined && !NUMBER_SOURCES.includes(input.numberSource)) throw new CallbackInputError('unknown number source');
      if (input.channel !== 'voice' && input.channel !== 'sms') throw new CallbackInputError('channel must be voice or sms');
      const sid = cleanLabel(String(input.sourceSid ?? ''), LIMITS.sid);
      if (!sid) throw new CallbackInputError('sourceSid is required');

      const urgent = input.urgent === true;
      const phoneHash = await hash(check.e164);
      const by: Actor = input.channel === 'voice' ? 'caller' : 'sms';
      const s = session();
      const replay = (item: RequestItem): RequestCallbackResult => ({ request: toRequest(item), created: item.firstSid === sid, replayed: true });

      for (let round = 0; round < MAX_ROUNDS; round++) {
        const phone = (await s.send<{ Item?: PhoneItem }>(new GetCommand({ TableName, Key: phoneKey(phoneHash), ConsistentRead: true }))).Item;
        const gen = phone?.gen ?? 0;
        if (phone?.prevSids?.has(sid) && phone.prevGen !== undefined) {
          const previous = await s.getRequest(requestId(phoneHash, phone.prevGen));
          if (previous?.sids.has(sid)) return replay(previous);
        }

        const id = requestId(phoneHash, gen);
        const at = clock().toISOString();
        // The code, the time promised and how the number came are set by the request that creates the
        // item and never by a repeat: whoever asks again may not be the person who asked first.
        const setOnce = ['#window = if_not_exists(#window, :window)', ...(due ? ['#dueFrom = if_not_exists(#dueFrom, :dueFrom)', '#dueUntil = if_not_exists(#dueUntil, :dueUntil)'] : [])];
        if (input.numberSource) setOnce.push('#numberSource = if_not_exists(#numberSource, :numberSource)');
        // Always present once created (false after setWindow), so a repeat can never make a fixed time pending again.
        setOnce.push('#windowPending = if_not_exists(#windowPending, :pending)');
        const topicUpdate = topic ? '#topic = :topic' : '#topic = if_not_exists(#topic, :topic)';
        // Urgent is only ever set, never cleared: a plain repeat keeps whatever the request has.
        const urgentUpdate = urgent ? '#urgent = :true' : '#urgent = if_not_exists(#urgent, :false)';
        // `sms urgent window=… topic=… via=…`: `urgent` right after the channel, where no window text can be mistaken for it.
        const detail = `${input.channel}${urgent ? ' urgent' : ''} window=${window}${topic ? ` topic=${topic}` : ''}${input.numberSource ? ` via=${input.numberSource}` : ''}`;
        const entry: HistoryEntry = { at, by, action: 'requested', detail };
        const item = await s.update({
          Key: reqKey(id),
          UpdateExpression: [
            'SET #kind = :kind, #id = if_not_exists(#id, :id), #phoneHash = if_not_exists(#phoneHash, :phoneHash), #gen = if_not_exists(#gen, :gen)',
            '#phone = if_not_exists(#phone, :phone), #code = if_not_exists(#code, :code), #status = if_not_exists(#status, :open)',
            '#channel = if_not_exists(#channel, :channel), #createdAt = if_not_exists(#createdAt, :now), #firstSid = if_not_exists(#firstSid, :sid)',
            // Asking again says the person wants the call: the count of calls missed in a row starts over.
            `#attempts = if_not_exists(#attempts, :zero), #missedInRow = :zero, ${setOnce.join(', ')}, ${topicUpdate}, ${urgentUpdate}, #updatedAt = :now`,
            ...(question ? ['#question = :question'] : []),
            '#history = list_append(if_not_exists(#history, :empty), :entry)',
            `ADD #version :one, #requestCount :one, #sids :sidSet${topics.length ? ', #topics :topics' : ''}`,
          ].join(', ').replace(', ADD', ' ADD'),
          // A full item still takes the one ask that makes it urgent (history grows by one entry at most).
          ConditionExpression: `attribute_not_exists(#pk) OR (#status IN (:open, :claimed) AND NOT contains(#sids, :sid) AND ${
            urgent ? '(#requestCount < :max OR attribute_not_exists(#urgent) OR #urgent = :false)' : '#requestCount < :max'
          })`,
          ExpressionAttributeValues: {
            ':kind': 'request', ':id': id, ':phoneHash': phoneHash, ':gen': gen, ':phone': check.e164, ':code': generateReferenceCode(random),
            ':open': 'open', ':claimed': 'claimed', ':channel': input.channel, ':now': at, ':sid': sid, ':zero': 0, ':window': window,
            ':topic': topic, ':empty': [], ':entry': [entry], ':one': 1, ':sidSet': new Set([sid]), ':max': MAX_REQUESTS_PER_ITEM, ':true': true, ':false': false,
            ':dueFrom': due?.from, ':dueUntil': due?.until, ':numberSource': input.numberSource, ':question': question, ':topics': topics.length ? new Set(topics) : undefined,
            ':pending': input.windowPending === true,
          },
        });
        if (item) {
          await keepPhoneItem(s, phoneHash, phone, gen).catch(() => undefined);
          return { request: toRequest(item), created: item.firstSid === sid && item.requestCount === 1, replayed: false };
        }

        // Refused: this sid was applied already, the request was closed or left unreached meanwhile, or it is full.
        const current = await s.getRequest(id);
        if (!current) continue;
        if (current.sids.has(sid)) return replay(current);
        if (current.status === 'done') {
          await advanceGeneration(s, current, at);
          continue;
        }
        if (current.status === 'unreached') {
          await reopen(s, current, at, by);
          continue;
        }
        if (current.requestCount >= MAX_REQUESTS_PER_ITEM && (!urgent || current.urgent === true)) return { request: toRequest(current), created: false, replayed: false };
      }
      throw new CallbackStoreError('requestCallback: too much contention, gave up');
    }

    async function setWindow(input: SetWindowInput): Promise<CallbackRequest | undefined> {
      const check = normalisePhone(input.phone);
      if (!check.ok) throw new InvalidPhoneError(check.reason);
      const window = cleanWords(String(input.window ?? ''), LIMITS.window);
      if (!window) throw new CallbackInputError('window is required (at most 40 characters)');
      const due = checkDue(input.due);
      const sid = cleanLabel(String(input.sourceSid ?? ''), LIMITS.sid);
      if (!sid) throw new CallbackInputError('sourceSid is required');
      const phoneHash = await hash(check.e164);
      const s = session();
      const phone = (await s.send<{ Item?: PhoneItem }>(new GetCommand({ TableName, Key: phoneKey(phoneHash), ConsistentRead: true }))).Item;
      const id = requestId(phoneHash, phone?.gen ?? 0);
      const at = clock().toISOString();
      const entry: HistoryEntry = { at, by: 'sms', action: 'window', detail: `window=${window}` };
      // Once: the flag goes with the write, and the sid makes a retried delivery a replay.
      const item = await s.update({
        Key: reqKey(id),
        UpdateExpression: 'SET #window = :window, #dueFrom = :dueFrom, #dueUntil = :dueUntil, #windowPending = :false, #updatedAt = :now, #history = list_append(#history, :entry) ADD #version :one, #sids :sidSet',
        ConditionExpression: '#windowPending = :true AND #status <> :done AND NOT contains(#sids, :sid)',
        ExpressionAttributeValues: { ':window': window, ':dueFrom': due.from, ':dueUntil': due.until, ':now': at, ':entry': [entry], ':one': 1, ':sidSet': new Set([sid]), ':true': true, ':false': false, ':done': 'done', ':sid': sid },
      });
      if (item) return toRequest(item);
      const current = await s.getRequest(id);
      return current && current.status !== 'done' && current.sids.has(sid) ? toRequest(current) : undefined;
    }

    async function rememberQuestion(phoneInput: string, topicsInput: readonly string[], questionInput?: string): Promise<void> {
      const topics = [...new Set(topicsInput.map((t) => cleanLabel(String(t), LIMITS.topic)).filter((t): t is string => t !== null))].slice(0, 20);
      const question = cleanQuestion(questionInput);
      if (!topics.length && !question) return;
      const nowMs = clock().getTime();
      const set = ['#at = :now', '#expiresAt = :expiresAt', ...(question ? ['#question = :question'] : [])];
      await session().update({
        Key: recentKey(await hash(requirePhoneKey(phoneInput))),
        // The topic set grows for as long as the person keeps asking (bounded by the topic list); the question is the latest.
        UpdateExpression: `SET ${set.join(', ')}${topics.length ? ' ADD #topics :topics' : ''}`,
        ExpressionAttributeValues: { ':now': new Date(nowMs).toISOString(), ':expiresAt': Math.floor(nowMs / 1000) + RECENT_QUESTION_SECONDS, ':question': question, ':topics': topics.length ? new Set(topics) : undefined },
        ReturnValues: 'NONE',
      });
    }

    async function recentQuestion(phoneInput: string): Promise<RecentQuestion | undefined> {
      const item = (await session().send<{ Item?: RecentItem }>(new GetCommand({ TableName, Key: recentKey(await hash(requirePhoneKey(phoneInput))), ConsistentRead: true }))).Item;
      // TTL deletes late (up to days): an expired item is treated as gone.
      if (!item || Number(item.expiresAt) * 1000 <= clock().getTime()) return undefined;
      return { topics: [...(item.topics ?? [])].sort(), ...(item.question ? { question: item.question } : {}), at: item.at };
    }

    async function get(id: string): Promise<CallbackRequest | undefined> {
      if (!ID_PATTERN.test(id)) return undefined;
      const item = await session().getRequest(id);
      return item ? toRequest(item) : undefined;
    }

    async function findPending(phoneInput: string): Promise<CallbackRequest | undefined> {
      const check = normalisePhone(phoneInput);
      if (!check.ok) return undefined;
      const phoneHash = await hash(check.e164);
      const s = session();
      const phone = (await s.send<{ Item?: PhoneItem }>(new GetCommand({ TableName, Key: phoneKey(phoneHash), ConsistentRead: true }))).Item;
      const item = await s.getRequest(requestId(phoneHash, phone?.gen ?? 0));
      return item && item.status !== 'done' ? toRequest(item) : undefined;
    }

    async function listByStatus(status: CallbackStatus, list: ListOptions = {}): Promise<CallbackPage> {
      if (!CALLBACK_STATUSES.includes(status)) throw new CallbackInputError('unknown status');
      const limit = list.limit ?? 25;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CallbackInputError('limit must be 1–100');
      // The cursor's schema (zod) loads only for a second page: callers' webhooks never list.
      let start = list.cursor === undefined ? undefined : decodeCursor((await import('./cursor')).cursorSchema, list.cursor, status);
      const { queueIndex } = CALLBACK_TABLE;
      const s = session();
      const items: CallbackRequest[] = [];
      // `Limit` counts the items read, before the urgent filter: read on while a filtered page came
      // back empty, so a caller does not get a run of empty pages (bounded; the cursor stays valid).
      for (let round = 0; ; round++) {
        const result = await s.send<{ Items?: RequestItem[]; LastEvaluatedKey?: Record<string, unknown> }>(
          new QueryCommand({
            TableName,
            IndexName: queueIndex.name,
            KeyConditionExpression: '#status = :status',
            ...(list.urgentOnly
              ? { FilterExpression: '#urgent = :true', ExpressionAttributeNames: { '#status': queueIndex.partitionKey, '#urgent': 'urgent' }, ExpressionAttributeValues: { ':status': status, ':true': true } }
              : { ExpressionAttributeNames: { '#status': queueIndex.partitionKey }, ExpressionAttributeValues: { ':status': status } }),
            ScanIndexForward: !list.newestFirst,
            Limit: limit,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(result.Items ?? []).map(toRequest));
        start = result.LastEvaluatedKey;
        if (!list.urgentOnly || items.length > 0 || !start || round + 1 >= MAX_FILTERED_READS) break;
      }
      return start ? { items, cursor: encodeCursor(start) } : { items };
    }

    /**
     * Applies one staff action with a condition that encodes `conflictFor`; when refused, reads the
     * item back to say why (or retries if the refusal no longer applies).
     */
    async function transition(
      id: string,
      staffInput: string,
      action: CallbackAction,
      expectedVersion: number | undefined,
      write: (staff: string, at: string, current: RequestItem | undefined) => { set: string[]; remove?: string[]; values: Record<string, unknown>; detail?: string; historyAction: HistoryEntry['action']; condition?: string },
      /** Read before the first write, for a write that depends on the item (recording a missed call). */
      readFirst = false,
    ): Promise<{ item: RequestItem; at: string }> {
      const staff = cleanLabel(String(staffInput ?? ''), LIMITS.staff);
      if (!staff || staff === 'caller' || staff === 'sms') throw new CallbackInputError('staff id is required');
      if (expectedVersion !== undefined && !Number.isInteger(expectedVersion)) throw new CallbackInputError('expectedVersion must be an integer');
      if (!ID_PATTERN.test(id)) throw new CallbackNotFoundError(id);
      const s = session();
      let known = readFirst ? await s.getRequest(id) : undefined;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const at = clock().toISOString();
        const change = write(staff, at, known);
        const entry: HistoryEntry = { at, by: staff, action: change.historyAction, ...(change.detail ? { detail: change.detail } : {}) };
        // A claim is free when open, or when its holder's lease ran out (then it can be taken over).
        const leaseStart = new Date(Date.parse(at) - claimLeaseMs).toISOString();
        const condition =
          action === 'claim'
            ? 'attribute_exists(#pk) AND (#status IN (:from, :unreached) OR (#status = :claimed AND #claimedAt < :leaseStart))'
            : 'attribute_exists(#pk) AND #status = :from AND #claimedBy = :staff';
        const item = await s.update({
          Key: reqKey(id),
          UpdateExpression:
            `SET ${[...change.set, '#updatedAt = :now', '#history = list_append(#history, :entry)'].join(', ')} ADD #version :one` +
            (change.remove?.length ? ` REMOVE ${change.remove.join(', ')}` : ''),
          ConditionExpression: `${condition} AND size(#history) < :historyCap${expectedVersion === undefined ? '' : ' AND #version = :expected'}${change.condition ? ` AND ${change.condition}` : ''}`,
          ExpressionAttributeValues: {
            ':historyCap': HISTORY_CAP,
            ':unreached': CLAIMABLE[1],
            ':from': action === 'claim' ? 'open' : 'claimed',
            ':staff': staff,
            ':now': at,
            ':entry': [entry],
            ':one': 1,
            ...(expectedVersion === undefined ? {} : { ':expected': expectedVersion }),
            ...(action === 'claim' ? { ':leaseStart': leaseStart } : {}),
            ...change.values,
          },
        });
        if (item) return { item, at };
        const current = await s.getRequest(id);
        if (!current) throw new CallbackNotFoundError(id);
        known = current;
        const reason = conflictFor(current, action, staff, expectedVersion, leaseStart);
        if (reason) throw new CallbackConflictError(id, reason, toRequest(current));
        // Claiming what you already hold is a no-op; anything else changed under us: try again.
        if (action === 'claim' && current.status === 'claimed') return { item: current, at };
        // A full history: drop the oldest entries (counted), then apply the action again.
        if ((current.history ?? []).length >= HISTORY_CAP) await trimHistory(s, current);
      }
      throw new CallbackStoreError(`${action}: too much contention, gave up`);
    }

    async function claim(id: string, staff: string, expectedVersion?: number): Promise<CallbackRequest> {
      const { item } = await transition(id, staff, 'claim', expectedVersion, () => ({
        set: ['#status = :claimed', '#claimedBy = :staff', '#claimedAt = :now'],
        // An unreached request taken up again no longer expires.
        remove: ['#expiresAt'],
        values: { ':claimed': 'claimed' },
        historyAction: 'claimed',
      }));
      return toRequest(item);
    }

    async function release(id: string, staff: string, expectedVersion?: number): Promise<CallbackRequest> {
      const { item } = await transition(id, staff, 'release', expectedVersion, () => ({
        set: ['#status = :open'],
        remove: ['#claimedBy', '#claimedAt'],
        values: { ':open': 'open' },
        historyAction: 'released',
      }));
      return toRequest(item);
    }

    async function recordOutcome(id: string, staff: string, outcome: CallbackOutcome, noteInput?: string, expectedVersion?: number): Promise<CallbackRequest> {
      if (!CALLBACK_OUTCOMES.includes(outcome)) throw new CallbackInputError('unknown outcome');
      const note = cleanNote(noteInput);
      let next = statusAfterOutcome(outcome);
      const { item, at } = await transition(
        id,
        staff,
        'outcome',
        expectedVersion,
        (_staff, when, current) => {
          // The note is the last outcome's: an outcome without one clears an earlier attempt's (history keeps it).
          const noteSet = note ? ['#note = :note'] : [];
          const noteRemove = note ? [] : ['#note'];
          const noteValue = note ? { ':note': note } : {};
          const detail = note ? `${outcome}: ${note}` : outcome;
          if (outcome === 'no-answer') {
            // Missed calls in a row decide between the queue and 未接通; the condition pins the count read,
            // so a repeat ask landing meanwhile (which resets it) makes this round retry with the new count.
            const missed = Number(current?.missedInRow ?? 0);
            next = statusAfterOutcome(outcome, missed, maxAttempts);
            const unreached = next === 'unreached';
            return {
              set: ['#status = :next', '#attempts = #attempts + :one', '#missedInRow = :missedAfter', ...noteSet, ...(unreached ? ['#expiresAt = :expiresAt'] : [])],
              remove: ['#claimedBy', '#claimedAt', ...noteRemove],
              values: { ':next': next, ':missedAfter': missed + 1, ':missed': missed, ':zero': 0, ':expiresAt': expiresAtFor(Date.parse(when), retentionDays), ...noteValue },
              condition: missed === 0 ? '(attribute_not_exists(#missedInRow) OR #missedInRow = :zero)' : '#missedInRow = :missed',
              historyAction: 'outcome',
              detail,
            };
          }
          return {
            set: ['#status = :done', '#outcome = :outcome', '#closedAt = :now', '#closedBy = :staff', '#expiresAt = :expiresAt', ...noteSet],
            remove: ['#claimedBy', '#claimedAt', ...noteRemove],
            values: { ':done': 'done', ':outcome': outcome, ':expiresAt': expiresAtFor(Date.parse(when), retentionDays), ...noteValue },
            historyAction: 'outcome',
            detail,
          };
        },
        outcome === 'no-answer',
      );
      if (next === 'done') {
        // Frees the number for a new request. If this fails the next requestCallback finds the done
        // request under the old generation and advances it itself, so the outcome stands either way.
        await advanceGeneration(session(), item, at).catch(() => undefined);
      }
      return toRequest(item);
    }

    async function setOptOut(phoneInput: string, optedOut: boolean, tokenInput?: string): Promise<void> {
      await writeOptOut(phoneInput, optedOut, tokenInput);
      if (optedOut) return;
      // Opted back in: the item may expire once nothing else refers to it (no request waiting).
      const phoneHash = await hash(requirePhoneKey(phoneInput));
      const s = session();
      const phone = (await s.send<{ Item?: PhoneItem }>(new GetCommand({ TableName, Key: phoneKey(phoneHash), ConsistentRead: true }))).Item;
      if (!phone || phone.optedOut || phone.expiresAt !== undefined) return;
      const gen = phone.gen ?? 0;
      const waiting = await s.getRequest(requestId(phoneHash, gen));
      if (waiting && waiting.status !== 'done') return;
      await s.update({
        Key: phoneKey(phoneHash),
        UpdateExpression: 'SET #expiresAt = :expiresAt',
        ConditionExpression: `#optedOut = :false AND ${gen === 0 ? 'attribute_not_exists(#gen)' : '#gen = :gen'}`,
        ExpressionAttributeValues: { ':expiresAt': phoneExpiry(clock().getTime()), ':false': false, ':gen': gen },
        ReturnValues: 'NONE',
      });
    }

    async function writeOptOut(phoneInput: string, optedOut: boolean, tokenInput?: string): Promise<void> {
      const at = clock().toISOString();
      const Key = phoneKey(await hash(requirePhoneKey(phoneInput)));
      // An opt-out is kept for as long as it stands: it removes any expiry.
      const set = 'SET #optedOut = :optedOut, #optOutChangedAt = :now, #updatedAt = :now';
      const tail = optedOut ? ' REMOVE #expiresAt' : '';
      const values = { ':optedOut': optedOut, ':now': at };
      const token = tokenInput === undefined ? undefined : cleanLabel(String(tokenInput), LIMITS.sid);
      const s = session();
      if (!token) {
        await s.update({ Key, UpdateExpression: set + tail, ExpressionAttributeValues: values, ReturnValues: 'NONE' });
        return;
      }
      // Once per sid: a late retry of an old 订阅 must not undo the 退订 that came after it.
      const sidValues = { ...values, ':sid': token, ':sidSet': new Set([token]), ':max': MAX_OPT_SIDS };
      const applied = await s.update({
        Key,
        UpdateExpression: `${set} ADD #optSids :sidSet${tail}`,
        ConditionExpression: 'attribute_not_exists(#optSids) OR (NOT contains(#optSids, :sid) AND size(#optSids) < :max)',
        ExpressionAttributeValues: sidValues,
        ReturnValues: 'UPDATED_NEW',
      });
      if (applied) return;
      // Refused: already applied, or the remembered sids are full (start a new set, keeping this one).
      await s.update({
        Key,
        UpdateExpression: `${set}, #optSids = :sidSet${tail}`,
        ConditionExpression: 'NOT contains(#optSids, :sid)',
        ExpressionAttributeValues: sidValues,
        ReturnValues: 'UPDATED_NEW',
      });
    }

    async function isOptedOut(phoneInput: string): Promise<boolean> {
      const result = await session().send<{ Item?: PhoneItem }>(
        new GetCommand({ TableName, Key: phoneKey(await hash(requirePhoneKey(phoneInput))), ConsistentRead: true, ProjectionExpression: '#optedOut', ExpressionAttributeNames: { '#optedOut': 'optedOut' } }),
      );
      return result.Item?.optedOut === true;
    }

    async function consumeQuota(phoneInput: string, kind: QuotaKind, limit: number, windowSeconds: number, tokenInput?: string): Promise<boolean> {
      if (!QUOTA_KINDS.includes(kind)) throw new CallbackInputError('unknown quota kind');
      if (!Number.isInteger(limit) || !Number.isInteger(windowSeconds) || windowSeconds < 1) throw new CallbackInputError('limit and windowSeconds must be integers');
      const token = tokenInput === undefined ? undefined : cleanLabel(String(tokenInput), LIMITS.sid);
      if (tokenInput !== undefined && !token) throw new CallbackInputError('invalid quota token');
      if (limit < 1) return false;
      const start = quotaWindowStart(clock().getTime(), windowSeconds);
      const Key = await quotaKey(phoneInput, kind, start);
      const s = session();
      const under = '(attribute_not_exists(#count) OR #count < :limit)';
      const item = await s.update({
        Key,
        // Tokens are only added while under the limit, so the set never exceeds `limit` entries.
        UpdateExpression: token ? 'ADD #count :one, #tokens :tokenSet SET #expiresAt = :expiresAt' : 'ADD #count :one SET #expiresAt = :expiresAt',
        ConditionExpression: token ? `${under} AND NOT contains(#tokens, :token)` : under,
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': start + windowSeconds + 60, ':token': token, ':tokenSet': token ? new Set([token]) : undefined },
        ReturnValues: 'UPDATED_NEW',
      });
      if (item !== undefined) return true;
      if (!token) return false;
      // Refused: over the limit, or this token was counted already (then it was allowed).
      const current = (await s.send<{ Item?: { tokens?: Set<string> } }>(new GetCommand({ TableName, Key, ConsistentRead: true, ProjectionExpression: '#tokens', ExpressionAttributeNames: { '#tokens': 'tokens' } }))).Item;
      return current?.tokens?.has(token) === true;
    }

    async function recentQuota(phoneInput: string, kind: QuotaKind, windowSeconds: number): Promise<number> {
      if (!QUOTA_KINDS.includes(kind)) throw new CallbackInputError('unknown quota kind');
      if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new CallbackInputError('windowSeconds must be an integer');
      const Key = await quotaKey(phoneInput, kind, quotaWindowStart(clock().getTime(), windowSeconds));
      const item = (await session().send<{ Item?: { count?: number } }>(new GetCommand({ TableName, Key, ConsistentRead: true, ProjectionExpression: '#count', ExpressionAttributeNames: { '#count': 'count' } }))).Item;
      return Number(item?.count ?? 0);
    }

    async function quotaKey(phoneInput: string, kind: QuotaKind, windowStart: number): Promise<{ pk: string }> {
      return { pk: `${KEY_PREFIX.quota}${kind}#${await hash(requirePhoneKey(phoneInput))}#${windowStart}` };
    }

    return { requestCallback, get, findPending, setWindow, rememberQuestion, recentQuestion, listByStatus, claim, release, recordOutcome, setOptOut, isOptedOut, consumeQuota, recentQuota, within: make };
  };
  return make();
}

/** A due slot: two ISO instants, `from` before `until`. */
function checkDue(due: { from: string; until: string }): { from: string; until: string } {
  const from = Date.parse(String(due?.from));
  const until = Date.parse(String(due?.until));
  if (!Number.isFinite(from) || !Number.isFinite(until) || until <= from) throw new CallbackInputError('due must be two ISO times, from before until');
  return { from: new Date(from).toISOString(), until: new Date(until).toISOString() };
}

function requirePhoneKey(phone: string): string {
  const key = typeof phone === 'string' ? phoneKeyOf(phone) : '';
  if (!key || key.length > 64) throw new InvalidPhoneError('empty');
  return key;
}

/**
 * Every attribute is written `#name` in expressions (DynamoDB reserves many common words, e.g.
 * `status`, `window`). Fills ExpressionAttributeNames from them and keeps only the values the
 * expressions use: DynamoDB refuses unused names and values.
 */
function withPlaceholders<T extends { UpdateExpression?: string; ConditionExpression?: string; KeyConditionExpression?: string; ProjectionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> }>(
  input: T,
): T & { ExpressionAttributeNames?: Record<string, string> } {
  const text = [input.UpdateExpression, input.ConditionExpression, input.KeyConditionExpression, input.ProjectionExpression].filter(Boolean).join(' ');
  const nameTokens = new Set(text.match(/#\w+/g) ?? []);
  const valueTokens = new Set(text.match(/:\w+/g) ?? []);
  const values = Object.fromEntries(Object.entries(input.ExpressionAttributeValues ?? {}).filter(([k]) => valueTokens.has(k)));
  return {
    ...input,
    ...(nameTokens.size ? { ExpressionAttributeNames: Object.fromEntries([...nameTokens].map((t) => [t, t.slice(1)])) } : {}),
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : { ExpressionAttributeValues: undefined }),
  };
}

function toRequest(item: RequestItem): CallbackRequest {
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

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(schema: typeof CursorSchema, cursor: string, status: CallbackStatus): Record<string, unknown> {
  try {
    if (cursor.length > 512) throw new Error('too long');
    const parsed = schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.status !== status) throw new Error('other status');
    return parsed;
  } catch {
    throw new CallbackInputError('invalid cursor');
  }
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
