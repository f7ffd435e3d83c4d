import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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
  /** Keep names (profiling: a CPU profile then names real functions). Default: minified. */
  keepNames?: boolean;
}

const built = new Map<string, string>();

/**
 * Our JSON data (content, the classifier's model and tables) as `JSON.parse("…")` rather than object
 * literals: V8 parses a JSON string several times faster than it compiles the same data as code, and
 * the model alone is 300 KB. Only files of this repository; packages' JSON is left as esbuild bundles it.
 */
const jsonAsString: Plugin = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      JSON.parse(text); // a broken file fails the build here, not in Lambda
      return { contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))});`, loader: 'js' };
    });
  },
};

/**
 * Builds one Lambda as the stack deploys it: minified ESM for Node 22, code-split, source maps without
 * sources (stack traces only need the mappings). The same function builds the benchmarks' assets, so
 * what `npm run bench:cold` measures is what runs in Lambda. Built once per entry and options per process.
 *
 * Synchronous, because CDK constructs are; esbuild runs plugins only in its asynchronous API, so the
 * build runs in a child process (`lambda-build-cli.ts`) and this waits for it.
 */
export function buildLambda(entry: string, options: LambdaBuildOptions = {}): string {
  const key = `${entry}|${options.splitting ?? true}|${options.outdir ?? ''}|${options.keepNames === true}`;
  const done = built.get(key);
  if (done) return done;
  const outdir = options.outdir ?? mkdtempSync(join(tmpdir(), 'hotline-lambda-'));
  execFileSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'lib/lambda-build-cli.ts'), JSON.stringify({ entry, options: { ...options, outdir } })], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  built.set(key, outdir);
  return outdir;
}

/** The build itself (asynchronous: esbuild plugins need it). */
export async function buildLambdaAsync(entry: string, options: LambdaBuildOptions & { outdir: string }): Promise<void> {
  await build({
    entryPoints: { index: join(REPO_ROOT, entry) },
    outdir: options.outdir,
    bundle: true,
    splitting: options.splitting ?? true,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    target: 'node22',
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: !options.keepNames,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    // Everything bundled, the AWS SDK included: the versions in package-lock.json are the ones tested.
    external: [],
    plugins: [jsonAsString],
    logLevel: 'warning',
    legalComments: 'none',
  });
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
