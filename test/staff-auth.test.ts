import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { bundledContent } from '../lambdas/content/content';
import { createStaffApi } from '../lambdas/staff/api';
import { FetchError } from 'aws-jwt-verify/error';
import { AuthUnavailableError, bearerToken, createCognitoAuthenticator, createTokenAuthenticator, staffUsersFromEnv } from '../lambdas/staff/auth';
import { createStaffHandler, topicLabels } from '../lambdas/staff/handler';
import { createTestIssuer, newRsaKey } from './support/jwt';
import { startDynalite, type TestDynamo } from './support/dynalite';
import { silentLogger } from './support/twilio';
import { gatewayEvent } from '../dev/api-gateway';

const issuer = createTestIssuer();
const authenticate = createCognitoAuthenticator({ userPoolId: issuer.userPoolId, clientId: issuer.clientId, jwks: issuer.jwks });

describe('Cognito access tokens', () => {
  it('accepts a valid access token and names the staff member by username', async () => {
    expect(await authenticate(`Bearer ${issuer.token({ username: 'wang.fang' })}`)).toBe('wang.fang');
  });

  it.each([
    ['a token signed by another key', () => issuer.token({}, { key: newRsaKey() })],
    ['an expired token', () => issuer.token({ exp: Math.floor(Date.now() / 1000) - 60, iat: Math.floor(Date.now() / 1000) - 3660 })],
    ['a token for another app client', () => issuer.token({ client_id: 'someotherclient' })],
    ['an id token', () => issuer.token({ token_use: 'id', aud: issuer.clientId })],
    ['a token from another user pool', () => issuer.token({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
    ['a token without a username', () => issuer.token({ username: undefined })],
    ['a token naming a reserved actor', () => issuer.token({ username: 'caller' })],
    ['a tampered payload', () => {
      const [head, , signature] = issuer.token().split('.');
      return `${head}.${Buffer.from(JSON.stringify({ username: 'mallory', exp: 9999999999 })).toString('base64url')}.${signature}`;
    }],
    ['an unsigned token', () => {
      const [, body] = issuer.token().split('.');
      return `${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`;
    }],
    ['garbage', () => 'not.a.jwt'],
  ])('refuses %s', async (_what, make) => {
    expect(await authenticate(`Bearer ${make()}`)).toBeUndefined();
  });
});

describe('signing keys fetched from Cognito', () => {
  const jwksBytes = () => Promise.resolve(new TextEncoder().encode(JSON.stringify(issuer.jwks)).buffer as ArrayBuffer);

  it('fetches the keys once and refuses a token whose key id is not among them', async () => {
    const uris: string[] = [];
    const fetching = createCognitoAuthenticator({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      fetcher: { fetch: (uri) => (uris.push(uri), jwksBytes()) },
    });
    expect(await fetching(`Bearer ${issuer.token({ username: 'zhao' })}`)).toBe('zhao');
    expect(await fetching(`Bearer ${issuer.token({}, { kid: 'unknown-kid' })}`)).toBeUndefined();
    expect(uris[0]).toBe(`${issuer.issuer}/.well-known/jwks.json`);
  });

  it('says it cannot check (rather than "signed out") when the keys cannot be fetched', async () => {
    const down = createCognitoAuthenticator({
      userPoolId: issuer.userPoolId,
      clientId: issuer.clientId,
      fetcher: { fetch: (uri) => Promise.reject(new FetchError(uri, 'connect ETIMEDOUT')) },
    });
    await expect(down(`Bearer ${issuer.token()}`)).rejects.toBeInstanceOf(AuthUnavailableError);
    const handler = createStaffHandler({ api: () => Promise.reject(new Error('not reached')), authenticate: down, logger: silentLogger });
    const answer = await handler(gatewayEvent({ method: 'GET', path: '/staff/me', headers: { authorization: `Bearer ${issuer.token()}` } }));
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body).error).toBe('unavailable');
  });
});

describe('bearer tokens', () => {
  it('reads only the Bearer scheme, bounded in length', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(`Bearer ${'a'.repeat(9000)}`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('refuses local tokens that are too short to be secret', () => {
    expect(() => createTokenAuthenticator({ short: 'alice' })).toThrow(/16 characters/);
  });

  it('reads STAFF_USERS before STAFF_TOKEN', () => {
    expect(staffUsersFromEnv({ STAFF_USERS: 'alice:token-one, bob:token-two', STAFF_TOKEN: 'x' })).toEqual({ 'token-one': 'alice', 'token-two': 'bob' });
    expect(staffUsersFromEnv({ STAFF_TOKEN: ' secret ' })).toEqual({ secret: 'staff' });
    expect(staffUsersFromEnv({})).toBeUndefined();
    expect(() => staffUsersFromEnv({ STAFF_USERS: 'nocolon' })).toThrow(/STAFF_USERS/);
  });
});

describe('staff handler with Cognito tokens (as deployed)', () => {
  let dynamo: TestDynamo;
  let handler: ReturnType<typeof createStaffHandler>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    const store = createDynamoCallbackStore({ client: dynamo.client, tableName: dynamo.tableName, retentionDays: 30 });
    handler = createStaffHandler({ api: createStaffApi({ store, topicLabel: topicLabels(bundledContent()) }), authenticate, logger: silentLogger });
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  /** The event API Gateway sends, with a base64 body. */
  function event(method: string, path: string, authorization?: string, body?: string): APIGatewayProxyEventV2 {
    return gatewayEvent({ method, path, headers: authorization ? { Authorization: authorization } : {}, ...(body === undefined ? {} : { body }), base64: true });
  }

  it('answers a signed-in staff member', async () => {
    const answer = await handler(event('GET', '/staff/me', `Bearer ${issuer.token({ username: 'li.na' })}`));
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ staff: 'li.na' });
  });

  it('answers 401 to an expired token even on a route that lost its authorizer', async () => {
    const expired = issuer.token({ exp: Math.floor(Date.now() / 1000) - 1, iat: Math.floor(Date.now() / 1000) - 3601 });
    const answer = await handler(event('POST', '/staff/callbacks/abc/claim', `Bearer ${expired}`, '{}'));
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body).error).toBe('unauthorized');
  });

  it('answers 503 with JSON when the database is gone', async () => {
    const token = `Bearer ${issuer.token()}`;
    await dynamo.stop();
    const answer = await handler(event('GET', '/staff/callbacks', token));
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'unavailable' });
  });
});
