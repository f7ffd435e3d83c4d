import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLabelled, type LabelledText } from '../lambdas/understanding/training/corpus';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Our labelled set plus the spec's sample (beside the clone in ../shared, when present). */
export function loadLabelledQuestions(): { questions: LabelledText[]; sources: string[] } {
  const files = [`${root}test/fixtures/questions.jsonl`, `${root}../shared/examples/questions.sample.jsonl`].filter((f) => existsSync(f));
  return { questions: files.flatMap((f) => parseLabelled(readFileSync(f, 'utf8'), f, 'dev')), sources: files };
}
