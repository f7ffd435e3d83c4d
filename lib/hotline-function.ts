import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root (this file lives in `lib/`); entries and the lockfile are resolved against it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * esbuild's ESM output keeps CommonJS modules (twilio and its dependencies) as `__require(...)` calls,
 * which need a `require` in scope; Node's ESM has none, so the bundle defines one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __hotlineCreateRequire } from 'node:module'; const require = __hotlineCreateRequire(import.meta.url);";

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
}

/** The bounds every hotline function stays within. */
export const FUNCTION_LIMITS = { minMemory: 128, maxMemory: 1024, maxTimeoutSeconds: 10 } as const;

/**
 * A hotline Lambda with the settings every function shares: Node 22 on arm64, 512 MB and a 10 s
 * timeout unless a smaller bound is given (Twilio gives up after 15 s), one self-contained minified
 * ESM bundle with source maps, its own log group (a month unless configured), and a role that may
 * write only to that log group.
 */
export class HotlineFunction extends NodejsFunction {
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
      entry: isAbsolute(props.entry) ? props.entry : join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: Duration.seconds(timeoutSeconds),
      tracing: Tracing.DISABLED,
      role,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // Stack traces only need the mappings; leaving the sources out keeps the asset small.
        sourcesContent: false,
        target: 'node22',
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        mainFields: ['module', 'main'],
        // Bundle everything, the AWS SDK included: the versions in package-lock.json are the ones tested.
        externalModules: [],
      },
    });
  }
}
