// npm run ask -- "问题" [--json] | npm run ask -- --stdin : which topic the matcher picks for a question.
import { createInterface } from 'node:readline';
import { bundledContent } from '../lambdas/content/content';
import { createMatcher } from '../lambdas/matcher/matcher';
import { createUnderstanding } from '../lambdas/understanding/understand';

const args = process.argv.slice(2);
const json = args.includes('--json');
const stdin = args.includes('--stdin');
const question = args.filter((a) => !a.startsWith('--')).join(' ');

const content = bundledContent();
const match = createMatcher([...content.topics.values()]);
// The same order as the hotline: the safety check first (crisis, threats), then the matcher.
const understand = createUnderstanding(match);

if (stdin) {
  // One JSON object per input line, in order; empty lines answer null like any unmatched text.
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const { topic, score } = understand(line);
    process.stdout.write(`${JSON.stringify({ topic, score })}\n`);
  }
} else if (!question) {
  process.stderr.write('usage: npm run ask -- "问题" [--json]   |   npm run ask -- --stdin\n');
  process.exit(2);
} else {
  const { topic, score, reason } = understand(question);
  const { ranking } = match(question);
  if (json) {
    process.stdout.write(`${JSON.stringify({ topic, score })}\n`);
  } else {
    const label = topic ? content.topics.get(topic)?.menuLabel : '（无匹配，回复菜单）';
    process.stdout.write(`${topic ?? 'null'}  ${label}  score=${score}  (${reason})\n`);
    for (const r of ranking.slice(0, 3)) process.stdout.write(`  ${r.topic.padEnd(18)} ${r.score.toFixed(3)}  «${r.phrase}»\n`);
  }
}
