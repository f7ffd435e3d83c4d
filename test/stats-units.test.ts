/**
 * What one answer counts, name by name, from replies and intents built here (the handlers' tests
 * count real calls and texts; these pin each rule): voice and SMS counters, the callback funnel,
 * the counter vocabulary and the CallSid check.
 */
import { describe, expect, it } from 'vitest';
import type { CallbackRequest, RequestCallbackResult } from '../lambdas/callbacks/store';
import { positionOf, smsCounters, voiceCounters, type VoiceAnswer } from '../lambdas/stats/answers';
import { outcomeCounters, requestCounters } from '../lambdas/stats/funnel';
import { statsRange } from '../lambdas/stats/report';
import { CALL_SID } from '../lambdas/stats/store';
import { COUNTER, isCounterName, isPositionId, waitBucket } from '../lambdas/stats/vocabulary';
import type { SmsIntent } from '../lambdas/sms/router';
import type { Position, VoiceReply, VoiceTarget } from '../lambdas/voice/reply';

const prompts = { threatHeard: '（威胁的提示）', notUnderstood: '（没听懂的提示）' };
const menu = (at: Position): VoiceTarget => ({ route: 'voiceMenu', at });
const gather = (action: VoiceTarget, say = ['…']): VoiceReply => ({ kind: 'gather', say, action, onSilence: 'hangup', speech: true, hints: [] });
const onMenu = (from: Position | undefined, reply: VoiceReply, said?: string): VoiceAnswer => ({ route: 'voiceMenu', from, reply, prompts, ...(said ? { said } : {}) });
const callbackStart: VoiceTarget = { route: 'voiceCallback', state: { step: 'window', topics: [], keyedIn: false, tries: 0, silence: 0, silent: false } };

describe('where a reply leaves the caller', () => {
  it('names the menu position, the callback step, or goodbye', () => {
    expect(positionOf(gather(menu({ kind: 'main' })))).toBe('main');
    expect(positionOf(gather(menu({ kind: 'group', group: 'report' })))).toBe('group.report');
    expect(positionOf({ kind: 'redirect', say: [], to: menu({ kind: 'topic', topic: 'evidence' }) })).toBe('topic.evidence');
    expect(positionOf(gather(menu({ kind: 'ask', choices: ['evidence', 'lawsuit'] })))).toBe('ask');
    expect(positionOf(gather(callbackStart))).toBe('callback.window');
    expect(positionOf({ kind: 'hangup', say: [] })).toBe('goodbye');
  });
});

