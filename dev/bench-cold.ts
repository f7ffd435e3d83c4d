/**
 * Cold starts as Lambda meets them: for each handler and each kind of first request, a fresh `node`
 * imports the built asset (the stack's own build, `lib/lambda-build.ts`), answers one request, and
 * reports its CPU time and peak memory; the same run measures a bare `node -e 0` for comparison.
 * Medians of N runs (default 7), interleaved so machine noise hits every row alike.
 *
 *   npm run bench:cold [-- --n 7] [-- --source-maps] [-- --single-bundle] [-- --profile "sms: menu"]
 *
 * Storage is an in-memory dynalite; secrets come from a stand-in for the AWS Parameters and Secrets
 * Lambda Extension on localhost (what the stack uses); Cognito's signing keys are served to the staff
 * handler by the runner (the only network it would otherwise need).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { CALLBACK_TABLE, createCallbackTableInput } from '../lambdas/callbacks/table';
import { FUNCTIONS, type FunctionName } from '../lambdas/http/routes';
import { buildLambda, buildSize } from '../lib/lambda-build';
import { gatewayEvent } from './api-gateway';
import { signTwilioRequest } from './phone-lib';
import { createTestIssuer } from '../test/support/jwt';

const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--n') + 1]) > 0 && args.includes('--n') ? Number(args[args.indexOf('--n') + 1]) : 7;
/** As deployed: source maps shipped but not enabled (see lib/hotline-function.ts); `--source-maps` measures them on. */
const SOURCE_MAPS = args.includes('--source-maps');
const SPLITTING = !args.includes('--single-bundle');
/** `--profile "sms: menu"`: one run of that kind under --cpu-prof, and where its time went by file. */
const PROFILE = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : undefined;
/** Secrets as plain environment values (for code that predates the extension client). */
const PLAIN_SECRETS = args.includes('--plain-secrets');

const BASE_URL = 'https://hotline.example.org';
const TWILIO_TOKEN = 'bench-twilio-auth-token-0123456789';
const SECRETS: Record<string, string> = { 'twilio-token': TWILIO_TOKEN, 'phone-key': 'bench-phone-key-0123456789abcdef' };

interface Kind {
  label: string;
  fn: FunctionName;
  event: () => unknown;
  /** What a correct answer contains (a cold start that answered wrongly is not a figure). */
  expect: RegExp;
  /** Target from issue 14: times bare node's CPU. */
  target: number;
}

