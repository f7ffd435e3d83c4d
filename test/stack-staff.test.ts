import { parseSettings } from '../lib/settings';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_PATH, ROUTES, routeKey } from '../lambdas/http/routes';
import type { ConsoleConfig } from '../lambdas/staff/contract';
import type { HotlineStack } from '../lib/hotline-stack';
import { STAFF_API_PATTERN } from '../lib/staff-console';
import { environmentOf, functionId, onlyResource, resolveValue, resources, synthesize } from './support/stack';

/** Managed policies of CloudFront (fixed ids). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let stack: HotlineStack;
let outdir: string;
let template: Template;
let configured: Template;
let ids: { pool: string; client: string; distribution: string; api: string; bucket: string; logs: string; headers: string };

beforeAll(async () => {
  const synth = await synthesize({
    Hotline: {},
    HotlineConsoleDomain: {
      consoleDomainName: 'staff.hotline.example.org',
      consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-7777-8888-9999-444455556666',
      staffDomainPrefix: 'hotline-staff-test',
    },
  });
  stack = synth.stacks.Hotline!;
  outdir = synth.app.outdir;
  template = synth.templates.Hotline!;
  configured = synth.templates.HotlineConsoleDomain!;
  const buckets = resources(template, 'AWS::S3::Bucket');
  ids = {
    pool: onlyResource(template, 'AWS::Cognito::UserPool')[0],
    client: onlyResource(template, 'AWS::Cognito::UserPoolClient')[0],
    distribution: onlyResource(template, 'AWS::CloudFront::Distribution')[0],
    api: onlyResource(template, 'AWS::ApiGatewayV2::Api')[0],
    bucket: Object.keys(buckets).find((id) => id.includes('Files'))!,
    logs: Object.keys(buckets).find((id) => id.includes('Logs'))!,
    headers: onlyResource(template, 'AWS::CloudFront::ResponseHeadersPolicy')[0],
  };
}, 180_000);

const consoleUrl = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }, `${CONSOLE_PATH}/`]] });

describe('staff sign-in (Cognito)', () => {
  it('lets only administrators create staff, with a strong password policy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 3 }),
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('requires an authenticator-app code at every sign-in and enforces threat protection (Plus plan)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('keeps the staff accounts when the stack is deleted', () => {
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });

  it('invites staff by email with a link to the console', () => {
    const [, pool] = onlyResource(template, 'AWS::Cognito::UserPool');
    const invite = (pool.Properties?.AdminCreateUserConfig as { InviteMessageTemplate: { EmailMessage: unknown } }).InviteMessageTemplate.EmailMessage;
    const text = resolveValue(invite, { [`${ids.distribution}.DomainName`]: 'd111.cloudfront.net' });
    expect(text).toContain('{username}');
    expect(text).toContain('{####}');
    expect(text).toContain(`https://d111.cloudfront.net${CONSOLE_PATH}/`);
  });

  it('has one public console client: code flow (PKCE) only, openid, redirects only to the console', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      UserPoolId: { Ref: ids.pool },
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [consoleUrl()],
      LogoutURLs: [consoleUrl()],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
    });
  });

  it('serves managed login on a Cognito domain, unique per account by default or as configured', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: { Ref: ids.pool },
      ManagedLoginVersion: 2,
      Domain: { 'Fn::Join': ['', ['hotline-', { Ref: 'AWS::AccountId' }]] },
    });
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', { UserPoolId: { Ref: ids.pool }, ClientId: { Ref: ids.client }, UseCognitoProvidedValues: true });
    configured.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'hotline-staff-test' });
  });

  it('puts every staff route behind a JWT authorizer whose issuer is the pool and audience the console client', () => {
    const [authorizerId] = onlyResource(template, 'AWS::ApiGatewayV2::Authorizer');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: ids.client }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: ids.pool }]] },
      },
    });
    const staffRoutes = Object.values(ROUTES).filter((route) => route.auth === 'staff');
    expect(staffRoutes.length).toBeGreaterThan(0);
    const routes = Object.values(resources(template, 'AWS::ApiGatewayV2::Route'));
    for (const route of staffRoutes) {
      const resource = routes.find((r) => r.Properties?.RouteKey === routeKey(route));
      expect(resource?.Properties, routeKey(route)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('tells the staff handler which pool and client to verify tokens against again', () => {
    expect(environmentOf(template, functionId(template, 'staff'))).toMatchObject({ STAFF_USER_POOL_ID: { Ref: ids.pool }, STAFF_USER_POOL_CLIENT_ID: { Ref: ids.client } });
  });
});

describe('staff console (S3 + CloudFront)', () => {
  it('keeps the files in a private, encrypted, SSL-only bucket that only this distribution may read', () => {
    const bucket = resources(template, 'AWS::S3::Bucket')[ids.bucket]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: ids.logs }, LogFilePrefix: 's3-console/' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ Ref: ids.distribution }])] }) } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }) });
  });

  it('serves the console over HTTPS only from S3 with security headers and the console router', () => {
    const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties?.DistributionConfig as Record<string, unknown>;
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: CACHING_OPTIMIZED,
      ResponseHeadersPolicyId: { Ref: ids.headers },
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: expect.anything() }],
    });
    const origins = config.Origins as { Id: string; DomainName: unknown; OriginAccessControlId?: unknown }[];
    const s3 = origins.find((o) => JSON.stringify(o.DomainName).includes(ids.bucket));
    expect(s3?.OriginAccessControlId).toBeDefined();
    expect(config.Logging).toMatchObject({ Bucket: { 'Fn::GetAtt': [ids.logs, 'RegionalDomainName'] }, IncludeCookies: false });
  });

  it(`proxies ${STAFF_API_PATTERN} to the HTTP API: HTTPS, every method, never cached, Authorization passed through`, () => {
    const [, distribution] = onlyResource(template, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties?.DistributionConfig as Record<string, unknown>;
    const behaviors = config.CacheBehaviors as Record<string, unknown>[];
    expect(behaviors).toHaveLength(1);
    const staff = behaviors[0]!;
    expect(staff).toMatchObject({
      PathPattern: STAFF_API_PATTERN,
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ResponseHeadersPolicyId: { Ref: ids.headers },
    });
    expect([...(staff.AllowedMethods as string[])].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    const origin = (config.Origins as { Id: string; DomainName: unknown; CustomOriginConfig?: unknown }[]).find((o) => o.Id === staff.TargetOriginId)!;
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    const host = resolveValue(origin.DomainName, { [`${ids.api}.ApiEndpoint`]: 'https://abc123.execute-api.eu-west-1.amazonaws.com' });
    expect(host).toBe('abc123.execute-api.eu-west-1.amazonaws.com');
    // Every staff route is under the proxied pattern, so the console needs no other origin and no CORS.
    const prefix = STAFF_API_PATTERN.replace(/\*$/, '');
    for (const route of Object.values(ROUTES).filter((r) => r.auth === 'staff')) expect(route.path.startsWith(prefix), route.path).toBe(true);
  });

  it('sends a strict CSP (scripts, styles and connections to itself and Cognito only), HSTS, DENY framing, nosniff, no referrer', () => {
    const [, policy] = onlyResource(template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const security = (policy.Properties?.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> }).SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    const csp = resolveValue(security.ContentSecurityPolicy!.ContentSecurityPolicy, { 'AWS::Region': 'eu-west-1', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::AccountId': '123456789012' });
    const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toEqual({
      'default-src': "'self'",
      'img-src': "'self' data:",
      'style-src': "'self'",
      'script-src': "'self'",
      'connect-src': "'self' https://cognito-idp.eu-west-1.amazonaws.com https://hotline-123456789012.auth.eu-west-1.amazoncognito.com",
      'object-src': "'none'",
      'frame-ancestors': "'none'",
      'base-uri': "'none'",
      'form-action': "'self'",
    });
  });

  it('routes / and /console to /console/ and serves /console/ from index.html (CloudFront function)', () => {
    const [, fn] = onlyResource(template, 'AWS::CloudFront::Function');
    expect(fn.Properties?.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const handler = new Function(`${String(fn.Properties?.FunctionCode)}; return handler;`)() as (event: unknown) => Record<string, unknown>;
    const run = (uri: string) => handler({ request: { uri, method: 'GET', querystring: {}, headers: {} } });
    for (const uri of ['/', CONSOLE_PATH]) expect(run(uri)).toMatchObject({ statusCode: 301, headers: { location: { value: `${CONSOLE_PATH}/` } } });
    expect(run(`${CONSOLE_PATH}/`)).toMatchObject({ uri: `${CONSOLE_PATH}/index.html` });
    expect(run(`${CONSOLE_PATH}/app.js`)).toMatchObject({ uri: `${CONSOLE_PATH}/app.js` });
  });

  it('uses a custom console domain with TLS 1.2 (2021) when configured, and redirects Cognito there', () => {
    const [, distribution] = onlyResource(configured, 'AWS::CloudFront::Distribution');
    expect(distribution.Properties?.DistributionConfig).toMatchObject({
      Aliases: ['staff.hotline.example.org'],
      ViewerCertificate: { AcmCertificateArn: expect.stringMatching(/^arn:aws:acm:us-east-1:/), MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    configured.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: [`https://staff.hotline.example.org${CONSOLE_PATH}/`] });
    configured.hasOutput('ConsoleUrl', { Value: `https://staff.hotline.example.org${CONSOLE_PATH}/` });
    const [distributionId] = onlyResource(configured, 'AWS::CloudFront::Distribution');
    configured.hasOutput('ConsoleDomainTarget', { Value: { 'Fn::GetAtt': [distributionId, 'DomainName'] } });
    expect(Object.keys(template.findOutputs('ConsoleDomainTarget'))).toEqual([]);
  });

  it('names its CloudFront policies per stack and region (names are unique per account)', () => {
    const region = { Ref: 'AWS::Region' };
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: { Name: { 'Fn::Join': ['', ['Hotline-', region, '-console-headers']] } },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { Name: { 'Fn::Join': ['', ['Hotline-', region, '-console-oac']] } },
    });
  });

  it('refuses a console certificate outside us-east-1, where CloudFront cannot use it', () => {
    expect(() =>
      parseSettings({ consoleDomainName: 'staff.example.org', consoleCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-7777-8888-9999-444455556666' }),
    ).toThrow(/us-east-1/);
  });

  it('uploads the built console under console/ with a deploy-time config.json, pruning old files', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: ids.bucket },
      DestinationBucketKeyPrefix: `${CONSOLE_PATH.slice(1)}/`,
      Prune: true,
      RetainOnDelete: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    const [, deployment] = onlyResource(template, 'Custom::CDKBucketDeployment');
    const markers = JSON.stringify(deployment.Properties?.SourceMarkers);
    for (const id of [ids.pool, ids.client, ids.distribution]) expect(markers).toContain(id);
  });

  it('stages the built console (index.html, app.js, styles.css) as the first source; config.json comes from the deployment', () => {
    const [, deployment] = onlyResource(template, 'Custom::CDKBucketDeployment');
    const [consoleKey] = deployment.Properties?.SourceObjectKeys as string[];
    const staged = join(outdir, `asset.${consoleKey!.replace(/\.zip$/, '')}`);
    expect(existsSync(staged), staged).toBe(true);
    const files = readdirSync(staged);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'app.js', 'styles.css']));
    expect(files).not.toContain('config.json');
  });

  it('gives the console the OIDC settings of the pool, client and its own URL (contract.ts ConsoleConfig)', () => {
    const config = stack.resolve(stack.staffAuth.consoleConfig(stack.staffConsole.url)) as Record<string, unknown>;
    const known = {
      [`${ids.pool}.ProviderURL`]: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123',
      [ids.client]: 'client123',
      [`${ids.distribution}.DomainName`]: 'd111.cloudfront.net',
      'AWS::AccountId': '123456789012',
      'AWS::Region': 'eu-west-1',
    };
    const auth = config.auth as Record<string, unknown>;
    const resolved: ConsoleConfig = {
      apiBaseUrl: config.apiBaseUrl as string,
      auth: {
        mode: 'oidc',
        authority: resolveValue(auth.authority, known),
        clientId: resolveValue(auth.clientId, known),
        redirectUri: resolveValue(auth.redirectUri, known),
        scope: auth.scope as string,
        logoutUrl: resolveValue(auth.logoutUrl, known),
      },
    };
    expect(resolved).toEqual({
      apiBaseUrl: '',
      auth: {
        mode: 'oidc',
        authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123',
        clientId: 'client123',
        redirectUri: 'https://d111.cloudfront.net/console/',
        scope: 'openid',
        logoutUrl: 'https://hotline-123456789012.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https://d111.cloudfront.net/console/',
      },
    });
    expect(auth.mode).toBe('oidc');
  });

  it('outputs the console URL and what the operator needs to add staff', () => {
    template.hasOutput('ConsoleUrl', { Value: consoleUrl() });
    template.hasOutput('StaffUserPoolId', { Value: { Ref: ids.pool } });
    template.hasOutput('StaffUserPoolClientId', { Value: { Ref: ids.client } });
    template.hasOutput('StaffSignInDomain', { Value: Match.anyValue() });
  });
});
