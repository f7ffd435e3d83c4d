import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SegmentedMessage } from 'sms-segments-calculator';
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFallbackCounter } from '../lambdas/fallback/fallback-count';
import { estimateSpeechSeconds } from '../lambdas/content/speech-time';
import {
  FALLBACK_SMS,
  FALLBACK_SMS_TWIML,
  FALLBACK_SPEECH,
  FALLBACK_VOICE_TWIML,
  createFallbackHandler,
  handler,
  type CountVisit,
} from '../lambdas/fallback/handler';
import { FUNCTIONS, ROUTES } from '../lambdas/http/routes';
import type { LambdaHandler } from '../lambdas/http/request-shell';
import { MANDARIN_VOICE as VOICE } from '../lambdas/locales/mandarin';
import { BASE_URL, parseTwiml, spoken, TOKEN, twilioEvent } from './support/twilio';

/** The event API Gateway delivers for a fallback route. */
function fallbackEvent(path: string): APIGatewayProxyEventV2 {
  return twilioEvent({ path, token: false, params: { ErrorCode: '11200', ErrorUrl: 'https://example.org/twilio/voice', From: '+8613812345678' } });
}

describe('fallback handler', () => {
  it('speaks exactly what twilio’s VoiceResponse builder produces, in the menus’ voice and rate', () => {
    const response = new VoiceResponse();
    response.say({ voice: VOICE.voice, language: VOICE.language }, '').prosody({ rate: VOICE.rate }, FALLBACK_SPEECH);
    response.hangup();
    expect(FALLBACK_VOICE_TWIML).toBe(response.toString());
  });

  it('texts exactly what twilio’s MessagingResponse builder produces', () => {
    const response = new MessagingResponse();
    response.message(FALLBACK_SMS);
    expect(FALLBACK_SMS_TWIML).toBe(response.toString());
  });

  it('needs no XML escaping, fits one SMS segment and is short to hear', () => {
    for (const text of [FALLBACK_SPEECH, FALLBACK_SMS]) expect(text).not.toMatch(/[&<>"']/);
    expect(new SegmentedMessage(FALLBACK_SMS).segmentsCount).toBe(1);
    expect(estimateSpeechSeconds(FALLBACK_SPEECH, 0.9)).toBeLessThan(20);
    expect(spoken(parseTwiml(FALLBACK_VOICE_TWIML))).toEqual([FALLBACK_SPEECH]);
    expect(parseTwiml(FALLBACK_VOICE_TWIML).map((verb) => verb.name)).toEqual(['Say', 'Hangup']);
    expect(parseTwiml(FALLBACK_SMS_TWIML).map((verb) => [verb.name, verb.text])).toEqual([['Message', FALLBACK_SMS]]);
  });

  it.each([
    [ROUTES.voiceFallback.path, FALLBACK_VOICE_TWIML],
    [ROUTES.smsFallback.path, FALLBACK_SMS_TWIML],
  ])('answers %s with 200 and its TwiML, unsigned', async (path, twiml) => {
    const result = await handler(fallbackEvent(path));
    expect(result).toEqual({ statusCode: 200, headers: { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store' }, body: twiml });
  });

  it('answers the spoken apology to anything else, even a broken event', async () => {
    expect((await handler(undefined)).body).toBe(FALLBACK_VOICE_TWIML);
    expect((await handler({})).body).toBe(FALLBACK_VOICE_TWIML);
    expect((await handler({ rawPath: '/anything' })).body).toBe(FALLBACK_VOICE_TWIML);
  });

  it('fits the LambdaHandler shape the local server and the stack use', () => {
    const asLambda: LambdaHandler = handler;
    expect(asLambda).toBe(handler);
  });

  // Checks the file as written; a mutation run (StrykerJS) rewrites it with helpers of its own.
  const source = readFileSync(new URL(`../${FUNCTIONS.fallback.entry}`, import.meta.url), 'utf8');
  it.skipIf(source.includes('stryMutAct_'))('imports nothing at load: its answer cannot fail for a module, the secret or the database', () => {
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).not.toMatch(/process\.env/);
    // One dynamic import, for counting, after the answer is built.
    expect(source.match(/\bimport\s*\(/g)).toHaveLength(1);
  });

  it('counts a visit before answering (the Lambda may freeze once it has answered), and leaves no timer behind', async () => {
    const event = fallbackEvent(ROUTES.smsFallback.path);
    const counted: object[] = [];
    const count: CountVisit = async (visit) => {
      await new Promise((resolve) => setImmediate(resolve));
      counted.push(visit);
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const answer = await createFallbackHandler(count)(event);
      expect(answer.body).toBe(FALLBACK_SMS_TWIML);
      expect(counted).toEqual([event]);
      expect(vi.getTimerCount()).toBe(0);
      // Nothing to count without an event.
      await createFallbackHandler(count)(undefined);
      expect(counted).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers the same when counting fails, hangs or throws, within its counting budget', async () => {
    const event = fallbackEvent(ROUTES.voiceFallback.path);
    for (const count of [() => Promise.reject(new Error('no metrics')), () => new Promise<void>(() => {}), () => { throw new Error('sync'); }]) {
      const answer = await createFallbackHandler(count as CountVisit, 20)(event);
      expect(answer.body).toBe(FALLBACK_VOICE_TWIML);
    }
  });

  describe('counts only what Twilio signed', () => {
    const server = createServer((req, res) => res.writeHead(200).end(JSON.stringify({ SecretString: TOKEN })));
    let env: NodeJS.ProcessEnv;
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      env = {
        TWILIO_AUTH_TOKEN_SECRET: 'twilio-token', PUBLIC_BASE_URL: BASE_URL, AWS_SESSION_TOKEN: 's', POWERTOOLS_METRICS_NAMESPACE: 'Hotline',
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((server.address() as AddressInfo).port),
      };
      process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    });
    afterAll(async () => {
      process.stdout.write = write;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const counted = () => lines.splice(0).filter((l) => l.includes('CloudWatchMetrics')).map((l) => Object.keys(JSON.parse(l) as object).filter((k) => k.startsWith('Fallback')));

    it('a signed visit is FallbackServed; an unsigned or badly signed one counts nothing', async () => {
      const signed = twilioEvent({ path: ROUTES.smsFallback.path, params: { ErrorCode: '11200', From: '+8613812345678' } });
      const count = createFallbackCounter(env);
      await count(signed);
      expect(counted()).toEqual([['FallbackServed']]);
      await count(fallbackEvent(ROUTES.smsFallback.path));
      await count(twilioEvent({ path: ROUTES.smsFallback.path, token: 'another-token', params: { ErrorCode: '11200' } }));
      expect(counted()).toEqual([]);
    });

    it('a visit it cannot check (no secret) is FallbackUnverified; without configuration nothing is counted', async () => {
      await createFallbackCounter({ ...env, PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '1' })(fallbackEvent(ROUTES.voiceFallback.path));
      expect(counted()).toEqual([['FallbackUnverified']]);
      await createFallbackCounter({})(fallbackEvent(ROUTES.voiceFallback.path));
      expect(counted()).toEqual([]);
    });
  });

  it('serves the two fallback routes, both open POST routes of the fallback function', () => {
    for (const route of [ROUTES.voiceFallback, ROUTES.smsFallback]) expect(route).toMatchObject({ method: 'POST', fn: 'fallback', auth: 'none' });
  });
});
