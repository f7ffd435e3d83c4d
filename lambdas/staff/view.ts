import { holdsClaim } from '../callbacks/claim-lease';
import { dueState } from '../callbacks/schedule';
import type { CallbackRequest } from '../callbacks/store';
import { maskPhone } from '../shared/privacy';
import type { StaffCallback, StaffEarlierRequest } from './contract';

/** Chinese menu label of a topic id, or null for none/unknown. */
export type TopicLabel = (topic: string | null) => string | null;

/**
 * What a staff member may see of a request: the full number only while they hold the claim (they
 * are about to call it); everyone else sees it masked, as in the logs.
 */
export function toStaffCallback(request: CallbackRequest, viewer: string, topicLabel: TopicLabel, now: Date, withHistory = false): StaffCallback {
  const phoneVisible = holdsClaim(request, viewer);
  return {
    id: request.id,
    status: request.status,
    phone: phoneVisible ? request.phone : maskPhone(request.phone),
    phoneVisible,
    code: request.code,
    window: request.window,
    due: request.due ?? null,
    dueState: request.due && request.status !== 'done' ? dueState(request.due, now) : null,
    topic: request.topic,
    topicLabel: topicLabel(request.topic),
    topics: request.topics,
    topicLabels: request.topics.map((t) => topicLabel(t) ?? t),
    question: request.question ?? null,
    channel: request.channel,
    numberSource: request.numberSource ?? null,
    attempts: request.attempts,
    missedInRow: request.missedInRow,
    repeats: request.repeats,
    urgent: request.urgent === true,
    version: request.version,
    claimedBy: request.claimedBy ?? null,
    claimedAt: request.claimedAt ?? null,
    outcome: request.outcome ?? null,
    note: request.note ?? null,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    closedAt: request.closedAt ?? null,
    closedBy: request.closedBy ?? null,
    ...(withHistory ? { history: request.history } : {}),
  };
}

/** An earlier request of the same number, shown with the one staff opened: no number (it is the same one). */
export function toStaffEarlier(request: CallbackRequest): StaffEarlierRequest {
  return {
    id: request.id,
    status: request.status,
    channel: request.channel,
    code: request.code,
    createdAt: request.createdAt,
    closedAt: request.closedAt ?? null,
    outcome: request.outcome ?? null,
    note: request.note ?? null,
  };
}
