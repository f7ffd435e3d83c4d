/**
 * When staff call back: the windows (Beijing hours, from content) and the days off (configuration),
 * read and checked once. Part of the schedule (`schedule.ts`).
 */
import { isCalendarDate } from '../shared/time-zone';

/** A slot is at least this long: a window shorter than this could never hold one. */
export const MIN_LEAD_MINUTES = 30;

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
  for (const entry of (text ?? '').split(/[\s,，、;]/)) {
    // `sat, sun` leaves empty entries between separators.
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
export interface Span extends CallbackWindow {
  start: number;
  end: number;
}

/** The windows with their times read and checked: a bad window is a configuration error, so it throws. */
export function spansOf(windows: readonly CallbackWindow[]): Span[] {
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
export function clockMinutes(text: string, isEnd: boolean): number | undefined {
  if (isEnd && text === '24:00') return 24 * 60;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
