/**
 * The mutation groups' test lists (test/mutation/groups.mjs) and the order a group's files run in
 * (test/mutation/vitest-group.ts): a listed file that no longer exists would silently leave its
 * group's mutants untested, and a wrong order only shows as a slower `npm run mutate`.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { TestSpecification, Vitest } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { GROUPS } from './mutation/groups.mjs';
import { strykerPlugins as loopStepPlugins } from './mutation/ignore-loop-step.mjs';
import { globToRegExp, listedOrder } from './mutation/vitest-group';

const testFiles = readdirSync(new URL('.', import.meta.url)).map((name) => `test/${name}`);

describe('mutation groups', () => {
  it('list only test files that exist: every entry names at least one', () => {
    for (const [group, { tests }] of Object.entries(GROUPS)) {
      for (const glob of tests) expect(testFiles.filter((file) => globToRegExp(glob).test(file)), `${group}: ${glob}`).not.toEqual([]);
    }
  });

  it('read `*` as any characters within one folder, and everything else literally', () => {
    expect(globToRegExp('test/store-*.test.ts').test('test/store-keys.test.ts')).toBe(true);
    expect(globToRegExp('test/store-*.test.ts').test('test/store-keys.test.tsx')).toBe(false);
    expect(globToRegExp('test/store-*.test.ts').test('test/sub/store-keys.test.ts')).toBe(false);
    expect(globToRegExp('test/a.test.ts').test('test/aXtest.ts')).toBe(false);
  });

  it('run a group’s files in the order listed, the first matching entry deciding, files no entry names last', async () => {
    const Sequencer = listedOrder(['test/b.test.ts', 'test/store-*.test.ts', 'test/a.test.ts']);
    const sequencer = new Sequencer({ config: { root: '/repo' } } as Vitest);
    const spec = (path: string) => ({ moduleId: `/repo/${path}` }) as TestSpecification;
    const files = ['test/z.test.ts', 'test/a.test.ts', 'test/store-two.test.ts', 'test/b.test.ts', 'test/store-one.test.ts'];
    const sorted = await sequencer.sort(files.map(spec));
    expect(sorted.map((s) => s.moduleId.slice('/repo/'.length))).toEqual(['test/b.test.ts', 'test/store-two.test.ts', 'test/store-one.test.ts', 'test/a.test.ts', 'test/z.test.ts']);
  });
});

/** Babel as Stryker's instrumenter uses it (a dependency of Stryker's), typed only as far as the test needs. */
interface BabelPath {
  node: { start?: number | null; end?: number | null };
}
const babel = createRequire(import.meta.url)('@babel/core') as {
  parseSync(code: string, options: object): unknown;
  traverse(ast: unknown, visitors: { enter(path: BabelPath): void }): void;
};

describe('the loop-step ignorer', () => {
  it('ignores the step of a for loop and nothing else: not its start, bound or body, nor other updates', () => {
    const Ignorer = loopStepPlugins.find((plugin) => plugin.name === 'loop-step')!.injectableClass;
    const ignorer = new Ignorer();
    const code = 'for (let i = 0; i < n; i += 2) { total++; }\nfor (let k = 0; k < n; k++) {}\nwhile (x > 0) x--;\nfor (const y of list) y++;';
    const ignored: string[] = [];
    babel.traverse(babel.parseSync(code, { sourceType: 'module', configFile: false, babelrc: false }), {
      enter(path) {
        if (ignorer.shouldIgnore(path)) ignored.push(code.slice(path.node.start!, path.node.end!));
      },
    });
    expect(ignored).toEqual(['i += 2', 'k++']);
  });
});
