import { CfnOutput, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTIONS, ROUTES, type FunctionName, type RouteName } from '../lambdas/http/routes';
import { CallbackTable } from './callback-table';
import { HotlineFunction } from './hotline-function';

export interface HotlineStackProps extends StackProps {
  /**
   * Origin Twilio calls, e.g. a custom domain with its base path (`https://hotline.example.org`).
   * Handlers check X-Twilio-Signature against this URL, so it must be exactly what is configured in Twilio.
   *
   * @default - context `publicBaseUrl`, else the HTTP API's execute-api endpoint
   */
  publicBaseUrl?: string;
}

/** Twilio gives an unanswered webhook 15 s; past this rate a flood is more likely abuse than callers. */
const THROTTLE = { burstLimit: 50, rateLimit: 20 };

/** One JSON access-log line per request: route, status and timings only (no IPs, query strings or bodies, which can hold phone numbers). */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationStatus: '$context.integrationStatus',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
  }),
);

const capitalize = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** The URL without trailing slashes (the handlers append the request path themselves). */
function normalizeBaseUrl(url: string): string {
  if (Token.isUnresolved(url)) return url;
  const trimmed = url.trim().replace(/\/+$/, '');
  if (!/^https:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(trimmed)) {
    throw new Error(`publicBaseUrl must be an https URL without query or fragment, got "${url}"`);
  }
  return trimmed;
}

/**
 * The hotline on AWS: an HTTP API with one route per ROUTES entry, one Lambda per FUNCTIONS entry,
 * and the Twilio auth token in Secrets Manager.
 *
 * No dependency cycle: the API resource references nothing; routes → integrations → function ARNs,
 * while the functions' environment and invoke permissions reference only the API id.
 */
export class HotlineStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<FunctionName, HotlineFunction>;
  readonly authTokenSecret: Secret;
  readonly publicBaseUrl: string;
  readonly callbacks: CallbackTable;

  constructor(scope: Construct, id: string, props: HotlineStackProps = {}) {
    super(scope, id, props);

    this.api = new HttpApi(this, 'Api', {
      description: 'Twilio voice and SMS webhooks of the hotline',
      // The stage below carries throttling and access logs, which the built-in default stage cannot.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const configured: unknown = props.publicBaseUrl ?? this.node.tryGetContext('publicBaseUrl');
    if (configured !== undefined && typeof configured !== 'string') {
      throw new Error('context publicBaseUrl must be a string');
    }
    // `apiEndpoint` is built from the API id alone: https://{apiId}.execute-api.{region}.{urlSuffix}
    this.publicBaseUrl = configured ? normalizeBaseUrl(configured) : this.api.apiEndpoint;

    this.authTokenSecret = new Secret(this, 'TwilioAuthToken', {
      description: 'Twilio auth token (Console → Account → API keys & tokens). Deployed with a random placeholder: set the real value.',
      // A random placeholder makes every signature check fail (403) until the operator sets the token.
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    Validations.of(this.authTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Twilio auth token is issued by Twilio, not by AWS: Secrets Manager cannot rotate it. The operator rotates it in the Twilio console and updates the secret.',
    });

    this.callbacks = new CallbackTable(this, 'Callbacks');
    const settings = {
      CALLBACK_RETENTION_DAYS: String(this.node.tryGetContext('callbackRetentionDays') ?? 30),
      SMS_REPLIES_PER_HOUR: String(this.node.tryGetContext('smsRepliesPerHour') ?? 20),
      CALLBACKS_PER_DAY: String(this.node.tryGetContext('callbacksPerDay') ?? 3),
    };

    const twilioFunctions = new Set<FunctionName>(
      Object.values(ROUTES)
        .filter((route) => route.auth === 'twilio')
        .map((route) => route.fn),
    );

    const functions: Partial<Record<FunctionName, HotlineFunction>> = {};
    const integrations: Partial<Record<FunctionName, HttpLambdaIntegration>> = {};
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const spec = FUNCTIONS[name];
      const fn = new HotlineFunction(this, `${capitalize(name)}Function`, {
        entry: spec.entry,
        description: spec.description,
        serviceName: `hotline-${name}`,
        environment: {
          PUBLIC_BASE_URL: this.publicBaseUrl,
          TABLE_NAME: this.callbacks.table.tableName,
          POWERTOOLS_METRICS_NAMESPACE: 'Hotline',
          ...settings,
          ...(twilioFunctions.has(name) ? { TWILIO_AUTH_TOKEN_SECRET: this.authTokenSecret.secretArn } : {}),
        },
      });
      if (twilioFunctions.has(name)) this.authTokenSecret.grantRead(fn);
      this.callbacks.grantStore(fn);
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: the bundle targets node22 and the code is tested on Node 22 LTS; moving to a newer runtime is a deliberate change (runtime and esbuild target together).',
      });
      functions[name] = fn;
      // One integration per function, shared by its routes (each route still gets its own invoke permission).
      integrations[name] = new HttpLambdaIntegration(`${capitalize(name)}Integration`, fn);
    }
    this.functions = functions as Record<FunctionName, HotlineFunction>;

    for (const routeName of Object.keys(ROUTES) as RouteName[]) {
      const route = ROUTES[routeName];
      const integration = integrations[route.fn];
      if (!integration) throw new Error(`route ${routeName} names unknown function ${route.fn}`);
      const [httpRoute] = this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
      if (route.auth === 'twilio' && httpRoute) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Twilio webhooks cannot carry IAM, JWT or Lambda-authorizer credentials; the handler authenticates every request by its X-Twilio-Signature (HMAC with the auth token) before acting on it.',
        });
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'execute-api endpoint of the HTTP API' });
    new CfnOutput(this, 'VoiceWebhookUrl', {
      value: `${this.publicBaseUrl}${ROUTES.voiceIncoming.path}`,
      description: 'Twilio phone number → Voice → "A call comes in" (HTTP POST)',
    });
    new CfnOutput(this, 'SmsWebhookUrl', {
      value: `${this.publicBaseUrl}${ROUTES.sms.path}`,
      description: 'Twilio phone number → Messaging → "A message comes in" (HTTP POST)',
    });
    new CfnOutput(this, 'TwilioAuthTokenSecretName', {
      value: this.authTokenSecret.secretName,
      description: 'Set the real token: aws secretsmanager put-secret-value --secret-id <this> --secret-string <token>',
    });
  }
}
