/**
 * The question inbox's part of the staff API (re-exported by `contract.ts`): questions the hotline
 * did not answer confidently, for staff to label with the topic that would have been right, so
 * `npm run corpus -- pull` and `npm run train` learn from them (`lambdas/callbacks/inbox.ts`).
 *
 * | route                                            | body                              | answer                  |
 * | ------------------------------------------------ | --------------------------------- | ----------------------- |
 * | GET    /staff/inbox?labelled=&limit=&cursor=      |                                   | `StaffInboxPage`        |
 * | POST   /staff/inbox/{id}/label                   | `{ topic: TopicId \| null }`      | `StaffInboxQuestion`    |
 * | DELETE /staff/inbox/{id}                         |                                   | `StaffInboxDeleted`     |
 *
 * `labelled`: `false` only unlabelled, `true` only labelled; absent: unlabelled first, then labelled,
 * each newest first. `limit` 1–100 (default 25). A label or delete of a question that is not there
 * (deleted, expired after 30 days, never kept) is 404 `not-found`.
 */

/** What the matcher made of the question, with the topics' Chinese menu labels (same order). */
export interface StaffInboxGuess {
  /** `ask`: it asked back between the two `topics`; `topic`: it offered the menu, `topics[0]` came closest; `none`: nothing came close. */
  kind: 'ask' | 'topic' | 'none';
  topics: string[];
  topicLabels: string[];
}

export interface StaffInboxQuestion {
  /** 20 hex characters. */
  id: string;
  /** What was texted or said: one line, every digit `*`, at most 300 characters (a cut one ends with `…`). */
  text: string;
  channel: 'sms' | 'voice';
  guess: StaffInboxGuess;
  /** Beijing calendar day it was asked (`2026-12-04`). */
  day: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: when it is deleted (30 days after it was asked). */
  expiresAt: string;
  labelled: boolean;
  /** The topic staff gave; null when unlabelled, and when labelled "none of the topics" (`labelled` tells which). */
  label: string | null;
  /** The label's Chinese menu label, when it is a topic. */
  labelText: string | null;
  labelledBy: string | null;
  labelledAt: string | null;
}

export interface StaffInboxPage {
  items: StaffInboxQuestion[];
  /** Pass back as `cursor` (with the same `labelled`) for the next page; null on the last page. */
  cursor: string | null;
}

export interface StaffInboxLabelBody {
  /** A topic id, or null: not in scope (the menu is the right answer). */
  topic: string | null;
}

export interface StaffInboxDeleted {
  id: string;
  deleted: true;
}
