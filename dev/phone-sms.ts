/**
 * The terminal phone's SMS: texts the hotline as Twilio delivers an inbound message, signed, and
 * prints each reply with the segments Twilio would bill.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { DEFAULT_FROM, DEFAULT_TO, joinUrl, randomSid, send, SMS_PATH, type FetchLike, type PhoneIO, type SentRequest } from './phone-lib';
import { parseTwiml, type TwimlVerb } from './twiml-reader';

export interface SmsOptions {
  baseUrl: string;
  authToken: string;
  body: string;
  from?: string;
  to?: string;
  messageSid?: string;
  accountSid?: string;
}

export interface SmsResult {
  outcome: 'replied' | 'no-reply' | 'http-error' | 'network-error' | 'bad-twiml';
  messages: string[];
  requests: SentRequest[];
  status?: number;
}

/** "(3 segments, UCS-2, 180 chars)" for a reply, as Twilio would bill it. */
export function describeSegments(text: string): string {
  const segmented = new SegmentedMessage(text);
  const count = segmented.segmentsCount;
  return `(${count} segment${count === 1 ? '' : 's'}, ${segmented.encodingName}, ${segmented.numberOfCharacters} chars)`;
}

/** Texts the hotline as Twilio would deliver an inbound SMS and prints each reply with its segment count. */
export async function sendSms(options: SmsOptions, io: PhoneIO, fetchFn: FetchLike): Promise<SmsResult> {
  const requests: SentRequest[] = [];
  const params: Record<string, string> = {
    MessageSid: options.messageSid ?? randomSid('SM'),
    AccountSid: options.accountSid ?? randomSid('AC'),
    From: options.from ?? DEFAULT_FROM,
    To: options.to ?? DEFAULT_TO,
    Body: options.body,
    NumMedia: '0',
  };
  const url = joinUrl(options.baseUrl, SMS_PATH);
  io.print(`📨 ${params.From} → ${url}：${options.body}`);
  const result = await send(fetchFn, io, options.authToken, 'POST', url, params, requests);
  if (!result.ok) return { outcome: result.outcome, messages: [], requests, ...(result.status !== undefined ? { status: result.status } : {}) };
  let verbs: TwimlVerb[];
  try {
    verbs = parseTwiml(result.body);
  } catch (error) {
    io.print(`✗ 无法解析 TwiML：${error instanceof Error ? error.message : String(error)}`);
    io.print(result.body.trimEnd());
    return { outcome: 'bad-twiml', messages: [], requests };
  }
  const messages: string[] = [];
  for (const verb of verbs) {
    if (verb.verb === 'Message') {
      messages.push(verb.text);
      io.print(`💬 ${verb.text}`);
      io.print(`   ${describeSegments(verb.text)}`);
    } else io.print(`  （短信回复里的 <${verb.verb === 'Other' ? verb.name : verb.verb}> 被忽略）`);
  }
  if (!messages.length) io.print('（没有回复）');
  return { outcome: messages.length ? 'replied' : 'no-reply', messages, requests };
}
