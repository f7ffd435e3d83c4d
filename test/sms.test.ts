import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { groupMenu } from '../lambdas/sms/replies';
import { menuNumbers } from '../lambdas/content/content';
import { corpusLines } from './support/corpus';
import { freshMobile, useTestHotline } from './support/hotline';
import { content, understand, parseTwiml, twilioEvent } from './support/twilio';

const hotline = useTestHotline();
const handler: ReturnType<typeof hotline>['sms'] = (event) => hotline().sms(event);
const sms = content.prompts.sms;
const topicText = (id: string) => content.topics.get(id as never)!.sms + sms.footer;

let sids = 0;
/** Each text from a number of its own (opt-outs and hourly limits are tested in callback-flows.test.ts). */
async function text(body: string, from: string = freshMobile()): Promise<string | null> {
  const response = await handler(twilioEvent({ path: '/twilio/sms', params: { MessageSid: `SMtext${++sids}`, From: from, Body: body } }));
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/xml/);
  const verbs = parseTwiml(response.body);
  expect(verbs.every((v) => v.name === 'Message')).toBe(true);
  return verbs[0]?.text ?? null;
}

describe('SMS keywords', () => {
  for (const body of ['', '   ', '0', '０', '菜单', '帮助', 'MENU', 'menu', 'Help', 'HELP', '?', '？', '菜单。']) {
    it(`sends the one-segment menu for ${JSON.stringify(body)}`, async () => {
      expect(await text(body)).toBe(sms.menu);
    });
  }

  it('keeps the menu within one segment', () => {
    expect(new SegmentedMessage(sms.menu).segmentsCount).toBe(1);
  });

  for (const body of ['回电', '人工', 'CALL', 'call', '9', '９', '回9', '回电 晚上', '回电晚上']) {
    it(`records a callback request for ${JSON.stringify(body)} and texts its code`, async () => {
      const from = freshMobile();
      const reply = await text(body, from);
      const pending = await hotline().store.findPending(from);
      expect(pending).toBeTruthy();
      expect(reply).toContain(pending!.code);
    });
  }

  for (const body of ['退订', 'TD', 'td', 'STOP', 'Stop', 'unsubscribe']) {
    it(`confirms the opt-out for ${JSON.stringify(body)}`, async () => {
      expect(await text(body)).toBe(sms.optOut);
    });
  }

  for (const body of ['订阅', 'START', 'start']) {
    it(`confirms the opt-in for ${JSON.stringify(body)}`, async () => {
      expect(await text(body)).toBe(sms.optIn + sms.menu);
    });
  }
});

describe('SMS menu numbers', () => {
  for (const item of content.menu.main) {
    if ('topic' in item) {
      if (item.topic === 'callback') continue;
      it(`answers ${item.key} (half and full width) with ${item.topic}`, async () => {
        expect(await text(item.key)).toBe(topicText(item.topic));
        expect(await text(String.fromCharCode(0xff10 + Number(item.key)))).toBe(topicText(item.topic));
      });
    } else {
      it(`answers ${item.key} with the ${item.group} sub-menu in one segment`, async () => {
        const reply = await text(item.key);
        expect(reply).toBe(groupMenu(item.group, content));
        expect(new SegmentedMessage(reply!).segmentsCount).toBe(1);
      });
      for (const sub of content.menu.groups[item.group]!.items) {
        for (const form of [`${item.key}${sub.key}`, `${item.key} ${sub.key}`, `${item.key}-${sub.key}`]) {
          it(`answers ${JSON.stringify(form)} with ${sub.topic}`, async () => {
            expect(await text(form)).toBe(topicText(sub.topic));
          });
        }
      }
    }
  }

  for (const body of ['8', '39', '99', '55', '66']) {
    it(`says ${body} is not a menu number and sends the menu`, async () => {
      expect(await text(body)).toBe(sms.unknownNumber + sms.menu);
    });
  }
});

describe('SMS free text', () => {
  it('answers the traditional-Chinese question with the already-exposed answer', async () => {
    expect(await text('網貸逾期了通訊錄被爆怎麼辦')).toBe(topicText('already-exposed'));
  });

  it('answers pinyin and homophones', async () => {
    expect(await text('tongxunlu bei bao le zenme ban')).toBe(topicText('already-exposed'));
    expect(await text('能跟平台谢商一下吗')).toBe(topicText('negotiate'));
  });

  it('sends the menu when nothing matches', async () => {
    expect(await text('明天会下雨吗')).toBe(sms.menu);
  });

  it('answers a 2,000-character message from its beginning within the segment budget', async () => {
    const reply = await text(`我不是借款人，催收天天打我电话。${'啊'.repeat(2000)}`);
    expect(reply).toBe(topicText('for-contacts'));
    expect(new SegmentedMessage(reply!).segmentsCount).toBeLessThanOrEqual(3);
  });

  it('answers emoji-only and emoji-laden messages', async () => {
    expect(await text('😭😭😭')).toBe(sms.menu);
    expect(await text('😡催收打给我同事了，我不是借款人啊😡')).toBe(topicText('for-contacts'));
  });

  it('escapes XML metacharacters and never echoes the message back', async () => {
    const response = await handler(twilioEvent({ path: '/twilio/sms', params: { From: '+8613812345678', Body: '<Say>]]></Message>&amp;' } }));
    expect(response.body).not.toContain('<Say>');
    expect(parseTwiml(response.body)[0]!.text).toBe(sms.menu);
  });

  it('answers when From and Body are missing (withheld sender)', async () => {
    const response = await handler(twilioEvent({ path: '/twilio/sms', params: {} }));
    expect(parseTwiml(response.body)[0]!.text).toBe(sms.menu);
  });
});

