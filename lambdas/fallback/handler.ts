/**
 * Twilio's Fallback URLs ("Primary handler fails") for the number's voice and messaging webhooks.
 * Twilio calls them when the main webhook answers with an error, times out or returns bad TwiML.
 *
 * Deliberately imports nothing at load, and its answer reads no secret, no database and no request
 * body: it cannot fail the way the main handlers can, so a caller never hears Twilio's "application
 * error". The TwiML is a constant; test/fallback.test.ts proves it is exactly what twilio's builders
 * produce.
 *
 * After the answer is ready it counts the visit for the alarm (`fallback-count.ts`, imported then):
 * only a request Twilio signed counts, so scanners posting to /fallback cannot page anyone. Counting
 * has a short budget and every failure is swallowed: the answer never waits long or breaks for it.
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

/** An API Gateway (payload 2.0) event: the answer reads only the path, to tell voice from SMS. */
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
  return /\/sms\/?$/.test(String(rawPath)) ? FALLBACK_SMS_TWIML : FALLBACK_VOICE_TWIML;
}

/** Counts a fallback visit (or decides not to); may be slow or fail: the handler does not depend on it. */
export type CountVisit = (event: object) => Promise<void>;

/** At most this long is spent counting before the answer goes back anyway. */
export const COUNT_BUDGET_MS = 1000;

export function createFallbackHandler(count?: CountVisit, budgetMs: number = COUNT_BUDGET_MS): (event: FallbackEvent | undefined) => Promise<FallbackResponse> {
  return async (event) => {
    const response = { statusCode: 200, headers: { ...HEADERS }, body: fallbackTwiml(event?.rawPath) };
    if (count && event) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const budget = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, budgetMs);
      });
      try {
        await Promise.race([count(event).catch(() => undefined), budget]);
      } catch {
        // A counter that throws synchronously changes nothing either.
      } finally {
        clearTimeout(timer);
      }
    }
    return response;
  };
}

// Not `once()` from shared/once.ts: this file imports nothing at load (a test checks it), so it keeps its own two lines.
let counter: Promise<(event: object) => Promise<void>> | undefined;

export const handler = createFallbackHandler(async (event) => {
  counter ??= import('./fallback-count').then((module) => module.createFallbackCounter());
  return (await counter)(event);
});
