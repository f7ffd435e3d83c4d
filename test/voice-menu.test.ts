/**
 * The voice menu as pure rules (`VoiceMenu`), with an understanding that answers what each test says:
 * keys, speech and its confidence, "不是这个", silence, and what goes to the question inbox. The menu
 * as Twilio meets it, with the shipped classifier, is in voice.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { InboxGuess } from '../lambdas/callbacks/inbox';
import { fill, topic } from '../lambdas/content/content';
import type { TopicId } from '../lambdas/content/topic-ids';
import type { Understand, Understanding } from '../lambdas/understanding/understand';
import { START } from '../lambdas/voice/callback-state';
import { LOW_CONFIDENCE, MAX_SILENT_PROMPTS, NOT_THIS_KEY, VoiceMenu, type MenuInput } from '../lambdas/voice/menu';
import { decodePosition, encodePosition, type Position, type VoiceReply } from '../lambdas/voice/reply';
import { spokenKey } from '../lambdas/voice/spoken-keys';
import { isTopicId } from '../lambdas/content/topic-ids';
import { content } from './support/twilio';

const voice = content.prompts.voice;
const MAIN: Position = { kind: 'main' };
const label = (id: TopicId) => topic(content, id).menuLabel;

/** A menu whose understanding gives `understood` for any words, recording what it was unsure of. */
function menuHearing(understood: Partial<Understanding> = {}) {
  const unsure: InboxGuess[] = [];
  const heard: string[] = [];
  const understand: Understand = (text) => {
    heard.push(text);
    return { topic: null, reason: 'unmatched', score: 0, candidates: [], top: null, ...understood };
  };
  return { menu: new VoiceMenu(content, understand, (guess) => unsure.push(guess)), unsure, heard };
}
const respond = (menu: VoiceMenu, input: Partial<MenuInput>) => menu.respond({ at: MAIN, silence: 0, ...input });
const gather = (reply: VoiceReply) => {
  if (reply.kind !== 'gather') throw new Error(`expected a gather, got ${reply.kind}`);
  return reply;
};
const mainItems = [
  fill(voice.item, { label: label('already-exposed'), key: '1' }),
  fill(voice.item, { label: label('for-contacts'), key: '2' }),
  fill(voice.item, { label: content.menu.groups.report!.label, key: '3' }),
  fill(voice.item, { label: label('crisis'), key: '4' }),
  fill(voice.item, { label: label('negotiate'), key: '5' }),
  fill(voice.item, { label: content.menu.groups.law!.label, key: '6' }),
  fill(voice.item, { label: content.menu.groups.prevent!.label, key: '7' }),
  voice.callbackItem,
];

describe('presenting a position', () => {
  it('greets, reads the main menu items and says that speech works too, in a speech-and-keys gather', () => {
    const { menu } = menuHearing();
    const reply = gather(menu.answer());
    expect(reply.say).toEqual([voice.greeting, ...mainItems, voice.menuIntro]);
    expect(reply).toMatchObject({ numDigits: 1, speech: true, hints: voice.speechHints });
    expect(reply.action).toEqual({ route: 'voiceMenu', at: MAIN, silence: 1 });
    expect(reply.onSilence).toEqual(reply.action);
  });

  it('reads a group with its label, its items, the callback key and the navigation keys', () => {
    const { menu } = menuHearing();
    const reply = gather(respond(menu, { digits: '3' }));
    expect(reply.say).toEqual([
      fill(voice.groupIntro, { label: content.menu.groups.report!.label }),
      ...content.menu.groups.report!.items.map((item) => fill(voice.item, { label: label(item.topic), key: item.key })),
      voice.callbackItem,
      voice.navigation,
    ]);
    expect(reply.action).toEqual({ route: 'voiceMenu', at: { kind: 'group', group: 'report' }, silence: 1 });
  });

  it('plays a topic with its keys, and after a spoken answer offers 8 for "不是这个"', () => {
    const { menu } = menuHearing();
    expect(gather(respond(menu, { digits: '31' })).say).toEqual([topic(content, 'evidence').speech, voice.afterTopic]);
    expect(gather(respond(menu, { at: { kind: 'topic', topic: 'evidence', heard: true }, digits: '*' })).say).toEqual([
      topic(content, 'evidence').speech,
      fill(voice.afterHeardTopic, { key: NOT_THIS_KEY }),
    ]);
  });

  it('presents a position again on a plain redirect (no count), and an unknown group as nothing to choose', () => {
    const { menu } = menuHearing();
    expect(gather(respond(menu, { at: { kind: 'group', group: 'law' }, silence: 0 })).say[0]).toBe(fill(voice.groupIntro, { label: content.menu.groups.law!.label }));
    expect(gather(respond(menu, { at: { kind: 'group', group: 'nope' }, silence: 0 })).say).toEqual([fill(voice.groupIntro, { label: '' }), voice.callbackItem, voice.navigation]);
  });
});

