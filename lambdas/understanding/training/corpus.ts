import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTopicId, type TopicId } from '../../content/topic-ids';
import type { Label } from '../model';

/** One labelled line of the corpus: `ok[0]` is the label trained on; every `ok` counts as right in evaluation. */
export interface LabelledText {
  q: string;
  ok: Label[];
  style: string;
  /** Where it came from (file name), for reports. */
  source: string;
}

/** Reads JSON lines `{q, ok, style?}`; a malformed line is an error naming the file and line, never skipped. */
export function parseLabelled(jsonl: string, source: string, defaultStyle = 'unknown'): LabelledText[] {
  return jsonl.split('\n').flatMap((line, index) => {
    if (!line.trim()) return [];
    const where = `${source}:${index + 1}`;
    let parsed: { q?: unknown; ok?: unknown; style?: unknown };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      throw new Error(`${where}: not JSON`);
    }
    const { q, ok, style } = parsed;
    if (typeof q !== 'string' || !q.trim()) throw new Error(`${where}: "q" must be a non-empty string`);
    // isTopicId is false for anything but a topic id's string.
    if (!Array.isArray(ok) || ok.length === 0 || !ok.every((id) => id === null || isTopicId(id))) {
      throw new Error(`${where}: "ok" must list topic ids or null`);
    }
    return [{ q, ok: ok as (TopicId | null)[], style: typeof style === 'string' ? style : defaultStyle, source }];
  });
}

/**
 * A question as compared for overlap: "你好。" and "你好" are the same question (no spaces,
 * punctuation or full-width forms; a masked number's `*` is punctuation too).
 */
export function bareQuestion(q: string): string {
  return q.normalize('NFKC').replace(/[\s\p{P}]/gu, '');
}

/**
 * The text of every line of every `*.jsonl` under `folder`, subfolders included (`q` of a question
 * set, `text` of a safety set): what a new corpus line must not repeat. None when it does not exist.
 */
export function evaluationTexts(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.jsonl'));
  return files.sort().flatMap((name) =>
    readFileSync(join(folder, name), 'utf8')
      .split('\n')
      .flatMap((line) => {
        if (!line.trim()) return [];
        const { q, text } = JSON.parse(line) as { q?: unknown; text?: unknown };
        const found = typeof q === 'string' ? q : text;
        return typeof found === 'string' ? [found] : [];
      }),
  );
}

/** Every `*.jsonl` file of a corpus folder, in name order. */
export function readCorpus(folder: string): LabelledText[] {
  const names = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
  // Stryker disable next-line MethodExpression: equivalent — readdirSync lists a folder in name order already (libuv sorts it); sorted here so as not to depend on that
  return names.sort().flatMap((name) => parseLabelled(readFileSync(join(folder, name), 'utf8'), name));
}
