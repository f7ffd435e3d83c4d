/**
 * StatsStore on the callback table (items described in `../callbacks/table.ts`):
 *
 * - `STATS#<day>`: one item per Beijing day, one number attribute per counter, added to by a single
 *   UpdateItem `ADD` per answer (atomic, no read first), expiring after STATS_RETENTION_DAYS.
 * - `CALL#<key>`: a call's last position id, for its status callback; `key` is a hash of the CallSid
 *   written in letters, so not even Twilio's id of the call is kept. The status callback removes the
 *   position and leaves `ended` until the TTL (a day): that tombstone makes a retried callback, or a
 *   voice request that lands late, change nothing.
 *
 * Why counters in the table rather than CloudWatch metrics (EMF) and a dashboard: the same code counts
 * under `npm start` (dynalite) as in AWS, the staff console can chart it from the staff API, and
 * keeping it is one ~ms write per answer with nothing else to deploy or pay for.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CALLBACK_TABLE, KEY_PREFIX } from '../callbacks/table';
import { addDays, daysBetween, instantAt, isCalendarDate } from '../shared/time-zone';
import type { DayCounters, StatsStore } from './store';
import { isCounterName, isPositionId } from './vocabulary';

/** 13 months and a few days: any month can be set beside the same month a year earlier. */
export const STATS_RETENTION_DAYS = 400;
/** A call's position is kept a day at most (calls last minutes; Twilio's status callback follows at once). */
export const CALL_POSITION_SECONDS = 86_400;
/** Webhook writes give up quickly: a count is worth less than a caller's time. */
const WRITE_TIMEOUT_MS = 500;
const READ_TIMEOUT_MS = 5_000;
const BATCH_KEYS = 100;
const BATCH_ROUNDS = 5;

export class StatsInputError extends Error {
  override readonly name = 'StatsInputError';
}

export interface DynamoStatsStoreOptions {
  client: DynamoDBClient;
  tableName?: string;
  /** Clock of the call positions' expiry (tests inject one). */
  now?: () => Date;
  writeTimeoutMs?: number;
  readTimeoutMs?: number;
  /** How a read waits before asking again for keys DynamoDB left unprocessed (tests record the waits). */
  wait?: (ms: number) => Promise<void>;
}

/** `CALL#` + a 128-bit hash of the CallSid in the letters a–p: no digits, no id Twilio would recognise. */
export function callKey(callSid: string): { pk: string } {
  const hex = createHash('sha256').update(callSid).digest('hex').slice(0, 32);
  return { pk: `${KEY_PREFIX.call}${hex.replace(/[0-9a-f]/g, (c) => String.fromCharCode(97 + Number.parseInt(c, 16)))}` };
}

export const statsKey = (day: string) => ({ pk: `${KEY_PREFIX.stats}${day}` });

