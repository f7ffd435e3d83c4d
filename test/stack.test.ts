import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALLBACK_TABLE, KEY_PREFIX } from '../lambdas/callbacks/table';
import { FUNCTIONS, ROUTES, routeKey, type FunctionName } from '../lambdas/http/routes';
import { MONITOR_SERVICE, OLDEST_OPEN_METRIC } from '../lambdas/monitoring/names';
import { TWILIO_ROUTE_4XX_THRESHOLD } from '../lib/alarms';
import { INBOX_DELETE_ACTIONS, STORE_ACTIONS } from '../lib/callback-table';
import { MONITOR_DESCRIPTION } from '../lib/callback-monitor';
import { functionKind, ROUTE_THROTTLES } from '../lib/hotline-stack';
import { FUNCTION_LIMITS } from '../lib/hotline-function';
import { parseSettings } from '../lib/settings';
import {
  actionsOf,
  environmentOf,
  functionId,
  functionIdByDescription,
  onlyResource,
  policyStatementsOf,
  referencedIds,
  resources,
  synthesize,
  type Synthesized,
} from './support/stack';

const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];
const CUSTOM_BASE_URL = 'https://hotline.example.org/base';
const API_DOMAIN = 'voice.hotline.example.org';
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const CONSOLE_CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-7777-8888-9999-444455556666';

let synth: Synthesized;
let template: Template;
let custom: Template;
let configured: Template;

// One synthesis for the whole file. Only the default stack is really bundled by esbuild (so a broken
// bundle fails here); the variants with other settings get placeholder code.
beforeAll(async () => {
  synth = await synthesize(
    {
      Hotline: {},
      HotlineCustomBase: { publicBaseUrl: `${CUSTOM_BASE_URL}/` },
      HotlineConfigured: {
        apiDomainName: API_DOMAIN,
        apiCertificateArn: CERTIFICATE,
        consoleDomainName: 'staff.hotline.example.org',
        consoleCertificateArn: CONSOLE_CERTIFICATE,
        alarmEmail: 'ops@example.org',
        twilioNumber: '+1 415 555 0100',
        logRetentionDays: 90,
        callbacksPerDay: '5',
        smsRepliesPerHour: 10,
        callbackRetentionDays: 60,
        callbackAlarmHours: 6,
        staffDomainPrefix: 'my-hotline-staff',
        webhookReservedConcurrency: 20,
        fallbackReservedConcurrency: 0,
        webhookProvisionedConcurrency: 2,
      },
    },
    ['Hotline'],
  );
  template = synth.templates.Hotline!;
  custom = synth.templates.HotlineCustomBase!;
  configured = synth.templates.HotlineConfigured!;
}, 180_000);

const lambdaIds = (from: Template) => Object.fromEntries(FUNCTION_NAMES.map((name) => [name, functionId(from, name)])) as Record<FunctionName, string>;

