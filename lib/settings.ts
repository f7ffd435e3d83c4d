import { Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CALLBACK_DEFAULTS } from '../lambdas/callbacks/limits';
import { parseDaysOff } from '../lambdas/callbacks/schedule';

/**
 * Everything an operator may set, read once from props or CDK context (`-c name=value`, or `context`
 * in cdk.json) and checked before anything is built, so a typo fails `cdk synth`, not a deployment.
 */
export interface HotlineSettings {
  /** Origin Twilio calls and the handlers check signatures against; undefined → custom domain or execute-api endpoint. */
  publicBaseUrl?: string;
  /** Custom domain for the HTTP API (with `apiCertificateArn`, a regional ACM certificate). */
  apiDomainName?: string;
  apiCertificateArn?: string;
  /** Custom domain for the staff console (with `consoleCertificateArn`, an ACM certificate in us-east-1). */
  consoleDomainName?: string;
  consoleCertificateArn?: string;
  /** Days a closed callback request is kept before DynamoDB's TTL removes it. */
  callbackRetentionDays: number;
  smsRepliesPerHour: number;
  callbacksPerDay: number;
  /** Unanswered calls in a row before a callback request leaves the queue as 未接通. */
  callbackMaxAttempts: number;
  /** Days nobody calls back: weekdays (`sat,sun`) and dates (`2027-02-17`), comma-separated; '' → none. */
  callbackDaysOff: string;
  /** Days Lambda, API and monitoring logs are kept (one of CloudWatch's allowed values). */
  logRetentionDays: RetentionDays;
  /** Where alarms are emailed; undefined → the SNS topic has no subscription yet. */
  alarmEmail?: string;
  /** The hotline's Twilio number (E.164), for `npm run configure-number`. */
  twilioNumber?: string;
  /** Prefix of the Cognito sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  staffDomainPrefix?: string;
  /** Alarm when the oldest open callback request has waited longer than this. */
  callbackAlarmHours: number;
  /**
   * Concurrent executions reserved for each Twilio webhook function (voice, SMS): a flood elsewhere in
   * the account cannot starve them, and they cannot starve the rest. 0 → no reservation (shared pool).
   */
  webhookReservedConcurrency: number;
  /** The same for the fallback function, so Twilio's fallback still answers when the webhooks are saturated. */
  fallbackReservedConcurrency: number;
  /** Pre-initialised environments for each webhook function (opt-in, billed by the hour; see README). 0 → none. */
  webhookProvisionedConcurrency: number;
}

export type SettingsInput = Partial<Record<keyof HotlineSettings, unknown>>;

export const DEFAULT_SETTINGS = {
  callbackRetentionDays: CALLBACK_DEFAULTS.retentionDays,
  smsRepliesPerHour: CALLBACK_DEFAULTS.smsRepliesPerHour,
  callbacksPerDay: CALLBACK_DEFAULTS.callbacksPerDay,
  callbackMaxAttempts: CALLBACK_DEFAULTS.maxAttempts,
  callbackDaysOff: '',
  logRetentionDays: RetentionDays.ONE_MONTH,
  callbackAlarmHours: 24,
  webhookReservedConcurrency: 10,
  fallbackReservedConcurrency: 5,
  webhookProvisionedConcurrency: 0,
} as const;