describe('keys', () => {
  it('walks typed-ahead keys one at a time and stops at a key that leads somewhere', () => {
    const { menu } = menuHearing();
    expect(gather(respond(menu, { digits: '62' })).action).toEqual({ route: 'voiceMenu', at: { kind: 'topic', topic: 'illegal-loans' }, silence: 1 });
    expect(respond(menu, { digits: '39' })).toEqual({ kind: 'redirect', say: [], to: { route: 'voiceCallback', state: { ...START, topics: [] } } });
    expect(gather(respond(menu, { digits: '30' })).action).toMatchObject({ at: MAIN });
    expect(gather(respond(menu, { digits: ' 5 ' })).action).toMatchObject({ at: { kind: 'topic', topic: 'negotiate' } });
  });

  it('repeats on *, goes home on 0, asks for a callback on 9 carrying the topic', () => {
    const { menu } = menuHearing();
    const at: Position = { kind: 'topic', topic: 'negotiate' };
    expect(gather(respond(menu, { at, digits: '*' })).action).toMatchObject({ at });
    expect(gather(respond(menu, { at, digits: '0' })).action).toMatchObject({ at: MAIN });
    expect(respond(menu, { at, digits: '9' })).toEqual({ kind: 'redirect', say: [], to: { route: 'voiceCallback', state: { ...START, topics: ['negotiate'] } } });
    expect(respond(menu, { digits: '9' })).toMatchObject({ to: { state: { topics: [] } } });
  });

  it('says a key is not in the menu and reads only the keys again after a topic', () => {
    const { menu } = menuHearing();
    expect(gather(respond(menu, { digits: '8' })).say).toEqual([voice.unknownKey, ...mainItems, voice.menuIntro]);
    expect(gather(respond(menu, { at: { kind: 'topic', topic: 'negotiate' }, digits: '8' })).say).toEqual([voice.unknownKey, voice.afterTopic]);
    expect(gather(respond(menu, { at: { kind: 'group', group: 'report' }, digits: '5' })).say[0]).toBe(voice.unknownKey);
  });

  it('takes 1 and 2 at an ask-back as its choices, the callback choice as 9, and 8 only after a spoken answer', () => {
    const { menu } = menuHearing();
    const ask: Position = { kind: 'ask', choices: ['negotiate', 'lawsuit'] };
    expect(gather(respond(menu, { at: ask, digits: '1' })).action).toMatchObject({ at: { kind: 'topic', topic: 'negotiate', heard: true } });
    expect(gather(respond(menu, { at: ask, digits: '2' })).action).toMatchObject({ at: { kind: 'topic', topic: 'lawsuit', heard: true } });
    expect(gather(respond(menu, { at: ask, digits: '3' })).say[0]).toBe(voice.unknownKey);
    const withCallback: Position = { kind: 'ask', choices: ['callback', 'negotiate'] };
    expect(respond(menu, { at: withCallback, digits: '1' })).toEqual({ kind: 'redirect', say: [], to: { route: 'voiceCallback', state: { ...START, topics: ['negotiate'] } } });
    const heard = gather(respond(menu, { at: { kind: 'topic', topic: 'negotiate', heard: true }, digits: NOT_THIS_KEY }));
    expect(heard.say).toEqual([voice.notThis, ...mainItems, voice.menuIntro]);
    expect(heard.action).toEqual({ route: 'voiceMenu', at: MAIN, silence: 1, rejected: 'negotiate' });
    expect(gather(respond(menu, { at: { kind: 'topic', topic: 'negotiate' }, digits: NOT_THIS_KEY })).say[0]).toBe(voice.unknownKey);
  });
});

