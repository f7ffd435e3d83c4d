import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { readTwiml } from '../dev/twiml-reader';
import { parseCommandLine } from '../dev/phone-command-line';
import { describeSegments, sendSms } from '../dev/phone-sms';
import {
  LOCAL_DEV_AUTH_TOKEN,
  parseAnswer,
  parseKeys,
  parseTwiml,
  playCall,
  resolveTwilioUrl,
  signTwilioRequest,
  TwimlError,
  UsageError,
  type FetchInit,
  type FetchLike,
  type PhoneIO,
} from '../dev/phone-lib';

const TOKEN = 'test-token';
const BASE = 'http://h/prod';
const ACCOUNT = 'AC' + 'a'.repeat(32);
const CALL = 'CA' + 'b'.repeat(32);

/** Builds TwiML with twilio's own builder, the way the voice handler does. */
function say(into: VoiceResponse | VoiceResponse.Gather, text: string): void {
  into.say({ voice: 'Polly.Zhiyu-Neural', language: 'cmn-CN' }, '').prosody({ rate: '90%' }, text);
}

function menuTwiml(words: string[], action: string, onSilence: string): string {
  const response = new VoiceResponse();
  const gather = response.gather({ input: ['dtmf', 'speech'], action, method: 'POST', numDigits: 1, timeout: 6 });
  for (const text of words) say(gather, text);
  response.redirect({ method: 'POST' }, onSilence);
  return response.toString();
}

function goodbyeTwiml(text: string): string {
  const response = new VoiceResponse();
  say(response, text);
  response.hangup();
  return response.toString();
}

interface Recorded {
  url: string;
  init: FetchInit;
  form: Record<string, string>;
}

/** A fake server: TwiML by path + query, or a status and body; records every request. */
function fakeFetch(routes: Record<string, string | { status: number; body: string }>): { fetch: FetchLike; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init, form: Object.fromEntries(new URLSearchParams(init.body ?? '')) });
    const parsed = new URL(url);
    const route = routes[parsed.pathname + parsed.search];
    if (route === undefined) return { status: 404, statusText: 'Not Found', text: async () => 'Not found' };
    if (typeof route === 'string') return { status: 200, text: async () => route };
    return { status: route.status, text: async () => route.body };
  };
  return { fetch, calls };
}

function recorder(input?: (string | null)[]): PhoneIO & { lines: string[]; prompts: string[] } {
  const lines: string[] = [];
  const prompts: string[] = [];
  const queue = input ? [...input] : undefined;
  return {
    lines,
    prompts,
    print: (line) => lines.push(line),
    ...(queue
      ? {
          readLine: async (prompt: string) => {
            prompts.push(prompt);
            return queue.length ? (queue.shift() ?? null) : null;
          },
        }
      : {}),
  };
}

function signatureIsValid(call: Recorded, token = TOKEN): boolean {
  return validateRequest(token, call.init.headers['X-Twilio-Signature'] ?? '', call.url, call.form);
}

