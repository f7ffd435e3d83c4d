/**
 * The SMS conversation: what the hotline does with one incoming text, given who sent it and the
 * store. No AWS, no HTTP, no logging (events are returned), so every rule is testable on its own:
 *
 * 1. Safety first: a crisis text is answered even past the hourly limit or after 退订 (crisis-reply.ts).
 * 2. 订阅 / 退订 are honoured before anything else; an opted-out number gets silence.
 * 3. Replies are limited per hour (flooding, our bill); past the limit a callback request is still
 *    recorded, silently: the limit protects the number, it must not lose what the person asked for.
 * 4. 回电 and times: callback-reply.ts (codes only to the exchange that created the request).
 * 5. Anything else is answered from content; a question in the person's own words is kept for two
 *    hours (topics, masked text) so that a 回电 that follows carries it to staff. One it was not sure
 *    of is returned as `unsure`: the handler keeps it in the question inbox (never a crisis text).
 */
import { CALLBACK_DEFAULTS, QUOTA_WINDOW_SECONDS } from '../callbacks/limits';
import type { E164 } from '../callbacks/phone-number';
import type { StaffCalendar } from '../callbacks/schedule';
import { CallbackStoreError, type CallbackStore } from '../callbacks/store';
import { topic, type Content } from '../content/content';
import type { Understand } from '../understanding/understand';
import type { InboxGuess } from '../callbacks/inbox';
import { smsCallbackReply, smsCodeReply } from './callback-reply';
import { smsCrisisReply } from './crisis-reply';
import { smsReplyText } from './replies';
import { routeSms, type SmsIntent } from './router';

/** Who sent the text, parsed once at the edge: a callable number, another sender id (short code), or none. */
export type Sender = { kind: 'mobile'; e164: E164 } | { kind: 'other'; id: string } | { kind: 'none' };

export interface SmsMessage {
  from: Sender;
  body: string;
  /** Twilio's MessageSid: makes every write idempotent. */
  sid?: string;
}

export type SmsStore = Pick<
  CallbackStore,
  'requestCallback' | 'setWindow' | 'consumeQuota' | 'isOptedOut' | 'setOptOut' | 'findPending' | 'recentQuota' | 'rememberQuestion' | 'recentQuestion'
>;

export interface SmsLimits {
  /** Replies a number gets per hour; past it, silence (protects the number and our bill). */
  smsRepliesPerHour: number;
  /** Callback requests a number may make per day. */
  callbacksPerDay: number;
}

export const DEFAULT_SMS_LIMITS: SmsLimits = { smsRepliesPerHour: CALLBACK_DEFAULTS.smsRepliesPerHour, callbacksPerDay: CALLBACK_DEFAULTS.callbacksPerDay };

/** What happened, for the handler's logs and metrics (never the number or the text). */
export type SmsEvent = 'reply-limit' | 'callback-unconfirmed' | 'context-not-kept' | 'threat-answered';

export interface SmsOutcome {
  intent: SmsIntent['kind'];
  /** The whole intent, for counting (`lambdas/stats/answers.ts`); its `asked` is the person's text: never log or store it. */
  routed: SmsIntent;
  /** Messages to send back, in order (none: silence). */
  replies: string[];
  events: SmsEvent[];
  /** Words answered without confidence (asked back, or the menu after "not understood") and replied to: for the question inbox; never log them. */
  unsure?: { text: string; guess: InboxGuess };
}

export interface SmsConversationDeps {
  content: Content;
  /** The classifier, loaded on the first free-text message. */
  understanding: () => Promise<Understand>;
  calendar: StaffCalendar;
  limits?: SmsLimits;
  now?: () => Date;
}

export type SmsConversation = (message: SmsMessage, store: SmsStore) => Promise<SmsOutcome>;

