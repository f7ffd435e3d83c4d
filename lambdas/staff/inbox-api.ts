/**
 * The question inbox's routes of the staff API (`inbox-contract.ts`): list, label, delete. Called
 * by `api.ts`, which turns `issues` into its 400 and store errors into theirs. No HTTP or AWS here.
 */
import type { InboxQuestion, QuestionInbox } from '../callbacks/inbox';
import type { StaffError } from './contract';
import type { StaffInboxDeleted, StaffInboxPage, StaffInboxQuestion } from './inbox-contract';
import { parseInboxQuery, parseLabelBody, type InputIssue } from './input';
import type { TopicLabel } from './view';

export type InboxRoute = 'staffInbox' | 'staffInboxLabel' | 'staffInboxDelete';

export interface InboxApiRequest {
  route: InboxRoute;
  id: string;
  query: URLSearchParams;
  body: string;
  staff: string;
}

export type InboxApiAnswer = { status: number; json: StaffInboxPage | StaffInboxQuestion | StaffInboxDeleted | StaffError } | { issues: InputIssue[] };

const NOT_FOUND: StaffError = { error: 'not-found', message: '找不到这条问题：可能已被删除，或已过期（问题只保留 30 天）。' };

export async function answerInbox(req: InboxApiRequest, inbox: QuestionInbox, topicLabel: TopicLabel): Promise<InboxApiAnswer> {
  switch (req.route) {
    case 'staffInbox': {
      const query = parseInboxQuery(req.query);
      if (!query.ok) return { issues: query.issues };
      const { labelled, limit, cursor } = query.value;
      const page = await inbox.listInbox({ limit, ...(labelled === undefined ? {} : { labelled }), ...(cursor ? { cursor } : {}) });
      return { status: 200, json: { items: page.items.map((q) => toStaffInboxQuestion(q, topicLabel)), cursor: page.cursor ?? null } };
    }
    case 'staffInboxLabel': {
      const body = parseLabelBody(req.body);
      if (!body.ok) return { issues: body.issues };
      const labelled = await inbox.labelQuestion(req.id, body.value.topic, req.staff);
      return labelled ? { status: 200, json: toStaffInboxQuestion(labelled, topicLabel) } : { status: 404, json: NOT_FOUND };
    }
    case 'staffInboxDelete':
      return (await inbox.deleteQuestion(req.id)) ? { status: 200, json: { id: req.id, deleted: true } } : { status: 404, json: NOT_FOUND };
  }
}

export function toStaffInboxQuestion(question: InboxQuestion, topicLabel: TopicLabel): StaffInboxQuestion {
  const { label } = question;
  return {
    id: question.id,
    text: question.text,
    channel: question.channel,
    guess: { kind: question.guess.kind, topics: question.guess.topics, topicLabels: question.guess.topics.map((t) => topicLabel(t) ?? t) },
    day: question.day,
    createdAt: question.createdAt,
    expiresAt: new Date(question.expiresAt * 1000).toISOString(),
    labelled: label !== undefined,
    label: label?.topic ?? null,
    labelText: topicLabel(label?.topic ?? null),
    labelledBy: label?.by ?? null,
    labelledAt: label?.at ?? null,
  };
}
