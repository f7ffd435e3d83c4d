/**
 * Figures for the callback store against in-memory dynalite: DynamoDB requests per requestCallback
 * (counted by a client middleware) and latency median / p99 over 1,000 calls of each kind.
 *
 *   npx tsx bin/bench-callbacks.ts [--n 1000]
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import type { RequestCallbackInput } from '../lambdas/callbacks/store';
import { CALLBACK_TABLE, createCallbackTableInput } from '../lambdas/callbacks/table';
import { staffCalendar } from '../lambdas/callbacks/settings';
import type { E164 } from '../lambdas/callbacks/phone-number';
import { bundledContent } from '../lambdas/content/content';
import { createSmsConversation } from '../lambdas/sms/conversation';
import { shippedUnderstanding } from '../lambdas/understanding/shipped';
import { createVoiceCallbackFlow } from '../lambdas/voice/callback-flow';
import { START } from '../lambdas/voice/callback-state';

const nArg = process.argv.indexOf('--n');
const N = nArg > 0 ? Number(process.argv[nArg + 1]) : 1000;

async function main(): Promise<void> {
  const server: Server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDynamoClient({ endpoint });
  await client.send(new CreateTableCommand(createCallbackTableInput(CALLBACK_TABLE.defaultName)));

  // Counts every operation sent (initialize step: once per command, before SDK retries).
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoRequests' },
  );
  const store = createDynamoCallbackStore({ client });
  const phone = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;
  const sids: string[] = [];

  async function run(label: string, call: (i: number) => RequestCallbackInput, check: (r: Awaited<ReturnType<typeof store.requestCallback>>) => boolean) {
    // Warm-up (connections, JIT) on separate numbers, not measured.
    for (let i = 0; i < 20; i++) await store.requestCallback({ phone: phone(900_000 + i + label.length * 100), window: 'evening', channel: 'voice', sourceSid: `WARM${label}${i}` });
    counts.clear();
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const input = call(i);
      const t0 = performance.now();
      const result = await store.requestCallback(input);
      times.push(performance.now() - t0);
      if (!check(result)) throw new Error(`${label}: unexpected result at ${i}`);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
    const breakdown = [...counts.entries()].map(([k, v]) => `${k.replace('Command', '')} ${(v / N).toFixed(2)}`).join(', ');
    console.log(
      `${label.padEnd(30)} requests/call ${(total / N).toFixed(2)} (${breakdown})  median ${pct(50).toFixed(2)} ms  p99 ${pct(99).toFixed(2)} ms  max ${times.at(-1)!.toFixed(2)} ms`,
    );
  }

  console.log(`callback store on in-memory dynalite, ${N} sequential calls each (Node ${process.version})`);
  await run('new request', (i) => ((sids[i] = `CA${i}`), { phone: phone(i), window: 'evening', topic: 'negotiate', channel: 'voice', sourceSid: sids[i]! }), (r) => r.created && !r.replayed);
  await run('repeat (new sid, same number)', (i) => ({ phone: phone(i), window: 'morning', channel: 'sms', sourceSid: `SM${i}` }), (r) => !r.created && !r.replayed);
  await run('replay (same sid again)', (i) => ({ phone: phone(i), window: 'evening', channel: 'voice', sourceSid: sids[i]! }), (r) => r.replayed);

  // Whole exchanges, as a webhook makes them: every store call of one text or one call step.
  const content = bundledContent();
  const calendar = staffCalendar(content, {});
  const conversation = createSmsConversation({ content, understanding: () => Promise.resolve(shippedUnderstanding()), calendar });
  const flow = createVoiceCallbackFlow({ content, dailyLimit: 3, calendar });
  async function exchange(label: string, step: (i: number) => Promise<boolean>) {
    counts.clear();
    const times: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      if (!(await step(i))) throw new Error(`${label}: unexpected answer at ${i}`);
      times.push(performance.now() - t0);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    times.sort((a, b) => a - b);
    const breakdown = [...counts.entries()].map(([k, v]) => `${k.replace('Command', '')} ${(v / N).toFixed(2)}`).join(', ');
    console.log(`${label.padEnd(30)} requests/exchange ${(total / N).toFixed(2)} (${breakdown})  median ${times[Math.floor(N / 2)]!.toFixed(2)} ms`);
  }
  const texter = (i: number) => ({ kind: 'mobile' as const, e164: `+86137${String(10_000_000 + i).slice(-8)}` as E164 });
  await exchange('SMS "回电" (new)', async (i) => (await conversation({ from: texter(i), body: '回电', sid: `SMa${i}` }, store)).replies.length === 1);
  await exchange('SMS "下午吧" (sets the time)', async (i) => (await conversation({ from: texter(i), body: '下午吧', sid: `SMb${i}` }, store)).replies[0]!.includes('下午'));
  await exchange('SMS question (answer + context)', async (i) => (await conversation({ from: texter(i), body: '他们天天给我同事打电话怎么办', sid: `SMc${i}` }, store)).replies.length === 1);
  const caller = (i: number) => `+86135${String(10_000_000 + i).slice(-8)}`;
  await exchange('voice 9 (limit checked first)', async (i) => (await flow({ state: START, from: caller(i), callSid: `CAx${i}` }, store)).kind === 'gather');
  await exchange('voice confirm (writes)', async (i) => (await flow({ state: { ...START, step: 'confirm' }, digits: '1', from: caller(i), callSid: `CAy${i}` }, store)).kind === 'gather');

  client.destroy();
  await new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
