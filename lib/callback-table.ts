import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CALLBACK_TABLE, KEY_PREFIX } from '../lambdas/callbacks/table';

/**
 * The only DynamoDB actions the store sends (lambdas/callbacks/dynamo-*.ts: GetCommand,
 * UpdateCommand with conditions, QueryCommand on the index): every write is an UpdateItem. The
 * counts (lambdas/stats/dynamo-stats.ts) add one: BatchGetItem, to read up to 400 days in 4 requests.
 */
export const STORE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'] as const;

/** What the staff function may do besides: delete inbox questions (`grantInboxDelete`). */
export const INBOX_DELETE_ACTIONS = ['dynamodb:DeleteItem'] as const;

/**
 * The callback table from the shared definition (lambdas/callbacks/table.ts): on demand, point-in-time
 * recovery, encrypted with a customer-managed key (phone numbers are personal data), TTL on closed
 * requests, and kept when the stack is deleted.
 */
export class CallbackTable extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts callback requests (phone numbers) at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const { partitionKey, queueIndex, ttlAttribute } = CALLBACK_TABLE;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: queueIndex.name,
      partitionKey: { name: queueIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: queueIndex.sortKey, type: AttributeType.STRING },
    });
  }

  /** Least privilege: the store's actions on the table and its one index, and the key's data-key actions. */
  grantStore(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: [...STORE_ACTIONS],
      resourceArns: [this.table.tableArn, this.queueIndexArn],
    });
    this.key.grant(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
  }

  /**
   * The staff API deletes questions from the inbox at once (`DELETE /staff/inbox/{id}`): DeleteItem,
   * on `INBOX#` keys only (IAM checks the partition key), so no function can delete a callback request.
   */
  grantInboxDelete(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: [...INBOX_DELETE_ACTIONS],
      resourceArns: [this.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${KEY_PREFIX.inbox}*`] } },
    });
  }

  /** Read-only, for monitoring: Query on the `by-status` index and nothing else; decrypt only. */
  grantQueueRead(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [this.queueIndexArn] });
    this.key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey');
  }

  get queueIndexArn(): string {
    return `${this.table.tableArn}/index/${CALLBACK_TABLE.queueIndex.name}`;
  }
}
