import { fill, topic, type Content } from '../content/content';
import type { TwilioRequest } from '../http/twilio-webhook';
import { normalisePhone } from '../callbacks/rules';
import type { CallbackStore } from '../callbacks/store';

/**
 * How often a number gets the crisis reply in a day. It skips the hourly SMS limit (a person in
 * crisis who has texted a lot is still answered) but not without bound: past this, silence, as for
 * any flood. An opted-out number gets it once a day: 退订 asked us to stop texting, yet someone who
 * writes "想死" to a helpline after that should hear the crisis lines one more time. They wrote to
 * us first; one reply answers them without resuming the service.
 */
export const CRISIS_REPLIES_PER_DAY = 10;
export const CRISIS_REPLIES_PER_DAY_OPTED_OUT = 1;
export const CRISIS_WINDOW_SECONDS = 86_400;

/**
 * The crisis reply: the crisis lines first, then, when the person asked for a callback in the same
 * message or already has one waiting, an urgent callback request and its code in a second message.
 * The crisis is remembered for a day (a `crisis-reply` counter keyed by the number's hash, no
 * text), so a later 回电 or 9 is urgent too.
 */
export async function smsCrisisReply(
  store: Pick<CallbackStore, 'requestCallback' | 'consumeQuota' | 'isOptedOut' | 'findPending'>,
  content: Content,
  twilio: TwilioRequest,
  askedForCallback: boolean,
): Promise<string[] | null> {
  const from = (twilio.form.From ?? '').trim();
  const sid = twilio.form.MessageSid || undefined;
  const optedOut = await store.isOptedOut(from);
  const limit = optedOut ? CRISIS_REPLIES_PER_DAY_OPTED_OUT : CRISIS_REPLIES_PER_DAY;
  if (!(await store.consumeQuota(from, 'crisis-reply', limit, CRISIS_WINDOW_SECONDS, sid))) return null;

  const messages = [topic(content, 'crisis').sms + content.prompts.sms.footer];
  const phone = normalisePhone(from);
  if (!phone.ok) return messages;
  const waiting = askedForCallback ? undefined : await store.findPending(phone.e164);
  if (askedForCallback || waiting) {
    const { request } = await store.requestCallback({
      phone: phone.e164,
      window: content.prompts.callback.urgentWindow,
      topic: 'crisis',
      channel: 'sms',
      sourceSid: twilio.form.MessageSid || twilio.form.SmsSid || 'sms-nosid',
      urgent: true,
    });
    messages.push(fill(content.prompts.callback.smsUrgentRegistered, { code: request.code }));
  }
  return messages;
}
