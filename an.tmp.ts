import { bundledContent } from './lambdas/content/content';
import { buildModel } from './lambdas/understanding/training/build';
import { contentExamples } from './lambdas/understanding/training/content-examples';
import { readCorpus } from './lambdas/understanding/training/corpus';
import { createUnderstanding } from './lambdas/understanding/understand';
const corpus = readCorpus('content/zh-CN/corpus');
const { model, rankings } = buildModel(corpus, contentExamples(bundledContent()));
corpus.forEach((c, i) => {
  const u = createUnderstanding({ rank: () => rankings[i]!, explain: () => [], bands: model.bands })(c.q);
  if (u.topic && !c.ok.includes(u.topic)) console.log(`${c.ok[0]} → ${u.topic} (${u.reason} ${u.score}) ${c.q}`);
});
