import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../dev/local-server';
import { parseKeys, playCall, postSignedForm } from '../dev/phone-lib';
import { readCode, readDigits, spokenNumber } from '../lambdas/voice/callback-flow';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { createFailureCounter } from '../lambdas/shared/metrics';
import { createSmsHandler } from '../lambdas/sms/handler';
import { startDynalite } from './support/dynalite';
import { BASE_URL, content, locales, parseTwiml, silentLogger, spoken, TOKEN, twilioEvent } from './support/twilio';
import { fill } from '../lambdas/content/content';
import { CallbackStoreError, type CallbackStore } from '../lambdas/callbacks/store';

const texts = content.prompts.callback;
let hotline: LocalHotline;
const MORNING_THURSDAY = Date.parse('2026-12-03T02:00:00Z');
const clock = { ms: MORNING_THURSDAY };
/** What callers hear for each window on the test's day. */
const TONIGHT = `今天${texts.windows[2]!.label}`;
const THIS_AFTERNOON = `今天${texts.windows[1]!.label}`;
const THIS_MORNING = '今天中午十二点以前';

// Every log line these scenarios write, to prove no full phone number reaches the logs.
const logLines: string[] = [];
const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  const capture = (chunk: string | Uint8Array) => {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  // Thursday 3 December 2026, 10:00 Beijing time: "晚上" is this evening, and the clock moves only when a test moves it.
  hotline = await startLocalHotline({ port: 0, authToken: 'flow-token', settings: { callbacksPerDay: 3, smsRepliesPerHour: 5 }, now: () => new Date(clock.ms) });
});
afterAll(async () => {
  await hotline?.close();
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
});

async function post(path: string, params: Record<string, string>) {
  const response = await postSignedForm(hotline.url, path, params, hotline.authToken);
  expect(response.status).toBe(200);
  return parseTwiml(await response.text());
}

async function sms(from: string, body: string, sid = `SM${Math.random().toString(16).slice(2)}`): Promise<string | null> {
  const verbs = await post('/twilio/sms', { MessageSid: sid, From: from, Body: body });
  return verbs[0]?.text ?? null;
}

async function openRequestFor(phone: string) {
  const page = await hotline.store.listByStatus('open', { limit: 100 });
  return page.items.filter((r) => r.phone === phone);
}

describe('voice callback', () => {
  it('chooses a window, reads the number back, takes another after a wrong one, and says the code twice', async () => {
    const lines: string[] = [];
    const result = await playCall(
      { baseUrl: hotline.url, authToken: hotline.authToken, from: '+8613812345678', answers: parseKeys('5 9 3 2 12345 13912345678 1') },
      { print: (line) => lines.push(line) },
      fetch,
    );
    expect(result.outcome).not.toBe('http-error');
    const transcript = lines.join('\n');
    expect(transcript).toContain(`${texts.windows[2]!.label}，请按3`);
    expect(transcript).toContain(readDigits('13812345678'));
    expect(transcript).toContain(texts.voiceBadNumber);
    expect(transcript).toContain(readDigits('13912345678'));
    const [request] = await openRequestFor('+8613912345678');
    expect(request).toMatchObject({ window: TONIGHT, topic: 'negotiate', channel: 'voice', status: 'open' });
    const code = readCode(request!.code);
    expect(transcript.split(code).length - 1).toBeGreaterThanOrEqual(2);
    expect(transcript).toContain('不会向您要钱');
    expect(await openRequestFor('+8613812345678')).toEqual([]);
  });

  it('asks a caller with a withheld number to key one in', async () => {
    const verbs = await post('/twilio/voice/callback?step=window', { CallSid: 'CAwithheld', From: 'anonymous', Digits: '1' });
    const said = spoken(verbs).join('');
    expect(said).toContain(texts.voiceNoCallerId);
    expect(said).toContain(texts.voiceEnterNumber);
    expect(verbs.find((v) => v.name === 'Gather')!.attrs.finishOnKey).toBe('#');
  });

  it('tells a landline caller the number cannot take a callback, rather than that it was withheld', async () => {
    const said = spoken(await post('/twilio/voice/callback?step=window', { CallSid: 'CAlandline', From: '+861062345678', Digits: '1' })).join('');
    expect(said).toContain(texts.voiceNotMobile);
    expect(said).not.toContain(texts.voiceNoCallerId);
    expect(said).toContain(texts.voiceEnterNumber);
  });

  it('gives the same code to a replayed confirmation and stores one request', async () => {
    const params = { CallSid: 'CAreplay', From: '+8613700000001', Digits: '1' };
    const first = spoken(await post('/twilio/voice/callback?step=confirm&w=1', params)).join('');
    const second = spoken(await post('/twilio/voice/callback?step=confirm&w=1', params)).join('');
    expect(second).toBe(first);
    expect(await openRequestFor('+8613700000001')).toHaveLength(1);
  });
});

