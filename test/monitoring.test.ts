import { describe, expect, it } from 'vitest';
import { createDynamoCallbackStore } from '../lambdas/callbacks/dynamo-store';
import { createMonitor, oldestOpenAgeSeconds } from '../lambdas/monitoring/oldest-callback';
import { silentLogger } from './support/twilio';
import { useDynalite } from './support/dynalite';

const dynalite = useDynalite();

describe('callback queue monitor', () => {
  it('publishes the age of the oldest waiting request, 0 when none, ignoring claims in hand but not lapsed ones', async () => {
    let now = new Date('2026-11-02T08:00:00Z');
    const store = createDynamoCallbackStore({ client: dynalite().client, tableName: dynalite().tableName, now: () => now });
    const published: number[] = [];
    const monitor = createMonitor({ store, logger: silentLogger, publish: (s) => published.push(s), clock: () => now });

    expect(await monitor()).toEqual({ oldestOpenSeconds: 0 });

    const first = await store.requestCallback({ phone: '13812345678', window: 'evening', channel: 'voice', sourceSid: 'CA0001' });
    now = new Date('2026-11-02T09:00:00Z');
    await store.requestCallback({ phone: '13912345678', window: 'morning', channel: 'sms', sourceSid: 'SM0002' });
    now = new Date('2026-11-02T10:30:00Z');
    expect(await monitor()).toEqual({ oldestOpenSeconds: 2.5 * 3600 });

    // Claimed: no longer waiting in the queue, so the next one counts.
    await store.claim(first.request.id, 'alice');
    expect(await oldestOpenAgeSeconds(store, now)).toBe(1.5 * 3600);
    expect(published).toEqual([0, 2.5 * 3600]);

    // Once the claim lapses (its holder went home) that caller is waiting again.
    now = new Date('2026-11-02T12:31:00Z');
    expect(await oldestOpenAgeSeconds(store, now)).toBe(4.5 * 3600 + 60);
  });

  it('fails (an invocation error for the alarm) when the store fails, and publishes nothing', async () => {
    const published: number[] = [];
    const monitor = createMonitor({
      store: { listByStatus: () => Promise.reject(new Error('unavailable')) },
      logger: silentLogger,
      publish: (s) => published.push(s),
    });
    await expect(monitor()).rejects.toThrow('unavailable');
    expect(published).toEqual([]);
  });
});
