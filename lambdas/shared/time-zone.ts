/**
 * Beijing calendar days and clock times. Callers, staff and every callback window are in mainland
 * China, so "today", 上午 and a window's 09:00 mean Beijing time whatever zone the Lambda runs in.
 * Dates are `YYYY-MM-DD` strings and clock times minutes after local midnight: plain values that
 * compare and serialise without a time zone attached.
 */

/** Callers, staff and every window are in mainland China (UTC+8, no daylight saving since 1991). Defined once. */
export const HOTLINE_TIME_ZONE = 'Asia/Shanghai';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Built on first use, so a bad zone or locale fails the request that needs it rather than the import. */
let wallClockFormat: Intl.DateTimeFormat | undefined;
function wallClockFormatter(): Intl.DateTimeFormat {
  wallClockFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: HOTLINE_TIME_ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  return wallClockFormat;
}

/** A Beijing calendar day and clock time. */
export interface LocalTime {
  /** `2026-12-04` */
  date: string;
  /** Minutes after local midnight, 0…1439 (seconds dropped). */
  minutes: number;
  /** ISO weekday, 1 (Mon) … 7 (Sun). */
  weekday: number;
}

/**
 * Beijing's wall clock at `instantMs` to the second, written as if it were a UTC instant: the base of
 * every conversion here (none of them needs milliseconds).
 */
function wallClockMs(instantMs: number): number {
  const parts = new Map(wallClockFormatter().formatToParts(instantMs).map((p) => [p.type, Number(p.value)]));
  const field = (type: Intl.DateTimeFormatPartTypes) => parts.get(type) ?? 0;
  return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
}

/** The date, clock time and weekday in Beijing at `instant`. */
export function localTime(instant: Date | number): LocalTime {
  const wall = new Date(wallClockMs(typeof instant === 'number' ? instant : instant.getTime()));
  return {
    date: wall.toISOString().slice(0, 10),
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
    weekday: wall.getUTCDay() || 7,
  };
}

/**
 * The instant at `minutes` after midnight of the Beijing day `date` (1440 is the next midnight).
 * The offset comes from Intl rather than a hard-coded +08:00 written next to the zone's name. One
 * reading is enough because China's offset has not changed since 1991 (a zone with daylight saving
 * would need a second reading at the first guess).
 */
export function instantAt(date: string, minutes: number): Date {
  const wall = dateMs(date) + minutes * MINUTE_MS;
  return new Date(wall - (wallClockMs(wall) - wall));
}

/** `2026-03-02 07:30:00`: an instant as a Beijing wall clock reads it (staff exports and the command line). */
export function wallClockText(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(wallClockMs(ms)).toISOString().slice(0, 19).replace('T', ' ');
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD` (`2026-02-30` is not). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return new Date(dateMs(text)).toISOString().slice(0, 10) === text;
}

/** `date` moved by whole days (calendar arithmetic: no clock, no zone). */
export function addDays(date: string, days: number): string {
  return new Date(dateMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateMs(to) - dateMs(from)) / DAY_MS);
}

/** ISO weekday of a calendar date, 1 (Mon) … 7 (Sun). */
export function weekdayOf(date: string): number {
  return new Date(dateMs(date)).getUTCDay() || 7;
}

function dateMs(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year ?? Number.NaN, (month ?? Number.NaN) - 1, day ?? Number.NaN);
}
