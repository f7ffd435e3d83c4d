/**
 * What a caller typed or said about when to be called (`下午吧`, `明天下午三点`, `七点半以后`, `随便`),
 * read strictly: a whole text that is a time, or null. Part of the schedule (`schedule.ts`).
 */
import { clockMinutes, type CallbackWindow, type Span } from './staff-calendar';

export interface TimeWish {
  /** 随便 / 什么时候都行 / 都可以 / 越快越好 / 尽快 / 白天 …: whenever staff can. */
  any?: true;
  /** 今天/今晚 0, 明天/明早/明晚 1, 后天 2, 大后天 3. */
  dayOffset?: number;
  /** 周一…周日 / 星期X / 礼拜X (1…7; 周末 → 6): the next such day (today if today). */
  weekday?: number;
  /** Id of the window named (上午, 今晚…) or, with a time, the window containing it. */
  window?: string;
  /** Minutes after midnight of a named clock time. */
  at?: number;
  /** 以后/之后/后 → after, 以前/之前/前 → before, otherwise at. Set whenever `at` is. */
  bound?: 'at' | 'after' | 'before';
}

/**
 * Words allowed around the time words, and nothing else. Kept in one list so a new filler is one
 * edit; a text of fillers alone (`好的`, `可以`) is not a time.
 */
const FILLERS: readonly string[] = [
  '吧', '啊', '呀', '哦', '呢', '的', '都', '都行', '都可以', '可以', '行', '好', '最好', '方便', '左右', '前后', '有空', '我有空',
  '打给我', '给我打', '给我打电话', '打电话', '回电', '回电话', '来电话', '再打', '再说', '请', '麻烦', '在', '那',
  '那个', '嗯', '就',
  // Stryker disable next-line StringLiteral: equivalent — 就行 and 那就 are 就+行 and 那+就, fillers each, so the text reads the same without them.
  '就行', '那就',
];

/** Fillers that alone mean any time suits (`都行`); next to a time they are only fillers (`下午都行`). */
const ANY_FILLERS: readonly string[] = ['都行', '都可以'];

/** Sounds that end a greeting as easily as a wish (`晚上好啊`). */
const SOFT_FILLERS: readonly string[] = ['啊', '呀', '哦'];

/** Whenever staff can. `白天` is any time in staff hours, which is every window. */
const ANY_WORDS: readonly string[] = [
  '随便', '随时', '什么时候都行', '什么时候都可以', '什么时间都行', '什么时间都可以', '啥时候都行', '啥时候都可以', '几点都行', '几点都可以',
  '无所谓', '越快越好', '越早越好', '尽快', '尽早', '马上', '立刻', '现在', '早点', '快点', '白天', '全天',
];

const DAY_WORDS: Readonly<Record<string, number>> = { 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };

/** Words that name a day and a period at once. */
const DAY_PERIOD_WORDS: Readonly<Record<string, { dayOffset: number; period: string }>> = {
  今早: { dayOffset: 0, period: '早上' },
  今晚: { dayOffset: 0, period: '晚上' },
  明早: { dayOffset: 1, period: '早上' },
  明晨: { dayOffset: 1, period: '早上' },
  明晚: { dayOffset: 1, period: '晚上' },
};

type Period = 'dawn' | 'morning' | 'noon' | 'afternoon' | 'evening';

/** Period words and what they say about the hour; words in one group name the same window. */
const PERIOD_WORDS: Readonly<Record<string, Period>> = {
  凌晨: 'dawn', 上午: 'morning', 早上: 'morning', 早晨: 'morning', 中午: 'noon', 下午: 'afternoon',
  傍晚: 'evening', 晚上: 'evening', 夜里: 'evening', 晚间: 'evening',
};

/**
 * Where a period word with no window of its own points (`凌晨` when staff keep no early window): a
 * nominal time, so `slotFor` moves it to the nearest window and marks the slot adjusted.
 */
const PERIOD_NOMINAL: Readonly<Record<Period, number>> = { dawn: 5 * 60, morning: 9 * 60, noon: 12 * 60, afternoon: 14 * 60, evening: 19 * 60 };

