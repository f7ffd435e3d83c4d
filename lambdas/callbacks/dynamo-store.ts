/**
 * CallbackStore on DynamoDB (dynalite locally). Single-item conditional writes only — dynalite has
 * no transactions — so every invariant is held by one item's condition:
 *
 * - `PHONE#<hash>` (one per number, never expires): `gen`, the generation of the number's current
 *   request; `prevGen`/`prevSids`, the sids applied to the previous one (replays after closing);
 *   `optedOut`. Written when a request closes (gen + 1) and on opt-out/opt-in.
 * - `REQ#<id>` with `id = sha256(<hash>:<gen>)[0..20]`: the request. Because the id follows from
 *   (number, generation), "one open request per number" and "exactly once per sid" are the same
 *   conditional upsert: it creates the item, or updates it while open/claimed and while its `sids`
 *   set lacks this sid. Closing it (done) bumps the number's `gen`, so the next request gets a new id.
 * - `QUOTA#<kind>#<hash>#<windowStart>`: fixed-window counters (ADD under `count < limit`), TTL.
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
// zod/mini: the same checks as zod, tree-shaken to a few KB in the Lambda bundle.
import * as z from 'zod/mini';
import { CALLBACK_TABLE, KEY_PREFIX } from './table';
import {
  cleanLabel,
  cleanNote,
  conflictFor,
  DEFAULT_CLAIM_LEASE_MINUTES,
  DEFAULT_RETENTION_DAYS,
  expiresAtFor,
  generateReferenceCode,
  LIMITS,
  normalisePhone,
  phoneKeyOf,
  quotaWindowStart,
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
  type RequestCallbackInput,
  type RequestCallbackResult,
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
}

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
interface RequestItem extends Omit<CallbackRequest, 'repeats' | 'urgent'> {
  /** Absent on items stored before the flag existed. */
  urgent?: boolean;
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
}

const cursorSchema = z.strictObject({
  pk: z.string().check(z.maxLength(64)),
  status: z.enum(['open', 'claimed', 'done']),
  createdAt: z.string().check(z.maxLength(40)),
});

