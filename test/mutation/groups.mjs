/**
 * Mutation-testing groups: which Lambda code each group mutates and which test files can kill its
 * mutants. `stryker.config.mjs` reads this, each `<group>.vitest.config.ts` runs that group's tests,
 * and `npm run mutate` (bin/mutate.ts) runs the groups one after another. A group stays small enough
 * to run in minutes on 2 cores; a test file belongs to every group whose code it exercises. A group's files
 * run in the order listed (test/mutation/vitest-group.ts): quick ones, and those that kill most, first.
 */

/**
 * Thin adapters, never mutated: they only wire AWS, the environment or the network to the code that
 * decides, and run only in AWS (or `npm start`), where no unit test can observe them.
 * - `*-production.ts`, `stats/production.ts`, `from-env.ts`: build the real store / counters from the environment.
 * - `secrets.ts`, `config.ts`: read the Lambda secrets extension and environment settings.
 * - `metrics.ts`, `dynamo-client.ts`: construct the Powertools metrics and DynamoDB SDK clients.
 * - `shipped.ts`: hand the bundled model and locales to the code that uses them.
 * - `*.d.ts`: declarations, no code.
 * The Lambda entries themselves (`export const handler = …` in each handler.ts) are skipped by the
 * `lambda-entry` ignorer (`ignore-lambda-entry.mjs`); the rest of those files is mutated.
 */
export const ADAPTERS = [
  'lambdas/**/*-production.ts',
  'lambdas/stats/production.ts',
  'lambdas/**/from-env.ts',
  'lambdas/shared/secrets.ts',
  'lambdas/shared/config.ts',
  'lambdas/shared/metrics.ts',
  'lambdas/callbacks/dynamo-client.ts',
  'lambdas/**/shipped.ts',
  'lambdas/**/*.d.ts',
];

/**
 * `dom`: the group's code uses browser types (the staff client, shared with the console), so its
 * checker compiles with the DOM library; the others leave it out (parsed again for every mutant, it
 * is a third of the checker's time).
 * @type {Record<string, { mutate: string[]; tests: string[]; dom?: boolean }>}
 */
export const GROUPS = {
  http: {
    mutate: ['lambdas/http/**/*.ts'],
    tests: ['test/http.test.ts', 'test/fallback.test.ts', 'test/webhook-security.test.ts'],
  },
  auth: {
    mutate: ['lambdas/staff/auth.ts'],
    tests: ['test/staff-auth.test.ts'],
  },
  'callback-rules': {
    mutate: [
      'lambdas/callbacks/{phone-number,reference-code,status-rules,text-cleaning,urgency,claim-lease,time-wish,schedule,staff-calendar,limits,cursor,settings}.ts',
      'lambdas/shared/time-zone.ts',
    ],
    tests: ['test/callback-rules.test.ts', 'test/time-wish.test.ts', 'test/schedule.test.ts'],
  },
  voice: {
    mutate: ['lambdas/voice/**/*.ts'],
    tests: ['test/voice-menu.test.ts', 'test/voice-handler.test.ts', 'test/voice-callback.test.ts', 'test/locale.test.ts', 'test/voice.test.ts'],
  },
  understanding: {
    mutate: ['lambdas/understanding/**/*.ts'],
    tests: ['test/understanding-units.test.ts', 'test/understanding.test.ts', 'test/understanding-training.test.ts'],
  },
  safety: {
    mutate: ['lambdas/safety/**/*.ts'],
    tests: ['test/safety-cues.test.ts', 'test/safety.test.ts'],
  },
  content: {
    mutate: ['lambdas/content/**/*.ts', 'lambdas/locales/**/*.ts'],
    // The schema tests first: they kill most of the content's mutants, and the static ones run every test.
    tests: ['test/content-schema.test.ts', 'test/content.test.ts', 'test/locale.test.ts'],
  },
  shared: {
    // time-zone.ts is mutated with the schedule (callback-rules), whose tests read it.
    mutate: ['lambdas/shared/**/*.ts', '!lambdas/shared/time-zone.ts', 'lambdas/monitoring/**/*.ts', 'lambdas/fallback/**/*.ts'],
    tests: ['test/privacy.test.ts', 'test/shared.test.ts', 'test/fallback.test.ts'],
  },
  sms: {
    mutate: ['lambdas/sms/**/*.ts'],
    tests: ['test/sms-conversation.test.ts', 'test/sms-handler.test.ts', 'test/sms.test.ts'],
  },
  store: {
    mutate: ['lambdas/callbacks/{dynamo-*,store,inbox,table}.ts'],
    tests: [
      'test/store-session.test.ts', 'test/store-quota.test.ts', 'test/store-keys.test.ts', 'test/store-phone.test.ts', 'test/store-staff-actions.test.ts',
      'test/store-requests.test.ts', 'test/store-inbox.test.ts', 'test/store-*.test.ts', 'test/callback-store-rules.test.ts', 'test/callback-store-lifecycle.test.ts',
      'test/inbox-rules.test.ts', 'test/monitoring.test.ts', 'test/staff-export.test.ts', 'test/inbox.test.ts', 'test/callback-store.test.ts',
    ],
  },
  staff: {
    mutate: ['lambdas/staff/**/*.ts', '!lambdas/staff/auth.ts'],
    dom: true,
    tests: [
      'test/staff-feature-clients.test.ts', 'test/console-logic.test.ts', 'test/staff-api-edges.test.ts', 'test/staff-client.test.ts', 'test/staff-api-rules.test.ts',
      'test/staff-auth.test.ts', 'test/staff-export.test.ts', 'test/inbox-rules.test.ts', 'test/callbacks-cli.test.ts', 'test/staff-api.test.ts',
      'test/stats.test.ts', 'test/inbox.test.ts', 'test/caller-history.test.ts',
    ],
  },
  stats: {
    mutate: ['lambdas/stats/**/*.ts'],
    tests: ['test/stats-units.test.ts', 'test/stats-counting.test.ts', 'test/stats-store.test.ts', 'test/stats*.test.ts'],
  },
};

/** Every group's code: what `npx stryker run` mutates when no group is named. */
export const ALL_MUTATE = ['lambdas/**/*.ts', ...ADAPTERS.map((glob) => `!${glob}`)];

/** `a/{b,c}.ts` → `a/b.ts`, `a/c.ts` (tsconfig patterns have `*` and `**` but no braces). */
function expandBraces(glob) {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) return [glob];
  return match[1].split(',').flatMap((part) => expandBraces(glob.slice(0, match.index) + part + glob.slice(match.index + match[0].length)));
}

/**
 * What the TypeScript checker compiles for a group's mutants: the group's files (and what they
 * import), not all of lambdas/. It parses every file of the program again for each mutant, so its
 * time grows with the program: this makes it about 3× faster.
 */
export function checkerTsconfig(group) {
  const globs = GROUPS[group].mutate;
  const relative = (glob) => expandBraces(glob).map((path) => `../../${path}`);
  return {
    extends: './tsconfig.json',
    ...(GROUPS[group].dom ? {} : { compilerOptions: { lib: ['ES2023'] } }),
    include: globs.filter((g) => !g.startsWith('!')).flatMap(relative),
    exclude: globs.filter((g) => g.startsWith('!')).flatMap((g) => relative(g.slice(1))),
  };
}
