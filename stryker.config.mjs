// @ts-check
/**
 * Mutation testing (StrykerJS) of the Lambda code: `npm run mutate` runs every group of
 * `test/mutation/groups.mjs` one after another (bin/mutate.ts); `MUTATE_GROUP=<group> npx stryker run`
 * runs one; `npx stryker run --mutate '<glob>'` narrows either (without a group, the tests are every
 * group's, and Vitest runs only those that import the mutated files). Not part of `npm test`.
 */
/* global process */
import { writeFileSync } from 'node:fs';
import { ADAPTERS, ALL_MUTATE, checkerTsconfig, GROUPS } from './test/mutation/groups.mjs';

const group = process.env.MUTATE_GROUP;
if (group !== undefined && !(group in GROUPS)) throw new Error(`MUTATE_GROUP: no group "${group}" (${Object.keys(GROUPS).join(', ')})`);
const name = group ?? 'all';

// The checker compiles only the group's files (written here, before Stryker copies the project into its sandbox).
const CHECKER_TSCONFIG = 'test/mutation/tsconfig.checker.json';
if (group) writeFileSync(CHECKER_TSCONFIG, `${JSON.stringify(checkerTsconfig(group), null, 2)}\n`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  // The group's config already names the tests that matter; `related` would also skip static mutants' tests.
  vitest: { configFile: `test/mutation/${name}.vitest.config.ts`, related: false },
  // Mutants that do not compile are dropped before any test runs: the TypeScript checker on a compile that keeps
  // unchanged files between mutants (test/mutation/typescript-checker-cached.mjs; `typescript` is the stock one,
  // 5× slower), compiling the Lambda code only (test/mutation/tsconfig.json, or the group's files).
  checkers: ['typescript-cached'],
  tsconfigFile: group ? CHECKER_TSCONFIG : 'test/mutation/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // The thin adapters (AWS, environment and network wiring) are never mutated: see ADAPTERS in groups.mjs.
  mutate: group ? [...GROUPS[group].mutate, ...ADAPTERS.map((glob) => `!${glob}`)] : ALL_MUTATE,
  plugins: ['@stryker-mutator/*', './test/mutation/typescript-checker-cached.mjs', './test/mutation/ignore-lambda-entry.mjs', './test/mutation/ignore-loop-step.mjs'],
  ignorers: ['lambda-entry', 'loop-step'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, skipFull: true },
  // The machine has 2 cores (and the integration tests start dynalite).
  concurrency: 2,
  // Not copied into the sandbox: build output and local data no test reads.
  ignorePatterns: ['cdk.out', '.hotline', '.probe', 'test-results', 'reports'],
  thresholds: { high: 85, low: 75, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

export default config;
