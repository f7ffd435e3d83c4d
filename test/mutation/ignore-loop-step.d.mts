/** Types for ignore-loop-step.mjs (a Stryker plugin file, read by Stryker as JavaScript). */
export declare const strykerPlugins: { kind: string; name: string; injectableClass: new () => { shouldIgnore(path: unknown): string | undefined } }[];
