/**
 * Figures for the staff API over real HTTP against the local server (in-memory dynalite): median
 * and p99 of each route with a queue of N open requests.
 *
 *   npx tsx bin/bench-staff.ts [--n 300]
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
import { performance } from 'node:perf_hooks';
import { startLocalHotline } from '../dev/local-server';

const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 300;
const TOKEN = 'bench-staff-token-0123456789';

async function main(): Promise<void> {
  const hotline = await startLocalHotline({ port: 0, staffUsers: { [TOKEN]: 'bench' } });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const { request } = await hotline.store.requestCallback({ phone: `137${String(10_000_000 + i).slice(-8)}`, window: '晚上七点到九点', topic: 'negotiate', channel: 'sms', sourceSid: `SMbench${i}` });
    ids.push(request.id);
  }

  async function measure(label: string, call: (i: number) => Promise<Response>): Promise<void> {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const response = await call(i);
      const body = await response.arrayBuffer();
      times.push(performance.now() - t0);
      if (!response.ok) throw new Error(`${label}: HTTP ${response.status} at ${i}: ${Buffer.from(body).toString()}`);
      bytes += body.byteLength;
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
    console.log(`${label.padEnd(34)} median ${pct(50).toFixed(2)} ms  p99 ${pct(99).toFixed(2)} ms  body ${Math.round(bytes / N)} B`);
  }

  const url = (path: string) => `${hotline.url}${path}`;
  console.log(`staff API over HTTP, local server + in-memory dynalite, ${N} open requests, ${N} sequential calls each (Node ${process.version})`);
  await measure('GET /staff/callbacks (25 items)', () => fetch(url('/staff/callbacks?status=open&limit=25'), { headers }));
  await measure('GET /staff/callbacks/{id}', (i) => fetch(url(`/staff/callbacks/${ids[i]}`), { headers }));
  await measure('POST …/claim', (i) => fetch(url(`/staff/callbacks/${ids[i]}/claim`), { method: 'POST', headers, body: '{}' }));
  await measure('POST …/outcome (no-answer)', (i) => fetch(url(`/staff/callbacks/${ids[i]}/outcome`), { method: 'POST', headers, body: '{"outcome":"no-answer"}' }));
  await measure('POST …/claim again', (i) => fetch(url(`/staff/callbacks/${ids[i]}/claim`), { method: 'POST', headers, body: '{}' }));
  await measure('POST …/outcome (reached)', (i) => fetch(url(`/staff/callbacks/${ids[i]}/outcome`), { method: 'POST', headers, body: '{"outcome":"reached","note":"ok"}' }));
  const t0 = performance.now();
  const csv = await (await fetch(url('/staff/callbacks/export.csv'), { headers })).text();
  console.log(`GET export.csv (${csv.trim().split('\r\n').length - 1} rows)`.padEnd(34), `${(performance.now() - t0).toFixed(1)} ms  ${csv.length} chars`);
  await hotline.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