describe('voice counters', () => {
  it('counts the call on the incoming route only, and nothing on the callback route (the store counts the request)', () => {
    expect(voiceCounters({ route: 'voiceIncoming', reply: gather(menu({ kind: 'main' })), prompts })).toEqual([COUNTER.contact('voice')]);
    expect(voiceCounters({ route: 'voiceCallback', from: { kind: 'main' }, reply: gather(menu({ kind: 'topic', topic: 'evidence' })), said: '证据', prompts })).toEqual([]);
  });

  it('counts a topic or sub-menu reached anew, not the same one again', () => {
    const evidence: Position = { kind: 'topic', topic: 'evidence' };
    const report: Position = { kind: 'group', group: 'report' };
    expect(voiceCounters(onMenu({ kind: 'main' }, gather(menu(evidence))))).toEqual(['voice.topic.evidence']);
    expect(voiceCounters(onMenu(undefined, gather(menu(evidence))))).toEqual(['voice.topic.evidence']);
    expect(voiceCounters(onMenu(evidence, gather(menu(evidence))))).toEqual([]);
    expect(voiceCounters(onMenu({ kind: 'topic', topic: 'lawsuit' }, gather(menu(evidence))))).toEqual(['voice.topic.evidence']);
    expect(voiceCounters(onMenu({ kind: 'main' }, gather(menu(report))))).toEqual(['voice.group.report']);
    expect(voiceCounters(onMenu(report, gather(menu(report))))).toEqual([]);
    expect(voiceCounters(onMenu({ kind: 'group', group: 'contacts' }, gather(menu(report))))).toEqual(['voice.group.report']);
    expect(voiceCounters(onMenu(report, gather(menu({ kind: 'main' }))))).toEqual([]);
    expect(voiceCounters(onMenu(evidence, gather(callbackStart)))).toEqual(['voice.topic.callback']);
    expect(voiceCounters(onMenu({ kind: 'main' }, gather(menu({ kind: 'topic', topic: 'crisis' }))))).toEqual(['voice.topic.crisis', 'crisis.voice']);
  });

  it('says how spoken words were taken: matched, asked back, not understood, crisis or threat; a key in words is not counted', () => {
    const main: Position = { kind: 'main' };
    const heard = (reply: VoiceReply, from: Position = main) => voiceCounters(onMenu(from, reply, '他们天天打我家人电话')).filter((name) => name.startsWith('voice.heard.'));
    expect(heard(gather(menu({ kind: 'topic', topic: 'evidence', heard: true })))).toEqual(['voice.heard.match']);
    expect(heard(gather(callbackStart))).toEqual(['voice.heard.match']);
    expect(heard(gather(menu({ kind: 'ask', choices: ['evidence', 'lawsuit'] })))).toEqual(['voice.heard.ask']);
    expect(heard(gather(menu(main), [prompts.notUnderstood, '…']))).toEqual(['voice.heard.nomatch']);
    expect(heard(gather(menu({ kind: 'topic', topic: 'evidence', heard: true }), [prompts.notUnderstood]))).toEqual(['voice.heard.nomatch']);
    expect(heard(gather(menu({ kind: 'group', group: 'report' })))).toEqual(['voice.heard.nomatch']);
    expect(heard({ kind: 'hangup', say: [] })).toEqual(['voice.heard.nomatch']);
    expect(heard(gather(menu({ kind: 'topic', topic: 'crisis' })))).toEqual(['voice.heard.crisis']);
    expect(heard(gather(menu({ kind: 'topic', topic: 'crisis', heard: true })))).toEqual(['voice.heard.match']);
    expect(heard(gather(menu({ kind: 'topic', topic: 'evidence' })))).toEqual(['voice.heard.match']);
    expect(heard(gather(menu({ kind: 'topic', topic: 'report-police', heard: true }), [prompts.threatHeard, '…']))).toEqual(['voice.heard.threat']);
    // "第一个" while asked back, "不是这个" on a topic reached by words: keys, not questions.
    const ask: Position = { kind: 'ask', choices: ['evidence', 'lawsuit'] };
    expect(voiceCounters(onMenu(ask, gather(menu({ kind: 'topic', topic: 'evidence', heard: true })), '第一个'))).toEqual(['voice.topic.evidence']);
    expect(voiceCounters(onMenu({ kind: 'topic', topic: 'evidence', heard: true }, gather(menu(main)), '不是这个'))).toEqual([]);
  });
});

