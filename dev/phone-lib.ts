/**
 * The terminal phone's parts, free of process globals so tests need no server: the TwiML reader
 * (dev/twiml-reader.ts), Twilio's request signing, a call player and an SMS sender that take an injected
 * `fetch` and an IO object. `phone-command-line.ts` reads the command line; `bin/phone.ts` runs it.
 */
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
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

// ---------------------------------------------------------------------------------------------
// HTTP and signing

/** Resolves a TwiML URL (action, Redirect) the way Twilio does: relative to the URL it requested. */
export function resolveTwilioUrl(target: string, currentUrl: string): string {
  return new URL(target, currentUrl).href;
}

/** Headers of a request signed as Twilio signs: HMAC-SHA1 over the full URL and the sorted POST params. */
export function signTwilioRequest(url: string, params: Record<string, string>, authToken: string): Record<string, string> {
  return {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    'X-Twilio-Signature': getExpectedTwilioSignature(authToken, url, params),
  };
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  redirect?: 'manual';
}
export interface FetchResponse {
  status: number;
  statusText?: string;
  text(): Promise<string>;
}
/** The part of `fetch` the phone uses; the global `fetch` fits. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface PhoneIO {
  print(line: string): void;
  /** Reads a line from the keyboard; resolves null at end of input. Absent when stdin is not a terminal. */
  readLine?: (prompt: string) => Promise<string | null>;
}

export function randomSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export interface SentRequest {
  method: string;
  url: string;
  params: Record<string, string>;
  headers: Record<string, string>;
}

type SendResult = { ok: true; body: string } | { ok: false; outcome: 'http-error' | 'network-error'; status?: number };

/** One signed POST as Twilio would send it, recorded and printed. */
export async function send(
  fetchFn: FetchLike,
  io: PhoneIO,
  authToken: string,
  method: string,
  url: string,
  params: Record<string, string>,
  log: SentRequest[],
): Promise<SendResult> {
  let target = url;
  let signed = params;
  let body: string | undefined = new URLSearchParams(params).toString();
  if (method === 'GET') {
    // Twilio sends a GET webhook's parameters in the query string and signs the whole URL alone.
    const withQuery = new URL(url);
    for (const [key, value] of Object.entries(params)) withQuery.searchParams.append(key, value);
    target = withQuery.href;
    signed = {};
    body = undefined;
  }
  const headers = signTwilioRequest(target, signed, authToken);
  if (method === 'GET') delete headers['Content-Type'];
  log.push({ method, url: target, params, headers });
  let response: FetchResponse;
  let text: string;
  try {
    response = await fetchFn(target, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual' });
    text = await response.text();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    io.print(`✗ 无法连接 ${target}（${error instanceof Error ? error.message : String(error)}${cause}）`);
    return { ok: false, outcome: 'network-error' };
  }
  if (response.status !== 200) {
    io.print(`✗ HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} ← ${method} ${target}`);
    if (text.trim()) io.print(text.trimEnd());
    if (response.status === 403) {
      io.print('  （签名被拒：令牌须与服务器的 TWILIO_AUTH_TOKEN 相同，--url 须与服务器验签用的地址完全一致；npm start 用 http://127.0.0.1:端口，不是 localhost）');
    }
    return { ok: false, outcome: 'http-error', status: response.status };
  }
  return { ok: true, body: text };
}

function shortUrl(url: string, base: string): string {
  const parsed = new URL(url);
  return parsed.origin === new URL(base).origin ? parsed.pathname + parsed.search : url;
}

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
}

export type CallOutcome = 'hangup' | 'ended' | 'no-input' | 'limit' | 'http-error' | 'network-error' | 'bad-twiml';

export interface CallResult {
  outcome: CallOutcome;
  requests: SentRequest[];
  status?: number;
}

/** Outcomes after which the command should exit 0. */
export function isCleanOutcome(outcome: CallOutcome): boolean {
  return outcome === 'hangup' || outcome === 'ended' || outcome === 'no-input';
}

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/**
 * Plays a call against the hotline as Twilio would: POSTs the incoming call, speaks every <Say>,
 * answers each <Gather> from `options.answers` then `io.readLine`, follows actions and redirects.
 */
export async function playCall(options: CallOptions, io: PhoneIO, fetchFn: FetchLike): Promise<CallResult> {
  const requests: SentRequest[] = [];
  const answers = [...(options.answers ?? [])];
  const maxRequests = options.maxRequests ?? MAX_REQUESTS;
  const callParams: Record<string, string> = {
    AccountSid: options.accountSid ?? randomSid('AC'),
    ApiVersion: '2010-04-01',
    CallSid: options.callSid ?? randomSid('CA'),
    CallStatus: 'in-progress',
    Direction: 'inbound',
    From: options.from ?? DEFAULT_FROM,
    To: options.to ?? DEFAULT_TO,
  };
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

/** POSTs `params` as a form to `baseUrl + path`, signed as Twilio signs (tests and benchmarks). */
export function postSignedForm(baseUrl: string, path: string, params: Record<string, string>, authToken: string): Promise<Response> {
  const url = joinUrl(baseUrl, path);
  return fetch(url, { method: 'POST', headers: signTwilioRequest(url, params, authToken), body: new URLSearchParams(params) });
}
