/**
 * One store call against the table: its deadline, SDK errors turned into CallbackStoreError, refused
 * conditions into `undefined`, and the expression names and values DynamoDB insists on. Also what
 * every operation of the store is given (`StoreContext`).
 */
import { GetCommand, QueryCommand, UpdateCommand, type DeleteCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { reqKey, type RequestItem } from './dynamo-items';
import type { RandomSource } from './reference-code';
import { CallbackStoreError } from './store';

/** Conditional-write retries inside one call (contention, a concurrent close). */
export const MAX_ROUNDS = 6;

export interface StoreContext {
  tableName: string;
  clock: () => Date;
  /** The per-number hash of a key (see `phoneHasher`). */
  hash: (key: string) => Promise<string>;
  /** A new session: one per store call, so each call gets its own deadline. */
  session: () => StoreSession;
  retentionDays: number;
  maxAttempts: number;
  claimLeaseMinutes: number;
  random: RandomSource;
}

export interface StoreSession {
  send<T>(command: GetCommand | UpdateCommand | QueryCommand | DeleteCommand): Promise<T>;
  /** A strongly consistent read of one item, or of one attribute of it. */
  read<T>(Key: { pk: string }, attribute?: string): Promise<T | undefined>;
  getRequest(id: string): Promise<RequestItem | undefined>;
  /** Runs a conditional update; undefined when the condition refused it. */
  update(input: Omit<UpdateCommandInput, 'TableName' | 'ExpressionAttributeNames'>): Promise<RequestItem | undefined>;
}

/** A session cut at `timeoutMs`, or earlier when `outer` (a webhook's deadline) aborts. */
export function openSession(doc: DynamoDBDocumentClient, TableName: string, timeoutMs: number, outer?: AbortSignal): StoreSession {
  const own = AbortSignal.timeout(timeoutMs);
  const abortSignal = outer ? AbortSignal.any([own, outer]) : own;
  const send = async <T>(command: GetCommand | UpdateCommand | QueryCommand | DeleteCommand): Promise<T> => {
    try {
      return (await doc.send(command as never, { abortSignal })) as T;
    } catch (error) {
      if (isConditionFailure(error)) throw error;
      throw new CallbackStoreError(`DynamoDB ${command.constructor.name} failed: ${errorName(error)}`, { cause: error });
    }
  };
  const read = async <T>(Key: { pk: string }, attribute?: string): Promise<T | undefined> => {
    const projection = attribute ? { ProjectionExpression: `#${attribute}`, ExpressionAttributeNames: { [`#${attribute}`]: attribute } } : {};
    return (await send<{ Item?: T }>(new GetCommand({ TableName, Key, ConsistentRead: true, ...projection }))).Item;
  };
  const getRequest = (id: string) => read<RequestItem>(reqKey(id));
  const update = async (input: Omit<UpdateCommandInput, 'TableName' | 'ExpressionAttributeNames'>): Promise<RequestItem | undefined> => {
    try {
      const command = new UpdateCommand(withPlaceholders({ TableName, ReturnValues: 'ALL_NEW', ...input }));
      return (await send<{ Attributes?: RequestItem }>(command)).Attributes;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  };
  return { send, read, getRequest, update };
}

/**
 * Every attribute is written `#name` in expressions (DynamoDB reserves many common words, e.g.
 * `status`, `window`). Fills ExpressionAttributeNames from them and keeps only the values the
 * expressions use: DynamoDB refuses unused names and values.
 */
function withPlaceholders<T extends { UpdateExpression?: string; ConditionExpression?: string; KeyConditionExpression?: string; ProjectionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> }>(
  input: T,
): T & { ExpressionAttributeNames?: Record<string, string> } {
  // `join` writes an absent expression as nothing; `new Set(null)` is empty.
  const text = [input.UpdateExpression, input.ConditionExpression, input.KeyConditionExpression, input.ProjectionExpression].join(' ');
  const nameTokens = new Set(text.match(/#\w+/g));
  const valueTokens = new Set(text.match(/:\w+/g));
  const values = Object.fromEntries(Object.entries(input.ExpressionAttributeValues ?? {}).filter(([k]) => valueTokens.has(k)));
  return {
    ...input,
    ...(nameTokens.size ? { ExpressionAttributeNames: Object.fromEntries([...nameTokens].map((t) => [t, t.slice(1)])) } : {}),
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : { ExpressionAttributeValues: undefined }),
  };
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
