/**
 * The SMS conversation rule by rule (`createSmsConversation`, the router, the keywords, the callback
 * and crisis replies), on a store in memory: what each text is answered with, what is stored, and
 * what is not. The same conversation over HTTP and DynamoDB is in sms.test.ts and callback-flows.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { staffCalendar } from '../lambdas/callbacks/settings';
import type { E164 } from '../lambdas/callbacks/phone-number';
import { fill, topic } from '../lambdas/content/content';
import { smsCodeReply, WINDOW_FOLLOW_UP_SECONDS } from '../lambdas/sms/callback-reply';
import { createSmsConversation, DEFAULT_SMS_LIMITS, type Sender, type SmsLimits } from '../lambdas/sms/conversation';
import { CRISIS_REPLIES_PER_DAY, CRISIS_REPLIES_PER_DAY_OPTED_OUT, CRISIS_WINDOW_SECONDS } from '../lambdas/sms/crisis-reply';
import { smsKeywords } from '../lambdas/sms/keywords';
import { normalizeKeyword, routeSms } from '../lambdas/sms/router';
import { callNames, fakeStore, type FakeStore } from './support/fake-store';
import { corpusLines } from './support/corpus';
import { content, understand, understanding } from './support/twilio';

const sms = content.prompts.sms;
const texts = content.prompts.callback;
const calendar = staffCalendar(content, {});
const windows = calendar.windows;
/** Thursday 3 December 2026, 10:00 Beijing time. */
const NOW = new Date('2026-12-03T02:00:00Z');
const PHONE = '+8613812345678' as E164;
const mobile: Sender = { kind: 'mobile', e164: PHONE };
const answer = (id: string) => topic(content, id as never).sms + sms.footer;
const crisisReply = answer('crisis');

function setup(limits: SmsLimits = DEFAULT_SMS_LIMITS, now = () => NOW) {
  const store = fakeStore(now);
  const conversation = createSmsConversation({ content, understanding, calendar, limits, now });
  let sids = 0;
  const text = (body: string, from: Sender = mobile, sid: string | undefined = `SM${++sids}`) => conversation({ from, body, ...(sid === undefined ? {} : { sid }) }, store);
  return { store, text };
}

/** Fills the hourly reply limit of `key`. */
async function useUpReplies(store: FakeStore, key: string, limit = DEFAULT_SMS_LIMITS.smsRepliesPerHour) {
  for (let i = 0; i < limit; i++) await store.consumeQuota(key, 'sms-reply', limit, 3600, `SMold${i}`);
  store.calls.length = 0;
}

