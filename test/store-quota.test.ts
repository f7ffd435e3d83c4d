/**
 * Per-number counters (`dynamo-quota.ts`) where the other suites leave them open: windows are fixed
 * (aligned to the window size, not to the first count), the shortest window is a second, and each
 * window's item is deleted a minute after the window ends.
 */
import { describe, expect, it } from 'vitest';
import { CallbackInputError } from '../lambdas/callbacks/store';
import { manualClock } from './support/clock';
import { useDynalite } from './support/dynalite';
import { rejection, storeHarnesses } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-quota');

const PHONE = '+8613812345678';
const HOUR = 3600;
// A whole hour: the start of an hour-long window.
const WINDOW_START = Date.parse('2026-12-03T02:00:00Z');

describe('counting windows', () => {
  it('are fixed: a count made mid-window holds until the window ends, not for a window from it', async () => {
    const clock = manualClock(WINDOW_START + 10 * 60_000);
    const h = await harness({ now: clock.now });
    expect(await h.store.consumeQuota(PHONE, 'sms-reply', 1, HOUR)).toBe(true);
    clock.set(WINDOW_START + HOUR * 1000 - 1000);
    expect(await h.store.consumeQuota(PHONE, 'sms-reply', 1, HOUR)).toBe(false);
    expect(await h.store.recentQuota(PHONE, 'sms-reply', HOUR)).toBe(1);
    clock.set(WINDOW_START + HOUR * 1000);
    expect(await h.store.recentQuota(PHONE, 'sms-reply', HOUR)).toBe(0);
    expect(await h.store.consumeQuota(PHONE, 'sms-reply', 1, HOUR)).toBe(true);
    const items = await h.items('QUOTA#');
    expect(items.map((item) => [String(item.pk).split('#').at(-1), item.expiresAt]).sort()).toEqual([
      [String(WINDOW_START / 1000), WINDOW_START / 1000 + HOUR + 60],
      [String(WINDOW_START / 1000 + HOUR), WINDOW_START / 1000 + 2 * HOUR + 60],
    ]);
  });

  it('may be one second long, not shorter', async () => {
    const clock = manualClock(WINDOW_START + 500);
    const h = await harness({ now: clock.now });
    expect(await h.store.consumeQuota(PHONE, 'callback', 1, 1)).toBe(true);
    expect(await h.store.consumeQuota(PHONE, 'callback', 1, 1)).toBe(false);
    expect(await h.store.recentQuota(PHONE, 'callback', 1)).toBe(1);
    clock.advance(500);
    expect(await h.store.recentQuota(PHONE, 'callback', 1)).toBe(0);
    expect(await h.store.consumeQuota(PHONE, 'callback', 1, 1)).toBe(true);
    for (const windowSeconds of [0, -1, 0.5]) {
      expect(await rejection(h.store.consumeQuota(PHONE, 'callback', 1, windowSeconds))).toBeInstanceOf(CallbackInputError);
      expect(await rejection(h.store.recentQuota(PHONE, 'callback', windowSeconds))).toBeInstanceOf(CallbackInputError);
    }
  });
});
