import type { Content } from '../content/content';
import type { TopicId } from '../content/topic-ids';
import type { Matcher } from '../matcher/matcher';

/** What an incoming text asks for. The SMS handler carries it out; storage decisions happen there. */
export type SmsIntent =
  | { kind: 'menu'; notice?: 'unknownNumber' | 'notUnderstood' }
  | { kind: 'group'; group: string }
  | { kind: 'topic'; topic: TopicId }
  | { kind: 'callback'; window?: string; windowOnly?: boolean }
  | { kind: 'optOut' }
  | { kind: 'optIn' };

const MENU_WORDS = new Set(['', '0', '菜单', '帮助', 'menu', 'help', '?', 'caidan', 'bangzhu', 'info']);
// Twilio's own opt-out and opt-in words plus the Chinese ones carriers use.
const OPT_OUT_WORDS = new Set(['退订', 'td', 'stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', '取消订阅']);
const OPT_IN_WORDS = new Set(['订阅', 'start', 'unstop', 'yes', '恢复订阅']);
const CALLBACK = /^(?:回电|人工|call|9|请回电|要人工|转人工|人工服务)(?:\s*(.*))?$/u;

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

export function routeSms(body: string, content: Content, match: Matcher, windows: readonly string[]): SmsIntent {
  const text = normalizeKeyword(body.slice(0, MAX_TEXT));
  if (MENU_WORDS.has(text)) return { kind: 'menu' };
  if (OPT_OUT_WORDS.has(text)) return { kind: 'optOut' };
  if (OPT_IN_WORDS.has(text)) return { kind: 'optIn' };

  const callback = /^(?:不用|不要|别|取消|不需要)/.test(text) ? null : CALLBACK.exec(text);
  if (callback) {
    const rest = (callback[1] ?? '').trim();
    const window = windows.find((w) => rest.includes(w));
    if (!rest || window) return { kind: 'callback', window };
  }

  // A bare window word ("晚上") answers the question that followed a callback request.
  if (windows.includes(text)) return { kind: 'callback', window: text, windowOnly: true };

  // Menu numbers: "3" opens a group, "31" / "3 1" / "3-1" is its first topic.
  const digits = text.replace(/[\s\-－.、]/g, '');
  if (/^\d{1,2}$/.test(digits)) return byNumber(digits, content);

  const { topic } = match(text);
  if (topic === 'callback') return { kind: 'callback', window: windows.find((w) => text.includes(w)) };
  return topic ? { kind: 'topic', topic } : { kind: 'menu', notice: 'notUnderstood' };
}

function byNumber(digits: string, content: Content): SmsIntent {
  const main = content.menu.main.find((item) => item.key === digits[0]);
  if (!main) return { kind: 'menu', notice: 'unknownNumber' };
  if ('topic' in main) {
    if (digits.length > 1) return { kind: 'menu', notice: 'unknownNumber' };
    return main.topic === 'callback' ? { kind: 'callback' } : { kind: 'topic', topic: main.topic };
  }
  if (digits.length === 1) return { kind: 'group', group: main.group };
  const sub = content.menu.groups[main.group]?.items.find((item) => item.key === digits[1]);
  return sub ? { kind: 'topic', topic: sub.topic } : { kind: 'menu', notice: 'unknownNumber' };
}
