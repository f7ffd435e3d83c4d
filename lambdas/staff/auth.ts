/**
 * Who is calling the staff API. Two ways, one interface:
 * - AWS: a Cognito access token. The HTTP API's JWT authorizer already refused bad ones; the
 *   handler verifies it again (aws-jwt-verify: signature, issuer, expiry, client, token use) so
 *   a route that lost its authorizer still lets nobody in.
 * - `npm start`: bearer tokens from STAFF_TOKEN / STAFF_USERS, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksNotAvailableInCacheError, JwksValidationError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import { cleanLabel, LIMITS } from '../callbacks/text-cleaning';

/**
 * Staff id for a valid `Authorization` header, undefined for a bad one. Throws AuthUnavailableError
 * when it cannot tell (the signing keys could not be fetched): that is a 503, not a sign-out.
 */
export type Authenticator = (authorization: string | undefined) => Promise<string | undefined>;

export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
}

/** Longest bearer token read (Cognito access tokens are ~1 KB). */
const MAX_TOKEN_LENGTH = 8192;

export function bearerToken(authorization: string | undefined): string | undefined {
  // Stryker disable next-line StringLiteral: equivalent — a missing header read as any other text without the scheme gives no token either.
  const match = /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(authorization ?? '');
  const token = match?.[1];
  return token && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

/** Names the store reserves for callers' own changes (history `by`). */
const RESERVED = new Set(['caller', 'sms']);

export function validStaffId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const cleaned = cleanLabel(id, LIMITS.staff);
  return cleaned && !RESERVED.has(cleaned) ? cleaned : undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Local tokens: `{ token: staffId }`. Hashing first makes every comparison the same length. */
export function createTokenAuthenticator(users: Readonly<Record<string, string>>): Authenticator {
  const known = Object.entries(users).map(([token, staff]) => {
    const id = validStaffId(staff);
    if (!id || token.length < 16) throw new Error(`staff token for "${staff}" must be at least 16 characters and the name a plain label`);
    return { hash: digest(token), staff: id };
  });
  return (authorization) => {
    const token = bearerToken(authorization);
    if (!token) return Promise.resolve(undefined);
    const hash = digest(token);
    let found: string | undefined;
    // No early exit: the time taken does not tell which entry matched.
    for (const entry of known) if (timingSafeEqual(entry.hash, hash)) found = entry.staff;
    return Promise.resolve(found);
  };
}

export interface CognitoAuthOptions {
  userPoolId: string;
  clientId: string;
  /** The pool's signing keys, when known in advance (tests): otherwise fetched once and cached. */
  jwks?: Jwks;
  /** How the keys are fetched (tests replace the network). */
  fetcher?: Fetcher;
}

/** Cognito access tokens of the staff app client; the staff id is the `username` claim. */
export function createCognitoAuthenticator(options: CognitoAuthOptions): Authenticator {
  const verifier = CognitoJwtVerifier.create(
    { userPoolId: options.userPoolId, clientId: options.clientId, tokenUse: 'access' },
    options.fetcher ? { jwksCache: new SimpleJwksCache({ fetcher: options.fetcher }) } : undefined,
  );
  if (options.jwks) verifier.cacheJwks(options.jwks);
  return async (authorization) => {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    try {
      const claims = await verifier.verify(token);
      return validStaffId(claims.username);
    } catch (error) {
      // Cognito's keys unreachable or garbled: the token may be fine, so do not answer 401.
      if (error instanceof FetchError || error instanceof JwksNotAvailableInCacheError || error instanceof JwksValidationError) {
        throw new AuthUnavailableError(`cannot verify staff tokens now: ${error.name}`);
      }
      return undefined;
    }
  };
}

/**
 * The local server's staff: STAFF_USERS="alice:token1,bob:token2" (several), else STAFF_TOKEN (one
 * identity, `staff`), else undefined (the caller generates a token and prints it).
 */
export function staffUsersFromEnv(env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  if (env.STAFF_USERS?.trim()) {
    const users: Record<string, string> = {};
    for (const pair of env.STAFF_USERS.split(',')) {
      const at = pair.indexOf(':');
      if (at < 1) throw new Error('STAFF_USERS must look like "alice:token1,bob:token2"');
      users[pair.slice(at + 1).trim()] = pair.slice(0, at).trim();
    }
    return users;
  }
  if (env.STAFF_TOKEN?.trim()) return { [env.STAFF_TOKEN.trim()]: 'staff' };
  return undefined;
}
