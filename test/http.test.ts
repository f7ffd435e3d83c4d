/**
 * The HTTP layer every API Lambda shares, unit by unit and without a database: event decoding, the
 * request shell (route check, body limit, log flushing), the routes, and the Twilio webhook shell.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { gatewayEvent } from '../dev/api-gateway';
import { decodeEvent, MAX_BODY_BYTES, parseForm, textResponse, twimlResponse } from '../lambdas/http/event';
import { requestShell, type RoutedRequest } from '../lambdas/http/request-shell';
import { CONSOLE_PATH, FUNCTIONS, routeKey, routeNamed, ROUTES, type FunctionName, type RouteName } from '../lambdas/http/routes';
import { hasValidTwilioSignature, publicUrl } from '../lambdas/http/twilio-signature';
import { TWILIO_REFUSALS, twilioWebhook, WEBHOOK_DEADLINE_MS, type TwilioRequest } from '../lambdas/http/twilio-webhook';
import type { FailureMetric } from '../lambdas/shared/metrics';
import { BASE_URL, config, TOKEN, twilioEvent } from './support/twilio';

/** A logger that keeps its lines, and counts how often the handler waited for them. */
function recordingLogger() {
  const lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, ...extra: Record<string, unknown>[]) => void lines.push({ level, message, extra: Object.assign({}, ...extra) });
  let flushes = 0;
  return {
    lines,
    get flushes() {
      return flushes;
    },
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), flushed: async () => void (flushes += 1) },
  };
}

const REFUSED = { badRequest: () => textResponse(400, 'bad'), notFound: () => textResponse(404, 'none'), tooLarge: () => textResponse(413, 'big') };

function shellFor(fn: FunctionName) {
  const log = recordingLogger();
  const handled: RoutedRequest[] = [];
  const handler = requestShell({
    fn,
    logger: log.logger,
    refusals: REFUSED,
    handle: async (routed) => {
      handled.push(routed);
      return textResponse(200, `handled ${routed.route}`);
    },
  });
  return { handler, handled, log };
}

/** The event API Gateway sends for `route` (its routeKey), with `overrides`. */
function eventFor(route: RouteName, overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return { ...gatewayEvent({ method: ROUTES[route].method, path: ROUTES[route].path.replace('{id}', 'abc'), body: 'a=1' }), ...overrides };
}

describe('decodeEvent', () => {
  it('lower-cases header names, drops undefined values, and decodes a base64 body as UTF-8', () => {
    const body = 'Body=通讯录';
    const request = decodeEvent({
      ...gatewayEvent({ method: 'POST', path: '/twilio/sms', query: 'a=1&b=%20x' }),
      headers: { 'X-Twilio-Signature': 'sig', Host: 'h', Missing: undefined } as unknown as Record<string, string>,
      body: Buffer.from(body, 'utf8').toString('base64'),
      isBase64Encoded: true,
    });
    expect(request).toEqual({
      method: 'POST',
      rawPath: '/twilio/sms',
      rawQuery: 'a=1&b=%20x',
      query: new URLSearchParams('a=1&b=%20x'),
      headers: { 'x-twilio-signature': 'sig', host: 'h' },
      body,
      bodyBytes: Buffer.byteLength(body, 'utf8'),
    });
    expect(request.query.get('b')).toBe(' x');
  });

  it('counts a plain body in UTF-8 bytes, not characters', () => {
    const request = decodeEvent({ ...gatewayEvent({ method: 'POST', path: '/twilio/sms' }), body: '通讯录', isBase64Encoded: false });
    expect(request.body).toBe('通讯录');
    expect(request.bodyBytes).toBe(9);
  });

  it('fills what a bare event lacks: GET, path /, no query, no headers, an empty body', () => {
    const request = decodeEvent({} as APIGatewayProxyEventV2);
    expect(request).toEqual({ method: 'GET', rawPath: '/', rawQuery: '', query: new URLSearchParams(''), headers: {}, body: '', bodyBytes: 0 });
    // A request context without its http part (a hand-made test event, another API Gateway flavour).
    expect(decodeEvent({ requestContext: {} } as APIGatewayProxyEventV2).method).toBe('GET');
  });
});