export function createDynamoCallbackStore(options: DynamoCallbackStoreOptions): CallbackStore {
  const doc = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
  const TableName = options.tableName ?? CALLBACK_TABLE.defaultName;
  const clock = options.now ?? (() => new Date());
  const claimLeaseMs = (options.claimLeaseMinutes ?? DEFAULT_CLAIM_LEASE_MINUTES) * 60_000;
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const random = options.random ?? Math.random;
  const timeoutMs = options.operationTimeoutMs ?? 6000;
  if (!(retentionDays > 0)) throw new CallbackInputError('retentionDays must be positive');

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

  /** One deadline per store call; SDK errors become CallbackStoreError, refused conditions `false`. */
  function session() {
    const abortSignal = AbortSignal.timeout(timeoutMs);
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
    await s.update({
      Key: phoneKey(item.phoneHash),
      UpdateExpression: 'SET #gen = :next, #prevGen = :gen, #prevSids = :sids, #updatedAt = :now',
      ConditionExpression: item.gen === 0 ? 'attribute_not_exists(#gen) OR #gen = :gen' : '#gen = :gen',
      ExpressionAttributeValues: { ':next': item.gen + 1, ':gen': item.gen, ':sids': item.sids, ':now': at },
      ReturnValues: 'NONE',
    });
  }

  async function requestCallback(input: RequestCallbackInput): Promise<RequestCallbackResult> {
    const check = normalisePhone(input.phone);
    if (!check.ok) throw new InvalidPhoneError(check.reason);
    const window = cleanLabel(String(input.window ?? ''), LIMITS.window);
    if (!window) throw new CallbackInputError('window is required (at most 40 characters)');
    const topic = input.topic == null ? null : cleanLabel(String(input.topic), LIMITS.topic);
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
      // A repeat without a window ("回电" alone) or without a topic keeps what the caller chose before.
      const windowUpdate = input.keepWindow ? '#window = if_not_exists(#window, :window)' : '#window = :window';
      const topicUpdate = topic ? '#topic = :topic' : '#topic = if_not_exists(#topic, :topic)';
      // Urgent is only ever set, never cleared: a plain repeat keeps whatever the request has.
      const urgentUpdate = urgent ? '#urgent = :true' : '#urgent = if_not_exists(#urgent, :false)';
      // `sms urgent window=… topic=…`: `urgent` right after the channel, where no window text can be mistaken for it.
      const entry: HistoryEntry = { at, by, action: 'requested', detail: `${input.channel}${urgent ? ' urgent' : ''} window=${window}${topic ? ` topic=${topic}` : ''}` };
      const item = await s.update({
        Key: reqKey(id),
        UpdateExpression: [
          'SET #kind = :kind, #id = if_not_exists(#id, :id), #phoneHash = if_not_exists(#phoneHash, :phoneHash), #gen = if_not_exists(#gen, :gen)',
          '#phone = if_not_exists(#phone, :phone), #code = if_not_exists(#code, :code), #status = if_not_exists(#status, :open)',
          '#channel = if_not_exists(#channel, :channel), #createdAt = if_not_exists(#createdAt, :now), #firstSid = if_not_exists(#firstSid, :sid)',
          `#attempts = if_not_exists(#attempts, :zero), ${windowUpdate}, ${topicUpdate}, ${urgentUpdate}, #updatedAt = :now`,
          '#history = list_append(if_not_exists(#history, :empty), :entry)',
          'ADD #version :one, #requestCount :one, #sids :sidSet',
        ].join(', ').replace(', ADD', ' ADD'),
        // A full item still takes the one ask that makes it urgent (history grows by one entry at most).
        ConditionExpression: `attribute_not_exists(#pk) OR (#status IN (:open, :claimed) AND NOT contains(#sids, :sid) AND ${
          urgent ? '(#requestCount < :max OR attribute_not_exists(#urgent) OR #urgent = :false)' : '#requestCount < :max'
        })`,
        ExpressionAttributeValues: {
          ':kind': 'request', ':id': id, ':phoneHash': phoneHash, ':gen': gen, ':phone': check.e164, ':code': generateReferenceCode(random),
          ':open': 'open', ':claimed': 'claimed', ':channel': input.channel, ':now': at, ':sid': sid, ':zero': 0, ':window': window,
          ':topic': topic, ':empty': [], ':entry': [entry], ':one': 1, ':sidSet': new Set([sid]), ':max': MAX_REQUESTS_PER_ITEM, ':true': true, ':false': false,
        },
      });
      if (item) return { request: toRequest(item), created: item.firstSid === sid && item.requestCount === 1, replayed: false };

      // Refused: this sid was applied already, the request was closed meanwhile, or it is full.
      const current = await s.getRequest(id);
      if (!current) continue;
      if (current.sids.has(sid)) return replay(current);
      if (current.status === 'done') {
        await advanceGeneration(s, current, at);
        continue;
      }
      if (current.requestCount >= MAX_REQUESTS_PER_ITEM && (!urgent || current.urgent === true)) return { request: toRequest(current), created: false, replayed: false };
    }
    throw new CallbackStoreError('requestCallback: too much contention, gave up');
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
    let start = list.cursor === undefined ? undefined : decodeCursor(list.cursor, status);
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
    write: (staff: string, at: string) => { set: string[]; remove?: string[]; values: Record<string, unknown>; detail?: string; historyAction: HistoryEntry['action'] },
  ): Promise<{ item: RequestItem; at: string }> {
    const staff = cleanLabel(String(staffInput ?? ''), LIMITS.staff);
    if (!staff || staff === 'caller' || staff === 'sms') throw new CallbackInputError('staff id is required');
    if (expectedVersion !== undefined && !Number.isInteger(expectedVersion)) throw new CallbackInputError('expectedVersion must be an integer');
    if (!ID_PATTERN.test(id)) throw new CallbackNotFoundError(id);
    const s = session();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const at = clock().toISOString();
      const change = write(staff, at);
      const entry: HistoryEntry = { at, by: staff, action: change.historyAction, ...(change.detail ? { detail: change.detail } : {}) };
      // A claim is free when open, or when its holder's lease ran out (then it can be taken over).
      const leaseStart = new Date(Date.parse(at) - claimLeaseMs).toISOString();
      const condition =
        action === 'claim'
          ? 'attribute_exists(#pk) AND (#status = :from OR (#status = :claimed AND #claimedAt < :leaseStart))'
          : 'attribute_exists(#pk) AND #status = :from AND #claimedBy = :staff';
      const item = await s.update({
        Key: reqKey(id),
        UpdateExpression:
          `SET ${[...change.set, '#updatedAt = :now', '#history = list_append(#history, :entry)'].join(', ')} ADD #version :one` +
          (change.remove?.length ? ` REMOVE ${change.remove.join(', ')}` : ''),
        ConditionExpression: `${condition} AND size(#history) < :historyCap${expectedVersion === undefined ? '' : ' AND #version = :expected'}`,
        ExpressionAttributeValues: {
          ':historyCap': HISTORY_CAP,
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
    const next = statusAfterOutcome(outcome);
    const { item, at } = await transition(id, staff, 'outcome', expectedVersion, (_staff, when) => {
      // The note is the last outcome's: an outcome without one clears an earlier attempt's (history keeps it).
      const noteSet = note ? ['#note = :note'] : [];
      const noteRemove = note ? [] : ['#note'];
      const noteValue = note ? { ':note': note } : {};
      const detail = note ? `${outcome}: ${note}` : outcome;
      return next === 'open'
        ? { set: ['#status = :open', '#attempts = #attempts + :one', ...noteSet], remove: ['#claimedBy', '#claimedAt', ...noteRemove], values: { ':open': 'open', ...noteValue }, historyAction: 'outcome', detail }
        : {
            set: ['#status = :done', '#outcome = :outcome', '#closedAt = :now', '#closedBy = :staff', '#expiresAt = :expiresAt', ...noteSet],
            remove: ['#claimedBy', '#claimedAt', ...noteRemove],
            values: { ':done': 'done', ':outcome': outcome, ':expiresAt': expiresAtFor(Date.parse(when), retentionDays), ...noteValue },
            historyAction: 'outcome',
            detail,
          };
    });
    if (next === 'done') {
      // Frees the number for a new request. If this fails the next requestCallback finds the done
      // request under the old generation and advances it itself, so the outcome stands either way.
      await advanceGeneration(session(), item, at).catch(() => undefined);
    }
    return toRequest(item);
  }

  async function setOptOut(phoneInput: string, optedOut: boolean, tokenInput?: string): Promise<void> {
    const at = clock().toISOString();
    const Key = phoneKey(await hash(requirePhoneKey(phoneInput)));
    const set = 'SET #optedOut = :optedOut, #optOutChangedAt = :now, #updatedAt = :now';
    const values = { ':optedOut': optedOut, ':now': at };
    const token = tokenInput === undefined ? undefined : cleanLabel(String(tokenInput), LIMITS.sid);
    const s = session();
    if (!token) {
      await s.update({ Key, UpdateExpression: set, ExpressionAttributeValues: values, ReturnValues: 'NONE' });
      return;
    }
    // Once per sid: a late retry of an old 订阅 must not undo the 退订 that came after it.
    const sidValues = { ...values, ':sid': token, ':sidSet': new Set([token]), ':max': MAX_OPT_SIDS };
    const applied = await s.update({
      Key,
      UpdateExpression: `${set} ADD #optSids :sidSet`,
      ConditionExpression: 'attribute_not_exists(#optSids) OR (NOT contains(#optSids, :sid) AND size(#optSids) < :max)',
      ExpressionAttributeValues: sidValues,
      ReturnValues: 'UPDATED_NEW',
    });
    if (applied) return;
    // Refused: already applied, or the remembered sids are full (start a new set, keeping this one).
    await s.update({
      Key,
      UpdateExpression: `${set}, #optSids = :sidSet`,
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

  return { requestCallback, get, findPending, listByStatus, claim, release, recordOutcome, setOptOut, isOptedOut, consumeQuota, recentQuota };
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
    topic: item.topic ?? null,
    channel: item.channel,
    repeats: Math.max(0, Number(item.requestCount ?? 1) - 1),
    attempts: Number(item.attempts ?? 0),
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

function decodeCursor(cursor: string, status: CallbackStatus): Record<string, unknown> {
  try {
    if (cursor.length > 512) throw new Error('too long');
    const parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
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
