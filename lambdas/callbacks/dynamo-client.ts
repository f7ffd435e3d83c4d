/** The DynamoDB client the store sends through: bounded timeouts and retries, no shared-config lookups. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

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
