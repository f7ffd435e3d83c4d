import { describe, expect, it } from 'vitest';
import { menuNumbers } from '../lambdas/content/content';
import type { LambdaHandler } from '../lambdas/http/request-shell';
import { createVoiceHandler } from '../lambdas/voice/handler';
import { fill } from '../lambdas/content/content';
import { speakNumbers } from '../lambdas/voice/spoken-numbers';
import { corpusLines } from './support/corpus';
import { useTestHotline } from './support/hotline';
import { config, content, locales, understand, parseTwiml, silentLogger, spoken, twilioEvent, type Verb } from './support/twilio';

const hotline = useTestHotline();
const handler: LambdaHandler = (event) => hotline().voice(event);

async function call(path: string, params: Record<string, string> = {}, query = '') {
  const response = await handler(twilioEvent({ path, params: { CallSid: 'CA0123', From: '+8613812345678', ...params }, query }));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/xml/);
  const verbs = parseTwiml(response.body);
  return { verbs, said: spoken(verbs).join(' '), gather: verbs.find((v) => v.name === 'Gather'), redirect: verbs.find((v) => v.name === 'Redirect') };
}

/** Follows a relative action URL from a route path the way Twilio resolves it. */
function follow(fromPath: string, relative: string): { path: string; query: string } {
  const url = new URL(relative, `https://host${fromPath}`);
  return { path: url.pathname, query: url.search.slice(1) };
}

async function press(gather: Verb, fromPath: string, digits: string) {
  const next = follow(fromPath, gather.attrs.action!);
  return { ...(await call(next.path, { Digits: digits }, next.query)), path: next.path };
}

const labels = (id: string) => content.topics.get(id as never)!.menuLabel;

describe('incoming call', () => {
  it('greets in Mandarin and offers every main menu item inside a speech-and-keys gather', async () => {
    const { verbs, said, gather, redirect } = await call('/twilio/voice');
    expect(said).toContain(speakNumbers(content.prompts.voice.greeting));
    for (const item of content.menu.main) expect(said).toContain(`按${item.key}`);
    expect(gather!.attrs).toMatchObject({ input: 'dtmf speech', language: 'cmn-Hans-CN', numDigits: '1', method: 'POST' });
    expect(gather!.attrs.hints).toContain(labels('negotiate'));
    const say = gather!.children[0]!;
    expect(say.attrs).toMatchObject({ language: 'cmn-CN', voice: 'Polly.Zhiyu-Neural' });
    expect(say.children[0]).toMatchObject({ name: 'prosody', attrs: { rate: '90%' } });
    expect(redirect!.text).toBe('voice/menu?at=main&s=1');
    expect(verbs.at(-1)!.name).toBe('Redirect');
  });
});