describe('keywords', () => {
  // Keywords are compiled once per content and cached: each test gives a content of its own, so the
  // compiling happens in the test that checks its result (and a mutation run sees which test that is).
  const fresh = () => ({ ...content });

  it('takes every opt-out word Twilio acts on and the content\'s own, in any case and with trailing punctuation', async () => {
    const own = fresh();
    for (const word of ['stop', 'STOPALL', 'unsubscribe', 'cancel', 'End', 'quit', '退订', 'TD', '取消订阅', 'stop!', '退订。']) {
      expect((await routeSms(word, own, understanding, windows)).kind, word).toBe('optOut');
    }
  });

  it('takes every opt-in word Twilio acts on and the content\'s own', async () => {
    const own = fresh();
    for (const word of ['start', 'UNSTOP', 'yes', '订阅', '恢复订阅']) expect((await routeSms(word, own, understanding, windows)).kind, word).toBe('optIn');
  });

  it('reads the menu, code and callback words whole', async () => {
    const own = fresh();
    for (const word of ['', '菜单', 'Help', 'caidan', 'info', '?']) expect(await routeSms(word, own, understanding, windows), word).toEqual({ kind: 'menu' });
    for (const word of ['编号', '我的编号', 'CODE', 'bianhao']) expect(await routeSms(word, own, understanding, windows), word).toEqual({ kind: 'code' });
    for (const word of ['回电', '人工服务', 'call', '9', '请回电', '转人工']) expect(await routeSms(word, own, understanding, windows), word).toEqual({ kind: 'callback' });
  });

  it('normalises a keyword: full width, case, surrounding spaces and punctuation', () => {
    expect(normalizeKeyword('  ＳＴＯＰ！！ ')).toBe('stop');
    expect(normalizeKeyword('：菜单～。')).toBe('菜单');
    expect(normalizeKeyword('回电，晚上。')).toBe('回电,晚上');
  });

  it('compiles the words once per content, longest first, escaping what a pattern would read', () => {
    const own = fresh();
    const keywords = smsKeywords(own);
    expect(smsKeywords(own)).toBe(keywords);
    expect(keywords.callback.exec('人工服务 晚上')?.[1]).toBe('晚上');
    expect(keywords.callback.exec('请回电')?.[1]).toBeUndefined();
    expect(keywords.menuNumberPrefix.exec('回复5')?.[0]).toBe('回复');
    // Latin words are whole words when asked anywhere in a text: "call" is asked, "recall" is not.
    expect(keywords.asksCallback.test('please call me')).toBe(true);
    expect(keywords.asksCallback.test('recall')).toBe(false);
    expect(keywords.asksCallback.test('给我打电话')).toBe(true);
    const odd = { ...content, prompts: { ...content.prompts, sms: { ...sms, keywords: { ...sms.keywords, callback: ['a.b', 'c+'], asksCallback: ['x?y', 'ok了', '了go'], menuNumberPrefixes: ['(回'] } } } };
    const compiled = smsKeywords(odd);
    expect(compiled.callback.test('a.b')).toBe(true);
    expect(compiled.callback.test('axb')).toBe(false);
    expect(compiled.callback.test('c+')).toBe(true);
    expect(compiled.callback.test('cc')).toBe(false);
    expect(compiled.asksCallback.test('请x?y')).toBe(true);
    expect(compiled.asksCallback.test('xy')).toBe(false);
    expect(compiled.menuNumberPrefix.test('(回3')).toBe(true);
    // Only words all in Latin letters or digits are whole words: a mixed one matches inside Chinese text.
    expect(compiled.asksCallback.test('好ok了吗')).toBe(true);
    expect(compiled.asksCallback.test('好了go吗')).toBe(true);
  });
});

