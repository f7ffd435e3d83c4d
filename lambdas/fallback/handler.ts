/**
 * Twilio's Fallback URLs: when the voice or SMS webhook fails or times out, Twilio fetches these.
 * They must work when everything else does not, so they import nothing (no SDK, no secret, no
 * database, no content loader) and answer the same fixed Mandarin TwiML to anyone.
 *
 * The XML below is what the `twilio` builders produce for the same verbs (a test proves it).
 */
export const FALLBACK_VOICE_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="cmn-CN" voice="Polly.Zhiyu-Neural">抱歉，热线暂时出了点问题。请过几分钟再打来，或者发短信“回电”给这个号码，我们会安排工作人员回电。再见。</Say><Hangup/></Response>';

export const FALLBACK_SMS_TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Message>抱歉，热线暂时出了点问题，请过几分钟再发一次。</Message></Response>';

interface FallbackEvent {
  rawPath?: string;
}

interface FallbackResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Voice for any path ending in `/voice`, SMS otherwise: the two routes differ only there. */
export const handler = async (event: FallbackEvent): Promise<FallbackResult> => ({
  statusCode: 200,
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body: (event.rawPath ?? '').endsWith('/voice') ? FALLBACK_VOICE_TWIML : FALLBACK_SMS_TWIML,
});
