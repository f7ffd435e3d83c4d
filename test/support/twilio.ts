import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { bundledContent } from '../../lambdas/content/content';
import { shippedUnderstanding } from '../../lambdas/understanding/shipped';
import { shippedLocales } from '../../lambdas/locales/shipped';
import { gatewayEvent } from '../../dev/api-gateway';
import { readTwiml, type TwimlElement } from '../../dev/twiml-reader';

export const TOKEN = 'test-auth-token';
export const BASE_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com';
export const content = bundledContent();
/** The shipped classifier behind the safety check, built once for the whole test file. */
export const understand = shippedUnderstanding();
/** The same classifier as the handlers take it: a loader. */
export const understanding = () => Promise.resolve(understand);
/** The shipped locales on that content and classifier, as the handlers take them. */
export const locales = shippedLocales({ content, understanding });
export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };
export const config = { publicBaseUrl: BASE_URL, authToken: () => Promise.resolve(TOKEN) };

export interface EventOptions {
  path: string;
  params?: Record<string, string>;
  /** Raw query string without `?`. */
  query?: string;
  base64?: boolean;
  /** Sign with this token (default TOKEN), or `false` to send no signature. */
  token?: string | false;
  /** Sign for this URL instead of the one called. */
  signedUrl?: string;
  method?: string;
  headerName?: string;
  /** The body as sent; signed as Twilio would sign its form fields unless `params` says what was signed. */
  rawBody?: string;
}

/** The API Gateway event for a request Twilio signed the way it signs the public URL it calls. */
export function twilioEvent(options: EventOptions): APIGatewayProxyEventV2 {
  const params = options.params ?? (options.rawBody === undefined ? {} : Object.fromEntries(new URLSearchParams(options.rawBody)));
  const query = options.query ?? '';
  const url = `${BASE_URL}${options.path}${query ? `?${query}` : ''}`;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', host: new URL(BASE_URL).host };
  if (options.token !== false) {
    headers[options.headerName ?? 'x-twilio-signature'] = getExpectedTwilioSignature(options.token ?? TOKEN, options.signedUrl ?? url, params);
  }
  return gatewayEvent({
    method: options.method ?? 'POST',
    path: options.path,
    query,
    headers,
    body: options.rawBody ?? new URLSearchParams(params).toString(),
    base64: Boolean(options.base64),
  });
}

/** An element of a TwiML answer, as the repository's one reader returns it. */
export type Verb = TwimlElement;

/** Parses TwiML strictly (well-formed XML, one <Response> root) and returns its verbs; a malformed answer fails the test. */
export function parseTwiml(xml: string): Verb[] {
  return readTwiml(xml);
}

/** Every text a caller would hear, in order (inside and outside Gather). */
export function spoken(verbs: Verb[]): string[] {
  return verbs.flatMap((v) => (v.name === 'Say' ? [v.text] : v.name === 'Gather' ? spoken(v.children) : []));
}