describe('HotlineStack', () => {
  describe('functions', () => {
    it.each(FUNCTION_NAMES)('deploys %s as one nodejs22.x arm64 Lambda with bounded memory and timeout', (name) => {
      const fn = resources(template, 'AWS::Lambda::Function')[functionId(template, name)]!;
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
      expect(fn.Properties?.Timeout).toBeLessThanOrEqual(FUNCTION_LIMITS.maxTimeoutSeconds);
      expect(fn.Properties?.MemorySize).toBeGreaterThanOrEqual(FUNCTION_LIMITS.minMemory);
      expect(fn.Properties?.MemorySize).toBeLessThanOrEqual(FUNCTION_LIMITS.maxMemory);
      expect(fn.Properties?.TracingConfig).toBeUndefined();
    });

    it('gives the fallback the smallest memory and a short timeout', () => {
      const fn = resources(template, 'AWS::Lambda::Function')[functionId(template, 'fallback')]!;
      expect(fn.Properties).toMatchObject({ MemorySize: 128, Timeout: 3 });
    });

    it('creates the FUNCTIONS entries and the queue monitor as Node Lambdas, plus only CDK’s console-upload provider', () => {
      const all = Object.values(resources(template, 'AWS::Lambda::Function'));
      const node = all.filter((fn) => String(fn.Properties?.Runtime).startsWith('nodejs'));
      expect(node).toHaveLength(FUNCTION_NAMES.length + 1);
      functionIdByDescription(template, MONITOR_DESCRIPTION);
      const others = all.filter((fn) => !String(fn.Properties?.Runtime).startsWith('nodejs'));
      expect(others).toHaveLength(1);
      expect(others[0]!.Properties?.Handler).toBe('index.handler');
      expect(JSON.stringify(others[0]!.Properties?.Layers)).toContain('AwsCliLayer');
    });

    it('classifies every function by its routes: Twilio webhooks, staff API, or the static fallback', () => {
      expect(Object.fromEntries(FUNCTION_NAMES.map((name) => [name, functionKind(name)]))).toEqual({ voice: 'twilio', sms: 'twilio', staff: 'staff', fallback: 'fallback' });
    });

    it.each(FUNCTION_NAMES)('gives %s only the environment its routes need, never the auth token itself', (name) => {
      const env = environmentOf(template, functionId(template, name));
      expect(env).toMatchObject({ POWERTOOLS_SERVICE_NAME: `hotline-${name}`, POWERTOOLS_LOG_LEVEL: 'INFO' });
      // Source maps ship in the asset but are not parsed on every cold start (lib/hotline-function.ts).
      expect(env).not.toHaveProperty('NODE_OPTIONS');
      expect(env).not.toHaveProperty('TWILIO_AUTH_TOKEN');
      const kind = functionKind(name);
      const expected: Record<typeof kind, string[]> = {
        twilio: ['CALLBACKS_PER_DAY', 'CALLBACK_DAYS_OFF', 'CALLBACK_MAX_ATTEMPTS', 'CALLBACK_RETENTION_DAYS', 'PHONE_KEY_SECRET', 'POWERTOOLS_METRICS_NAMESPACE', 'PUBLIC_BASE_URL', 'SMS_REPLIES_PER_HOUR', 'TABLE_NAME', 'TWILIO_AUTH_TOKEN_SECRET'],
        staff: ['CALLBACK_MAX_ATTEMPTS', 'CALLBACK_RETENTION_DAYS', 'PHONE_KEY_SECRET', 'POWERTOOLS_METRICS_NAMESPACE', 'STAFF_USER_POOL_CLIENT_ID', 'STAFF_USER_POOL_ID', 'TABLE_NAME'],
        // Only to count the fallbacks Twilio really used (signed), never to answer.
        fallback: ['POWERTOOLS_METRICS_NAMESPACE', 'PUBLIC_BASE_URL', 'TWILIO_AUTH_TOKEN_SECRET'],
      };
      // The secrets extension's own settings (set by CDK with the layer) are checked in the next test.
      const extension = /^(PARAMETERS_SECRETS_EXTENSION_|SECRETS_MANAGER_|SSM_PARAMETER_STORE_)/;
      expect(Object.keys(env).filter((k) => !['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_LOG_LEVEL'].includes(k) && !extension.test(k)).sort()).toEqual(expected[kind]);
    });

    it.each(FUNCTION_NAMES)('gives %s the secrets extension layer, and reads secrets through it (no SDK client)', (name) => {
      const fn = template.findResources('AWS::Lambda::Function')[functionId(template, name)] as { Properties: { Layers?: unknown[]; Handler: string; Runtime: string } };
      const env = environmentOf(template, functionId(template, name));
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      // Region-agnostic stack: the layer ARN comes from a mapping of the extension's published ARNs.
      expect(JSON.stringify(fn.Properties.Layers)).toContain('Fn::FindInMap');
      expect(JSON.stringify(template.toJSON().Mappings)).toContain('layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:');
      expect(env).toMatchObject({ PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true', PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773', SECRETS_MANAGER_TTL: '300' });
    });

    it('passes the configured limits and retention to the handlers (defaults otherwise)', () => {
      const env = environmentOf(template, functionId(template, 'sms'));
      expect(env).toMatchObject({ CALLBACKS_PER_DAY: '3', SMS_REPLIES_PER_HOUR: '20', CALLBACK_RETENTION_DAYS: '30', CALLBACK_MAX_ATTEMPTS: '3', CALLBACK_DAYS_OFF: '', POWERTOOLS_METRICS_NAMESPACE: 'Hotline' });
      for (const name of ['voice', 'sms'] as const) {
        expect(environmentOf(configured, functionId(configured, name))).toMatchObject({ CALLBACKS_PER_DAY: '5', SMS_REPLIES_PER_HOUR: '10', CALLBACK_RETENTION_DAYS: '60' });
      }
      expect(environmentOf(configured, functionId(configured, 'staff'))).toMatchObject({ CALLBACK_RETENTION_DAYS: '60' });
    });

    it('keeps every log group of the stack for the configured time (a month by default)', () => {
      for (const [from, days] of [
        [template, 30],
        [configured, 90],
      ] as const) {
        const groups = Object.values(resources(from, 'AWS::Logs::LogGroup'));
        expect(groups.length).toBeGreaterThanOrEqual(FUNCTION_NAMES.length + 2);
        for (const group of groups) expect(group.Properties?.RetentionInDays).toBe(days);
        for (const id of [...Object.values(lambdaIds(from)), functionIdByDescription(from, MONITOR_DESCRIPTION)]) {
          const fn = resources(from, 'AWS::Lambda::Function')[id]!;
          const logGroupId = [...referencedIds(fn.Properties?.LoggingConfig)][0]!;
          expect(resources(from, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({ RetentionInDays: days });
        }
      }
    });

    it('derives PUBLIC_BASE_URL from the API endpoint when nothing is configured', () => {
      const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      for (const name of ['voice', 'sms'] as const) {
        expect(environmentOf(template, functionId(template, name)).PUBLIC_BASE_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
      }
    });

    it('uses a configured publicBaseUrl without its trailing slash', () => {
      for (const name of ['voice', 'sms'] as const) expect(environmentOf(custom, functionId(custom, name)).PUBLIC_BASE_URL).toBe(CUSTOM_BASE_URL);
      custom.hasOutput('VoiceWebhookUrl', { Value: `${CUSTOM_BASE_URL}${ROUTES.voiceIncoming.path}` });
      custom.hasOutput('SmsWebhookUrl', { Value: `${CUSTOM_BASE_URL}${ROUTES.sms.path}` });
    });

    it('bundles each handler into a small self-contained ESM file; the fallback into almost nothing', () => {
      const outdir = synth.app.outdir;
      const sizes: Record<string, number> = {};
      for (const name of FUNCTION_NAMES) {
        const fn = resources(template, 'AWS::Lambda::Function')[functionId(template, name)]!;
        const key = String((fn.Properties?.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
        const bundle = join(outdir, `asset.${key}`, 'index.mjs');
        expect(existsSync(bundle), bundle).toBe(true);
        sizes[name] = statSync(bundle).size;
      }
      for (const size of Object.values(sizes)) expect(size).toBeLessThan(2 * 1024 * 1024);
      expect(sizes.fallback).toBeLessThan(4 * 1024);
      const fallback = readFileSync(
        join(outdir, `asset.${String((resources(template, 'AWS::Lambda::Function')[functionId(template, 'fallback')]!.Properties?.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '')}`, 'index.mjs'),
        'utf8',
      );
      expect(fallback).not.toMatch(/dynamodb|secretsmanager|powertools/i);
    });
  });

  describe('HTTP API', () => {
    it.each(Object.entries(ROUTES))('routes %s to the Lambda of its function', (_name, route) => {
      const routes = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).filter((r) => r.Properties?.RouteKey === routeKey(route));
      expect(routes).toHaveLength(1);
      const [integrationId] = [...referencedIds(routes[0]!.Properties?.Target)];
      const integration = resources(template, 'AWS::ApiGatewayV2::Integration')[integrationId!];
      expect(integration?.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
        IntegrationUri: { 'Fn::GetAtt': [functionId(template, route.fn), 'Arn'] },
      });
    });

    it('has exactly the ROUTES entries and no catch-all route', () => {
      const keys = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties?.RouteKey);
      expect(keys.sort()).toEqual(Object.values(ROUTES).map(routeKey).sort());
    });

    it.each(Object.entries(ROUTES))('guards %s as its auth says: staff → the Cognito JWT authorizer, others → none', (_name, route) => {
      const [authorizerId] = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
      const [resource] = Object.values(resources(template, 'AWS::ApiGatewayV2::Route')).filter((r) => r.Properties?.RouteKey === routeKey(route));
      if (route.auth === 'staff') {
        expect(resource!.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(resource!.Properties?.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(resource!.Properties?.AuthorizerId).toBeUndefined();
      }
    });

    it('throttles each route on its own: Twilio webhooks, fallbacks and staff cannot use up each other\'s share', () => {
      const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
      const settings = stage.Properties?.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number; DetailedMetricsEnabled: boolean }>;
      expect(Object.keys(settings).sort()).toEqual(Object.values(ROUTES).map((r) => `${r.method} ${r.path}`).sort());
      for (const route of Object.values(ROUTES)) {
        const limits = ROUTE_THROTTLES[route.auth];
        expect(settings[`${route.method} ${route.path}`]).toEqual({ ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit, DetailedMetricsEnabled: route.auth !== 'staff' });
      }
    });

    it('reserves concurrency for the webhooks (10 each) and the fallback (5) by default, configurable, 0 for none', () => {
      const reserved = (from: Template, name: FunctionName) => resources(from, 'AWS::Lambda::Function')[functionId(from, name)]!.Properties?.ReservedConcurrentExecutions;
      expect([reserved(template, 'voice'), reserved(template, 'sms'), reserved(template, 'fallback'), reserved(template, 'staff')]).toEqual([10, 10, 5, undefined]);
      expect([reserved(configured, 'voice'), reserved(configured, 'sms'), reserved(configured, 'fallback')]).toEqual([20, 20, undefined]);
      expect(resources(template, 'AWS::Lambda::Function')[functionIdByDescription(template, MONITOR_DESCRIPTION)]!.Properties?.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('keeps provisioned concurrency off by default; when set, the webhook routes invoke a "live" alias that has it', () => {
      template.resourceCountIs('AWS::Lambda::Alias', 0);
      const aliases = Object.entries(resources(configured, 'AWS::Lambda::Alias'));
      expect(aliases).toHaveLength(2);
      for (const [aliasId, alias] of aliases) {
        expect(alias.Properties).toMatchObject({ Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
        const integrations = Object.values(resources(configured, 'AWS::ApiGatewayV2::Integration')).filter((i) => JSON.stringify(i.Properties?.IntegrationUri).includes(aliasId));
        expect(integrations).toHaveLength(1);
      }
      expect(() => parseSettings({ webhookProvisionedConcurrency: 11 })).toThrow('cannot exceed webhookReservedConcurrency (10)');
      expect(parseSettings({ webhookProvisionedConcurrency: 11, webhookReservedConcurrency: 0 }).webhookProvisionedConcurrency).toBe(11);
      expect(() => parseSettings({ webhookReservedConcurrency: -1 })).toThrow('from 0 to 1000');
    });

    it('serves the $default stage with auto-deploy, throttling and access logs without IPs', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      });
      const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
      const format = String((stage.Properties?.AccessLogSettings as { Format: string }).Format);
      expect(format).not.toMatch(/sourceIp|querystring|requestOverride|body/i);
    });

    it('outputs the API URL and the webhook and fallback URLs to paste into Twilio', () => {
      const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      const endpoint = { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] };
      template.hasOutput('ApiUrl', { Value: endpoint });
      template.hasOutput('VoiceWebhookUrl', { Value: { 'Fn::Join': ['', [endpoint, ROUTES.voiceIncoming.path]] } });
      template.hasOutput('SmsWebhookUrl', { Value: { 'Fn::Join': ['', [endpoint, ROUTES.sms.path]] } });
      template.hasOutput('VoiceFallbackUrl', { Value: { 'Fn::Join': ['', [endpoint, ROUTES.voiceFallback.path]] } });
      template.hasOutput('SmsFallbackUrl', { Value: { 'Fn::Join': ['', [endpoint, ROUTES.smsFallback.path]] } });
      template.hasOutput('TwilioAuthTokenSecretName', { Value: Match.anyValue() });
      expect(Object.keys(template.findOutputs('TwilioNumber'))).toEqual([]);
    });

    it('maps a custom API domain at its root (TLS 1.2), uses it for the webhooks and keeps the fallbacks on execute-api', () => {
      const [domainId, domain] = onlyResource(configured, 'AWS::ApiGatewayV2::DomainName');
      expect(domain.Properties).toMatchObject({
        DomainName: API_DOMAIN,
        DomainNameConfigurations: [{ CertificateArn: CERTIFICATE, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
      });
      const [, mapping] = onlyResource(configured, 'AWS::ApiGatewayV2::ApiMapping');
      expect(mapping.Properties?.ApiMappingKey).toBeUndefined();
      expect(mapping.Properties?.DomainName).toEqual({ Ref: domainId });
      for (const name of ['voice', 'sms'] as const) expect(environmentOf(configured, functionId(configured, name)).PUBLIC_BASE_URL).toBe(`https://${API_DOMAIN}`);
      configured.hasOutput('VoiceWebhookUrl', { Value: `https://${API_DOMAIN}${ROUTES.voiceIncoming.path}` });
      const [apiId] = onlyResource(configured, 'AWS::ApiGatewayV2::Api');
      configured.hasOutput('VoiceFallbackUrl', { Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, ROUTES.voiceFallback.path]] } });
      configured.hasOutput('ApiDomainTarget', { Value: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] } });
      configured.hasOutput('TwilioNumber', { Value: '+14155550100' });
    });
  });

  describe('Twilio auth token', () => {
    /** The two secrets by logical id: the Twilio auth token and the per-number key secret. */
    const secretIds = () => {
      const ids = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
      return { authToken: ids.find((id) => id.startsWith('TwilioAuthToken'))!, phoneKey: ids.find((id) => id.startsWith('PhoneKey'))! };
    };

    it('keeps the token and the per-number key secret in two Secrets Manager secrets, both generated, neither in the template', () => {
      template.resourceCountIs('AWS::SecretsManager::Secret', 2);
      const { authToken, phoneKey } = secretIds();
      expect(authToken).toBeDefined();
      expect(phoneKey).toBeDefined();
      for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret'))) {
        expect(secret.Properties.GenerateSecretString).toBeDefined();
        expect(secret.Properties.SecretString).toBeUndefined();
      }
    });

    it.each(FUNCTION_NAMES)('lets %s read the auth token only if it serves Twilio webhooks, and the per-number key only if it uses the table', (name) => {
      const { authToken, phoneKey } = secretIds();
      const id = functionId(template, name);
      const secretStatements = policyStatementsOf(template, id).filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
      // CDK may merge both grants into one statement with a list of resources.
      const readable = secretStatements.flatMap((s) => [s.Resource].flat() as { Ref: string }[]).map((r) => r.Ref).sort();
      const kind = functionKind(name);
      const expected = kind === 'twilio' ? [authToken, phoneKey] : kind === 'staff' ? [phoneKey] : [authToken];
      expect(readable).toEqual(expected.sort());
      if (kind === 'twilio') expect(environmentOf(template, id).TWILIO_AUTH_TOKEN_SECRET).toEqual({ Ref: authToken });
      if (kind !== 'fallback') {
        expect(environmentOf(template, id).PHONE_KEY_SECRET).toEqual({ Ref: phoneKey });
        expect(actionsOf(secretStatements)).toContain('secretsmanager:GetSecretValue');
      }
    });
  });

  describe('callback table', () => {
    it('is on demand, recoverable, encrypted with a rotating customer-managed key, with TTL, retained and protected', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      const [keyId] = onlyResource(template, 'AWS::KMS::Key');
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }),
          TimeToLiveSpecification: { AttributeName: CALLBACK_TABLE.ttlAttribute, Enabled: true },
          KeySchema: [{ AttributeName: CALLBACK_TABLE.partitionKey, KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [Match.objectLike({ IndexName: CALLBACK_TABLE.queueIndex.name })],
          DeletionProtectionEnabled: true,
        }),
      });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    });

    it.each(FUNCTION_NAMES)('gives %s the table and only the store actions, or nothing at all (fallback)', (name) => {
      const [tableId] = onlyResource(template, 'AWS::DynamoDB::Table');
      const id = functionId(template, name);
      const statements = policyStatementsOf(template, id);
      const dynamo = actionsOf(statements).filter((a) => a.startsWith('dynamodb:'));
      const kms = actionsOf(statements).filter((a) => a.startsWith('kms:'));
      if (functionKind(name) === 'fallback') {
        expect(environmentOf(template, id).TABLE_NAME).toBeUndefined();
        expect(dynamo).toEqual([]);
        expect(kms).toEqual([]);
        // Its own log group, and reading the auth token (to count only signed fallbacks).
        expect(actionsOf(statements).every((a) => a.startsWith('logs:') || a.startsWith('secretsmanager:'))).toBe(true);
      } else {
        expect(environmentOf(template, id).TABLE_NAME).toEqual({ Ref: tableId });
        // Only the staff API deletes, and only inbox questions (IAM checks the key's prefix).
        expect(dynamo.sort()).toEqual([...STORE_ACTIONS, ...(name === 'staff' ? INBOX_DELETE_ACTIONS : [])].sort());
        const deletes = statements.filter((s) => actionsOf([s]).includes('dynamodb:DeleteItem'));
        expect(deletes.map((s) => s.Condition)).toEqual(name === 'staff' ? [{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${KEY_PREFIX.inbox}*`] } }] : []);
        expect(kms).not.toContain('kms:*');
      }
    });

    it('lets the queue monitor only query the status index and decrypt', () => {
      const id = functionIdByDescription(template, MONITOR_DESCRIPTION);
      const statements = policyStatementsOf(template, id);
      const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(actionsOf(dynamo)).toEqual(['dynamodb:Query']);
      expect(JSON.stringify(dynamo[0]!.Resource)).toContain(`/index/${CALLBACK_TABLE.queueIndex.name}`);
      expect(actionsOf(statements).filter((a) => a.startsWith('kms:')).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
    });
  });

  describe('monitoring', () => {
    it('runs the queue monitor every 5 minutes', () => {
      const id = functionIdByDescription(template, MONITOR_DESCRIPTION);
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] } })],
      });
    });

    it('sends every alarm to one SSL-only SNS topic, with an email subscription only when configured', () => {
      const [topicId] = onlyResource(template, 'AWS::SNS::Topic');
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            // The topic's own policy replaces SNS's default: CloudWatch must be allowed explicitly.
            Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Resource: { Ref: topicId } }),
          ]),
        },
      });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      configured.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
      for (const alarm of Object.values(resources(template, 'AWS::CloudWatch::Alarm'))) {
        // Missing data is fine (no traffic), except from the queue monitor: then nobody watches the queue.
        const missing = alarm.Properties?.MetricName === OLDEST_OPEN_METRIC ? 'breaching' : 'notBreaching';
        expect(alarm.Properties).toMatchObject({ AlarmActions: [{ Ref: topicId }], TreatMissingData: missing });
      }
    });

    it('warns at synth when no alarm destination is configured', () => {
      const warned = (stack: string) => Annotations.fromStack(synth.stacks[stack]!).findWarning('*', Match.stringLikeRegexp('NO ALARM DESTINATION')).length;
      expect(warned('Hotline')).toBe(1);
      expect(warned('HotlineConfigured')).toBe(0);
    });

    function alarmsOn(from: Template, metricName: string, namespace: string): Resource[] {
      return Object.values(resources(from, 'AWS::CloudWatch::Alarm')).filter((a) => a.Properties?.MetricName === metricName && a.Properties?.Namespace === namespace);
    }
    type Resource = { Properties?: Record<string, unknown> };
    const dimension = (alarm: Resource, name: string) => (alarm.Properties?.Dimensions as { Name: string; Value: unknown }[]).find((d) => d.Name === name)?.Value;

    it('alarms on errors and throttles of every Lambda of the hotline', () => {
      const ids = [...Object.values(lambdaIds(template)), functionIdByDescription(template, MONITOR_DESCRIPTION)];
      for (const metric of ['Errors', 'Throttles']) {
        const watched = alarmsOn(template, metric, 'AWS/Lambda').map((a) => dimension(a, 'FunctionName'));
        expect(watched).toEqual(expect.arrayContaining(ids.map((id) => ({ Ref: id }))));
        for (const alarm of alarmsOn(template, metric, 'AWS/Lambda')) expect(alarm.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Period: 300 });
      }
    });

    it('alarms on API 5xx and on every fallback Twilio really used (signed), not on fallback invocations anyone can cause', () => {
      const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      const api5xx = alarmsOn(template, '5xx', 'AWS/ApiGateway');
      expect(api5xx).toHaveLength(1);
      expect(dimension(api5xx[0]!, 'ApiId')).toEqual({ Ref: apiId });
      expect(alarmsOn(template, 'Invocations', 'AWS/Lambda')).toEqual([]);
      for (const metric of ['FallbackServed', 'FallbackUnverified']) {
        const [alarm, ...more] = alarmsOn(template, metric, 'Hotline');
        expect(more).toEqual([]);
        expect(dimension(alarm!, 'service')).toBe('hotline-fallback');
        expect(alarm!.Properties).toMatchObject({ Threshold: 1, Statistic: 'Sum' });
      }
    });

    it('alarms on 4xx of each Twilio route (5 in 5 min: refused signatures, throttling) and on any 4xx of a fallback route (throttled)', () => {
      const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
      const byRoute = new Map(alarmsOn(template, '4xx', 'AWS/ApiGateway').map((a) => [`${String(dimension(a, 'Method'))} ${String(dimension(a, 'Resource'))}`, a]));
      for (const route of Object.values(ROUTES)) {
        const alarm = byRoute.get(`${route.method} ${route.path}`);
        if (route.auth === 'staff') {
          expect(alarm).toBeUndefined();
          continue;
        }
        expect(alarm?.Properties).toMatchObject({ Threshold: route.auth === 'twilio' ? TWILIO_ROUTE_4XX_THRESHOLD : 1, Statistic: 'Sum', Period: 300 });
        expect(dimension(alarm!, 'ApiId')).toEqual({ Ref: apiId });
        expect(dimension(alarm!, 'Stage')).toBe('$default');
      }
    });

    it('alarms on the failures the handlers count (Powertools metrics)', () => {
      const watched = Object.values(resources(template, 'AWS::CloudWatch::Alarm'))
        .filter((a) => a.Properties?.Namespace === 'Hotline' && a.Properties?.MetricName !== OLDEST_OPEN_METRIC)
        .map((a) => `${String(dimension(a, 'service'))}:${String(a.Properties?.MetricName)}`);
      expect(watched.sort()).toEqual(
        [
          'hotline-fallback:FallbackServed', 'hotline-fallback:FallbackUnverified',
          'hotline-sms:StoreFailure', 'hotline-sms:WebhookFailure', 'hotline-staff:StaffApiFailure', 'hotline-staff:StoreFailure', 'hotline-voice:StoreFailure', 'hotline-voice:WebhookFailure',
        ].sort(),
      );
    });

    it('alarms when the oldest open callback request has waited longer than configured (24 h by default)', () => {
      for (const [from, hours] of [
        [template, 24],
        [configured, 6],
      ] as const) {
        const [alarm] = alarmsOn(from, OLDEST_OPEN_METRIC, 'Hotline');
        expect(alarm?.Properties).toMatchObject({ Statistic: 'Maximum', Period: 300, Threshold: hours * 3600, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
        expect(dimension(alarm!, 'service')).toBe(MONITOR_SERVICE);
      }
    });
  });

  describe('settings', () => {
    it('refuses bad values before anything is built', () => {
      expect(() => parseSettings({ publicBaseUrl: 'http://insecure.example.org' })).toThrow(/https/);
      expect(() => parseSettings({ publicBaseUrl: 'https://x.example.org/?q=1' })).toThrow(/query/);
      expect(() => parseSettings({ logRetentionDays: 45 })).toThrow(/logRetentionDays/);
      expect(() => parseSettings({ callbacksPerDay: 0 })).toThrow(/callbacksPerDay/);
      expect(() => parseSettings({ callbackRetentionDays: '3.5' })).toThrow(/callbackRetentionDays/);
      expect(() => parseSettings({ twilioNumber: '13812345678' })).toThrow(/E\.164/);
      expect(() => parseSettings({ alarmEmail: 'nobody' })).toThrow(/alarmEmail/);
      expect(() => parseSettings({ apiDomainName: 'voice.example.org' })).toThrow(/together/);
      expect(() => parseSettings({ apiDomainName: 'voice.example.org', apiCertificateArn: 'nope' })).toThrow(/ARN/);
      expect(() => parseSettings({ staffDomainPrefix: 'aws-staff' })).toThrow(/staffDomainPrefix/);
    });

    it('reads numbers given as strings (-c name=value) and falls back to the defaults', () => {
      expect(parseSettings({ callbacksPerDay: '5', logRetentionDays: '365' })).toMatchObject({ callbacksPerDay: 5, logRetentionDays: 365, smsRepliesPerHour: 20, callbackRetentionDays: 30, callbackAlarmHours: 24 });
    });
  });

  describe('checks', () => {
    it('leaves no cdk-nag AwsSolutions finding unacknowledged, in any configuration', () => {
      // cdk-nag 3 is a policy-validation plugin: it reports violations instead of annotations.
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synth.app);
      const findings = report.violations.map((v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    });

    it('gives every acknowledgement a reason', () => {
      const acknowledged = Object.values(synth.stacks)
        .flatMap((stack) => stack.node.findAll())
        .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
        .flatMap((m) => Object.entries(m.data as Record<string, string>));
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const [id, reason] of acknowledged) expect(reason.length, id).toBeGreaterThan(40);
    });

    it('has no error annotations', () => {
      for (const stack of Object.values(synth.stacks)) {
        expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      }
    });
  });
});
