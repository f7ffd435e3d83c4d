import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';

/** A Cognito-like issuer for tests: an RSA key pair, its JWKS and a signer for access tokens. */
export interface TestIssuer {
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwks: Jwks;
  /** Signs `claims` (merged over valid access-token claims) with this issuer's key, or with `key`. */
  token: (claims?: Record<string, unknown>, options?: { key?: KeyObject; kid?: string }) => string;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function newRsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export function createTestIssuer(userPoolId = 'eu-west-1_TestPool1', clientId = 'staffconsoleclient123'): TestIssuer {
  const privateKey = newRsaKey();
  const kid = 'test-key-1';
  const publicJwk = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })).export({ format: 'jwk' });
  const jwks = { keys: [{ kty: 'RSA', n: publicJwk.n!, e: publicJwk.e!, kid, alg: 'RS256', use: 'sig' }] } as Jwks;
  const issuer = `https://cognito-idp.eu-west-1.amazonaws.com/${userPoolId}`;
  return {
    userPoolId,
    clientId,
    issuer,
    jwks,
    token: (claims = {}, options = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        sub: '6f1c0d2e-0000-4000-8000-000000000001',
        iss: issuer,
        client_id: clientId,
        token_use: 'access',
        scope: 'openid email',
        auth_time: now,
        iat: now,
        exp: now + 3600,
        jti: 'test-jti',
        username: 'alice',
        ...claims,
      };
      const head = b64url({ alg: 'RS256', kid: options.kid ?? kid, typ: 'JWT' });
      const body = b64url(payload);
      const signature = sign('sha256', Buffer.from(`${head}.${body}`), options.key ?? privateKey).toString('base64url');
      return `${head}.${body}.${signature}`;
    },
  };
}
