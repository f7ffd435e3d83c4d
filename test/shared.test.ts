/**
 * The small shared pieces every Lambda leans on: values built once, the lazy logger, and the queue
 * monitor's arithmetic (with a store in memory; the DynamoDB store is in monitoring.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallbackRequest, CallbackStatus } from '../lambdas/callbacks/store';
import { fallbackTwiml, FALLBACK_SMS_TWIML, FALLBACK_VOICE_TWIML } from '../lambdas/fallback/handler';
import { createMonitor, oldestOpenAgeSeconds } from '../lambdas/monitoring/oldest-callback';
import { createLogger } from '../lambdas/shared/logging';
import { lazyHandler, once } from '../lambdas/shared/once';
import { silentLogger } from './support/twilio';

describe('once', () => {
  it('builds the value on first use and reuses it, also for calls made while it is being built', async () => {
    let builds = 0;
    const value = once(async () => ({ build: ++builds }));
    expect(builds).toBe(0);
    const [a, b] = await Promise.all([value(), value()]);
    expect(a).toBe(b);
    expect(await value()).toBe(a);
    expect(builds).toBe(1);
  });

  it('builds again after a failed build', async () => {
    let builds = 0;
    const value = once(async () => {
      builds += 1;
      if (builds === 1) throw new Error('secret not ready');
      return 'ok';
    });
    await expect(value()).rejects.toThrow('secret not ready');
    expect(await value()).toBe('ok');
    expect(await value()).toBe('ok');
    expect(builds).toBe(2);
  });

  it('builds a Lambda entry on its first event and reuses it for every later one', async () => {
    let builds = 0;
    const handler = lazyHandler(() => {
      builds += 1;
      return async (event: number) => event * 2;
    });
    expect(builds).toBe(0);
    expect(await handler(2)).toBe(4);
    expect(await handler(5)).toBe(10);
    expect(builds).toBe(1);
  });
});

describe('the lazy logger', () => {
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  afterEach(() => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    process.env.POWERTOOLS_LOG_LEVEL = level;
  });

  /** Lines written to stdout and stderr (warnings and errors) from now on, in order. */
  function captured(): string[] {
    const lines: string[] = [];
    const capture = ((chunk: string | Uint8Array) => (lines.push(...String(chunk).split('\n').filter(Boolean)), true)) as typeof process.stdout.write;
    process.stdout.write = capture;
    process.stderr.write = capture;
    return lines;
  }
  const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes nothing below its level, and the rest in order, masked, once the library has loaded', async () => {
    // The library applies its own level too: let it pass everything, so the one under test is ours.
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const lines = captured();
    const logger = createLogger('hotline-test', { POWERTOOLS_LOG_LEVEL: 'WARN' });
    logger.debug('not written');
    logger.info('not written either');
    logger.warn('first', { from: '13812345678' });
    logger.error('second', { route: 'sms' });
    await logger.flushed!();
    logger.warn('third');
    await logger.flushed!();
    const written = parsed(lines);
    expect(written.map((line) => [line.level, line.message])).toEqual([['WARN', 'first'], ['ERROR', 'second'], ['WARN', 'third']]);
    expect(written[0]).toMatchObject({ service: 'hotline-test', from: '138****5678' });
    expect(written[1]).toMatchObject({ route: 'sms' });
  });

  it('writes info and above by default, and debug when asked', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const lines = captured();
    const plain = createLogger('hotline-test', {});
    plain.debug('hidden');
    plain.info('shown');
    await plain.flushed!();
    const verbose = createLogger('hotline-test', { POWERTOOLS_LOG_LEVEL: 'debug' });
    verbose.debug('debug shown');
    await verbose.flushed!();
    const odd = createLogger('hotline-test', { POWERTOOLS_LOG_LEVEL: 'LOUD' });
    odd.debug('hidden too');
    odd.info('info shown');
    await odd.flushed!();
    expect(parsed(lines).map((line) => line.message)).toEqual(['shown', 'debug shown', 'info shown']);
  });

  it('writes its lines plainly, masked and in order, when the logging library cannot load, and tries again on the next line', async () => {
    vi.resetModules();
    vi.doMock('@aws-lambda-powertools/logger', () => {
      throw new Error('library missing');
    });
    const written: [string, string][] = [];
    const spies = (['warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation((line: string) => void written.push([level, line])));
    try {
      const { createLogger: freshLogger } = await import('../lambdas/shared/logging');
      const logger = freshLogger('hotline-test', { POWERTOOLS_LOG_LEVEL: 'WARN' });
      logger.warn('first', { from: '13812345678' });
      logger.error('second');
      await logger.flushed!();
      expect(written[0]).toEqual(['warn', '{"level":"warn","service":"hotline-test","args":["first",{"from":"138****5678"}]}']);
      expect(written[1]).toEqual(['error', '{"level":"error","service":"hotline-test","args":["second"]}']);
      expect(written[2]![0]).toBe('error');
      expect(written[2]![1]).toMatch(/^logger unavailable: /);
      logger.warn('third');
      await logger.flushed!();
      expect(written[3]).toEqual(['warn', '{"level":"warn","service":"hotline-test","args":["third"]}']);
    } finally {
      for (const spy of spies) spy.mockRestore();
      vi.doUnmock('@aws-lambda-powertools/logger');
      vi.resetModules();
    }
  });

  it('has nothing to wait for before its first line', async () => {
    const logger = createLogger('hotline-test', { POWERTOOLS_LOG_LEVEL: 'ERROR' });
    logger.info('below the level: nothing loads');
    await expect(logger.flushed!()).resolves.toBeUndefined();
  });
});

