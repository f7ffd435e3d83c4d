import type { Content } from '../content/content';
import { parseTimeWish, type CallbackWindow, type TimeWish } from '../callbacks/schedule';
import type { TopicId } from '../content/topic-ids';
import type { Understand } from '../understanding/understand';
import { detectSafety } from '../safety/detect';
import { declinesCallback } from '../understanding/callback-refusal';
import { smsKeywords } from './keywords';

/** What an incoming text asks for. The SMS handler carries it out; storage decisions happen there. */
export type SmsIntent =
  /** Despair or self-harm, anywhere in the text: the crisis reply; `callback` when a callback was asked for too. */
  | { kind: 'crisis'; callback: boolean }
  /** `top`: after "not understood", the topic that came closest (what the question inbox shows staff). */
  | { kind: 'menu'; notice?: 'unknownNumber' | 'notUnderstood'; asked?: string; top?: TopicId }
  | { kind: 'group'; group: string }
  /** `asked`: the text was a question in the person's own words (kept briefly for a later 回电). */
  | { kind: 'topic'; topic: TopicId; threat?: boolean; asked?: string }
  /** Two topics were close: ask which one, answerable by their menu numbers (stateless). */
  | { kind: 'ask'; choices: [TopicId, TopicId]; asked?: string }
  /**
   * 回电 (with or without a time), or a question that asks for a call (`asked`). `timeOnly`: the
   * whole text is a time ("晚上", "明天下午三点", "随便"), which answers an earlier 回电 and nothing else.
   */
  | { kind: 'callback'; wish?: TimeWish; timeOnly?: boolean; asked?: string }
  /** "编号": the lost-code path (the reply goes to the sender's number, which is the request's). */
  | { kind: 'code' }
  | { kind: 'optOut' }
  | { kind: 'optIn' };


/** Longest text the router reads: a 2,000-character SMS is answered from its beginning. */
const MAX_TEXT = 500;

/** Lower case, full-width → half-width, trimmed, with trailing punctuation ("菜单。", "STOP!") dropped. */
export function normalizeKeyword(body: string): string {
  return body
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^[\s。！!，,.、~～:：]+|[\s。！!，,.、~～:：]+$/gu, '')
    .trim();
}

/**
 * What a text asks for. Keywords, menu numbers and times are read here; only free text loads the
 * classifier (`understanding`, imported on first use).
 */
export async function routeSms(body: string, content: Content, understanding: () => Promise<Understand>, windows: readonly CallbackWindow[]): Promise<SmsIntent> {
  // Safety before everything, on the whole message (a crisis sentence may be deep inside a long text).
  const keywords = smsKeywords(content);
  const safety = detectSafety(body);
  if (safety?.kind === 'crisis') {
    // A callback asked for anywhere in it ("想死 回电", "回个电话给我"), unless it is declined.
    const whole = normalizeKeyword(body);
    return { kind: 'crisis', callback: keywords.asksCallback.test(whole) && !declinesCallback(whole) };
  }
  const text = normalizeKeyword(body.slice(0, MAX_TEXT));
  // What staff read with a callback request: the person's words as typed (the store masks numbers).
  const asked = body.slice(0, MAX_TEXT).trim();
  if (keywords.menu.has(text)) return { kind: 'menu' };
  if (keywords.optOut.has(text)) return { kind: 'optOut' };
  if (keywords.optIn.has(text)) return { kind: 'optIn' };
  if (keywords.code.has(text)) return { kind: 'code' };

  const callback = declinesCallback(text) ? null : keywords.callback.exec(text);
  if (callback) {
    const rest = (callback[1] ?? '').trim();
    if (!rest) return { kind: 'callback' };
    const wish = parseTimeWish(rest, windows);
    if (wish) return { kind: 'callback', wish };
  }

  // A time alone ("晚上", "下午吧", "明天下午三点", "随便") answers the question that followed a 回电.
  const time = parseTimeWish(text, windows);
  if (time) return { kind: 'callback', wish: time, timeOnly: true };

  // Menu numbers: "3" opens a group, "31" / "3 1" / "3-1" is its first topic. "回31" / "按1" / "选2"
  // answer a reply that said "回31：…" (the menu, an ask-back), so the prefix is dropped.
  const digits = text.replace(keywords.menuNumberPrefix, '').replace(/[\s\-－.、]/g, '');
  if (/^\d{1,2}$/.test(digits)) return byNumber(digits, content);

  // The whole message was checked above; the matcher reads its first MAX_TEXT characters.
  const understood = (await understanding())(text, safety);
  const { topic, reason } = understood;
  if (reason === 'crisis') return { kind: 'crisis', callback: false };
  if (topic === 'callback') {
    // A question that asks for a call: a window word inside it ("晚上打给我") is the time.
    const window = windows.find((w) => text.includes(w.word));
    return { kind: 'callback', ...(window ? { wish: { window: window.id } } : {}), asked };
  }
  if (understood.choices) return { kind: 'ask', choices: understood.choices, asked };
  if (!topic) return { kind: 'menu', notice: 'notUnderstood', asked, ...(understood.top ? { top: understood.top } : {}) };
  return reason === 'threat' ? { kind: 'topic', topic, threat: true, asked } : { kind: 'topic', topic, asked };
}

function byNumber(digits: string, content: Content): SmsIntent {
  const main = content.menu.main.find((item) => item.key === digits[0]);
  if (!main) return { kind: 'menu', notice: 'unknownNumber' };
  if ('topic' in main) {
    if (digits.length > 1) return { kind: 'menu', notice: 'unknownNumber' };
    if (main.topic === 'crisis') return { kind: 'crisis', callback: false };
    return main.topic === 'callback' ? { kind: 'callback' } : { kind: 'topic', topic: main.topic };
  }
  if (digits.length === 1) return { kind: 'group', group: main.group };
  const sub = content.menu.groups[main.group]?.items.find((item) => item.key === digits[1]);
  return sub ? { kind: 'topic', topic: sub.topic } : { kind: 'menu', notice: 'unknownNumber' };
}