const WEEKDAY_WORDS: Readonly<Record<string, number>> = Object.fromEntries([
  ['周末', 6],
  ...['周', '星期', '礼拜'].flatMap((prefix) => [
    ...[...'一二三四五六'].map((d, i) => [`${prefix}${d}`, i + 1] as const),
    ...[...'1234567'].map((d, i) => [`${prefix}${d}`, i + 1] as const),
    [`${prefix}日`, 7] as const,
    [`${prefix}天`, 7] as const,
  ]),
]);

const BOUND_WORDS: Readonly<Record<string, 'after' | 'before'>> = { 以后: 'after', 之后: 'after', 后: 'after', 以前: 'before', 之前: 'before', 前: 'before' };

/** The traditional forms of the characters above, so a text from Hong Kong or Taiwan reads the same. */
const TRADITIONAL: Readonly<Record<string, string>> = {
  點: '点', 後: '后', 週: '周', 禮: '礼', 時: '时', 隨: '随', 麼: '么', 無: '无', 謂: '谓', 儘: '尽', 馬: '马',
  電: '电', 話: '话', 給: '给', 來: '来', 兩: '两', 現: '现', 間: '间', 裡: '里', 盡: '尽',
  // Stryker disable next-line StringLiteral: equivalent — 钟 after a clock time and the 个 of 那个 are optional, so dropping them reads the same.
  鐘: '钟', 個: '个',
};

const DROPPED = /[\s。，,.!！?？~～、]/gu;

const MAX_WISH_LENGTH = 40;

/** Hours and minutes in Arabic or Chinese numerals (`七`, `十二`, `两`, `15`). */
const HOUR = '\\d{1,2}|二十[一二三四]?|十[一二三四五六七八九]?|[零〇一二两三四五六七八九]';
const MINUTE = '半|[一三]刻|\\d{1,2}分?|零[一二三四五六七八九]分?|[二三四五]?十[一二三四五六七八九]?分?|[一二三四五六七八九]分';
/** `19:00`, `7:30`, `七点`, `3点15分`, `三点一刻`, `两点半`, `十点钟`. */
const CLOCK = new RegExp(`^(?:(\\d{1,2}):(\\d{2})|(${HOUR})[点时](?:(${MINUTE})|钟|整)?)`, 'u');

const DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** `7`, `七`, `十二`, `二十三`, `零五`, `四十五` → number. */
function numberOf(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const ten = text.indexOf('十');
  if (ten < 0) return [...text].reduce((n, c) => n * 10 + (DIGITS[c] ?? Number.NaN), 0);
  const tens = ten === 0 ? 1 : (DIGITS[text.slice(0, ten)] ?? Number.NaN);
  const ones = ten === text.length - 1 ? 0 : (DIGITS[text.slice(ten + 1)] ?? Number.NaN);
  return tens * 10 + ones;
}

function minuteOf(text: string | undefined): number {
  if (!text) return 0;
  if (text === '半') return 30;
  if (text.endsWith('刻')) return text.startsWith('三') ? 45 : 15;
  return numberOf(text.replace(/分$/, ''));
}

type Token =
  | { kind: 'day'; dayOffset?: number; weekday?: number; period?: string }
  | { kind: 'period'; word: string }
  | { kind: 'label'; window: string }
  | { kind: 'clock'; hour: number; minute: number; twentyFour: boolean }
  | { kind: 'bound'; bound: 'after' | 'before' }
  | { kind: 'any' }
  | { kind: 'filler'; word: string };

/** Every fixed word the scanner knows, longest first so `前后` wins over `前` and `大后天` over `后天`. */
function vocabulary(windows: readonly CallbackWindow[]): [string, Token][] {
  const entries: [string, Token][] = [
    ...FILLERS.map((w): [string, Token] => [w, { kind: 'filler', word: w }]),
    ...ANY_WORDS.map((w): [string, Token] => [w, { kind: 'any' }]),
    ...Object.entries(DAY_WORDS).map(([w, dayOffset]): [string, Token] => [w, { kind: 'day', dayOffset }]),
    ...Object.entries(DAY_PERIOD_WORDS).map(([w, d]): [string, Token] => [w, { kind: 'day', ...d }]),
    ...Object.entries(WEEKDAY_WORDS).map(([w, weekday]): [string, Token] => [w, { kind: 'day', weekday }]),
    ...Object.keys(PERIOD_WORDS).map((w): [string, Token] => [w, { kind: 'period', word: w }]),
    ...Object.entries(BOUND_WORDS).map(([w, bound]): [string, Token] => [w, { kind: 'bound', bound }]),
    // A window's own word (when it is not a period word above) and its label, typed back from the menu.
    ...windows.map((w): [string, Token] => [w.word, { kind: 'period', word: w.word }]),
    ...windows.map((w): [string, Token] => [cleanText(w.label), { kind: 'label', window: w.id }]),
  ];
  return entries.filter(([w]) => w).sort((a, b) => b[0].length - a[0].length);
}