describe('menu keys', () => {
  const paths = menuNumbers(content);

  it('reaches every topic within two key presses', () => {
    for (const id of content.topics.keys()) expect(paths.get(id)?.length ?? 99).toBeLessThanOrEqual(2);
    expect(content.menu.main.filter((i) => !('topic' in i && i.topic === 'callback')).length).toBeLessThanOrEqual(7);
  });

  for (const [id, keys] of paths) {
    if (id === 'callback') continue;
    it(`plays ${id} after pressing ${keys.split('').join(' then ')}`, async () => {
      let step = { ...(await call('/twilio/voice')), path: '/twilio/voice' };
      for (const key of keys) step = await press(step.gather!, step.path, key);
      expect(step.said).toContain(speakNumbers(content.topics.get(id)!.speech));
      expect(step.said).toContain(content.prompts.voice.afterTopic);
      expect(step.gather!.attrs.action).toBe(`menu?at=t.${id}&s=1`);
    });
  }

  it('reads each group menu with its items, the callback key and the navigation keys', async () => {
    for (const item of content.menu.main) {
      if (!('group' in item)) continue;
      const { said } = await call('/twilio/voice/menu', { Digits: item.key }, 'at=main');
      for (const sub of content.menu.groups[item.group]!.items) expect(said).toContain(fill(content.prompts.voice.item, { label: labels(sub.topic), key: sub.key }));
      expect(said).toContain(content.prompts.voice.callbackItem);
      expect(said).toContain(content.prompts.voice.navigation);
    }
  });

  it('accepts two keys typed ahead in one gather', async () => {
    const { said } = await call('/twilio/voice/menu', { Digits: '32' }, 'at=main');
    expect(said).toContain(speakNumbers(content.topics.get('report-police')!.speech));
  });

  for (const at of ['main', 'g.prevent', 'g.report', 't.negotiate']) {
    it(`repeats the current prompt on * at ${at}`, async () => {
      const first = await call('/twilio/voice/menu', {}, `at=${at}&s=0`);
      const again = await call('/twilio/voice/menu', { Digits: '*' }, `at=${at}`);
      expect(again.gather!.attrs.action).toBe(`menu?at=${at}&s=1`);
      if (at === 't.negotiate') expect(again.said).toContain(speakNumbers(content.topics.get('negotiate')!.speech));
      else expect(again.said).toContain(first.said.replace(content.prompts.voice.silence, '').trim());
    });

    it(`returns to the main menu on 0 at ${at}`, async () => {
      const { said, gather } = await call('/twilio/voice/menu', { Digits: '0' }, `at=${at}`);
      expect(said).toContain(content.prompts.voice.menuIntro);
      expect(gather!.attrs.action).toBe('menu?at=main&s=1');
    });

    it(`leads into the callback flow on 9 at ${at}, remembering the topic`, async () => {
      const { redirect } = await call('/twilio/voice/menu', { Digits: '9' }, `at=${at}`);
      expect(redirect!.text).toBe(at.startsWith('t.') ? `callback?topic=${at.slice(2)}` : 'callback');
    });
  }

  for (const [at, key] of [['main', '8'], ['main', '#'], ['g.prevent', '8'], ['t.evidence', '5'], ['main', 'x'], ['main', '<&>']]) {
    it(`says the key ${key} is not in the menu at ${at} and asks again`, async () => {
      const { said, gather } = await call('/twilio/voice/menu', { Digits: key! }, `at=${at}`);
      expect(said.startsWith(content.prompts.voice.unknownKey)).toBe(true);
      expect(gather!.attrs.action).toBe(`menu?at=${at}&s=1`);
    });
  }

  it('treats a tampered position as the main menu', async () => {
    const { gather } = await call('/twilio/voice/menu', { Digits: '*' }, 'at=t.nonsense%3Cscript%3E');
    expect(gather!.attrs.action).toBe('menu?at=main&s=1');
  });
});

