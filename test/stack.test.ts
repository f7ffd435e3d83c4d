import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, ROUTES, routeKey, type FunctionName } from '../lambdas/http/routes';
import { CALLBACK_TABLE } from '../lambdas/callbacks/table';
import { HotlineStack } from '../lib/hotline-stack';

type Resource = { Type: string; Properties?: Record<string, unknown> };

const CUSTOM_BASE_URL = 'https://hotline.example.org/base';
const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

let app: App;
let stack: HotlineStack;
let template: Template;
let custom: Template;

// One synthesis for the whole file: the default stack and one with a custom publicBaseUrl share the
// app, so each handler is bundled by esbuild once. The context of cdk.json (feature flags) applies, as
// in `cdk synth`. Template.fromStack itself fails on a dependency cycle between resources (e.g. the
// API depending on a function whose environment holds the API's endpoint).
beforeAll(() => {
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
  app = new App({ context: cdkJson.context });
  stack = new HotlineStack(app, 'Hotline');
  const customStack = new HotlineStack(app, 'HotlineCustomDomain', { publicBaseUrl: `${CUSTOM_BASE_URL}/` });
  template = Template.fromStack(stack);
  custom = Template.fromStack(customStack);
}, 120_000);

function resources(from: Template, type: string): Record<string, Resource> {
  return from.findResources(type) as Record<string, Resource>;
}

/** Logical id of the Lambda of FUNCTIONS[name], found by its description. */
function functionId(from: Template, name: FunctionName): string {
  const found = Object.keys(from.findResources('AWS::Lambda::Function', { Properties: { Description: FUNCTIONS[name].description } }));
  expect(found, `Lambda for ${name}`).toHaveLength(1);
  return found[0]!;
}

function environmentOf(from: Template, name: FunctionName): Record<string, unknown> {
  const fn = resources(from, 'AWS::Lambda::Function')[functionId(from, name)]!;
  return ((fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
}

type Statement = { Action: string | string[]; Resource: unknown };

/** Every IAM statement attached to the role of FUNCTIONS[name]. */
function policyStatementsOf(from: Template, name: FunctionName): Statement[] {
  const fn = resources(from, 'AWS::Lambda::Function')[functionId(from, name)]!;
  const roleId = [...referencedIds(fn.Properties?.Role)][0]!;
  const policies = Object.values(resources(from, 'AWS::IAM::Policy')).filter((p) => referencedIds(p.Properties?.Roles).has(roleId));
  return policies.flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Logical ids a value refers to through Ref or Fn::GetAtt. */
function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt') into.add(Array.isArray(inner) ? String(inner[0]) : String(inner).split('.')[0]!);
      else referencedIds(inner, into);
    }
  }
  return into;
}

