import { normalizeForUnderstanding } from './normalize';

// "不用回电了", "不要你们回电话了", "取消人工" and the other order, "回电不用了", "人工就算了".
// (回电 also covers 回电话 here; after the refusal word, CALLBACK_FIRST needs the whole 回电话.)
const REFUSAL_FIRST = /(不用|不要|别|取消|不需要|无需|不必|不想要?)(你们|再|给我|帮我){0,2}(回电|回拨|回个电话|人工|打电话|打给我)/u;
const CALLBACK_FIRST = /(回电|回拨|回个?电话|人工|打电话)(了|就|的事)?(不用|不要|不需要|取消|算了|免了)/u;

/**
 * Whether a text turns a callback down. One rule for every channel: a refusal must never book a
 * callback, whatever the classifier makes of the words 回电 or 人工 in it.
 */
export function declinesCallback(text: string): boolean {
  const folded = normalizeForUnderstanding(text).replace(/\s/g, '');
  return REFUSAL_FIRST.test(folded) || CALLBACK_FIRST.test(folded);
}
