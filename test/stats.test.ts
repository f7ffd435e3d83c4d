/**
 * The anonymous counts (lambdas/stats/): what each answer adds to its Beijing day, where calls end,
 * the callback funnel, and the staff route's view of them. Through the handlers as `npm start` wires
 * them, on dynalite with the real DynamoDB client; every request signed (Twilio) or authorised (staff).
 */
import { describe, expect, it } from 'vitest';
import { gatewayEvent } from '../dev/api-gateway';
import { createCounting } from '../lambdas/stats/counting';
import { deferredCounting } from '../lambdas/stats/deferred';
import { createDynamoStatsStore } from '../lambdas/stats/dynamo-stats';
import { waitPercentiles } from '../lambdas/stats/report';
import { isCounterName } from '../lambdas/stats/vocabulary';
import type { StaffStats } from '../lambdas/staff/contract';
import { localHandlers } from '../dev/local-handlers';
import { callbackSettingsFromEnv } from '../lambdas/callbacks/settings';
import { freshMobile, useTestHotline } from './support/hotline';
import { config, content, parseTwiml, silentLogger, spoken, twilioEvent, understand } from './support/twilio';

const STAFF_TOKEN = 'stats-test-staff-token';
const clock = { ms: 0 };
/** 10:00 Beijing time on `day` (UTC+8). */
const at = (day: string, hhmm = '10:00') => (clock.ms = Date.parse(`${day}T${hhmm}:00+08:00`));
const hotline = useTestHotline({ now: () => new Date(clock.ms), staffUsers: { [STAFF_TOKEN]: 'alice' } });

let sids = 0;
const callSid = () => `CA${(++sids).toString(16).padStart(32, 'a')}`;

async function text(body: string, from = freshMobile(), sid = `SMstats${++sids}`): Promise<string[]> {
  const response = await hotline().sms(twilioEvent({ path: '/twilio/sms', params: { MessageSid: sid, From: from, Body: body } }));
  expect(response.statusCode).toBe(200);
  return parseTwiml(response.body).map((v) => v.text ?? '');
}

/** One voice request; `query` is the action URL's (`at=main`), `params` what Twilio adds (Digits, SpeechResult…). */
async function voice(path: string, sid: string, params: Record<string, string> = {}, query = '') {
  const response = await hotline().voice(twilioEvent({ path, query, params: { CallSid: sid, From: '+8613812345678', ...params } }));
  expect(response.statusCode).toBe(200);
  return response.body;
}

const menu = (sid: string, atPosition: string, params: Record<string, string>) => voice('/twilio/voice/menu', sid, params, `at=${atPosition}`);
const status = (sid: string, CallStatus = 'completed') => voice('/twilio/voice/status', sid, { CallStatus, CallDuration: '42' });

async function staff(method: 'GET' | 'POST', path: string, options: { query?: string; body?: unknown; token?: string } = {}) {
  const response = await hotline().staff(
    gatewayEvent({
      method,
      path,
      query: options.query ?? '',
      headers: { authorization: `Bearer ${options.token ?? STAFF_TOKEN}`, 'content-type': 'application/json' },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    }),
  );
  return { status: response.statusCode, headers: response.headers, body: response.body, json: () => JSON.parse(response.body) as StaffStats & { error?: string } };
}

const countersOf = async (day: string) => (await hotline().stats.read(day, day))[0]?.counters ?? {};