describe('HotlineStack', () => {
  describe('functions', () => {
    it.each(FUNCTION_NAMES)('deploys %s as one nodejs22.x arm64 Lambda with a timeout of at most 10 s', (name) => {
      const fn = resources(template, 'AWS::Lambda::Function')[functionId(template, name)]!;
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 512, Handler: 'index.handler' });
      expect(fn.Properties?.Timeout).toBeLessThanOrEqual(10);
      expect(fn.Properties?.TracingConfig).toBeUndefined();
    });

    it('creates no Lambda besides the FUNCTIONS entries', () => {
      template.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length);
    });

    it.each(FUNCTION_NAMES)('gives %s PUBLIC_BASE_URL and TWILIO_AUTH_TOKEN_SECRET but never TWILIO_AUTH_TOKEN', (name) => {
      const env = environmentOf(template, name);
      expect(env).toHaveProperty('PUBLIC_BASE_URL');
      expect(env).toHaveProperty('TWILIO_AUTH_TOKEN_SECRET');
      expect(env).not.toHaveProperty('TWILIO_AUTH_TOKEN');
      expect(env).toMatchObject({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: `hotline-${name}` });
    });

    it.each(FUNCTION_NAMES)('keeps the logs of %s for one month in its own log group', (name) => {
      const fn = resources(template, 'AWS::Lambda::Function')[functionId(template, name)]!;
      const logGroupId = [...referencedIds(fn.Properties?.LoggingConfig)][0]!;
      expect(resources(template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({ RetentionInDays: 30 });
    });

    it('derives PUBLIC_BASE_URL from the API endpoint when no publicBaseUrl is given', () => {
      const [apiId] = Object.keys(resources(template, 'AWS::ApiGatewayV2::Api'));
      for (const name of FUNCTION_NAMES) {
        expect(environmentOf(template, name).PUBLIC_BASE_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
      }
    });

    it('uses the configured publicBaseUrl without its trailing slash', () => {
      for (const name of FUNCTION_NAMES) expect(environmentOf(custom, name).PUBLIC_BASE_URL).toBe(CUSTOM_BASE_URL);
      custom.hasOutput('VoiceWebhookUrl', { Value: `${CUSTOM_BASE_URL}${ROUTES.voiceIncoming.path}` });
      custom.hasOutput('SmsWebhookUrl', { Value: `${CUSTOM_BASE_URL}${ROUTES.sms.path}` });
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

    it('serves the $default stage with auto-deploy, throttling and access logs', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 20 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      });
    });

    it('outputs the API URL and the webhook URLs to paste into Twilio', () => {
      const [apiId] = Object.keys(resources(template, 'AWS::ApiGatewayV2::Api'));
      const endpoint = { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] };
      template.hasOutput('ApiUrl', { Value: endpoint });
      template.hasOutput('VoiceWebhookUrl', { Value: { 'Fn::Join': ['', [endpoint, ROUTES.voiceIncoming.path]] } });
      template.hasOutput('SmsWebhookUrl', { Value: { 'Fn::Join': ['', [endpoint, ROUTES.sms.path]] } });
      template.hasOutput('TwilioAuthTokenSecretName', { Value: Match.anyValue() });
    });
  });

  describe('Twilio auth token', () => {
    it('keeps the token in one Secrets Manager secret created with a generated placeholder', () => {
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({}) });
    });

    it.each(FUNCTION_NAMES)('points %s at the secret and lets it read only that secret', (name) => {
      const [secretId] = Object.keys(resources(template, 'AWS::SecretsManager::Secret'));
      expect(environmentOf(template, name).TWILIO_AUTH_TOKEN_SECRET).toEqual({ Ref: secretId });

      const statements = policyStatementsOf(template, name);
      const secretStatements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
      expect(secretStatements).toEqual([expect.objectContaining({ Resource: { Ref: secretId } })]);
      expect([secretStatements[0]!.Action].flat()).toContain('secretsmanager:GetSecretValue');
    });
  });

  describe('callback table', () => {
    it('is on demand, recoverable, encrypted with a rotating customer-managed key, with TTL, and retained', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() }),
          TimeToLiveSpecification: { AttributeName: CALLBACK_TABLE.ttlAttribute, Enabled: true },
          KeySchema: [{ AttributeName: CALLBACK_TABLE.partitionKey, KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [Match.objectLike({ IndexName: CALLBACK_TABLE.queueIndex.name })],
        }),
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it.each(FUNCTION_NAMES)('gives %s the table name and only the store actions, on the table and its index', (name) => {
      const [tableId] = Object.keys(resources(template, 'AWS::DynamoDB::Table'));
      expect(environmentOf(template, name).TABLE_NAME).toEqual({ Ref: tableId });
      const actions = policyStatementsOf(template, name).flatMap((st) => [st.Action].flat()).filter((a) => a.startsWith('dynamodb:'));
      expect(actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    });
  });

  describe('checks', () => {
    it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
      // cdk-nag 3 is a policy-validation plugin: it reports violations instead of annotations.
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
      const findings = report.violations.map((v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
    });

    it('has no error annotations', () => {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    });
  });
});