describe('silence', () => {
  it('says it heard nothing and reads the prompt again, twice, then says goodbye', () => {
    const { menu } = menuHearing();
    const first = gather(respond(menu, { silence: 1 }));
    expect(first.say).toEqual([voice.notHeard, ...mainItems, voice.menuIntro]);
    expect(first.action).toEqual({ route: 'voiceMenu', at: MAIN, silence: 2 });
    expect(gather(respond(menu, { silence: MAX_SILENT_PROMPTS })).say[0]).toBe(voice.notHeard);
    expect(respond(menu, { silence: MAX_SILENT_PROMPTS + 1 })).toEqual({ kind: 'hangup', say: [voice.goodbye] });
  });

  it('takes blank keys and blank speech as silence, never to the classifier', () => {
    const { menu, heard } = menuHearing();
    expect(gather(respond(menu, { silence: 1, digits: ' ', speech: '  ' })).say[0]).toBe(voice.notHeard);
    expect(heard).toEqual([]);
  });
});

describe('speech', () => {
  it('answers a topic heard confidently, saying what it heard and how to say it was not that', () => {
    const { menu, unsure, heard } = menuHearing({ topic: 'negotiate', reason: 'matched', score: 0.9, candidates: ['negotiate'], top: 'negotiate' });
    const reply = gather(respond(menu, { speech: ' 能不能协商 ', confidence: 0.9 }));
    expect(heard).toEqual(['能不能协商']);
    expect(reply.say).toEqual([fill(voice.heard, { label: label('negotiate'), key: NOT_THIS_KEY }), topic(content, 'negotiate').speech, fill(voice.afterHeardTopic, { key: NOT_THIS_KEY })]);
    expect(reply.action).toMatchObject({ at: { kind: 'topic', topic: 'negotiate', heard: true } });
    expect(unsure).toEqual([]);
  });

  it('prefers keys to words that came with them', () => {
    const { menu, heard } = menuHearing({ topic: 'negotiate', reason: 'matched' });
    expect(gather(respond(menu, { digits: '1', speech: '协商' })).action).toMatchObject({ at: { kind: 'topic', topic: 'already-exposed' } });
    expect(heard).toEqual([]);
  });

  it('asks back at a low confidence (but not at 0, which means none was sent), and tells the inbox', () => {
    const understood = { topic: 'negotiate' as TopicId, reason: 'matched' as const, candidates: ['negotiate', 'lawsuit', 'evidence'] as TopicId[], top: 'negotiate' as TopicId };
    const low = menuHearing(understood);
    const reply = gather(respond(low.menu, { speech: '协商', confidence: LOW_CONFIDENCE - 0.01 }));
    expect(reply.say).toEqual([voice.unsure, fill(voice.askBack, { first: label('negotiate'), second: label('lawsuit') })]);
    expect(reply.action).toMatchObject({ at: { kind: 'ask', choices: ['negotiate', 'lawsuit'] } });
    expect(low.unsure).toEqual([{ kind: 'ask', topics: ['negotiate', 'lawsuit'] }]);
    for (const confidence of [LOW_CONFIDENCE, 0, undefined]) {
      const sure = menuHearing(understood);
      expect(gather(respond(sure.menu, { speech: '协商', confidence })).action, String(confidence)).toMatchObject({ at: { kind: 'topic', topic: 'negotiate', heard: true } });
      expect(sure.unsure).toEqual([]);
    }
  });

  it('asks back between the two choices the classifier gives, without "没听准"', () => {
    const { menu, unsure } = menuHearing({ reason: 'ask', choices: ['lawsuit', 'illegal-loans'], candidates: ['lawsuit', 'illegal-loans', 'negotiate'], top: 'lawsuit' });
    expect(gather(respond(menu, { speech: '会被起诉吗' })).say).toEqual([fill(voice.askBack, { first: label('lawsuit'), second: label('illegal-loans') })]);
    expect(unsure).toEqual([{ kind: 'ask', topics: ['lawsuit', 'illegal-loans'] }]);
  });

  it('says it did not understand, telling the inbox what came closest, or nothing', () => {
    const leaning = menuHearing({ top: 'legality' });
    expect(gather(respond(leaning.menu, { speech: '今天天气' })).say).toEqual([voice.notUnderstood, ...mainItems, voice.menuIntro]);
    expect(leaning.unsure).toEqual([{ kind: 'topic', topics: ['legality'] }]);
    const nothing = menuHearing();
    respond(nothing.menu, { speech: '今天天气' });
    expect(nothing.unsure).toEqual([{ kind: 'none', topics: [] }]);
  });

  it('answers a crisis and a threat whatever the confidence; 8 stays open after a threat only', () => {
    const crisis = menuHearing({ topic: 'crisis', reason: 'crisis', candidates: ['crisis'], top: 'crisis' });
    const heardCrisis = gather(respond(crisis.menu, { speech: '不想活了', confidence: 0.1 }));
    expect(heardCrisis.say).toEqual([voice.crisisHeard, topic(content, 'crisis').speech, voice.afterTopic]);
    expect(heardCrisis.action).toMatchObject({ at: { kind: 'topic', topic: 'crisis' } });
    const threat = menuHearing({ topic: 'report-police', reason: 'threat', candidates: ['report-police'], top: 'report-police' });
    const heardThreat = gather(respond(threat.menu, { speech: '要上门砍我', confidence: 0.1 }));
    expect(heardThreat.say).toEqual([voice.threatHeard, topic(content, 'report-police').speech, fill(voice.afterHeardTopic, { key: NOT_THIS_KEY })]);
    expect(heardThreat.action).toMatchObject({ at: { kind: 'topic', topic: 'report-police', heard: true } });
    expect(crisis.unsure).toEqual([]);
    expect(threat.unsure).toEqual([]);
  });

  it('starts the callback flow when a person is asked for', () => {
    const { menu } = menuHearing({ topic: 'callback', reason: 'matched', candidates: ['callback'], top: 'callback' });
    expect(respond(menu, { at: { kind: 'topic', topic: 'negotiate' }, speech: '我要人工' })).toEqual({ kind: 'redirect', say: [], to: { route: 'voiceCallback', state: { ...START, topics: ['negotiate'] } } });
  });

  it('after "不是这个" never gives the rejected answer again: it asks between the next two, or asks again', () => {
    const again = menuHearing({ topic: 'negotiate', reason: 'matched', candidates: ['negotiate', 'lawsuit', 'evidence'], top: 'negotiate' });
    const reply = gather(respond(again.menu, { speech: '协商', rejected: 'negotiate' }));
    expect(reply.action).toMatchObject({ at: { kind: 'ask', choices: ['lawsuit', 'evidence'] } });
    expect(reply.say).toEqual([fill(voice.askBack, { first: label('lawsuit'), second: label('evidence') })]);
    expect(again.unsure).toEqual([{ kind: 'ask', topics: ['lawsuit', 'evidence'] }]);
    const inChoices = menuHearing({ reason: 'ask', choices: ['lawsuit', 'negotiate'], candidates: ['lawsuit', 'negotiate'], top: 'lawsuit' });
    expect(gather(respond(inChoices.menu, { speech: '协商', rejected: 'negotiate' })).say).toEqual([voice.notUnderstood, ...mainItems, voice.menuIntro]);
    expect(inChoices.unsure).toEqual([{ kind: 'none', topics: [] }]);
    const other = menuHearing({ topic: 'lawsuit', reason: 'matched', candidates: ['lawsuit'], top: 'lawsuit' });
    expect(gather(respond(other.menu, { speech: '起诉', rejected: 'negotiate' })).action).toMatchObject({ at: { kind: 'topic', topic: 'lawsuit', heard: true } });
    const crisis = menuHearing({ topic: 'crisis', reason: 'crisis', candidates: ['crisis'], top: 'crisis' });
    expect(gather(respond(crisis.menu, { speech: '不想活了', rejected: 'crisis' })).action).toMatchObject({ at: { kind: 'topic', topic: 'crisis' } });
    const threat = menuHearing({ topic: 'report-police', reason: 'threat', candidates: ['report-police'], top: 'report-police' });
    expect(gather(respond(threat.menu, { speech: '威胁', rejected: 'report-police' })).action).toMatchObject({ at: { kind: 'topic', topic: 'report-police' } });
  });

  it('takes a short spoken choice as its key', () => {
    const { menu, heard } = menuHearing();
    const ask: Position = { kind: 'ask', choices: ['negotiate', 'lawsuit'] };
    expect(gather(respond(menu, { at: ask, speech: '嗯，第二个吧' })).action).toMatchObject({ at: { kind: 'topic', topic: 'lawsuit' } });
    expect(heard).toEqual([]);
  });
});