describe('voice callback silence', () => {
  it('asks again twice, then says goodbye and hangs up', async () => {
    const first = await post('/twilio/voice/callback?step=window&s=1&silent=1', { CallSid: 'CAquiet' });
    expect(spoken(first)[0]).toBe(content.prompts.voice.silence);
    expect(first.at(-1)).toMatchObject({ name: 'Redirect', text: 'callback?step=window&s=2&silent=1' });
    const third = await post('/twilio/voice/callback?step=window&s=3&silent=1', { CallSid: 'CAquiet' });
    expect(spoken(third)).toEqual([content.prompts.voice.goodbye]);
    expect(third.at(-1)!.name).toBe('Hangup');
  });
});

describe('voice callback, following the real redirects', () => {
  it('repeats the question being asked when the caller is silent, not the previous one', async () => {
    const afterWindow = await post('/twilio/voice/callback?step=window', { CallSid: 'CAsilent', From: '+8613500000001', Digits: '1' });
    const redirect = afterWindow.find((v) => v.name === 'Redirect')!.text;
    const silentOnce = await post(`/twilio/voice/${redirect}`, { CallSid: 'CAsilent', From: '+8613500000001' });
    const said = spoken(silentOnce).join('');
    expect(said.startsWith(content.prompts.voice.silence)).toBe(true);
    expect(said).toContain(readDigits('13500000001'));
    expect(said).not.toContain(texts.voiceChooseWindow);
  });

  it('says goodbye when the caller is silent after hearing the code', async () => {
    const booked = await post('/twilio/voice/callback?step=confirm&w=2', { CallSid: 'CAbye', From: '+8613500000005', Digits: '1' });
    const redirect = booked.find((v) => v.name === 'Redirect')!.text;
    const after = await post(`/twilio/voice/${redirect}`, { CallSid: 'CAbye', From: '+8613500000005' });
    expect(spoken(after)).toEqual([content.prompts.voice.goodbye]);
    expect(after.at(-1)!.name).toBe('Hangup');
  });

  it('promises the window that is stored when one call books twice', async () => {
    const from = '+8613500000002';
    await post('/twilio/voice/callback?step=confirm&w=1', { CallSid: 'CAtwice', From: from, Digits: '1' });
    const second = spoken(await post('/twilio/voice/callback?step=confirm&w=3', { CallSid: 'CAtwice', From: from, Digits: '1' })).join('');
    const [request] = await openRequestFor(from);
    expect(second).toContain(request!.window);
    expect(second).not.toContain(TONIGHT);
  });
});

describe('SMS callback', () => {
  for (const body of ['不用回电了，谢谢', '取消回电', '我不要人工']) {
    it(`does not book a callback for ${JSON.stringify(body)}`, async () => {
      const phone = `+86135000001${String(body.length).padStart(2, '0')}`;
      const reply = await sms(phone, body);
      expect(reply).not.toContain('已登记');
      expect(await openRequestFor(phone)).toEqual([]);
    });
  }

  it('keeps the chosen window and does not repeat the code when 回电 comes again', async () => {
    const phone = '+8613500000004';
    await sms(phone, '回电 晚上');
    const again = await sms(phone, '回电');
    expect(again).toBe(texts.smsAlreadyWaiting);
    expect((await openRequestFor(phone))[0]!.window).toBe(TONIGHT);
  });

  it('lets a window word complete a request made without one, once; alone it creates nothing', async () => {
    const phone = '+8613500000003';
    expect(await sms(phone, '晚上')).toBe(texts.smsNoRequest);
    expect(await openRequestFor(phone)).toEqual([]);
    await sms(phone, '回电');
    expect(await sms(phone, '下午')).toContain(THIS_AFTERNOON);
    // Set once: a later word (from the texter, or from someone spoofing the number) changes nothing.
    expect(await sms(phone, '上午')).toBe(texts.smsWindowFixed);
    expect((await openRequestFor(phone))[0]!.window).toBe(THIS_AFTERNOON);
  });

  it('registers in one message with the window and the code', async () => {
    const reply = await sms('+8613600000001', '回电 晚上');
    const [request] = await openRequestFor('+8613600000001');
    expect(request).toMatchObject({ window: TONIGHT, channel: 'sms' });
    expect(reply).toContain(`编号${request!.code}`);
    expect(reply).toContain('不会向您要钱');
  });

  it('registers in two messages: 回电, then the window', async () => {
    const first = await sms('+8613600000002', '回电');
    expect(first).toContain(texts.smsAskWindow);
    const second = await sms('+8613600000002', '下午');
    const requests = await openRequestFor('+8613600000002');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.window).toBe(THIS_AFTERNOON);
    expect(second).toContain(requests[0]!.code);
  });

  it('stores one request for 20 concurrent deliveries of one webhook', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => sms('+8613600000003', 'CALL', 'SMconcurrent')));
    const requests = await openRequestFor('+8613600000003');
    expect(requests).toHaveLength(1);
    expect(new Set(replies).size).toBe(1);
  });

  it('counts a repeat on the waiting request instead of duplicating it, without changing its window', async () => {
    await sms('+8613600000004', '回电 上午');
    await sms('+8613600000004', '回电 晚上');
    const requests = await openRequestFor('+8613600000004');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ window: THIS_MORNING, repeats: 1 });
  });
});

