import type { Position } from './reply';

/** Words around a short spoken answer that carry nothing ("嗯，第一个吧"). */
const FILLER = /[嗯呃啊吧呀哦的了呢]|那个|就是|我选|我要|选|按/gu;

// Anchored: only a short answer that is nothing but the choice counts; anything longer is a question.
// Matched after the fillers are gone: "前面那个" is 前面 by then, "说错了" 说错.
const FIRST = /^(第?[一幺1]个?|前面|前一个)$/u;
const SECOND = /^(第?[二两2]个?|后面|后一个)$/u;
const NEITHER = /^(都不是|都不对|都不要|都没有|[零0]|两个都不是)$/u;
const NOT_THIS = /^(不是|不对|不是这个|不是这个问题|说错|搞错|你?听错|错)$/u;

/**
 * A short spoken answer to a question the menu asked, as the key it stands for: "第一个" at an
 * ask-back is 1, "都不是" is 0, "不是这个" after a spoken answer is the not-this key. Undefined when
 * the words are anything else (they are then understood as a question).
 */
export function spokenKey(at: Position, speech: string, notThisKey: string): string | undefined {
  const words = speech.normalize('NFKC').replace(/[\s\p{P}]/gu, '').replace(FILLER, '');
  if (!words) return undefined;
  if (at.kind === 'ask') {
    if (FIRST.test(words)) return '1';
    if (SECOND.test(words)) return '2';
    if (NEITHER.test(words)) return '0';
  }
  if (at.kind === 'topic' && at.heard && NOT_THIS.test(words)) return notThisKey;
  return undefined;
}
