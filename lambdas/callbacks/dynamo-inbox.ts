/**
 * `INBOX#<id>` items: the question inbox (`inbox.ts`) on the callback table. Listed through the
 * `by-status` index under two partitions of their own (why: `table.ts`), newest first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAtFor, ID_PATTERN } from './dynamo-items';
import type { StoreContext } from './dynamo-session';
import { INBOX_LIMITS, inboxText, type InboxGuess, type InboxListOptions, type InboxPage, type InboxQuestion, type KeepQuestionInput } from './inbox';
import { CallbackInputError } from './store';
import { CALLBACK_TABLE, KEY_PREFIX } from './table';
import { cleanLabel, cleanTopics, LIMITS } from './text-cleaning';
import { localTime } from '../shared/time-zone';

const { unlabelled: UNLABELLED, labelled: LABELLED } = CALLBACK_TABLE.inboxPartitions;
type Partition = typeof UNLABELLED | typeof LABELLED;

interface InboxItem {
  pk: string;
  kind: 'inbox';
  id: string;
  text: string;
  guess: InboxGuess;
  channel: InboxQuestion['channel'];
  day: string;
  createdAt: string;
  expiresAt: number;
  status: Partition;
  label?: string | null;
  labelledBy?: string;
  labelledAt?: string;
}

const inboxKey = (id: string) => ({ pk: `${KEY_PREFIX.inbox}${id}` });

export async function keepQuestion(ctx: StoreContext, input: KeepQuestionInput): Promise<void> {
  const text = inboxText(String(input.text ?? ''));
  if (!text) return;
  if (input.channel !== 'sms' && input.channel !== 'voice') throw new CallbackInputError('channel must be voice or sms');
  const sid = input.sourceSid ? cleanLabel(String(input.sourceSid), LIMITS.sid) : null;
  // From the sid, a retried delivery finds its own item; the words tell two questions of one call apart.
  const id = sid ? createHash('sha256').update(`${sid}\n${text}`).digest('hex').slice(0, 20) : randomBytes(10).toString('hex');
  const now = ctx.clock();
  const item: Omit<InboxItem, 'pk'> = {
    kind: 'inbox',
    id,
    text,
    guess: cleanGuess(input.guess),
    channel: input.channel,
    day: localTime(now).date,
    createdAt: now.toISOString(),
    expiresAt: expiresAtFor(now.getTime(), INBOX_LIMITS.retentionDays),
    status: UNLABELLED,
  };
  const names = Object.keys(item);
  await ctx.session().update({
    Key: inboxKey(id),
    UpdateExpression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
    // A replay changes nothing, not even a label given meanwhile.
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeValues: Object.fromEntries(Object.entries(item).map(([name, value]) => [`:${name}`, value])),
    ReturnValues: 'NONE',
  });
}

/** Only the shapes `InboxGuess` allows: two topics to an ask-back, one to a near miss, none otherwise. */
function cleanGuess(guess: InboxGuess | undefined): InboxGuess {
  const topics = cleanTopics(guess?.topics ?? []);
  if (guess?.kind === 'ask' && topics.length >= 2) return { kind: 'ask', topics: topics.slice(0, 2) };
  if (guess?.kind === 'topic' && topics.length >= 1) return { kind: 'topic', topics: topics.slice(0, 1) };
  return { kind: 'none', topics: [] };
}

