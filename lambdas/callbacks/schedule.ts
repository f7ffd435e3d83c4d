/**
 * When a caller wants to be called back, as a real slot in Beijing time. Pure: no I/O, no clock of
 * its own (`now` is passed in), so SMS, voice, the console and the tests share one reading.
 *
 * `parseTimeWish` reads what the caller typed or said (`下午吧`, `明天下午三点`, `七点半以后`,
 * `随便`), `slotFor` turns it into the slot staff will keep (inside a window, on a working day, never
 * in the past), `describeSlot` says that slot back to the caller and `staffSlotText` shows it to staff.
 */
import { addDays, daysBetween, instantAt, isCalendarDate, localTime, weekdayOf } from '../shared/time-zone';

// ---------------------------------------------------------------- calendar

export interface CallbackWindow {
  /** `morning` */
  id: string;
  /** `上午九点到十二点`: what callers hear. */
  label: string;
  /** `上午`: the short word texters type. */
  word: string;
  /** `09:00` Beijing time, HH:MM. */
  from: string;
  /** `12:00` Beijing time, HH:MM (`24:00` is midnight). */
  until: string;
}

export interface StaffCalendar {
  /** In time order, non-overlapping. */
  windows: readonly CallbackWindow[];
  /** ISO weekdays 1 (Mon) … 7 (Sun) when nobody calls back. */
  weekdaysOff: readonly number[];
  /** `YYYY-MM-DD` Beijing dates when nobody calls back (holidays). */
  datesOff: readonly string[];
}

const WEEKDAY_NAMES: Readonly<Record<string, number>> = {
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
};

/**
 * Parses an env-style list such as `sat,sun,2026-10-01,2026-10-02` or `6,7` (commas or spaces).
 * Invalid entries throw an Error naming the entry: a typo in a holiday list must stop the deploy,
 * not quietly send staff to work. Empty/undefined → no days off.
 */
export function parseDaysOff(text: string | undefined): Pick<StaffCalendar, 'weekdaysOff' | 'datesOff'> {
  const weekdays = new Set<number>();
  const dates = new Set<string>();
  for (const entry of (text ?? '').split(/[\s,，、;]+/)) {
    if (!entry) continue;
    const key = entry.toLowerCase();
    if (/^[1-7]$/.test(key)) weekdays.add(Number(key));
    else if (WEEKDAY_NAMES[key] !== undefined) weekdays.add(WEEKDAY_NAMES[key]);
    else if (isCalendarDate(key)) dates.add(key);
    else throw new Error(`Invalid day off "${entry}": use mon…sun, 1…7 or YYYY-MM-DD`);
  }
  return { weekdaysOff: [...weekdays].sort((a, b) => a - b), datesOff: [...dates].sort() };
}

/** A window with its times as minutes after midnight. */
interface Span extends CallbackWindow {
  start: number;
  end: number;
}

/** The windows with their times read and checked: a bad window is a configuration error, so it throws. */
function spansOf(windows: readonly CallbackWindow[]): Span[] {
  const spans = windows.map((w) => {
    const start = clockMinutes(w.from, false);
    const end = clockMinutes(w.until, true);
    if (start === undefined || end === undefined) throw new Error(`Callback window "${w.id}": times must be HH:MM (got ${w.from}–${w.until})`);
    // A window shorter than the lead could never hold a slot: every wish for it would search 14 days and fail.
    if (end - start < MIN_LEAD_MINUTES) throw new Error(`Callback window "${w.id}" is shorter than ${MIN_LEAD_MINUTES} minutes`);
    return { ...w, start, end };
  });
  spans.sort((a, b) => a.start - b.start);
  spans.forEach((s, i) => {
    const next = spans[i + 1];
    if (next && next.start < s.end) throw new Error(`Callback windows "${s.id}" and "${next.id}" overlap`);
  });
  return spans;
}