describe('spoken keys', () => {
  const ask: Position = { kind: 'ask', choices: ['negotiate', 'lawsuit'] };
  const heardTopic: Position = { kind: 'topic', topic: 'negotiate', heard: true };

  it('reads first, second and neither at an ask-back, fillers and punctuation aside', () => {
    for (const said of ['第一个', '一', '幺', '1', '前面那个', '前面的', '前一个', '我选第一个', '就是第1个。']) expect(spokenKey(ask, said, '8'), said).toBe('1');
    for (const said of ['第二个', '二', '两个', '2', '后面那个', '后一个', '按2']) expect(spokenKey(ask, said, '8'), said).toBe('2');
    for (const said of ['都不是', '都不对', '都不要', '都没有', '零', '0', '两个都不是']) expect(spokenKey(ask, said, '8'), said).toBe('0');
    for (const said of ['第一个问题是什么', '嗯', '', '不是这个', '我不要二', '二号线', '他都不是', '都不是他']) expect(spokenKey(ask, said, '8'), said).toBeUndefined();
  });

  it('reads "不是这个" only after a spoken answer', () => {
    for (const said of ['不是', '不对', '不是这个', '不是这个问题', '说错了', '搞错了', '你听错了', '听错了', '错了']) expect(spokenKey(heardTopic, said, '8'), said).toBe('8');
    expect(spokenKey({ kind: 'topic', topic: 'negotiate' }, '不是这个', '8')).toBeUndefined();
    expect(spokenKey(MAIN, '不是这个', '8')).toBeUndefined();
    expect(spokenKey(heardTopic, '第一个', '8')).toBeUndefined();
    for (const said of ['没错', '错吗', '不是吗', '这就是']) expect(spokenKey(heardTopic, said, '8'), said).toBeUndefined();
  });
});

