/**
 * `npm run corpus -- pull`: the questions staff labelled in the question inbox, added to the
 * training corpus (`content/zh-CN/corpus/inbox.jsonl`, style `inbox`) so the next `npm run train`
 * learns from them. A question already in any corpus file or in any evaluation set (`test/fixtures/`,
 * `../shared/examples/`; compared as the corpus test compares, `bareQuestion`) is skipped, so pulling
 * twice adds nothing and no evaluation set leaks into training; those files are only read.
 *
 * Connection as `npm run callbacks` (`--url` / HOTLINE_URL / PORT, `--token` / STAFF_TOKEN), with its
 * exit codes. `bin/corpus.ts` is the thin entry.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createStaffClient, StaffApiError, type FetchLike } from '../lambdas/staff/client';
import { inboxClient } from '../lambdas/staff/inbox-client';
import type { StaffInboxQuestion } from '../lambdas/staff/contract';
import { bareQuestion, evaluationTexts, readCorpus } from '../lambdas/understanding/training/corpus';
import { EXIT, resolveConnection, safeText, UsageError, type Env } from './callbacks-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS_DIR = join(ROOT, 'content/zh-CN/corpus');
export const EVALUATION_DIRS = [join(ROOT, 'test/fixtures'), join(ROOT, '../shared/examples')];
/** The file pulled questions go to (one of the corpus's files: `npm run train` reads them all). */
export const INBOX_FILE = 'inbox.jsonl';
/** Pages of labelled questions read at most (100 each): more than 30 days of any inbox. */
const MAX_PAGES = 500;

export const CORPUS_USAGE = `语料命令行 / corpus: the training corpus from the question inbox

用法 / usage:
  npm run corpus -- pull [--dry-run] [--url URL] [--token 令牌]
      把员工在问题收件箱里标注过的问题加到 content/zh-CN/corpus/${INBOX_FILE}（已在语料或评测集里的跳过），
      然后运行 npm run train；--dry-run 只显示会加哪些
      add the questions staff labelled in the inbox to content/zh-CN/corpus/${INBOX_FILE} (skipping any
      already in the corpus or an evaluation set), then run npm run train; --dry-run only shows them
  help, --help
      这段说明 / this help

--url / --token: 同 npm run callbacks（默认 $HOTLINE_URL 或 http://127.0.0.1:$PORT；$STAFF_TOKEN）
退出码 / exit codes: 0 成功 ok · 1 接口拒绝 API error · 2 用法不对 usage error · 3 连不上 network error
`;

export interface CorpusIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
  fetch: FetchLike;
  /** Where the corpus is (tests give a copy); the real one by default. */
  corpusDir?: string;
  evaluationDirs?: string[];
  timeoutMs?: number;
}

/** One corpus line, written as the corpus's other files are. */
export function corpusLine(question: Pick<StaffInboxQuestion, 'text' | 'label'>): string {
  return `{"q": ${JSON.stringify(question.text)}, "ok": [${JSON.stringify(question.label)}], "style": "inbox"}`;
}

export interface PullPlan {
  lines: string[];
  skipped: { corpus: number; evaluation: number; empty: number };
}

/** Which labelled questions become lines (oldest first), and why the others do not. */
export function planPull(questions: readonly StaffInboxQuestion[], corpus: readonly string[], evaluation: readonly string[]): PullPlan {
  const inCorpus = new Set(corpus.map(bareQuestion));
  const inEvaluation = new Set(evaluation.map(bareQuestion));
  const plan: PullPlan = { lines: [], skipped: { corpus: 0, evaluation: 0, empty: 0 } };
  for (const question of [...questions].filter((q) => q.labelled).reverse()) {
    const bare = bareQuestion(question.text);
    // Nothing but masked digits and punctuation teaches nothing.
    if (!bare) plan.skipped.empty += 1;
    else if (inEvaluation.has(bare)) plan.skipped.evaluation += 1;
    else if (inCorpus.has(bare)) plan.skipped.corpus += 1;
    else {
      plan.lines.push(corpusLine(question));
      inCorpus.add(bare);
    }
  }
  return plan;
}

export async function runCorpusCli(argv: readonly string[], io: CorpusIO): Promise<number> {
  let dryRun: boolean;
  let connection: { url: string; token: string };
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help || positionals[0] === 'help') {
      io.stdout(CORPUS_USAGE);
      return EXIT.ok;
    }
    if (positionals[0] !== 'pull' || positionals.length > 1) throw new UsageError(`没有这个命令 / unknown command "${positionals.join(' ')}" (pull, help)`);
    dryRun = values['dry-run'] ?? false;
    connection = resolveConnection(values, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`✗ ${error.message}\n  帮助 / help: npm run corpus -- help\n`);
    return EXIT.usage;
  }

  const client = createStaffClient({ baseUrl: connection.url, token: () => connection.token, fetch: io.fetch, ...(io.timeoutMs !== undefined ? { timeoutMs: io.timeoutMs } : {}) });
  let labelled: StaffInboxQuestion[];
  try {
    const read = await inboxClient(client).listPages({ labelled: true, limit: 100 }, MAX_PAGES);
    labelled = read.items;
  } catch (error) {
    if (!(error instanceof StaffApiError)) throw error;
    io.stderr(error.answered ? `✗ ${safeText(error.message, false)}\n` : `✗ 连不上 ${connection.url}（${error.reason}）/ cannot reach ${connection.url}\n`);
    if (error.status === 401) io.stderr('  检查 --token 或环境变量 STAFF_TOKEN / check --token or STAFF_TOKEN\n');
    return error.answered ? EXIT.api : EXIT.network;
  }

  const corpusDir = io.corpusDir ?? CORPUS_DIR;
  const evaluation = (io.evaluationDirs ?? EVALUATION_DIRS).flatMap(evaluationTexts);
  const plan = planPull(labelled, readCorpus(corpusDir).map((line) => line.q), evaluation);
  const file = join(corpusDir, INBOX_FILE);
  if (plan.lines.length && !dryRun) {
    const before = await readFile(file, 'utf8').catch(() => '');
    await appendFile(file, `${before && !before.endsWith('\n') ? '\n' : ''}${plan.lines.join('\n')}\n`, 'utf8');
  }
  if (dryRun) for (const line of plan.lines) io.stdout(`${line}\n`);
  const { corpus, evaluation: inEvaluation, empty } = plan.skipped;
  io.stdout(
    `${dryRun ? '会加入 / would add' : '已加入 / added'} ${plan.lines.length} 条 → ${file}\n` +
      `已标注 ${labelled.length} 条；跳过：已在语料 ${corpus} 条，评测集里 ${inEvaluation} 条，只剩星号 ${empty} 条 / labelled ${labelled.length}; skipped: in the corpus ${corpus}, in an evaluation set ${inEvaluation}, only masked digits ${empty}\n` +
      (plan.lines.length && !dryRun ? '接着运行 / next: npm run train && npm run eval\n' : ''),
  );
  return EXIT.ok;
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: { url: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
