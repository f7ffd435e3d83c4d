import { fill, type Content } from '../content/content';
import type { TwilioRequest } from '../http/twilio-webhook';
import { normalisePhone } from '../callbacks/rules';
import type { CallbackStore } from '../callbacks/store';
import { CRISIS_WINDOW_SECONDS } from './crisis-reply';

/** The window a texter named ("回电 晚上" or a bare "晚上"): the configured label that starts with that word. */
export function windowFor(word: string | undefined, content: Content): string | undefined {
  if (!word) return undefined;
  return content.prompts.callback.windows.find((label) => label.startsWith(word) || word.startsWith(label));
}

/** The short words texters type for each window (上午, 下午, 晚上): the first two characters of each label. */
export function windowWords(content: Content): string[] {
  return content.prompts.callback.windows.map((label) => label.slice(0, 2));
}

/** A bare window word completes a request made without one, within this long of making it. */
export const WINDOW_FOLLOW_UP_SECONDS = 30 * 60;

type SmsCallbackStore = Pick<CallbackStore, 'requestCallback' | 'consumeQuota' | 'findPending' | 'recentQuota'>;

/**
 * 回电 / 9 / CALL, with or without a window: creates the request and texts its code (one message);
 * a bare window word right after a request made without one sets its window (the second message).
 * Idempotent on the MessageSid.
 *
 * Collectors know their victims' numbers and can spoof a sender: a repeat never changes the window
 * and never repeats the code, and a window word alone never creates a request. The code goes out again
 * only on "编号" (`smsCodeReply`), whose reply Twilio delivers to the number itself, not to whoever
 * spoofed it.
 */
export async function smsCallbackReply(
  store: SmsCallbackStore,
  content: Content,
  twilio: TwilioRequest,
  word: string | undefined,
  dailyLimit: number,
  windowOnly = false,
): Promise<string | null> {
  const texts = content.prompts.callback;
  const phone = normalisePhone(twilio.form.From);
  if (!phone.ok) return texts.smsBadNumber;
  const sourceSid = twilio.form.MessageSid || twilio.form.SmsSid || 'sms-nosid';
  // After a crisis message (within about a day) the request is urgent: no window to choose, no daily limit.
  if ((await store.recentQuota(phone.e164, 'crisis-reply', CRISIS_WINDOW_SECONDS)) > 0) {
    const { request, created } = await store.requestCallback({ phone: phone.e164, window: texts.urgentWindow, keepWindow: true, topic: 'crisis', channel: 'sms', sourceSid, urgent: true });
    return created ? fill(texts.smsUrgentRegistered, { code: request.code }) : `${texts.smsAlreadyWaiting}${texts.voiceUrgentWaiting}`;
  }
  if (windowOnly) return windowFollowUp(store, content, phone.e164, word, sourceSid);
  // The MessageSid makes the count idempotent: a retried delivery gets the same answer.
  if (!(await store.consumeQuota(phone.e164, 'callback', dailyLimit, 86_400, twilio.form.MessageSid || undefined))) {
    // Over the limit: a waiting request stands (said without its code); with none, no reply (flooding).
    return (await store.findPending(phone.e164)) ? texts.smsLimitPending : null;
  }
  const window = windowFor(word, content) ?? texts.anyWindow;
  const { request, created } = await store.requestCallback({ phone: phone.e164, window, keepWindow: true, topic: null, channel: 'sms', sourceSid });
  if (!created) return texts.smsAlreadyWaiting;
  // A new request without a window is asked for one.
  return fill(texts.smsRegistered, { code: request.code, window: request.window }) + (word ? '' : texts.smsAskWindow);
}

/** "晚上" alone: sets the window of a request made without one in the last half hour; creates nothing. */
async function windowFollowUp(store: SmsCallbackStore, content: Content, e164: string, word: string | undefined, sourceSid: string): Promise<string> {
  const texts = content.prompts.callback;
  const pending = await store.findPending(e164);
  if (!pending) return texts.smsNoRequest;
  const window = windowFor(word, content);
  const recent = Date.now() - Date.parse(pending.createdAt) <= WINDOW_FOLLOW_UP_SECONDS * 1000;
  if (!window || pending.window !== texts.anyWindow || pending.channel !== 'sms' || !recent) return texts.smsWindowFixed;
  const { request } = await store.requestCallback({ phone: e164, window, topic: null, channel: 'sms', sourceSid });
  return fill(texts.smsUpdated, { code: request.code, window: request.window });
}

/** "编号": the waiting request's code and window, texted to the number that asks (Twilio delivers it there). */
export async function smsCodeReply(store: Pick<CallbackStore, 'findPending'>, content: Content, twilio: TwilioRequest): Promise<string> {
  const texts = content.prompts.callback;
  const phone = normalisePhone(twilio.form.From);
  if (!phone.ok) return texts.smsBadNumber;
  const pending = await store.findPending(phone.e164);
  return pending ? fill(texts.smsCode, { code: pending.code, window: pending.window }) : texts.smsNoRequest;
}