describe('the reference code cannot be taken by someone who knows the number', () => {
  // Collectors know their victims' numbers and can withhold or spoof caller ID (issue 13's repro).
  const victim = '+8613799990001';

  it('never says the code or changes the window to a caller who keys in the victim\'s number', async () => {
    const booked = await sms(victim, '回电 晚上');
    const [request] = await openRequestFor(victim);
    expect(booked).toContain(request!.code);
    // Withheld ID → key in the victim's number → confirm.
    const entered = await post('/twilio/voice/callback?step=entered&w=1', { CallSid: 'CAattack1', From: 'anonymous', Digits: '13799990001' });
    const confirmAction = entered.find((v) => v.name === 'Gather')!.attrs.action!;
    const heard = spoken(await post(`/twilio/voice/${confirmAction}`, { CallSid: 'CAattack1', From: 'anonymous', Digits: '1' })).join('');
    expect(heard).toContain(texts.voiceAlreadyWaiting);
    expect(heard).not.toContain(readCode(request!.code));
    expect(heard).not.toMatch(/编号是/);
    const [after] = await openRequestFor(victim);
    expect(after).toMatchObject({ code: request!.code, window: TONIGHT });
  });

  it('never says the code to a caller who spoofs the victim\'s caller ID, nor when the limit is reached', async () => {
    const [request] = await openRequestFor(victim);
    for (let i = 0; i < 4; i++) {
      const heard = spoken(await post('/twilio/voice/callback?step=confirm&w=1', { CallSid: `CAspoof${i}`, From: victim, Digits: '1' })).join('');
      expect(heard).not.toContain(readCode(request!.code));
    }
    expect((await openRequestFor(victim))[0]!.window).toBe(TONIGHT);
  });

  it('never texts the code or changes the window on a repeat; "编号" texts it to the number itself', async () => {
    const [request] = await openRequestFor(victim);
    const repeat = await sms(victim, '回电 上午', 'SMattack1');
    expect(repeat).not.toContain(request!.code);
    expect(await sms(victim, '上午', 'SMattack2')).not.toContain(request!.code);
    expect((await openRequestFor(victim))[0]!.window).toBe(TONIGHT);
    // Twilio delivers the reply to the number on the request, whoever sent the text.
    expect(await sms(victim, '编号', 'SMcode1')).toBe(fill(texts.smsCode, { code: request!.code, window: TONIGHT }));
    expect(await sms('+8613799990002', '编号', 'SMcode2')).toBe(texts.smsNoRequest);
  });

  it('still says the code again in the call that made the request (* at the end)', async () => {
    const from = '+8613799990003';
    const booked = await post('/twilio/voice/callback?step=confirm&w=2', { CallSid: 'CAown', From: from, Digits: '1' });
    const [request] = await openRequestFor(from);
    expect(spoken(booked).join('')).toContain(readCode(request!.code));
    const action = booked.find((v) => v.name === 'Gather')!.attrs.action!;
    const again = spoken(await post(`/twilio/voice/${action}`, { CallSid: 'CAown', From: from, Digits: '*' })).join('');
    expect(again).toContain(readCode(request!.code));
  });
});

describe('texts without a sender', () => {
  it('still get their answer, and a clear word for a callback that cannot be registered', async () => {
    expect((await post('/twilio/sms', { MessageSid: 'SMnofrom1', Body: '5' }))[0]!.text).toBe(content.topics.get('negotiate')!.sms + content.prompts.sms.footer);
    expect((await post('/twilio/sms', { MessageSid: 'SMnofrom2', Body: '回电' }))[0]!.text).toBe(texts.smsBadNumber);
    expect((await post('/twilio/sms', { MessageSid: 'SMnofrom3', From: 'anonymous', Body: '回电' }))[0]!.text).toBe(texts.smsBadNumber);
  });
});

