/**
 * Builds the staff console: esbuild bundles `src/main.ts` (ESM, minified, code splitting so that
 * `oidc-client-ts` is a chunk only Cognito sign-in downloads, and 统计 with uPlot and the question
 * inbox are chunks only those pages download), plus `index.html` and `styles.css` (minified, with
 * uPlot's stylesheet before ours). `index.html` loads `app.js` and `styles.css` by fixed names: serve them with
 * `cache-control: no-cache` (or revalidation); the `chunk-<hash>.js` files may be cached for good.
 * `config.json` is not part of the build: the local server serves one for token sign-in and the
 * stack deploys one for Cognito.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform, type Plugin } from 'esbuild';

export interface ConsoleFile {
  /** Relative to the console's folder, with `/` separators (`index.html`, `app.js`, `chunk-AB12.js`). */
  path: string;
  contentType: string;
  body: Buffer;
}

const here = dirname(fileURLToPath(import.meta.url));
/** A folder esbuild pretends to write to; output paths are made relative to it. */
const OUT = join(here, 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

function contentType(path: string): string {
  const ext = /\.[a-z]+$/.exec(path)?.[0] ?? '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * The console names topics by their menu labels (`src/topic-names.ts`) and needs nothing else of
 * `topics.json`: the scripts, SMS texts and facts (40 KB) stay out of the page.
 */
const topicLabelsOnly: Plugin = {
  name: 'topic-labels-only',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]content[\\/][^\\/]+[\\/]topics\.json$/ }, async (args) => {
      const topics = JSON.parse(await readFile(args.path, 'utf8')) as { id: string; menuLabel: string }[];
      return { contents: JSON.stringify(topics.map(({ id, menuLabel }) => ({ id, menuLabel }))), loader: 'json' };
    });
  },
};

/** uPlot's own stylesheet (the 统计 view's charts), served inside styles.css: the CSP allows only our files. */
const UPLOT_CSS = createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css');

export async function buildConsoleFiles(): Promise<ConsoleFile[]> {
  const result = await build({
    entryPoints: { app: join(here, 'src', 'main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    outdir: OUT,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: 'silent',
    plugins: [topicLabelsOnly],
  });
  const scripts = result.outputFiles.map((file) => {
    const path = relative(OUT, file.path).split('\\').join('/');
    return { path, contentType: contentType(path), body: Buffer.from(file.contents) };
  });
  const html = await readFile(join(here, 'index.html'));
  const styles = `${await readFile(UPLOT_CSS, 'utf8')}\n${await readFile(join(here, 'styles.css'), 'utf8')}`;
  const css = await transform(styles, { loader: 'css', minify: true, target: ['chrome80', 'safari13', 'firefox78'], logLevel: 'silent' });
  const statics = [
    { path: 'index.html', contentType: contentType('index.html'), body: html },
    { path: 'styles.css', contentType: contentType('styles.css'), body: Buffer.from(css.code) },
  ];
  return [...statics, ...scripts];
}

/** Writes the console into `outDir` (the stack deploys that folder; it adds `config.json`). */
export async function writeConsole(outDir: string): Promise<void> {
  const files = await buildConsoleFiles();
  await mkdir(outDir, { recursive: true });
  for (const file of files) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.body);
  }
}