describe('what each answer counts', () => {
  it('counts texts by intent, topic, sub-menu, understanding and crisis', async () => {
    const day = '2026-12-01';
    at(day);
    await text('3'); // the 报警和投诉 sub-menu
    await text('32'); // its second topic, by number
    await text('网贷逾期了通讯录被爆怎么办'); // own words, answered
    await text('催收'); // own words, asked back between two topics
    await text('今天天气怎么样'); // own words, not understood
    await text('我不想活了'); // crisis
    await text('菜单');
    expect(await countersOf(day)).toEqual({
      'contact.sms': 7,
      'sms.intent.group': 1,
      'sms.group.report': 1,
      'sms.intent.topic': 2,
      'sms.topic.report-police': 1,
      'sms.topic.already-exposed': 1,
      'sms.heard.match': 1,
      'sms.intent.ask': 1,
      'sms.heard.ask': 1,
      'sms.intent.menu': 2,
      'sms.heard.nomatch': 1,
      'sms.intent.crisis': 1,
      'crisis.sms': 1,
    });
  });

  it('counts calls, the topics and sub-menus they reach, spoken words, and where each call ended (once)', async () => {
    const day = '2026-12-02';
    at(day);
    const [keys, crisis, words, silent, callback] = [callSid(), callSid(), callSid(), callSid(), callSid()];
    for (const sid of [keys, crisis, words, silent, callback]) await voice('/twilio/voice', sid);
    await menu(keys, 'main', { Digits: '3' });
    await menu(keys, 'g.report', { Digits: '2' });
    await menu(keys, 't.report-police', { Digits: '*' }); // heard again: not a new answer
    await menu(crisis, 'main', { SpeechResult: '我不想活了', Confidence: '0.9' });
    await menu(words, 'main', { SpeechResult: '催收', Confidence: '0.9' });
    await menu(words, 'a.debt-relief-scams.legality', { SpeechResult: '第一个', Confidence: '0.9' }); // a key in words
    await menu(words, 'h.debt-relief-scams', { SpeechResult: '今天天气怎么样', Confidence: '0.9' });
    const goodbye = await menu(silent, 'main&s=3', {}); // a third silence: the hotline says goodbye
    expect(spoken(parseTwiml(goodbye))).toContain(content.prompts.voice.goodbye);
    await menu(callback, 'main', { Digits: '9' });

    // Twilio posts each call's status once it is over, and may post it again.
    for (const sid of [keys, keys, crisis, words, silent, silent]) expect(await status(sid)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await status(callback, 'in-progress'); // not over: nothing counted, the position kept
    expect(await countersOf(day)).toEqual({
      'contact.voice': 5,
      'voice.group.report': 1,
      'voice.topic.report-police': 1,
      'voice.topic.crisis': 1,
      'crisis.voice': 1,
      'voice.heard.crisis': 1,
      'voice.heard.ask': 1,
      'voice.topic.debt-relief-scams': 1,
      'voice.heard.nomatch': 1,
      'voice.topic.callback': 1,
      'end.topic.report-police': 1,
      'end.topic.crisis': 1,
      'end.topic.debt-relief-scams': 1,
      'end.goodbye': 1,
    });
    await status(callback, 'canceled');
    await status(callback, 'canceled');
    expect((await countersOf(day))['end.callback.start']).toBe(1);
  });

  it('answers every webhook as before when counting fails (here: a table that does not exist)', async () => {
    at('2026-12-02');
    const { client } = hotline().dynamo;
    const broken = createDynamoStatsStore({ client, tableName: 'no-such-table' });
    const { store } = hotline();
    const handlers = localHandlers({ content, understand, config, store, stats: broken, settings: callbackSettingsFromEnv(), staffUsers: {}, logger: silentLogger });
    const sid = callSid();
    const call = await handlers.voice(twilioEvent({ path: '/twilio/voice/menu', query: 'at=main', params: { CallSid: sid, Digits: '5' } }));
    expect(spoken(parseTwiml(call.body))).toContain(content.topics.get('negotiate')!.speech);
    const sms = await handlers.sms(twilioEvent({ path: '/twilio/sms', params: { MessageSid: 'SMbroken1', From: freshMobile(), Body: '回电' } }));
    expect(parseTwiml(sms.body)[0]?.text).toContain('编号');
    expect((await handlers.voice(twilioEvent({ path: '/twilio/voice/status', params: { CallSid: sid, CallStatus: 'completed' } }))).statusCode).toBe(200);
  });
});

describe("the voice Lambda's counting, loaded on first use", () => {
  it('answers the first request without waiting for the counting module, then counts it; later ones wait', async () => {
    const day = '2026-12-04';
    at(day);
    let loaded!: () => void;
    const module = new Promise<void>((resolve) => (loaded = resolve));
    const counting = createCounting({ stats: hotline().stats, logger: silentLogger, now: () => new Date(clock.ms) });
    const deferred = deferredCounting(async () => (await module, counting), silentLogger);
    const greeting = { route: 'voiceIncoming' as const, reply: { kind: 'hangup' as const, say: [] }, prompts: content.prompts.voice };
    await deferred.voice(greeting); // returns while the module is still loading
    expect(await countersOf(day)).toEqual({});
    loaded();
    await expect.poll(() => countersOf(day)).toEqual({ 'contact.voice': 1 });
    await deferred.voice(greeting);
    expect(await countersOf(day)).toEqual({ 'contact.voice': 2 });
  });
});

describe('the callback funnel', () => {
  it('counts requests, first attempts by how long they waited, outcomes and 未接通, as staff record them', async () => {
    const day = '2026-12-03';
    at(day, '10:00');
    const [urgent, evening, morning] = [freshMobile(), freshMobile(), freshMobile()];
    await text('我不想活了 回电', urgent);
    await text('回电 晚上', evening, 'SMeveningFixed');
    await text('回电 晚上', evening, 'SMeveningFixed'); // Twilio's retry: the same request, not counted again
    await text('回电 上午', morning);
    const idOf = async (phone: string) => (await hotline().store.findPending(phone))!.id;
    const act = async (phone: string, outcome: string) => {
      const id = await idOf(phone);
      expect((await staff('POST', `/staff/callbacks/${id}/claim`)).status).toBe(200);
      expect((await staff('POST', `/staff/callbacks/${id}/outcome`, { body: { outcome } })).status).toBe(200);
    };
    at(day, '10:20');
    await act(urgent, 'no-answer'); // first attempt after 20 minutes
    at(day, '10:30');
    await act(urgent, 'reached');
    at(day, '19:40');
    await act(evening, 'declined'); // asked for the evening (from 19:00): waited 40 minutes
    for (let i = 0; i < 3; i++) await act(morning, 'no-answer'); // waited from 10:00; 未接通 after the third

    const answer = await staff('GET', '/staff/stats', { query: `from=${day}&to=${day}` });
    expect(answer.status).toBe(200);
    const { callbacks } = answer.json().days[0]!;
    expect(callbacks).toMatchObject({
      requested: { voice: 0, sms: 3, urgent: 1 },
      repeats: 0,
      firstAttempts: { normal: 2, urgent: 1 },
      outcomes: { reached: 1, 'no-answer': 4, declined: 1, 'wrong-number': 0 },
      unreached: 1,
      // Estimated inside the buckets: 20 min lies in 15–30, 40 min in 30–60, 9 h 40 in 8–24 h.
      waitMinutes: { urgent: { p50: 22.5, p90: 28.5, count: 1 }, normal: { p50: 60, p90: 1248, count: 2 } },
    });
    expect(callbacks.waits.urgent).toMatchObject({ le30m: 1 });
    expect(callbacks.waits.normal).toMatchObject({ le1h: 1, le24h: 1 });
  });
});

describe('GET /staff/stats', () => {
  it('gives every day of the range, oldest first, zeros included, and their total; the last 30 days by default', async () => {
    at('2026-12-05');
    const range = (await staff('GET', '/staff/stats', { query: 'from=2026-11-30&to=2026-12-03' })).json();
    expect(range.days.map((d) => d.day)).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    expect(range.days[0]).toMatchObject({ contacts: { voice: 0, sms: 0 }, topics: {}, callEnds: {}, callbacks: { waitMinutes: { normal: null, urgent: null } } });
    expect(range.days[1]!.topics['report-police']).toEqual({ voice: 0, sms: 1 });
    expect(range.days[2]!.callEnds).toMatchObject({ 'topic.crisis': 1, goodbye: 1, 'callback.start': 1 });
    // The failing-store test counted nothing; Twilio's retried text is a delivery like any other.
    expect(range.total.contacts).toEqual({ voice: 5, sms: 7 + 4 });
    expect(range.total.crisis).toEqual({ voice: 1, sms: 2 });
    const standard = (await staff('GET', '/staff/stats')).json();
    expect([standard.from, standard.to, standard.days.length]).toEqual(['2026-11-06', '2026-12-05', 30]);
  });

  it('exports the same figures as CSV: a row per day and a total, with a byte-order mark for Excel', async () => {
    const answer = await staff('GET', '/staff/stats.csv', { query: 'from=2026-12-01&to=2026-12-03' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    expect(answer.headers['content-disposition']).toContain('stats-2026-12-01-2026-12-03.csv');
    expect(answer.body.startsWith('\ufeffday,contacts.voice,contacts.sms,')).toBe(true);
    const rows = answer.body.slice(1).trimEnd().split('\r\n').map((line) => line.split(','));
    const [header] = rows;
    const cell = (row: number, column: string) => rows[row]![header!.indexOf(column)];
    expect(rows.map((r) => r[0])).toEqual(['day', '2026-12-01', '2026-12-02', '2026-12-03', 'total']);
    expect([cell(1, 'contacts.sms'), cell(2, 'contacts.voice'), cell(2, 'callEnds.goodbye'), cell(3, 'callbacks.waitMinutes.urgent.p50')]).toEqual(['7', '5', '1', '22.5']);
    expect(cell(1, 'callbacks.waitMinutes.normal.p50')).toBe('');
  });

  it.each([
    ['from=2026-02-30', 'from'],
    ['from=yesterday', 'from'],
    ['to=2026-13-01', 'to'],
    ['from=2026-12-03&to=2026-12-01', 'to'],
    ['from=2025-10-01&to=2026-11-05', 'to'],
  ])('refuses %s (400, naming the field)', async (query, field) => {
    const answer = await staff('GET', '/staff/stats', { query });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'bad-request', issues: [expect.objectContaining({ path: field })] });
    expect((await staff('GET', '/staff/stats.csv', { query })).status).toBe(400);
  });

  it('takes exactly 400 days, and answers 401 without a valid token', async () => {
    expect((await staff('GET', '/staff/stats', { query: 'from=2025-11-01&to=2026-12-05' })).json().days).toHaveLength(400);
    expect((await staff('GET', '/staff/stats', { token: 'not-a-staff-token-at-all' })).status).toBe(401);
  });
});

describe('the vocabulary and the estimates', () => {
  it('refuses any counter name that is not built from known ids', async () => {
    for (const name of ['sms.topic.13812345678', 'sms.topic.我不想活了', 'end.topic.nope', 'contact.fax', 'cb.first.urgent.le5m', 'voice.heard.match.extra', 'end.callback.start.x']) {
      expect(isCounterName(name), name).toBe(false);
    }
    await expect(hotline().stats.add('2026-12-09', ['contact.sms', 'sms.topic.13812345678'])).rejects.toThrow('vocabulary');
    await expect(hotline().stats.placeCall(callSid(), '13812345678')).rejects.toThrow('position');
    expect(await hotline().stats.read('2026-12-09', '2026-12-09')).toEqual([]);
  });

  it('estimates percentiles inside the bucket that holds them, and "a day or more" in the open one', () => {
    expect(waitPercentiles({})).toBeNull();
    expect(waitPercentiles({ le15m: 10 })).toEqual({ p50: 7.5, p90: 13.5, count: 10 });
    expect(waitPercentiles({ le15m: 5, le1h: 4, gt24h: 1 })).toEqual({ p50: 15, p90: 60, count: 10 });
    expect(waitPercentiles({ gt24h: 3 })).toEqual({ p50: 1440, p90: 1440, count: 3 });
  });
});
