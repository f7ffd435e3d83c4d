import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseQuestions, type LabelledQuestion } from '../lambdas/matcher/evaluate';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Our labelled set plus the spec's sample (beside the clone in ../shared, when present). */
export function loadLabelledQuestions(): { questions: LabelledQuestion[]; sources: string[] } {
  const files = [`${root}test/fixtures/questions.jsonl`, `${root}../shared/examples/questions.sample.jsonl`].filter((f) => existsSync(f));
  return { questions: files.flatMap((f) => parseQuestions(readFileSync(f, 'utf8'))), sources: files };
}