export function createSmsConversation(deps: SmsConversationDeps): SmsConversation {
  const { content, understanding, calendar } = deps;
  const limits = deps.limits ?? DEFAULT_SMS_LIMITS;
  const now = deps.now ?? (() => new Date());
  const sms = content.prompts.sms;
  const texts = content.prompts.callback;

  return async (message, store) => {
    const intent = await routeSms(message.body, content, understanding, calendar.windows);
    const events: SmsEvent[] = [];
    const done = (replies: readonly (string | null | undefined)[]): SmsOutcome => ({ intent: intent.kind, routed: intent, replies: replies.filter((r): r is string => Boolean(r)), events });
    // Without a sender there is nobody to opt out or rate-limit: answer, but store nothing.
    if (message.from.kind === 'none') return done([replyWithoutSender(intent)]);
    const key = message.from.kind === 'mobile' ? message.from.e164 : message.from.id;
    const mobile = message.from.kind === 'mobile' ? message.from.e164 : undefined;
    const sid = message.sid || undefined;
    const context = { store, content, calendar, now: now(), sid };

    // Before opt-out and the hourly limit: a person in crisis is answered (see crisis-reply.ts for the limits).
    if (intent.kind === 'crisis') return done((await smsCrisisReply(context, key, mobile, intent.callback)) ?? []);
    if (intent.kind === 'optIn') {
      // Opting in is a reply like any other: it counts towards the hourly limit.
      if (!(await store.consumeQuota(key, 'sms-reply', limits.smsRepliesPerHour, QUOTA_WINDOW_SECONDS.smsReply, sid))) return done([]);
      await store.setOptOut(key, false, sid);
      return done([sms.optIn + sms.menu]);
    }
    if (await store.isOptedOut(key)) return done([]);
    if (intent.kind === 'optOut') {
      await store.setOptOut(key, true, sid);
      return done([sms.optOut]);
    }
    const mayReply = await store.consumeQuota(key, 'sms-reply', limits.smsRepliesPerHour, QUOTA_WINDOW_SECONDS.smsReply, sid);
    if (!mayReply) events.push('reply-limit');

    if (intent.kind === 'callback') {
      if (!mobile) return done(mayReply ? [texts.smsBadNumber] : []);
      let reply: string | null;
      try {
        reply = await smsCallbackReply(context, mobile, intent, limits.callbacksPerDay);
      } catch (error) {
        if (!(error instanceof CallbackStoreError)) throw error;
        // The write may have landed after all (a stall past the deadline): say so, and how to check.
        events.push('callback-unconfirmed');
        reply = texts.smsUnconfirmed;
      }
      // Past the hourly limit the request is recorded (above) without a reply; 编号 gives the code later.
      return done(mayReply ? [reply] : []);
    }
    if (!mayReply) return done([]);
    if (intent.kind === 'code') return done([mobile ? await smsCodeReply(context, mobile) : texts.smsBadNumber]);
    if (intent.kind === 'topic' && intent.threat) events.push('threat-answered');
    if ('asked' in intent && intent.asked) {
      const topics = intent.kind === 'topic' ? [intent.topic] : intent.kind === 'ask' ? intent.choices : [];
      // Context for a later 回电 only: failing to keep it must not cost the person their answer.
      await store.rememberQuestion(key, topics, intent.asked).catch(() => events.push('context-not-kept'));
    }
    const unsure = unsureOf(intent);
    return { ...done([smsReplyText(intent as Exclude<SmsIntent, { kind: 'callback' | 'optOut' | 'optIn' | 'crisis' | 'code' }>, content)]), ...(unsure ? { unsure } : {}) };
  };

  /** What a message without a sender gets: nothing can be stored or sent back later, so a callback or 编号 is refused politely. */
  function replyWithoutSender(intent: SmsIntent): string {
    switch (intent.kind) {
      case 'callback':
      case 'code':
        return texts.smsBadNumber;
      case 'crisis':
        return topic(content, 'crisis').sms + sms.footer;
      case 'optOut':
        return sms.optOut;
      case 'optIn':
        return sms.optIn + sms.menu;
      default:
        return smsReplyText(intent, content);
    }
  }
}

/** A question the matcher was not sure of: an ask-back between two topics, or the menu after "not understood". */
function unsureOf(intent: SmsIntent): SmsOutcome['unsure'] {
  if (intent.kind === 'ask' && intent.asked) return { text: intent.asked, guess: { kind: 'ask', topics: intent.choices } };
  // Stryker disable next-line ConditionalExpression: equivalent — only a "not understood" menu carries the words asked.
  if (intent.kind !== 'menu' || intent.notice !== 'notUnderstood' || !intent.asked) return undefined;
  return { text: intent.asked, guess: intent.top ? { kind: 'topic', topics: [intent.top] } : { kind: 'none', topics: [] } };
}
