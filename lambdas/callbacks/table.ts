import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The callback table, defined once: the CDK stack, the handlers and the local server read it.
 * Single-table layout: one item per request (pk = `REQ#<id>`), one lock item per phone number
 * (pk = `PHONE#<hash>`) that makes "one open request per number" a conditional write.
 */
export const CALLBACK_TABLE = {
  defaultName: 'hotline-callbacks',
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  /** Open requests, oldest first: partition `queue` = status, sort `createdAt`. */
  queueIndex: { name: 'by-status', partitionKey: 'status', sortKey: 'createdAt' },
} as const;

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
