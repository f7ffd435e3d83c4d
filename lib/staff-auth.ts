import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { ConsoleConfig } from '../lambdas/staff/contract';

export interface StaffAuthProps {
  /** The console's URL (`https://d123.cloudfront.net/console/`): the only sign-in and sign-out redirect. */
  consoleUrl: string;
  /** Prefix of `<prefix>.auth.<region>.amazoncognito.com`; must be free in the region. */
  domainPrefix: string;
}

/** What the console asks for: an access token for the staff API and nothing else. */
export const STAFF_SCOPES = [OAuthScope.OPENID];

/**
 * Staff identities: a Cognito user pool that only an administrator can add people to, with a strong
 * password policy, TOTP multi-factor authentication required, and threat protection (compromised
 * credentials, risky sign-ins) — the Plus feature plan, a few cents per active staff member a month.
 * One public app client (no secret: the console is a browser app) using the code flow with PKCE
 * through Cognito's managed login pages; one JWT authorizer for the staff routes.
 */
export class StaffAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly authorizer: HttpUserPoolAuthorizer;
  /** `<prefix>.auth.<region>.amazoncognito.com`, built without referring to the domain resource. */
  readonly signInHost: string;
  /** OIDC issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly authority: string;

  constructor(scope: Construct, id: string, props: StaffAuthProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Staff see callers' full numbers: every sign-in needs an authenticator app code. Managed login
      // asks for the app at the first sign-in (only with MFA required; "optional" never prompts).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: '回电工作台账号 / Hotline staff console account',
        emailBody: `您的回电工作台账号：{username}，临时密码：{####}（3 天内有效）。请打开 ${props.consoleUrl} 登录，首次登录时设置新密码并绑定验证器应用（authenticator app）。`,
      },
      deletionProtection: true,
      // Staff accounts outlive the stack, like the callback table they worked on.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.signInHost = `${props.domainPrefix}.auth.${stack.region}.amazoncognito.com`;

    this.client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: STAFF_SCOPES,
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // About a working day: after that, sign in again (with the authenticator code).
      refreshTokenValidity: Duration.hours(12),
    });

    // Managed login (version 2) shows nothing without a style; Cognito's own defaults are enough.
    const branding = new CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    branding.node.addDependency(this.domain);

    this.authority = `https://${this.userPool.userPoolProviderUrl}`;
    // Issuer = the pool, audience = the console client (for access tokens API Gateway checks client_id).
    this.authorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', this.userPool, {
      userPoolClients: [this.client],
      identitySource: ['$request.header.Authorization'],
    });
  }

  /** What the console reads from its `config.json` (lambdas/staff/contract.ts). */
  consoleConfig(consoleUrl: string): ConsoleConfig {
    return {
      apiBaseUrl: '',
      auth: {
        mode: 'oidc',
        authority: this.authority,
        clientId: this.client.userPoolClientId,
        redirectUri: consoleUrl,
        scope: STAFF_SCOPES.map((s) => s.scopeName).join(' '),
        // Cognito publishes no end_session_endpoint; its logout page ends the managed-login session.
        logoutUrl: `https://${this.signInHost}/logout?client_id=${this.client.userPoolClientId}&logout_uri=${consoleUrl}`,
      },
    };
  }
}
