import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { bundledContent } from '../lambdas/content/content';
import { MAX_BODY_BYTES } from '../lambdas/http/event';
import type { LambdaHandler } from '../lambdas/http/request-shell';
import { CONSOLE_PATH, type FunctionName } from '../lambdas/http/routes';
import { TWILIO_REFUSALS } from '../lambdas/http/twilio-webhook';
import { shippedUnderstanding } from '../lambdas/understanding/shipped';
import { CALLBACK_TABLE, createCallbackTableInput } from '../lambdas/callbacks/table';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { callbackSettingsFromEnv, type CallbackSettings } from '../lambdas/callbacks/settings';
import type { CallbackStore } from '../lambdas/callbacks/store';
import type { ConsoleConfig } from '../lambdas/staff/contract';
import { STAFF_REFUSALS } from '../lambdas/staff/handler';
import { buildConsoleFiles, type ConsoleFile } from '../console/build';
import { consoleCsp } from '../console/security-headers';
import { gatewayEvent, matchRoute, NO_ROUTE } from './api-gateway';
import { createDynamoStatsStore } from '../lambdas/stats/dynamo-stats';
import { localHandlers } from './local-handlers';

import { DEFAULT_PORT, LOCAL_AUTH_TOKEN } from './local-defaults';

export { LOCAL_AUTH_TOKEN };

export interface LocalHotlineOptions {
  port?: number;
  host?: string;
  /** LevelDB folder for dynalite; in memory when undefined. */
  dataDir?: string;
  authToken?: string;
  /** Overrides of the limits and retention read from the environment. */
  settings?: Partial<CallbackSettings>;
  /** Staff bearer tokens: `{ token: staffId }`. One random token for `staff` when undefined. */
  staffUsers?: Record<string, string>;
  /** The clock of every handler and the store (a fixed day makes "今天晚上" predictable); the real one by default. */
  now?: () => Date;
}

