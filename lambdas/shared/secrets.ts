import { request } from 'node:http';

/**
 * Secrets through the AWS Parameters and Secrets Lambda Extension (a layer the stack adds): an HTTP
 * GET on localhost, authenticated with the function's session token, answered from the extension's
 * cache. No AWS SDK client is loaded: on a cold start that is the difference between a greeting that
 * costs a little more than bare Node and one that costs twice as much (see `npm run bench:cold`).
 * `node:http` rather than `fetch`, whose implementation (undici) is itself slow to load.
 */
export interface SecretOptions {
  /** Seconds a value is reused in this process before asking the extension again (default 300). */
  maxAgeSeconds?: number;
  env?: NodeJS.ProcessEnv;
  /** Per-request deadline in ms (default 2000). */
  timeoutMs?: number;
}

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

/** A reader for one secret: cached for `maxAgeSeconds`, fetched again after a failure. */
export function extensionSecret(secretId: string, options: SecretOptions = {}): () => Promise<string> {
  const env = options.env ?? process.env;
  const maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
  let cached: { value: Promise<string>; at: number } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > maxAgeMs) {
      const value = fetchSecret(secretId, env, options.timeoutMs ?? 2000);
      cached = { value, at: now };
      // A failure is not cached: the next request asks again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };
}

function fetchSecret(secretId: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const port = Number(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773);
  const token = env.AWS_SESSION_TOKEN;
  if (!token) return Promise.reject(new SecretUnavailableError('no AWS_SESSION_TOKEN: the secrets extension cannot be asked'));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, headers: { 'X-Aws-Parameters-Secrets-Token': token }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new SecretUnavailableError(`the secrets extension answered ${res.statusCode}`));
            return;
          }
          try {
            const value = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretString?: unknown }).SecretString;
            if (typeof value !== 'string' || !value.trim()) throw new Error('empty');
            resolve(value.trim());
          } catch {
            reject(new SecretUnavailableError('the secrets extension sent no secret string'));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new SecretUnavailableError(`the secrets extension did not answer within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(error instanceof SecretUnavailableError ? error : new SecretUnavailableError(`the secrets extension is unreachable: ${error.message}`)));
    req.end();
  });
}
