/**
 * Real days and times, through the local hotline (signed webhooks, dynalite): what callers say or
 * text about when to be called, the day they hear back, midnight in Beijing, and the context that
 * reaches staff with the request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../dev/local-server';
import { parseKeys, playCall, postSignedForm } from '../dev/phone-lib';
import { readCode } from '../lambdas/voice/callback-flow';
import { content, parseTwiml, spoken } from './support/twilio';

const texts = content.prompts.callback;
let hotline: LocalHotline;
/** Thursday 3 December 2026, 10:00 Beijing time, unless a test moves it. */
const THURSDAY_10AM = Date.parse('2026-12-03T02:00:00Z');
const clock = { ms: THURSDAY_10AM };
let numbers = 0;
const nextPhone = () => `+86136100${String(++numbers).padStart(5, '0')}`;

beforeAll(async () => {
  hotline = await startLocalHotline({ port: 0, authToken: 'times-token', settings: { callbacksPerDay: 5, smsRepliesPerHour: 50 }, now: () => new Date(clock.ms) });
});
afterAll(async () => {
  await hotline?.close();
});

async function sms(from: string, body: string, sid = `SM${Math.random().toString(16).slice(2)}`): Promise<string | null> {
  const response = await postSignedForm(hotline.url, '/twilio/sms', { MessageSid: sid, From: from, Body: body }, hotline.authToken);
  expect(response.status).toBe(200);
  return parseTwiml(await response.text())[0]?.text ?? null;
}

async function call(from: string, answers: string): Promise<string> {
  const lines: string[] = [];
  await playCall({ baseUrl: hotline.url, authToken: hotline.authToken, from, answers: parseKeys(answers) }, { print: (line) => lines.push(line) }, fetch);
  return lines.join('\n');
}

const pending = async (phone: string) => (await hotline.store.findPending(phone))!;

describe('SMS: a time in the person\'s own words', () => {
  it('"回电 明天下午三点" is promised with its day and stored as Beijing 15:00–16:00 on Friday', async () => {
    clock.ms = THURSDAY_10AM;
    const phone = nextPhone();
    const reply = await sms(phone, '回电 明天下午三点');
    expect(reply).toContain('明天下午三点到四点');
    expect(reply).not.toContain(texts.smsAskWindow);
    expect(await pending(phone)).toMatchObject({ window: '明天下午三点到四点', due: { from: '2026-12-04T07:00:00.000Z', until: '2026-12-04T08:00:00.000Z' }, numberSource: 'sms-sender' });
  });

  it('"回电" then "下午吧" sets the time of the same request, once, and is not counted as a repeat', async () => {
    clock.ms = THURSDAY_10AM;
    const phone = nextPhone();
    const first = await sms(phone, '回电');
    expect(first).toContain(texts.smsAskWindow);
    const { code } = await pending(phone);
    const second = await sms(phone, '下午吧');
    expect(second).toContain('今天下午两点到六点');
    expect(second).toContain(code);
    expect(await pending(phone)).toMatchObject({ code, window: '今天下午两点到六点', repeats: 0, due: { from: '2026-12-03T06:00:00.000Z', until: '2026-12-03T10:00:00.000Z' } });
    expect(await sms(phone, '晚上7点以后')).toBe(texts.smsWindowFixed);
    expect((await pending(phone)).window).toBe('今天下午两点到六点');
  });

  it('keeps the promised words as written: a whole staff day is texted with full-width brackets', async () => {
    clock.ms = Date.parse('2026-12-03T14:00:00Z'); // 22:00 Thursday: nobody on duty until tomorrow
    const phone = nextPhone();
    expect(await sms(phone, '回电 随便')).toContain('明天工作时间（上午九点到晚上九点）');
    expect((await pending(phone)).window).toBe('明天工作时间（上午九点到晚上九点）');
    clock.ms = THURSDAY_10AM;
  });

  for (const [words, heard] of [
    ['随便', '今天晚上九点以前'],
    ['什么时候都行', '今天晚上九点以前'],
    ['晚上7点以后', '今天晚上七点到九点'],
    ['上午', '今天中午十二点以前'],
  ] as const) {
    it(`"回电 ${words}" is promised as ${heard}`, async () => {
      clock.ms = THURSDAY_10AM;
      const phone = nextPhone();
      expect(await sms(phone, `回电 ${words}`)).toContain(heard);
      expect((await pending(phone)).window).toBe(heard);
    });
  }

  it('a time alone creates nothing, and too late after 回电 it changes nothing', async () => {
    clock.ms = THURSDAY_10AM;
    const lone = nextPhone();
    expect(await sms(lone, '明天下午三点')).toBe(texts.smsNoRequest);
    expect(await hotline.store.findPending(lone)).toBeUndefined();
    const late = nextPhone();
    await sms(late, '回电');
    clock.ms += 31 * 60_000;
    expect(await sms(late, '晚上')).toBe(texts.smsWindowFixed);
    clock.ms = THURSDAY_10AM;
  });

  it('says so when the time asked for has nobody on duty, and gives the time we can keep', async () => {
    clock.ms = THURSDAY_10AM;
    const phone = nextPhone();
    const reply = await sms(phone, '回电 晚上十点');
    expect(reply).toContain(texts.timeAdjusted);
    expect(reply).toContain('明天上午九点到十二点');
  });

  it('across midnight Beijing time: "晚上" at 23:50 Thursday is Friday evening; at 00:30 Friday it is "今天"', async () => {
    clock.ms = Date.parse('2026-12-03T15:50:00Z'); // 23:50 Thursday in Beijing, still the 3rd in UTC
    const lateNight = nextPhone();
    expect(await sms(lateNight, '回电 晚上')).toContain('明天晚上七点到九点');
    expect((await pending(lateNight)).due).toEqual({ from: '2026-12-04T11:00:00.000Z', until: '2026-12-04T13:00:00.000Z' });
    clock.ms = Date.parse('2026-12-03T16:30:00Z'); // 00:30 Friday in Beijing
    const afterMidnight = nextPhone();
    expect(await sms(afterMidnight, '回电 晚上')).toContain('今天晚上七点到九点');
    expect((await pending(afterMidnight)).due).toEqual({ from: '2026-12-04T11:00:00.000Z', until: '2026-12-04T13:00:00.000Z' });
    // "编号" names the day as of when it is asked: told "明天" on Thursday, it is "今天" on Friday.
    expect(await sms(lateNight, '编号')).toContain('今天晚上七点到九点');
    clock.ms = THURSDAY_10AM;
  });
});

