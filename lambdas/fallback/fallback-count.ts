/**
 * Counting a fallback visit for the alarm, loaded only after the apology is ready. A visit counts when
 * Twilio signed it (the primary webhook failed a real caller): `FallbackServed`. When the token cannot
 * be read to check (the secret or the extension is down, itself an outage), `FallbackUnverified`.
 * Unsigned posts (scanners) count nothing.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decodeEvent, parseForm } from '../http/event';
import { hasValidTwilioSignature } from '../http/twilio-signature';
import { createFailureCounter, type CountFailure } from '../shared/metrics';
import { FALLBACK_SERVICE } from '../monitoring/names';
import { extensionSecret } from '../shared/secrets';

/** The counter for one environment (the Lambda's, in production): the token reader and metrics are its own. */
export function createFallbackCounter(env: NodeJS.ProcessEnv = process.env): (event: unknown) => Promise<void> {
  const secretId = env.TWILIO_AUTH_TOKEN_SECRET;
  const publicBaseUrl = env.PUBLIC_BASE_URL;
  if (!secretId || !publicBaseUrl) return async () => {};
  const token = extensionSecret(secretId, { env, timeoutMs: 500 });
  const count: CountFailure = createFailureCounter(FALLBACK_SERVICE, env);
  return async (event) => {
    const request = decodeEvent(event as APIGatewayProxyEventV2);
    let authToken: string;
    try {
      authToken = await token();
    } catch {
      await count('FallbackUnverified');
      return;
    }
    if (hasValidTwilioSignature(authToken, publicBaseUrl, request, parseForm(request.body))) await count('FallbackServed');
  };
}
