// npm run eval: top-1 accuracy of the matcher on the labelled questions, and every miss.
import { bundledContent } from '../lambdas/content/content';
import { evaluate } from '../lambdas/matcher/evaluate';
import { createMatcher } from '../lambdas/matcher/matcher';
import { loadLabelledQuestions } from './questions';

const content = bundledContent();
const { questions, sources } = loadLabelledQuestions();
const result = evaluate(createMatcher([...content.topics.values()]), questions);
console.log(`questions: ${result.total} (${sources.join(', ')})`);
console.log(`top-1 accuracy: ${(result.accuracy * 100).toFixed(1)}% (${result.correct}/${result.total})`);
for (const miss of result.misses) {
  console.log(`MISS  ${JSON.stringify(miss.q)}  expected ${miss.expected.join('|')}  got ${miss.got} (${miss.score})`);
}
