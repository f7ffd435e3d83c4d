import { describe, expect, it } from 'vitest';
import type { FailureMetric } from '../lambdas/shared/metrics';
import { twilioWebhook } from '../lambdas/http/twilio-webhook';
import { config, silentLogger, twilioEvent } from './support/twilio';

const APOLOGY = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>抱歉</Say></Response>';

describe('one deadline per webhook', () => {
  it('answers with the apology when the answer takes longer than the deadline', async () => {
    const counted: FailureMetric[] = [];
    const handler = twilioWebhook({
      config,
      logger: silentLogger,
      // Never settles, like a store call stuck on a slow database.
      respond: () => new Promise<string>(() => {}),
      apology: () => APOLOGY,
      countFailure: (name) => counted.push(name),
      deadlineMs: 20,
    });
    const answer = await handler(twilioEvent({ path: '/twilio/sms', params: { From: '+8613812345678', Body: '回电', MessageSid: 'SMslow' } }));
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toBe(APOLOGY);
    expect(counted).toEqual(['StoreFailure']);
  });

  it('answers normally when the work finishes first', async () => {
    const handler = twilioWebhook({ config, logger: silentLogger, respond: async () => '<Response/>', apology: () => APOLOGY, deadlineMs: 5000 });
    const answer = await handler(twilioEvent({ path: '/twilio/sms', params: { From: '+8613812345678', Body: '0', MessageSid: 'SMfast' } }));
    expect(answer.body).toBe('<Response/>');
  });
});
