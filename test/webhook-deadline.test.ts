import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDynamoClient, DYNAMO_CLIENT_LIMITS } from '../lambdas/callbacks/dynamo-client';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import type { FailureMetric } from '../lambdas/shared/metrics';
import { twilioWebhook } from '../lambdas/http/twilio-webhook';
import { createSmsHandler, smsApology } from '../lambdas/sms/handler';
import { config, content, locales, silentLogger, twilioEvent } from './support/twilio';

const APOLOGY = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>抱歉</Say></Response>';

describe('one deadline per webhook', () => {
  it('answers with the apology when the answer takes longer than the deadline', async () => {
    const counted: FailureMetric[] = [];
    const handler = twilioWebhook({
      fn: 'sms',
      config,
      logger: silentLogger,
      // Never settles, like a store call stuck on a slow database.
      respond: () => new Promise<string>(() => {}),
      apology: () => APOLOGY,
      countFailure: (name) => void counted.push(name),
      deadlineMs: 20,
    });
    const answer = await handler(twilioEvent({ path: '/twilio/sms', params: { From: '+8613812345678', Body: '回电', MessageSid: 'SMslow' } }));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe(APOLOGY);
    expect(counted).toEqual(['StoreFailure']);
  });

  it('answers normally when the work finishes first', async () => {
    const handler = twilioWebhook({ fn: 'sms', config, logger: silentLogger, respond: async () => '<Response/>', apology: () => APOLOGY, deadlineMs: 5000 });
    const answer = await handler(twilioEvent({ path: '/twilio/sms', params: { From: '+8613812345678', Body: '0', MessageSid: 'SMfast' } }));
    expect(answer.body).toBe('<Response/>');
  });
});

describe('the deadline reaches storage', () => {
  it('cancels the DynamoDB call that outlives the webhook: the caller gets the apology and nothing is sent after it', async () => {
    // A database that accepts connections and never answers; it counts the requests it receives.
    const sockets = new Set<Socket>();
    let requests = 0;
    const hung = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk) => (requests += (String(chunk).match(/^POST /gm) ?? []).length));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
    const client = createDynamoClient({ endpoint: `http://127.0.0.1:${(hung.address() as AddressInfo).port}` });
    // The store's own deadline is far away: without the webhook's signal the SDK would cut the stalled
    // attempt at its 2 s request timeout and send it again.
    const store = createDynamoCallbackStore({ client, tableName: 'deadline', operationTimeoutMs: 60_000 });
    const handler = createSmsHandler({ locales, logger: silentLogger, store, config, deadlineMs: 300 });
    try {
      const answer = await handler(twilioEvent({ path: '/twilio/sms', params: { From: '+8613812345678', Body: '回电 晚上', MessageSid: 'SMstall' } }));
      expect(answer.body).toBe(smsApology(content));
      await expect.poll(() => requests).toBe(1);
      // Past the SDK's request timeout (when a retry would go out): still the one request.
      await new Promise((resolve) => setTimeout(resolve, DYNAMO_CLIENT_LIMITS.requestTimeoutMs + 500));
      expect(requests).toBe(1);
    } finally {
      client.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
