/**
 * What the operator sets on the Twilio number, derived from ROUTES: each webhook (voice, messaging),
 * the routes Twilio reaches through it (action and redirect URLs are relative to the webhook, so they
 * share its origin), its Fallback URL ("Primary handler fails"), and the stack outputs and Twilio
 * IncomingPhoneNumber fields that carry them. The stack and `npm run configure-number` both read it.
 *
 * Pure data: no CDK here, so the CLI loads it without aws-cdk-lib.
 */
import { ROUTES, type RouteName } from '../lambdas/http/routes';

export interface TwilioWebhook {
  /** The route Twilio calls first (the number's "A call comes in" / "A message comes in"). */
  route: RouteName;
  /** Every Twilio route reached during that call or conversation; Twilio's fallback covers errors on any of them. */
  reaches: readonly RouteName[];
  /** The static apology Twilio falls back to. */
  fallback: RouteName;
  /** Stack output names. */
  output: string;
  fallbackOutput: string;
  /** IncomingPhoneNumber fields (Twilio REST API). */
  fields: { url: string; method: string; fallbackUrl: string; fallbackMethod: string };
}

export const TWILIO_WEBHOOKS = {
  voice: {
    route: 'voiceIncoming',
    reaches: ['voiceIncoming', 'voiceMenu', 'voiceCallback', 'voiceStatus'],
    fallback: 'voiceFallback',
    output: 'VoiceWebhookUrl',
    fallbackOutput: 'VoiceFallbackUrl',
    fields: { url: 'voiceUrl', method: 'voiceMethod', fallbackUrl: 'voiceFallbackUrl', fallbackMethod: 'voiceFallbackMethod' },
  },
  sms: {
    route: 'sms',
    reaches: ['sms'],
    fallback: 'smsFallback',
    output: 'SmsWebhookUrl',
    fallbackOutput: 'SmsFallbackUrl',
    fields: { url: 'smsUrl', method: 'smsMethod', fallbackUrl: 'smsFallbackUrl', fallbackMethod: 'smsFallbackMethod' },
  },
} as const satisfies Record<string, TwilioWebhook>;

export type TwilioWebhookName = keyof typeof TWILIO_WEBHOOKS;

export const TWILIO_WEBHOOK_NAMES = Object.keys(TWILIO_WEBHOOKS) as TwilioWebhookName[];

/** The webhook through which Twilio reaches `route`, or undefined for a route Twilio never calls. */
export function webhookOf(route: RouteName): TwilioWebhookName | undefined {
  return TWILIO_WEBHOOK_NAMES.find((name) => (TWILIO_WEBHOOKS[name].reaches as readonly RouteName[]).includes(route));
}

/** Route paths of a webhook and its fallback (what the outputs append to a base URL). */
export function webhookPaths(name: TwilioWebhookName): { url: string; fallbackUrl: string } {
  const webhook = TWILIO_WEBHOOKS[name];
  return { url: ROUTES[webhook.route].path, fallbackUrl: ROUTES[webhook.fallback].path };
}

/** Other stack outputs the operator guide and the CLI refer to. */
export const OUTPUTS = {
  apiUrl: 'ApiUrl',
  consoleUrl: 'ConsoleUrl',
  twilioNumber: 'TwilioNumber',
  secretName: 'TwilioAuthTokenSecretName',
  userPoolId: 'StaffUserPoolId',
  userPoolClientId: 'StaffUserPoolClientId',
  signInDomain: 'StaffSignInDomain',
  alarmTopic: 'AlarmTopicArn',
  apiDomainTarget: 'ApiDomainTarget',
  consoleDomainTarget: 'ConsoleDomainTarget',
} as const;
