import * as OpenCC from 'opencc-js/t2cn';

// Traditional (Taiwan and Hong Kong variants) → simplified. Built once per process: the dictionaries are static.
const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });

/**
 * Characters that speech recognition and hurried typing confuse with the ones our phrases use,
 * and that pinyin alone does not reconcile (曝 reads pù in the dictionary, bào in 曝光).
 */
const CHARACTER_VARIANTS: Record<string, string> = { 曝: '爆', 迅: '讯' };

/** Words that carry no meaning for matching; removed so that they neither help nor hurt. */
const FILLERS = [
  '我想问一下', '想问一下', '请问一下', '请问', '问一下', '你好', '您好', '那个', '这个', '就是说', '就是',
  '然后', '麻烦', '谢谢', '嗯', '呃', '啊', '呀', '吧', '呢', '哦', '嘛', '哈',
];

/** Traditional (Taiwan or Hong Kong forms) → simplified; everything else unchanged. */
export function toSimplified(text: string): string {
  return fromHongKong(fromTaiwan(text));
}

/** NFKC (full-width → half-width), lower case, traditional → simplified, variants unified, fillers dropped. */
export function normalizeText(input: string): string {
  let text = input.normalize('NFKC').toLowerCase();
  text = toSimplified(text);
  text = text.replace(/[曝迅]/g, (c) => CHARACTER_VARIANTS[c] ?? c);
  for (const filler of FILLERS) text = text.split(filler).join(' ');
  // Keep Han characters, Latin letters and digits; everything else (punctuation, emoji) is a word break.
  return text.replace(/[^\p{Script=Han}a-z0-9]+/gu, ' ').trim();
}