describe('numbers read back', () => {
  it('reads a mainland mobile in its national 3-4-4 groups and a foreign number with 加 first', () => {
    expect(spokenNumber('+8613812345678')).toBe('幺三八，幺二三四，五六七八');
    expect(spokenNumber('+14155550123')).toBe(`加，${readDigits('14155550123')}`);
  });
});

describe('keys inside the callback flow', () => {
  it('asks the window again on 9 (already asking for a callback), without calling it a wrong key', async () => {
    const said = spoken(await post('/twilio/voice/callback?step=window', { CallSid: 'CAnine', From: '+8613600000031', Digits: '9' })).join('');
    expect(said).toContain(texts.voiceChooseWindow);
    expect(said).not.toContain(content.prompts.voice.unknownKey);
  });

  it('starts the number again on *, without counting a wrong try', async () => {
    const twiml = await post('/twilio/voice/callback?step=entered&w=1&t=2', { CallSid: 'CAstar', From: 'anonymous', Digits: '1381*' });
    const said = spoken(twiml).join('');
    expect(said).toContain(texts.voiceEnterNumber);
    expect(said).not.toContain(texts.voiceBadNumber);
    expect(said).not.toContain(texts.voiceTooManyTries);
  });
});

describe('opt-out and limits', () => {
  it('confirms an opt-out once, then stays silent until 订阅', async () => {
    const phone = '+8613600000005';
    expect(await sms(phone, 'STOP')).toBe(content.prompts.sms.optOut);
    expect(await sms(phone, '1')).toBeNull();
    expect(await sms(phone, '退订')).toBeNull();
    expect(await sms(phone, '订阅')).toBe(content.prompts.sms.optIn + content.prompts.sms.menu);
    expect(await sms(phone, '0')).toBe(content.prompts.sms.menu);
  });

  it('keeps an opt-out when Twilio retries an older 订阅 after it', async () => {
    const phone = '+8613600000025';
    expect(await sms(phone, 'STOP', 'SMoptA')).toBe(content.prompts.sms.optOut);
    expect(await sms(phone, '订阅', 'SMoptB')).toBe(content.prompts.sms.optIn + content.prompts.sms.menu);
    expect(await sms(phone, '退订', 'SMoptC')).toBe(content.prompts.sms.optOut);
    await sms(phone, '订阅', 'SMoptB');
    expect(await hotline.store.isOptedOut(phone)).toBe(true);
    expect(await sms(phone, '1')).toBeNull();
  });

  it('goes silent after the hourly SMS reply limit', async () => {
    const phone = '+8613600000006';
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push(await sms(phone, '0'));
    expect(replies.filter(Boolean)).toHaveLength(5);
    expect(replies.slice(5)).toEqual([null, null]);
  });

  it('records a 回电 sent past the hourly reply limit, without a reply', async () => {
    const phone = '+8613600000066';
    for (let i = 0; i < 5; i++) expect(await sms(phone, '0', `SMflood${i}`)).toBeTruthy();
    expect(await sms(phone, '回电 晚上', 'SMflood9')).toBeNull();
    expect(await openRequestFor(phone)).toMatchObject([{ window: TONIGHT, channel: 'sms' }]);
  });

  it('tells a caller already at the daily limit at the start, before choosing a time', async () => {
    const from = '+8613600000067';
    for (let i = 0; i < 3; i++) await post('/twilio/voice/callback?step=confirm&w=1', { CallSid: `CAearly${i}`, From: from, Digits: '1' });
    const start = await post('/twilio/voice/callback', { CallSid: 'CAearly9', From: from });
    const said = spoken(start).join('');
    expect(said).toContain(texts.voiceLimitPending);
    expect(said).not.toContain(texts.voiceChooseWindow);
    // Someone else, or the same caller with a withheld ID, still walks the flow.
    expect(spoken(await post('/twilio/voice/callback', { CallSid: 'CAearly10', From: '+8613600000068' })).join('')).toContain(texts.voiceChooseWindow);
  });

  it('tells a caller over the daily limit that the waiting request stands, without its code', async () => {
    const from = '+8613600000007';
    for (let i = 0; i < 3; i++) await post('/twilio/voice/callback?step=confirm&w=1', { CallSid: `CAlimit${i}`, From: from, Digits: '1' });
    const said = spoken(await post('/twilio/voice/callback?step=confirm&w=3', { CallSid: 'CAlimit9', From: from, Digits: '1' })).join('');
    const pending = (await hotline.store.findPending(from))!;
    expect(said).toContain(texts.voiceLimitPending);
    expect(said).not.toContain(readCode(pending.code));
    // Once staff close it, the limit still holds today, but there is no code to repeat.
    await hotline.store.claim(pending.id, 'alice');
    await hotline.store.recordOutcome(pending.id, 'alice', 'reached');
    const after = spoken(await post('/twilio/voice/callback?step=confirm&w=1', { CallSid: 'CAlimit10', From: from, Digits: '1' })).join('');
    expect(after).toContain(texts.voiceLimit);
  });

  it('tells a texter over the daily limit the request stands (without its code), and stays silent when nothing is waiting', async () => {
    const phone = '+8613600000017';
    for (let i = 0; i < 3; i++) expect(await sms(phone, '回电 晚上')).toBeTruthy();
    const pending = (await hotline.store.findPending(phone))!;
    expect(await sms(phone, '回电 上午')).toBe(texts.smsLimitPending);
    await hotline.store.claim(pending.id, 'alice');
    await hotline.store.recordOutcome(pending.id, 'alice', 'declined');
    expect(await sms(phone, '回电')).toBeNull();
  });
});

