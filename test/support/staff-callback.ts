import { expect } from 'vitest';
import type { CallbackRequest } from '../../lambdas/callbacks/store';
import { StaffApiError } from '../../lambdas/staff/client';
import type { StaffCallback } from '../../lambdas/staff/contract';

/** The error a staff client call failed with (the test fails when it did not fail). */
export async function staffFailure(call: Promise<unknown>): Promise<StaffApiError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StaffApiError);
  return error as StaffApiError;
}

/** A closed request as the store keeps it, `i`-th of 2026-11-29 (one second apart), with `extra`. */
export function storedRequest(i: number, extra: Partial<CallbackRequest> = {}): CallbackRequest {
  const at = new Date(Date.parse('2026-11-29T02:00:00Z') + i * 1000).toISOString();
  return {
    id: `req${String(i).padStart(17, '0')}`,
    phone: '+8613812345678',
    code: '4821',
    status: 'done',
    window: '晚上七点到九点',
    topic: 'negotiate',
    topics: ['negotiate'],
    channel: 'sms',
    repeats: 0,
    attempts: 0,
    missedInRow: 0,
    urgent: false,
    version: 3,
    outcome: 'reached',
    createdAt: at,
    updatedAt: at,
    closedAt: at,
    closedBy: 'alice',
    history: [
      { at, by: 'sms', action: 'requested', detail: 'sms window=晚上' },
      { at, by: 'alice', action: 'claimed' },
      { at, by: 'alice', action: 'outcome', detail: 'reached' },
    ],
    ...extra,
  };
}

/** A request as the staff API answers it (open, number masked, no due time), with `overrides`. */
export function sampleCallback(overrides: Partial<StaffCallback> = {}): StaffCallback {
  return {
    id: 'a1b2c3d4e5f6a7b8c9d0',
    status: 'open',
    phone: '+86 138****5678',
    phoneVisible: false,
    code: '4821',
    window: '晚上七点到九点',
    due: null,
    dueState: null,
    topic: 'negotiate',
    topicLabel: '跟平台协商还款',
    topics: ['negotiate'],
    topicLabels: ['跟平台协商还款'],
    question: null,
    channel: 'sms',
    numberSource: 'sms-sender',
    attempts: 0,
    missedInRow: 0,
    repeats: 0,
    urgent: false,
    version: 1,
    claimedBy: null,
    claimedAt: null,
    outcome: null,
    note: null,
    createdAt: '2026-11-29T07:55:00.000Z',
    updatedAt: '2026-11-29T07:55:00.000Z',
    closedAt: null,
    closedBy: null,
    ...overrides,
  };
}
