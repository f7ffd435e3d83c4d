import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The repository root (this file lives in `lib/`). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * esbuild's ESM output keeps CommonJS modules (twilio and its dependencies) as `__require(...)` calls,
 * which need a `require` in scope; Node's ESM has none, so every output file defines one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __hotlineCreateRequire } from 'node:module'; const require = __hotlineCreateRequire(import.meta.url);";

/** The handler Lambda loads: `index.mjs` exports `handler`. */
export const LAMBDA_HANDLER = 'index.handler';

export interface LambdaBuildOptions {
  /**
   * Code splitting (default on): a dynamic `import()` becomes a separate chunk that Node loads only
   * when a request reaches it, so the greeting does not compile the classifier or the DynamoDB client.
   */
  splitting?: boolean;
  /** Where to write; a fresh temporary folder by default. */
  outdir?: string;
}

const built = new Map<string, string>();

/**
 * Builds one Lambda as the stack deploys it: minified ESM for Node 22, code-split, source maps without
 * sources (stack traces only need the mappings). The same function builds the benchmarks' assets, so
 * what `npm run bench:cold` measures is what runs in Lambda. Built once per entry and options per process.
 */
export function buildLambda(entry: string, options: LambdaBuildOptions = {}): string {
  const splitting = options.splitting ?? true;
  const key = `${entry}|${splitting}|${options.outdir ?? ''}`;
  const done = built.get(key);
  if (done) return done;
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), 'hotline-lambda-'));
  buildSync({
    entryPoints: { index: join(REPO_ROOT, entry) },
    outdir,
    bundle: true,
    splitting,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    // Everything bundled, the AWS SDK included: the versions in package-lock.json are the ones tested.
    external: [],
    logLevel: 'warning',
    legalComments: 'none',
  });
  built.set(key, outdir);
  return outdir;
}

/** Bytes of JavaScript in a build (source maps excluded), and of its entry file alone. */
export function buildSize(dir: string): { total: number; entry: number; chunks: number } {
  let total = 0;
  let chunks = 0;
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.mjs')) {
        total += statSync(full).size;
        if (path !== dir) chunks++;
      }
    }
  };
  walk(dir);
  return { total, entry: statSync(join(dir, 'index.mjs')).size, chunks };
}
