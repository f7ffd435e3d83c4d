// npm run eval: how well the hotline understands people, as it answers them (safety check first,
// then the classifier and its bands).
//  1. the training corpus, 5-fold cross-validated: figures per style and per topic, the worst confusions;
//  2. the development questions (ours: misses printed, for development only);
//  3. the frozen blind sets: figures only — their questions and misses are never printed, nobody tunes on them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundledContent } from '../lambdas/content/content';
import { detectSafety } from '../lambdas/safety/detect';
import { buildModel } from '../lambdas/understanding/training/build';
import { contentExamples } from '../lambdas/understanding/training/content-examples';
import { parseLabelled, readCorpus, type LabelledText } from '../lambdas/understanding/training/corpus';
import { judgeUnderstanding, rate, report, type Report, type Tally } from '../lambdas/understanding/training/evaluate';
import { shippedClassifier, shippedUnderstanding } from '../lambdas/understanding/shipped';
import { createUnderstanding } from '../lambdas/understanding/understand';
import { loadLabelledQuestions } from '../dev/questions';

const root = fileURLToPath(new URL('..', import.meta.url));
const percent = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
const line = (name: string, t: Tally) =>
  `${name.padEnd(20)} n=${String(t.total).padEnd(5)} top-1 ${percent(rate(t.top1, t))}  right ${percent(rate(t.right, t))}  ` +
  `wrong ${percent(rate(t.wrong, t))}  asked ${percent(rate(t.asked, t))} (helpful ${percent(t.asked ? t.askedHelpfully / t.asked : 0)})  menu ${percent(rate(t.menu, t))}`;

function print(title: string, result: Report, details: { confusions: boolean }): void {
  console.log(`\n${title}`);
  console.log(line('all', result.all));
  console.log('  by style:');
  for (const [style, t] of [...result.byStyle].sort()) console.log(`  ${line(style, t)}`);
  console.log('  by topic (first acceptable label):');
  for (const [topic, t] of [...result.byTopic].sort()) console.log(`  ${line(topic, t)}`);
  if (details.confusions) {
    // Rows: the expected label; columns: what the hotline did (a topic by its first letters, ask back, menu).
    const labels = [...result.matrix.keys()].sort();
    const columns = [...labels.filter((l) => l !== 'null'), 'ask', 'menu'];
    const short = (label: string) => label.split('-').map((w) => w.slice(0, 3)).join('-').slice(0, 7).padStart(8);
    console.log('  confusion table (rows expected, columns replied):');
    console.log(`  ${''.padEnd(18)}${columns.map(short).join('')}`);
    for (const label of labels) {
      const row = result.matrix.get(label)!;
      console.log(`  ${label.padEnd(18)}${columns.map((c) => String(row.get(c) ?? '·').padStart(8)).join('')}`);
    }
    console.log('  worst confusions (expected → answered, wrong answers only):');
    for (const [pair, n] of [...result.confusions].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`    ${String(n).padStart(3)}  ${pair}`);
  }
}

const content = bundledContent();
const understand = shippedUnderstanding();
const judge = (item: LabelledText) => judgeUnderstanding(understand(item.q));

// 1. Cross-validation: every corpus line answered by a model that never saw it, behind the real safety check.
const corpus = readCorpus(`${root}content/zh-CN/corpus`);
const started = performance.now();
const { model, rankings } = buildModel(corpus, contentExamples(content));
const bands = model.bands;
const crossValidated = report(corpus, (item, i) => {
  const outOfFold = createUnderstanding({ rank: () => rankings[i]!, explain: () => [], bands });
  return judgeUnderstanding(outOfFold(item.q));
});
print(`corpus, 5-fold cross-validated (${corpus.length} lines; ${((performance.now() - started) / 1000).toFixed(0)} s; bands ${JSON.stringify(bands)})`, crossValidated, { confusions: true });
if (model.trainedOn !== shippedClassifier().trainedOn) console.log('  NOTE: data/model.json is stale: run `npm run train`.');

// 2. Development questions: ours, tuned on; misses printed.
const { questions, sources } = loadLabelledQuestions();
const dev = report(questions, judge);
print(`development questions (${sources.map((s) => s.replace(root, '')).join(', ')})`, dev, { confusions: false });
for (const { item, reply } of dev.misses) console.log(`  MISS ${JSON.stringify(item.q)} expected ${item.ok.join('|')} got ${JSON.stringify(reply)}`);

// 3. Blind sets: figures only.
const fixture = (name: string) => readFileSync(`${root}test/fixtures/${name}`, 'utf8');
for (const name of ['blind/questions-blind-v3.jsonl', 'blind/questions-blind-v2.jsonl', 'questions-holdout.jsonl']) {
  print(`blind ${name} (frozen; figures only)`, report(parseLabelled(fixture(name), name, 'blind'), judge), { confusions: false });
}
const safety = fixture('blind/safety-blind.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; expect: string });
console.log('\nblind safety set:');
for (const label of ['crisis', 'threat']) {
  const cases = safety.filter((c) => c.expect === label);
  const found = cases.filter((c) => detectSafety(c.text)?.kind === label).length;
  const understood = cases.filter((c) => understand(c.text).reason === label).length;
  console.log(`  ${label}: detector ${percent(found / cases.length)} (${found}/${cases.length}); detector + classifier ${percent(understood / cases.length)}`);
}
const none = safety.filter((c) => c.expect === 'none');
const alarms = none.filter((c) => detectSafety(c.text) !== null).length;
const pipelineAlarms = none.filter((c) => ['crisis', 'threat'].includes(understand(c.text).reason)).length;
console.log(`  false alarms: detector ${percent(alarms / none.length)} (${alarms}/${none.length}); detector + classifier ${percent(pipelineAlarms / none.length)} (${pipelineAlarms}/${none.length})`);