function cleanText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DROPPED, '')
    .replace(/./gu, (c) => TRADITIONAL[c] ?? c);
}

/** The text as tokens, or null when some part of it is not a time word or a filler. */
function tokenize(text: string, words: readonly [string, Token][]): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const word = words.find(([w]) => rest.startsWith(w));
    const clock = CLOCK.exec(rest);
    if (clock && clock[0].length >= (word?.[0].length ?? 0)) {
      const hourText = clock[1] ?? clock[3] ?? '';
      // A zero-padded hour (`08:00`, `09点`) is a 24-hour clock: no reading it as evening.
      tokens.push({ kind: 'clock', hour: numberOf(hourText), minute: clock[2] !== undefined ? Number(clock[2]) : minuteOf(clock[4]), twentyFour: /^0\d$/.test(hourText) });
      i += clock[0].length;
    } else if (word) {
      tokens.push(word[1]);
      i += word[0].length;
    } else {
      return null;
    }
  }
  return tokens;
}

/** `晚上十二点` and `24点`: the end of the day, kept as its last minute so it stays on the day named. */
const LAST_MINUTE = 24 * 60 - 1;

/**
 * The readings of an hour said with `period` (or none), most likely first. A reading the period
 * rules out (`上午八点` is not 20:00; `下午零点` is nothing) is not offered at all.
 */
function readings(hour: number, minute: number, twentyFour: boolean, period: Period | undefined): number[] {
  if (minute > 59 || hour > 24) return [];
  if (hour === 24) return minute === 0 && (period === undefined || period === 'evening') ? [LAST_MINUTE] : [];
  const at = (h: number) => h * 60 + minute;
  switch (period) {
    case 'dawn':
      return hour === 12 ? [at(0)] : hour <= 11 ? [at(hour)] : [];
    case 'morning':
      return hour <= 12 ? [at(hour)] : [];
    case 'noon':
      return hour === 11 || hour === 12 || (hour >= 13 && hour <= 15) ? [at(hour)] : hour >= 1 && hour <= 3 ? [at(hour + 12)] : [];
    case 'afternoon':
      return hour >= 1 && hour <= 11 ? [at(hour + 12)] : hour >= 12 ? [at(hour)] : [];
    case 'evening':
      // 晚上一点 could be either side of midnight; staff never call then, so it is not guessed at.
      if (hour === 12) return minute === 0 ? [LAST_MINUTE] : [];
      return hour >= 6 && hour <= 11 ? [at(hour + 12)] : hour >= 18 ? [at(hour)] : [];
    default:
      if (twentyFour || hour === 0 || hour >= 13) return [at(hour)];
      if (hour === 12) return [at(12), at(0)];
      // Without a window to decide it, 1–7 o'clock is afternoon or evening and 8–11 morning: nobody
      // asks to be called at three in the night, and eight in the morning is a normal time to ask.
      return hour <= 7 ? [at(hour + 12), at(hour)] : [at(hour), at(hour + 12)];
  }
}

/** Whether `at` lies in the span: as a start or a named time `[start, end)`, as an end (`以前`) `(start, end]`. */
export function holds(span: Pick<Span, 'start' | 'end'>, at: number, bound: TimeWish['bound']): boolean {
  return bound === 'before' ? span.start < at && at <= span.end : span.start <= at && at < span.end;
}

/**
 * The whole text must be a time expression, or null. Strict on purpose: "明天要还款怎么办", "我晚上睡不着",
 * "下午被催收打了十个电话" are not time wishes; only a text made of time words and fillers is.
 */
