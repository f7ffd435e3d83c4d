import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.hotline/', 'console/vendor/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Domain code must stay free of AWS and HTTP: see lambdas/*/README-free rule below.
    },
  },
  {
    files: ['lambdas/content/**', 'lambdas/matcher/**', 'lambdas/voice/menu*.ts', 'lambdas/sms/router.ts', 'lambdas/callbacks/rules.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', '@aws-lambda-powertools/*', 'node:http', 'twilio*'] }],
    },
  },
);
