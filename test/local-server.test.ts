import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHotline, type LocalHotline } from '../dev/local-server';
import { parseKeys, playCall } from '../dev/phone-lib';
import { sendSms } from '../dev/phone-sms';
import { CALLBACK_TABLE } from '../lambdas/callbacks/table';
import { speakNumbers } from '../lambdas/voice/spoken-numbers';
import { content, parseTwiml, spoken } from './support/twilio';

let hotline: LocalHotline;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hotline-'));
  hotline = await startLocalHotline({ port: 0, dataDir, authToken: 'local-test-token' });
});
afterAll(async () => {
  await hotline?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(path: string, params: Record<string, string>, sign = true) {
  const url = `${hotline.url}${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (sign) headers['x-twilio-signature'] = getExpectedTwilioSignature(hotline.authToken, url, params);
  const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

describe('local hotline over real HTTP', () => {
  it('answers a signed incoming call with the greeting', async () => {
    const response = await post('/twilio/voice', { CallSid: 'CA1', From: '+8613812345678' });
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^text\/xml/);
    expect(spoken(parseTwiml(response.body))[0]).toBe(speakNumbers(content.prompts.voice.greeting));
  });

  it('follows a relative action URL to a topic', async () => {
    const response = await post('/twilio/voice/menu?at=main', { CallSid: 'CA1', Digits: '5' });
    expect(spoken(parseTwiml(response.body))).toContain(content.topics.get('negotiate')!.speech);
  });

  it('answers a text', async () => {
    const response = await post('/twilio/sms', { MessageSid: 'SM1', From: '+8613812345678', Body: '網貸逾期了通訊錄被爆怎麼辦' });
    expect(parseTwiml(response.body)[0]!.text).toBe(content.topics.get('already-exposed')!.sms + content.prompts.sms.footer);
  });

  it('walks a call from the greeting to an answer and back to the menu with npm run phone', async () => {
    const lines: string[] = [];
    const result = await playCall({ baseUrl: hotline.url, authToken: hotline.authToken, answers: parseKeys('3 2 0 _ _ _') }, { print: (l) => lines.push(l) }, fetch);
    expect(result.outcome).toBe('hangup');
    const transcript = lines.join('\n');
    const order = [speakNumbers(content.prompts.voice.greeting), speakNumbers(content.topics.get('report-police')!.speech), content.prompts.voice.menuIntro, content.prompts.voice.goodbye];
    // Each one is said after the one before it.
    let from = 0;
    for (const text of order) {
      const at = transcript.indexOf(text, from);
      expect(at, text).toBeGreaterThanOrEqual(from);
      from = at + text.length;
    }
    expect(result.requests.map((r) => new URL(r.url).pathname + new URL(r.url).search)).toEqual([
      '/twilio/voice',
      // Every gather's action carries the count of empty answers: a key resets it, an empty answer raises it.
      '/twilio/voice/menu?at=main&s=1',
      '/twilio/voice/menu?at=g.report&s=1',
      '/twilio/voice/menu?at=t.report-police&s=1',
      '/twilio/voice/menu?at=main&s=1',
      '/twilio/voice/menu?at=main&s=2',
      '/twilio/voice/menu?at=main&s=3',
    ]);
  });

  it('texts the traditional-Chinese question with npm run phone and gets the already-exposed answer', async () => {
    const lines: string[] = [];
    const result = await sendSms({ baseUrl: hotline.url, authToken: hotline.authToken, body: '網貸逾期了通訊錄被爆怎麼辦' }, { print: (l) => lines.push(l) }, fetch);
    expect(result.messages).toEqual([content.topics.get('already-exposed')!.sms + content.prompts.sms.footer]);
  });

  it('refuses an unsigned webhook with 403', async () => {
    expect((await post('/twilio/sms', { Body: '1' }, false)).status).toBe(403);
  });

  it('refuses a 1 MB body with 413 and keeps serving', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${hotline.url}/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(`Body=${'x'.repeat(1024 * 1024)}`);
    });
    expect(status).toBe(413);
    expect((await post('/twilio/sms', { Body: '0' })).status).toBe(200);
  });

  it('answers a method or path with no route as API Gateway does: 404 {"message":"Not Found"}', async () => {
    for (const [method, path] of [['GET', '/nothing'], ['GET', '/twilio/voice'], ['DELETE', '/staff/callbacks/x'], ['POST', '/staff/me']]) {
      const answer = await fetch(`${hotline.url}${path}`, { method });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(await answer.json()).toEqual({ message: 'Not Found' });
    }
  });

  it('answers 40 concurrent signed texts, all with valid TwiML', async () => {
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post('/twilio/sms', { MessageSid: `SM${i}`, From: `+861380013${String(i).padStart(4, '0')}`, Body: String((i % 6) + 1) })),
    );
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      parseTwiml(reply.body);
    }
  });

  it('creates the callback table in the embedded DynamoDB and keeps it across restarts', async () => {
    // A request made before the restart is still found by its number: the per-number key secret is kept too.
    await post('/twilio/sms', { MessageSid: 'SMrestart', From: '+8613812340000', Body: '回电 晚上' });
    const before = (await hotline.store.findPending('+8613812340000'))!;
    const keyFile = join(dataDir, 'phone-key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    await hotline.close();
    hotline = await startLocalHotline({ port: 0, dataDir, authToken: 'local-test-token' });
    const client = new DynamoDBClient({ endpoint: hotline.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const table = await client.send(new DescribeTableCommand({ TableName: CALLBACK_TABLE.defaultName }));
    expect(table.Table?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe(CALLBACK_TABLE.queueIndex.name);
    client.destroy();
    expect((await hotline.store.findPending('+8613812340000'))?.id).toBe(before.id);
  });
});
