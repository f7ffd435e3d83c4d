import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { buildLambda, LAMBDA_HANDLER } from './lambda-build';

export { REPO_ROOT } from './lambda-build';

export interface HotlineFunctionProps {
  /** Handler file relative to the repository root (`lambdas/voice/handler.ts`); it exports `handler`. */
  entry: string;
  /** Powertools service name (`hotline-voice`), also the function's log identity. */
  serviceName: string;
  description?: string;
  /** Extra environment, merged over the defaults. */
  environment?: Record<string, string>;
  /** MB, from 128 to 1024 (default 512). */
  memorySize?: number;
  /** Seconds, from 1 to 10 (default 10): Twilio gives up after 15 s and callers hear silence long before. */
  timeoutSeconds?: number;
  /** How long the function's log group keeps its logs (default one month). */
  logRetention?: RetentionDays;
  /**
   * The function reads secrets: it gets the AWS Parameters and Secrets Lambda Extension, which the
   * handlers ask over localhost (`lambdas/shared/secrets.ts`) instead of loading an SDK client.
   */
  readsSecrets?: boolean;
  /** At most this many concurrent executions (reserved from the account's pool); unset → shared pool. */
  reservedConcurrency?: number;
}

/** The bounds every hotline function stays within. */
export const FUNCTION_LIMITS = { minMemory: 128, maxMemory: 1024, maxTimeoutSeconds: 10 } as const;

/** The extension's version, pinned (CDK maps it to the layer ARN of each region and architecture). */
export const SECRETS_EXTENSION_VERSION = ParamsAndSecretsVersions.V1_0_103;

/**
 * A hotline Lambda with the settings every function shares: Node 22 on arm64, 512 MB and a 10 s
 * timeout unless a smaller bound is given (Twilio gives up after 15 s), our own code-split minified
 * ESM build with source maps (`lib/lambda-build.ts`: lazy `import()`s stay lazy), its own log group
 * (a month unless configured), and a role that may write only to that log group.
 */
export class HotlineFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: HotlineFunctionProps) {
    const memorySize = props.memorySize ?? 512;
    const timeoutSeconds = props.timeoutSeconds ?? FUNCTION_LIMITS.maxTimeoutSeconds;
    if (!Number.isInteger(memorySize) || memorySize < FUNCTION_LIMITS.minMemory || memorySize > FUNCTION_LIMITS.maxMemory) {
      throw new Error(`${id}: memorySize must be ${FUNCTION_LIMITS.minMemory}–${FUNCTION_LIMITS.maxMemory} MB, got ${memorySize}`);
    }
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > FUNCTION_LIMITS.maxTimeoutSeconds) {
      throw new Error(`${id}: timeoutSeconds must be 1–${FUNCTION_LIMITS.maxTimeoutSeconds}, got ${timeoutSeconds}`);
    }
    // Created beside the function because they must exist before `super()`.
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    // Instead of AWSLambdaBasicExecutionRole (write to any log group): this function's log group only.
    logGroup.grantWrite(role);

    super(scope, id, {
      code: Code.fromAsset(buildLambda(props.entry)),
      handler: LAMBDA_HANDLER,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: Duration.seconds(timeoutSeconds),
      tracing: Tracing.DISABLED,
      role,
      logGroup,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      ...(props.readsSecrets
        ? {
            paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(SECRETS_EXTENSION_VERSION, {
              cacheEnabled: true,
              cacheSize: 10,
              logLevel: ParamsAndSecretsLogLevel.WARN,
              secretsManagerTtl: Duration.minutes(5),
            }),
          }
        : {}),
      environment: {
        // No --enable-source-maps: Node would parse every map on load, 5–10 % of a cold start's CPU and
        // 5 MiB (npm run bench:cold -- --no-source-maps). The maps ship beside the code: to read a stack
        // trace in source terms, set NODE_OPTIONS=--enable-source-maps on the function while investigating.
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
  }
}
