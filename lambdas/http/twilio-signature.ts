import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import type { HttpRequest } from './event';

/**
 * The URL Twilio signed: the configured public origin (scheme + host, and the base path of a custom
 * domain if any) + the path it called (stage included) + the raw query string.
 */
export function publicUrl(publicBaseUrl: string, request: HttpRequest): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}${request.rawPath}${request.rawQuery ? `?${request.rawQuery}` : ''}`;
}

/** True when X-Twilio-Signature matches the request as Twilio would have signed it with `authToken`. */
export function hasValidTwilioSignature(authToken: string, publicBaseUrl: string, request: HttpRequest, form: Record<string, string>): boolean {
  const signature = request.headers['x-twilio-signature'];
  if (!signature || !authToken) return false;
  return validateRequest(authToken, signature, publicUrl(publicBaseUrl, request), form);
}
