/**
 * A walk of the whole voice menu through the handler (every position × every key and a few spoken
 * questions × after silence): no <Say> reads a run of digits as a number, none offers 重听. About
 * 1,300 requests: a content check for `npm test`, left out of the voice mutation group, whose own
 * tests pin each rule (it would run for every mutant of the menu).
 */
import { describe, expect, it } from 'vitest';
import { useTestHotline } from './support/hotline';
import { content, parseTwiml, spoken, twilioEvent } from './support/twilio';

const hotline = useTestHotline();

async function call(path: string, params: Record<string, string> = {}, query = '') {
  const response = await hotline().voice(twilioEvent({ path, params: { CallSid: 'CA0123', From: '+8613812345678', ...params }, query }));
  expect(response.statusCode).toBe(200);
  return { verbs: parseTwiml(response.body) };
}

describe('every <Say> in the call tree', () => {
  it('reads no run of 3 or more Arabic digits and never says 重听', async () => {
    const positions = ['main', ...Object.keys(content.menu.groups).map((g) => `g.${g}`), ...[...content.topics.keys()].map((t) => `t.${t}`)];
    const inputs: Record<string, string>[] = [
      {},
      ...['0', '1', '2', '3', '4', '5', '6', '7', '8', '*', '#'].map((Digits) => ({ Digits })),
      ...['我不想活了', '催收说要上门', '通讯录被爆了', '今天天气怎么样'].map((SpeechResult) => ({ SpeechResult })),
    ];
    let says = 0;
    for (const at of positions) {
      for (const params of inputs) {
        for (const s of ['', '&s=1', '&s=3']) {
          const { verbs } = await call('/twilio/voice/menu', params, `at=${at}${s}`);
          for (const text of spoken(verbs)) {
            says++;
            expect(text, `${at} ${JSON.stringify(params)}`).not.toMatch(/\d{3,}/);
            expect(text).not.toMatch(/重听/);
          }
        }
      }
    }
    const greeting = await call('/twilio/voice');
    for (const text of spoken(greeting.verbs)) expect(text).not.toMatch(/\d{3,}/);
    expect(says).toBeGreaterThan(1000);
  });
});
