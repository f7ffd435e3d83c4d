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

/**
 * 回电 / 9 / CALL, with or without a window: creates or updates the request (one message), and a
 * later bare window word updates it (the second message). Idempotent on the MessageSid.
 */
export async function smsCallbackReply(
  store: Pick<CallbackStore, 'requestCallback' | 'consumeQuota' | 'findPending' | 'recentQuota'>,
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
    const { request } = await store.requestCallback({ phone: phone.e164, window: texts.urgentWindow, topic: 'crisis', channel: 'sms', sourceSid, urgent: true });
    return fill(texts.smsUrgentRegistered, { code: request.code });
  }
  // Naming a window for a request just made is not a new request: it does not count towards the limit.
  // The MessageSid makes the count idempotent: a retried delivery gets the same answer.
  if (!windowOnly && !(await store.consumeQuota(phone.e164, 'callback', dailyLimit, 86_400, twilio.form.MessageSid || undefined))) {
    // Over the limit: a waiting request stands and its code is repeated; with none, no reply (flooding).
    const pending = await store.findPending(phone.e164);
    return pending ? fill(texts.smsLimitPending, { code: pending.code, window: pending.window }) : null;
  }
  const window = windowFor(word, content) ?? texts.anyWindow;
  const { request, created } = await store.requestCallback({ phone: phone.e164, window, keepWindow: !word, topic: null, channel: 'sms', sourceSid });
  const code = request.code;
  if (!created && word) return fill(texts.smsUpdated, { code, window });
  // Only a new request without a window is asked for one; a repeat keeps the window it has.
  return fill(texts.smsRegistered, { code, window: request.window }) + (word || !created ? '' : texts.smsAskWindow);
}
