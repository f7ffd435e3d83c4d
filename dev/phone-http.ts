/**
 * The terminal phone's HTTP: requests signed as Twilio signs them, sent through an injected `fetch`,
 * recorded and printed (the call player and the SMS sender share it; `phone-lib.ts` re-exports it).
 */
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

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

export function shortUrl(url: string, base: string): string {
  const parsed = new URL(url);
  return parsed.origin === new URL(base).origin ? parsed.pathname + parsed.search : url;
}

export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/** POSTs `params` as a form to `baseUrl + path`, signed as Twilio signs (tests and benchmarks). */
export function postSignedForm(baseUrl: string, path: string, params: Record<string, string>, authToken: string): Promise<Response> {
  const url = joinUrl(baseUrl, path);
  return fetch(url, { method: 'POST', headers: signTwilioRequest(url, params, authToken), body: new URLSearchParams(params) });
}
