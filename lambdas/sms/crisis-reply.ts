import { fill, topic } from '../content/content';
import { QUOTA_WINDOW_SECONDS } from '../callbacks/limits';
import type { E164 } from '../callbacks/phone-number';
import { urgentDue } from '../callbacks/urgency';
import type { SmsContext } from './callback-reply';

/**
 * How often a number gets the crisis reply in a day. It skips the hourly SMS limit (a person in
 * crisis who has texted a lot is still answered) but not without bound: past this, silence, as for
 * any flood. An opted-out number gets it once a day: 退订 asked us to stop texting, yet someone who
 * writes "想死" to a helpline after that should hear the crisis lines one more time. They wrote to
 * us first; one reply answers them without resuming the service.
 */
export const CRISIS_REPLIES_PER_DAY = 10;
export const CRISIS_REPLIES_PER_DAY_OPTED_OUT = 1;
export const CRISIS_WINDOW_SECONDS = QUOTA_WINDOW_SECONDS.crisisReply;

/**
 * The crisis reply: the crisis lines first, then, when the person asked for a callback in the same
 * message or already has one waiting, an urgent callback request and its code in a second message.
 * The crisis is remembered for a day (a `crisis-reply` counter keyed by the number's hash, no
 * text), so a later 回电 or 9 is urgent too.
 */
export async function smsCrisisReply(ctx: SmsContext, key: string, mobile: E164 | undefined, askedForCallback: boolean): Promise<string[] | null> {
  const { store, content } = ctx;
  const optedOut = await store.isOptedOut(key);
  const limit = optedOut ? CRISIS_REPLIES_PER_DAY_OPTED_OUT : CRISIS_REPLIES_PER_DAY;
  if (!(await store.consumeQuota(key, 'crisis-reply', limit, CRISIS_WINDOW_SECONDS, ctx.sid))) return null;

  const messages = [topic(content, 'crisis').sms + content.prompts.sms.footer];
  if (!mobile) return messages;
  const waiting = askedForCallback ? undefined : await store.findPending(mobile);
  if (askedForCallback || waiting) {
    const { request } = await store.requestCallback({
      phone: mobile,
      window: content.prompts.callback.urgentWindow,
      due: urgentDue(ctx.now),
      topic: 'crisis',
      channel: 'sms',
      sourceSid: ctx.sid ?? 'sms-nosid',
      urgent: true,
      numberSource: 'sms-sender',
    });
    messages.push(fill(content.prompts.callback.smsUrgentRegistered, { code: request.code }));
  }
  return messages;
}
