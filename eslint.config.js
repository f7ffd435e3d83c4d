import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.hotline/', 'console/vendor/', '.probe/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `twilio` alone pulls a 3.8 MB bundle; its TwiML and webhook modules give the same in ~85 KB.
      'no-restricted-imports': ['error', { paths: [{ name: 'twilio', message: 'Import twilio/lib/twiml/… or twilio/lib/webhooks/webhooks instead.' }] }],
    },
  },
  {
    // No import cycles, type-only ones included: each module can be read (and loaded lazily) on its own.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Domain code (menus, understanding, callback rules, the SMS conversation) never imports AWS, HTTP or Twilio.
    files: [
      'lambdas/content/**', 'lambdas/understanding/*.ts', 'lambdas/safety/**', 'lambdas/voice/menu.ts', 'lambdas/voice/reply.ts', 'lambdas/voice/callback-flow.ts', 'lambdas/voice/callback-state.ts',
      'lambdas/sms/router.ts', 'lambdas/sms/replies.ts', 'lambdas/sms/conversation.ts', 'lambdas/sms/callback-reply.ts', 'lambdas/sms/crisis-reply.ts',
      'lambdas/callbacks/phone-number.ts', 'lambdas/callbacks/reference-code.ts', 'lambdas/callbacks/status-rules.ts', 'lambdas/callbacks/claim-lease.ts',
      'lambdas/callbacks/text-cleaning.ts', 'lambdas/callbacks/urgency.ts', 'lambdas/callbacks/schedule.ts', 'lambdas/callbacks/staff-calendar.ts', 'lambdas/callbacks/time-wish.ts', 'lambdas/callbacks/limits.ts',
      // The question inbox's rules and its staff routes, and the masking of numbers (lambdas/shared/privacy.ts).
      'lambdas/callbacks/inbox.ts', 'lambdas/staff/inbox-api.ts', 'lambdas/staff/inbox-contract.ts', 'lambdas/staff/inbox-client.ts', 'lambdas/shared/privacy.ts',
      // The counts' pure parts: which counters an answer adds, the funnel, the report (lambdas/stats/).
      'lambdas/stats/vocabulary.ts', 'lambdas/stats/answers.ts', 'lambdas/stats/funnel.ts', 'lambdas/stats/counting.ts', 'lambdas/stats/deferred.ts', 'lambdas/stats/report.ts', 'lambdas/stats/csv.ts', 'lambdas/stats/store.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: ['twilio', 'node:http', 'node:https'], patterns: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'twilio/*'] }],
    },
  },
  {
    // The operator's CLI talks to Twilio's REST API: the full client is fine here (never bundled into a Lambda).
    files: ['bin/configure-number.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