describe('the queue monitor', () => {
  const now = new Date('2026-11-02T12:00:00Z');
  const request = (createdAt: string, extra: Partial<CallbackRequest> = {}) => ({ createdAt, ...extra }) as CallbackRequest;
  function storeWith(lists: Partial<Record<CallbackStatus, CallbackRequest[]>>) {
    const asked: [CallbackStatus, unknown][] = [];
    return {
      asked,
      listByStatus: async (status: CallbackStatus, options?: unknown) => (asked.push([status, options]), { items: lists[status] ?? [] }),
    };
  }

  it('is 0 when nothing waits, and never negative', async () => {
    expect(await oldestOpenAgeSeconds(storeWith({}), now)).toBe(0);
    expect(await oldestOpenAgeSeconds(storeWith({ open: [request('2026-11-02T12:00:30Z')] }), now)).toBe(0);
  });

  it('reads the oldest open request and one page of claims, counting only lapsed claims as waiting', async () => {
    const store = storeWith({
      open: [request('2026-11-02T10:00:00Z')],
      claimed: [
        request('2026-11-02T08:00:00Z', { claimedAt: '2026-11-02T11:00:00Z' }),
        request('2026-11-02T09:00:00Z', { claimedAt: '2026-11-02T09:59:59Z' }),
        request('not a date', { claimedAt: '2026-11-02T09:00:00Z' }),
      ],
    });
    expect(await oldestOpenAgeSeconds(store, now)).toBe(3 * 3600);
    expect(store.asked).toEqual([['open', { limit: 1 }], ['claimed', { limit: 100 }]]);
  });

  it('rounds to whole seconds', async () => {
    expect(await oldestOpenAgeSeconds(storeWith({ open: [request('2026-11-02T11:59:58.600Z')] }), now)).toBe(1);
  });

  it('publishes and logs the age, and waits for the log line', async () => {
    const published: number[] = [];
    const lines: unknown[][] = [];
    let flushed = 0;
    const monitor = createMonitor({
      store: storeWith({ open: [request('2026-11-02T11:00:00Z')] }),
      publish: (seconds) => published.push(seconds),
      logger: { ...silentLogger, info: (...args: unknown[]) => void lines.push(args), flushed: async () => void (flushed += 1) },
      clock: () => now,
    });
    expect(await monitor()).toEqual({ oldestOpenSeconds: 3600 });
    expect(published).toEqual([3600]);
    expect(lines).toEqual([['oldest open callback', { oldestOpenSeconds: 3600 }]]);
    expect(flushed).toBe(1);
  });
});

describe('the fallback answer', () => {
  it('texts the SMS apology on an SMS fallback path, with or without a stage or a trailing slash, and speaks it otherwise', () => {
    for (const path of ['/fallback/sms', '/prod/fallback/sms/', '/sms']) expect(fallbackTwiml(path), path).toBe(FALLBACK_SMS_TWIML);
    for (const path of ['/fallback/voice', '/fallback/smsx', '/fallback/sms/x', '', undefined]) expect(fallbackTwiml(path), String(path)).toBe(FALLBACK_VOICE_TWIML);
  });
});
