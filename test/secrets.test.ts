import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionSecret, SecretUnavailableError } from '../lambdas/shared/secrets';

/** A stand-in for the AWS Parameters and Secrets Lambda Extension on localhost. */
const seen: IncomingMessage[] = [];
let answer: { status: number; body: string } = { status: 200, body: JSON.stringify({ SecretString: ' the-token \n' }) };
const server = createServer((req, res) => {
  seen.push(req);
  res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
});
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((server.address() as AddressInfo).port), AWS_SESSION_TOKEN: 'session-123' };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('secrets through the Lambda extension', () => {
  it('asks the extension with the session token and the secret id, and reuses the value while fresh', async () => {
    seen.length = 0;
    answer = { status: 200, body: JSON.stringify({ Name: 'x', SecretString: ' the-token \n' }) };
    const read = extensionSecret('arn:aws:secretsmanager:eu-west-1:1:secret:twilio/token-AbC', { env });
    expect(await read()).toBe('the-token');
    expect(await read()).toBe('the-token');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/secretsmanager/get?secretId=arn%3Aaws%3Asecretsmanager%3Aeu-west-1%3A1%3Asecret%3Atwilio%2Ftoken-AbC');
    expect(seen[0]!.headers['x-aws-parameters-secrets-token']).toBe('session-123');
  });

  it('asks again after its maximum age', async () => {
    seen.length = 0;
    const read = extensionSecret('s', { env, maxAgeSeconds: 0 });
    await read();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await read();
    expect(seen).toHaveLength(2);
  });

  it('fails plainly on an error answer, an empty secret or no extension, and does not keep the failure', async () => {
    answer = { status: 400, body: '{}' };
    const read = extensionSecret('s', { env });
    await expect(read()).rejects.toBeInstanceOf(SecretUnavailableError);
    answer = { status: 200, body: JSON.stringify({ SecretString: '   ' }) };
    await expect(read()).rejects.toThrow('no secret string');
    answer = { status: 200, body: JSON.stringify({ SecretString: 'now-set' }) };
    expect(await read()).toBe('now-set');
    await expect(extensionSecret('s', { env: { ...env, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '1' } })()).rejects.toThrow('unreachable');
    await expect(extensionSecret('s', { env: { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT } })()).rejects.toThrow('AWS_SESSION_TOKEN');
  });
});
