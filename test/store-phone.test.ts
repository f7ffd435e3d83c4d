/**
 * The per-number `PHONE#` item (`dynamo-phone.ts`) where the lifecycle suites leave it open: an
 * opted-out number's request closing (the number moves on, the opt-out stays and never expires),
 * opting back in after requests (the item may go once nothing waits, and an expiry it has already
 * is not pushed back), and opting in while the closed request's generation step was lost.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from './support/clock';
import { useDynalite } from './support/dynalite';
import { storeHarnesses, type StoreHarness } from './support/store-harness';

const dynamo = useDynalite();
const harness = storeHarnesses(dynamo, 'store-phone');

const PHONE = '+8613812345678';
const START = Date.parse('2026-12-03T02:00:00Z');
const DAY = 86_400_000;
let sids = 0;
const sid = (prefix = 'SM') => `${prefix}${String(++sids).padStart(32, '0')}`;

const phoneItem = async (h: StoreHarness) => {
  const items = await h.items('PHONE#');
  expect(items.length).toBeLessThanOrEqual(1);
  return items[0];
};

async function askAndClose(h: StoreHarness, options: { losingGeneration?: boolean } = {}) {
  const { request } = await h.store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid() });
  await h.store.claim(request.id, 'alice');
  const lost = options.losingGeneration
    ? h.before(
        (command) => command.name === 'UpdateItemCommand' && command.pk?.startsWith('PHONE#') === true,
        () => {
          throw Object.assign(new Error('connection reset'), { name: 'TimeoutError', $metadata: {} });
        },
      )
    : undefined;
  const done = await h.store.recordOutcome(request.id, 'alice', 'reached');
  await lost;
  return done;
}

describe("an opted-out number's request closing", () => {
  it('moves the number on to a new request, keeps the opt-out and gives the item no expiry', async () => {
    const h = await harness({ retentionDays: 30 });
    await h.store.setOptOut(PHONE, true, sid());
    const first = await askAndClose(h);
    expect(await phoneItem(h)).toMatchObject({ gen: 1, prevGen: 0, optedOut: true });
    expect(await phoneItem(h)).not.toHaveProperty('expiresAt');
    expect(await h.store.isOptedOut(PHONE)).toBe(true);
    const next = await h.store.requestCallback({ phone: PHONE, window: '上午', channel: 'sms', sourceSid: sid() });
    expect(next.created).toBe(true);
    expect(next.request.id).not.toBe(first.id);
    expect((await h.store.earlierRequests(next.request.id)).map((r) => r.id)).toEqual([first.id]);
  });
});

describe('opting back in', () => {
  it('after a closed request, with nothing waiting, lets the item expire after every request it refers to', async () => {
    const clock = manualClock(START);
    const h = await harness({ now: clock.now, retentionDays: 30 });
    await h.store.setOptOut(PHONE, true, sid());
    const done = await askAndClose(h);
    clock.advance(DAY);
    await h.store.setOptOut(PHONE, false, sid());
    const item = await phoneItem(h);
    expect(item).toMatchObject({ gen: 1, optedOut: false });
    expect(item?.expiresAt).toBe((START + DAY) / 1000 + 37 * 86_400);
    expect(Number(item?.expiresAt)).toBeGreaterThan(done.expiresAt!);
  });

  it('does not push back an expiry the item has already', async () => {
    const clock = manualClock(START);
    const h = await harness({ now: clock.now, retentionDays: 30 });
    await askAndClose(h);
    const expiresAt = (await phoneItem(h))?.expiresAt;
    expect(expiresAt).toBe(START / 1000 + 37 * 86_400);
    clock.advance(DAY);
    await h.store.setOptOut(PHONE, false, sid());
    expect(await phoneItem(h)).toMatchObject({ optedOut: false, expiresAt });
  });

  it('lets the item expire when the request it points at was closed but the number not moved on', async () => {
    const clock = manualClock(START);
    const h = await harness({ now: clock.now, retentionDays: 30 });
    await h.store.setOptOut(PHONE, true, sid());
    await askAndClose(h, { losingGeneration: true });
    expect(await phoneItem(h)).not.toHaveProperty('gen');
    await h.store.setOptOut(PHONE, false, sid());
    expect(await phoneItem(h)).toMatchObject({ optedOut: false, expiresAt: START / 1000 + 37 * 86_400 });
  });
});

describe('a number whose item has gone while a later request waited', () => {
  it('writes the item anew at the next generation when that request closes, so the next request gets a new id', async () => {
    const h = await harness({ retentionDays: 30 });
    const first = await askAndClose(h);
    const { request: second } = await h.store.requestCallback({ phone: PHONE, window: '上午', channel: 'sms', sourceSid: sid() });
    expect(await phoneItem(h)).toMatchObject({ gen: 1 });
    // Not reachable through the store (a waiting request keeps the item from expiring): restored data, a manual delete.
    await h.remove(String((await phoneItem(h))?.pk));
    await h.store.claim(second.id, 'alice');
    await h.store.recordOutcome(second.id, 'alice', 'reached');
    expect(await phoneItem(h)).toMatchObject({ gen: 2, prevGen: 1 });
    const third = await h.store.requestCallback({ phone: PHONE, window: '晚上', channel: 'sms', sourceSid: sid() });
    expect(third.created).toBe(true);
    expect(new Set([first.id, second.id, third.request.id]).size).toBe(3);
  });
});