describe('routing a text', () => {
  const route = (body: string) => routeSms(body, content, understanding, windows);

  it('puts safety first, on the whole text, and books a crisis callback only when one is asked for and not declined', async () => {
    expect(await route('我不想活了')).toEqual({ kind: 'crisis', callback: false });
    expect(await route('我不想活了 回电')).toEqual({ kind: 'crisis', callback: true });
    expect(await route('我不想活了，给我打电话')).toEqual({ kind: 'crisis', callback: true });
    expect(await route('我不想活了，不用回电')).toEqual({ kind: 'crisis', callback: false });
    expect(await route(`${'怎么投诉平台，'.repeat(100)}我想自杀`)).toEqual({ kind: 'crisis', callback: false });
  });

  it('reads 回电 with a time, a time alone, and 回电 with words that are no time', async () => {
    expect(await route('回电 晚上')).toEqual({ kind: 'callback', wish: { window: 'evening' } });
    expect(await route('回电明天下午三点')).toEqual({ kind: 'callback', wish: { dayOffset: 1, at: 15 * 60, bound: 'at', window: 'afternoon' } });
    expect(await route('晚上')).toEqual({ kind: 'callback', wish: { window: 'evening' }, timeOnly: true });
    expect(await route('随便')).toEqual({ kind: 'callback', wish: { any: true }, timeOnly: true });
    const words = await route('回电 我被催收骚扰了');
    expect(words.kind).not.toBe('optOut');
    expect(words).not.toEqual({ kind: 'callback' });
  });

  it('never reads a refusal as a callback', async () => {
    for (const body of ['回电不用了', '不要回电']) expect((await route(body)).kind, body).not.toBe('callback');
  });

  it('reads menu numbers, with the prefixes the replies quote and the separators people type', async () => {
    const three = content.menu.main.find((item) => item.key === '3');
    expect(three && 'group' in three).toBe(true);
    expect(await route('3')).toEqual({ kind: 'group', group: (three as { group: string }).group });
    expect(await route('回31')).toEqual({ kind: 'topic', topic: 'evidence' });
    expect(await route('3-1')).toEqual({ kind: 'topic', topic: 'evidence' });
    expect(await route('3.1')).toEqual({ kind: 'topic', topic: 'evidence' });
    expect(await route('3、1')).toEqual({ kind: 'topic', topic: 'evidence' });
    expect(await route('选 2')).toEqual({ kind: 'topic', topic: 'for-contacts' });
    expect(await route('8')).toEqual({ kind: 'menu', notice: 'unknownNumber' });
    expect(await route('39')).toEqual({ kind: 'menu', notice: 'unknownNumber' });
    expect(await route('12')).toEqual({ kind: 'menu', notice: 'unknownNumber' });
    expect(await route('4')).toEqual({ kind: 'crisis', callback: false });
    expect((await route('123')).kind).not.toBe('topic');
  });

  it('keeps the person\'s own words (as typed, at most 500 characters) with a free-text answer', async () => {
    const asked = await route('  網貸逾期了通訊錄被爆怎麼辦 ');
    expect(asked).toEqual({ kind: 'topic', topic: 'already-exposed', asked: '網貸逾期了通訊錄被爆怎麼辦' });
    const long = await route(`我不是借款人，催收天天打我电话。${'啊'.repeat(600)}`);
    expect(long).toMatchObject({ kind: 'topic', topic: 'for-contacts' });
    expect('asked' in long && long.asked?.length).toBe(500);
    expect(await route('明天会下雨吗')).toEqual({ kind: 'menu', notice: 'notUnderstood', asked: '明天会下雨吗' });
    expect(await route('他们威胁我')).toEqual({ kind: 'topic', topic: 'report-police', threat: true, asked: '他们威胁我' });
  });

  it('books a callback from a question that asks for one, with a window word in it as the time', async () => {
    expect(await route('能不能晚上打电话给我，我想找人聊聊')).toMatchObject({ kind: 'callback', wish: { window: 'evening' } });
    const plain = await route('可以找个真人打电话给我吗');
    expect(plain).toMatchObject({ kind: 'callback', asked: '可以找个真人打电话给我吗' });
    expect('wish' in plain && plain.wish).toBeFalsy();
  });
});

