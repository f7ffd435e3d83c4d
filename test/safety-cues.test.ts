/**
 * The safety cues word by word: each short form a cue allows (an optional 了, 再, 的, a few words in
 * between) is heard, and each denial or abuse rule applies only where it stands. The measured recall
 * over the labelled sets is in safety.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { detectSafety } from '../lambdas/safety/detect';

const kindOf = (text: string) => detectSafety(text)?.kind ?? 'none';

describe('crisis cues in their short forms', () => {
  const crisis = [
    '不愿活', '不愿再活', '活下去没意义', '活下去没有意义', '活着在受罪', '活着只是个负担', '活着就是在拖累', '唔想活', '唔想再生存',
    '我死了', '死了倒干净', '再见这个世界', '再见了世界', '我要从这个世界消失', '拿刀划自己', '拿刀割自己', '不想醒来', '希望再也不醒',
    '想吞药', '在攒药', '没活路', '没希望了', '对不起爸妈以后就联系不上了', '写一封信就走了', '写了封信就走了', '写了一封信然后就走了',
    '走了也没人在乎', '我走了没人心疼', '帮我照顾孩子', 'bu xiang huo le', 'xiang，si',
  ];
  for (const text of crisis) {
    it(`hears ${JSON.stringify(text)}`, () => {
      expect(kindOf(text)).toBe('crisis');
    });
  }
});

describe('threat cues in their short forms', () => {
  const threats = [
    '要打断你的腿', '卸了你的胳膊', '要你命', '灭你全家', '灭了全家', '要到学校找你', '找到你单位', '给你ps成', '把你ps了', '把我照片都p了',
    '你照片被p了', '你的照片被他们p了', '小心你父母安全', 'shang men', '老板叫他弄死你',
  ];
  for (const text of threats) {
    it(`hears ${JSON.stringify(text)}`, () => {
      expect(kindOf(text)).toBe('threat');
    });
  }

  it('hears no threat in a word that only contains ps', () => {
    expect(kindOf('我用photoshop修图')).toBe('none');
  });
});

describe('denials and abuse, only where they stand', () => {
  it('takes a denial only within three characters before the cue', () => {
    expect(kindOf('我没想死')).toBe('none');
    expect(kindOf('没钱还了现在我想死')).toBe('crisis');
  });

  it('takes 不 or 不想 as a denial only right before the cue', () => {
    expect(kindOf('我不想死')).toBe('none');
    expect(kindOf('不还钱我想死')).toBe('crisis');
  });

  it('takes "told to die" only when the telling is right before the cue', () => {
    expect(kindOf('催收叫我去死')).toBe('none');
    expect(kindOf('他说我很烦我想死')).toBe('crisis');
    expect(kindOf('他叫去那里我想死')).toBe('crisis');
  });

  it('reads the first 2000 characters and no more', () => {
    expect(kindOf(`${'啊'.repeat(1990)}我想死`)).toBe('crisis');
    expect(kindOf(`${'啊'.repeat(2000)}我想死`)).toBe('none');
  });
});
