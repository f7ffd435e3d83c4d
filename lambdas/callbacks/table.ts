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
 *
 * `PHONE#` expires once nothing refers to it: retention + 7 days after its last request closed (or
 * after opting back in with no request waiting); never while a request waits or the number is opted out.
 *
 * `<hash>` is the HMAC-SHA-256 (hex) of the E.164 number: the clear number is only in `REQ#` items.
 * Only `REQ#` items carry `status`, so only they appear in the `by-status` index.
 */
export const CALLBACK_TABLE = {
  defaultName: 'hotline-callbacks',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  /** Requests by status, oldest first: partition `status` (open | claimed | unreached | done), sort `createdAt` (ISO). */
  queueIndex: { name: 'by-status', partitionKey: 'status', sortKey: 'createdAt' },
} as const;

/** Key prefixes of the item kinds above. */
export const KEY_PREFIX = { request: 'REQ#', phone: 'PHONE#', quota: 'QUOTA#', recent: 'RECENT#' } as const;

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