describe('the conversation', () => {
  it('answers a text without a sender but stores nothing, and refuses what needs a number', async () => {
    const { text, store } = setup();
    const none: Sender = { kind: 'none' };
    expect((await text('回电', none)).replies).toEqual([texts.smsBadNumber]);
    expect((await text('编号', none)).replies).toEqual([texts.smsBadNumber]);
    expect((await text('想死', none)).replies).toEqual([crisisReply]);
    expect((await text('退订', none)).replies).toEqual([sms.optOut]);
    expect((await text('订阅', none)).replies).toEqual([sms.optIn + sms.menu]);
    expect((await text('31', none)).replies).toEqual([answer('evidence')]);
    expect(store.calls).toEqual([]);
  });

  it('opts a number out with the MessageSid, then stays silent and counts nothing until it opts in again', async () => {
    const { text, store } = setup();
    expect(await text('退订', mobile, 'SMout')).toEqual({ intent: 'optOut', routed: { kind: 'optOut' }, replies: [sms.optOut], events: [] });
    expect(store.calls).toEqual([['isOptedOut', PHONE], ['setOptOut', PHONE, true, 'SMout']]);
    store.calls.length = 0;
    expect((await text('31')).replies).toEqual([]);
    expect(callNames(store)).toEqual(['isOptedOut']);
    store.calls.length = 0;
    expect((await text('订阅', mobile, 'SMin')).replies).toEqual([sms.optIn + sms.menu]);
    expect(store.calls).toEqual([['consumeQuota', PHONE, 'sms-reply', 20, 3600, 'SMin'], ['setOptOut', PHONE, false, 'SMin']]);
    expect((await text('31')).replies).toEqual([answer('evidence')]);
  });

  it('counts an opt-in as a reply: past the hourly limit it changes nothing', async () => {
    const { text, store } = setup();
    store.optedOut.add(PHONE);
    await useUpReplies(store, PHONE);
    expect((await text('订阅')).replies).toEqual([]);
    expect(callNames(store)).toEqual(['consumeQuota']);
    expect(store.optedOut.has(PHONE)).toBe(true);
  });

  it('goes silent past the hourly reply limit, and says so in its events', async () => {
    const { text } = setup({ smsRepliesPerHour: 2, callbacksPerDay: 3 });
    expect((await text('31')).replies).toEqual([answer('evidence')]);
    expect((await text('31')).replies).toEqual([answer('evidence')]);
    const third = await text('31');
    expect(third.replies).toEqual([]);
    expect(third.events).toEqual(['reply-limit']);
  });

  it('keys a sender that is not a mobile by its id, and refuses it a callback or its code', async () => {
    const { text, store } = setup();
    const shortCode: Sender = { kind: 'other', id: '10690' };
    expect((await text('回电', shortCode)).replies).toEqual([texts.smsBadNumber]);
    expect((await text('编号', shortCode)).replies).toEqual([texts.smsBadNumber]);
    expect(store.calls.filter(([name]) => name === 'consumeQuota').map((call) => call[1])).toEqual(['10690', '10690']);
    expect(store.requests).toEqual([]);
    await useUpReplies(store, '10690');
    expect((await text('回电', shortCode)).replies).toEqual([]);
  });

  it('reads no MessageSid as none, and stores a request made without one under a sid of its own', async () => {
    const { text, store } = setup();
    await text('31', mobile, '');
    expect(store.calls).toContainEqual(['consumeQuota', PHONE, 'sms-reply', 20, 3600, undefined]);
    await text('回电', mobile, '');
    expect(store.requests[0]!.history[0]!.detail).toBe('sms-nosid');
    const crisis = setup();
    await crisis.text('想死 回电', mobile, '');
    expect(crisis.store.requests[0]!.history[0]!.detail).toBe('sms-nosid');
  });

  it('says a whole staff day on 编号 as 工作时间, as of today', async () => {
    const late = new Date('2026-12-03T14:00:00Z');
    const { text } = setup(DEFAULT_SMS_LIMITS, () => late);
    await text('回电');
    expect((await text('编号')).replies).toEqual([fill(texts.smsCode, { code: '4821', window: '明天工作时间（上午九点到晚上九点）' })]);
  });

  it('keeps the question asked in the person\'s own words, with its topic, for a later 回电', async () => {
    const { text, store } = setup();
    const outcome = await text('網貸逾期了通訊錄被爆怎麼辦');
    expect(outcome.replies).toEqual([answer('already-exposed')]);
    expect(store.calls).toContainEqual(['rememberQuestion', PHONE, ['already-exposed'], '網貸逾期了通訊錄被爆怎麼辦']);
    await text('明天会下雨吗');
    expect(store.calls).toContainEqual(['rememberQuestion', PHONE, [], '明天会下雨吗']);
    store.calls.length = 0;
    await text('31');
    expect(callNames(store)).not.toContain('rememberQuestion');
  });

  it('keeps both topics of an ask-back with the question', async () => {
    const { text, store } = setup();
    const asked = corpusLines().find((q) => understand(q).reason === 'ask' && !understand(q).choices!.includes('callback'))!;
    const outcome = await text(asked);
    expect(outcome.intent).toBe('ask');
    expect(store.calls).toContainEqual(['rememberQuestion', PHONE, understand(asked).choices, asked.trim()]);
  });

  it('answers even when the question cannot be kept, and says so in its events', async () => {
    const { text, store } = setup();
    store.failing.add('rememberQuestion');
    const outcome = await text('網貸逾期了通訊錄被爆怎麼辦');
    expect(outcome.replies).toEqual([answer('already-exposed')]);
    expect(outcome.events).toEqual(['context-not-kept']);
  });

  it('answers a group number with its sub-menu, each item with its full number and SMS label', async () => {
    const { text } = setup();
    expect((await text('3')).replies).toEqual(['证据报警，回复：31留证据 32报警 33投诉运营商 34找监管']);
    expect((await text('7')).replies).toEqual(['防骚扰，回复：71拦截 72告知亲友 73关权限 74正规平台']);
  });

  it('hands a question it was not sure of to the inbox, with the topic that came closest', async () => {
    const { text } = setup();
    expect((await text('明天会下雨吗')).unsure).toEqual({ text: '明天会下雨吗', guess: { kind: 'none', topics: [] } });
    const leaning = '钱还到哪里才算数，能直接转给打电话那个人吗？';
    expect(understand(leaning)).toMatchObject({ reason: 'unmatched', top: 'negotiate' });
    expect((await text(leaning)).unsure).toEqual({ text: leaning, guess: { kind: 'topic', topics: ['negotiate'] } });
    const asked = corpusLines().find((q) => understand(q).reason === 'ask' && !understand(q).choices!.includes('callback'))!;
    expect((await text(asked)).unsure).toEqual({ text: asked.trim(), guess: { kind: 'ask', topics: understand(asked).choices } });
    expect((await text('網貸逾期了通訊錄被爆怎麼辦')).unsure).toBeUndefined();
    expect((await text('8')).unsure).toBeUndefined();
  });

  it('answers a threat with the police answer and says so in its events', async () => {
    const { text } = setup();
    const outcome = await text('他们威胁我');
    expect(outcome.replies).toEqual([answer('report-police')]);
    expect(outcome.events).toEqual(['threat-answered']);
    expect(outcome.intent).toBe('topic');
  });
});

