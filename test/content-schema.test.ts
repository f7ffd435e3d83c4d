/**
 * The content schema rule by rule: the shipped content with one thing changed at a time, which
 * must be refused (or, at a limit, still taken). content.test.ts checks the shipped content itself.
 */
import { describe, expect, it } from 'vitest';
import menu from '../content/zh-CN/menu.json';
import prompts from '../content/zh-CN/prompts.json';
import topics from '../content/zh-CN/topics.json';
import { contentOf, fill, menuNumbers, topic } from '../lambdas/content/content';
import { parseContent } from '../lambdas/content/validate';
import { estimateSpeechSeconds } from '../lambdas/content/speech-time';

type Json = Record<string, unknown>;
const copy = <T>(value: T): T => structuredClone(value);

/** The content with `change` applied to a copy of one file. */
function parsed(file: 'topics' | 'menu' | 'prompts', change: (data: Json) => void) {
  const raw = { topics: copy(topics) as unknown, menu: copy(menu) as unknown, prompts: copy(prompts) as unknown };
  change(raw[file] as Json);
  return () => parseContent(raw);
}
const topicZero = (change: (topic: Json) => void) => parsed('topics', (data) => change((data as unknown as Json[])[0]!));

describe('the content schema', () => {
  it('takes the shipped content', () => {
    expect(() => parseContent({ topics, menu, prompts })).not.toThrow();
  });

  it('refuses a topic with a field out of its bounds, and takes one at the bounds', () => {
    const refused: [string, (t: Json) => void][] = [
      ['unknown id', (t) => (t.id = 'nope')],
      ['short label', (t) => (t.menuLabel = '报')],
      ['long label', (t) => (t.menuLabel = '报'.repeat(15))],
      ['label without Chinese', (t) => (t.menuLabel = 'report')],
      ['short speech', (t) => (t.speech = '短'.repeat(19))],
      ['speech without Chinese', (t) => (t.speech = 'x'.repeat(30))],
      ['short sms', (t) => (t.sms = '短'.repeat(19))],
      ['sms without Chinese', (t) => (t.sms = 'x'.repeat(30))],
      ['four phrases', (t) => (t.phrases = ['一二', '三四', '五六', '七八'])],
      ['a one-character phrase', (t) => (t.phrases = ['一', '三四', '五六', '七八', '九十'])],
      ['a fact with a short claim', (t) => (t.facts = [{ claim: '短短短短短', source: '刑法第', checked: '2026-01' }])],
      ['a fact with a short source', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法', checked: '2026-01' }])],
      ['a fact checked in month 13', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法第', checked: '2026-13' }])],
      ['a fact checked in month 00', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法第', checked: '2026-00' }])],
      ['a fact checked in 1999', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法第', checked: '1999-01' }])],
      ['a fact checked with a day', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法第', checked: '2026-01-02' }])],
      ['a source at line 0', (t) => (t.sources = [{ lines: [0, 2], fact: '四个字的' }])],
      ['a source at line 1.5', (t) => (t.sources = [{ lines: [1, 2.5], fact: '四个字的' }])],
      ['a source with a short fact', (t) => (t.sources = [{ lines: [1, 2], fact: '三个字' }])],
    ];
    for (const [what, change] of refused) expect(topicZero(change), what).toThrow();
    const taken: [string, (t: Json) => void][] = [
      ['a two-character label', (t) => (t.menuLabel = '报警')],
      ['a 14-character label', (t) => (t.menuLabel = '报'.repeat(14))],
      ['five phrases of two characters', (t) => (t.phrases = ['一二', '三四', '五六', '七八', '九十'])],
      ['speech and sms of 20 characters', (t) => ((t.speech = '说'.repeat(20)), (t.sms = '短'.repeat(20)))],
      ['a fact at its limits', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法第', checked: '2099-12' }])],
      ['a source of four characters', (t) => (t.sources = [{ lines: [1, 1], fact: '四个字的' }])],
    ];
    for (const [what, change] of taken) expect(topicZero(change), what).not.toThrow();
  });

  it('refuses a missing or a repeated topic', () => {
    expect(parsed('topics', (data) => (data as unknown as Json[]).pop())).toThrow(/missing topic/);
    expect(parsed('topics', (data) => (data as unknown as Json[]).push(copy((data as unknown as Json[])[0]!)))).toThrow(/duplicate topic id/);
  });

  it('refuses a menu with repeated keys, unknown groups, or keys out of range, and takes 9 in the main menu only', () => {
    expect(parsed('menu', (m) => ((m.main as Json[])[1]!.key = '1'))).toThrow(/duplicate key in main menu/);
    expect(parsed('menu', (m) => ((m.main as Json[])[2]!.group = 'nowhere'))).toThrow(/unknown group nowhere/);
    expect(parsed('menu', (m) => (((m.groups as Record<string, Json>).report!.items as Json[])[1]!.key = '1'))).toThrow(/duplicate key in report/);
    expect(parsed('menu', (m) => ((m.main as Json[])[0]!.key = '0'))).toThrow();
    expect(parsed('menu', (m) => ((m.main as Json[])[0]!.key = '10'))).toThrow();
    expect(parsed('menu', (m) => (((m.groups as Record<string, Json>).report!.items as Json[])[0]!.key = '9'))).toThrow();
    expect(parsed('menu', (m) => ((m.main as Json[]).length = 0))).toThrow();
    expect(parsed('menu', (m) => ((m.main as Json[])[0]!.key = '8'))).not.toThrow();
    expect(parsed('menu', (m) => ((m.main as Json[]).push({ key: '8', topic: 'legality' })))).toThrow();
    expect(parsed('menu', (m) => ((m.groups as Record<string, Json>).report!.smsLabel = '一'))).toThrow();
    expect(parsed('menu', (m) => ((m.groups as Record<string, Json>).report!.smsLabel = '一二三四五六七'))).toThrow();
    expect(parsed('menu', (m) => ((m.groups as Record<string, Json>).report!.label = '一'))).toThrow();
    expect(parsed('menu', (m) => (((m.groups as Record<string, Json>).report!.items as Json[]).length = 0))).toThrow();
    expect(parsed('menu', (m) => ((m.smsLabels as Json).crisis = '一'))).toThrow();
    expect(parsed('menu', (m) => ((m.smsLabels as Json).crisis = '一二三四五六七'))).toThrow();
    expect(parsed('menu', (m) => ((m.groups as Record<string, Json>).ab = (m.groups as Record<string, Json>).report!))).toThrow();
  });

  it('refuses callback windows that are not times, out of order or overlapping, and takes 24:00 as an end', () => {
    const windows = (change: (w: Json[]) => void) => parsed('prompts', (p) => change((p.callback as Json).windows as Json[]));
    expect(windows((w) => (w[0]!.id = 'Morning'))).toThrow();
    expect(windows((w) => (w[0]!.label = '上'))).toThrow();
    expect(windows((w) => (w[0]!.label = '上'.repeat(13)))).toThrow();
    expect(windows((w) => (w[0]!.word = ''))).toThrow();
    expect(windows((w) => (w[0]!.word = '一二三四五'))).toThrow();
    expect(windows((w) => (w[0]!.from = '9:00'))).toThrow();
    expect(windows((w) => (w[0]!.from = '24:00'))).toThrow();
    expect(windows((w) => (w[0]!.until = '24:01'))).toThrow();
    expect(windows((w) => (w[2]!.until = '24:00'))).not.toThrow();
    expect(windows((w) => (w[0]!.until = '09:00'))).toThrow(/time order/);
    expect(windows((w) => (w[1]!.from = '11:00'))).toThrow(/time order/);
    expect(windows((w) => (w[1]!.from = '12:00'))).not.toThrow();
    expect(windows((w) => (w.length = 0))).toThrow();
  });

  it('refuses prompts without the placeholders they are filled with', () => {
    const cases: [string, string, string][] = [
      ['callback', 'voiceWindowItem', '{window}'], ['callback', 'voiceWindowItem', '{key}'], ['callback', 'voiceAnyWindow', '{key}'],
      ['callback', 'voiceConfirmNumber', '{digits}'], ['callback', 'voiceRegistered', '{code}'], ['callback', 'voicePromise', '{window}'],
      ['callback', 'smsUrgentRegistered', '{code}'], ['callback', 'smsCode', '{window}'], ['callback', 'smsRegistered', '{code}'], ['callback', 'smsUpdated', '{window}'],
      ['voice', 'groupIntro', '{label}'], ['voice', 'item', '{key}'], ['voice', 'heard', '{label}'], ['voice', 'afterHeardTopic', '{key}'], ['voice', 'askBack', '{second}'],
      ['sms', 'groupMenu', '{items}'], ['sms', 'groupItem', '{key}'], ['sms', 'askBack', '{secondKey}'],
    ];
    for (const [part, name, placeholder] of cases) {
      expect(parsed('prompts', (p) => ((p[part] as Json)[name] = String((p[part] as Json)[name]).replaceAll(placeholder, ''))), `${part}.${name} ${placeholder}`).toThrow();
    }
  });

  it('bounds the speech hints and the keywords as Twilio and the router need them', () => {
    expect(parsed('prompts', (p) => ((p.voice as Json).speechHints = ['']))).toThrow();
    expect(parsed('prompts', (p) => ((p.voice as Json).speechHints = ['字'.repeat(101)]))).toThrow();
    expect(parsed('prompts', (p) => ((p.voice as Json).speechHints = Array.from({ length: 501 }, () => '字')))).toThrow();
    expect(parsed('prompts', (p) => ((p.voice as Json).speechHints = Array.from({ length: 500 }, () => '字'.repeat(100))))).not.toThrow();
    expect(parsed('prompts', (p) => ((p.callback as Json).voiceTimeHints = ['字'.repeat(21)]))).toThrow();
    expect(parsed('prompts', (p) => ((p.callback as Json).voiceTimeHints = Array.from({ length: 51 }, () => '字')))).toThrow();
    expect(parsed('prompts', (p) => ((p.callback as Json).urgentWindow = '快'))).toThrow();
    expect(parsed('prompts', (p) => ((p.callback as Json).urgentWindow = '快'.repeat(13)))).toThrow();
    for (const list of ['optOut', 'optIn', 'code', 'callback', 'asksCallback', 'menuNumberPrefixes']) {
      expect(parsed('prompts', (p) => ((((p.sms as Json).keywords as Json)[list] as string[]).push(''))), list).toThrow();
    }
    for (const list of ['callback', 'asksCallback']) expect(parsed('prompts', (p) => (((p.sms as Json).keywords as Json)[list] = [])), list).toThrow();
    expect(parsed('prompts', (p) => (((p.sms as Json).keywords as Json).menu as string[]).push(''))).not.toThrow();
  });
});

describe('content helpers', () => {
  const content = parseContent({ topics, menu, prompts });

  it('fills the placeholders it has values for and leaves the others as written', () => {
    expect(fill('{a}和{b}，{c}', { a: '一', b: '二' })).toBe('一和二，{c}');
  });

  it('finds a topic, and says which one is missing', () => {
    expect(topic(content, 'crisis').id).toBe('crisis');
    const empty = contentOf([], content.menu, content.prompts);
    expect(() => topic(empty, 'crisis')).toThrow('topic crisis missing from content');
  });

  it('numbers every topic by the keys that reach it', () => {
    const numbers = menuNumbers(content);
    expect(numbers.get('already-exposed')).toBe('1');
    expect(numbers.get('evidence')).toBe('31');
    expect(numbers.get('licensed-lenders')).toBe('74');
    const noGroup = contentOf([...content.topics.values()], { ...content.menu, groups: {} }, content.prompts);
    expect(menuNumbers(noGroup).get('evidence')).toBeUndefined();
  });

  it('estimates speech at 3.8 characters a second at 90 %, 0.3 s a pause, digits one by one', () => {
    expect(estimateSpeechSeconds('一二三四')).toBeCloseTo(4 / (3.8 * 0.9));
    expect(estimateSpeechSeconds('一二，三四。', 1)).toBeCloseTo(4 / 3.8 + 0.6);
    expect(estimateSpeechSeconds('110!', 1)).toBeCloseTo(3 / 3.8 + 0.3);
    expect(estimateSpeechSeconds('abc')).toBe(0);
    expect(estimateSpeechSeconds('、；：？！,.;:?')).toBeCloseTo(3);
  });
});