describe('when the database is down', () => {
  it('answers callers and texters in plain Chinese, never with a 500', async () => {
    const down = await startLocalHotline({ port: 0, authToken: 'flow-token' });
    await down.stopDatabase();
    const original = hotline;
    hotline = down;
    try {
      const said = spoken(await post('/twilio/voice/callback?step=confirm&w=1', { CallSid: 'CAdown', From: '+8613600000008', Digits: '1' })).join('');
      expect(said).toContain(content.prompts.voice.callbackUnavailable);
      expect(await sms('+8613600000008', '回电')).toBe(content.prompts.sms.systemError);
    } finally {
      hotline = original;
      await down.close();
    }
  });
});

describe('a texted request whose write is not confirmed', () => {
  it('is told it may not have been taken and how to check, and a later 编号 finds what did land', async () => {
    let landed = false;
    // The write lands, then the store reports a failure (a stall past the deadline).
    const flaky: CallbackStore = {
      ...hotline.store,
      requestCallback: async (input) => {
        await hotline.store.requestCallback(input);
        landed = true;
        throw new CallbackStoreError('requestCallback: deadline passed');
      },
      within: () => flaky,
    };
    const handler = createSmsHandler({ locales, logger: silentLogger, store: flaky, config: { publicBaseUrl: BASE_URL, authToken: () => Promise.resolve(TOKEN) } });
    const response = await handler(twilioEvent({ path: '/twilio/sms', params: { MessageSid: 'SMflaky1', From: '+8613600000071', Body: '回电 晚上' } }));
    expect(parseTwiml(response.body)[0]!.text).toBe(texts.smsUnconfirmed);
    expect(landed).toBe(true);
    const [request] = await openRequestFor('+8613600000071');
    expect(await sms('+8613600000071', '编号', 'SMflaky2')).toContain(request!.code);
  });
});

describe('failure metrics', () => {
  it('counts a storage failure as a CloudWatch metric (embedded metric format)', async () => {
    const dynamo = await startDynalite();
    const store = createDynamoCallbackStore({ client: dynamo.client, tableName: dynamo.tableName });
    await dynamo.stop();
    const handler = createSmsHandler({
      locales, logger: silentLogger, store,
      config: { publicBaseUrl: BASE_URL, authToken: () => Promise.resolve(TOKEN) },
      countFailure: createFailureCounter('hotline-sms', { POWERTOOLS_METRICS_NAMESPACE: 'Hotline' }),
    });
    const before = logLines.length;
    const response = await handler(twilioEvent({ path: '/twilio/sms', params: { MessageSid: 'SMmetric', From: '+8613600000009', Body: '回电' } }));
    expect(parseTwiml(response.body)[0]!.text).toBe(content.prompts.sms.systemError);
    const emf = logLines.slice(before).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { _aws?: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }; StoreFailure?: number });
    expect(emf).toContainEqual(expect.objectContaining({ StoreFailure: 1, _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Namespace: 'Hotline', Metrics: [expect.objectContaining({ Name: 'StoreFailure' })] })] }) }));
  });
});

describe('logs', () => {
  it('were written, and none of them holds a full phone number', () => {
    expect(logLines.length).toBeGreaterThan(20);
    const fullNumber = /(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/;
    expect(logLines.filter((line) => fullNumber.test(line.replace(/\s/g, '')))).toEqual([]);
    expect(logLines.some((line) => line.includes('136****0001'))).toBe(true);
  });
});
