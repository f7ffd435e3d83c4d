/**
 * Twilio's Fallback URLs ("Primary handler fails") for the number's voice and messaging webhooks.
 * Twilio calls them when the main webhook answers with an error, times out or returns bad TwiML.
 *
 * Deliberately imports nothing, reads no secret, no database and no request body: it cannot fail the
 * way the main handlers can, so a caller never hears Twilio's "application error". The TwiML is a
 * constant; test/fallback.test.ts proves it is exactly what twilio's builders produce.
 */

/** Spoken once, slowly, then the call ends (same voice and rate as the menus in lambdas/voice/twiml.ts; 110 written as spoken, see spoken-numbers.ts). */
export const FALLBACK_SPEECH =
  '您好，这里是网贷催收求助热线。抱歉，热线系统暂时出了点问题。请过几分钟再打过来。如果有人威胁您的人身安全，请马上打幺幺零报警。再见。';

/** One SMS segment (UCS-2, at most 70 characters). */
export const FALLBACK_SMS = '抱歉，热线系统暂时出了点问题，请过几分钟再发一次。如果有人威胁您的人身安全，请马上打110报警。';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The texts above hold no `&`, `<` or `>`, so they need no escaping (the test checks that too). */
export const FALLBACK_VOICE_TWIML = `${XML_DECLARATION}<Response><Say voice="Polly.Zhiyu-Neural" language="cmn-CN"><prosody rate="90%">${FALLBACK_SPEECH}</prosody></Say><Hangup/></Response>`;

export const FALLBACK_SMS_TWIML = `${XML_DECLARATION}<Response><Message>${FALLBACK_SMS}</Message></Response>`;

/** The only parts of an API Gateway (payload 2.0) event read: the path, to tell voice from SMS. */
export interface FallbackEvent {
  rawPath?: string;
}

export interface FallbackResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const HEADERS = { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' };

/** `…/fallback/sms` (any stage or base path before it) gets the SMS apology; everything else the spoken one. */
export function fallbackTwiml(rawPath: string | undefined): string {
  return /\/sms\/?$/.test(rawPath ?? '') ? FALLBACK_SMS_TWIML : FALLBACK_VOICE_TWIML;
}

export const handler = (event: FallbackEvent | undefined): Promise<FallbackResponse> =>
  Promise.resolve({ statusCode: 200, headers: { ...HEADERS }, body: fallbackTwiml(event?.rawPath) });
