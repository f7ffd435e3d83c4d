/** Types of groups.mjs (plain JavaScript, so that stryker.config.mjs can import it). */
export declare const ADAPTERS: string[];
export declare const GROUPS: Record<string, { mutate: string[]; tests: string[]; dom?: boolean }>;
export declare const ALL_MUTATE: string[];
export declare function checkerTsconfig(group: string): { extends: string; compilerOptions?: { lib: string[] }; include: string[]; exclude: string[] };
