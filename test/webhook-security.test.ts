import { describe, expect, it } from 'vitest';
import { relativePath } from '../lambdas/http/routes';
import { createSmsHandler } from '../lambdas/sms/handler';
import type { LambdaHandler } from '../lambdas/http/request-shell';
import { useTestHotline } from './support/hotline';
import { BASE_URL, content, locales, parseTwiml, silentLogger, twilioEvent } from './support/twilio';

const hotline = useTestHotline();
const voice: LambdaHandler = (event) => hotline().voice(event);
const sms: LambdaHandler = (event) => hotline().sms(event);
const params = { CallSid: 'CA1', From: '+8613812345678', Digits: '1' };

describe('Twilio signature', () => {
  it('accepts a request signed for the URL Twilio called', async () => {
    const response = await voice(twilioEvent({ path: '/twilio/voice/menu', query: 'at=main', params }));
    expect(response.statusCode).toBe(200);
    parseTwiml(response.body);
  });

  it('accepts a base64-encoded body', async () => {
    const response = await sms(twilioEvent({ path: '/twilio/sms', base64: true, params: { From: '+8613812345678', Body: '通讯录被爆了 &=+%' } }));
    expect(response.statusCode).toBe(200);
    expect(parseTwiml(response.body)[0]!.text).toBe(content.topics.get('already-exposed')!.sms + content.prompts.sms.footer);
  });

  it('accepts the signature header in any case', async () => {
    const response = await voice(twilioEvent({ path: '/twilio/voice', params, headerName: 'X-Twilio-Signature' }));
    expect(response.statusCode).toBe(200);
  });

  const refused: [string, Parameters<typeof twilioEvent>[0]][] = [
    ['an unsigned request', { path: '/twilio/voice', params, token: false }],
    ['a request signed with another token', { path: '/twilio/voice', params, token: 'not-the-token' }],
    ['a request signed for another host', { path: '/twilio/voice', params, signedUrl: 'https://evil.example.com/twilio/voice' }],
    ['a request signed without its query string', { path: '/twilio/voice/menu', query: 'at=main', params, signedUrl: `${BASE_URL}/twilio/voice/menu` }],
    ['a request whose query was changed after signing', { path: '/twilio/voice/menu', query: 'at=g.report', params, signedUrl: `${BASE_URL}/twilio/voice/menu?at=main` }],
    ['a request whose body was changed after signing', { path: '/twilio/voice', params, rawBody: 'CallSid=CA1&From=%2B8613812345678&Digits=9' }],
  ];
  for (const [name, options] of refused) {
    it(`refuses ${name} with 403 and no TwiML`, async () => {
      const response = await voice(twilioEvent(options));
      expect(response.statusCode).toBe(403);
      expect(response.body).not.toContain('<Response');
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
    });
  }

  it('refuses an unsigned SMS with 403', async () => {
    const response = await sms(twilioEvent({ path: '/twilio/sms', params: { Body: '1' }, token: false }));
    expect(response.statusCode).toBe(403);
  });

  it('refuses a replayed request whose signature was made for another route', async () => {
    const response = await voice(twilioEvent({ path: '/twilio/voice/callback', params, signedUrl: `${BASE_URL}/twilio/voice` }));
    expect(response.statusCode).toBe(403);
  });
});

describe('requests that are not webhooks', () => {
  it('refuses a body over 64 KB with 413 before checking anything else', async () => {
    const response = await sms(twilioEvent({ path: '/twilio/sms', params: { Body: 'x'.repeat(70_000) } }));
    expect(response.statusCode).toBe(413);
  });

  it('answers 404 to a route it does not serve, however well signed (API Gateway never sends one)', async () => {
    expect((await voice(twilioEvent({ path: '/twilio/voice', method: 'GET', params }))).statusCode).toBe(404);
    expect((await voice(twilioEvent({ path: '/twilio/nope', params }))).statusCode).toBe(404);
    // Signed, and a real route, but another function's: the SMS, fallback and staff routes are not the voice webhook's.
    for (const path of ['/twilio/sms', '/fallback/voice', '/staff/callbacks/abc/claim']) {
      const answer = await voice(twilioEvent({ path, params }));
      expect(answer.statusCode, path).toBe(404);
    }
    expect((await sms(twilioEvent({ path: '/twilio/voice', params }))).statusCode).toBe(404);
  });

  it('answers a malformed but signed form body with valid TwiML', async () => {
    // Bad escapes, an empty pair and an empty key, signed as Twilio signs what it sends.
    const response = await sms(twilioEvent({ path: '/twilio/sms', rawBody: '%E4%ZZ&&=&Body=%zz%&From=%2B8613812345678' }));
    expect(response.statusCode).toBe(200);
    expect(parseTwiml(response.body)[0]!.text).toBe(content.prompts.sms.menu);
    // The same body unsigned is refused.
    expect((await sms(twilioEvent({ path: '/twilio/sms', rawBody: '%E4%ZZ&&=&Body=%zz%', token: false }))).statusCode).toBe(403);
  });

  it('answers with the apology when the auth token cannot be read', async () => {
    const broken = createSmsHandler({
      locales, logger: silentLogger, store: hotline().store,
      config: { publicBaseUrl: BASE_URL, authToken: () => Promise.reject(new Error('secrets manager down')) },
    });
    const response = await broken(twilioEvent({ path: '/twilio/sms', params: { Body: '1' } }));
    expect(response.statusCode).toBe(200);
    expect(parseTwiml(response.body)[0]!.text).toBe(content.prompts.sms.systemError);
  });
});

describe('relative action URLs', () => {
  it('resolve like Twilio resolves them, with or without a stage', () => {
    const cases: [string, string][] = [
      ['/twilio/voice', '/twilio/voice/menu'],
      ['/twilio/voice/menu', '/twilio/voice/menu'],
      ['/twilio/voice/menu', '/twilio/voice/callback'],
      ['/twilio/voice/callback', '/twilio/voice/menu'],
      ['/twilio/voice/menu', '/twilio/sms'],
      ['/twilio/sms', '/staff/callbacks'],
      // Up to the caller's own folder, and two folders up.
      ['/twilio/voice/menu', '/twilio/voice'],
      ['/a/b/c/d', '/a/x'],
    ];
    for (const [from, to] of cases) {
      for (const prefix of ['', '/prod', '/v1/hotline']) {
        expect(new URL(relativePath(from, to), `https://h${prefix}${from}`).pathname).toBe(`${prefix}${to}`);
      }
    }
    // As short as it can be: every action URL is in the TwiML Twilio fetches on each key press.
    expect(relativePath('/twilio/voice/menu', '/twilio/voice/callback')).toBe('callback');
    expect(relativePath('/twilio/voice', '/twilio/voice/menu')).toBe('voice/menu');
    expect(relativePath('/twilio/voice/menu', '/twilio/sms')).toBe('../sms');
    expect(relativePath('/twilio/voice/menu', '/twilio/voice')).toBe('../voice');
  });
});
