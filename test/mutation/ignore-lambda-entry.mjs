// @ts-check
/**
 * Stryker ignorer `lambda-entry`: the Lambda entries (`export const handler = …` in a handler file)
 * only wire the environment's store, logger and settings to the handler factory the tests drive, and
 * run only in AWS; their mutants are reported as ignored, not survived. Everything else in those
 * files is mutated.
 */
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

class LambdaEntryIgnorer {
  /** @param {import('@babel/core').NodePath} path */
  shouldIgnore(path) {
    if (!path.isExportNamedDeclaration()) return undefined;
    const declaration = path.node.declaration;
    if (declaration?.type !== 'VariableDeclaration') return undefined;
    const entry = declaration.declarations.some((d) => d.id.type === 'Identifier' && d.id.name === 'handler');
    return entry ? 'Lambda entry wiring (runs only in AWS; the factory it calls is tested)' : undefined;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Ignore, 'lambda-entry', LambdaEntryIgnorer)];