const RETENTION_VALUES = new Set<number>(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'));

function text(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${name} must be a string, got ${JSON.stringify(value)}`);
  return value.trim() || undefined;
}

function positiveInt(name: string, value: unknown, fallback: number, max: number, min = 1): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** Provisioned environments must fit inside the reservation (when there is one), or the deployment fails. */
function provisioned(input: SettingsInput): number {
  const value = positiveInt('webhookProvisionedConcurrency', input.webhookProvisionedConcurrency, DEFAULT_SETTINGS.webhookProvisionedConcurrency, 100, 0);
  const reserved = positiveInt('webhookReservedConcurrency', input.webhookReservedConcurrency, DEFAULT_SETTINGS.webhookReservedConcurrency, 1000, 0);
  if (value > 0 && reserved > 0 && value > reserved) throw new Error(`webhookProvisionedConcurrency (${value}) cannot exceed webhookReservedConcurrency (${reserved})`);
  return value;
}

/** Checked with the Lambdas' own parser, so a value synth accepts is one they accept. */
function daysOff(value: unknown): string {
  const list = text('callbackDaysOff', value) ?? '';
  try {
    parseDaysOff(list);
  } catch (error) {
    throw new Error(`callbackDaysOff: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return list;
}

/** The URL without trailing slashes (the handlers append the request path themselves). */
export function normalizeBaseUrl(url: string): string {
  if (Token.isUnresolved(url)) return url;
  const trimmed = url.trim().replace(/\/+$/, '');
  if (!/^https:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(trimmed)) {
    throw new Error(`publicBaseUrl must be an https URL without query or fragment, got "${url}"`);
  }
  return trimmed;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Cognito: lowercase letters, digits and hyphens, not starting or ending with a hyphen, no reserved words. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function domainPair(nameKey: string, arnKey: string, name: string | undefined, arn: string | undefined): void {
  if (Boolean(name) !== Boolean(arn)) throw new Error(`${nameKey} and ${arnKey} go together: set both or neither`);
  if (name && !HOSTNAME.test(name)) throw new Error(`${nameKey} must be a lowercase host name, got "${name}"`);
  if (arn && !CERTIFICATE_ARN.test(arn)) throw new Error(`${arnKey} must be an ACM certificate ARN, got "${arn}"`);
}

export function parseSettings(input: SettingsInput): HotlineSettings {
  const publicBaseUrl = text('publicBaseUrl', input.publicBaseUrl);
  const apiDomainName = text('apiDomainName', input.apiDomainName)?.toLowerCase();
  const apiCertificateArn = text('apiCertificateArn', input.apiCertificateArn);
  const consoleDomainName = text('consoleDomainName', input.consoleDomainName)?.toLowerCase();
  const consoleCertificateArn = text('consoleCertificateArn', input.consoleCertificateArn);
  domainPair('apiDomainName', 'apiCertificateArn', apiDomainName, apiCertificateArn);
  domainPair('consoleDomainName', 'consoleCertificateArn', consoleDomainName, consoleCertificateArn);
  // CloudFront only takes certificates from us-east-1, whatever the stack's region.
  if (consoleCertificateArn && !consoleCertificateArn.includes(':acm:us-east-1:')) {
    throw new Error(`consoleCertificateArn must be an ACM certificate in us-east-1 (CloudFront's region), got "${consoleCertificateArn}"`);
  }

  const logRetentionDays = positiveInt('logRetentionDays', input.logRetentionDays, DEFAULT_SETTINGS.logRetentionDays, 3653);
  if (!RETENTION_VALUES.has(logRetentionDays)) {
    throw new Error(`logRetentionDays must be one of ${[...RETENTION_VALUES].filter((v) => v < 9999).join(', ')}, got ${logRetentionDays}`);
  }
  const alarmEmail = text('alarmEmail', input.alarmEmail);
  if (alarmEmail && !EMAIL.test(alarmEmail)) throw new Error(`alarmEmail must be an email address, got "${alarmEmail}"`);
  const twilioNumber = text('twilioNumber', input.twilioNumber)?.replace(/[\s-]/g, '');
  if (twilioNumber && !E164.test(twilioNumber)) throw new Error(`twilioNumber must be in E.164 form (+14155550100), got "${twilioNumber}"`);
  const staffDomainPrefix = text('staffDomainPrefix', input.staffDomainPrefix);
  if (staffDomainPrefix && (!DOMAIN_PREFIX.test(staffDomainPrefix) || /aws|amazon|cognito/.test(staffDomainPrefix))) {
    throw new Error(`staffDomainPrefix must be lowercase letters, digits and hyphens without "aws", "amazon" or "cognito", got "${staffDomainPrefix}"`);
  }

  return {
    ...(publicBaseUrl ? { publicBaseUrl: normalizeBaseUrl(publicBaseUrl) } : {}),
    ...(apiDomainName ? { apiDomainName, apiCertificateArn } : {}),
    ...(consoleDomainName ? { consoleDomainName, consoleCertificateArn } : {}),
    callbackRetentionDays: positiveInt('callbackRetentionDays', input.callbackRetentionDays, DEFAULT_SETTINGS.callbackRetentionDays, 3650),
    smsRepliesPerHour: positiveInt('smsRepliesPerHour', input.smsRepliesPerHour, DEFAULT_SETTINGS.smsRepliesPerHour, 1000),
    callbacksPerDay: positiveInt('callbacksPerDay', input.callbacksPerDay, DEFAULT_SETTINGS.callbacksPerDay, 100),
    callbackMaxAttempts: positiveInt('callbackMaxAttempts', input.callbackMaxAttempts, DEFAULT_SETTINGS.callbackMaxAttempts, 20),
    callbackDaysOff: daysOff(input.callbackDaysOff),
    logRetentionDays: logRetentionDays as RetentionDays,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(twilioNumber ? { twilioNumber } : {}),
    ...(staffDomainPrefix ? { staffDomainPrefix } : {}),
    callbackAlarmHours: positiveInt('callbackAlarmHours', input.callbackAlarmHours, DEFAULT_SETTINGS.callbackAlarmHours, 24 * 14),
    webhookReservedConcurrency: positiveInt('webhookReservedConcurrency', input.webhookReservedConcurrency, DEFAULT_SETTINGS.webhookReservedConcurrency, 1000, 0),
    fallbackReservedConcurrency: positiveInt('fallbackReservedConcurrency', input.fallbackReservedConcurrency, DEFAULT_SETTINGS.fallbackReservedConcurrency, 1000, 0),
    webhookProvisionedConcurrency: provisioned(input),
  };
}

export const SETTING_NAMES = [
  'publicBaseUrl',
  'apiDomainName',
  'apiCertificateArn',
  'consoleDomainName',
  'consoleCertificateArn',
  'callbackRetentionDays',
  'smsRepliesPerHour',
  'callbacksPerDay',
  'callbackMaxAttempts',
  'callbackDaysOff',
  'logRetentionDays',
  'alarmEmail',
  'twilioNumber',
  'staffDomainPrefix',
  'callbackAlarmHours',
  'webhookReservedConcurrency',
  'fallbackReservedConcurrency',
  'webhookProvisionedConcurrency',
] as const satisfies readonly (keyof HotlineSettings)[];

/** Props win over context; context names are the setting names (`-c callbacksPerDay=5`). */
export function settingsFrom(scope: Construct, props: SettingsInput = {}): HotlineSettings {
  const input: SettingsInput = {};
  for (const name of SETTING_NAMES) input[name] = props[name] ?? scope.node.tryGetContext(name);
  return parseSettings(input);
}
