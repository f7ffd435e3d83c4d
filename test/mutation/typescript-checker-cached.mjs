// @ts-check
/**
 * Stryker checker `typescript-cached`: @stryker-mutator/typescript-checker (its checker, its mutant
 * grouping and its error attribution, unchanged) on a faster compile. The stock one recompiles each
 * mutant through TypeScript's solution builder, which parses every file of the program again,
 * declarations of node_modules included (3 MB for the callback rules), and waits 250 ms first: about a
 * second per mutant, longer than running its tests. Here a watch program keeps every unchanged source
 * file between compiles and starts at once, so only the mutated file is parsed again and its
 * dependents checked. Only single projects (no `references`), which is what the groups' configs are.
 */
/* global URL, setTimeout, clearTimeout */
import ts from 'typescript';
import { commonTokens, declareFactoryPlugin, PluginKind, Scope, tokens } from '@stryker-mutator/api/plugin';

// The checker's own modules (the package exports only its plugin): the sandbox links node_modules.
const stock = new URL('../../node_modules/@stryker-mutator/typescript-checker/dist/src/', import.meta.url);
const { TypescriptChecker } = await import(new URL('typescript-checker.js', stock).href);
const { TypescriptCompiler } = await import(new URL('typescript-compiler.js', stock).href);
const { HybridFileSystem } = await import(new URL('fs/hybrid-file-system.js', stock).href);
const pluginTokens = await import(new URL('plugin-tokens.js', stock).href);

/** "Found 1 error." and "Found N errors." (watch mode): a compile is done and its diagnostics reported. */
const COMPILE_DONE = new Set([6193, 6194]);

export class CachedTypescriptCompiler extends TypescriptCompiler {
  async init() {
    if (ts.parseConfigFileTextToJson(this.tsconfigFile, ts.sys.readFile(this.tsconfigFile) ?? '{}').config?.references) {
      throw new Error('typescript-cached: project references are not supported; use the `typescript` checker');
    }
    /** @type {ts.System} */
    const system = {
      ...ts.sys,
      readFile: (fileName) => {
        const content = this.fs.getFile(fileName)?.content;
        return content && this.allTSConfigFiles.has(resolve(fileName)) ? this.adjustTSConfigFile(fileName, content, false) : content;
      },
      watchFile: (fileName, callback) => {
        const file = this.fs.getFile(fileName);
        if (file) file.watcher = callback;
        return { close: () => void (file && delete file.watcher) };
      },
      watchDirectory: () => ({ close() {} }),
      writeFile: (fileName, data) => this.fs.writeFile(fileName, data),
      setTimeout: (callback, _ms, ...args) => setTimeout(callback, 0, ...args),
      clearTimeout: (timer) => clearTimeout(timer),
    };
    const host = ts.createWatchCompilerHost(
      this.tsconfigFile,
      {},
      system,
      (...args) => {
        const program = ts.createEmitAndSemanticDiagnosticsBuilderProgram(...args);
        if (!this.sourceFiles.size) this.recordImports(program);
        return program;
      },
      (error) => void this.currentErrors.push(error),
      (status) => {
        if (COMPILE_DONE.has(status.code)) this.currentTask.resolve();
      },
    );
    ts.createWatchProgram(host);
    return await this.check([]);
  }

  /** The import graph the checker groups mutants by (as the stock compiler records it). */
  recordImports(program) {
    for (const file of program.getSourceFiles()) {
      if (file.fileName.endsWith('.d.ts') || file.fileName.includes('node_modules')) continue;
      const imports = program
        .getAllDependencies(file)
        .filter((name) => !name.includes('/node_modules/') && name !== file.fileName)
        .flatMap((name) => this.resolveTSInputFile(name));
      this.sourceFiles.set(file.fileName, { fileName: file.fileName, imports: new Set(imports) });
    }
  }
}

function resolve(fileName) {
  return ts.sys.resolvePath(fileName);
}

/** @param {(category: string) => unknown} getLogger */
function checkerLogger(getLogger) {
  return getLogger('TypescriptChecker');
}
checkerLogger.inject = tokens(commonTokens.getLogger);

/** @param {import('@stryker-mutator/api/plugin').Injector} injector */
function create(injector) {
  return injector
    .provideFactory(commonTokens.logger, checkerLogger, Scope.Transient)
    .provideClass(pluginTokens.fs, HybridFileSystem)
    .provideClass(pluginTokens.tsCompiler, CachedTypescriptCompiler)
    .injectClass(TypescriptChecker);
}
create.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.Checker, 'typescript-cached', create)];
