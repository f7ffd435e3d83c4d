/**
 * The terminal phone's parts, free of process globals so tests need no server: the TwiML reader
 * (dev/twiml-reader.ts), Twilio's request signing, a call player and an SMS sender that take an injected
 * `fetch` and an IO object. `phone-command-line.ts` reads the command line; `bin/phone.ts` runs it.
 */
import { ROUTES } from '../lambdas/http/routes';

/** The local server's documented default token (`npm start` without TWILIO_AUTH_TOKEN). */
import { LOCAL_AUTH_TOKEN } from './local-defaults';

export const LOCAL_DEV_AUTH_TOKEN = LOCAL_AUTH_TOKEN;
export const DEFAULT_FROM = '+8613800138000';
export const DEFAULT_TO = '+10000000000';
/** Safety net against a redirect loop. */
export const MAX_REQUESTS = 50;
/** The webhooks a Twilio number calls, from the one route list. */
export const VOICE_PATH = ROUTES.voiceIncoming.path;
export const SMS_PATH = ROUTES.sms.path;

// TwiML: the repository's one reader (dev/twiml-reader.ts), re-exported for the phone's users.
import { parseTwiml, type GatherVerb, type TwimlVerb } from './twiml-reader';

export { parseTwiml, TwimlError, type GatherInput, type GatherVerb, type TwimlVerb } from './twiml-reader';

// HTTP and signing (dev/phone-http.ts), re-exported for the phone's users.
import { joinUrl, randomSid, resolveTwilioUrl, send, shortUrl, type FetchLike, type PhoneIO, type SentRequest } from './phone-http';

export {
  joinUrl, postSignedForm, randomSid, resolveTwilioUrl, send, signTwilioRequest,
  type FetchInit, type FetchLike, type FetchResponse, type PhoneIO, type SentRequest,
} from './phone-http';

// ---------------------------------------------------------------------------------------------
// Answers to a <Gather>

export type Answer = { kind: 'digits'; digits: string } | { kind: 'speech'; text: string } | { kind: 'silence' } | { kind: 'hangup' };

/**
 * Reads one answer as typed in --keys or at the prompt: digits ("4", "31", "*", "#"), "_" / "-" or
 * nothing for silence, "说…" / "say:…" for speech, "q" / "挂断" to hang up. Undefined when unreadable.
 */
