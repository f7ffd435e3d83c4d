// npm run eval: top-1 accuracy on the labelled development questions (with every miss), then the
// frozen blind sets as figures only (their misses are not printed: nobody tunes on them).
import { readFileSync } from 'node:fs';
import { bundledContent } from '../lambdas/content/content';
import { evaluate, parseQuestions } from '../lambdas/matcher/evaluate';
import { createMatcher } from '../lambdas/matcher/matcher';
import { detectSafety } from '../lambdas/safety/detect';
import { createUnderstanding } from '../lambdas/understanding/understand';
import { loadLabelledQuestions } from './questions';

const content = bundledContent();
// As the hotline answers: the safety check first, then the matcher.
const understand = createUnderstanding(createMatcher([...content.topics.values()]));
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

const { questions, sources } = loadLabelledQuestions();
const result = evaluate(understand, questions);
console.log(`development questions: ${result.total} (${sources.join(', ')})`);
console.log(`top-1 accuracy: ${percent(result.accuracy)} (${result.correct}/${result.total})`);
for (const miss of result.misses) {
  console.log(`MISS  ${JSON.stringify(miss.q)}  expected ${miss.expected.join('|')}  got ${miss.got} (${miss.score})`);
}

const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8');
console.log('\nblind sets (frozen; figures only):');
for (const name of ['questions-holdout.jsonl', 'blind/questions-blind-v2.jsonl']) {
  const blind = evaluate(understand, parseQuestions(fixture(name)));
  const wrongTopic = blind.misses.filter((m) => m.got !== null).length;
  console.log(`  ${name}: top-1 ${percent(blind.accuracy)} (${blind.correct}/${blind.total}); wrong topic ${percent(wrongTopic / blind.total)}, menu instead ${percent((blind.misses.length - wrongTopic) / blind.total)}`);
}
const safety = fixture('blind/safety-blind.jsonl').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { text: string; expect: string });
for (const label of ['crisis', 'threat']) {
  const cases = safety.filter((c) => c.expect === label);
  const found = cases.filter((c) => detectSafety(c.text)?.kind === label).length;
  const understood = cases.filter((c) => understand(c.text).reason === label).length;
  console.log(`  safety-blind ${label}: detector ${percent(found / cases.length)} (${found}/${cases.length}); detector + matcher ${percent(understood / cases.length)}`);
}
const none = safety.filter((c) => c.expect === 'none');
const alarms = none.filter((c) => detectSafety(c.text) !== null).length;
console.log(`  safety-blind false alarms: ${percent(alarms / none.length)} (${alarms}/${none.length})`);
