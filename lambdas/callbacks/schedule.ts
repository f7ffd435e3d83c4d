/**
 * When a caller wants to be called back, as a real slot in Beijing time. Pure: no I/O, no clock of
 * its own (`now` is passed in), so SMS, voice, the console and the tests share one reading.
 *
 * `parseTimeWish` reads what the caller typed or said (`下午吧`, `明天下午三点`, `七点半以后`,
 * `随便`), `slotFor` turns it into the slot staff will keep (inside a window, on a working day, never
 * in the past), `describeSlot` says that slot back to the caller and `staffSlotText` shows it to staff.
 */
import { addDays, daysBetween, instantAt, localTime, weekdayOf } from '../shared/time-zone';
import { MIN_LEAD_MINUTES, spansOf, type Span, type StaffCalendar } from './staff-calendar';
import { holds, type TimeWish } from './time-wish';

export { MIN_LEAD_MINUTES, parseDaysOff, type CallbackWindow, type StaffCalendar } from './staff-calendar';
export { parseTimeWish, type TimeWish } from './time-wish';

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
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — a window from `until` on has no room before it; the loop only stops early.
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
  // Stryker disable next-line EqualityOperator: equivalent — an `at` at a window's end is held by that window above.
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
    // Stryker disable next-line StringLiteral: equivalent — anything but 'before' and 'after' is read as 'at' below.
    const bound = wish.bound ?? 'at';
    if (bound === 'before') {
      const until = cutToWindows(at, spans);
      const named = (today: string) => instantAt(today, at).getTime() <= now;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — a window starting at or after `until` leaves no time before it, so `s.start < until` only restates the length test.
      if (until !== undefined && spans.some((s) => s.start < until && Math.min(s.end, until) - s.start >= MIN_LEAD_MINUTES)) {
        return { first: beforePlan(until, spans, now), later: beforePlan(until, spans, now), exact: true, passed: named };
      }
      // Before staff start (`早上八点以前`): the first window is the nearest we can keep.
      return { first: nearest, later: nearest, exact: false, passed: named };
    }
    if (bound === 'after') {
      if (spans.some((s) => s.end - Math.max(s.start, at) >= MIN_LEAD_MINUTES)) return fixed(afterPlan(at, spans, now));
      // After the last window (`晚上九点以后`): the next window is on another day, hence adjusted.
      // Stryker disable next-line BooleanLiteral: equivalent — after the last window today's plan has nothing, so the slot is on a later day and adjusted either way.
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
  if (first && last && from === windowOn(date, first).start && until === windowOn(date, last).end) {
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
