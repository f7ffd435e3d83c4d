import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The callback table, defined once: the CDK stack, the handlers and the local server read it.
 * Single-table layout (details in `dynamo-store.ts`), all keys in `pk`:
 *
 * | pk                                   | what                                                    | TTL            |
 * | ------------------------------------ | ------------------------------------------------------- | -------------- |
 * | `REQ#<id>`                           | one callback request (status, code, due time, history…) | done/unreached |
 * | `PHONE#<hash>`                       | per number: request generation, last sids, opt-out      | see below      |
 * | `QUOTA#<kind>#<hash>#<windowStart>`  | fixed-window rate-limit counter                         | window end     |
 * | `RECENT#<hash>`                      | what a texter asked lately (topics, masked question)    | 2 hours        |
 * | `STATS#<day>`                        | a Beijing day's anonymous counters (`lambdas/stats/`)   | 400 days       |
 * | `CALL#<key>`                         | a call's last menu position id, for its end (no number) | 1 day          |
 * | `INBOX#<id>`                         | a question not answered confidently, for staff to label | 30 days        |
 *
 * `PHONE#` expires once nothing refers to it: retention + 7 days after its last request closed (or
 * after opting back in with no request waiting); never while a request waits or the number is opted out.
 *
 * `<hash>` is the HMAC-SHA-256 (hex) of the E.164 number: the clear number is only in `REQ#` items.
 * `STATS#` and `CALL#` hold counter names from a fixed vocabulary and position ids only: no number, no
 * text, no Twilio sid (`<key>` is a hash of the CallSid in letters; see `lambdas/stats/dynamo-stats.ts`).
 * Only `REQ#` and `INBOX#` items carry `status`, so only they appear in the `by-status` index.
 *
 * `INBOX#` items (no number, not even hashed: see `inbox.ts`) use that index sparsely, under
 * partitions of their own, `inbox` (unlabelled) and `inbox-labelled`: labelling moves a question from
 * one to the other, so "newest first, unlabelled first" is two queries in `createdAt` order, with
 * no new index and no list item to rewrite on every question (a day-bucket item would be one hot,
 * growing item that every webhook contends for, bounded by 400 KB). An item is at most ~2 KB (300
 * characters, two topic ids, a label). The queue's statuses never name these partitions.
 */
export const CALLBACK_TABLE = {
  defaultName: 'hotline-callbacks',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  /** Requests by status, oldest first: partition `status` (open | claimed | unreached | done), sort `createdAt` (ISO). */
  queueIndex: { name: 'by-status', partitionKey: 'status', sortKey: 'createdAt' },
  /** The `by-status` partitions of inbox questions (see above). */
  inboxPartitions: { unlabelled: 'inbox', labelled: 'inbox-labelled' },
} as const;

/** Key prefixes of the item kinds above. */
export const KEY_PREFIX = { request: 'REQ#', phone: 'PHONE#', quota: 'QUOTA#', recent: 'RECENT#', stats: 'STATS#', call: 'CALL#', inbox: 'INBOX#' } as const;

export function createCallbackTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, queueIndex } = CALLBACK_TABLE;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: 'S' },
      { AttributeName: queueIndex.partitionKey, AttributeType: 'S' },
      { AttributeName: queueIndex.sortKey, AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: queueIndex.name,
        KeySchema: [
          { AttributeName: queueIndex.partitionKey, KeyType: 'HASH' },
          { AttributeName: queueIndex.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