export interface LocalHotline {
  url: string;
  dynamoEndpoint: string;
  authToken: string;
  /** The store the handlers use (tests and benchmarks read it). */
  store: CallbackStore;
  /** The staff tokens the API accepts (`{ token: staffId }`). */
  staffUsers: Record<string, string>;
  /** The console's address. */
  consoleUrl: string;
  /** Stops the embedded database only: the webhooks must still answer. */
  stopDatabase: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The local secret of the per-number keys: generated once into the data directory (readable by its
 * owner only) and kept with the data it keys, as Secrets Manager keeps it in AWS.
 */
function localPhoneKey(dataDir: string): string {
  const file = join(dataDir, 'phone-key');
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** Serves the Lambda handlers over real HTTP, with an embedded dynalite as DynamoDB. */
export async function startLocalHotline(options: LocalHotlineOptions = {}): Promise<LocalHotline> {
  const host = options.host ?? '127.0.0.1';
  const authToken = options.authToken ?? LOCAL_AUTH_TOKEN;

  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const dynamo = dynalite({ createTableMs: 0, ...(options.dataDir ? { path: options.dataDir } : {}) });
  await listen(dynamo, 0, host);
  const dynamoEndpoint = `http://${host}:${(dynamo.address() as AddressInfo).port}`;
  await ensureTable(dynamoEndpoint, CALLBACK_TABLE.defaultName);

  const server = createServer();
  await listen(server, options.port ?? DEFAULT_PORT, host);
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;

  const content = bundledContent();
  const config = { publicBaseUrl: url, authToken: () => Promise.resolve(authToken) };
  const settings = { ...callbackSettingsFromEnv(), ...options.settings };
  const client = createDynamoClient({ endpoint: dynamoEndpoint });
  const store = createDynamoCallbackStore({
    client,
    tableName: CALLBACK_TABLE.defaultName,
    retentionDays: settings.retentionDays,
    maxAttempts: settings.maxAttempts,
    ...(options.now ? { now: options.now } : {}),
    hashSecret: options.dataDir ? localPhoneKey(options.dataDir) : randomBytes(32).toString('hex'),
  });
  const staffUsers = options.staffUsers ?? { [randomBytes(18).toString('base64url')]: 'staff' };
  // Counted in the same table, as in AWS (`lambdas/stats/`): `npm start` counts every answer too.
  const stats = createDynamoStatsStore({ client, tableName: CALLBACK_TABLE.defaultName, ...(options.now ? { now: options.now } : {}) });
  const handlers = localHandlers({ content, understand: shippedUnderstanding(), config, store, stats, settings, staffUsers, ...(options.now ? { now: options.now } : {}) });
  const consoleFiles = lazyConsole();

  server.on('request', (req, res) => {
    serve(req, res, handlers, consoleFiles).catch((error: unknown) => {
      // Never crash the server: a bug answers 500 here, and the tests make sure no request reaches it.
      console.error('local server error', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });

  let dynamoOpen = true;
  const stopDatabase = async () => {
    if (!dynamoOpen) return;
    dynamoOpen = false;
    await close(dynamo);
  };
  return {
    url,
    dynamoEndpoint,
    authToken,
    store,
    staffUsers,
    consoleUrl: `${url}${CONSOLE_PATH}/`,
    stopDatabase,
    close: async () => {
      client.destroy();
      await Promise.all([close(server), stopDatabase()]);
    },
  };
}

/** The console is built (esbuild, ~100 ms) on its first request, then served from memory. */
function lazyConsole(): () => Promise<Map<string, ConsoleFile>> {
  let files: Promise<Map<string, ConsoleFile>> | undefined;
  const config: ConsoleConfig = { apiBaseUrl: '', auth: { mode: 'token' } };
  const configFile: ConsoleFile = { path: 'config.json', contentType: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(config)) };
  return () => (files ??= buildConsoleFiles().then((built) => new Map([...built, configFile].map((f) => [f.path, f]))));
}

/** Headers CloudFront adds in AWS (see the stack), so the console is tested under the same policy. */
const CONSOLE_HEADERS = {
  // Any https host may be called: locally the sign-in provider (if a test fakes one) is not known in advance.
  'content-security-policy': consoleCsp(['https:']),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

async function serveConsole(pathname: string, method: string, res: ServerResponse, consoleFiles: () => Promise<Map<string, ConsoleFile>>): Promise<void> {
  if (pathname === CONSOLE_PATH) {
    res.writeHead(301, { location: `${CONSOLE_PATH}/` }).end();
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('Method not allowed');
    return;
  }
  const name = pathname.slice(CONSOLE_PATH.length + 1) || 'index.html';
  const file = (await consoleFiles()).get(name);
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, { ...CONSOLE_HEADERS, 'content-type': file.contentType, 'content-length': String(file.body.length) }).end(method === 'HEAD' ? undefined : file.body);
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: Record<FunctionName, LambdaHandler>,
  consoleFiles: () => Promise<Map<string, ConsoleFile>>,
): Promise<void> {
  const target = new URL(req.url ?? '/', 'http://local');
  const method = req.method ?? 'GET';
  if (target.pathname === CONSOLE_PATH || target.pathname.startsWith(`${CONSOLE_PATH}/`)) {
    await serveConsole(target.pathname, method, res, consoleFiles);
    return;
  }
  // As API Gateway: a method and path with no route never reach a Lambda.
  const match = matchRoute(method, target.pathname);
  const body = await readBody(req);
  if (!match) {
    res.writeHead(NO_ROUTE.statusCode, NO_ROUTE.headers).end(NO_ROUTE.body);
    return;
  }
  if (body === 'too-large') {
    // The Lambda would refuse it the same way; the rest of the body is drained (not kept) so the client can read the answer.
    const refusal = (match.route.fn === 'staff' ? STAFF_REFUSALS : TWILIO_REFUSALS).tooLarge();
    res.writeHead(refusal.statusCode, { ...refusal.headers, connection: 'close' }).end(refusal.body);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
  const event = gatewayEvent({ method, path: target.pathname, query: target.search.slice(1), headers, body, base64: true });
  const result = await handlers[match.route.fn](event);
  res.writeHead(result.statusCode, result.headers).end(result.body);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await client.send(new CreateTableCommand(createCallbackTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
