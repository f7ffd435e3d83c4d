import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { bundledContent } from '../lambdas/content/content';
import { createStaffApi } from '../lambdas/staff/api';
import { FetchError } from 'aws-jwt-verify/error';
import { AuthUnavailableError, bearerToken, createCognitoAuthenticator, createTokenAuthenticator, staffUsersFromEnv, validStaffId } from '../lambdas/staff/auth';
import { createStaffHandler, topicLabels } from '../lambdas/staff/handler';
import { createTestIssuer, newRsaKey } from './support/jwt';
import { useDynalite } from './support/dynalite';
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
    const refused = (await down(`Bearer ${issuer.token()}`).catch((error: unknown) => error)) as Error;
    expect(refused.name).toBe('AuthUnavailableError');
    expect(refused.message).toMatch(/^cannot verify staff tokens now: \w+$/);
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

  it('reads the scheme only at the start, with any number of spaces after it and trailing whitespace ignored', () => {
    expect(bearerToken('XBearer abc')).toBeUndefined();
    expect(bearerToken(' Bearer abc')).toBeUndefined();
    expect(bearerToken('Bearer    abc')).toBe('abc');
    expect(bearerToken('Bearer abc \t')).toBe('abc');
    expect(bearerToken('Bearer abc x')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
  });

  it('takes a token of up to 8192 characters', () => {
    expect(bearerToken(`Bearer ${'a'.repeat(8192)}`)).toBe('a'.repeat(8192));
    expect(bearerToken(`Bearer ${'a'.repeat(8193)}`)).toBeUndefined();
  });

  it('reserves the actors of callers\' own changes: no staff member is "caller" or "sms"', () => {
    expect(validStaffId('caller')).toBeUndefined();
    expect(validStaffId('sms')).toBeUndefined();
    expect(validStaffId(' alice ')).toBe('alice');
    expect(validStaffId('')).toBeUndefined();
    expect(validStaffId(42)).toBeUndefined();
    expect(validStaffId('x'.repeat(129))).toBeUndefined();
  });

  it('refuses local tokens that are too short to be secret, and names that are not plain staff ids', () => {
    expect(() => createTokenAuthenticator({ short: 'alice' })).toThrow(/16 characters/);
    expect(() => createTokenAuthenticator({ 'fifteen-chars-x': 'alice' })).toThrow(/16 characters/);
    expect(() => createTokenAuthenticator({ 'sixteen-chars-ok': 'alice' })).not.toThrow();
    for (const name of ['sms', 'caller', '  ']) expect(() => createTokenAuthenticator({ 'a-long-enough-token': name }), name).toThrow(/plain label/);
  });

  it('names the staff member whose local token was presented, and nobody for another token', async () => {
    const local = createTokenAuthenticator({ 'alice-token-0123456789': 'alice', 'bob-token-0123456789ab': 'bob' });
    expect(await local('Bearer alice-token-0123456789')).toBe('alice');
    expect(await local('Bearer bob-token-0123456789ab')).toBe('bob');
    expect(await local('Bearer carol-token-0123456789')).toBeUndefined();
    expect(await local('alice-token-0123456789')).toBeUndefined();
    expect(await local(undefined)).toBeUndefined();
  });

  it('reads STAFF_USERS before STAFF_TOKEN', () => {
    expect(staffUsersFromEnv({ STAFF_USERS: 'alice:token-one, bob: token-two ', STAFF_TOKEN: 'x' })).toEqual({ 'token-one': 'alice', 'token-two': 'bob' });
    expect(staffUsersFromEnv({ STAFF_USERS: 'a:token-one' })).toEqual({ 'token-one': 'a' });
    expect(staffUsersFromEnv({ STAFF_TOKEN: ' secret ' })).toEqual({ secret: 'staff' });
    expect(staffUsersFromEnv({})).toBeUndefined();
    expect(() => staffUsersFromEnv({ STAFF_USERS: 'nocolon' })).toThrow(/STAFF_USERS/);
    expect(() => staffUsersFromEnv({ STAFF_USERS: ':token-one' })).toThrow(/STAFF_USERS/);
  });

  it('treats settings of blanks as unset', () => {
    expect(staffUsersFromEnv({ STAFF_USERS: '  ', STAFF_TOKEN: 'secret' })).toEqual({ secret: 'staff' });
    expect(staffUsersFromEnv({ STAFF_TOKEN: '   ' })).toBeUndefined();
  });
});

describe('staff handler with Cognito tokens (as deployed)', () => {
  const dynamo = useDynalite();
  let built: ReturnType<typeof createStaffHandler> | undefined;
  // Built inside the first test that needs it: a wiring that throws fails the tests instead of skipping them.
  const handler: ReturnType<typeof createStaffHandler> = (event) => {
    if (!built) {
      const store = createDynamoCallbackStore({ client: dynamo().client, tableName: dynamo().tableName, retentionDays: 30 });
      built = createStaffHandler({ api: createStaffApi({ store, topicLabel: topicLabels(bundledContent()) }), authenticate, logger: silentLogger });
    }
    return built(event);
  };

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
    await dynamo().stop();
    const answer = await handler(event('GET', '/staff/callbacks', token));
    expect(answer.statusCode).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'unavailable' });
  });
});
