import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, type FunctionName } from '../lambdas/http/routes';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles one Lambda the way the stack does (minified ESM for node22) and returns its size in bytes. */
export async function bundleSize(name: FunctionName): Promise<{ bytes: number; inputs: [string, number][] }> {
  const result = await build({
    entryPoints: [`${root}${FUNCTIONS[name].entry}`],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles.reduce((sum, f) => sum + f.contents.length, 0);
  const packages = new Map<string, number>();
  for (const [path, input] of Object.entries(result.metafile.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(project)';
    packages.set(pkg, (packages.get(pkg) ?? 0) + input.bytes);
  }
  return { bytes, inputs: [...packages].sort((a, b) => b[1] - a[1]).slice(0, 6) };
}
