import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent, parseForm } from '../lambdas/http/event';
import { relativePath, ROUTES, type RouteName } from '../lambdas/http/routes';
import { hasValidTwilioSignature } from '../lambdas/http/twilio-signature';
import { main, planNumber, stackOutputs, type CliDeps, type NumberClient, type NumberFields, type NumberRecord } from '../bin/configure-number';
import { OUTPUTS, TWILIO_WEBHOOK_NAMES, TWILIO_WEBHOOKS, webhookOf } from '../lib/twilio-webhooks';
import { environmentOf, functionId, onlyResource, resolveValue, synthesize } from './support/stack';
import { TOKEN, twilioEvent } from './support/twilio';

/** What CloudFormation would give the default stack's API (made up). */
const EXECUTE_API = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
const CUSTOM_BASE = 'https://hotline.example.org/base';
const API_DOMAIN = 'voice.hotline.example.org';

let templates: Record<string, Template>;

beforeAll(async () => {
  const synth = await synthesize({
    Hotline: {},
    HotlineCustomBase: { publicBaseUrl: `${CUSTOM_BASE}/` },
    HotlineApiDomain: {
      apiDomainName: API_DOMAIN,
      apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
      twilioNumber: '+14155550100',
    },
  });
  templates = synth.templates;
}, 180_000);

/** The stack outputs as `cdk deploy --outputs-file` would write them, with the made-up API endpoint. */
function deployedOutputs(stackName: string): Record<string, string> {
  const template = templates[stackName]!;
  const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
  const known = { [`${apiId}.ApiEndpoint`]: EXECUTE_API };
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.toJSON().Outputs as Record<string, { Value: unknown }>)) {
    try {
      outputs[name] = resolveValue(output.Value, known);
    } catch {
      // Outputs naming other resources (pool id, topic…) are not needed here.
    }
  }
  return outputs;
}

/** PUBLIC_BASE_URL of a Twilio function, as it will be at run time. */
function publicBaseUrlOf(stackName: string, fn: 'voice' | 'sms'): string {
  const template = templates[stackName]!;
  const [apiId] = onlyResource(template, 'AWS::ApiGatewayV2::Api');
  return resolveValue(environmentOf(template, functionId(template, fn)).PUBLIC_BASE_URL, { [`${apiId}.ApiEndpoint`]: EXECUTE_API });
}

/** Does the handler of `route` accept a request Twilio signed for `signedUrl`, arriving at `path?query`? */
function accepts(stackName: string, route: RouteName, signedUrl: string, query = ''): boolean {
  const params = { CallSid: 'CA0123456789abcdef0123456789abcdef', From: '+8613812345678', Digits: '1' };
  const event = twilioEvent({ path: ROUTES[route].path, query, params, signedUrl });
  const request = decodeEvent(event);
  const fn = ROUTES[route].fn as 'voice' | 'sms';
  return hasValidTwilioSignature(TOKEN, publicBaseUrlOf(stackName, fn), request, parseForm(request.body));
}

