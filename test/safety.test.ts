import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectSafety } from '../lambdas/safety/detect';
import { understand } from './support/twilio';

interface SafetyCase {
  text: string;
  expect: 'crisis' | 'threat' | 'none';
}
const load = (name: string): SafetyCase[] =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SafetyCase);

const kindOf = (text: string) => detectSafety(text)?.kind ?? 'none';

/** Recall of one label and the share of `none` lines that raised an alarm. */
function measure(cases: SafetyCase[], detect: (text: string) => string) {
  const of = (label: SafetyCase['expect']) => cases.filter((c) => c.expect === label);
  const recall = (label: SafetyCase['expect']) => of(label).filter((c) => detect(c.text) === label).length / of(label).length;
  const falseAlarms = of('none').filter((c) => detect(c.text) !== 'none').length / of('none').length;
  return { crisis: recall('crisis'), threat: recall('threat'), falseAlarms };
}

describe('crisis detector on the development set', () => {
  const dev = load('safety-dev.jsonl');

  it('has at least 60 crisis phrasings and 30 sentences that must not trigger it', () => {
    expect(dev.filter((c) => c.expect === 'crisis').length).toBeGreaterThanOrEqual(60);
    expect(dev.filter((c) => c.expect === 'none').length).toBeGreaterThanOrEqual(30);
  });

  for (const c of dev.filter((x) => x.expect === 'crisis')) {
    it(`hears a crisis in ${JSON.stringify(c.text)}`, () => expect(kindOf(c.text)).toBe('crisis'));
  }
  for (const c of dev.filter((x) => x.expect === 'threat')) {
    it(`hears a threat in ${JSON.stringify(c.text)}`, () => expect(kindOf(c.text)).toBe('threat'));
  }

  it('raises no alarm on ordinary questions and everyday hyperbole (one known, accepted false alarm)', () => {
    const alarms = dev.filter((c) => c.expect === 'none' && kindOf(c.text) !== 'none').map((c) => c.text);
    // 安眠药 for a grandmother's insomnia: erring on the side of care, the crisis lines are sent.
    expect(alarms).toEqual(['药店能买到安眠药吗 我问的是我奶奶失眠']);
  });
});

describe('crisis detector on the frozen blind set (measured, never tuned on)', () => {
  const blind = load('blind/safety-blind.jsonl');

  it('keeps its floors: the detector alone, and the whole understanding step (detector, then the classifier)', () => {
    const detector = measure(blind, kindOf);
    const pipeline = measure(blind, (text) => {
      const { reason } = understand(text);
      return reason === 'crisis' || reason === 'threat' ? reason : 'none';
    });
    console.info(`blind safety set: detector ${JSON.stringify(detector)}; with the classifier ${JSON.stringify(pipeline)}`);
    // Floors a little under the figures reported in the issue note: a change that loses recall fails.
    expect(detector.crisis).toBeGreaterThanOrEqual(0.6);
    expect(pipeline.crisis).toBeGreaterThanOrEqual(detector.crisis);
    // The classifier's own crisis band (chosen on the corpus) finds most of what the cues miss: 87 % measured.
    expect(pipeline.crisis).toBeGreaterThanOrEqual(0.84);
    expect(pipeline.falseAlarms).toBeLessThanOrEqual(0.25);
    expect(detector.threat).toBeGreaterThanOrEqual(0.65);
    expect(detector.falseAlarms).toBeLessThanOrEqual(0.2);
  });
});

describe('crisis detector edges', () => {
  it('finds a crisis sentence buried in a long message', () => {
    const long = `${'催收每天打我电话，通讯录的人都知道了。'.repeat(40)}我真的不想活了。${'请问怎么投诉他们？'.repeat(20)}`;
    expect(long.length).toBeGreaterThan(900);
    expect(kindOf(long)).toBe('crisis');
  });

  it('reads traditional characters, full-width forms and toneless pinyin', () => {
    for (const text of ['我真的活不下去了', '我不想活了，對不起家人', '想自殺', 'ＷＯ ＢＵＸＩＡＮＧＨＵＯＬＥ', 'bu xiang huo le', 'xiang si']) expect(kindOf(text), text).toBe('crisis');
  });

  it('takes a plain denial as a denial, but not a denial followed by despair', () => {
    expect(kindOf('我没想死，就是想问怎么协商')).toBe('none');
    expect(kindOf('我从来没有想过自杀')).toBe('none');
    expect(kindOf('不会想不开的，放心')).toBe('none');
    expect(kindOf('bu xiang si')).toBe('none');
    expect(kindOf('我没想死，可是真的撑不下去了')).toBe('crisis');
  });

  it('hears a question as a question, and a negative cue after another 没 as despair', () => {
    expect(kindOf('是不是我死了就不用还了')).toBe('crisis');
    expect(kindOf('是不是我不在了他们就不会再打给我家里人了')).toBe('crisis');
    expect(kindOf('我好几天没吃饭了 不想活')).toBe('crisis');
    expect(kindOf('活着没什么意义')).toBe('crisis');
    expect(kindOf('脑子里总冒出不好的念头')).toBe('crisis');
  });

  it('leaves everyday words alone: hyperbole, phone calls to a workplace, a typo of 砍头息, English words', () => {
    for (const text of ['点了允许 后悔死了', '前男友都接到催收电话了 社死', '催收打到单位去了', '能不能明天上午找人打给我', '砍头系怎么算', 'someone keeps calling me about my ex', '借钱软件要相册 定位权限', '孩子上幼儿园要办什么手续']) {
      expect(kindOf(text), text).toBe('none');
    }
    expect(kindOf('他们说要到单位来找我')).toBe('threat');
    expect(kindOf('说要找人打我')).toBe('threat');
  });

  it('treats abuse from collectors as abuse, and the caller saying it as a crisis', () => {
    expect(kindOf('催收叫我去死')).toBe('none');
    expect(kindOf('让我去死吧')).toBe('crisis');
  });

  it('puts a crisis before a threat in the same message', () => {
    expect(kindOf('他们说要上门砍我，我不想活了')).toBe('crisis');
    expect(kindOf('他们说要上门砍我')).toBe('threat');
  });

  it('answers empty and odd input without an error', () => {
    for (const text of ['', ' ', '😀', '\u0000', 'x'.repeat(100_000)]) expect(kindOf(text)).toBe('none');
  });
});

describe('understanding: safety first, then the classifier', () => {
  it('answers a crisis whatever the matcher thinks, and a threat with the police answer', () => {
    expect(understand('通讯录被爆了，我不想活了')).toMatchObject({ topic: 'crisis', reason: 'crisis' });
    expect(understand('催收说要来我家砍我')).toMatchObject({ topic: 'report-police', reason: 'threat' });
    expect(understand('P了我的照片发给同学')).toMatchObject({ topic: 'report-police', reason: 'threat' });
    expect(understand('怎么设置拦截陌生电话')).toMatchObject({ topic: 'block-harassment', reason: 'matched' });
    expect(understand('明天会下雨吗')).toMatchObject({ topic: null, reason: 'unmatched' });
  });

});