describe('SMS counters', () => {
  const count = (intent: SmsIntent, events: Parameters<typeof smsCounters>[1] = [], replies = 1) => smsCounters(intent, events, replies);

  it('counts the text, its intent, and the topic, sub-menu or understanding it led to', () => {
    expect(count({ kind: 'crisis', callback: false })).toEqual(['contact.sms', 'sms.intent.crisis', 'crisis.sms']);
    expect(count({ kind: 'topic', topic: 'evidence' })).toEqual(['contact.sms', 'sms.intent.topic', 'sms.topic.evidence']);
    expect(count({ kind: 'topic', topic: 'evidence', asked: '怎么留证据' })).toEqual(['contact.sms', 'sms.intent.topic', 'sms.topic.evidence', 'sms.heard.match']);
    expect(count({ kind: 'topic', topic: 'report-police', threat: true, asked: '说要上门' })).toEqual(['contact.sms', 'sms.intent.topic', 'sms.topic.report-police', 'sms.heard.threat']);
    expect(count({ kind: 'group', group: 'report' })).toEqual(['contact.sms', 'sms.intent.group', 'sms.group.report']);
    expect(count({ kind: 'ask', choices: ['evidence', 'lawsuit'], asked: '…' })).toEqual(['contact.sms', 'sms.intent.ask', 'sms.heard.ask']);
    expect(count({ kind: 'menu', notice: 'notUnderstood', asked: '…' })).toEqual(['contact.sms', 'sms.intent.menu', 'sms.heard.nomatch']);
    expect(count({ kind: 'menu', notice: 'unknownNumber' })).toEqual(['contact.sms', 'sms.intent.menu']);
    expect(count({ kind: 'menu' })).toEqual(['contact.sms', 'sms.intent.menu']);
    expect(count({ kind: 'callback' })).toEqual(['contact.sms', 'sms.intent.callback', 'sms.topic.callback']);
    expect(count({ kind: 'callback', asked: '能打电话给我吗' })).toEqual(['contact.sms', 'sms.intent.callback', 'sms.topic.callback', 'sms.heard.match']);
    expect(count({ kind: 'code' })).toEqual(['contact.sms', 'sms.intent.code']);
    expect(count({ kind: 'optOut' })).toEqual(['contact.sms', 'sms.intent.opt-out']);
    expect(count({ kind: 'optIn' })).toEqual(['contact.sms', 'sms.intent.opt-in']);
  });

  it('counts a text over the daily reply limit, and one left without any reply', () => {
    expect(count({ kind: 'menu' }, ['reply-limit'], 1)).toEqual(['contact.sms', 'sms.intent.menu', 'sms.limited']);
    expect(count({ kind: 'optOut' }, [], 0)).toEqual(['contact.sms', 'sms.intent.opt-out', 'sms.unanswered']);
    expect(count({ kind: 'menu' }, ['context-not-kept'], 2)).toEqual(['contact.sms', 'sms.intent.menu']);
  });
});

describe('the callback funnel', () => {
  const request = (over: Partial<CallbackRequest> = {}) =>
    ({ channel: 'sms', urgent: false, status: 'open', attempts: 0, createdAt: '2026-12-04T01:00:00.000Z', updatedAt: '2026-12-04T01:10:00.000Z', ...over }) as CallbackRequest;
  const result = (over: Partial<RequestCallbackResult>, req = request()): RequestCallbackResult => ({ request: req, created: true, replayed: false, ...over });

  it('counts a new request by channel and urgency, a repeat ask, and nothing for a replayed sid', () => {
    expect(requestCounters(result({}))).toEqual(['cb.requested.sms']);
    expect(requestCounters(result({}, request({ channel: 'voice', urgent: true })))).toEqual(['cb.requested.voice', 'cb.requested.urgent']);
    expect(requestCounters(result({ created: false }))).toEqual(['cb.repeat']);
    expect(requestCounters(result({ replayed: true }))).toEqual([]);
    expect(requestCounters(result({ created: false, replayed: true }))).toEqual([]);
  });

  it('counts the outcome, the move to 未接通, and the first attempt in its wait bucket', () => {
    expect(outcomeCounters(request({ status: 'done' }), 'reached')).toEqual(['cb.outcome.reached', 'cb.first.normal.le15m']);
    expect(outcomeCounters(request({ attempts: 1, urgent: true }), 'no-answer')).toEqual(['cb.outcome.no-answer', 'cb.first.urgent.le15m']);
    expect(outcomeCounters(request({ attempts: 3, status: 'unreached' }), 'no-answer')).toEqual(['cb.outcome.no-answer', 'cb.unreached']);
    expect(outcomeCounters(request({ attempts: 2, status: 'done' }), 'reached')).toEqual(['cb.outcome.reached']);
  });
});

