import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultStackSynthesizer, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  S3OriginAccessControl,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { consoleCsp } from '../console/security-headers';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { writeConsole } from '../console/build';
import { CONSOLE_PATH } from '../lambdas/http/routes';
import type { ConsoleConfig } from '../lambdas/staff/contract';

/**
 * Builds the console (esbuild) into a fresh temporary folder for the stack to deploy. CDK copies it
 * into the cloud assembly while the stack is constructed; the folder is removed when the process exits.
 */
export async function buildConsoleAsset(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-console-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  await writeConsole(dir);
  return dir;
}

const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

/** The CloudFront path pattern proxied to the HTTP API: the staff routes, on the console's own origin. */
export const STAFF_API_PATTERN = '/staff/*';

export interface StaffConsoleProps {
  /** The HTTP API that serves the staff routes (reached through its execute-api endpoint). */
  api: HttpApi;
  /** Origins the console's scripts may call besides its own (Cognito's OIDC discovery and token endpoints). */
  connectSources: string[];
  logRetention: RetentionDays;
  /** Optional custom domain, with its ACM certificate (us-east-1). */
  domainName?: string;
  certificateArn?: string;
}

/**
 * Viewer-request function of the console behaviour: `/` and `/console` go to `/console/`, and
 * `/console/` is served from `console/index.html`. Everything else is a plain object key.
 */
const CONSOLE_ROUTER = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${CONSOLE_PATH}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '${CONSOLE_PATH}/' }, 'cache-control': { value: 'no-store' } } };
  }
  if (uri === '${CONSOLE_PATH}/') request.uri = '${CONSOLE_PATH}/index.html';
  return request;
}`;

/**
 * The staff console: static files in a private S3 bucket served by CloudFront through origin access
 * control, HTTPS only, with security headers on every answer; the same distribution proxies
 * `/staff/*` to the HTTP API (never cached, Authorization passed through), so the console calls its
 * API on its own origin and needs no CORS. Access logs of both go to a log bucket.
 */
export class StaffConsole extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly securityHeaders: ResponseHeadersPolicy;
  /** `https://<host>/console/`: what staff open, and Cognito's only redirect. */
  readonly url: string;
  readonly host: string;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: StaffConsoleProps) {
    super(scope, id);
    this.logRetention = props.logRetention;
    const expiration = props.logRetention === RetentionDays.INFINITE ? undefined : Duration.days(props.logRetention);

    this.logBucket = new Bucket(this, 'Logs', {
      // CloudFront's standard logs are delivered with an ACL grant, which needs ACLs enabled.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: expiration ? [{ expiration }] : [],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself: logging its own access would log into itself without end.',
    });

    this.bucket = new Bucket(this, 'Files', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-console/',
      // Only build output lives here; the deployment empties it when the stack is deleted.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const csp = consoleCsp(props.connectSources);
    // CloudFront policy names are unique per account: the region keeps a second region's stack apart.
    const uniqueName = (what: string) => `${Stack.of(this).stackName}-${Stack.of(this).region}-${what}`;
    this.securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: uniqueName('console-headers'),
      comment: 'Hotline staff console: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
          { header: 'X-Robots-Tag', value: 'noindex, nofollow', override: true },
        ],
      },
    });

    const router = new CloudFrontFunction(this, 'Router', {
      code: FunctionCode.fromInline(CONSOLE_ROUTER),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Redirects / to /console/ and serves /console/ from index.html',
    });

    // https://{apiId}.execute-api.{region}.amazonaws.com → its host name.
    const apiHost = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const custom = props.domainName && props.certificateArn;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Hotline staff console and staff API',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessControl: new S3OriginAccessControl(this, 'OriginAccessControl', { originAccessControlName: uniqueName('console-oac') }),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders,
        functionAssociations: [{ function: router, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        [STAFF_API_PATTERN]: {
          origin: new HttpOrigin(apiHost, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY, originSslProtocols: [OriginSslPolicy.TLS_V1_2] }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Never cached; with caching disabled this managed policy may forward Authorization.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // API Gateway needs its own Host header, so everything else from the viewer.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.securityHeaders,
          compress: true,
        },
      },
      ...(custom
        ? {
            domainNames: [props.domainName!],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn!),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: staff work from mainland China and elsewhere, and every request needs a Cognito sign-in with MFA anyway.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No AWS WAF: a handful of staff use this distribution; every /staff request needs a Cognito JWT (checked by API Gateway and again by the handler) and the API stage is throttled. A web ACL would cost more than the rest of the stack.',
      },
    );
    if (!custom) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose viewer policy CloudFront fixes; set consoleDomainName and consoleCertificateArn to enforce TLSv1.2_2021.',
      });
    }

    this.host = custom ? props.domainName! : this.distribution.distributionDomainName;
    this.url = `https://${this.host}${CONSOLE_PATH}/`;
  }

  /** Uploads the built console under `console/`, with its `config.json` (deploy-time values). */
  deploy(consoleDir: string, config: ConsoleConfig): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(consoleDir), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${CONSOLE_PATH.slice(1)}/`,
      prune: true,
      retainOnDelete: false,
      // Browsers revalidate on every load; CloudFront's managed policy then keeps a copy for 1 s at most.
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 256,
      logGroup: new LogGroup(this, 'DeployLogs', { retention: this.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
    // The upload runs in CDK's own custom-resource Lambda (Python, with the AWS CLI layer), only during
    // deployments. Its role is CDK's: read the asset from the bootstrap bucket, write this bucket.
    const handler = deployment.handlerRole.node.scope;
    if (!handler) throw new Error('BucketDeployment handler not found');
    const stack = Stack.of(this);
    const qualifier = String(this.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER);
    const filesArn = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>`;
    const wildcards = [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      `Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`,
      `Resource::${filesArn}/*`,
    ];
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: "CDK's BucketDeployment provider chooses its own Python runtime; it runs only while deploying the console.",
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's BucketDeployment provider writes its logs with AWSLambdaBasicExecutionRole; it runs only while deploying the console.",
      },
      ...wildcards.map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "CDK's BucketDeployment grants: read the console asset in the CDK bootstrap bucket and sync (list, put, delete) objects in the console bucket; object-level actions need the bucket/* resource.",
      })),
    );
    return deployment;
  }
}

/** The Cognito endpoints a browser signing in with `authority` and the managed-login host must reach. */
export function cognitoConnectSources(stack: Stack, signInHost: string): string[] {
  return [`https://cognito-idp.${stack.region}.${stack.urlSuffix}`, `https://${signInHost}`];
}
