/**
 * Points the hotline's Twilio number at the deployed stack: voice and messaging webhooks, for each
 * its Fallback URL ("Primary handler fails"), and the call status callback, all HTTP POST. Reads
 * the stack outputs written by `npx cdk deploy --outputs-file hotline-outputs.json`.
 *
 *   npm run configure-number -- --dry-run                 # prints what it would set; no credentials, no network
 *   npm run configure-number -- [--number +14155550100] [--outputs hotline-outputs.json] [--stack Hotline]
 *
 * Credentials (not needed for --dry-run): TWILIO_ACCOUNT_SID and either TWILIO_API_KEY +
 * TWILIO_API_SECRET (an API key, preferred) or TWILIO_AUTH_TOKEN. The number comes from --number,
 * else the stack's TwilioNumber output (context twilioNumber), else TWILIO_PHONE_NUMBER.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROUTES } from '../lambdas/http/routes';
import { OUTPUTS, TWILIO_WEBHOOK_NAMES, TWILIO_WEBHOOKS } from '../lib/twilio-webhooks';

export const DEFAULT_OUTPUTS_FILE = 'hotline-outputs.json';
export const DEFAULT_STACK = 'Hotline';

/** IncomingPhoneNumber fields this script sets (names as in Twilio's REST API / Node client). */
export type NumberFields = Record<string, string>;

export interface NumberPlan {
  phoneNumber: string;
  fields: NumberFields;
}

/** What the script needs of a Twilio number (the parts of IncomingPhoneNumberInstance it reads). */
export interface NumberRecord {
  sid: string;
  phoneNumber: string;
  voiceApplicationSid?: string | null;
  smsApplicationSid?: string | null;
  trunkSid?: string | null;
  [field: string]: unknown;
}

export interface NumberClient {
  find(phoneNumber: string): Promise<NumberRecord[]>;
  update(sid: string, fields: NumberFields): Promise<NumberRecord>;
}

export interface Credentials {
  accountSid: string;
  username: string;
  password: string;
}