describe('voice: the time question takes keys and speech', () => {
  it('"明天上午" said at the time question is promised with its day, and the code is said twice', async () => {
    clock.ms = THURSDAY_10AM;
    const phone = nextPhone();
    const transcript = await call(phone, '9 说明天上午 1');
    const request = await pending(phone);
    expect(request).toMatchObject({ window: '明天上午九点到十二点', due: { from: '2026-12-04T01:00:00.000Z', until: '2026-12-04T04:00:00.000Z' }, numberSource: 'caller-id', channel: 'voice' });
    expect(transcript).toContain('明天上午九点到十二点');
    expect(transcript.split(readCode(request.code)).length - 1).toBeGreaterThanOrEqual(2);
  });

  it('the key after the windows means any time; words it cannot read are asked again', async () => {
    clock.ms = THURSDAY_10AM;
    const phone = nextPhone();
    const transcript = await call(phone, `9 说我也不知道 ${texts.windows.length + 1} 1`);
    expect(transcript).toContain(texts.voiceTimeNotHeard);
    expect((await pending(phone)).window).toBe('今天晚上九点以前');
  });

  it('the time question listens for speech, with time hints', async () => {
    const response = await postSignedForm(hotline.url, '/twilio/voice/callback', { CallSid: 'CAhints', From: nextPhone() }, hotline.authToken);
    const gather = parseTwiml(await response.text()).find((v) => v.name === 'Gather')!;
    expect(gather.attrs.input).toBe('dtmf speech');
    expect(gather.attrs.hints).toContain('明天上午');
    expect(spoken([gather]).join('')).toContain(texts.voiceChooseWindow);
  });
});

describe('context for staff', () => {
  it('a texter\'s question before 回电 reaches the request: its topic and its words, numbers masked', async () => {
    clock.ms = THURSDAY_10AM;
    const phone = nextPhone();
    await sms(phone, '催收天天打我同事电话 13812345678，说要起诉我，这样合法吗');
    await sms(phone, '回电 晚上');
    const request = await pending(phone);
    expect(request.topics.length).toBeGreaterThan(0);
    expect(request.question).toContain('***********');
    expect(request.question).not.toMatch(/\d{5}/);
  });

  it('a voice request names the topic the caller was in, and a number keyed in says so', async () => {
    clock.ms = THURSDAY_10AM;
    const victim = nextPhone();
    await call('anonymous', `4 9 1 ${victim.slice(3)} 1`);
    const request = await pending(victim);
    expect(request).toMatchObject({ numberSource: 'keyed-in', channel: 'voice' });
    expect(request.topic).not.toBeNull();
  });
});