function twilioEvent(path: string, query: string, params: Record<string, string>): unknown {
  const url = `${BASE_URL}${path}${query ? `?${query}` : ''}`;
  const signature = signTwilioRequest(url, params, TWILIO_TOKEN)['X-Twilio-Signature']!;
  return gatewayEvent({
    method: 'POST',
    path,
    query,
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: new URL(BASE_URL).host, 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

let runs = 0;
const call = (extra: Record<string, string>) => ({ CallSid: `CAbench${++runs}`, From: '+8613812345678', To: '+14155550100', ...extra });
const text = (body: string) => ({ MessageSid: `SMbench${++runs}`, From: `+86139${String(10_000_000 + runs).slice(-8)}`, To: '+14155550100', Body: body });

async function main(): Promise<void> {
  // Storage and the secrets extension stand-in.
  const dynamo: Server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  const dynamoEndpoint = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const client = createDynamoClient({ endpoint: dynamoEndpoint });
  await client.send(new CreateTableCommand(createCallbackTableInput(CALLBACK_TABLE.defaultName)));
  client.destroy();
  const extension = createServer((req, res) => {
    const id = new URL(req.url ?? '/', 'http://localhost').searchParams.get('secretId') ?? '';
    if (req.headers['x-aws-parameters-secrets-token'] !== 'bench-session' || !(id in SECRETS)) {
      res.writeHead(400).end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Name: id, SecretString: SECRETS[id] }));
  });
  await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', () => resolve()));
  const extensionPort = (extension.address() as AddressInfo).port;

  const issuer = createTestIssuer('eu-west-1_BenchPool1', 'benchconsoleclient1');
  const work = mkdtempSync(join(tmpdir(), 'hotline-cold-'));
  const jwksFile = join(work, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(issuer.jwks));
  const runner = join(work, 'runner.mjs');
  writeFileSync(runner, RUNNER);

  const kinds: Kind[] = [
    { label: 'voice: incoming call', fn: 'voice', event: () => twilioEvent('/twilio/voice', '', call({})), expect: /<Gather/, target: 1.5 },
    { label: 'voice: key press', fn: 'voice', event: () => twilioEvent('/twilio/voice/menu', 'at=main&s=1', call({ Digits: '5' })), expect: /<Gather/, target: 1.5 },
    { label: 'voice: speech', fn: 'voice', event: () => twilioEvent('/twilio/voice/menu', 'at=main&s=1', call({ SpeechResult: '催收天天打电话给我的同事怎么办', Confidence: '0.9' })), expect: /<Gather/, target: 2.5 },
    { label: 'voice: callback (9)', fn: 'voice', event: () => twilioEvent('/twilio/voice/callback', '', call({})), expect: /<Gather/, target: 3 },
    { label: 'sms: menu', fn: 'sms', event: () => twilioEvent('/twilio/sms', '', text('0')), expect: /<Message>/, target: 3 },
    { label: 'sms: free text', fn: 'sms', event: () => twilioEvent('/twilio/sms', '', text('催收说要上门，还要告诉我单位')), expect: /<Message>/, target: 3 },
    { label: 'sms: callback', fn: 'sms', event: () => twilioEvent('/twilio/sms', '', text('回电 晚上')), expect: /<Message>/, target: 3 },
    {
      label: 'staff: list',
      fn: 'staff',
      event: () => gatewayEvent({ method: 'GET', path: '/staff/callbacks', query: 'status=open', headers: { authorization: `Bearer ${issuer.token()}`, host: 'api.example.org' } }),
      expect: /"items"/,
      target: 3,
    },
  ];

  const assets = new Map<FunctionName, string>();
  for (const fn of new Set(kinds.map((k) => k.fn))) assets.set(fn, buildLambda(FUNCTIONS[fn].entry, { splitting: SPLITTING, keepNames: PROFILE !== undefined }));

  const env = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench-session',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extensionPort),
    PUBLIC_BASE_URL: BASE_URL,
    ...(PLAIN_SECRETS ? { TWILIO_AUTH_TOKEN: TWILIO_TOKEN, PHONE_KEY: SECRETS['phone-key']! } : { TWILIO_AUTH_TOKEN_SECRET: 'twilio-token', PHONE_KEY_SECRET: 'phone-key' }),
    TABLE_NAME: CALLBACK_TABLE.defaultName,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    STAFF_USER_POOL_ID: issuer.userPoolId,
    STAFF_USER_POOL_CLIENT_ID: issuer.clientId,
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_NAMESPACE: 'Hotline',
    ...(SOURCE_MAPS ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
  };

  if (PROFILE) {
    const kind = kinds.find((k) => k.label === PROFILE);
    if (!kind) throw new Error(`--profile: one of ${kinds.map((k) => `"${k.label}"`).join(', ')}`);
    const eventFile = join(work, 'event-profile.json');
    writeFileSync(eventFile, JSON.stringify(kind.event()));
    const profileDir = join(work, 'profile');
    await measure(['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=100', runner, join(assets.get(kind.fn)!, 'index.mjs'), eventFile], kind.fn === 'staff' ? { ...env, BENCH_JWKS_FILE: jwksFile } : env);
    printProfile(profileDir);
    extension.close();
    dynamo.close();
    return;
  }

  const samples = new Map<string, { cpu: number[]; wall: number[]; rss: number[] }>();
  const record = (label: string, cpu: number, wall: number, rss: number) => {
    const s = samples.get(label) ?? { cpu: [], wall: [], rss: [] };
    s.cpu.push(cpu);
    s.wall.push(wall);
    s.rss.push(rss);
    samples.set(label, s);
  };
  for (let round = 0; round < N; round++) {
    const bare = await measure(['-e', BARE], env);
    record('bare node -e 0', bare.cpuMs, bare.wallMs, bare.maxRssKiB);
    for (const kind of kinds) {
      const eventFile = join(work, `event-${runs}.json`);
      writeFileSync(eventFile, JSON.stringify(kind.event()));
      const result = await measure([runner, join(assets.get(kind.fn)!, 'index.mjs'), eventFile], kind.fn === 'staff' ? { ...env, BENCH_JWKS_FILE: jwksFile } : env);
      if (!kind.expect.test(result.body)) throw new Error(`${kind.label}: unexpected answer ${result.status} ${result.body}`);
      record(kind.label, result.cpuMs, result.wallMs, result.maxRssKiB);
    }
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const bare = samples.get('bare node -e 0')!;
  const bareCpu = median(bare.cpu);
  const bareWall = median(bare.wall);
  console.log(`cold start, median of ${N} fresh processes each (Node ${process.version}, ${SPLITTING ? 'code-split build' : 'single bundle'}, source maps ${SOURCE_MAPS ? 'on' : 'off'})`);
  console.log('| first request | CPU ms | × bare | wall ms | × bare | peak MiB | target (CPU × bare) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  console.log(`| bare \`node -e 0\` | ${bareCpu.toFixed(0)} | 1.00 | ${bareWall.toFixed(0)} | 1.00 | ${(median(bare.rss) / 1024).toFixed(0)} | |`);
  for (const kind of kinds) {
    const s = samples.get(kind.label)!;
    const cpu = median(s.cpu);
    const ratio = cpu / bareCpu;
    console.log(
      `| ${kind.label} | ${cpu.toFixed(0)} | ${ratio.toFixed(2)} | ${median(s.wall).toFixed(0)} | ${(median(s.wall) / bareWall).toFixed(2)} | ${(median(s.rss) / 1024).toFixed(0)} | ≤ ${kind.target} ${ratio <= kind.target ? 'met' : 'NOT met'} |`,
    );
  }
  for (const [fn, dir] of assets) {
    const size = buildSize(dir);
    console.log(`${fn}: entry ${(size.entry / 1024).toFixed(0)} KB, ${size.chunks} lazy chunks, ${(size.total / 1024).toFixed(0)} KB in all`);
  }
  extension.close();
  await new Promise<void>((resolve) => {
    dynamo.close(() => resolve());
  });
}

/** What the bare process reports: the same figures as the runner, nothing else loaded. */
const BARE = 'const u = process.cpuUsage(); process.stdout.write(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS, status: 0, body: "" }))';

/**
 * Imports the asset as Lambda would (`index.mjs`, then `handler(event)`), answers one request, and
 * reports. Cognito's JWKS is served from a file instead of the network (https.request for that host).
 */
const RUNNER = `
import { readFileSync } from 'node:fs';
const [asset, eventFile] = process.argv.slice(2);
if (process.env.BENCH_JWKS_FILE) {
  // Only for the staff handler: loading https and streams here would be counted against every handler.
  const jwks = readFileSync(process.env.BENCH_JWKS_FILE);
  const { default: https } = await import('node:https');
  const { syncBuiltinESMExports } = await import('node:module');
  const { PassThrough, Readable } = await import('node:stream');
  const original = https.request;
  https.request = function (url, options, callback) {
    if (!String(url).includes('cognito-idp.')) return original.apply(this, arguments);
    const req = new PassThrough();
    process.nextTick(() => {
      const res = Readable.from([jwks]);
      res.statusCode = 200;
      res.headers = { 'content-type': 'application/json' };
      (typeof options === 'function' ? options : callback)(res);
    });
    return req;
  };
  syncBuiltinESMExports();
}
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const { handler } = await import(asset);
const response = await handler(event);
const u = process.cpuUsage();
process.stdout.write(JSON.stringify({ cpuMs: (u.user + u.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS, status: response.statusCode, body: String(response.body).slice(0, 300) }));
process.exit(0);
`;

/** Self time by script (node internals by module), from a V8 CPU profile. */
function printProfile(dir: string): void {
  interface Node { id: number; callFrame: { url: string; functionName: string } }
  const file = readdirSync(dir)[0]!;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const key = frame.url ? frame.url.replace(/^.*\/(node_modules|hotline-lambda-[^/]+)\//, '').replace(/^file:\/\//, '') : `(${frame.functionName || 'native'})`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`CPU profile: ${(all / 1000).toFixed(0)} ms sampled`);
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(1).padStart(7)} ms  ${key}`);
  // The callers that load each chunk: inclusive time of top-level module evaluations.
  const children = new Map<number, number[]>();
  for (const n of profile.nodes as (Node & { children?: number[] })[]) children.set(n.id, n.children ?? []);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const inclusive = (id: number): number => (selfTime.get(id) ?? 0) + (children.get(id) ?? []).reduce((sum, c) => sum + inclusive(c), 0);
  const named = profile.nodes.filter((n) => n.callFrame.url.includes('hotline-lambda') && n.callFrame.functionName).map((n) => [`${n.callFrame.functionName} ${n.callFrame.url.split('/').pop()}`, inclusive(n.id)] as const);
  const merged = new Map<string, number>();
  for (const [k, v] of named) merged.set(k, (merged.get(k) ?? 0) + v);
  console.log('inclusive, by function of the build:');
  for (const [key, us] of [...merged].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${(us / 1000).toFixed(1).padStart(7)} ms  ${key}`);
}

function measure(nodeArgs: string[], env: Record<string, string>): Promise<{ cpuMs: number; wallMs: number; maxRssKiB: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, nodeArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      try {
        resolve({ ...(JSON.parse(out) as { cpuMs: number; maxRssKiB: number; status: number; body: string }), wallMs });
      } catch {
        reject(new Error(`${nodeArgs.join(' ')} exited ${code}: ${err.slice(0, 500) || out.slice(0, 500)}`));
      }
    });
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
