import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.hotline/', 'console/vendor/', '.probe/'] },
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
    // Domain code (menus, matcher, callback rules) never imports AWS, HTTP or Twilio.
    files: ['lambdas/content/**', 'lambdas/matcher/**', 'lambdas/voice/menu.ts', 'lambdas/voice/reply.ts', 'lambdas/sms/router.ts', 'lambdas/sms/replies.ts', 'lambdas/callbacks/rules.ts'],
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