describe('SMS: asking back instead of guessing', () => {
  const asked = corpusLines().find((q) => understand(q).reason === 'ask' && !understand(q).choices!.includes('callback'))!;

  it('asks which of two close topics was meant, answerable by their menu numbers (stateless)', async () => {
    const [first, second] = understand(asked).choices!;
    const numbers = menuNumbers(content);
    const reply = await text(asked);
    expect(reply).toBe(
      `您想问的是哪一项？\n回${numbers.get(first)}：${content.topics.get(first)!.menuLabel}\n回${numbers.get(second)}：${content.topics.get(second)!.menuLabel}\n都不是请回0看菜单`,
    );
    expect(new SegmentedMessage(reply!).segmentsCount).toBeLessThanOrEqual(2);
    // The reply names real menu numbers: texting one back gets that answer, with nothing remembered in between.
    expect(await text(numbers.get(first)!)).toBe(topicText(first));
    expect(await text(numbers.get(second)!)).toBe(topicText(second));
    expect(await text('0')).toBe(sms.menu);
  });

  it('takes "回31", "按1" and "选 2" as the menu numbers the replies name, never as a callback', async () => {
    expect(await text('回31')).toBe(topicText('evidence'));
    expect(await text('按1')).toBe(topicText('already-exposed'));
    expect(await text('选 2')).toBe(topicText('for-contacts'));
    expect(await text('回复５')).toBe(topicText('negotiate'));
  });

  it('never leads a refusal of a callback into the callback flow', async () => {
    for (const body of ['回电不用了', '人工 不用了', '不要你们回电话了', '不用回电了，谢谢']) {
      const from = freshMobile();
      expect(await text(body, from), body).not.toBe(topicText('callback'));
      expect(await hotline().store.findPending(from), body).toBeFalsy();
    }
  });

  it('gives every topic a menu number an ask-back can name', () => {
    const numbers = menuNumbers(content);
    for (const id of content.topics.keys()) expect(numbers.get(id), id).toMatch(/^\d{1,2}$/);
  });
});

describe('SMS safety first', () => {
  const crisis = topicText('crisis');

  for (const body of ['想死', '我不想活了', '網貸逾期我真的活不下去了', 'bu xiang huo le', '回电 我真的撑不下去了', '菜单 我想自杀', `${'催收天天打电话，'.repeat(60)}我想跳楼。${'怎么投诉？'.repeat(30)}`]) {
    it(`answers ${JSON.stringify(body.slice(0, 20))} with the crisis reply before anything else`, async () => {
      expect(await text(body)).toBe(crisis);
    });
  }

  it('gives the crisis reply for the menu number of the crisis topic', async () => {
    const key = content.menu.main.find((item) => 'topic' in item && item.topic === 'crisis')!.key;
    expect(await text(key)).toBe(crisis);
  });

  it('keeps the crisis reply within 3 segments, with 12356 and a 24-hour line', () => {
    expect(new SegmentedMessage(crisis).segmentsCount).toBeLessThanOrEqual(3);
    expect(crisis).toContain('12356');
    expect(crisis).toMatch(/4001619995|010-82951332/);
  });

  for (const body of ['催收说要来我家砍我', '他们威胁我', '上门催收怎么办', 'P了我的照片发给同学']) {
    it(`answers the threat ${JSON.stringify(body)} with the police answer`, async () => {
      expect(await text(body)).toBe(topicText('report-police'));
    });
  }

  it('hears a threat deep inside a long message (the whole text is checked, not only what the matcher reads)', async () => {
    expect(await text(`${'我想问问怎么投诉平台。'.repeat(80)}他们说明天要上门砍我`)).toBe(topicText('report-police'));
  });

  for (const [body, topic] of [['网贷逾期会坐牢吗', 'lawsuit'], ['收到法院传票怎么办', 'lawsuit'], ['利息超过24%还要还吗', 'illegal-loans'], ['有人收费说能帮我停息挂账', 'debt-relief-scams'], ['征信花了怎么办', 'credit-record']] as const) {
    it(`answers ${JSON.stringify(body)} with ${topic}`, async () => {
      expect(await text(body)).toBe(topicText(topic));
    });
  }
});
