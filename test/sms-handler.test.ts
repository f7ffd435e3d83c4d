/**
 * The SMS responder between Twilio's form and the conversation, on a store in memory: who the sender
 * is, which sid is used, what is logged and counted, and what goes to the question inbox.
 */
import { describe, expect, it } from 'vitest';
import { decodeEvent } from '../lambdas/http/event';
import type { TwilioRequest } from '../lambdas/http/twilio-webhook';
import { createSmsResponder, senderOf, smsApology } from '../lambdas/sms/handler';
import type { SmsOutcome } from '../lambdas/sms/conversation';
import { fakeStore } from './support/fake-store';
import { content, locales, parseTwiml, twilioEvent } from './support/twilio';

const sms = content.prompts.sms;

function setup(options: { keepFails?: boolean; limits?: { smsRepliesPerHour: number; callbacksPerDay: number } } = {}) {
  const store = fakeStore();
  const kept: unknown[] = [];
  const logs: unknown[][] = [];
  const counted: SmsOutcome[] = [];
  const failures: string[] = [];
  const at = (level: string) => (...args: unknown[]) => void logs.push([level, ...args]);
  const inboxStore = Object.assign(store, {
    within: () => inboxStore,
    keepQuestion: async (input: unknown) => {
      kept.push(input);
      if (options.keepFails) throw new Error('table gone');
    },
  });
  const responder = createSmsResponder({
    locales,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    store: inboxStore as never,
    countFailure: (name) => void failures.push(name),
    counting: { sms: async (outcome) => void counted.push(outcome as SmsOutcome) },
    ...(options.limits ? { limits: options.limits } : {}),
    now: () => new Date('2026-12-03T02:00:00Z'),
  });
  const send = async (form: Record<string, string>) => {
    const request = decodeEvent(twilioEvent({ path: '/twilio/sms', params: form }));
    const twilio: TwilioRequest = { route: 'sms', request, form, signal: new AbortController().signal };
    return parseTwiml(await responder(twilio)).map((verb) => verb.text);
  };
  return { store, send, kept, logs, counted, failures };
}

describe('the SMS responder', () => {
  it('reads the sender once: a mobile, another id, or nobody', () => {
    expect(senderOf(' +8613812345678 ')).toEqual({ kind: 'mobile', e164: '+8613812345678' });
    expect(senderOf('10690')).toEqual({ kind: 'other', id: '10690' });
    expect(senderOf('  ')).toEqual({ kind: 'none' });
    expect(senderOf(undefined)).toEqual({ kind: 'none' });
  });

  it('answers, counts and logs a text, masking the number and never the words', async () => {
    const { send, logs, counted } = setup();
    expect(await send({ From: '+8613812345678', Body: '31', MessageSid: 'SM1' })).toEqual([content.topics.get('evidence')!.sms + sms.footer]);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ intent: 'topic', replies: [content.topics.get('evidence')!.sms + sms.footer] });
    expect(logs).toEqual([['info', 'sms routed', { from: '+86 138****5678', intent: 'topic', length: 2, replies: 1 }]]);
  });

  it('takes the MessageSid, else the SmsSid, as the message\'s sid, and an empty body as the menu', async () => {
    const first = setup();
    await first.send({ From: '+8613812345678', Body: '退订', MessageSid: 'SMmessage', SmsSid: 'SMsms' });
    expect(first.store.calls).toContainEqual(['setOptOut', '+8613812345678', true, 'SMmessage']);
    const second = setup();
    await second.send({ From: '+8613812345678', Body: '退订', SmsSid: 'SMsms' });
    expect(second.store.calls).toContainEqual(['setOptOut', '+8613812345678', true, 'SMsms']);
    const none = setup();
    await none.send({ From: '+8613812345678', Body: '退订' });
    expect(none.store.calls).toContainEqual(['setOptOut', '+8613812345678', true, undefined]);
    expect(await setup().send({ From: '+8613812345678' })).toEqual([sms.menu]);
  });

  it('logs what happened: the reply limit as a warning, an unconfirmed callback as an error and a failure', async () => {
    const limited = setup({ limits: { smsRepliesPerHour: 0, callbacksPerDay: 3 } });
    expect(await limited.send({ From: '+8613812345678', Body: '31', MessageSid: 'SM1' })).toEqual([]);
    expect(limited.logs).toContainEqual(['warn', 'sms reply limit reached', { from: '+86 138****5678' }]);
    const failing = setup();
    failing.store.failing.add('requestCallback');
    expect(await failing.send({ From: '+8613812345678', Body: '回电', MessageSid: 'SM2' })).toEqual([content.prompts.callback.smsUnconfirmed]);
    expect(failing.logs).toContainEqual(['error', 'sms callback not confirmed', { from: '+86 138****5678' }]);
    expect(failing.failures).toEqual(['StoreFailure']);
    const threat = setup();
    await threat.send({ From: '+8613812345678', Body: '他们威胁我', MessageSid: 'SM3' });
    expect(threat.logs).toContainEqual(['info', 'sms threat-answered', { from: '+86 138****5678' }]);
    expect(threat.failures).toEqual([]);
  });

  it('keeps a question it was not sure of in the inbox with its sid, and logs when it could not', async () => {
    const ok = setup();
    expect(await ok.send({ From: '+8613812345678', Body: '明天会下雨吗', MessageSid: 'SM9' })).toEqual([sms.menu]);
    expect(ok.kept).toEqual([{ text: '明天会下雨吗', guess: { kind: 'none', topics: [] }, channel: 'sms', sourceSid: 'SM9' }]);
    expect(ok.logs.filter(([level]) => level === 'warn')).toEqual([]);
    const noSid = setup();
    await noSid.send({ From: '+8613812345678', Body: '明天会下雨吗' });
    expect(noSid.kept).toEqual([{ text: '明天会下雨吗', guess: { kind: 'none', topics: [] }, channel: 'sms' }]);
    const failing = setup({ keepFails: true });
    expect(await failing.send({ From: '+8613812345678', Body: '明天会下雨吗', MessageSid: 'SM9' })).toEqual([sms.menu]);
    expect(failing.logs).toContainEqual(['warn', 'question not kept for the inbox', { from: '+86 138****5678' }]);
    const sure = setup();
    await sure.send({ From: '+8613812345678', Body: '31', MessageSid: 'SM9' });
    expect(sure.kept).toEqual([]);
  });

  it('apologises in one message', () => {
    expect(parseTwiml(smsApology(content)).map((verb) => verb.text)).toEqual([sms.systemError]);
  });
});
