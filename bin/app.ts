/**
 * CDK app entry (`cdk synth`, `cdk deploy`). Settings come from context (`-c name=value` or cdk.json;
 * lib/settings.ts lists them, the README explains them). The staff console is built first (esbuild)
 * and deployed as an asset.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HotlineStack } from '../lib/hotline-stack';
import { buildConsoleAsset } from '../lib/staff-console';

const app = new App();

new HotlineStack(app, 'Hotline', {
  description: 'Debt-harassment hotline: Twilio SMS and voice webhooks, staff console and API, on API Gateway, Lambda, DynamoDB and CloudFront',
  consoleDir: await buildConsoleAsset(),
});

// cdk-nag 3 is a policy-validation plugin (not an Aspect): any unacknowledged finding fails `cdk synth`.
// Acknowledgements, each with its reason, live next to the resources in lib/.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