export function parseAnswer(token: string): Answer | undefined {
  const text = token.trim();
  if (text === '' || text === '_' || text === '-') return { kind: 'silence' };
  if (/^(q|quit|hangup|挂断)$/i.test(text)) return { kind: 'hangup' };
  const speech = /^(?:说|say:)[:：\s]*(.*)$/isu.exec(text);
  if (speech) {
    const words = (speech[1] ?? '').trim();
    return words ? { kind: 'speech', text: words } : { kind: 'silence' };
  }
  if (/^[0-9*#]+$/.test(text)) return { kind: 'digits', digits: text };
  return undefined;
}

/** Splits --keys into answers; throws with the offending token when one is unreadable. */
export function parseKeys(keys: string): Answer[] {
  return keys
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => {
      const answer = parseAnswer(token);
      if (!answer) throw new UsageError(`--keys: "${token}" is not a key answer (digits 0-9 * #, "_" for silence, "说…" for speech)`);
      return answer;
    });
}

function describeGather(gather: GatherVerb): string {
  const parts: string[] = [];
  if (gather.input.includes('dtmf')) parts.push(gather.numDigits ? `按键 ${gather.numDigits} 位` : '按键');
  if (gather.input.includes('speech')) parts.push('语音');
  return `等待输入：${parts.join(' / ')}，${gather.timeout} 秒`;
}

// ---------------------------------------------------------------------------------------------
// A call

export interface CallOptions {
  /** Origin (and base path) of the hotline, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  authToken: string;
  from?: string;
  to?: string;
  /** Scripted answers, one per Gather, used before the keyboard. */
  answers?: Answer[];
  callSid?: string;
  accountSid?: string;
  maxRequests?: number;
  /** The number's status callback (a path under `baseUrl`, or a URL): posted once the call is over. */
  statusCallback?: string;
}

export type CallOutcome = 'hangup' | 'ended' | 'no-input' | 'limit' | 'http-error' | 'network-error' | 'bad-twiml';

export interface CallResult {
  outcome: CallOutcome;
  requests: SentRequest[];
  status?: number;
  /** The status callback posted after the call, when there was one. */
  statusCallback?: SentRequest;
}

/** Outcomes after which the command should exit 0. */
export function isCleanOutcome(outcome: CallOutcome): boolean {
  return outcome === 'hangup' || outcome === 'ended' || outcome === 'no-input';
}

/**
 * Plays a call against the hotline as Twilio would: POSTs the incoming call, speaks every <Say>,
 * answers each <Gather> from `options.answers` then `io.readLine`, follows actions and redirects.
 * When the call is over, posts its status callback (`options.statusCallback`), as Twilio does for a
 * number that has one, unless the hotline could not be reached at all.
 */
export async function playCall(options: CallOptions, io: PhoneIO, fetchFn: FetchLike): Promise<CallResult> {
  const callParams: Record<string, string> = {
    AccountSid: options.accountSid ?? randomSid('AC'),
    ApiVersion: '2010-04-01',
    CallSid: options.callSid ?? randomSid('CA'),
    CallStatus: 'in-progress',
    Direction: 'inbound',
    From: options.from ?? DEFAULT_FROM,
    To: options.to ?? DEFAULT_TO,
  };
  const started = Date.now();
  const result = await playTwiml(options, callParams, io, fetchFn);
  if (!options.statusCallback || result.outcome === 'network-error') return result;
  const url = /^https?:\/\//.test(options.statusCallback) ? options.statusCallback : joinUrl(options.baseUrl, options.statusCallback);
  const status = { ...callParams, CallStatus: 'completed', CallDuration: String(Math.round((Date.now() - started) / 1000)), CallbackSource: 'call-progress-events', SequenceNumber: '0' };
  io.print(`→ POST ${shortUrl(url, options.baseUrl)}  (CallStatus=completed)`);
  const sent: SentRequest[] = [];
  await send(fetchFn, io, options.authToken, 'POST', url, status, sent);
  return { ...result, ...(sent[0] ? { statusCallback: sent[0] } : {}) };
}

async function playTwiml(options: CallOptions, callParams: Record<string, string>, io: PhoneIO, fetchFn: FetchLike): Promise<CallResult> {
  const requests: SentRequest[] = [];
  const answers = [...(options.answers ?? [])];
  const maxRequests = options.maxRequests ?? MAX_REQUESTS;
  const hangUp = (line: string, outcome: CallOutcome): CallResult => {
    io.print(line);
    return { outcome, requests };
  };

  /** The next answer to a Gather: scripted first, then the keyboard; hangup when neither has one. */
  const nextAnswer = async (): Promise<Answer | 'exhausted'> => {
    const scripted = answers.shift();
    if (scripted) return scripted;
    if (!io.readLine) return 'exhausted';
    for (;;) {
      const line = await io.readLine('☎ 按键（回车=沉默，"说…"=语音，q=挂断）> ');
      if (line === null) return { kind: 'hangup' };
      const answer = parseAnswer(line);
      if (answer) return answer;
      io.print(`  看不懂 "${line.trim()}"：请输入数字、* 或 #，回车表示沉默，"说…" 表示说话`);
    }
  };

  let next: { method: string; url: string; extra: Record<string, string> } | undefined = {
    method: 'POST',
    url: joinUrl(options.baseUrl, VOICE_PATH),
    extra: {},
  };
  io.print(`📞 ${callParams.From} 来电 → ${next.url}`);

  while (next) {
    if (requests.length >= maxRequests) return hangUp(`✗ 已发出 ${maxRequests} 个请求，可能是重定向循环；停止`, 'limit');
    const current: { method: string; url: string; extra: Record<string, string> } = next;
    next = undefined;
    const extraText = Object.entries(current.extra)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    io.print(`→ ${current.method} ${shortUrl(current.url, options.baseUrl)}${extraText ? `  (${extraText})` : ''}`);
    const result = await send(fetchFn, io, options.authToken, current.method, current.url, { ...callParams, ...current.extra }, requests);
    if (!result.ok) return { outcome: result.outcome, requests, ...(result.status !== undefined ? { status: result.status } : {}) };

    let verbs: TwimlVerb[];
    try {
      verbs = parseTwiml(result.body);
    } catch (error) {
      io.print(`✗ 无法解析 TwiML（Twilio 会报 12100 并挂断）：${error instanceof Error ? error.message : String(error)}`);
      io.print(result.body.trimEnd());
      return { outcome: 'bad-twiml', requests };
    }

    const target = (url: string, method: string, extra: Record<string, string> = {}) => ({
      method,
      url: resolveTwilioUrl(url, current.url),
      extra,
    });

    const play = (verb: TwimlVerb): void => {
      if (verb.verb === 'Say') io.print(`🔊 ${verb.text}`);
      else if (verb.verb === 'Play') io.print(`🎵 ${verb.url}`);
      else if (verb.verb === 'Pause') io.print(`⏸  （停顿 ${verb.length} 秒）`);
      else io.print(`  （<${verb.verb}> 在 <Gather> 里被忽略）`);
    };

    verbs: for (const verb of verbs) {
      switch (verb.verb) {
        case 'Say':
        case 'Play':
        case 'Pause':
          play(verb);
          break;
        case 'Gather': {
          for (const child of verb.children) play(child);
          io.print(`⌨  ${describeGather(verb)}`);
          const answer = await nextAnswer();
          if (answer === 'exhausted') return hangUp('📴 没有更多按键，挂断', 'no-input');
          if (answer.kind === 'hangup') return hangUp('📴 挂断', 'hangup');
          const action = verb.action ?? current.url;
          if (answer.kind === 'digits') {
            const digits = verb.finishOnKey && answer.digits.endsWith(verb.finishOnKey) ? answer.digits.slice(0, -verb.finishOnKey.length) : answer.digits;
            if (!verb.input.includes('dtmf')) io.print(`  按键 ${answer.digits}：这里只听语音，按键无效（按沉默处理）`);
            else if (digits) {
              io.print(`☎  按键 ${digits}`);
              next = target(action, verb.method, { Digits: digits });
              break verbs;
            } else io.print(`☎  按键 ${answer.digits}（结束键，没有数字）`);
          } else if (answer.kind === 'speech') {
            if (!verb.input.includes('speech')) io.print(`  说「${answer.text}」：这里只收按键，语音无效（按沉默处理）`);
            else {
              io.print(`🗣  说：${answer.text}`);
              next = target(action, verb.method, { SpeechResult: answer.text, Confidence: '0.9' });
              break verbs;
            }
          } else io.print('…  （沉默）');
          // No input: Twilio goes on with the verbs after the Gather, or calls the action without input.
          if (verb.actionOnEmptyResult) {
            next = target(action, verb.method);
            break verbs;
          }
          break;
        }
        case 'Redirect':
          if (!verb.url) {
            io.print('✗ <Redirect> 没有 URL');
            return { outcome: 'bad-twiml', requests };
          }
          next = target(verb.url, verb.method);
          break verbs;
        case 'Hangup':
        case 'Reject':
          return hangUp(verb.verb === 'Reject' ? '📴 拒接，挂断' : '📴 挂断', 'hangup');
        case 'Message':
          io.print(`💬 （通话中发短信）${verb.text}`);
          break;
        case 'Other':
          io.print(`  （不支持 <${verb.name}>，跳过）`);
          break;
      }
    }
    if (!next) return hangUp('📴 TwiML 结束，挂断', 'ended');
  }
  return { outcome: 'ended', requests };
}

/** A command line or --keys the phone cannot read; the message says what to type instead. */
export class UsageError extends Error {
  override name = 'UsageError';
}
