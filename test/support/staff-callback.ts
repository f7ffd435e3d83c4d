import type { StaffCallback } from '../../lambdas/staff/contract';

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