describe('silence and speech that was not recognised (Twilio does not tell them apart)', () => {
  it('sends an empty result to the action, with the count of empty answers in the URL', async () => {
    const { gather, redirect } = await call('/twilio/voice/menu', { Digits: '3' }, 'at=main');
    expect(gather!.attrs).toMatchObject({ actionOnEmptyResult: 'true', action: 'menu?at=g.report&s=1', speechTimeout: '3', profanityFilter: 'false', language: 'cmn-Hans-CN' });
    expect(gather!.attrs.speechModel).toBeUndefined();
    // The redirect after the gather is only a safety net: it goes where the action would.
    expect(redirect!.text).toBe('menu?at=g.report&s=1');
  });

  it('hints topic vocabulary to the recogniser, within Twilio\'s limits', async () => {
    const { gather } = await call('/twilio/voice');
    const hints = gather!.attrs.hints!.split(',');
    expect(hints).toEqual(expect.arrayContaining(['通讯录', '催收', '逾期', '协商还款', '征信', '律师函']));
    expect(hints.length).toBeLessThanOrEqual(500);
    for (const hint of hints) expect(hint.length).toBeLessThanOrEqual(100);
  });

  it('says "没有听清" and re-prompts twice, then says goodbye and hangs up', async () => {
    const first = await call('/twilio/voice/menu', {}, 'at=g.report&s=1');
    expect(first.said.startsWith(content.prompts.voice.notHeard)).toBe(true);
    expect(content.prompts.voice.notHeard).toMatch(/没有听清/);
    expect(first.gather!.attrs.action).toBe('menu?at=g.report&s=2');
    expect(first.redirect!.text).toBe('menu?at=g.report&s=2');
    const blank = await call('/twilio/voice/menu', { SpeechResult: '   ', Digits: '' }, 'at=g.report&s=1');
    expect(blank.said).toBe(first.said);
    const second = await call('/twilio/voice/menu', {}, 'at=g.report&s=2');
    expect(second.redirect!.text).toBe('menu?at=g.report&s=3');
    const third = await call('/twilio/voice/menu', {}, 'at=g.report&s=3');
    expect(third.said).toBe(content.prompts.voice.goodbye);
    expect(third.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
  });

  it('presents the menu without a silence notice when redirected there (s absent)', async () => {
    const { said } = await call('/twilio/voice/menu', {}, 'at=main');
    expect(said).toContain(content.prompts.voice.menuIntro);
    expect(said).not.toContain(content.prompts.voice.notHeard);
  });

  it('after a topic, re-prompts with the keys only, not the whole answer', async () => {
    const { said } = await call('/twilio/voice/menu', {}, 'at=t.negotiate&s=1');
    expect(said).not.toContain(speakNumbers(content.topics.get('negotiate')!.speech));
    expect(said).toContain(content.prompts.voice.afterTopic);
  });
});

describe('speech', () => {
  it('answers a spoken question with the matched topic', async () => {
    const { said, gather } = await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办', Confidence: '0.8' }, 'at=main');
    expect(said).toContain(`您问的是：${labels('already-exposed')}`);
    expect(said).toContain(speakNumbers(content.topics.get('already-exposed')!.speech));
    expect(gather!.attrs.action).toBe('menu?at=h.already-exposed&s=1');
  });

  it('sends "我要人工" into the callback flow', async () => {
    const { redirect } = await call('/twilio/voice/menu', { SpeechResult: '我要人工' }, 'at=g.prevent');
    expect(redirect!.text).toBe('callback');
  });

  it('says it did not understand and re-prompts when nothing matches', async () => {
    const { said, gather } = await call('/twilio/voice/menu', { SpeechResult: '今天天气怎么样' }, 'at=main');
    expect(said.startsWith(content.prompts.voice.notUnderstood)).toBe(true);
    expect(gather!.attrs.action).toBe('menu?at=main&s=1');
  });
});

describe('asking back, and "不是这个"', () => {
  /** A spoken question the shipped classifier asks back about, found in the corpus rather than hard-coded. */
  const asked = corpusLines().find((q) => understand(q).reason === 'ask' && !understand(q).choices!.includes('callback'))!;

  it('asks back between the two close topics, and takes 1 or 2 to the chosen answer', async () => {
    const [first, second] = understand(asked).choices!;
    const { said, gather } = await call('/twilio/voice/menu', { SpeechResult: asked, Confidence: '0.9' }, 'at=main');
    expect(said).toBe(`您是想问：${labels(first)}，请按1；还是：${labels(second)}，请按2。都不是，请按0。`);
    expect(gather!.attrs.action).toBe(`menu?at=a.${first}.${second}&s=1`);
    for (const [key, topic] of [['1', first], ['2', second]] as const) {
      const chosen = await press(gather!, '/twilio/voice/menu', key);
      expect(chosen.said).toContain(speakNumbers(content.topics.get(topic)!.speech));
      expect(chosen.gather!.attrs.action).toBe(`menu?at=h.${topic}&s=1`);
    }
    const none = await press(gather!, '/twilio/voice/menu', '0');
    expect(none.gather!.attrs.action).toBe('menu?at=main&s=1');
    const again = await press(gather!, '/twilio/voice/menu', '*');
    expect(again.said).toBe(said);
  });

  it('takes a short spoken choice as its key: "第一个", "二", "都不是", and "不是这个" after an answer', async () => {
    const at = 'a.evidence.report-police';
    for (const [SpeechResult, action] of [['第一个', 'h.evidence'], ['嗯 一', 'h.evidence'], ['第二个吧', 'h.report-police'], ['两', 'h.report-police'], ['都不是', 'main']] as const) {
      const { gather } = await call('/twilio/voice/menu', { SpeechResult }, `at=${at}`);
      expect(gather!.attrs.action, SpeechResult).toBe(`menu?at=${action}&s=1`);
    }
    const notThis = await call('/twilio/voice/menu', { SpeechResult: '不是这个' }, 'at=h.evidence');
    expect(notThis.said.startsWith(content.prompts.voice.notThis)).toBe(true);
    // A longer sentence is a new question, wherever it is said.
    const question = await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办' }, `at=${at}`);
    expect(question.gather!.attrs.action).toBe('menu?at=h.already-exposed&s=1');
  });

  it('keeps 8 open after the police answer to a threat heard in speech (false alarms happen), never after a crisis', async () => {
    const threat = await call('/twilio/voice/menu', { SpeechResult: '催收说要来我家砍我' }, 'at=main');
    expect(threat.gather!.attrs.action).toBe('menu?at=h.report-police&s=1');
    const crisis = await call('/twilio/voice/menu', { SpeechResult: '我真的不想活了' }, 'at=main');
    expect(crisis.gather!.attrs.action).toBe('menu?at=t.crisis&s=1');
    expect(crisis.said).not.toMatch(/按8/);
  });

  it('starts the callback flow when "a person calls me back" is the choice', async () => {
    // The other choice goes along: it is what the caller was asking about.
    const first = await call('/twilio/voice/menu', { Digits: '1' }, 'at=a.callback.block-harassment');
    expect(first.redirect!.text).toBe('callback?topic=block-harassment');
    const second = await call('/twilio/voice/menu', { Digits: '2' }, 'at=a.block-harassment.callback');
    expect(second.redirect!.text).toBe('callback?topic=block-harassment');
  });

  it('treats a tampered group or silence count as the main menu and a fresh count', async () => {
    for (const at of ['g.constructor', 'g.__proto__', 'g.toString']) {
      const { gather } = await call('/twilio/voice/menu', { Digits: '*' }, `at=${at}`);
      expect(gather!.attrs.action, at).toBe('menu?at=main&s=1');
    }
    const negative = await call('/twilio/voice/menu', {}, 'at=main&s=-5');
    expect(negative.gather!.attrs.action).toBe('menu?at=main&s=1');
  });

  it('treats a tampered ask-back position as the main menu', async () => {
    for (const at of ['a.evidence', 'a.evidence.evidence', 'a.evidence.nonsense', 'a.evidence.lawsuit.crisis']) {
      const { gather } = await call('/twilio/voice/menu', { Digits: '*' }, `at=${at}`);
      expect(gather!.attrs.action, at).toBe('menu?at=main&s=1');
    }
  });

  it('after a spoken answer, 8 says "不是这个": back to the question, with the menu read', async () => {
    const answered = await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办', Confidence: '0.8' }, 'at=main');
    expect(answered.said).toContain('不是这个请按8');
    const notThis = await press(answered.gather!, '/twilio/voice/menu', '8');
    expect(notThis.said.startsWith(content.prompts.voice.notThis)).toBe(true);
    expect(notThis.said).toContain(content.prompts.voice.menuIntro);
    expect(notThis.gather!.attrs.action).toBe('menu?at=main&s=1&x=already-exposed');
    // Saying the same again does not bring the same answer: it asks between the next two likeliest topics.
    const saidAgain = await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办' }, 'at=main&s=1&x=already-exposed');
    const [, second, third] = understand('我的通讯录被报了怎么办').candidates;
    expect(saidAgain.gather!.attrs.action).toBe(`menu?at=a.${second}.${third}&s=1`);
    // A key press or a different question is unaffected; a tampered x is ignored.
    expect((await call('/twilio/voice/menu', { Digits: '1' }, 'at=main&s=1&x=already-exposed')).gather!.attrs.action).toBe('menu?at=t.already-exposed&s=1');
    expect((await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办' }, 'at=main&x=nonsense')).gather!.attrs.action).toBe('menu?at=h.already-exposed&s=1');
    // Reached by keys, a topic has no "not this": 8 is not in its menu.
    const byKeys = await call('/twilio/voice/menu', { Digits: '8' }, 'at=t.already-exposed');
    expect(byKeys.said.startsWith(content.prompts.voice.unknownKey)).toBe(true);
  });

  it('asks back rather than answers when the recogniser is unsure, but never for a crisis', async () => {
    const unsure = await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办', Confidence: '0.2' }, 'at=main');
    const [first, second] = understand('我的通讯录被报了怎么办').candidates;
    expect(unsure.said.startsWith(content.prompts.voice.unsure)).toBe(true);
    expect(unsure.gather!.attrs.action).toBe(`menu?at=a.${first}.${second}&s=1`);
    // 0 is Google's "not set", and a missing or malformed value is no information: answer as usual.
    for (const Confidence of ['0', '', 'abc', '7']) {
      const sure = await call('/twilio/voice/menu', { SpeechResult: '我的通讯录被报了怎么办', Confidence }, 'at=main');
      expect(sure.gather!.attrs.action, Confidence).toBe('menu?at=h.already-exposed&s=1');
    }
    const crisis = await call('/twilio/voice/menu', { SpeechResult: '我真的不想活了', Confidence: '0.1' }, 'at=main');
    expect(crisis.gather!.attrs.action).toBe('menu?at=t.crisis&s=1');
  });
});

describe('bad input from Twilio', () => {
  it('answers with valid TwiML when CallSid, From and Digits are missing', async () => {
    const response = await handler(twilioEvent({ path: '/twilio/voice/menu', query: 'at=main&s=1', params: {} }));
    expect(response.statusCode).toBe(200);
    expect(spoken(parseTwiml(response.body))[0]).toBe(content.prompts.voice.notHeard);
  });

  it('answers with valid TwiML for a withheld caller ID and very long digits and speech', async () => {
    const response = await handler(
      twilioEvent({ path: '/twilio/voice/menu', query: 'at=main', params: { From: 'anonymous', Digits: '1'.repeat(5000), SpeechResult: '爆'.repeat(5000) } }),
    );
    expect(response.statusCode).toBe(200);
    parseTwiml(response.body);
  });

  it('answers with the spoken apology, not an error, when the callback branch fails', async () => {
    const failing = createVoiceHandler({ locales, config, logger: silentLogger, callback: () => Promise.reject(new Error('boom')) });
    const response = await failing(twilioEvent({ path: '/twilio/voice/callback', params: { CallSid: 'CA1' } }));
    expect(response.statusCode).toBe(200);
    const verbs = parseTwiml(response.body);
    expect(spoken(verbs)).toEqual([content.prompts.voice.systemError]);
    expect(verbs.at(-1)!.name).toBe('Hangup');
  });
});

describe('safety in speech, at any position', () => {
  for (const at of ['main', 'g.report', 'g.law', 't.negotiate', 't.crisis']) {
    it(`answers despair with the crisis reply at ${at}, then offers an urgent callback on 9`, async () => {
      const { said, gather } = await call('/twilio/voice/menu', { SpeechResult: '我真的不想活了' }, `at=${at}`);
      expect(said.startsWith(content.prompts.voice.crisisHeard)).toBe(true);
      expect(said).toContain(speakNumbers(content.topics.get('crisis')!.speech));
      expect(said).toContain('幺二三五六');
      expect(gather!.attrs.action).toBe('menu?at=t.crisis&s=1');
      const next = await press(gather!, '/twilio/voice/menu', '9');
      expect(next.redirect!.text).toBe('callback?topic=crisis');
    });
  }

  it('answers a threat to physical safety with the police answer, 110 first', async () => {
    const { said, gather } = await call('/twilio/voice/menu', { SpeechResult: '催收说要来我家砍我' }, 'at=g.prevent');
    expect(said.startsWith(speakNumbers(content.prompts.voice.threatHeard))).toBe(true);
    expect(said).toContain('幺幺零');
    expect(gather!.attrs.action).toBe('menu?at=h.report-police&s=1');
  });

  it('lets a caller who denies it be ("我没想死") reach the matched topic', async () => {
    const { gather } = await call('/twilio/voice/menu', { SpeechResult: '我没想死，就是想跟平台协商还款' }, 'at=main');
    expect(gather!.attrs.action).toBe('menu?at=h.negotiate&s=1');
  });
});

describe('numbers spoken digit by digit', () => {
  it('reads runs of 3+ digits one by one with 幺, groups with a pause, and leaves quantities alone', () => {
    expect(speakNumbers('打12378投诉')).toBe('打幺二三七八投诉');
    expect(speakNumbers('马上打110')).toBe('马上打幺幺零');
    expect(speakNumbers('希望热线400-161-9995')).toBe('希望热线四零零，幺六幺，九九九五');
    expect(speakNumbers('010-82951332')).toBe('零幺零，八二九五幺三三二');
    expect(speakNumbers('１２３５６')).toBe('幺二三五六');
    expect(speakNumbers('24小时，4倍，按9')).toBe('24小时，4倍，按9');
    expect(speakNumbers('1-2')).toBe('1-2');
  });
});