export async function listInbox(ctx: StoreContext, options: InboxListOptions = {}): Promise<InboxPage> {
  const limit = options.limit ?? 25;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CallbackInputError('limit must be 1–100');
  const partitions: Partition[] = options.labelled === undefined ? [UNLABELLED, LABELLED] : [options.labelled ? LABELLED : UNLABELLED];
  let { partition, start } = options.cursor ? decodeCursor(options.cursor, partitions) : { partition: partitions[0]!, start: undefined };
  const s = ctx.session();
  const nowSeconds = ctx.clock().getTime() / 1000;
  const items: InboxQuestion[] = [];
  for (;;) {
    const { queueIndex } = CALLBACK_TABLE;
    const result = await s.send<{ Items?: InboxItem[]; LastEvaluatedKey?: Record<string, unknown> }>(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: queueIndex.name,
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': queueIndex.partitionKey },
        ExpressionAttributeValues: { ':status': partition },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    // TTL deletes up to days late: a question past its 30 days is gone for staff already.
    items.push(...(result.Items ?? []).filter((item) => Number(item.expiresAt) > nowSeconds).map(toQuestion));
    // A query that stops at its Limit always says where (LastEvaluatedKey), so without one this
    // partition is read to its end and the page still has room: go on in the next one.
    if (result.LastEvaluatedKey) return { items, cursor: encodeCursor(partition, result.LastEvaluatedKey) };
    const next = partitions[partitions.indexOf(partition) + 1];
    if (!next) return { items };
    partition = next;
    start = undefined;
  }
}

export async function labelQuestion(ctx: StoreContext, id: string, topic: string | null, staff: string): Promise<InboxQuestion | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const label = topic === null ? null : cleanLabel(String(topic), LIMITS.topic);
  if (topic !== null && !label) throw new CallbackInputError('topic must be a topic id or null');
  const by = cleanLabel(String(staff ?? ''), LIMITS.staff);
  if (!by) throw new CallbackInputError('staff id is required');
  const now = ctx.clock();
  const item = await ctx.session().update({
    Key: inboxKey(id),
    UpdateExpression: 'SET #label = :label, #labelledBy = :by, #labelledAt = :now, #status = :labelled',
    ConditionExpression: 'attribute_exists(#pk) AND #expiresAt > :nowSeconds',
    ExpressionAttributeValues: { ':label': label, ':by': by, ':now': now.toISOString(), ':labelled': LABELLED, ':nowSeconds': Math.floor(now.getTime() / 1000) },
  });
  return item ? toQuestion(item as unknown as InboxItem) : undefined;
}

export async function deleteQuestion(ctx: StoreContext, id: string): Promise<boolean> {
  if (!ID_PATTERN.test(id)) return false;
  const result = await ctx.session().send<{ Attributes?: unknown }>(new DeleteCommand({ TableName: ctx.tableName, Key: inboxKey(id), ReturnValues: 'ALL_OLD' }));
  return result.Attributes !== undefined;
}

function toQuestion(item: InboxItem): InboxQuestion {
  const guess = item.guess ?? { kind: 'none', topics: [] };
  return {
    id: item.id,
    text: item.text,
    guess: { kind: guess.kind, topics: [...(guess.topics ?? [])] },
    channel: item.channel,
    day: item.day,
    createdAt: item.createdAt,
    expiresAt: Number(item.expiresAt),
    ...(item.status === LABELLED ? { label: { topic: item.label ?? null, by: item.labelledBy ?? '', at: item.labelledAt ?? '' } } : {}),
  };
}

/** A page's end: the partition to go on in and, within it, the index key to start after. */
function encodeCursor(partition: Partition, key?: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ p: partition, ...(key ? { k: key } : {}) })).toString('base64url');
}

/** Only what `encodeCursor` writes, for the partitions this listing reads: anything else is refused. */
function decodeCursor(cursor: string, partitions: Partition[]): { partition: Partition; start?: Record<string, unknown> } {
  try {
    // Stryker disable next-line StringLiteral: equivalent — every error here is answered as 'invalid cursor'
    if (cursor.length > 512) throw new Error('too long');
    const { p, k, ...rest } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; k?: Record<string, unknown> };
    const partition = partitions.find((candidate) => candidate === p);
    // Stryker disable next-line StringLiteral: equivalent — answered as 'invalid cursor'
    if (!partition || Object.keys(rest).length) throw new Error('other listing');
    if (k === undefined) return { partition };
    const { pk, status, createdAt, ...extra } = k;
    const valid = typeof pk === 'string' && pk.startsWith(KEY_PREFIX.inbox) && pk.length <= 64 && status === partition && typeof createdAt === 'string' && createdAt.length <= 40;
    // Stryker disable next-line StringLiteral: equivalent — answered as 'invalid cursor'
    if (!valid || Object.keys(extra).length) throw new Error('not an inbox key');
    return { partition, start: { pk, status, createdAt } };
  } catch {
    throw new CallbackInputError('invalid cursor');
  }
}
