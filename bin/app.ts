/**
 * CDK app entry (`cdk synth`, `cdk deploy`). Context `publicBaseUrl` (`-c publicBaseUrl=https://…`)
 * sets the origin Twilio calls when it is not the API's own execute-api endpoint.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HotlineStack } from '../lib/hotline-stack';

const app = new App();

new HotlineStack(app, 'Hotline', {
  description: 'Debt-harassment hotline: Twilio SMS and voice webhooks on API Gateway and Lambda',
});

// cdk-nag 3 is a policy-validation plugin (not an Aspect): any unacknowledged finding fails `cdk synth`.
// Acknowledgements, each with its reason, live next to the resources in lib/hotline-stack.ts.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