describe('the counter vocabulary', () => {
  it('accepts every name the builders make', () => {
    const names = [
      COUNTER.contact('voice'), COUNTER.crisis('sms'), COUNTER.topic('voice', 'evidence'), COUNTER.group('sms', 'report'), COUNTER.heard('voice', 'threat'),
      COUNTER.smsIntent('opt-out'), COUNTER.smsLimited, COUNTER.smsUnanswered, COUNTER.end('main'), COUNTER.end('callback.done'), COUNTER.end('group.a-b'),
      COUNTER.requested('sms'), COUNTER.requested('urgent'), COUNTER.repeat, COUNTER.firstAttempt('urgent', 'gt24h'), COUNTER.outcome('declined'), COUNTER.unreached,
    ];
    expect(names.filter((name) => !isCounterName(name))).toEqual([]);
  });

  it('refuses anything else: other words, extra parts, capitals and marks, a non-string', () => {
    const refused = [
      'contact.fax', 'contact.voice.x', 'crisis', 'voice.topic.nope', 'voice.topic', 'voice.group.Report', 'voice.group.report!', 'voice.group.9a',
      `voice.group.${'a'.repeat(25)}`, 'voice.heard.maybe', 'voice.heard', 'voice.intent.menu', 'voice.limited', 'sms.limited.x', 'sms.unanswered.x', 'sms.other',
      'sms.topic.evidence.x', 'xx.requested.sms', 'cb.requested.fax', 'cb.requested.sms.x', 'cb.first.normal', 'cb.first.normal.le15m.x', 'cb.first.soon.le15m',
      'cb.outcome.maybe', 'cb.outcome.reached.x', 'cb.repeat.x', 'cb.unreached.x', 'cb.other', 'end.nowhere', 'end.', 'a.b.c.d.e', '',
    ];
    expect(refused.filter((name) => isCounterName(name))).toEqual([]);
    expect(isCounterName(undefined as unknown as string)).toBe(false);
  });

  it('knows the call positions', () => {
    for (const id of ['main', 'ask', 'goodbye', 'group.report', 'topic.crisis', 'callback.start']) expect(isPositionId(id), id).toBe(true);
    for (const id of ['mainx', 'group', 'topic.nope', 'callback.later', 'menu.main', 'group.R']) expect(isPositionId(id), id).toBe(false);
  });

  it('puts a wait in the first bucket that holds it, and a day or more in the open one', () => {
    expect([0, 15, 15.5, 30, 60, 61, 1440, 1441, 100_000].map(waitBucket)).toEqual(['le15m', 'le15m', 'le30m', 'le30m', 'le1h', 'le2h', 'le24h', 'gt24h', 'gt24h']);
  });

  it('follows only a whole CallSid', () => {
    const sid = `CA${'0123456789abcdef'.repeat(2)}`;
    expect(CALL_SID.test(sid)).toBe(true);
    for (const other of [`x${sid}`, `${sid}0`, sid.toUpperCase(), `SM${sid.slice(2)}`]) expect(CALL_SID.test(other), other).toBe(false);
  });
});

describe('the range of days staff ask for', () => {
  const range = (query: string) => statsRange(new URLSearchParams(query), '2026-12-04');
  it('says which date is wrong and why', () => {
    expect(range('')).toEqual({ ok: true, from: '2026-11-05', to: '2026-12-04' });
    expect(range('to=2026-02-30')).toEqual({ ok: false, issues: [{ path: 'to', message: 'not a real date' }] });
    expect(range('from=2026-02-30&to=2026-03-01')).toEqual({ ok: false, issues: [{ path: 'from', message: 'not a real date' }] });
    expect(range('from=2026-03-02&to=2026-03-01')).toEqual({ ok: false, issues: [{ path: 'to', message: '`to` is before `from`' }] });
    expect(range('from=2025-01-01&to=2026-03-01')).toEqual({ ok: false, issues: [{ path: 'to', message: 'at most 400 days at a time' }] });
  });
});