describe('callbacks by text', () => {
  it('books 回电 with a time in one message: the code, the day and time, counted under the MessageSid', async () => {
    const { text, store } = setup();
    const outcome = await text('回电 晚上', mobile, 'SMbook');
    expect(outcome.replies).toEqual([fill(texts.smsRegistered, { code: '4821', window: '今天晚上七点到九点' })]);
    expect(store.calls).toContainEqual(['consumeQuota', PHONE, 'callback', 3, 86_400, 'SMbook']);
    expect(store.calls).toContainEqual(['recentQuota', PHONE, 'crisis-reply', CRISIS_WINDOW_SECONDS]);
    expect(store.requests).toEqual([
      expect.objectContaining({ phone: PHONE, window: '今天晚上七点到九点', due: { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z' }, topic: null, topics: [], channel: 'sms', numberSource: 'sms-sender', urgent: false }),
    ]);
    expect(store.requests[0]!.windowPending).toBeUndefined();
  });

  it('books 回电 and 9 alone due at the next staff time, asking for a time, and lets a time alone set it once', async () => {
    for (const body of ['回电', '9']) {
      const { text, store } = setup();
      expect((await text(body)).replies).toEqual([fill(texts.smsRegistered, { code: '4821', window: '今天晚上九点以前' }) + texts.smsAskWindow]);
      expect(store.requests).toHaveLength(1);
      expect(store.requests[0]).toMatchObject({ windowPending: true, due: { from: NOW.toISOString(), until: '2026-12-03T13:00:00.000Z' } });
      expect((await text('晚上', mobile, 'SMwhen')).replies).toEqual([fill(texts.smsUpdated, { code: '4821', window: '今天晚上七点到九点' })]);
      expect(store.calls).toContainEqual(['setWindow', { phone: PHONE, window: '今天晚上七点到九点', due: { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z' }, sourceSid: 'SMwhen' }]);
      expect((await text('下午')).replies).toEqual([texts.smsWindowFixed]);
    }
  });

  it('says when the time named was moved', async () => {
    const { text } = setup();
    expect((await text('回电 凌晨三点')).replies[0]).toMatch(new RegExp(`^${texts.timeAdjusted}`));
    const { text: again } = setup();
    await again('回电');
    expect((await again('凌晨三点')).replies[0]).toMatch(new RegExp(`^${texts.timeAdjusted}`));
  });

  it('a time alone creates nothing, changes nothing after half an hour, nor for a request made by voice', async () => {
    let now = NOW;
    const { text, store } = setup(DEFAULT_SMS_LIMITS, () => now);
    expect((await text('晚上')).replies).toEqual([texts.smsNoRequest]);
    expect(store.requests).toEqual([]);
    await text('回电');
    // Half an hour later, to the millisecond.
    expect(WINDOW_FOLLOW_UP_SECONDS).toBe(30 * 60);
    now = new Date(NOW.getTime() + 30 * 60_000);
    expect((await text('晚上')).replies).toEqual([fill(texts.smsUpdated, { code: '4821', window: '今天晚上七点到九点' })]);

    const late = setup(DEFAULT_SMS_LIMITS, () => now);
    now = NOW;
    await late.text('回电');
    now = new Date(NOW.getTime() + 30 * 60_000 + 1000);
    expect((await late.text('晚上')).replies).toEqual([texts.smsWindowFixed]);
    expect(callNames(late.store)).not.toContain('setWindow');

    const byVoice = setup();
    await byVoice.store.requestCallback({ phone: PHONE, window: '尽快', windowPending: true, channel: 'voice', sourceSid: 'CA1' });
    expect((await byVoice.text('晚上')).replies).toEqual([texts.smsWindowFixed]);
  });

  it('a time alone changes nothing when the store finds no request without a time', async () => {
    const { text, store } = setup();
    await text('回电');
    store.requests[0]!.windowPending = false;
    expect((await text('晚上')).replies).toEqual([texts.smsWindowFixed]);
  });

  it('never repeats the code or changes the time on a second 回电', async () => {
    const { text, store } = setup();
    await text('回电 晚上');
    const again = await text('回电 上午');
    expect(again.replies).toEqual([texts.smsAlreadyWaiting]);
    expect(again.replies.join('')).not.toContain('4821');
    expect(store.requests[0]!.window).toBe('今天晚上七点到九点');
  });

  it('carries what the person asked in the last two hours to staff: its topics and words', async () => {
    const { text, store } = setup();
    await text('網貸逾期了通訊錄被爆怎麼辦');
    await text('回电');
    expect(store.requests[0]).toMatchObject({ topics: ['already-exposed'], question: '網貸逾期了通訊錄被爆怎麼辦' });
    const { text: direct, store: directStore } = setup();
    await direct('可以找个真人打电话给我吗');
    expect(directStore.requests[0]).toMatchObject({ question: '可以找个真人打电话给我吗', topics: [] });
  });

  it('past the daily limit: says a waiting request stands (without its code), and stays silent when none waits', async () => {
    const { text, store } = setup({ smsRepliesPerHour: 20, callbacksPerDay: 1 });
    await store.consumeQuota(PHONE, 'callback', 1, 86_400, 'SMearlier');
    expect((await text('回电')).replies).toEqual([]);
    expect(store.requests).toEqual([]);
    await store.requestCallback({ phone: PHONE, window: '晚上', channel: 'voice', sourceSid: 'CA1' });
    expect((await text('回电')).replies).toEqual([texts.smsLimitPending]);
  });

  it('records a 回电 past the hourly reply limit without replying', async () => {
    const { text, store } = setup();
    await useUpReplies(store, PHONE);
    const outcome = await text('回电 晚上');
    expect(outcome.replies).toEqual([]);
    expect(outcome.events).toEqual(['reply-limit']);
    expect(store.requests).toHaveLength(1);
  });

  it('says the request may not have been taken when the store fails, and lets other errors through', async () => {
    const { text, store } = setup();
    store.failing.add('requestCallback');
    const outcome = await text('回电');
    expect(outcome.replies).toEqual([texts.smsUnconfirmed]);
    expect(outcome.events).toEqual(['callback-unconfirmed']);
    const { text: broken, store: brokenStore } = setup();
    brokenStore.requestCallback = () => Promise.reject(new TypeError('bug'));
    await expect(broken('回电')).rejects.toThrow('bug');
  });

  it('texts the code and the time as of today on 编号, the stored words for an urgent request', async () => {
    const { text, store } = setup();
    expect((await text('编号')).replies).toEqual([texts.smsNoRequest]);
    await text('回电 明天上午');
    expect(store.requests[0]!.window).toBe('明天上午九点到十二点');
    const tomorrow = { store, content, calendar, now: new Date(NOW.getTime() + 86_400_000) };
    expect(await smsCodeReply(tomorrow, PHONE)).toBe(fill(texts.smsCode, { code: '4821', window: '今天上午九点到十二点' }));
    expect((await text('编号')).replies).toEqual([fill(texts.smsCode, { code: '4821', window: '明天上午九点到十二点' })]);
    const urgent = setup();
    await urgent.store.requestCallback({ phone: PHONE, window: texts.urgentWindow, due: { from: NOW.toISOString(), until: NOW.toISOString() }, urgent: true, channel: 'sms', sourceSid: 'SM1' });
    expect((await urgent.text('编号')).replies).toEqual([fill(texts.smsCode, { code: '4821', window: texts.urgentWindow })]);
    const old = setup();
    await old.store.requestCallback({ phone: PHONE, window: '晚上七点到九点', channel: 'sms', sourceSid: 'SM1' });
    expect((await old.text('编号')).replies).toEqual([fill(texts.smsCode, { code: '4821', window: '晚上七点到九点' })]);
  });
});

describe('a person in crisis', () => {
  it('is answered before the opt-out and the hourly limit, and a callback asked for is urgent', async () => {
    const { text, store } = setup();
    await useUpReplies(store, PHONE);
    const outcome = await text('我不想活了 回电', mobile, 'SMcrisis');
    expect(outcome.replies).toEqual([crisisReply, fill(texts.smsUrgentRegistered, { code: '4821' })]);
    expect(store.calls).toContainEqual(['consumeQuota', PHONE, 'crisis-reply', CRISIS_REPLIES_PER_DAY, CRISIS_WINDOW_SECONDS, 'SMcrisis']);
    expect(callNames(store)).not.toContain('findPending');
    expect(store.requests[0]).toMatchObject({ urgent: true, window: texts.urgentWindow, topic: 'crisis', channel: 'sms', numberSource: 'sms-sender', due: { from: NOW.toISOString(), until: '2026-12-03T03:00:00.000Z' } });
  });

  it('gets the crisis lines alone when no callback is asked for or waiting, and an urgent one when one waits', async () => {
    const { text, store } = setup();
    expect((await text('我不想活了')).replies).toEqual([crisisReply]);
    expect(store.requests).toEqual([]);
    await store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: 'SMwaiting' });
    expect((await text('我不想活了')).replies).toEqual([crisisReply, fill(texts.smsUrgentRegistered, { code: '4821' })]);
    expect(store.requests[0]!.urgent).toBe(true);
  });

  it('is answered once a day when opted out, and at most ten times a day otherwise', async () => {
    const { text, store } = setup();
    store.optedOut.add(PHONE);
    expect((await text('想死')).replies).toEqual([crisisReply]);
    expect(store.calls).toContainEqual(['consumeQuota', PHONE, 'crisis-reply', CRISIS_REPLIES_PER_DAY_OPTED_OUT, CRISIS_WINDOW_SECONDS, 'SM1']);
    expect((await text('想死')).replies).toEqual([]);
    expect(store.optedOut.has(PHONE)).toBe(true);
    const { text: often } = setup();
    for (let i = 0; i < CRISIS_REPLIES_PER_DAY; i++) expect((await often('想死')).replies).toEqual([crisisReply]);
    expect((await often('想死')).replies).toEqual([]);
  });

  it('from a sender that is not a mobile gets the crisis lines, with no request', async () => {
    const { text, store } = setup();
    expect((await text('想死 回电', { kind: 'other', id: 'x' })).replies).toEqual([crisisReply]);
    expect(store.requests).toEqual([]);
  });

  it('makes a later 回电 urgent, without a time to choose or a daily limit', async () => {
    const { text, store } = setup({ smsRepliesPerHour: 20, callbacksPerDay: 0 });
    await text('想死');
    const outcome = await text('回电 晚上', mobile, 'SMafter');
    expect(outcome.replies).toEqual([fill(texts.smsUrgentRegistered, { code: '4821' })]);
    expect(store.requests[0]).toMatchObject({ urgent: true, window: texts.urgentWindow, topic: 'crisis', history: [expect.objectContaining({ detail: 'SMafter' })] });
    expect((await text('回电')).replies).toEqual([texts.smsAlreadyWaiting + texts.voiceUrgentWaiting]);
  });

  it('keeps the words of a question that asked for the urgent callback', async () => {
    const { text, store } = setup();
    await text('想死');
    await text('可以找个真人打电话给我吗');
    expect(store.requests[0]).toMatchObject({ urgent: true, question: '可以找个真人打电话给我吗' });
  });
});
