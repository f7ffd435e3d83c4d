/**
 * The counts as `npm start` keeps them, over real HTTP: the terminal phone posts Twilio's status
 * callback at the end of a call, staff read the counts with the staff client, and after a varied run
 * (numbers, digits and names in texts and speech, a number keyed in) not one STATS# or CALL# item in
 * the table holds a phone-like digit run or any of the words people sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalHotline, type LocalHotline } from '../dev/local-server';
import { parseCommandLine } from '../dev/phone-command-line';
import { parseKeys, playCall, postSignedForm, type Answer } from '../dev/phone-lib';
import { createDynamoClient } from '../lambdas/callbacks/dynamo-client';
import { CALLBACK_TABLE, KEY_PREFIX } from '../lambdas/callbacks/table';
import { createStaffClient } from '../lambdas/staff/client';
import { statsClient } from '../lambdas/staff/stats-client';
import { isCounterName, isPositionId } from '../lambdas/stats/vocabulary';

const STAFF = 'stats-http-staff-token';
const DAY = '2026-12-03';
const clock = { ms: Date.parse(`${DAY}T10:00:00+08:00`) };
let hotline: LocalHotline;
const quiet = { print: () => {} };

beforeAll(async () => {
  hotline = await startLocalHotline({ port: 0, authToken: 'stats-http-token', staffUsers: { [STAFF]: 'alice' }, now: () => new Date(clock.ms) });
});
afterAll(async () => {
  await hotline?.close();
});

const staffStats = () => statsClient(createStaffClient({ baseUrl: hotline.url, token: () => STAFF, fetch })).stats({ from: DAY, to: DAY });

/** A call as `npm run phone -- call` places it: the command line's options, status callback included. */
async function call(answers: Answer[], from = '+8613812345678') {
  const command = parseCommandLine(['call', '--from', from, '--url', hotline.url], { TWILIO_AUTH_TOKEN: hotline.authToken });
  if (command.kind !== 'call') throw new Error('expected a call');
  return playCall({ ...command.options, answers }, quiet, fetch);
}

async function text(from: string, body: string) {
  const response = await postSignedForm(hotline.url, '/twilio/sms', { MessageSid: `SM${Math.random().toString(16).slice(2)}`, From: from, Body: body }, hotline.authToken);
  expect(response.status).toBe(200);
}

describe('npm run phone -- call', () => {
  it("posts Twilio's status callback, signed, when the call is over: the call's end is counted once", async () => {
    const before = (await staffStats()).total.callEnds['topic.report-police'] ?? 0;
    const result = await call(parseKeys('3 2 q'));
    expect(result.outcome).toBe('hangup');
    expect(result.statusCallback).toMatchObject({ method: 'POST', url: `${hotline.url}/twilio/voice/status`, params: { CallStatus: 'completed', CallSid: result.requests[0]!.params.CallSid } });
    // The server checked its signature: a badly signed one is refused.
    const { url, params } = result.statusCallback!;
    expect((await postSignedForm(hotline.url, '/twilio/voice/status', params, 'not-the-token')).status).toBe(403);
    expect(url).toBe(`${hotline.url}/twilio/voice/status`);
    expect((await staffStats()).total.callEnds['topic.report-police']).toBe(before + 1);
    // Twilio retrying the same callback counts nothing more.
    expect((await postSignedForm(hotline.url, '/twilio/voice/status', params, hotline.authToken)).status).toBe(200);
    expect((await staffStats()).total.callEnds['topic.report-police']).toBe(before + 1);
  });
});

describe('counting without personal data', () => {
  const phones = ['+8613912345678', '+8613700001234', '+8613698765432', '+8615011112222'];
  const bodies = [
    '我叫王磊，电话13912345678，催收天天打',
    '张伟的号码是13800001111，帮我看看',
    '13912345678',
    '0755-8765 4321 是催收的号码',
    'my name is Wanglei, call me on 555 0100 123',
    '31',
    '4',
    '回电 晚上 我是李娜',
    '编号',
    '我不想活了 我叫李娜 13700001234',
    '退订',
    '订阅',
  ];
  const said = ['我叫王磊电话13912345678', '催收的人叫刘强他说要起诉我', '第一个'];

  it('leaves no phone-like digits and none of the words people sent in any STATS# or CALL# item', async () => {
    for (const [i, body] of bodies.entries()) await text(phones[i % phones.length]!, body);
    await call([{ kind: 'speech', text: said[0]! }, { kind: 'speech', text: said[1]! }, { kind: 'speech', text: said[2]! }, { kind: 'hangup' }], phones[1]);
    // A callback by voice with a number keyed in (the first one wrong), then the code read out.
    await call(parseKeys('5 9 3 2 12345 13698765432 1 q'), phones[3]);
    await call(parseKeys('_ _ _'), phones[2]);

    const client = createDynamoClient({ endpoint: hotline.dynamoEndpoint });
    const doc = DynamoDBDocumentClient.from(client);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: CALLBACK_TABLE.defaultName, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    client.destroy();
    const counted = items.filter((item) => String(item.pk).startsWith(KEY_PREFIX.stats) || String(item.pk).startsWith(KEY_PREFIX.call));
    expect(counted.some((item) => String(item.pk).startsWith(KEY_PREFIX.call))).toBe(true);
    expect(counted.find((item) => item.pk === `${KEY_PREFIX.stats}${DAY}`)).toMatchObject({ 'contact.sms': bodies.length, 'crisis.sms': 2, 'cb.requested.voice': 1 });

    // Every word people sent (Chinese, or a Latin name); short Latin words ("call", "me") are the vocabulary's own too.
    const words = [...bodies, ...said].flatMap((text) => text.split(/[\s，,。]+/)).filter((word) => word.length >= 2 && (/[^ -~]/.test(word) || word.length >= 5));
    const phoneLike = /\d{5,}/;
    const problems: string[] = [];
    for (const item of counted) {
      for (const [name, value] of Object.entries(item)) {
        const where = `${String(item.pk)} ${name}`;
        if (!['pk', 'kind', 'expiresAt', 'position', 'ended'].includes(name) && !isCounterName(name)) problems.push(`${where}: not a known attribute`);
        if (phoneLike.test(name) || !/^[\x21-\x7e]+$/.test(name) || words.some((word) => name.includes(word))) problems.push(`${where}: name`);
        if (typeof value === 'string') {
          if (phoneLike.test(value) || !/^[A-Za-z0-9#.-]+$/.test(value)) problems.push(`${where}: ${value}`);
          if (words.some((word) => value.includes(word))) problems.push(`${where}: holds a word sent`);
        } else if (typeof value === 'number') {
          if (name === 'expiresAt' ? !(value > clock.ms / 1000 && value < clock.ms / 1000 + 401 * 86_400) : !(Number.isInteger(value) && value > 0 && value < 1000)) problems.push(`${where}: ${value}`);
        } else if (!(name === 'ended' && value === true)) problems.push(`${where}: ${typeof value}`);
        if (name === 'position' && !isPositionId(String(value))) problems.push(`${where}: not a position`);
      }
    }
    expect(problems).toEqual([]);
  });
});