export function createDynamoStatsStore(options: DynamoStatsStoreOptions): StatsStore {
  const doc = DynamoDBDocumentClient.from(options.client);
  const TableName = options.tableName ?? CALLBACK_TABLE.defaultName;
  const ttl = CALLBACK_TABLE.ttlAttribute;
  const now = options.now ?? (() => new Date());
  // Stryker disable next-line ArrowFunction: equivalent — waiting or not, the same keys are asked for again; only DynamoDB's load differs.
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const within = (ms: number, outer?: AbortSignal) => (outer ? AbortSignal.any([AbortSignal.timeout(ms), outer]) : AbortSignal.timeout(ms));
  const write = (input: ConstructorParameters<typeof UpdateCommand>[0], signal?: AbortSignal) =>
    doc.send(new UpdateCommand(input), { abortSignal: within(options.writeTimeoutMs ?? WRITE_TIMEOUT_MS, signal) });

  return {
    async add(day, names, signal) {
      if (!isCalendarDate(day)) throw new StatsInputError('day must be YYYY-MM-DD');
      const tally = new Map<string, number>();
      for (const name of names) {
        // The name is never echoed: a bug that built one from input must not log that input either.
        if (!isCounterName(name)) throw new StatsInputError('not a counter of the vocabulary');
        tally.set(name, (tally.get(name) ?? 0) + 1);
      }
      if (!tally.size) return;
      const counters = [...tally];
      await write(
        {
          TableName,
          Key: statsKey(day),
          UpdateExpression: `SET #kind = :kind, #ttl = :expiresAt ADD ${counters.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
          ExpressionAttributeNames: { '#kind': 'kind', '#ttl': ttl, ...Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name])) },
          ExpressionAttributeValues: {
            ':kind': 'stats',
            ':expiresAt': Math.floor(instantAt(addDays(day, STATS_RETENTION_DAYS), 0).getTime() / 1000),
            ...Object.fromEntries(counters.map(([, n], i) => [`:n${i}`, n])),
          },
        },
        signal,
      );
    },

    async placeCall(callSid, position, signal) {
      if (!isPositionId(position)) throw new StatsInputError('not a position id');
      await write(
        {
          TableName,
          Key: callKey(callSid),
          UpdateExpression: 'SET #kind = :kind, #position = :position, #ttl = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#ended)',
          ExpressionAttributeNames: { '#kind': 'kind', '#position': 'position', '#ttl': ttl, '#ended': 'ended' },
          ExpressionAttributeValues: { ':kind': 'call', ':position': position, ':expiresAt': Math.floor(now().getTime() / 1000) + CALL_POSITION_SECONDS },
        },
        signal,
      ).catch(ignoreRefusal);
    },

    async takeCall(callSid, signal) {
      const result = await write(
        {
          TableName,
          Key: callKey(callSid),
          UpdateExpression: 'SET #ended = :true REMOVE #position',
          ConditionExpression: 'attribute_exists(#position)',
          ExpressionAttributeNames: { '#ended': 'ended', '#position': 'position' },
          ExpressionAttributeValues: { ':true': true },
          ReturnValues: 'UPDATED_OLD',
        },
        signal,
      ).catch(ignoreRefusal);
      const position: unknown = result?.Attributes?.position;
      return typeof position === 'string' && isPositionId(position) ? position : undefined;
    },

    async read(from, to) {
      if (!isCalendarDate(from) || !isCalendarDate(to) || to < from) throw new StatsInputError('from and to must be days, from first');
      const days = Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));
      const found: DayCounters[] = [];
      // Stryker disable next-line EqualityOperator: equivalent — a start at the end takes no keys, and the loop below asks for none.
      for (let start = 0; start < days.length; start += BATCH_KEYS) {
        let keys: Record<string, unknown>[] = days.slice(start, start + BATCH_KEYS).map(statsKey);
        for (let round = 0; keys.length && round < BATCH_ROUNDS; round++) {
          if (round) await wait(50 * 2 ** round);
          const answer = await doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: keys } } }), { abortSignal: AbortSignal.timeout(options.readTimeoutMs ?? READ_TIMEOUT_MS) });
          for (const item of answer.Responses?.[TableName] ?? []) found.push(dayOf(item));
          keys = answer.UnprocessedKeys?.[TableName]?.Keys ?? [];
        }
        if (keys.length) throw new Error('stats: DynamoDB left keys unprocessed');
      }
      return found.sort((a, b) => a.day.localeCompare(b.day));
    },
  };
}

/** A day item read back: only vocabulary counters with numbers survive. */
function dayOf(item: Record<string, unknown>): DayCounters {
  const counters: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) if (isCounterName(name) && typeof value === 'number') counters[name] = value;
  return { day: String(item.pk).slice(KEY_PREFIX.stats.length), counters };
}

/** A refused condition is an answer (the call has ended, or has no position), not a failure. */
function ignoreRefusal(error: unknown): undefined {
  if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
  throw error;
}
