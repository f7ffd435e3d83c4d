import type { Content } from '../content/content';
import type { TopicId } from '../content/topic-ids';
import type { Understand } from '../understanding/understand';
import { detectSafety } from '../safety/detect';
import { declinesCallback } from '../understanding/callback-refusal';

/** What an incoming text asks for. The SMS handler carries it out; storage decisions happen there. */
export type SmsIntent =
  /** Despair or self-harm, anywhere in the text: the crisis reply; `callback` when a callback was asked for too. */
  | { kind: 'crisis'; callback: boolean }
  | { kind: 'menu'; notice?: 'unknownNumber' | 'notUnderstood' }
  | { kind: 'group'; group: string }
  | { kind: 'topic'; topic: TopicId; threat?: boolean }
  /** Two topics were close: ask which one, answerable by their menu numbers (stateless). */
  | { kind: 'ask'; choices: [TopicId, TopicId] }
  | { kind: 'callback'; window?: string; windowOnly?: boolean }
  /** "编号": the lost-code path (the reply goes to the sender's number, which is the request's). */
  | { kind: 'code' }
  | { kind: 'optOut' }
  | { kind: 'optIn' };

const MENU_WORDS = new Set(['', '0', '菜单', '帮助', 'menu', 'help', '?', 'caidan', 'bangzhu', 'info']);
// Twilio's own opt-out and opt-in words plus the Chinese ones carriers use.
const OPT_OUT_WORDS = new Set(['退订', 'td', 'stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', '取消订阅']);
const OPT_IN_WORDS = new Set(['订阅', 'start', 'unstop', 'yes', '恢复订阅']);
const CODE_WORDS = new Set(['编号', '回电编号', '我的编号', '查编号', 'bianhao', 'code']);
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

/** A callback asked for anywhere in a text ("想死 回电", "回个电话给我"), unless it is declined. */
const ASKS_CALLBACK = /回电|人工|回个电话|打给我|给我打电话|\bcall\b/u;

export function routeSms(body: string, content: Content, understand: Understand, windows: readonly string[]): SmsIntent {
  // Safety before everything, on the whole message (a crisis sentence may be deep inside a long text).
  const safety = detectSafety(body);
  if (safety?.kind === 'crisis') {
    const whole = normalizeKeyword(body);
    return { kind: 'crisis', callback: ASKS_CALLBACK.test(whole) && !declinesCallback(whole) };
  }
  const text = normalizeKeyword(body.slice(0, MAX_TEXT));
  if (MENU_WORDS.has(text)) return { kind: 'menu' };
  if (OPT_OUT_WORDS.has(text)) return { kind: 'optOut' };
  if (OPT_IN_WORDS.has(text)) return { kind: 'optIn' };
  if (CODE_WORDS.has(text)) return { kind: 'code' };

  const callback = declinesCallback(text) ? null : CALLBACK.exec(text);
  if (callback) {
    const rest = (callback[1] ?? '').trim();
    const window = windows.find((w) => rest.includes(w));
    if (!rest || window) return { kind: 'callback', window };
  }

  // A bare window word ("晚上") answers the question that followed a callback request.
  if (windows.includes(text)) return { kind: 'callback', window: text, windowOnly: true };

  // Menu numbers: "3" opens a group, "31" / "3 1" / "3-1" is its first topic. "回31" / "按1" / "选2"
  // answer a reply that said "回31：…" (the menu, an ask-back), so the prefix is dropped.
  const digits = text.replace(/^(回复?|按|选)/u, '').replace(/[\s\-－.、]/g, '');
  if (/^\d{1,2}$/.test(digits)) return byNumber(digits, content);

  // The whole message was checked above; the matcher reads its first MAX_TEXT characters.
  const understood = understand(text, safety);
  const { topic, reason } = understood;
  if (reason === 'crisis') return { kind: 'crisis', callback: false };
  if (topic === 'callback') return { kind: 'callback', window: windows.find((w) => text.includes(w)) };
  if (understood.choices) return { kind: 'ask', choices: understood.choices };
  if (!topic) return { kind: 'menu', notice: 'notUnderstood' };
  return reason === 'threat' ? { kind: 'topic', topic, threat: true } : { kind: 'topic', topic };
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