describe('positions in the URL', () => {
  const isGroup = (name: string) => Object.hasOwn(content.menu.groups, name);
  const decode = (value: string | undefined) => decodePosition(value, isTopicId, isGroup);

  it('round-trips every kind of position', () => {
    for (const position of [MAIN, { kind: 'group', group: 'report' }, { kind: 'topic', topic: 'negotiate' }, { kind: 'topic', topic: 'negotiate', heard: true }, { kind: 'ask', choices: ['negotiate', 'lawsuit'] }] as Position[]) {
      expect(decode(encodePosition(position)), JSON.stringify(position)).toEqual(position);
    }
    expect(encodePosition({ kind: 'topic', topic: 'negotiate', heard: true })).toBe('h.negotiate');
    expect(encodePosition({ kind: 'ask', choices: ['negotiate', 'lawsuit'] })).toBe('a.negotiate.lawsuit');
  });

  it('reads anything tampered with as the main menu', () => {
    for (const value of [undefined, '', 'g.nope', 't.nope', 'h.nope', 'x.negotiate', 'a.negotiate', 'a.negotiate.negotiate', 'a.negotiate.lawsuit.evidence', 'a.negotiate.nope', 'a.nope.negotiate', 'main.g.report']) {
      expect(decode(value), String(value)).toEqual(MAIN);
    }
  });
});
