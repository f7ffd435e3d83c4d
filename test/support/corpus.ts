import { readCorpus } from '../../lambdas/understanding/training/corpus';

/** The training corpus's questions (to find real examples of a behaviour rather than hard-coding one). */
export function corpusLines(): string[] {
  return readCorpus(new URL('../../content/zh-CN/corpus', import.meta.url).pathname).map((line) => line.q);
}
