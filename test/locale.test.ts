/**
 * The locale seam: a second language plugs in as a `Locale` (content, voice, numbers, understanding)
 * and is chosen by the number dialled; a call keeps it through its action URLs. Mandarin is the only
 * locale shipped, so these tests build a pseudo-locale from it with words and a voice of its own.
 */
import { describe, expect, it } from 'vitest';
import { chooseLocale, localesOf, parseNumberLocales, perLocale, type Locale } from '../lambdas/locales/locale';
import { mandarin } from '../lambdas/locales/mandarin';
import { contentOf } from '../lambdas/content/content';
import { useTestHotline } from './support/hotline';
import { content, parseTwiml, spoken, twilioEvent, understanding } from './support/twilio';

const TEST_NUMBER = '+85230001234';
const HOTLINE_NUMBER = '+14155550100';

/** Mandarin with its own greeting, SMS menu, one extra opt-out keyword and a Cantonese voice: enough to tell the two apart. */
function pseudoLocale(): Locale {
  const prompts = structuredClone(content.prompts);
  prompts.voice.greeting = '测试语言：您好。';
  prompts.sms.menu = `测试语言菜单。${prompts.sms.menu}`;
  prompts.sms.keywords.optOut = [...prompts.sms.keywords.optOut, 'teststop'];
  const base = mandarin({ content, understanding });
  return {
    ...base,
    id: 'zh-TEST',
    content: contentOf([...content.topics.values()], content.menu, prompts),
    voice: { ...base.voice, voice: 'Polly.Hiujin-Neural', language: 'yue-HK' },
  };
}

const zhCN = mandarin({ content, understanding });
const test = pseudoLocale();
const locales = localesOf([zhCN, test]);

describe('choosing a locale', () => {
  it('takes the URL first, then the number dialled, then the default; anything unknown is the default', () => {
    const numbers = { [TEST_NUMBER]: 'zh-TEST' };
    expect(chooseLocale(locales, 'zh-TEST', HOTLINE_NUMBER, numbers)).toBe(test);
    expect(chooseLocale(locales, 'zh-CN', TEST_NUMBER, numbers)).toBe(zhCN);
    expect(chooseLocale(locales, null, TEST_NUMBER, numbers)).toBe(test);
    expect(chooseLocale(locales, 'xx-NOPE', ` ${TEST_NUMBER} `, numbers)).toBe(test);
    expect(chooseLocale(locales, 'xx-NOPE', HOTLINE_NUMBER, numbers)).toBe(zhCN);
    expect(chooseLocale(locales, undefined, undefined, { [TEST_NUMBER]: 'xx-GONE' })).toBe(zhCN);
  });

  it('reads HOTLINE_NUMBER_LOCALES and refuses a locale that is not served', () => {
    expect(parseNumberLocales(undefined, locales.ids)).toEqual({});
    expect(parseNumberLocales(` ${TEST_NUMBER}=zh-TEST , +8613800000000=zh-CN `, locales.ids)).toEqual({ [TEST_NUMBER]: 'zh-TEST', '+8613800000000': 'zh-CN' });
    expect(() => parseNumberLocales(`${TEST_NUMBER}=en-US`, locales.ids)).toThrow(/HOTLINE_NUMBER_LOCALES.*zh-CN, zh-TEST/);
    expect(() => parseNumberLocales('=zh-CN', locales.ids)).toThrow(/HOTLINE_NUMBER_LOCALES/);
    expect(() => parseNumberLocales(`${TEST_NUMBER}=`, locales.ids)).toThrow(/HOTLINE_NUMBER_LOCALES/);
    expect(() => parseNumberLocales(`${TEST_NUMBER}`, locales.ids)).toThrow(/HOTLINE_NUMBER_LOCALES/);
  });

  it('reads HOTLINE_NUMBER_LOCALES written with spaces, blank pairs and a trailing comma', () => {
    // Spaces around `=`: the number and the id are each trimmed.
    expect(parseNumberLocales(`${TEST_NUMBER} = zh-TEST`, locales.ids)).toEqual({ [TEST_NUMBER]: 'zh-TEST' });
    // A pair of spaces only (", ,", or after the last comma) is no pair, not an error.
    expect(parseNumberLocales(`${TEST_NUMBER}=zh-TEST, ,+8613800000000=zh-CN, `, locales.ids)).toEqual({ [TEST_NUMBER]: 'zh-TEST', '+8613800000000': 'zh-CN' });
    expect(parseNumberLocales(' ', locales.ids)).toEqual({});
    // The error quotes the pair as written, without the spaces around it.
    expect(() => parseNumberLocales(`${TEST_NUMBER}=zh-CN,  +8613800000000=en-US `, locales.ids)).toThrow('HOTLINE_NUMBER_LOCALES: "+8613800000000=en-US" is not');
  });

  it('builds a per-locale value once for each locale, on first use', () => {
    const builds: string[] = [];
    const valueFor = perLocale((locale) => {
      builds.push(locale.id);
      return { of: locale.id };
    });
    expect(builds).toEqual([]);
    const first = valueFor(zhCN);
    expect(first).toEqual({ of: 'zh-CN' });
    expect(valueFor(zhCN)).toBe(first);
    expect(valueFor(test)).toEqual({ of: 'zh-TEST' });
    expect(valueFor(test)).toBe(valueFor(test));
    expect(builds).toEqual(['zh-CN', 'zh-TEST']);
  });

  it('needs at least one locale', () => {
    expect(() => localesOf([])).toThrow(/at least one/);
  });
});

