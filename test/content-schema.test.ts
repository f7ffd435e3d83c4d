/**
 * The content schema rule by rule: the shipped content with one thing changed at a time, which
 * must be refused with an issue naming what was changed (or, at a limit, still taken).
 * content.test.ts checks the shipped content itself.
 *
 * Nothing here parses at import or while tests are collected: a schema that refused the shipped
 * content would then fail the file before any test ran, which mutation testing reads as "survived".
 */
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import menu from '../content/zh-CN/menu.json';
import prompts from '../content/zh-CN/prompts.json';
import topics from '../content/zh-CN/topics.json';
import { bundledContent, contentOf, fill, menuNumbers, topic } from '../lambdas/content/content';
import { parseContent } from '../lambdas/content/validate';
import { estimateSpeechSeconds } from '../lambdas/content/speech-time';
import { TOPIC_IDS } from '../lambdas/content/topic-ids';

type Json = Record<string, unknown>;
type File = 'topics' | 'menu' | 'prompts';
const copy = <T>(value: T): T => structuredClone(value);

/**
 * What the schema says about the shipped content with `change` applied to a copy of one file: one
 * line per issue, `file.path.to.field`, followed by `: message` for the content's own rules
 * (duplicates, missing topics, window order). Empty when the content is taken.
 */
function refusals(file: File, change: (data: Json) => void): string[] {
  const raw = { topics: copy(topics) as unknown, menu: copy(menu) as unknown, prompts: copy(prompts) as unknown };
  change(raw[file] as Json);
  try {
    parseContent(raw);
    return [];
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    return error.issues.map((issue) => {
      const where = [file, ...issue.path.map(String)].join('.');
      return issue.code === 'custom' ? `${where}: ${issue.message}` : where;
    });
  }
}
const topicZero = (change: (topic: Json) => void) => refusals('topics', (data) => change((data as unknown as Json[])[0]!));
const mainMenu = (change: (main: Json[]) => void) => refusals('menu', (m) => change(m.main as Json[]));
const group = (name: string, change: (group: Json) => void) => refusals('menu', (m) => change((m.groups as Record<string, Json>)[name]!));
const windows = (change: (w: Json[]) => void) => refusals('prompts', (p) => change((p.callback as Json).windows as Json[]));

