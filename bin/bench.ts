// npm run bench: figures for the classifier, the handlers in process, real HTTP through the local server, and bundle sizes.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
import { performance } from 'node:perf_hooks';
import { FUNCTIONS, type FunctionName } from '../lambdas/http/routes';
import { buildLambda, buildSize } from '../lib/lambda-build';
import { postSignedForm } from '../dev/phone-lib';
import { startLocalHotline } from '../dev/local-server';
import { loadLabelledQuestions } from '../dev/questions';

function summarize(name: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  console.log(`${name.padEnd(34)} n=${String(samples.length).padEnd(5)} median ${pick(0.5).toFixed(3)} ms   p99 ${pick(0.99).toFixed(3)} ms   max ${sorted.at(-1)!.toFixed(3)} ms`);
}

async function time(n: number, fn: (i: number) => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

let start = performance.now();
// Loading includes parsing the model and pinyin JSON (they are imported here, not above, to be timed).
const { shippedUnderstanding } = await import('../lambdas/understanding/shipped');
const understand = shippedUnderstanding();
console.log(`classifier load (model + pinyin)   ${(performance.now() - start).toFixed(1)} ms`);
const { questions } = loadLabelledQuestions();
start = performance.now();
understand(questions[0]!.q);
console.log(`first question (pinyin table built) ${(performance.now() - start).toFixed(1)} ms`);
summarize('understanding, one question', await time(2000, (i) => understand(questions[i % questions.length]!.q)));
summarize('understanding, 2,000-char SMS', await time(200, () => understand('通讯录被爆了'.repeat(350))));

const hotline = await startLocalHotline({ port: 0 });
async function post(path: string, params: Record<string, string>) {
  await (await postSignedForm(hotline.url, path, params, hotline.authToken)).text();
}
summarize('HTTP: incoming call', await time(500, (i) => post('/twilio/voice', { CallSid: `CA${i}`, From: '+8613800138000' })));
summarize('HTTP: key press to a topic', await time(500, (i) => post('/twilio/voice/menu?at=main', { CallSid: `CA${i}`, Digits: '1' })));
summarize('HTTP: SMS free-text question', await time(500, (i) => post('/twilio/sms', { MessageSid: `SM${i}`, From: '+8613800138000', Body: questions[i % questions.length]!.q })));
await hotline.close();

// The Lambdas as the stack builds them (code-split: the entry is what every cold start loads).
for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
  const size = buildSize(buildLambda(FUNCTIONS[name].entry));
  console.log(`bundle ${name.padEnd(8)} entry ${(size.entry / 1024).toFixed(0)} KB, ${size.chunks} chunks loaded on demand, ${(size.total / 1024).toFixed(0)} KB in all (minified, source maps excluded)`);
}