export function parseTimeWish(text: string, windows: readonly CallbackWindow[]): TimeWish | null {
  const cleaned = cleanText(text);
  // Every time wish is short; a long text is a question or a story, and is not scanned at all.
  if (!cleaned || cleaned.length > MAX_WISH_LENGTH) return null;
  const tokens = tokenize(cleaned, vocabulary(windows));
  if (!tokens) return null;

  let day: Extract<Token, { kind: 'day' }> | undefined;
  let periodWord: string | undefined;
  let labelWindow: string | undefined;
  let clock: Extract<Token, { kind: 'clock' }> | undefined;
  let bound: 'after' | 'before' | undefined;
  let any = false;
  let anyFiller = false;
  for (const [i, token] of tokens.entries()) {
    switch (token.kind) {
      case 'day':
        if (day) return null;
        day = token;
        if (token.period) {
          if (periodWord || labelWindow) return null;
          periodWord = token.period;
        }
        break;
      case 'period':
      case 'label':
        if (periodWord || labelWindow) return null;
        if (token.kind === 'period') periodWord = token.word;
        else labelWindow = token.window;
        break;
      case 'clock':
        if (clock) return null;
        clock = token;
        break;
      case 'bound':
        // Only right after a clock time: `七点以后`, never `晚上以后` or a stray `前`.
        if (bound || tokens[i - 1]?.kind !== 'clock') return null;
        bound = token.bound;
        break;
      case 'any':
        any = true;
        break;
      case 'filler':
        if (ANY_FILLERS.includes(token.word)) anyFiller = true;
        break;
    }
  }
  if (labelWindow && clock) return null;
  // 早上好, 晚上好: greetings, not a time (明天下午好 still is one).
  const said = tokens.filter((t) => !(t.kind === 'filler' && SOFT_FILLERS.includes(t.word)));
  if (said.length === 2 && said[0]?.kind === 'period' && said[1]?.kind === 'filler' && said[1].word === '好') return null;

  const period = periodWord ? PERIOD_WORDS[periodWord] : undefined;
  const periodWindow = periodWord ? windows.find((w) => w.word === periodWord) ?? windows.find((w) => period !== undefined && PERIOD_WORDS[w.word] === period) : undefined;
  const wish: TimeWish = {};
  if (day?.dayOffset !== undefined) wish.dayOffset = day.dayOffset;
  if (day?.weekday !== undefined) wish.weekday = day.weekday;

  // Read leniently: a window with bad times holds nothing here, and slotFor reports it.
  const spans = windows.map((w) => ({ id: w.id, start: clockMinutes(w.from, false) ?? Number.NaN, end: clockMinutes(w.until, true) ?? Number.NaN }));
  if (clock) {
    const wishBound = bound ?? 'at';
    const options = readings(clock.hour, clock.minute, clock.twentyFour, period);
    if (!options.length) return null;
    // A custom window word (`午休`) says nothing of the hour but names its window: prefer a reading inside it.
    const preferred = periodWindow && period === undefined ? spans.filter((s) => s.id === periodWindow.id) : spans;
    const at = options.find((t) => preferred.some((s) => holds(s, t, wishBound))) ?? options.find((t) => spans.some((s) => holds(s, t, wishBound))) ?? options[0]!;
    wish.at = at;
    wish.bound = wishBound;
    const containing = periodWord ? spans.find((s) => holds(s, at, wishBound)) : undefined;
    if (containing) wish.window = containing.id;
  } else if (labelWindow) {
    wish.window = labelWindow;
  } else if (periodWindow) {
    wish.window = periodWindow.id;
  } else if (period !== undefined) {
    // 中午 is noon itself; any other period without a window of its own is a time staff will move.
    const at = PERIOD_NOMINAL[period];
    wish.at = at;
    wish.bound = 'at';
    const containing = spans.find((s) => holds(s, at, 'at'));
    if (containing) wish.window = containing.id;
  }
  // A named time or window says more than 随便 next to it.
  if ((any || anyFiller) && wish.at === undefined && wish.window === undefined) wish.any = true;
  return Object.keys(wish).length ? wish : null;
}