describe('the content schema', () => {
  it('takes the shipped content', () => {
    expect(refusals('topics', () => {})).toEqual([]);
    expect(() => parseContent({ topics, menu, prompts })).not.toThrow();
  });

  it('refuses a topic with a field out of its bounds, naming the field', () => {
    const fact = { claim: '六个字的说明', source: '刑法第', checked: '2026-01' };
    const refused: [string, (t: Json) => void, string][] = [
      ['unknown id', (t) => (t.id = 'nope'), 'id'],
      ['one-character label', (t) => (t.menuLabel = '报'), 'menuLabel'],
      ['15-character label', (t) => (t.menuLabel = '报'.repeat(15)), 'menuLabel'],
      ['label without Chinese', (t) => (t.menuLabel = 'report'), 'menuLabel'],
      ['19-character speech', (t) => (t.speech = '短'.repeat(19)), 'speech'],
      ['speech without Chinese', (t) => (t.speech = 'x'.repeat(30)), 'speech'],
      ['19-character sms', (t) => (t.sms = '短'.repeat(19)), 'sms'],
      ['sms without Chinese', (t) => (t.sms = 'x'.repeat(30)), 'sms'],
      ['four phrases', (t) => (t.phrases = ['一二', '三四', '五六', '七八']), 'phrases'],
      ['a one-character phrase', (t) => (t.phrases = ['一二', '三四', '五', '七八', '九十']), 'phrases.2'],
      ['a fact with a five-character claim', (t) => (t.facts = [{ ...fact, claim: '短短短短短' }]), 'facts.0.claim'],
      ['a fact with a two-character source', (t) => (t.facts = [{ ...fact, source: '刑法' }]), 'facts.0.source'],
      ['a fact checked in month 13', (t) => (t.facts = [{ ...fact, checked: '2026-13' }]), 'facts.0.checked'],
      ['a fact checked in month 00', (t) => (t.facts = [{ ...fact, checked: '2026-00' }]), 'facts.0.checked'],
      ['a fact checked in month 1', (t) => (t.facts = [{ ...fact, checked: '2026-1' }]), 'facts.0.checked'],
      ['a fact checked in 1999', (t) => (t.facts = [{ ...fact, checked: '1999-01' }]), 'facts.0.checked'],
      ['a fact checked with a day', (t) => (t.facts = [{ ...fact, checked: '2026-01-02' }]), 'facts.0.checked'],
      ['a fact checked in year 12026', (t) => (t.facts = [{ ...fact, checked: '12026-01' }]), 'facts.0.checked'],
      ['a fact without a month', (t) => (t.facts = [{ claim: fact.claim, source: fact.source }]), 'facts.0.checked'],
      ['a source at line 0', (t) => (t.sources = [{ lines: [0, 2], fact: '四个字的' }]), 'sources.0.lines.0'],
      ['a source to line 2.5', (t) => (t.sources = [{ lines: [1, 2.5], fact: '四个字的' }]), 'sources.0.lines.1'],
      ['a source of one number', (t) => (t.sources = [{ lines: [1], fact: '四个字的' }]), 'sources.0.lines'],
      ['a source with a three-character fact', (t) => (t.sources = [{ lines: [1, 2], fact: '三个字' }]), 'sources.0.fact'],
    ];
    for (const [what, change, field] of refused) expect(topicZero(change), what).toEqual([`topics.0.${field}`]);
  });

  it('takes a topic at the bounds', () => {
    const taken: [string, (t: Json) => void][] = [
      ['a two-character label', (t) => (t.menuLabel = '报警')],
      ['a 14-character label', (t) => (t.menuLabel = '报'.repeat(14))],
      ['a label with a digit', (t) => (t.menuLabel = '拨打110')],
      ['five phrases of two characters', (t) => (t.phrases = ['一二', '三四', '五六', '七八', '九十'])],
      ['speech and sms of 20 characters', (t) => ((t.speech = '说'.repeat(20)), (t.sms = '短'.repeat(20)))],
      ['facts at their limits', (t) => (t.facts = [{ claim: '六个字的说明', source: '刑法第', checked: '2099-12' }, { claim: '六个字的说明', source: '110', checked: '2000-01' }])],
      ['no sources and no facts', (t) => ((t.sources = []), (t.facts = []))],
      ['a source of one line and four characters', (t) => (t.sources = [{ lines: [1, 1], fact: '四个字的' }])],
    ];
    for (const [what, change] of taken) expect(topicZero(change), what).toEqual([]);
  });

  it('refuses a missing or a repeated topic, naming the missing one', () => {
    const list = (change: (all: Json[]) => void) => refusals('topics', (data) => change(data as unknown as Json[]));
    const last = topics.at(-1)!.id;
    expect(list((all) => all.pop())).toEqual([`topics: missing topic ${last}`]);
    expect(list((all) => all.push(copy(all[0]!)))).toEqual(['topics: duplicate topic id']);
    expect(list((all) => (all[all.length - 1] = copy(all[0]!)))).toEqual([`topics: missing topic ${last}`, 'topics: duplicate topic id']);
    expect(list((all) => all.reverse())).toEqual([]);
  });

  it('refuses main-menu keys other than 1 to 9, and a repeated key or an unknown group', () => {
    for (const key of ['0', '10', '01', '19', '91', 'x1', '9x', '', '１']) expect(mainMenu((main) => (main[0]!.key = key)), key).toEqual(['menu.main.0.key']);
    expect(mainMenu((main) => (main[0]!.key = '8'))).toEqual([]);
    expect(mainMenu((main) => ((main[0]!.key = '9'), (main.at(-1)!.key = '1')))).toEqual([]);
    expect(mainMenu((main) => (main[1]!.key = '1'))).toEqual(['menu: duplicate key in main menu']);
    expect(mainMenu((main) => (main[2]!.group = 'nowhere'))).toEqual(['menu: unknown group nowhere']);
    expect(mainMenu((main) => (main[0]!.topic = 'nope'))).toEqual(['menu.main.0']);
    expect(mainMenu((main) => (main.length = 0))).toEqual(['menu.main']);
    expect(mainMenu((main) => main.splice(1))).toEqual([]);
    expect(mainMenu((main) => main.push({ key: '8', topic: 'legality' }))).toEqual(['menu.main']);
  });

  it('refuses group keys other than 1 to 8, repeated keys, and groups or labels out of bounds', () => {
    for (const key of ['0', '9', '01', '18', 'x1', '']) expect(group('report', (g) => ((g.items as Json[])[0]!.key = key)), key).toEqual(['menu.groups.report.items.0.key']);
    expect(group('report', (g) => ((g.items as Json[])[0]!.key = '8'))).toEqual([]);
    expect(group('report', (g) => ((g.items as Json[])[1]!.key = '1'))).toEqual(['menu: duplicate key in report']);
    expect(group('report', (g) => ((g.items as Json[]).length = 0))).toEqual(['menu.groups.report.items']);
    expect(group('report', (g) => (g.items = (g.items as Json[]).slice(0, 1)))).toEqual([]);
    const nine = Array.from({ length: 9 }, (_, i) => ({ key: String((i % 8) + 1), topic: 'evidence' }));
    expect(group('report', (g) => (g.items = nine))).toEqual(['menu.groups.report.items']);
    expect(group('report', (g) => (g.label = '报'))).toEqual(['menu.groups.report.label']);
    expect(group('report', (g) => (g.label = '报警'))).toEqual([]);
    expect(group('report', (g) => (g.smsLabel = '报'))).toEqual(['menu.groups.report.smsLabel']);
    expect(group('report', (g) => (g.smsLabel = '一二三四五六七'))).toEqual(['menu.groups.report.smsLabel']);
    expect(group('report', (g) => (g.smsLabel = '报警'))).toEqual([]);
    expect(group('report', (g) => (g.smsLabel = '一二三四五六'))).toEqual([]);
    expect(refusals('menu', (m) => ((m.groups as Json).ab = (m.groups as Record<string, Json>).report))).toEqual(['menu.groups.ab']);
  });

  it('needs a short SMS label of 2 to 6 characters for every topic', () => {
    const labels = (change: (labels: Json) => void) => refusals('menu', (m) => change(m.smsLabels as Json));
    expect(labels((l) => (l.crisis = '想'))).toEqual(['menu.smsLabels.crisis']);
    expect(labels((l) => (l.crisis = '一二三四五六七'))).toEqual(['menu.smsLabels.crisis']);
    expect(labels((l) => ((l.crisis = '想死'), (l.evidence = '一二三四五六')))).toEqual([]);
    expect(labels((l) => delete l.crisis)).toEqual(['menu.smsLabels.crisis']);
    expect(labels((l) => (l.nope = '无此话题'))).toEqual(['menu.smsLabels']);
  });

  it('refuses callback windows that are not times of day, out of order or overlapping', () => {
    const field = (i: number, name: string) => `prompts.callback.windows.${i}.${name}`;
    const order = 'prompts.callback.windows: windows must be in time order and not overlap';
    expect(windows((w) => (w[0]!.id = 'Morning'))).toEqual([field(0, 'id')]);
    expect(windows((w) => (w[0]!.id = 'mOrning'))).toEqual([field(0, 'id')]);
    expect(windows((w) => (w[0]!.id = `m${'o'.repeat(20)}`))).toEqual([field(0, 'id')]);
    expect(windows((w) => (w[0]!.id = '1morning'))).toEqual([field(0, 'id')]);
    expect(windows((w) => (w[0]!.id = `m-${'1'.repeat(18)}`))).toEqual([]);
    expect(windows((w) => (w[0]!.label = '上'))).toEqual([field(0, 'label')]);
    expect(windows((w) => (w[0]!.label = '上'.repeat(13)))).toEqual([field(0, 'label')]);
    expect(windows((w) => ((w[0]!.label = '上午'), (w[1]!.label = '下'.repeat(12))))).toEqual([]);
    expect(windows((w) => (w[0]!.word = ''))).toEqual([field(0, 'word')]);
    expect(windows((w) => (w[0]!.word = '一二三四五'))).toEqual([field(0, 'word')]);
    expect(windows((w) => ((w[0]!.word = '早'), (w[1]!.word = '一二三四')))).toEqual([]);
    // Not times of day: each is refused by the format, whatever the order says.
    for (const from of ['9:00', '09:0', '009:00', '09:000', '09:60', '24:00', '0a:00']) expect(windows((w) => (w[0]!.from = from)), from).toContain(field(0, 'from'));
    for (const until of ['24:01', '24:30', '25:00', '224:00', '21:000', '21:60', '2100']) expect(windows((w) => (w[2]!.until = until)), until).toContain(field(2, 'until'));
    // Times of day at the edges: from midnight, a window in the twenties, to midnight.
    expect(windows((w) => (w[0]!.from = '00:00'))).toEqual([]);
    expect(windows((w) => ((w[2]!.from = '20:00'), (w[2]!.until = '23:59')))).toEqual([]);
    expect(windows((w) => (w[2]!.until = '24:00'))).toEqual([]);
    expect(windows((w) => ((w[0]!.from = '10:00'), (w[0]!.until = '11:59')))).toEqual([]);
    // Order: each window starts before it ends, and not before the one before it ends.
    expect(windows((w) => (w[0]!.until = '09:00'))).toEqual([order]);
    expect(windows((w) => (w[0]!.until = '08:00'))).toEqual([order]);
    expect(windows((w) => (w[2]!.until = '19:00'))).toEqual([order]);
    expect(windows((w) => (w[1]!.from = '11:00'))).toEqual([order]);
    expect(windows((w) => (w[2]!.from = '17:59'))).toEqual([order]);
    expect(windows((w) => w.reverse())).toEqual([order]);
    expect(windows((w) => (w[1]!.from = '12:00'))).toEqual([]);
    expect(windows((w) => (w[2]!.from = '18:00'))).toEqual([]);
    expect(windows((w) => (w.length = 0))).toEqual(['prompts.callback.windows']);
    expect(windows((w) => w.splice(1))).toEqual([]);
    const hours = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `h${i}`, label: `第${i}个时段`, word: `${i}点`, from: `1${i}:00`, until: `1${i}:30` }));
    expect(windows((w) => w.splice(0, w.length, ...hours(8)))).toEqual([]);
    expect(windows((w) => w.splice(0, w.length, ...hours(9)))).toEqual(['prompts.callback.windows']);
  });

  it('refuses prompts without the placeholders they are filled with, naming the prompt', () => {
    const needs: Record<string, Record<string, string[]>> = {
      callback: {
        voiceAnyWindow: ['key'], voiceWindowItem: ['window', 'key'], voiceConfirmNumber: ['digits'], voiceRegistered: ['code'], voicePromise: ['window'],
        smsUrgentRegistered: ['code'], smsCode: ['code', 'window'], smsRegistered: ['code', 'window'], smsUpdated: ['code', 'window'],
      },
      voice: { groupIntro: ['label'], item: ['label', 'key'], heard: ['label', 'key'], afterHeardTopic: ['key'], askBack: ['first', 'second'] },
      sms: { groupMenu: ['items'], groupItem: ['key'], askBack: ['firstKey', 'first', 'secondKey', 'second'] },
    };
    for (const [part, names] of Object.entries(needs)) {
      for (const [name, placeholders] of Object.entries(names)) {
        for (const placeholder of placeholders) {
          const without = (p: Json) => ((p[part] as Json)[name] = String((p[part] as Json)[name]).replaceAll(`{${placeholder}}`, ''));
          expect(refusals('prompts', without), `${part}.${name} {${placeholder}}`).toEqual([`prompts.${part}.${name}`]);
        }
      }
    }
  });

  it('bounds the speech hints and the keywords as Twilio and the router need them', () => {
    const voice = (change: (v: Json) => void) => refusals('prompts', (p) => change(p.voice as Json));
    const callback = (change: (c: Json) => void) => refusals('prompts', (p) => change(p.callback as Json));
    const keywords = (change: (k: Json) => void) => refusals('prompts', (p) => change((p.sms as Json).keywords as Json));
    expect(voice((v) => (v.speechHints = ['']))).toEqual(['prompts.voice.speechHints.0']);
    expect(voice((v) => (v.speechHints = ['字'.repeat(101)]))).toEqual(['prompts.voice.speechHints.0']);
    expect(voice((v) => (v.speechHints = Array.from({ length: 501 }, () => '字')))).toEqual(['prompts.voice.speechHints']);
    expect(voice((v) => (v.speechHints = Array.from({ length: 500 }, () => '字'.repeat(100))))).toEqual([]);
    expect(voice((v) => (v.speechHints = ['字']))).toEqual([]);
    expect(callback((c) => (c.voiceTimeHints = ['']))).toEqual(['prompts.callback.voiceTimeHints.0']);
    expect(callback((c) => (c.voiceTimeHints = ['字'.repeat(21)]))).toEqual(['prompts.callback.voiceTimeHints.0']);
    expect(callback((c) => (c.voiceTimeHints = Array.from({ length: 51 }, () => '字')))).toEqual(['prompts.callback.voiceTimeHints']);
    expect(callback((c) => (c.voiceTimeHints = Array.from({ length: 50 }, () => '字'.repeat(20))))).toEqual([]);
    expect(callback((c) => (c.voiceTimeHints = ['字']))).toEqual([]);
    expect(callback((c) => (c.urgentWindow = '快'))).toEqual(['prompts.callback.urgentWindow']);
    expect(callback((c) => (c.urgentWindow = '快'.repeat(13)))).toEqual(['prompts.callback.urgentWindow']);
    expect(callback((c) => (c.urgentWindow = '尽快'))).toEqual([]);
    expect(callback((c) => (c.urgentWindow = '快'.repeat(12)))).toEqual([]);
    for (const list of ['optOut', 'optIn', 'code', 'callback', 'asksCallback', 'menuNumberPrefixes']) {
      expect(keywords((k) => (k[list] as string[]).push('')), list).toEqual([`prompts.sms.keywords.${list}.${(prompts.sms.keywords as Record<string, string[]>)[list]!.length}`]);
      expect(keywords((k) => (k[list] = ['a', '很长的一个关键词'])), list).toEqual([]);
    }
    for (const list of ['callback', 'asksCallback']) expect(keywords((k) => (k[list] = [])), list).toEqual([`prompts.sms.keywords.${list}`]);
    for (const list of ['menu', 'optOut', 'optIn', 'code', 'menuNumberPrefixes']) expect(keywords((k) => (k[list] = [])), list).toEqual([]);
    expect(keywords((k) => (k.menu as string[]).push(''))).toEqual([]);
  });
});

describe('content helpers', () => {
  it('fills the placeholders it has values for and leaves the others as written', () => {
    expect(fill('{window}和{key}，{code}', { window: '上午', key: '1' })).toBe('上午和1，{code}');
    expect(fill('{a}{a}{b_2}', { a: '一', b_2: '二' })).toBe('一一二');
    expect(fill('{ key}{}{key', { key: '1' })).toBe('{ key}{}{key');
  });

  it('finds a topic, and says which one is missing', () => {
    const content = bundledContent();
    expect(topic(content, 'crisis').id).toBe('crisis');
    const empty = contentOf([], content.menu, content.prompts);
    expect(() => topic(empty, 'crisis')).toThrow('topic crisis missing from content');
  });

  it('numbers every topic by the keys that reach it', () => {
    const content = bundledContent();
    const numbers = menuNumbers(content);
    expect(numbers.get('already-exposed')).toBe('1');
    expect(numbers.get('evidence')).toBe('31');
    expect(numbers.get('licensed-lenders')).toBe('74');
    expect(numbers.size).toBe(TOPIC_IDS.length);
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
