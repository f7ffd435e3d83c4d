import { Annotations, Aws, CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { ApiMapping, CfnStage, DomainName, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alias } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTIONS, ROUTES, type FunctionName, type Route, type RouteName } from '../lambdas/http/routes';
import type { FailureMetric } from '../lambdas/shared/metrics';
import { HotlineAlarms, METRICS_NAMESPACE } from './alarms';
import { CallbackMonitor } from './callback-monitor';
import { CallbackTable } from './callback-table';
import { HotlineFunction } from './hotline-function';
import { settingsFrom, type HotlineSettings, type SettingsInput } from './settings';
import { StaffAuth } from './staff-auth';
import { cognitoConnectSources, StaffConsole } from './staff-console';
import { OUTPUTS, TWILIO_WEBHOOK_NAMES, TWILIO_WEBHOOKS, webhookPaths } from './twilio-webhooks';

export interface HotlineStackProps extends StackProps, SettingsInput {
  /**
   * The built staff console (a folder with index.html, app.js, …; see `buildConsoleAsset()`),
   * uploaded with a generated `config.json`.
   */
  consoleDir: string;
}

/** Twilio gives an unanswered webhook 15 s; past this rate a flood is more likely abuse than callers. */
const THROTTLE = { burstLimit: 50, rateLimit: 20 };

/**
 * Each route has its own throttle bucket (requests per second, burst), so a flood on one route — the
 * staff API, a scanner on a fallback URL — cannot use up what Twilio's webhooks need, and the
 * fallbacks keep capacity of their own when the webhooks are saturated.
 */
export const ROUTE_THROTTLES: Record<Route['auth'], { rateLimit: number; burstLimit: number }> = {
  twilio: { rateLimit: 20, burstLimit: 50 },
  none: { rateLimit: 10, burstLimit: 20 },
  staff: { rateLimit: 10, burstLimit: 20 },
};

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
    authorizerError: '$context.authorizer.error',
  }),
);

const capitalize = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`;

/** How each function is authenticated, from its routes: this decides its environment and permissions. */
export function functionKind(name: FunctionName): 'twilio' | 'staff' | 'fallback' {
  const auths = new Set((Object.values(ROUTES) as Route[]).filter((route) => route.fn === name).map((route) => route.auth));
  if (auths.has('none')) {
    // The fallback must keep working when the secret or the database does not: nothing else in it.
    if (auths.size > 1) throw new Error(`function ${name} mixes auth "none" routes with others`);
    return 'fallback';
  }
  if (auths.has('twilio') && auths.has('staff')) throw new Error(`function ${name} serves both Twilio and staff routes`);
  if (auths.has('staff')) return 'staff';
  if (auths.has('twilio')) return 'twilio';
  throw new Error(`function ${name} has no route`);
}

/** The failure counters each kind of handler emits (lambdas/shared/metrics.ts). */
const FAILURE_METRICS: Record<'twilio' | 'staff', readonly FailureMetric[]> = {
  twilio: ['StoreFailure', 'WebhookFailure'],
  staff: ['StoreFailure', 'StaffApiFailure'],
};

/** A default Cognito domain prefix, unique per account and region: `<stack>-<account id>`. */
function defaultDomainPrefix(stack: Stack): string {
  const name = stack.stackName
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${name || 'hotline'}-${Aws.ACCOUNT_ID}`;
}

/**
 * The hotline on AWS: an HTTP API with one route per ROUTES entry (Twilio routes check signatures
 * in the handler; staff routes sit behind a Cognito JWT authorizer; the fallback routes are open and
 * static), one Lambda per FUNCTIONS entry, the callback table, the Twilio auth token in Secrets
 * Manager, the staff console on CloudFront, a queue monitor and alarms.
 *
 * No dependency cycle: the API resource references nothing; routes → integrations → function ARNs,
 * while the functions' environment and invoke permissions reference only the API id. The console
 * distribution refers to the API's endpoint, the Cognito client to the distribution's domain, and the
 * staff routes to the client: a chain, never a loop.
 */