describe('a call and a text in the locale of the number dialled', () => {
  const hotline = useTestHotline({ locales, numberLocales: { [TEST_NUMBER]: 'zh-TEST' } });

  async function call(path: string, params: Record<string, string>, query = '') {
    const response = await hotline().voice(twilioEvent({ path, query, params: { CallSid: 'CAlocale', From: '+8613812345678', ...params } }));
    expect(response.statusCode).toBe(200);
    return parseTwiml(response.body);
  }

  it('greets in the locale of the number called, and keeps it through the action URLs', async () => {
    const verbs = await call('/twilio/voice', { To: TEST_NUMBER });
    const gather = verbs.find((v) => v.name === 'Gather')!;
    expect(spoken(verbs)[0]).toBe('测试语言：您好。');
    expect(gather.children.find((v) => v.name === 'Say')!.attrs).toMatchObject({ voice: 'Polly.Hiujin-Neural', language: 'yue-HK' });
    const action = new URL(gather.attrs.action!, 'https://h/twilio/voice');
    expect(action.searchParams.get('l')).toBe('zh-TEST');
    // Twilio sends `To` on every request, but the URL alone is enough: the call stays in its locale.
    const next = await call(action.pathname, { Digits: '0' }, action.search.slice(1));
    expect(next.find((v) => v.name === 'Gather')!.children.find((v) => v.name === 'Say')!.attrs.voice).toBe('Polly.Hiujin-Neural');
    expect(new URL(next.find((v) => v.name === 'Gather')!.attrs.action!, 'https://h/twilio/voice/menu').searchParams.get('l')).toBe('zh-TEST');
  });

  it('greets in Mandarin on any other number, with no locale in the URLs (the shipped transcripts are unchanged)', async () => {
    const verbs = await call('/twilio/voice', { To: HOTLINE_NUMBER });
    const gather = verbs.find((v) => v.name === 'Gather')!;
    expect(spoken(verbs)[0]).toBe(zhCN.speakNumbers(content.prompts.voice.greeting));
    expect(gather.children.find((v) => v.name === 'Say')!.attrs.voice).toBe('Polly.Zhiyu-Neural');
    expect(gather.attrs.action).not.toMatch(/[?&]l=/);
  });

  it('speaks Mandarin slower than default and waits 3 seconds of silence before ending what a caller says', async () => {
    const verbs = await call('/twilio/voice', { To: HOTLINE_NUMBER });
    const gather = verbs.find((v) => v.name === 'Gather')!;
    // The recogniser: Mandarin, speech and keys, 3 s of silence end an utterance (not `auto`, which cuts at the first pause), 6 s for a key.
    expect(gather.attrs).toMatchObject({ input: 'dtmf speech', language: 'cmn-Hans-CN', speechTimeout: '3', timeout: '6' });
    // Every prompt: the Mandarin neural voice, its text inside SSML prosody at 90 % speed.
    const says = gather.children.filter((v) => v.name === 'Say');
    expect(says.length).toBeGreaterThan(0);
    for (const say of says) {
      expect(say.attrs).toEqual({ voice: 'Polly.Zhiyu-Neural', language: 'cmn-CN' });
      expect(say.children.map((child) => [child.name, child.attrs])).toEqual([['prosody', { rate: '90%' }]]);
    }
  });

  it("answers a text with the locale's words and keywords", async () => {
    const text = async (to: string, body: string, sid: string) =>
      parseTwiml((await hotline().sms(twilioEvent({ path: '/twilio/sms', params: { MessageSid: sid, From: '+8613912340000', To: to, Body: body } }))).body)[0]?.text;
    expect(await text(TEST_NUMBER, '0', 'SMlocale1')).toBe(test.content.prompts.sms.menu);
    expect(await text(HOTLINE_NUMBER, '0', 'SMlocale2')).toBe(content.prompts.sms.menu);
    // A keyword of one language only: an opt-out there, a question nobody understood in Mandarin.
    expect(await text(HOTLINE_NUMBER, 'TESTSTOP', 'SMlocale3')).toBe(content.prompts.sms.menu);
    expect(await text(TEST_NUMBER, 'TESTSTOP', 'SMlocale4')).toBe(test.content.prompts.sms.optOut);
  });
});
