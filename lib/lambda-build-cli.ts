// Runs one Lambda build (see lambda-build.ts: esbuild's plugins need its asynchronous API, CDK is synchronous).
import { buildLambdaAsync, type LambdaBuildOptions } from './lambda-build';

const { entry, options } = JSON.parse(process.argv[2] ?? '{}') as { entry: string; options: LambdaBuildOptions & { outdir: string } };
await buildLambdaAsync(entry, options);
