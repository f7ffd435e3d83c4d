/**
 * The question inbox: what people asked in their own words (an SMS, a speech transcript) that the
 * hotline did not answer confidently — it asked back between two topics, or offered the menu — kept
 * for staff to label, so that `npm run corpus -- pull` and `npm run train` learn from it.
 *
 * What is kept is the least that serves that: the words with every digit starred and cut to 300
 * characters, what the matcher guessed, the channel and the Beijing day; never the sender's number,
 * not even hashed (nothing here needs to find a person's questions). A crisis message is never kept
 * (it is answered, and it is not training material for a topic). Questions expire after 30 days.
 *
 * No AWS here: the port (`QuestionInbox`, part of the callback store) and the rules around it.
 */
import { cleanText } from './text-cleaning';

export type InboxChannel = 'sms' | 'voice';

/**
 * What the matcher made of it: `ask` (it asked back between `topics[0]` and `topics[1]`), `topic`
 * (it offered the menu, though `topics[0]` came closest), or `none` (nothing came close).
 */
export interface InboxGuess {
  kind: 'ask' | 'topic' | 'none';
  topics: string[];
}

export interface KeepQuestionInput {
  /** The words as sent or heard; the store stars every digit and cuts them. */
  text: string;
  guess: InboxGuess;
  channel: InboxChannel;
  /** Twilio's MessageSid / CallSid: a retried delivery keeps nothing twice. */
  sourceSid?: string;
}

export interface InboxQuestion {
  /** 20 hex characters. */
  id: string;
  text: string;
  guess: InboxGuess;
  channel: InboxChannel;
  /** Beijing calendar day it was asked (`2026-12-04`). */
  day: string;
  /** ISO 8601. */
  createdAt: string;
  /** Epoch seconds after which it is deleted (the table's TTL). */
  expiresAt: number;
  /** Set once staff labelled it: the topic, or null for "none of the topics" (the menu, out of scope). */
  label?: { topic: string | null; by: string; at: string };
}

export interface InboxListOptions {
  /** 1–100, default 25. */
  limit?: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  /** Only labelled (true) or only unlabelled (false) questions; by default unlabelled first, then labelled. */
  labelled?: boolean;
}

export interface InboxPage {
  /** Newest first within unlabelled, then within labelled. */
  items: InboxQuestion[];
  /** Absent on the last page. */
  cursor?: string;
}

export interface QuestionInbox {
  /** Keeps a question (replaying a sid keeps nothing new). Callers use `keepQuietly`: it never fails them. */
  keepQuestion(input: KeepQuestionInput): Promise<void>;
  listInbox(options?: InboxListOptions): Promise<InboxPage>;
  /** Undefined when there is no such question (never kept, deleted, or expired). */
  labelQuestion(id: string, topic: string | null, staff: string): Promise<InboxQuestion | undefined>;
  /** Deletes the item itself; false when there was none. */
  deleteQuestion(id: string): Promise<boolean>;
}

export const INBOX_LIMITS = {
  /** Characters kept of what was said: enough for a question, a bound on the item's size. */
  text: 300,
  retentionDays: 30,
} as const;

/** The words as the inbox keeps them: one line, every digit starred, at most 300 characters. */
export function inboxText(text: string): string | undefined {
  return cleanText(text, INBOX_LIMITS.text);
}

/**
 * How long keeping a question may hold an answer at most. It runs after the answer is decided and
 * before it is sent (a Lambda frozen after answering might never finish it); a stalled database
 * costs the caller this, never the answer itself.
 */
export const KEEP_BUDGET_MS = 1500;

/** The inbox for one webhook, cut when `signal` aborts (it may be loaded on first use). */
export type InboxFor = (signal: AbortSignal) => Pick<QuestionInbox, 'keepQuestion'> | Promise<Pick<QuestionInbox, 'keepQuestion'>>;

/**
 * Keeps a question without ever failing or delaying the answer for long: cut at the webhook's
 * deadline (`signal`) or after `budgetMs`, whichever comes first. Resolves false when it was not kept.
 */
export async function keepQuietly(inboxFor: InboxFor, signal: AbortSignal, input: KeepQuestionInput, budgetMs: number = KEEP_BUDGET_MS): Promise<boolean> {
  const cut = AbortSignal.any([signal, AbortSignal.timeout(budgetMs)]);
  let stop: (() => void) | undefined;
  // Also rejects when the work ignores the signal (an import that hangs, a stuck socket).
  // The listener goes in `finally`, whether or not it ran.
  const aborted = new Promise<never>((_, reject) => {
    // Stryker disable next-line StringLiteral: equivalent — the rejection is caught below and answered as false; no one reads its message
    stop = () => reject(new Error('not kept in time'));
    if (cut.aborted) stop();
    else cut.addEventListener('abort', stop);
  });
  try {
    await Promise.race([(async () => (await inboxFor(cut)).keepQuestion(input))(), aborted]);
    return true;
  } catch {
    return false;
  } finally {
    if (stop) cut.removeEventListener('abort', stop);
    aborted.catch(() => undefined);
  }
}