export class HotlineStack extends Stack {
  readonly settings: HotlineSettings;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<FunctionName, HotlineFunction>;
  readonly authTokenSecret: Secret;
  readonly phoneKeySecret: Secret;
  /** Origin Twilio calls and the Twilio handlers check signatures against (no trailing slash). */
  readonly publicBaseUrl: string;
  readonly callbacks: CallbackTable;
  readonly staffAuth: StaffAuth;
  readonly staffConsole: StaffConsole;
  readonly monitor: CallbackMonitor;
  readonly alarms: HotlineAlarms;

  constructor(scope: Construct, id: string, props: HotlineStackProps) {
    super(scope, id, props);
    const settings = (this.settings = settingsFrom(this, props));

    this.api = new HttpApi(this, 'Api', {
      description: 'Twilio voice and SMS webhooks and the staff API of the hotline',
      // The stage below carries throttling and access logs, which the built-in default stage cannot.
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: settings.logRetentionDays });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    // A custom domain maps the $default stage at its root, so Twilio's path is exactly the route path.
    let apiDomain: DomainName | undefined;
    if (settings.apiDomainName && settings.apiCertificateArn) {
      apiDomain = new DomainName(this, 'ApiDomain', {
        domainName: settings.apiDomainName,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', settings.apiCertificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'ApiMapping', { api: this.api, domainName: apiDomain, stage: this.stage });
    }
    // `apiEndpoint` is built from the API id alone: https://{apiId}.execute-api.{region}.{urlSuffix}
    this.publicBaseUrl = settings.publicBaseUrl ?? (settings.apiDomainName ? `https://${settings.apiDomainName}` : this.api.apiEndpoint);

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

    // The secret of the per-number keys in the table (HMAC): without it, a plain hash of a mainland
    // mobile number can be reversed by trying the whole number space.
    this.phoneKeySecret = new Secret(this, 'PhoneKey', {
      description: 'Secret of the per-number keys in the callback table (HMAC-SHA-256). Generated; never change it: the keys of waiting requests and limits would no longer match.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.phoneKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the per-number key secret would orphan every key in the table (waiting requests, limits, opt-outs); it is generated once and only read.',
    });

    this.callbacks = new CallbackTable(this, 'Callbacks');

    // Staff console and sign-in. The sign-in host is known before the pool exists (prefix + region),
    // so the console's CSP can name it without referring to Cognito resources.
    const domainPrefix = settings.staffDomainPrefix ?? defaultDomainPrefix(this);
    const signInHost = `${domainPrefix}.auth.${this.region}.amazoncognito.com`;
    this.staffConsole = new StaffConsole(this, 'StaffConsole', {
      api: this.api,
      connectSources: cognitoConnectSources(this, signInHost),
      logRetention: settings.logRetentionDays,
      domainName: settings.consoleDomainName,
      certificateArn: settings.consoleCertificateArn,
    });
    this.staffAuth = new StaffAuth(this, 'StaffAuth', { consoleUrl: this.staffConsole.url, domainPrefix });
    this.staffConsole.deploy(props.consoleDir, this.staffAuth.consoleConfig(this.staffConsole.url));

    const functions: Partial<Record<FunctionName, HotlineFunction>> = {};
    const integrations: Partial<Record<FunctionName, HttpLambdaIntegration>> = {};
    const failureMetrics: Record<string, readonly FailureMetric[]> = {};
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const spec = FUNCTIONS[name];
      const kind = functionKind(name);
      const serviceName = `hotline-${name}`;
      // The fallback checks signatures only to count real fallbacks; Twilio calls it on the execute-api endpoint.
      const fallbackEnvironment = { PUBLIC_BASE_URL: this.api.apiEndpoint, TWILIO_AUTH_TOKEN_SECRET: this.authTokenSecret.secretArn, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE };
      const environment: Record<string, string> =
        kind === 'twilio'
          ? {
              PUBLIC_BASE_URL: this.publicBaseUrl,
              TWILIO_AUTH_TOKEN_SECRET: this.authTokenSecret.secretArn,
              PHONE_KEY_SECRET: this.phoneKeySecret.secretArn,
              TABLE_NAME: this.callbacks.table.tableName,
              POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
              CALLBACK_RETENTION_DAYS: String(settings.callbackRetentionDays),
              SMS_REPLIES_PER_HOUR: String(settings.smsRepliesPerHour),
              CALLBACKS_PER_DAY: String(settings.callbacksPerDay),
              CALLBACK_MAX_ATTEMPTS: String(settings.callbackMaxAttempts),
              CALLBACK_DAYS_OFF: settings.callbackDaysOff,
            }
          : kind === 'staff'
            ? {
                TABLE_NAME: this.callbacks.table.tableName,
                PHONE_KEY_SECRET: this.phoneKeySecret.secretArn,
                STAFF_USER_POOL_ID: this.staffAuth.userPool.userPoolId,
                STAFF_USER_POOL_CLIENT_ID: this.staffAuth.client.userPoolClientId,
                POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
                CALLBACK_RETENTION_DAYS: String(settings.callbackRetentionDays),
                CALLBACK_MAX_ATTEMPTS: String(settings.callbackMaxAttempts),
              }
            : fallbackEnvironment;
      const reserved = kind === 'twilio' ? settings.webhookReservedConcurrency : kind === 'fallback' ? settings.fallbackReservedConcurrency : 0;
      const fn = new HotlineFunction(this, `${capitalize(name)}Function`, {
        entry: spec.entry,
        description: spec.description,
        serviceName,
        environment,
        logRetention: settings.logRetentionDays,
        readsSecrets: true,
        ...(reserved > 0 ? { reservedConcurrency: reserved } : {}),
        // The fallback only returns a constant: the smallest size, and quick to give up.
        ...(kind === 'fallback' ? { memorySize: 128, timeoutSeconds: 3 } : {}),
      });
      if (kind === 'twilio' || kind === 'fallback') this.authTokenSecret.grantRead(fn);
      if (kind !== 'fallback') {
        this.callbacks.grantStore(fn);
        if (kind === 'staff') this.callbacks.grantInboxDelete(fn);
        this.phoneKeySecret.grantRead(fn);
        failureMetrics[serviceName] = FAILURE_METRICS[kind];
      }
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: the bundle targets node22 and the code is tested on Node 22 LTS; moving to a newer runtime is a deliberate change (runtime and esbuild target together).',
      });
      functions[name] = fn;
      // Opt-in: pre-initialised environments for the webhooks, on an alias the routes then invoke.
      const target =
        kind === 'twilio' && settings.webhookProvisionedConcurrency > 0
          ? new Alias(this, `${capitalize(name)}Live`, { aliasName: 'live', version: fn.currentVersion, provisionedConcurrentExecutions: settings.webhookProvisionedConcurrency })
          : fn;
      // One integration per function, shared by its routes (each route still gets its own invoke permission).
      integrations[name] = new HttpLambdaIntegration(`${capitalize(name)}Integration`, target);
    }
    this.functions = functions as Record<FunctionName, HotlineFunction>;

