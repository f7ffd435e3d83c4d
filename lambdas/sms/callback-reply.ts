import { describeSlot, slotFor, type Slot, type StaffCalendar } from '../callbacks/schedule';
import { QUOTA_WINDOW_SECONDS } from '../callbacks/limits';
import type { E164 } from '../callbacks/phone-number';
import { urgentDue } from '../callbacks/urgency';
import { fill, type Content } from '../content/content';
import type { SmsStore } from './conversation';
import { CRISIS_WINDOW_SECONDS } from './crisis-reply';
import type { SmsIntent } from './router';

/** What every SMS rule needs besides the message: storage, words, staff hours and the time now. */
export interface SmsContext {
  store: SmsStore;
  content: Content;
  calendar: StaffCalendar;
  now: Date;
  /** The MessageSid, when Twilio sent one. */
  sid?: string;
}

/** A time named alone completes a request made without one, within this long of making it. */
export const WINDOW_FOLLOW_UP_SECONDS = 30 * 60;

type CallbackIntent = Extract<SmsIntent, { kind: 'callback' }>;

/**
 * 回电 / 9 / CALL, with or without a time ("回电 明天下午三点"): creates the request and texts its
 * code and the real day and time (one message); a time alone right after a request made without one
 * sets it (`timeOnly`). Idempotent on the MessageSid.
 *
 * Collectors know their victims' numbers and can spoof a sender: a repeat never changes the time and
 * never repeats the code, and a time alone never creates a request. The code goes out again only on
 * "编号" (`smsCodeReply`), whose reply Twilio delivers to the number itself, not to whoever spoofed it.
 */
export async function smsCallbackReply(ctx: SmsContext, phone: E164, intent: CallbackIntent, dailyLimit: number): Promise<string | null> {
  const { store, content, now } = ctx;
  const texts = content.prompts.callback;
  const sourceSid = ctx.sid ?? 'sms-nosid';
  // After a crisis message (within about a day) the request is urgent: no time to choose, no daily limit.
  if ((await store.recentQuota(phone, 'crisis-reply', CRISIS_WINDOW_SECONDS)) > 0) {
    const { request, created } = await store.requestCallback({
      phone, window: texts.urgentWindow, due: urgentDue(now), topic: 'crisis', channel: 'sms', sourceSid, urgent: true, numberSource: 'sms-sender',
      ...(intent.asked ? { question: intent.asked } : {}),
    });
    return created ? fill(texts.smsUrgentRegistered, { code: request.code }) : `${texts.smsAlreadyWaiting}${texts.voiceUrgentWaiting}`;
  }
  if (intent.timeOnly) return timeFollowUp(ctx, phone, intent, sourceSid);
  // The MessageSid makes the count idempotent: a retried delivery gets the same answer.
  if (!(await store.consumeQuota(phone, 'callback', dailyLimit, QUOTA_WINDOW_SECONDS.callback, ctx.sid))) {
    // Over the limit: a waiting request stands (said without its code); with none, no reply (flooding).
    return (await store.findPending(phone)) ? texts.smsLimitPending : null;
  }
  // What the person asked by text in the last two hours goes to staff with the request.
  const recent = await store.recentQuestion(phone);
  // Stryker disable next-line ObjectLiteral: equivalent — a wish that names nothing is any time for slotFor.
  const slot = slotFor(intent.wish ?? { any: true }, now, ctx.calendar);
  const promise = describeSlot(slot, now, ctx.calendar);
  const question = intent.asked ?? recent?.question;
  const { request, created } = await store.requestCallback({
    phone,
    window: promise,
    due: { from: slot.from, until: slot.until },
    windowPending: !intent.wish,
    topic: null,
    topics: recent?.topics ?? [],
    ...(question ? { question } : {}),
    channel: 'sms',
    sourceSid,
    numberSource: 'sms-sender',
  });
  if (!created) return texts.smsAlreadyWaiting;
  // A new request without a time is asked for one.
  return adjustedNotice(slot, content) + fill(texts.smsRegistered, { code: request.code, window: request.window }) + (intent.wish ? '' : texts.smsAskWindow);
}

/** "晚上" / "明天下午三点" alone: sets the time of a request made without one in the last half hour, once; creates nothing. */
async function timeFollowUp(ctx: SmsContext, phone: E164, intent: CallbackIntent, sourceSid: string): Promise<string> {
  const { store, content, now } = ctx;
  const texts = content.prompts.callback;
  const pending = await store.findPending(phone);
  if (!pending) return texts.smsNoRequest;
  const recent = now.getTime() - Date.parse(pending.createdAt) <= WINDOW_FOLLOW_UP_SECONDS * 1000;
  if (!intent.wish || !pending.windowPending || pending.channel !== 'sms' || !recent) return texts.smsWindowFixed;
  const slot = slotFor(intent.wish, now, ctx.calendar);
  const promise = describeSlot(slot, now, ctx.calendar);
  const updated = await store.setWindow({ phone, window: promise, due: { from: slot.from, until: slot.until }, sourceSid });
  if (!updated) return texts.smsWindowFixed;
  return adjustedNotice(slot, content) + fill(texts.smsUpdated, { code: updated.code, window: updated.window });
}

/** "编号": the waiting request's code and time, texted to the number that asks (Twilio delivers it there). */
export async function smsCodeReply(ctx: Pick<SmsContext, 'store' | 'content' | 'calendar' | 'now'>, phone: E164): Promise<string> {
  const texts = ctx.content.prompts.callback;
  const pending = await ctx.store.findPending(phone);
  if (!pending) return texts.smsNoRequest;
  // The day as of today ("明天上午…" told yesterday is "今天上午…" now); the stored words for old requests.
  const when = pending.urgent || !pending.due ? pending.window : describeSlot({ ...pending.due, window: 'any', adjusted: false }, ctx.now, ctx.calendar);
  return fill(texts.smsCode, { code: pending.code, window: when });
}

function adjustedNotice(slot: Slot, content: Content): string {
  return slot.adjusted ? content.prompts.callback.timeAdjusted : '';
}
