// @ts-check
/**
 * Stryker ignorer `loop-step`: the step of a counting `for` loop (`i++`, `i += 2`). Its mutants (`i--`,
 * `i -= 2`) turn the loop away from its bound, so it never ends: Stryker can only report a timeout, each
 * after 5 s and a new test runner (18 of the understanding group's 29 timeouts were these).
 * The loop's start and bound are still mutated, and the tests that pin them are what catch an off-by-one.
 */
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

class LoopStepIgnorer {
  /** @param {import('@babel/core').NodePath} path */
  shouldIgnore(path) {
    return path.key === 'update' && path.parentPath?.isForStatement() ? 'a for loop’s step turned backwards only loops forever (a timeout)' : undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'loop-step', LoopStepIgnorer)];
