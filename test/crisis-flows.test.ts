import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../dev/local-server';
import { postSignedForm } from '../dev/phone-lib';
import { fill } from '../lambdas/content/content';
import { parseTwiml, spoken, content, type Verb } from './support/twilio';

// A person in crisis, by SMS and by voice, against the local hotline (real HTTP, Twilio signatures, dynalite).
const texts = content.prompts.callback;
const crisisSms = content.topics.get('crisis')!.sms + content.prompts.sms.footer;
let hotline: LocalHotline;
let seq = 0;

beforeAll(async () => {
  hotline = await startLocalHotline({ port: 0, authToken: 'crisis-token', settings: { callbacksPerDay: 3, smsRepliesPerHour: 2 } });
});
afterAll(async () => {
  await hotline?.close();
});

async function post(path: string, params: Record<string, string>): Promise<Verb[]> {
  const response = await postSignedForm(hotline.url, path, params, hotline.authToken);
  expect(response.status).toBe(200);
  return parseTwiml(await response.text());
}

async function sms(from: string, body: string, sid = `SMcrisis${++seq}`): Promise<string[]> {
  const verbs = await post('/twilio/sms', { MessageSid: sid, From: from, Body: body });
  return verbs.map((v) => v.text);
}

async function pendingFor(phone: string) {
  return hotline.store.findPending(phone);
}

describe('SMS: a person in crisis', () => {
  it('gets the crisis reply and, when they ask for a callback in the same text, an urgent request with its code', async () => {
    const from = '+8613700000001';
    const replies = await sms(from, '想死 回电', 'SMcrisis-mixed');
    const request = await pendingFor(from);
    expect(request).toMatchObject({ urgent: true, window: texts.urgentWindow, topic: 'crisis', channel: 'sms' });
    expect(replies).toEqual([crisisSms, fill(texts.smsUrgentRegistered, { code: request!.code })]);
    // Twilio retries the same message: the same two replies, still one request.
    expect(await sms(from, '想死 回电', 'SMcrisis-mixed')).toEqual(replies);
    expect((await hotline.store.listByStatus('open', { limit: 100 })).items.filter((r) => r.phone === from)).toHaveLength(1);
  });

  it('makes a later 回电 urgent, without a window to choose', async () => {
    const from = '+8613700000002';
    expect(await sms(from, '我真的撑不下去了')).toEqual([crisisSms]);
    expect(await pendingFor(from)).toBeUndefined();
    const [reply] = await sms(from, '回电');
    const request = await pendingFor(from);
    expect(request).toMatchObject({ urgent: true, window: texts.urgentWindow });
    expect(reply).toBe(fill(texts.smsUrgentRegistered, { code: request!.code }));
  });

  it('upgrades a waiting request to urgent when the crisis comes during the callback flow', async () => {
    const from = '+8613700000003';
    await sms(from, '回电');
    const before = await pendingFor(from);
    expect(before?.urgent).toBe(false);
    const replies = await sms(from, '我不想活了');
    const after = await pendingFor(from);
    expect(after).toMatchObject({ id: before!.id, code: before!.code, urgent: true });
    expect(replies).toEqual([crisisSms, fill(texts.smsUrgentRegistered, { code: before!.code })]);
  });

  it('answers even past the hourly SMS reply limit', async () => {
    const from = '+8613700000004';
    await sms(from, '1');
    await sms(from, '2');
    expect(await sms(from, '3')).toEqual([]);
    expect(await sms(from, '活着没意思')).toEqual([crisisSms]);
  });

  it('answers an opted-out number once a day, and the opt-out stands', async () => {
    const from = '+8613700000005';
    await sms(from, '退订');
    expect(await sms(from, '想自殺')).toEqual([crisisSms]);
    expect(await sms(from, '想死')).toEqual([]);
    expect(await sms(from, '菜单')).toEqual([]);
    expect(await hotline.store.isOptedOut(from)).toBe(true);
  });

  it('answers a crisis in pinyin and one buried in a long text', async () => {
    expect(await sms('+8613700000006', 'wo zhen de bu xiang huo le')).toEqual([crisisSms]);
    const long = `${'催收天天打我电话，通讯录里的人都被打了。'.repeat(30)}我想了结自己。${'怎么投诉？'.repeat(10)}`;
    expect(await sms('+8613700000007', long)).toEqual([crisisSms]);
  });
});

describe('voice: a person in crisis', () => {
  it('hears the crisis lines, presses 9, skips the window, confirms the number and gets an urgent request', async () => {
    const from = '+8613700000010';
    const call = { CallSid: 'CAcrisis1', From: from };
    const heard = await post('/twilio/voice/menu?at=main', { ...call, SpeechResult: '我真的不想活了' });
    const crisisTurn = spoken(heard).join(' ');
    expect(crisisTurn).toContain('幺二三五六');
    expect(crisisTurn).toContain('四零零，幺六幺，九九九五');

    const toCallback = await post('/twilio/voice/menu?at=t.crisis', { ...call, Digits: '9' });
    expect(toCallback.find((v) => v.name === 'Redirect')!.text).toBe('callback?topic=crisis');
    const start = await post('/twilio/voice/callback?topic=crisis', call);
    const startSaid = spoken(start).join(' ');
    for (const window of texts.windows) expect(startSaid).not.toContain(window);
    const confirmAction = start.find((v) => v.name === 'Gather')!.attrs.action!;
    expect(Object.fromEntries(new URLSearchParams(confirmAction.split('?')[1]))).toEqual({ topic: 'crisis', step: 'confirm', n: from });

    const done = await post(`/twilio/voice/${confirmAction}`, { ...call, Digits: '1' });
    const request = await pendingFor(from);
    expect(request).toMatchObject({ urgent: true, window: texts.urgentWindow, topic: 'crisis', channel: 'voice' });
    const said = spoken(done).join(' ');
    expect(said).toContain(texts.voicePromiseUrgent.replace('120', '幺二零').replace('110', '幺幺零'));
    for (const text of [...spoken(heard), ...spoken(start), ...spoken(done)]) expect(text).not.toMatch(/\d{3,}/);
  });
});
