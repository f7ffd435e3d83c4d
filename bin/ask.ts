// npm run ask -- "问题" [--json] [--explain] | npm run ask -- --stdin
// What the hotline would answer: `topic` is the topic it answers with, null when it asks back
// (then `choices` lists the two topics it asks between) or offers the menu.
import { createInterface } from 'node:readline';
import { bundledContent } from '../lambdas/content/content';
import { detectSafety } from '../lambdas/safety/detect';
import { shippedClassifier } from '../lambdas/understanding/shipped';
import { createUnderstanding, type Understanding } from '../lambdas/understanding/understand';

const args = process.argv.slice(2);
const json = args.includes('--json');
const stdin = args.includes('--stdin');
const explain = args.includes('--explain');
const question = args.filter((a) => !a.startsWith('--')).join(' ');

const content = bundledContent();
const classifier = shippedClassifier();
// The same order as the hotline: the safety check first (crisis, threats), then the classifier.
const understand = createUnderstanding(classifier);

const asJson = ({ topic, score, choices }: Understanding) => JSON.stringify({ topic, score, ...(choices ? { choices } : {}) });

if (stdin) {
  // One JSON object per input line, in order; empty lines answer null like any text that fits no topic.
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) process.stdout.write(`${asJson(understand(line))}\n`);
} else if (!question) {
  process.stderr.write('usage: npm run ask -- "问题" [--json] [--explain]   |   npm run ask -- --stdin\n');
  process.exit(2);
} else {
  const understood = understand(question);
  const label = (id: string | null) => (id ? `${id} ${content.topics.get(id as never)?.menuLabel ?? ''}` : 'null（菜单）');
  if (json && !explain) {
    process.stdout.write(`${asJson(understood)}\n`);
  } else {
    const what = understood.choices ? `ask back: ${understood.choices.map(label).join(' / ')}` : label(understood.topic);
    process.stdout.write(`${what}  score=${understood.score}  (${understood.reason})\n`);
    if (explain) {
      const safety = detectSafety(question);
      if (safety) process.stdout.write(`  decided by the safety check, before the classifier (${safety.kind}: «${safety.cue}»)\n`);
      for (const ranked of classifier.explain(question)) {
        const evidence = ranked.evidence.map((e) => `${e.feature} ${e.weight > 0 ? '+' : ''}${e.weight}`).join(', ');
        process.stdout.write(`  ${label(ranked.label).padEnd(28)} p=${ranked.probability.toFixed(3)}  ${evidence}\n`);
      }
      process.stdout.write(`  bands: ${JSON.stringify(classifier.bands)}\n`);
    }
  }
}