describe('Twilio webhooks and their fallbacks', () => {
  it('reaches every Twilio route through exactly one webhook, and nothing else', () => {
    for (const [name, route] of Object.entries(ROUTES) as [RouteName, (typeof ROUTES)[RouteName]][]) {
      const owners = TWILIO_WEBHOOK_NAMES.filter((w) => (TWILIO_WEBHOOKS[w].reaches as readonly string[]).includes(name));
      expect(owners, name).toHaveLength(route.auth === 'twilio' ? 1 : 0);
      expect(webhookOf(name), name).toBe(owners[0]);
    }
    for (const name of TWILIO_WEBHOOK_NAMES) {
      const webhook = TWILIO_WEBHOOKS[name];
      expect(webhook.reaches).toContain(webhook.route);
      expect(ROUTES[webhook.route].auth).toBe('twilio');
    }
  });

  it('gives every webhook a fallback route: open, POST, the static fallback function', () => {
    for (const name of TWILIO_WEBHOOK_NAMES) {
      expect(ROUTES[TWILIO_WEBHOOKS[name].fallback]).toMatchObject({ method: 'POST', auth: 'none', fn: 'fallback' });
    }
  });

  it.each(['Hotline', 'HotlineCustomBase', 'HotlineApiDomain'])('outputs, in %s, a webhook URL and a fallback URL for every Twilio route', (stackName) => {
    const outputs = deployedOutputs(stackName);
    for (const route of (Object.keys(ROUTES) as RouteName[]).filter((r) => ROUTES[r].auth === 'twilio')) {
      const webhook = TWILIO_WEBHOOKS[webhookOf(route)!];
      expect(outputs[webhook.output], route).toMatch(/^https:\/\//);
      expect(outputs[webhook.fallbackOutput], route).toBe(`${EXECUTE_API}${ROUTES[webhook.fallback].path}`);
    }
  });

  it('sets a webhook and its fallback, both POST, for every webhook when configuring the number', () => {
    const plan = planNumber(deployedOutputs('Hotline'), '+1 415-555-0100');
    expect(plan.phoneNumber).toBe('+14155550100');
    expect(plan.fields).toEqual({
      voiceUrl: `${EXECUTE_API}${ROUTES.voiceIncoming.path}`,
      voiceMethod: 'POST',
      voiceFallbackUrl: `${EXECUTE_API}${ROUTES.voiceFallback.path}`,
      voiceFallbackMethod: 'POST',
      smsUrl: `${EXECUTE_API}${ROUTES.sms.path}`,
      smsMethod: 'POST',
      smsFallbackUrl: `${EXECUTE_API}${ROUTES.smsFallback.path}`,
      smsFallbackMethod: 'POST',
      // Twilio's call status callback: where each call ended, for the counts.
      statusCallback: `${EXECUTE_API}${ROUTES.voiceStatus.path}`,
      statusCallbackMethod: 'POST',
    });
    for (const name of TWILIO_WEBHOOK_NAMES) {
      const { fields } = TWILIO_WEBHOOKS[name];
      expect(plan.fields[fields.fallbackUrl], name).toBeDefined();
    }
  });

  it('refuses to configure a number when an output is missing (e.g. a fallback)', () => {
    const outputs = deployedOutputs('Hotline');
    delete outputs[TWILIO_WEBHOOKS.sms.fallbackOutput];
    expect(() => planNumber(outputs, '+14155550100')).toThrow(/SmsFallbackUrl/);
    expect(() => planNumber({ ...deployedOutputs('Hotline'), VoiceWebhookUrl: 'http://plain.example.org/twilio/voice' }, '+14155550100')).toThrow(/https/);
    expect(() => planNumber(deployedOutputs('Hotline'), '0800 123')).toThrow(/E\.164/);
  });
});

describe('the URL the handlers check signatures against', () => {
  const cases = [
    ['Hotline', EXECUTE_API],
    ['HotlineCustomBase', CUSTOM_BASE],
    ['HotlineApiDomain', `https://${API_DOMAIN}`],
  ] as const;

  it.each(cases)('is, in %s, the origin of the webhook URLs Twilio is given (%s)', (stackName, base) => {
    const outputs = deployedOutputs(stackName);
    for (const fn of ['voice', 'sms'] as const) expect(publicBaseUrlOf(stackName, fn)).toBe(base);
    expect(outputs.VoiceWebhookUrl).toBe(`${base}${ROUTES.voiceIncoming.path}`);
    expect(outputs.SmsWebhookUrl).toBe(`${base}${ROUTES.sms.path}`);
  });

  it.each(cases)('accepts, in %s, a request signed for the output URL and its relative action URLs', (stackName) => {
    const outputs = deployedOutputs(stackName);
    expect(accepts(stackName, 'voiceIncoming', outputs.VoiceWebhookUrl!)).toBe(true);
    expect(accepts(stackName, 'sms', outputs.SmsWebhookUrl!)).toBe(true);
    // <Gather action="voice/menu?at=3"> (relative, as the voice handler writes it) is resolved by Twilio
    // against the URL it called; the handler must accept what Twilio then signs.
    const action = new URL(`${relativePath(ROUTES.voiceIncoming.path, ROUTES.voiceMenu.path)}?at=3&s=1`, outputs.VoiceWebhookUrl!).toString();
    expect(action.startsWith(publicBaseUrlOf(stackName, 'voice'))).toBe(true);
    expect(accepts(stackName, 'voiceMenu', action, 'at=3&s=1')).toBe(true);
  });

  it.each(cases)('refuses, in %s, a request signed for any other URL', (stackName, base) => {
    const outputs = deployedOutputs(stackName);
    const voice = outputs.VoiceWebhookUrl!;
    const others = [
      base === EXECUTE_API ? `${CUSTOM_BASE}${ROUTES.voiceIncoming.path}` : `${EXECUTE_API}${ROUTES.voiceIncoming.path}`,
      voice.replace(/^https:/, 'http:'),
      `${voice}/`,
      `${base}/prod${ROUTES.voiceIncoming.path}`,
      `${voice}?x=1`,
      outputs.VoiceFallbackUrl!,
    ];
    for (const url of others) expect(accepts(stackName, 'voiceIncoming', url), url).toBe(false);
  });
});

describe('npm run configure-number', () => {
  const outputsFile = () => JSON.stringify({ Hotline: deployedOutputs('HotlineApiDomain') });

  function run(argv: string[], overrides: Partial<CliDeps> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const deps: CliDeps = {
      log: (line) => out.push(line),
      error: (line) => err.push(line),
      readFile: () => outputsFile(),
      env: {},
      connect: () => Promise.reject(new Error('no network in tests')),
      ...overrides,
    };
    return main(argv, deps).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
  }

  it('prints, with --dry-run, every URL and fallback it would set, without credentials or network', async () => {
    const { code, out, err } = await run(['--dry-run']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('+14155550100');
    for (const path of [ROUTES.voiceIncoming.path, ROUTES.sms.path]) expect(out).toContain(`https://${API_DOMAIN}${path}`);
    for (const path of [ROUTES.voiceFallback.path, ROUTES.smsFallback.path]) expect(out).toContain(`${EXECUTE_API}${path}`);
    for (const field of ['voiceUrl', 'voiceFallbackUrl', 'smsUrl', 'smsFallbackUrl']) expect(out).toContain(field);
    const statusLine = out.split('\n').find((line) => line.trim().startsWith('statusCallback '));
    expect(statusLine).toContain(`https://${API_DOMAIN}${ROUTES.voiceStatus.path}  (POST)`);
    expect(out).toContain('nothing was changed');
  });

  it('takes --number over the TwilioNumber output and reads outputs of the named stack', async () => {
    const file = JSON.stringify({ Other: deployedOutputs('Hotline') });
    const { code, out } = await run(['--dry-run', '--stack', 'Other', '--number', '+442071234567'], { readFile: () => file });
    expect(code).toBe(0);
    expect(out).toContain('+442071234567');
    expect(stackOutputs(file, 'Other')[OUTPUTS.apiUrl]).toBe(EXECUTE_API);
  });

  it('fails clearly without outputs, a number or credentials', async () => {
    expect((await run(['--dry-run'], { readFile: () => JSON.stringify({}) })).err).toMatch(/no outputs for stack "Hotline"/);
    const withoutNumber = JSON.stringify({ Hotline: deployedOutputs('Hotline') });
    expect((await run(['--dry-run'], { readFile: () => withoutNumber })).err).toMatch(/which number/);
    const noCredentials = await run([]);
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.err).toMatch(/TWILIO_ACCOUNT_SID/);
    expect((await run(['--bogus'])).code).toBe(2);
  });

  it('updates the number through the Twilio client, detaching TwiML apps that would override the URLs', async () => {
    const updates: [string, NumberFields][] = [];
    let credentials: unknown;
    const client: NumberClient = {
      find: (phoneNumber) => Promise.resolve([{ sid: 'PN123', phoneNumber, voiceApplicationSid: 'AP1', smsApplicationSid: null } satisfies NumberRecord]),
      update: (sid, fields) => {
        updates.push([sid, fields]);
        return Promise.resolve({ sid, phoneNumber: '+14155550100', ...fields });
      },
    };
    const { code, out } = await run([], {
      env: { TWILIO_ACCOUNT_SID: 'AC123', TWILIO_API_KEY: 'SK123', TWILIO_API_SECRET: 'secret' },
      connect: (c) => {
        credentials = c;
        return Promise.resolve(client);
      },
    });
    expect(code).toBe(0);
    expect(credentials).toEqual({ accountSid: 'AC123', username: 'SK123', password: 'secret' });
    const plan = planNumber(deployedOutputs('HotlineApiDomain'), '+14155550100');
    expect(updates).toEqual([['PN123', { ...plan.fields, voiceApplicationSid: '' }]]);
    expect(out).toContain('Detaching voice TwiML app AP1');
  });

  it('refuses when the account does not have the number', async () => {
    const { code, err } = await run([], {
      env: { TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'token' },
      connect: () => Promise.resolve({ find: () => Promise.resolve([]), update: () => Promise.reject(new Error('unreachable')) }),
    });
    expect(code).toBe(1);
    expect(err).toMatch(/no number \+14155550100/);
  });
});