export interface CliDeps {
  log: (line: string) => void;
  error: (line: string) => void;
  readFile: (path: string) => string;
  env: NodeJS.ProcessEnv;
  /** Builds the Twilio client (tests pass a fake). */
  connect: (credentials: Credentials) => Promise<NumberClient>;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** The number's call status callback (IncomingPhoneNumber fields): Twilio posts there when a call ends. */
export const STATUS_CALLBACK_FIELDS = { url: 'statusCallback', method: 'statusCallbackMethod' } as const;

function httpsUrl(name: string, value: unknown): string {
  if (typeof value !== 'string' || !/^https:\/\/[^\s/?#]+\/\S*$/.test(value)) {
    throw new Error(`stack output ${name} is missing or not an https URL (got ${JSON.stringify(value)}); deploy with --outputs-file first`);
  }
  return value;
}

/** Every webhook with its fallback, from the stack outputs (see lib/twilio-webhooks.ts). */
export function planNumber(outputs: Record<string, unknown>, phoneNumber: string): NumberPlan {
  const number = phoneNumber.replace(/[\s-]/g, '');
  if (!E164.test(number)) throw new Error(`the Twilio number must be in E.164 form (+14155550100), got "${phoneNumber}"`);
  const fields: NumberFields = {};
  for (const name of TWILIO_WEBHOOK_NAMES) {
    const webhook = TWILIO_WEBHOOKS[name];
    fields[webhook.fields.url] = httpsUrl(webhook.output, outputs[webhook.output]);
    fields[webhook.fields.method] = 'POST';
    fields[webhook.fields.fallbackUrl] = httpsUrl(webhook.fallbackOutput, outputs[webhook.fallbackOutput]);
    fields[webhook.fields.fallbackMethod] = 'POST';
  }
  // Where each call ended, for the anonymous counts (lambdas/stats/): beside the voice webhook, same origin.
  const voiceUrl = fields[TWILIO_WEBHOOKS.voice.fields.url]!;
  if (!voiceUrl.endsWith(ROUTES.voiceIncoming.path)) throw new Error(`stack output ${TWILIO_WEBHOOKS.voice.output} does not end with ${ROUTES.voiceIncoming.path}`);
  fields[STATUS_CALLBACK_FIELDS.url] = voiceUrl.slice(0, -ROUTES.voiceIncoming.path.length) + ROUTES.voiceStatus.path;
  fields[STATUS_CALLBACK_FIELDS.method] = 'POST';
  return { phoneNumber: number, fields };
}

/** The outputs of `stack` in a `cdk deploy --outputs-file` file (`{ "<stack>": { "<output>": "…" } }`). */
export function stackOutputs(json: string, stack: string): Record<string, unknown> {
  const parsed = JSON.parse(json) as unknown;
  if (!parsed || typeof parsed !== 'object') throw new Error('the outputs file is not a JSON object');
  const byStack = parsed as Record<string, unknown>;
  const outputs = byStack[stack];
  if (!outputs || typeof outputs !== 'object') {
    throw new Error(`no outputs for stack "${stack}" in the outputs file (stacks: ${Object.keys(byStack).join(', ') || 'none'})`);
  }
  return outputs as Record<string, unknown>;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials {
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
  if (!accountSid) throw new Error('set TWILIO_ACCOUNT_SID (and TWILIO_API_KEY + TWILIO_API_SECRET, or TWILIO_AUTH_TOKEN), or use --dry-run');
  const apiKey = env.TWILIO_API_KEY?.trim();
  const apiSecret = env.TWILIO_API_SECRET?.trim();
  if (apiKey && apiSecret) return { accountSid, username: apiKey, password: apiSecret };
  const authToken = env.TWILIO_AUTH_TOKEN?.trim();
  if (authToken) return { accountSid, username: accountSid, password: authToken };
  throw new Error('set TWILIO_API_KEY + TWILIO_API_SECRET (preferred) or TWILIO_AUTH_TOKEN');
}

/** The real client: `twilio` is loaded only here, so --dry-run needs neither it nor the network. */
export async function connectTwilio(credentials: Credentials): Promise<NumberClient> {
  const { default: twilio } = await import('twilio');
  const client = twilio(credentials.username, credentials.password, { accountSid: credentials.accountSid });
  return {
    find: async (phoneNumber) => (await client.incomingPhoneNumbers.list({ phoneNumber, limit: 2 })) as unknown as NumberRecord[],
    update: async (sid, fields) => (await client.incomingPhoneNumbers(sid).update(fields)) as unknown as NumberRecord,
  };
}

function describePlan(plan: NumberPlan): string[] {
  const width = Math.max(...Object.keys(plan.fields).map((k) => k.length));
  return Object.entries(plan.fields)
    .filter(([key]) => !key.endsWith('Method'))
    .map(([key, value]) => `  ${key.padEnd(width)}  ${value}  (${plan.fields[key.endsWith('Url') ? key.replace(/Url$/, 'Method') : `${key}Method`] ?? 'POST'})`);
}

const USAGE = 'usage: npm run configure-number -- [--dry-run] [--number +14155550100] [--outputs hotline-outputs.json] [--stack Hotline]';

export async function main(argv: string[], deps: CliDeps): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        number: { type: 'string' },
        outputs: { type: 'string', default: DEFAULT_OUTPUTS_FILE },
        stack: { type: 'string', default: DEFAULT_STACK },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    deps.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    deps.log(USAGE);
    return 0;
  }
  try {
    const outputs = stackOutputs(deps.readFile(args.outputs), args.stack);
    const number = args.number ?? (typeof outputs[OUTPUTS.twilioNumber] === 'string' ? (outputs[OUTPUTS.twilioNumber] as string) : undefined) ?? deps.env.TWILIO_PHONE_NUMBER;
    if (!number) throw new Error('which number? pass --number, deploy with -c twilioNumber=…, or set TWILIO_PHONE_NUMBER');
    const plan = planNumber(outputs, number);

    if (args['dry-run']) {
      deps.log(`Would set Twilio number ${plan.phoneNumber}:`);
      for (const line of describePlan(plan)) deps.log(line);
      deps.log('Dry run: nothing was changed.');
      return 0;
    }

    const client = await deps.connect(credentialsFromEnv(deps.env));
    const found = await client.find(plan.phoneNumber);
    if (found.length !== 1) throw new Error(`the account has ${found.length === 0 ? 'no' : 'more than one'} number ${plan.phoneNumber}`);
    const current = found[0]!;
    const fields: NumberFields = { ...plan.fields };
    // A TwiML app on the number overrides its URLs; the hotline needs the URLs, so the app is detached.
    if (current.voiceApplicationSid) {
      fields.voiceApplicationSid = '';
      deps.log(`Detaching voice TwiML app ${current.voiceApplicationSid} (it would override the voice URL).`);
    }
    if (current.smsApplicationSid) {
      fields.smsApplicationSid = '';
      deps.log(`Detaching messaging TwiML app ${current.smsApplicationSid} (it would override the messaging URL).`);
    }
    if (current.trunkSid) deps.error(`Warning: the number is on SIP trunk ${current.trunkSid}; calls go to the trunk, not to the voice URL.`);
    const updated = await client.update(current.sid, fields);
    const wrong = Object.entries(plan.fields).filter(([key, value]) => key in updated && updated[key] !== value);
    if (wrong.length) throw new Error(`Twilio did not take ${wrong.map(([key]) => key).join(', ')}`);
    deps.log(`Set Twilio number ${plan.phoneNumber} (${current.sid}):`);
    for (const line of describePlan(plan)) deps.log(line);
    deps.log('If the number is in a Messaging Service, its incoming-message setting must defer to the sender (the number).');
    return 0;
  } catch (error) {
    deps.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const code = await main(process.argv.slice(2), {
    log: (line) => console.log(line),
    error: (line) => console.error(line),
    readFile: (path) => readFileSync(path, 'utf8'),
    env: process.env,
    connect: connectTwilio,
  });
  process.exitCode = code;
}
