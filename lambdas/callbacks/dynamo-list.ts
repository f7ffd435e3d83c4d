/** Listing requests by status through the `by-status` index, a page at a time, with opaque cursors. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { cursorSchema as CursorSchema } from './cursor';
import { toRequest, type RequestItem } from './dynamo-items';
import type { StoreContext } from './dynamo-session';
import { CALLBACK_STATUSES, CallbackInputError, type CallbackPage, type CallbackRequest, type CallbackStatus, type ListOptions } from './store';
import { CALLBACK_TABLE } from './table';

/** Reads one `urgentOnly` list call may make while they find nothing (each reads up to `limit` items). */
const MAX_FILTERED_READS = 10;

export async function listByStatus(ctx: StoreContext, status: CallbackStatus, list: ListOptions = {}): Promise<CallbackPage> {
  if (!CALLBACK_STATUSES.includes(status)) throw new CallbackInputError('unknown status');
  const limit = list.limit ?? 25;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CallbackInputError('limit must be 1–100');
  // The cursor's schema (zod) loads only for a second page: callers' webhooks never list.
  let start = list.cursor === undefined ? undefined : decodeCursor((await import('./cursor')).cursorSchema, list.cursor, status);
  const { queueIndex } = CALLBACK_TABLE;
  const s = ctx.session();
  const items: CallbackRequest[] = [];
  // `Limit` counts the items read, before the urgent filter: read on while a filtered page came
  // back empty, so a caller does not get a run of empty pages (bounded; the cursor stays valid).
  for (let round = 0; ; round++) {
    const result = await s.send<{ Items?: RequestItem[]; LastEvaluatedKey?: Record<string, unknown> }>(
      new QueryCommand({
        TableName: ctx.tableName,
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

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(schema: typeof CursorSchema, cursor: string, status: CallbackStatus): Record<string, unknown> {
  try {
    // Stryker disable next-line StringLiteral: equivalent — every error here is answered as 'invalid cursor'
    if (cursor.length > 512) throw new Error('too long');
    const parsed = schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    // Stryker disable next-line StringLiteral: equivalent — answered as 'invalid cursor'
    if (parsed.status !== status) throw new Error('other status');
    return parsed;
  } catch {
    throw new CallbackInputError('invalid cursor');
  }
}