describe('parseTwiml', () => {
  it('reads the words of a Say inside its prosody and decodes entities', () => {
    const xml = goodbyeTwiml('你好 <先生> & "女士" \'再见\'');
    expect(xml).toContain('&lt;先生&gt; &amp;');
    expect(parseTwiml(xml)).toEqual([{ verb: 'Say', text: '你好 <先生> & "女士" \'再见\'' }, { verb: 'Hangup' }]);
  });

  it('reads a Gather with its attributes, nested prompts and the Redirect after it', () => {
    const xml = menuTwiml(['欢迎', '按 1 了解 A&B'], 'voice/menu?at=main', 'voice/menu?at=main&s=1');
    const verbs = parseTwiml(xml);
    expect(verbs).toEqual([
      {
        verb: 'Gather',
        action: 'voice/menu?at=main',
        method: 'POST',
        numDigits: 1,
        input: ['dtmf', 'speech'],
        timeout: 6,
        finishOnKey: '#',
        actionOnEmptyResult: false,
        children: [
          { verb: 'Say', text: '欢迎' },
          { verb: 'Say', text: '按 1 了解 A&B' },
        ],
      },
      { verb: 'Redirect', url: 'voice/menu?at=main&s=1', method: 'POST' },
    ]);
  });

  it('decodes numeric references, quotes in attributes, CDATA and skips comments', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <!-- a hand-written document -->
      <Response>
        <Say voice='x "y"'>&#20320;&#x597D;&#x1F600; <![CDATA[<raw> & more]]></Say>
        <Pause length="2"/>
        <Message>a &amp;amp; b&#10;second line</Message>
        <Redirect method="get">/next?a=1&amp;b=&quot;2&quot;</Redirect>
        <Dial>+15550001111</Dial>
      </Response>`;
    expect(parseTwiml(xml)).toEqual([
      { verb: 'Say', text: '你好😀 <raw> & more' },
      { verb: 'Pause', length: 2 },
      { verb: 'Message', text: 'a &amp; b\nsecond line' },
      { verb: 'Redirect', url: '/next?a=1&b="2"', method: 'GET' },
      { verb: 'Other', name: 'Dial', text: '+15550001111' },
    ]);
    expect(readTwiml(xml)).toHaveLength(5);
  });

  it('reads an empty Response and a Message with a Body child', () => {
    expect(parseTwiml(new MessagingResponse().toString())).toEqual([]);
    expect(parseTwiml('<Response><Message><Body>hi</Body><Media>http://x/a.png</Media></Message></Response>')).toEqual([{ verb: 'Message', text: 'hi' }]);
  });

  it.each([
    ['<Response><Say>hi</Response>', /closing tag 'Say'/],
    ['<Response><Say>a & b</Say></Response>', /'&' is not expected/],
    ['<Response><Say>&nbsp;</Say></Response>', /not an XML entity/],
    ['<Response><Say>&#0;</Say></Response>', /invalid character reference/],
    ['<Response><Say a="1" a="2"/></Response>', /'a' is repeated/],
    ['<Response/><Response/>', /2 root elements/],
    ['<Response>', /Unclosed tag 'Response'/],
    ['hello', /'h' is not expected/],
    ['<Html/>', /not <Response>/],
  ])('rejects malformed TwiML %s', (xml, message) => {
    expect(() => parseTwiml(xml)).toThrow(TwimlError);
    expect(() => parseTwiml(xml)).toThrow(message);
  });
});

describe('resolveTwilioUrl', () => {
  it('resolves relative action URLs against the URL requested, like Twilio', () => {
    expect(resolveTwilioUrl('voice/menu?at=main', 'http://h/prod/twilio/voice')).toBe('http://h/prod/twilio/voice/menu?at=main');
    expect(resolveTwilioUrl('menu?at=g.debt', 'http://h/prod/twilio/voice/menu?at=main')).toBe('http://h/prod/twilio/voice/menu?at=g.debt');
    expect(resolveTwilioUrl('callback?topic=x', 'http://h/prod/twilio/voice/menu?at=main')).toBe('http://h/prod/twilio/voice/callback?topic=x');
    expect(resolveTwilioUrl('../x', 'http://h/prod/twilio/voice/menu')).toBe('http://h/prod/twilio/x');
    expect(resolveTwilioUrl('../../x?y=1', 'http://h/prod/twilio/voice/menu?at=main')).toBe('http://h/prod/x?y=1');
    expect(resolveTwilioUrl('/twilio/voice', 'http://h/prod/twilio/voice/menu')).toBe('http://h/twilio/voice');
    expect(resolveTwilioUrl('https://other.example/a', 'http://h/prod/twilio/voice')).toBe('https://other.example/a');
  });
});

describe('signTwilioRequest', () => {
  it('signs requests that twilio validateRequest accepts, query string included', () => {
    const url = 'http://127.0.0.1:3000/twilio/voice/menu?at=main&s=1';
    const params = { CallSid: CALL, From: '+8613800138000', Digits: '4', SpeechResult: '我要 人工' };
    const headers = signTwilioRequest(url, params, TOKEN);
    const signature = headers['X-Twilio-Signature'] ?? '';
    expect(headers['Content-Type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(validateRequest(TOKEN, signature, url, params)).toBe(true);
    expect(validateRequest('other-token', signature, url, params)).toBe(false);
    expect(validateRequest(TOKEN, signature, url.replace('s=1', 's=2'), params)).toBe(false);
    expect(validateRequest(TOKEN, signature, url, { ...params, Digits: '5' })).toBe(false);
  });
});

describe('playCall', () => {
  const voice = `${BASE}/twilio/voice`;
  const routes = {
    '/prod/twilio/voice': menuTwiml(['您好，这里是热线。', '按 4 了解催收'], 'voice/menu?at=main', 'voice/menu?at=main&s=1'),
    '/prod/twilio/voice/menu?at=main': (() => {
      const response = new VoiceResponse();
      say(response, '催收的说明');
      response.redirect({ method: 'POST' }, 'callback?topic=debt');
      return response.toString();
    })(),
    '/prod/twilio/voice/callback?topic=debt': goodbyeTwiml('我们会回电，再见'),
    '/prod/twilio/voice/menu?at=main&s=1': goodbyeTwiml('没有听到按键，再见'),
  };

  it('plays a scripted call: gather, key, redirect, hangup', async () => {
    const { fetch, calls } = fakeFetch(routes);
    const io = recorder();
    const result = await playCall(
      { baseUrl: BASE, authToken: TOKEN, from: '+8613812345678', answers: parseKeys('4'), callSid: CALL, accountSid: ACCOUNT },
      io,
      fetch,
    );
    expect(result.outcome).toBe('hangup');
    expect(calls.map((c) => c.url)).toEqual([voice, `${voice}/menu?at=main`, `${voice}/callback?topic=debt`]);
    expect(calls.map((c) => c.form.Digits)).toEqual([undefined, '4', undefined]);
    for (const call of calls) {
      expect(call.init.method).toBe('POST');
      expect(signatureIsValid(call)).toBe(true);
      expect(call.form).toMatchObject({
        CallSid: CALL,
        AccountSid: ACCOUNT,
        From: '+8613812345678',
        To: '+10000000000',
        CallStatus: 'in-progress',
        Direction: 'inbound',
        ApiVersion: '2010-04-01',
      });
    }
    expect(io.lines.filter((l) => l.startsWith('🔊'))).toEqual(['🔊 您好，这里是热线。', '🔊 按 4 了解催收', '🔊 催收的说明', '🔊 我们会回电，再见']);
    expect(io.lines).toContain('☎  按键 4');
    expect(io.lines.at(-1)).toContain('挂断');
    expect(result.requests.map((r) => r.url)).toEqual(calls.map((c) => c.url));
  });

  it('treats "_" as silence and follows the Redirect after the Gather without Digits', async () => {
    const { fetch, calls } = fakeFetch(routes);
    const io = recorder();
    const result = await playCall({ baseUrl: BASE, authToken: TOKEN, answers: parseKeys('_') }, io, fetch);
    expect(result.outcome).toBe('hangup');
    expect(calls.map((c) => c.url)).toEqual([voice, `${voice}/menu?at=main&s=1`]);
    expect(calls[1]?.form).not.toHaveProperty('Digits');
    expect(calls[1]?.form).not.toHaveProperty('SpeechResult');
    expect(calls.every((c) => signatureIsValid(c))).toBe(true);
    expect(io.lines).toContain('🔊 没有听到按键，再见');
    // One call keeps one CallSid and the default caller.
    expect(new Set(calls.map((c) => c.form.CallSid)).size).toBe(1);
    expect(calls[0]?.form.CallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(calls[0]?.form.AccountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(calls[0]?.form.From).toBe('+8613800138000');
  });

  it('answers the first Gather with speech when given --say', async () => {
    const { fetch, calls } = fakeFetch(routes);
    const command = parseCommandLine(['call', '--say', '我要人工', '--url', BASE], {});
    if (command.kind !== 'call') throw new Error('expected a call');
    const io = recorder();
    await playCall({ ...command.options, authToken: TOKEN }, io, fetch);
    expect(calls[1]?.url).toBe(`${voice}/menu?at=main`);
    expect(calls[1]?.form).toMatchObject({ SpeechResult: '我要人工', Confidence: '0.9' });
    expect(calls[1]?.form).not.toHaveProperty('Digits');
    expect(io.lines).toContain('🗣  说：我要人工');
  });

  it('hangs up when the keys run out and there is no keyboard', async () => {
    const { fetch, calls } = fakeFetch(routes);
    const io = recorder();
    const result = await playCall({ baseUrl: BASE, authToken: TOKEN }, io, fetch);
    expect(result.outcome).toBe('no-input');
    expect(calls).toHaveLength(1);
    expect(io.lines.at(-1)).toContain('挂断');
  });

  it('reads answers from the keyboard once --keys is used up', async () => {
    const { fetch, calls } = fakeFetch({
      '/prod/twilio/voice': menuTwiml(['请选择'], 'voice/menu?at=main', 'voice/menu?at=main&s=1'),
      '/prod/twilio/voice/menu?at=main&s=1': menuTwiml(['还在吗'], 'menu?at=main', 'menu?at=main&s=2'),
      '/prod/twilio/voice/menu?at=main': menuTwiml(['好的'], 'menu?at=t.debt', 'menu?at=t.debt&s=1'),
      '/prod/twilio/voice/menu?at=t.debt': goodbyeTwiml('再见'),
    });
    const io = recorder(['', 'abc', '说：我要人工', '3#', null]);
    const result = await playCall({ baseUrl: BASE, authToken: TOKEN, answers: [] }, io, fetch);
    expect(calls.map((c) => new URL(c.url).pathname + new URL(c.url).search)).toEqual([
      '/prod/twilio/voice',
      '/prod/twilio/voice/menu?at=main&s=1',
      '/prod/twilio/voice/menu?at=main',
      '/prod/twilio/voice/menu?at=t.debt',
    ]);
    expect(calls[2]?.form.SpeechResult).toBe('我要人工');
    // "#" is Twilio's default finishOnKey: it ends the input and is not part of Digits.
    expect(calls[3]?.form.Digits).toBe('3');
    expect(io.prompts).toHaveLength(4);
    expect(io.lines.some((l) => l.includes('看不懂 "abc"'))).toBe(true);
    expect(result.outcome).toBe('hangup');
  });

  it('ends the call at the end of the document without a Hangup', async () => {
    const response = new VoiceResponse();
    say(response, '只说一句');
    const { fetch } = fakeFetch({ '/prod/twilio/voice': response.toString() });
    const io = recorder();
    expect((await playCall({ baseUrl: BASE, authToken: TOKEN }, io, fetch)).outcome).toBe('ended');
    expect(io.lines.slice(-2)).toEqual(['🔊 只说一句', '📴 TwiML 结束，挂断']);
  });

  it('prints the status and body of a non-200 answer', async () => {
    const { fetch } = fakeFetch({ '/prod/twilio/voice': { status: 403, body: 'Forbidden' } });
    const io = recorder();
    const result = await playCall({ baseUrl: BASE, authToken: TOKEN }, io, fetch);
    expect(result).toMatchObject({ outcome: 'http-error', status: 403 });
    expect(io.lines.some((l) => l.includes('HTTP 403'))).toBe(true);
    expect(io.lines).toContain('Forbidden');
  });

  it('reports a document Twilio could not parse', async () => {
    const { fetch } = fakeFetch({ '/prod/twilio/voice': '<Response><Say>oops</Response>' });
    const io = recorder();
    expect((await playCall({ baseUrl: BASE, authToken: TOKEN }, io, fetch)).outcome).toBe('bad-twiml');
  });

  it('stops a redirect loop after 50 requests', async () => {
    const response = new VoiceResponse();
    response.redirect({ method: 'POST' }, 'voice');
    const { fetch, calls } = fakeFetch({ '/prod/twilio/voice': response.toString() });
    const io = recorder();
    expect((await playCall({ baseUrl: BASE, authToken: TOKEN }, io, fetch)).outcome).toBe('limit');
    expect(calls).toHaveLength(50);
  });

  it('sends a GET Redirect with its parameters in the signed query string', async () => {
    const { fetch, calls } = fakeFetch({
      '/prod/twilio/voice': '<Response><Redirect method="GET">next?a=1</Redirect></Response>',
    });
    await playCall({ baseUrl: BASE, authToken: TOKEN, callSid: CALL, accountSid: ACCOUNT }, recorder(), fetch);
    const get = calls[1];
    expect(get?.init.method).toBe('GET');
    expect(get?.init.body).toBeUndefined();
    const url = new URL(get?.url ?? '');
    expect(url.pathname).toBe('/prod/twilio/next');
    expect(url.searchParams.get('a')).toBe('1');
    expect(url.searchParams.get('CallSid')).toBe(CALL);
    expect(validateRequest(TOKEN, get?.init.headers['X-Twilio-Signature'] ?? '', get?.url ?? '', {})).toBe(true);
  });
});

describe('sendSms', () => {
  it('prints each reply with its segments and encoding', async () => {
    const reply = new MessagingResponse();
    reply.message('您好'.repeat(40));
    reply.message('Reply STOP to opt out');
    const { fetch, calls } = fakeFetch({ '/prod/twilio/sms': reply.toString() });
    const io = recorder();
    const result = await sendSms({ baseUrl: BASE, authToken: TOKEN, body: '被催收 怎么办', from: '+8613812345678' }, io, fetch);
    expect(result.outcome).toBe('replied');
    expect(result.messages).toEqual(['您好'.repeat(40), 'Reply STOP to opt out']);
    expect(io.lines).toContain('   (2 segments, UCS-2, 80 chars)');
    expect(io.lines).toContain('   (1 segment, GSM-7, 21 chars)');
    const sent = calls[0];
    expect(sent?.url).toBe(`${BASE}/twilio/sms`);
    expect(sent?.form).toMatchObject({ Body: '被催收 怎么办', From: '+8613812345678', To: '+10000000000', NumMedia: '0' });
    expect(sent?.form.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent?.form.AccountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(sent && signatureIsValid(sent)).toBe(true);
  });

  it('says so when there is no reply', async () => {
    const { fetch } = fakeFetch({ '/prod/twilio/sms': new MessagingResponse().toString() });
    const io = recorder();
    expect((await sendSms({ baseUrl: BASE, authToken: TOKEN, body: 'STOP' }, io, fetch)).outcome).toBe('no-reply');
    expect(io.lines.at(-1)).toBe('（没有回复）');
  });

  it('describes segments as Twilio counts them', () => {
    expect(describeSegments('中'.repeat(180))).toBe('(3 segments, UCS-2, 180 chars)');
  });
});

describe('command line', () => {
  it('reads answers: digits, silence, speech, hang up', () => {
    expect(parseKeys('4 31 _ - 说我要人工 say:hello *')).toEqual([
      { kind: 'digits', digits: '4' },
      { kind: 'digits', digits: '31' },
      { kind: 'silence' },
      { kind: 'silence' },
      { kind: 'speech', text: '我要人工' },
      { kind: 'speech', text: 'hello' },
      { kind: 'digits', digits: '*' },
    ]);
    expect(parseAnswer('')).toEqual({ kind: 'silence' });
    expect(parseAnswer('说 我要人工 ')).toEqual({ kind: 'speech', text: '我要人工' });
    expect(parseAnswer('q')).toEqual({ kind: 'hangup' });
    expect(parseAnswer('abc')).toBeUndefined();
    expect(() => parseKeys('4 x')).toThrow(UsageError);
  });

  it('uses the documented defaults and the environment', () => {
    const call = parseCommandLine(['call'], {});
    expect(call).toEqual({ kind: 'call', options: { baseUrl: 'http://127.0.0.1:3000', authToken: LOCAL_DEV_AUTH_TOKEN, from: '+8613800138000', answers: [], statusCallback: '/twilio/voice/status' } });
    const env = { PORT: '4000', TWILIO_AUTH_TOKEN: 'mine' };
    expect(parseCommandLine(['call', '--keys', '4 2 0', '--from', '+8613812345678'], env)).toMatchObject({
      kind: 'call',
      options: { baseUrl: 'http://127.0.0.1:4000', authToken: 'mine', from: '+8613812345678', answers: parseKeys('4 2 0') },
    });
    expect(parseCommandLine(['sms', '你好'], { HOTLINE_URL: 'https://x.example/prod/' })).toMatchObject({
      kind: 'sms',
      options: { baseUrl: 'https://x.example/prod', body: '你好' },
    });
    expect(parseCommandLine(['call', '--say', '我要人工', '--keys', '1'], {})).toMatchObject({
      options: { answers: [{ kind: 'speech', text: '我要人工' }, { kind: 'digits', digits: '1' }] },
    });
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' });
  });

  it.each([[[]], [['dial']], [['call', '--bogus']], [['call', '--from', '13800138000']], [['sms']], [['sms', 'a', 'b']], [['call', '--url', 'ftp://x']], [['sms', 'hi', '--keys', '1']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseCommandLine(argv, {})).toThrow(UsageError);
    },
  );
});

describe('bin/phone.ts', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'bin/phone.ts', ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('exits 2 with the usage on bad arguments', async () => {
    const result = await run(['call', '--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm run phone -- call');
  });

  it('plays a call over real HTTP, signed with TWILIO_AUTH_TOKEN, and exits 0', async () => {
    const seen: { url: string; valid: boolean; digits?: string }[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const url = `http://127.0.0.1:${(server?.address() as AddressInfo).port}${req.url}`;
        const form = Object.fromEntries(new URLSearchParams(body));
        seen.push({ url, valid: validateRequest('cli-token', String(req.headers['x-twilio-signature']), url, form), digits: form.Digits });
        const twiml = req.url === '/twilio/voice' ? menuTwiml(['欢迎 & 您好'], 'voice/menu?at=main', 'voice/menu?at=main&s=1') : goodbyeTwiml('再见');
        res.writeHead(200, { 'content-type': 'text/xml' }).end(twiml);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const result = await run(['call', '--keys', '7'], { HOTLINE_URL: `http://127.0.0.1:${port}`, TWILIO_AUTH_TOKEN: 'cli-token' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('🔊 欢迎 & 您好');
    expect(result.stdout).toContain('🔊 再见');
    expect(seen.map((s) => [new URL(s.url).pathname + new URL(s.url).search, s.valid, s.digits])).toEqual([
      ['/twilio/voice', true, undefined],
      ['/twilio/voice/menu?at=main', true, '7'],
      // Once the call is over, the number's status callback, signed like every webhook (as Twilio posts it).
      ['/twilio/voice/status', true, undefined],
    ]);
  });

  it('exits 1 when the hotline is not running', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await run(['sms', '你好', '--url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('npm start');
  });
});