/** `09:00` → 540; `24:00` only as an end (midnight). */
function clockMinutes(text: string, isEnd: boolean): number | undefined {
  if (isEnd && text === '24:00') return 24 * 60;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

// ---------------------------------------------------------------- wishes

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
  '就行', '打给我', '给我打', '给我打电话', '打电话', '回电', '回电话', '来电话', '再打', '再说', '请', '麻烦', '在', '那', '那就',
  '那个', '嗯', '就',
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
  點: '点', 後: '后', 週: '周', 禮: '礼', 時: '时', 鐘: '钟', 隨: '随', 麼: '么', 無: '无', 謂: '谓', 儘: '尽', 馬: '马',
  電: '电', 話: '话', 給: '给', 來: '来', 兩: '两', 個: '个', 現: '现', 間: '间', 裡: '里', 盡: '尽',
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
function holds(span: Pick<Span, 'start' | 'end'>, at: number, bound: TimeWish['bound']): boolean {
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

// ---------------------------------------------------------------- slots

export interface Slot {
  /** ISO 8601 UTC instant. */
  from: string;
  /** ISO 8601 UTC instant, > from. */
  until: string;
  /** Id of the window the slot lies in, or `any` when it spans more than one (a whole staff day or its rest). */
  window: string;
  /** True when the wish could not be met as said (outside staff hours, a day off, a time already past) and the slot is the nearest one we can keep. */
  adjusted: boolean;
}

export const MIN_LEAD_MINUTES = 30;

/** How far `slotFor` looks for a working day, counted from the day the wish points at. */
const LOOKAHEAD_DAYS = 14;

const MINUTE_MS = 60_000;
const LEAD_MS = MIN_LEAD_MINUTES * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

interface Candidate {
  from: number;
  until: number;
  window: string;
}

/** The slot a wish gives on one Beijing day, or null when it gives none that day. */
type Plan = (date: string) => Candidate | null;

interface Mode {
  /** The plan on the day the wish points at. */
  first: Plan;
  /** The plan on the days after it. */
  later: Plan;
  /** False when even the best slot is not what was said (a time outside staff hours). */
  exact: boolean;
  /** With no day named: whether today's chance has gone, so "the next one" means tomorrow. */
  passed: (today: string) => boolean;
}

function windowOn(date: string, span: Span): { start: number; end: number } {
  return { start: instantAt(date, span.start).getTime(), end: instantAt(date, span.end).getTime() };
}

/** The rest of the staff day, from the first window with time left. */
function anyPlan(spans: readonly Span[], now: number): Plan {
  return (date) => {
    const last = spans[spans.length - 1];
    for (const span of spans) {
      const w = windowOn(date, span);
      const from = Math.max(w.start, now);
      if (last && w.end - from >= LEAD_MS) return { from, until: windowOn(date, last).end, window: 'any' };
    }
    return null;
  };
}

function windowPlan(span: Span, now: number): Plan {
  return (date) => {
    const w = windowOn(date, span);
    const from = Math.max(w.start, now);
    return w.end - from >= LEAD_MS ? { from, until: w.end, window: span.id } : null;
  };
}

/** The hour from a named time, cut at its window's end. */
function hourPlan(at: number, span: Span, now: number): Plan {
  return (date) => {
    const start = instantAt(date, at).getTime();
    const from = Math.max(start, now);
    const until = Math.min(start + HOUR_MS, windowOn(date, span).end);
    return until - from >= LEAD_MS ? { from, until, window: span.id } : null;
  };
}

/** From `at` to the end of its window, or the first later window that still has room. */
function afterPlan(at: number, spans: readonly Span[], now: number): Plan {
  return (date) => {
    const atMs = instantAt(date, at).getTime();
    for (const span of spans) {
      const w = windowOn(date, span);
      const from = Math.max(w.start, atMs, now);
      if (w.end - from >= LEAD_MS) return { from, until: w.end, window: span.id };
    }
    return null;
  };
}

/** From the first window with room up to `until` (already cut to the windows). */
function beforePlan(until: number, spans: readonly Span[], now: number): Plan {
  return (date) => {
    const untilMs = instantAt(date, until).getTime();
    for (const span of spans) {
      const w = windowOn(date, span);
      if (w.start >= untilMs) break;
      const from = Math.max(w.start, now);
      if (Math.min(w.end, untilMs) - from >= LEAD_MS) return { from, until: untilMs, window: untilMs <= w.end ? span.id : 'any' };
    }
    return null;
  };
}

/** `at` as the end of a `以前` slot: itself inside a window, else the end of the window before it. */
function cutToWindows(at: number, spans: readonly Span[]): number | undefined {
  if (spans.some((s) => holds(s, at, 'before'))) return at;
  return spans.filter((s) => s.end <= at).at(-1)?.end;
}

function modeFor(wish: TimeWish, spans: readonly Span[], now: number): Mode {
  const passedIf = (plan: Plan) => (today: string) => plan(today) === null;
  const fixed = (plan: Plan, exact = true): Mode => ({ first: plan, later: plan, exact, passed: passedIf(plan) });
  // First window with room, on whatever day the search reaches: where a wish we cannot keep lands.
  const nearest = afterPlan(0, spans, now);

  if (wish.at !== undefined) {
    const at = wish.at;
    if (!Number.isInteger(at) || at < 0 || at >= 24 * 60) throw new Error(`Time wish: at must be minutes after midnight (got ${at})`);
    const bound = wish.bound ?? 'at';
    if (bound === 'before') {
      const until = cutToWindows(at, spans);
      const named = (today: string) => instantAt(today, at).getTime() <= now;
      if (until !== undefined && spans.some((s) => s.start < until && Math.min(s.end, until) - s.start >= MIN_LEAD_MINUTES)) {
        return { first: beforePlan(until, spans, now), later: beforePlan(until, spans, now), exact: true, passed: named };
      }
      // Before staff start (`早上八点以前`): the first window is the nearest we can keep.
      return { first: nearest, later: nearest, exact: false, passed: named };
    }
    if (bound === 'after') {
      if (spans.some((s) => s.end - Math.max(s.start, at) >= MIN_LEAD_MINUTES)) return fixed(afterPlan(at, spans, now));
      // After the last window (`晚上九点以后`): the next window is on another day, hence adjusted.
      return { first: afterPlan(at, spans, now), later: nearest, exact: true, passed: () => false };
    }
    const span = spans.find((s) => holds(s, at, 'at'));
    // Cutting the hour at the window's end may leave too little; the start is never moved back.
    if (span && span.end - at >= MIN_LEAD_MINUTES) return fixed(hourPlan(at, span, now));
    // Outside staff hours: the next window that day, else the first window of the next working day.
    return { first: afterPlan(at, spans, now), later: nearest, exact: false, passed: () => false };
  }
  if (wish.window !== undefined) {
    const span = spans.find((s) => s.id === wish.window);
    // A window that is no longer configured (a wish stored before the calendar changed): any time, said so.
    return span ? fixed(windowPlan(span, now)) : fixed(anyPlan(spans, now), false);
  }
  return fixed(anyPlan(spans, now));
}

/** The Beijing date a wish names, if it names one. */
function wishedDate(wish: TimeWish, today: string): string | undefined {
  if (wish.dayOffset !== undefined) {
    if (!Number.isInteger(wish.dayOffset) || wish.dayOffset < 0) throw new Error(`Time wish: dayOffset must be a whole number ≥ 0 (got ${wish.dayOffset})`);
    return addDays(today, wish.dayOffset);
  }
  if (wish.weekday !== undefined) {
    if (!Number.isInteger(wish.weekday) || wish.weekday < 1 || wish.weekday > 7) throw new Error(`Time wish: weekday must be 1…7 (got ${wish.weekday})`);
    return addDays(today, (wish.weekday - weekdayOf(today) + 7) % 7);
  }
  return undefined;
}

/** The slot staff will call in: never in the past, at least MIN_LEAD_MINUTES long, inside a window on a working day. */
export function slotFor(wish: TimeWish, now: Date, calendar: StaffCalendar): Slot {
  const spans = spansOf(calendar.windows);
  if (!spans.length) throw new Error('No callback windows configured');
  const nowMs = now.getTime();
  const today = localTime(now).date;
  const mode = modeFor(wish, spans, nowMs);
  const wished = wishedDate(wish, today);
  // No day named and today's chance gone: the next day is what the caller means (晚上 said at 22:00).
  const intended = wished ?? (mode.passed(today) ? addDays(today, 1) : today);
  // 随便 with no day: whichever day staff work is what was asked for, however far a weekend pushes it.
  const dayFree = wished === undefined && wish.at === undefined && wish.window === undefined;
  const working = (date: string) => !calendar.weekdaysOff.includes(weekdayOf(date)) && !calendar.datesOff.includes(date);

  for (let i = 0; i <= LOOKAHEAD_DAYS; i++) {
    const date = addDays(intended, i);
    if (!working(date)) continue;
    const candidate = (i === 0 ? mode.first : mode.later)(date);
    if (!candidate) continue;
    return {
      from: new Date(candidate.from).toISOString(),
      until: new Date(candidate.until).toISOString(),
      window: candidate.window,
      adjusted: !mode.exact || (i > 0 && !dayFree),
    };
  }
  throw new Error(`no working day in the next ${LOOKAHEAD_DAYS} days`);
}

// ---------------------------------------------------------------- words

const WEEKDAY_DIGITS = '一二三四五六日';
const CLOCK_DIGITS = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** 凌晨 (0–5), 上午 (6–11), 中午 (12), 下午 (13–17), 晚上 (18–24). */
function periodOf(minutes: number): string {
  const hour = Math.floor(minutes / 60);
  return hour < 6 ? '凌晨' : hour < 12 ? '上午' : hour < 13 ? '中午' : hour < 18 ? '下午' : '晚上';
}

/** `三十`, `十五`, `零五`: minutes as said after 点. */
function minuteWords(minute: number): string {
  if (minute < 10) return `零${CLOCK_DIGITS[minute]}`;
  const tens = Math.floor(minute / 10);
  const ones = minute % 10;
  return `${tens === 1 ? '' : CLOCK_DIGITS[tens]}十${ones ? CLOCK_DIGITS[ones] : ''}`.replace('两', '二');
}

/** `七点`, `两点半`, `三点十五`, `十二点` (12-hour, without the period word). */
function clockWords(minutes: number): string {
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const h12 = hour === 0 ? 0 : hour % 12 || 12;
  const tail = minute === 0 ? '' : minute === 30 ? '半' : minuteWords(minute);
  return `${CLOCK_DIGITS[h12]}点${tail}`;
}

/** `下午五点到晚上七点`, `晚上七点到九点`: the end's period word only when it differs. */
function rangeWords(from: number, until: number): string {
  const end = periodOf(until) === periodOf(from) ? clockWords(until) : `${periodOf(until)}${clockWords(until)}`;
  return `${periodOf(from)}${clockWords(from)}到${end}`;
}

/** `今天`, `明天`, `后天`, `12月7日星期一` relative to `today` (Beijing dates). */
function dayWords(date: string, today: string): string {
  const ahead = daysBetween(today, date);
  if (ahead >= 0 && ahead <= 2) return ['今天', '明天', '后天'][ahead]!;
  const [, month, day] = date.split('-').map(Number);
  return `${month}月${day}日星期${WEEKDAY_DIGITS[weekdayOf(date) - 1]}`;
}

/** Minutes of `instant` after midnight of the Beijing day `date` (1440 for the next midnight). */
function minutesInto(date: string, instant: number): number {
  return Math.floor((instant - instantAt(date, 0).getTime()) / MINUTE_MS);
}

/** How close to `now` a slot's start counts as "from now on". */
const NOW_MS = 5 * MINUTE_MS;

/**
 * What the caller hears/reads: "今天晚上七点到九点" (a window: its label), "明天工作时间（上午九点到晚上九点）"
 * (a whole staff day), "今天晚上九点以前" (starting now), "明天下午三点到四点", "12月7日星期一上午九点到十二点".
 * A window's label wins over "以前" when the slot is exactly that window, so a caller told 七点到九点
 * at 18:56 is not told they may be called at once.
 */
export function describeSlot(slot: Slot, now: Date, calendar: StaffCalendar): string {
  const from = Date.parse(slot.from);
  const until = Date.parse(slot.until);
  const today = localTime(now).date;
  const date = localTime(from).date;
  const day = dayWords(date, today);
  const start = minutesInto(date, from);
  const end = minutesInto(date, until);
  const spans = spansOf(calendar.windows);
  const exact = spans.find((s) => windowOn(date, s).start === from && windowOn(date, s).end === until);
  if (exact) return `${day}${exact.label}`;
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (slot.window === 'any' && first && last && from === windowOn(date, first).start && until === windowOn(date, last).end) {
    return `${day}工作时间（${rangeWords(first.start, last.end)}）`;
  }
  if (Math.abs(from - now.getTime()) <= NOW_MS) return `${dayWords(localTime(until - 1).date, today)}${periodOf(end)}${clockWords(end)}以前`;
  return `${day}${rangeWords(start, end)}`;
}

const SHORT_WEEKDAYS = '一二三四五六日';

/** `今天`, `明天`, `12月7日 周一`. */
function staffDay(date: string, today: string): string {
  const ahead = daysBetween(today, date);
  if (ahead === 0) return '今天';
  if (ahead === 1) return '明天';
  const [, month, day] = date.split('-').map(Number);
  return `${month}月${day}日 周${SHORT_WEEKDAYS[weekdayOf(date) - 1]}`;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** For staff (console, CLI): "今天 19:00–21:00", "明天 09:00–12:00", "12月7日 周一 09:00–12:00" (Beijing time). */
export function staffSlotText(slot: Pick<Slot, 'from' | 'until'>, now: Date): string {
  const from = Date.parse(slot.from);
  const until = Date.parse(slot.until);
  if (Number.isNaN(from) || Number.isNaN(until)) return `${slot.from}–${slot.until}`;
  const today = localTime(now).date;
  const start = localTime(from);
  const end = minutesInto(start.date, until);
  // A slot ends on its own day (24:00 at the latest); anything longer shows the end's day too.
  const endText = end <= 24 * 60 ? hhmm(end) : `${staffDay(localTime(until).date, today)} ${hhmm(localTime(until).minutes)}`;
  return `${staffDay(start.date, today)} ${hhmm(start.minutes)}–${endText}`;
}

export type DueState = 'upcoming' | 'due' | 'overdue';

/** upcoming before `from`, due within [from, until), overdue from `until` on. */
export function dueState(slot: Pick<Slot, 'from' | 'until'>, now: Date): DueState {
  const t = now.getTime();
  if (t < Date.parse(slot.from)) return 'upcoming';
  return t < Date.parse(slot.until) ? 'due' : 'overdue';
}
