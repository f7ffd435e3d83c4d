/**
 * Caller history across channels: a request opened by staff shows the same number's earlier requests
 * (by SMS or voice) with their outcomes, newest first, and never another number's. Real webhooks and
 * the staff API over HTTP, on the local hotline's dynalite.
 */
import { describe, expect, it } from 'vitest';
import { parseKeys, playCall, postSignedForm } from '../dev/phone-lib';
import { runCallbacksCli } from '../dev/callbacks-cli';
import type { StaffCallback } from '../lambdas/staff/contract';
import { outcomeLabel } from '../lambdas/staff/labels';
import { ALICE, useStaffHotline } from './support/staff';

// Thursday 3 December 2026, 10:00 Beijing time: "晚上" is this evening.
const hotline = useStaffHotline({ now: () => new Date('2026-12-03T02:00:00Z'), settings: { callbacksPerDay: 10, smsRepliesPerHour: 50 } });

async function staff<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${hotline().url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ALICE}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

let sids = 0;
/** A callback asked for by text: the number's pending request afterwards. */
async function askBySms(from: string): Promise<StaffCallback> {
  sids += 1;
  const response = await postSignedForm(hotline().url, '/twilio/sms', { MessageSid: `SM${String(sids).padStart(32, '0')}`, From: from, Body: '回电 晚上' }, hotline().authToken);
  expect(response.status).toBe(200);
  return pending(from);
}

/** A callback asked for by phone: 9, the evening window, confirm the caller's number. */
async function askByVoice(from: string): Promise<StaffCallback> {
  const result = await playCall({ baseUrl: hotline().url, authToken: hotline().authToken, from, answers: parseKeys('9 3 1') }, { print: () => {} }, fetch);
  expect(result.outcome).not.toBe('http-error');
  return pending(from);
}

async function pending(phone: string): Promise<StaffCallback> {
  const request = await hotline().store.findPending(phone);
  expect(request, `a pending request for ${phone}`).toBeDefined();
  return (await staff<StaffCallback>('GET', `/staff/callbacks/${request!.id}`)).body;
}

async function close(request: StaffCallback, outcome: string, note?: string): Promise<void> {
  expect((await staff('POST', `/staff/callbacks/${request.id}/claim`)).status).toBe(200);
  expect((await staff('POST', `/staff/callbacks/${request.id}/outcome`, { outcome, ...(note ? { note } : {}) })).status).toBe(200);
}

describe('caller history in GET /staff/callbacks/{id}', () => {
  it('shows an SMS request, with its outcome, on the same number’s later voice request; never another number’s', async () => {
    const a = '+8613900007001';
    const b = '+8613900007002';
    const first = await askBySms(a);
    expect(first).toMatchObject({ channel: 'sms', earlier: [] });
    const other = await askBySms(b);
    await close(first, 'wrong-number', '接电话的说不认识');
    await close(other, 'reached');

    const second = await askByVoice(a);
    expect(second.channel).toBe('voice');
    expect(second.id).not.toBe(first.id);
    expect(second.earlier).toEqual([
      { id: first.id, status: 'done', channel: 'sms', code: first.code, createdAt: first.createdAt, closedAt: expect.any(String), outcome: 'wrong-number', note: '接电话的说不认识' },
    ]);

    // The command line shows them too.
    let shown = '';
    const code = await runCallbacksCli(['show', second.id], { stdout: (text) => (shown += text), stderr: (text) => (shown += text), env: { HOTLINE_URL: hotline().url, STAFF_TOKEN: ALICE }, fetch: (url, init) => fetch(url, init) });
    expect(code).toBe(0);
    const section = shown.slice(shown.indexOf('此前的请求'));
    expect(section).toContain(first.code);
    expect(section).toContain(outcomeLabel('wrong-number'));
    expect(section).toContain('短信');

    // The other number's history is its own.
    const otherAgain = await askByVoice(b);
    expect(otherAgain.earlier?.map((r) => r.id)).toEqual([other.id]);
    expect(JSON.stringify(second.earlier)).not.toContain(other.id);
  });

  it('lists them newest first, an unanswered one with its last outcome, and only in the detail', async () => {
    const phone = '+8613900007003';
    const first = await askByVoice(phone);
    await close(first, 'declined');
    const second = await askBySms(phone);
    for (let i = 0; i < 3; i++) await close(second, 'no-answer');
    // Three missed in a row: unreached, still the number's request (a new ask reopens it).
    expect((await staff<StaffCallback>('GET', `/staff/callbacks/${second.id}`)).body).toMatchObject({ status: 'unreached', earlier: [{ id: first.id, outcome: 'declined' }] });
    await staff('POST', `/staff/callbacks/${second.id}/claim`);
    await staff('POST', `/staff/callbacks/${second.id}/outcome`, { outcome: 'reached' });
    const third = await askBySms(phone);
    expect(third.earlier?.map((r) => [r.id, r.channel, r.outcome])).toEqual([
      [second.id, 'sms', 'reached'],
      [first.id, 'voice', 'declined'],
    ]);
    // The queue's list stays lean: history and earlier requests only in the detail.
    const list = await staff<{ items: StaffCallback[] }>('GET', '/staff/callbacks?status=open&limit=100');
    expect(list.body.items.find((r) => r.id === third.id)).not.toHaveProperty('earlier');
  });

  it('shows at most five earlier requests', async () => {
    const phone = '+8613900007004';
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const request = await askBySms(phone);
      ids.unshift(request.id);
      await close(request, 'reached');
    }
    const latest = await askBySms(phone);
    expect(latest.earlier?.map((r) => r.id)).toEqual(ids.slice(0, 5));
  });
});