describe('parseForm and responses', () => {
  it('parses a form body, keeping the last of repeated keys and bad escapes as text', () => {
    expect(parseForm('From=%2B8613812345678&Body=a+b&Body=c%zz&Empty=')).toEqual({ From: '+8613812345678', Body: 'c%zz', Empty: '' });
    expect(parseForm('')).toEqual({});
  });

  it('answers text as UTF-8 plain text by default and TwiML as XML', () => {
    expect(textResponse(404, 'Not found')).toEqual({ statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' });
    expect(twimlResponse('<Response/>')).toEqual({ statusCode: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: '<Response/>' });
  });
});

describe('routes', () => {
  it('names a route by its routeKey and nothing else', () => {
    for (const name of Object.keys(ROUTES) as RouteName[]) expect(routeNamed(routeKey(ROUTES[name]))).toBe(name);
    expect(routeKey(ROUTES.staffClaim)).toBe('POST /staff/callbacks/{id}/claim');
    expect(routeNamed(undefined)).toBeUndefined();
    expect(routeNamed('GET /twilio/sms')).toBeUndefined();
    expect(routeNamed('$default')).toBeUndefined();
  });

  it('serves every route from a function that exists, none of them under the console', () => {
    for (const route of Object.values(ROUTES)) {
      expect(Object.keys(FUNCTIONS)).toContain(route.fn);
      expect(`${route.path}/`.startsWith(`${CONSOLE_PATH}/`), route.path).toBe(false);
    }
    expect(CONSOLE_PATH).toMatch(/^\/\w+$/);
  });
});

describe('the request shell', () => {
  it('hands a route of its own function on with its path parameters and decoded request, and waits for the log lines', async () => {
    const { handler, handled, log } = shellFor('staff');
    const event = { ...eventFor('staffClaim'), pathParameters: { id: 'abc', other: undefined } as unknown as Record<string, string> };
    const response = await handler(event);
    expect(response.body).toBe('handled staffClaim');
    expect(handled).toHaveLength(1);
    expect(handled[0]!.route).toBe('staffClaim');
    expect(handled[0]!.params).toEqual({ id: 'abc' });
    expect(handled[0]!.request.body).toBe('a=1');
    expect(handled[0]!.request.rawPath).toBe('/staff/callbacks/abc/claim');
    expect(log.flushes).toBe(1);
  });

  it('gives a route without path parameters an empty set', async () => {
    const { handler, handled } = shellFor('sms');
    await handler(eventFor('sms'));
    expect(handled[0]!.params).toEqual({});
  });

  it("refuses another function's route as not found, before decoding anything, and logs the route key", async () => {
    for (const [fn, foreign] of [['voice', 'sms'], ['sms', 'voiceIncoming'], ['staff', 'voiceMenu'], ['voice', 'staffList']] as const) {
      const { handler, handled, log } = shellFor(fn);
      const response = await handler(eventFor(foreign));
      expect(response.statusCode, `${fn} ← ${foreign}`).toBe(404);
      expect(handled).toEqual([]);
      expect(log.lines).toEqual([{ level: 'warn', message: 'request for a route this function does not serve', extra: { routeKey: routeKey(ROUTES[foreign]) } }]);
      expect(log.flushes).toBe(1);
    }
  });

  it('refuses an event with no or an unknown route key, or no event at all', async () => {
    const { handler, handled, log } = shellFor('sms');
    expect((await handler({ ...eventFor('sms'), routeKey: 'POST /twilio/nope' })).statusCode).toBe(404);
    expect((await handler({ ...eventFor('sms'), routeKey: undefined as unknown as string })).statusCode).toBe(404);
    expect((await handler(undefined as unknown as APIGatewayProxyEventV2)).statusCode).toBe(404);
    expect(handled).toEqual([]);
    expect(log.lines.map((l) => l.extra.routeKey)).toEqual(['POST /twilio/nope', 'undefined', 'undefined']);
  });

  it('answers 400 to an event it cannot decode, and logs why', async () => {
    const { handler, handled, log } = shellFor('sms');
    const headers = new Proxy({}, { ownKeys: () => { throw new Error('broken headers'); } });
    const response = await handler({ ...eventFor('sms'), headers } as unknown as APIGatewayProxyEventV2);
    expect(response.statusCode).toBe(400);
    expect(handled).toEqual([]);
    expect(log.lines).toEqual([{ level: 'warn', message: 'undecodable event', extra: { route: 'sms', error: 'Error: broken headers' } }]);
  });

  it('refuses a body over 64 KiB with 413, and takes one of exactly 64 KiB', async () => {
    const { handler, handled } = shellFor('sms');
    expect((await handler({ ...eventFor('sms'), body: 'x'.repeat(MAX_BODY_BYTES + 1) })).statusCode).toBe(413);
    expect(handled).toEqual([]);
    expect((await handler({ ...eventFor('sms'), body: 'x'.repeat(MAX_BODY_BYTES) })).statusCode).toBe(200);
    expect(handled).toHaveLength(1);
  });
});

describe('Twilio signatures', () => {
  const request = (path: string, query = '') => decodeEvent(twilioEvent({ path, query, params: { From: '+8613812345678' } }));

  it('checks the URL Twilio called: the public origin without trailing slashes, the path, the query only when there is one', () => {
    expect(publicUrl('https://h.example/base//', request('/twilio/voice/menu', 'at=main'))).toBe('https://h.example/base/twilio/voice/menu?at=main');
    expect(publicUrl('https://h.example', request('/twilio/voice'))).toBe('https://h.example/twilio/voice');
  });

  it('accepts the signature made with the token, and nothing without a signature or a token', () => {
    const signed = request('/twilio/sms');
    const form = { From: '+8613812345678' };
    expect(hasValidTwilioSignature(TOKEN, BASE_URL, signed, form)).toBe(true);
    expect(hasValidTwilioSignature('another-token', BASE_URL, signed, form)).toBe(false);
    expect(hasValidTwilioSignature('', BASE_URL, signed, form)).toBe(false);
    expect(hasValidTwilioSignature(TOKEN, BASE_URL, { ...signed, headers: {} }, form)).toBe(false);
  });
});

describe('the Twilio webhook shell', () => {
  const APOLOGY = '<Response><Say>抱歉</Say></Response>';
  const params = { From: '+8613812345678', Body: '回电', MessageSid: 'SMshell' };

  function webhook(respond: (request: TwilioRequest) => Promise<string>, options: { authToken?: () => Promise<string>; deadlineMs?: number } = {}) {
    const log = recordingLogger();
    const counted: FailureMetric[] = [];
    const handler = twilioWebhook({
      fn: 'sms',
      config: { publicBaseUrl: BASE_URL, authToken: options.authToken ?? config.authToken },
      logger: log.logger,
      respond,
      apology: () => APOLOGY,
      countFailure: (name) => void counted.push(name),
      ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
    });
    return { handler, counted, log };
  }

  it('hands the signed form, the route and a live deadline signal to respond, and answers its TwiML', async () => {
    const seen: TwilioRequest[] = [];
    const { handler, counted } = webhook(async (request) => {
      seen.push(request);
      return '<Response/>';
    });
    const response = await handler(twilioEvent({ path: '/twilio/sms', params }));
    expect(response).toEqual({ statusCode: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: '<Response/>' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.route).toBe('sms');
    expect(seen[0]!.form).toEqual(params);
    expect(seen[0]!.signal.aborted).toBe(false);
    expect(counted).toEqual([]);
  });

  it('refuses an unsigned request with 403 in plain text, and logs that it was unsigned', async () => {
    const { handler, log } = webhook(async () => '<Response/>');
    const response = await handler(twilioEvent({ path: '/twilio/sms', params, token: false }));
    expect(response).toEqual({ statusCode: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Forbidden' });
    expect(log.lines).toEqual([{ level: 'warn', message: 'rejected unsigned or badly signed webhook', extra: { route: 'sms', path: '/twilio/sms', signed: false } }]);
  });

  it('logs a badly signed request as signed', async () => {
    const { handler, log } = webhook(async () => '<Response/>');
    expect((await handler(twilioEvent({ path: '/twilio/sms', params, token: 'not-the-token' }))).statusCode).toBe(403);
    expect(log.lines[0]!.extra.signed).toBe(true);
  });

  it('answers the apology, counted as a webhook failure, when the auth token cannot be read', async () => {
    const { handler, counted, log } = webhook(async () => '<Response/>', { authToken: () => Promise.reject(new Error('no secret')) });
    const response = await handler(twilioEvent({ path: '/twilio/sms', params }));
    expect(response).toEqual({ statusCode: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: APOLOGY });
    expect(counted).toEqual(['WebhookFailure']);
    expect(log.lines).toEqual([{ level: 'error', message: 'auth token unavailable', extra: { error: 'Error: no secret' } }]);
  });

  it('answers the apology when respond fails: a store error counts as StoreFailure, anything else as WebhookFailure', async () => {
    class CallbackStoreError extends Error {
      override readonly name = 'CallbackStoreError';
    }
    const store = webhook(() => Promise.reject(new CallbackStoreError('throttled')));
    expect((await store.handler(twilioEvent({ path: '/twilio/sms', params }))).body).toBe(APOLOGY);
    expect(store.counted).toEqual(['StoreFailure']);
    expect(store.log.lines).toEqual([
      { level: 'error', message: 'webhook failed; answered with apology', extra: { route: 'sms', from: '+86 138****5678', error: { name: 'CallbackStoreError', message: 'throttled' } } },
    ]);

    const bug = webhook(() => Promise.reject(new TypeError('oops')));
    expect((await bug.handler(twilioEvent({ path: '/twilio/sms', params }))).body).toBe(APOLOGY);
    expect(bug.counted).toEqual(['WebhookFailure']);

    const thrown = webhook(() => Promise.reject('a string'));
    expect((await thrown.handler(twilioEvent({ path: '/twilio/sms', params }))).body).toBe(APOLOGY);
    expect(thrown.counted).toEqual(['WebhookFailure']);
    expect(thrown.log.lines[0]!.extra.error).toBe('a string');
  });

  it('aborts the signal it gave respond at the deadline, and counts the late answer as a store failure', async () => {
    let signal: AbortSignal | undefined;
    const { handler, counted, log } = webhook(
      (request) => {
        signal = request.signal;
        return new Promise<string>(() => {});
      },
      { deadlineMs: 10 },
    );
    expect((await handler(twilioEvent({ path: '/twilio/sms', params }))).body).toBe(APOLOGY);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ name: 'DeadlineExceeded', message: 'no answer within 10 ms' });
    expect(counted).toEqual(['StoreFailure']);
    expect(log.lines[0]!.extra.error).toEqual({ name: 'DeadlineExceeded', message: 'no answer within 10 ms' });
  });

  it('leaves the signal alone once the answer is in: the deadline timer is cleared', async () => {
    vi.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const { handler, counted } = webhook(
        async (request) => {
          signal = request.signal;
          return '<Response/>';
        },
        { deadlineMs: 10 },
      );
      expect((await handler(twilioEvent({ path: '/twilio/sms', params }))).body).toBe('<Response/>');
      vi.advanceTimersByTime(1000);
      expect(signal?.aborted).toBe(false);
      expect(counted).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a deadline below Twilio’s 15 s and the Lambda’s 10 s', () => {
    expect(WEBHOOK_DEADLINE_MS).toBe(7000);
  });

  it('refuses in plain text, as Twilio only reads the status', () => {
    expect(TWILIO_REFUSALS.badRequest()).toEqual(textResponse(400, 'Bad request'));
    expect(TWILIO_REFUSALS.notFound()).toEqual(textResponse(404, 'Not found'));
    expect(TWILIO_REFUSALS.tooLarge()).toEqual(textResponse(413, 'Payload too large'));
  });

  it("answers 404 to a signed request for another function's route, never reaching respond", async () => {
    const seen: TwilioRequest[] = [];
    const { handler } = webhook(async (request) => {
      seen.push(request);
      return '<Response/>';
    });
    for (const path of ['/twilio/voice', '/twilio/voice/menu', '/fallback/sms']) {
      const response = await handler(twilioEvent({ path, params }));
      expect(response.statusCode, path).toBe(404);
      expect(response.body).toBe('Not found');
    }
    expect(seen).toEqual([]);
  });
});