    for (const routeName of Object.keys(ROUTES) as RouteName[]) {
      const route: Route = ROUTES[routeName];
      const integration = integrations[route.fn];
      if (!integration) throw new Error(`route ${routeName} names unknown function ${route.fn}`);
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        ...(route.auth === 'staff' ? { authorizer: this.staffAuth.authorizer } : {}),
      });
      if (!httpRoute) throw new Error(`route ${routeName} was not created`);
      if (route.auth === 'twilio') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Twilio webhooks cannot carry IAM, JWT or Lambda-authorizer credentials; the handler authenticates every request by its X-Twilio-Signature (HMAC with the auth token) before acting on it.',
        });
      } else if (route.auth === 'none') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            "Twilio's Fallback URL: it must answer even when the auth token secret is unreadable, so it checks nothing; it reads no input, touches no data and returns the same static apology to anyone.",
        });
      }
    }

    // Per-route throttles (and route-level metrics for the alarms on Twilio's and the fallbacks' routes).
    const routeSettings: Record<string, object> = {};
    for (const route of Object.values(ROUTES) as Route[]) {
      const limits = ROUTE_THROTTLES[route.auth];
      routeSettings[`${route.method} ${route.path}`] = {
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
        DetailedMetricsEnabled: route.auth !== 'staff',
      };
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    this.monitor = new CallbackMonitor(this, 'CallbackMonitor', { callbacks: this.callbacks, logRetention: settings.logRetentionDays });
    Validations.of(this.monitor.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x like the other hotline functions (same bundle target and tested runtime).',
    });

    this.alarms = new HotlineAlarms(this, 'Alarms', {
      functions: { ...this.functions, monitor: this.monitor.fn },
      fallback: this.functions.fallback,
      api: this.api,
      failureMetrics,
      oldestOpenAge: this.monitor.oldestOpenAge,
      stageName: this.stage.stageName,
      routes: (Object.values(ROUTES) as Route[]).filter((route) => route.auth !== 'staff'),
      callbackAlarmHours: settings.callbackAlarmHours,
      email: settings.alarmEmail,
    });

    if (!settings.alarmEmail) {
      Annotations.of(this).addWarningV2(
        'hotline:no-alarm-email',
        'NO ALARM DESTINATION: alarmEmail is not set, so alarms go to an SNS topic nobody is subscribed to. Deploy with -c alarmEmail=ops@example.org, or subscribe to the AlarmTopic output yourself.',
      );
    }

    this.addOutputs(apiDomain);
  }

  private addOutputs(apiDomain: DomainName | undefined): void {
    new CfnOutput(this, OUTPUTS.apiUrl, { value: this.api.apiEndpoint, description: 'execute-api endpoint of the HTTP API' });
    for (const name of TWILIO_WEBHOOK_NAMES) {
      const webhook = TWILIO_WEBHOOKS[name];
      const paths = webhookPaths(name);
      const label = name === 'voice' ? 'Voice → "A call comes in"' : 'Messaging → "A message comes in"';
      new CfnOutput(this, webhook.output, { value: `${this.publicBaseUrl}${paths.url}`, description: `Twilio number → ${label} (HTTP POST)` });
      // On the execute-api endpoint, so a custom domain's DNS or certificate trouble does not take it down too.
      new CfnOutput(this, webhook.fallbackOutput, {
        value: `${this.api.apiEndpoint}${paths.fallbackUrl}`,
        description: `Twilio number → ${label} → "Primary handler fails" (HTTP POST)`,
      });
    }
    new CfnOutput(this, OUTPUTS.consoleUrl, { value: this.staffConsole.url, description: 'Staff console (sign in with a Cognito user)' });
    new CfnOutput(this, OUTPUTS.userPoolId, {
      value: this.staffAuth.userPool.userPoolId,
      description: 'Add staff: aws cognito-idp admin-create-user --user-pool-id <this> --username <name> --user-attributes Name=email,Value=<email> Name=email_verified,Value=true',
    });
    new CfnOutput(this, OUTPUTS.userPoolClientId, { value: this.staffAuth.client.userPoolClientId, description: 'App client of the console' });
    new CfnOutput(this, OUTPUTS.signInDomain, { value: `https://${this.staffAuth.signInHost}`, description: 'Cognito managed login' });
    new CfnOutput(this, OUTPUTS.alarmTopic, { value: this.alarms.topic.topicArn, description: 'Alarms are published here (subscribe more addresses if needed)' });
    new CfnOutput(this, OUTPUTS.secretName, {
      value: this.authTokenSecret.secretName,
      description: 'Set the real token (README, step 2): aws secretsmanager put-secret-value --secret-id <this> --secret-string file://<file holding the token>',
    });
    if (this.settings.twilioNumber) {
      new CfnOutput(this, OUTPUTS.twilioNumber, { value: this.settings.twilioNumber, description: 'The hotline number (npm run configure-number)' });
    }
    if (this.settings.consoleDomainName) {
      new CfnOutput(this, OUTPUTS.consoleDomainTarget, {
        value: this.staffConsole.distribution.distributionDomainName,
        description: `DNS: CNAME ${this.settings.consoleDomainName} → this (before inviting staff: the invitation links use the domain)`,
      });
    }
    if (apiDomain) {
      new CfnOutput(this, OUTPUTS.apiDomainTarget, {
        value: apiDomain.regionalDomainName,
        description: `DNS: CNAME (or alias) ${this.settings.apiDomainName} → this`,
      });
    }
  }
}
