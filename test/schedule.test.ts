import { describe, expect, it } from 'vitest';
import {
  describeSlot,
  dueState,
  MIN_LEAD_MINUTES,
  parseDaysOff,
  parseTimeWish,
  slotFor,
  staffSlotText,
  type CallbackWindow,
  type Slot,
  type StaffCalendar,
  type TimeWish,
} from '../lambdas/callbacks/schedule';
import { addDays, daysBetween, HOTLINE_TIME_ZONE, instantAt, isCalendarDate, localTime, wallClockText, weekdayOf } from '../lambdas/shared/time-zone';

const windows: CallbackWindow[] = [
  { id: 'morning', label: '上午九点到十二点', word: '上午', from: '09:00', until: '12:00' },
  { id: 'afternoon', label: '下午两点到六点', word: '下午', from: '14:00', until: '18:00' },
  { id: 'evening', label: '晚上七点到九点', word: '晚上', from: '19:00', until: '21:00' },
];
const calendar: StaffCalendar = { windows, weekdaysOff: [], datesOff: [] };
/** Weekends and Christmas off. */
const office: StaffCalendar = { windows, weekdaysOff: [6, 7], datesOff: ['2026-12-25'] };

/** An instant given as Beijing wall time, `2026-12-03 10:00` (Thursday). */
function beijing(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+08:00`);
}

function wish(text: string, ws: readonly CallbackWindow[] = windows): TimeWish {
  const parsed = parseTimeWish(text, ws);
  if (!parsed) throw new Error(`not a time wish: ${text}`);
  return parsed;
}

function slot(text: string, now: Date, cal: StaffCalendar = calendar): Slot {
  return slotFor(wish(text, cal.windows), now, cal);
}

const THU_10 = beijing('2026-12-03 10:00');

describe('time zone helpers', () => {
  it('reads Beijing dates, clock times and weekdays, not UTC ones', () => {
    expect(HOTLINE_TIME_ZONE).toBe('Asia/Shanghai');
    expect(localTime(new Date('2026-12-03T16:30:00Z'))).toEqual({ date: '2026-12-04', minutes: 30, weekday: 5 });
    expect(localTime(new Date('2026-12-06T15:59:59Z'))).toEqual({ date: '2026-12-06', minutes: 23 * 60 + 59, weekday: 7 });
  });

  it('builds instants from Beijing dates and minutes, 1440 being the next midnight', () => {
    expect(instantAt('2026-12-04', 19 * 60).toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(instantAt('2026-12-04', 0).toISOString()).toBe('2026-12-03T16:00:00.000Z');
    expect(instantAt('2026-12-04', 24 * 60).toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });

  it('does calendar arithmetic across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-12-03', '2026-12-07')).toBe(4);
    expect(weekdayOf('2026-12-03')).toBe(4);
    expect(weekdayOf('2026-12-06')).toBe(7);
  });
});

describe('parseDaysOff', () => {
  it('reads weekday names, ISO weekday numbers and dates', () => {
    expect(parseDaysOff('sat,sun,2026-10-01,2026-10-02')).toEqual({ weekdaysOff: [6, 7], datesOff: ['2026-10-01', '2026-10-02'] });
    expect(parseDaysOff('6,7')).toEqual({ weekdaysOff: [6, 7], datesOff: [] });
    expect(parseDaysOff(' Sunday, mon 2026-12-25,2026-12-25 ')).toEqual({ weekdaysOff: [1, 7], datesOff: ['2026-12-25'] });
  });

  it.each([undefined, '', ' , '])('reads %j as no days off', (text) => {
    expect(parseDaysOff(text)).toEqual({ weekdaysOff: [], datesOff: [] });
  });

  it.each([
    ['sat,funday', 'funday'],
    ['8', '8'],
    ['0', '0'],
    ['2026-02-30', '2026-02-30'],
    ['2026-1-5', '2026-1-5'],
    ['周六', '周六'],
  ])('refuses %s, naming %s', (text, entry) => {
    expect(() => parseDaysOff(text)).toThrow(`"${entry}"`);
  });
});

describe('parseTimeWish', () => {
  it.each<[string, TimeWish]>([
    ['上午', { window: 'morning' }],
    ['下午吧', { window: 'afternoon' }],
    ['晚上7点以后', { window: 'evening', at: 19 * 60, bound: 'after' }],
    ['明天下午三点', { dayOffset: 1, window: 'afternoon', at: 15 * 60, bound: 'at' }],
    ['随便', { any: true }],
    ['什么时候都行', { any: true }],
    ['后天上午', { dayOffset: 2, window: 'morning' }],
    ['周六上午', { weekday: 6, window: 'morning' }],
    ['今晚', { dayOffset: 0, window: 'evening' }],
    ['明早', { dayOffset: 1, window: 'morning' }],
    ['七点半以后', { at: 19 * 60 + 30, bound: 'after' }],
    ['四点以前', { at: 16 * 60, bound: 'before' }],
    ['越快越好', { any: true }],
  ])('reads the example %s', (text, expected) => {
    expect(parseTimeWish(text, windows)).toStrictEqual(expected);
  });

  it.each<[string, TimeWish]>([
    ['都可以', { any: true }],
    ['都行吧', { any: true }],
    ['尽快', { any: true }],
    ['马上打给我', { any: true }],
    ['白天', { any: true }],
    ['无所谓', { any: true }],
    ['明天什么时候都可以', { any: true, dayOffset: 1 }],
    ['明天随便', { any: true, dayOffset: 1 }],
    ['今天', { dayOffset: 0 }],
    ['大后天', { dayOffset: 3 }],
    ['明晚', { dayOffset: 1, window: 'evening' }],
    ['早上', { window: 'morning' }],
    ['早晨吧', { window: 'morning' }],
    ['傍晚', { window: 'evening' }],
    ['晚上都行', { window: 'evening' }],
    ['下午随便', { window: 'afternoon' }],
    ['星期天下午', { weekday: 7, window: 'afternoon' }],
    ['礼拜一', { weekday: 1 }],
    ['周末', { weekday: 6 }],
    ['上午九点到十二点', { window: 'morning' }],
    ['后天再说', { dayOffset: 2 }],
  ])('reads %s', (text, expected) => {
    expect(parseTimeWish(text, windows)).toStrictEqual(expected);
  });

  it.each<[string, number]>([
    ['7点', 19 * 60],
    ['七点', 19 * 60],
    ['7点半', 19 * 60 + 30],
    ['七点半', 19 * 60 + 30],
    ['19:00', 19 * 60],
    ['7:30', 19 * 60 + 30],
    ['两点', 14 * 60],
    ['十点', 10 * 60],
    ['十二点', 12 * 60],
    ['三点一刻', 15 * 60 + 15],
    ['三点十五', 15 * 60 + 15],
    ['3点15分', 15 * 60 + 15],
    ['五点四十五', 17 * 60 + 45],
    ['十点钟', 10 * 60],
    ['08:00', 8 * 60],
  ])('reads the clock time %s as %i minutes', (text, at) => {
    expect(parseTimeWish(text, windows)).toStrictEqual({ at, bound: 'at' });
  });

  it.each<[string, TimeWish]>([
    ['下午三点', { window: 'afternoon', at: 15 * 60, bound: 'at' }],
    ['晚上七点', { window: 'evening', at: 19 * 60, bound: 'at' }],
    ['上午十点', { window: 'morning', at: 10 * 60, bound: 'at' }],
    ['今晚八点', { dayOffset: 0, window: 'evening', at: 20 * 60, bound: 'at' }],
    // The window containing the time, not the one the period word names.
    ['下午七点', { window: 'evening', at: 19 * 60, bound: 'at' }],
    // A time outside every window: no window at all.
    ['晚上十点', { at: 22 * 60, bound: 'at' }],
    ['早上八点', { at: 8 * 60, bound: 'at' }],
    ['凌晨三点', { at: 3 * 60, bound: 'at' }],
    ['中午', { at: 12 * 60, bound: 'at' }],
    ['中午一点', { at: 13 * 60, bound: 'at' }],
    ['中午十二点半', { at: 12 * 60 + 30, bound: 'at' }],
    // Midnight said as 晚上十二点 stays on the day named, as its last minute.
    ['晚上十二点', { at: 23 * 60 + 59, bound: 'at' }],
    ['下午6点之前', { window: 'afternoon', at: 18 * 60, bound: 'before' }],
    ['明天下午三点以后', { dayOffset: 1, window: 'afternoon', at: 15 * 60, bound: 'after' }],
    ['三点后', { at: 15 * 60, bound: 'after' }],
    ['三点前后', { at: 15 * 60, bound: 'at' }],
    ['三点左右', { at: 15 * 60, bound: 'at' }],
  ])('reads %s with its period word', (text, expected) => {
    expect(parseTimeWish(text, windows)).toStrictEqual(expected);
  });

  it.each<[string, TimeWish]>([
    ['  明天，下午３点！', { dayOffset: 1, window: 'afternoon', at: 15 * 60, bound: 'at' }],
    ['明天下午三點', { dayOffset: 1, window: 'afternoon', at: 15 * 60, bound: 'at' }],
    ['嗯 那就 晚上 吧', { window: 'evening' }],
    ['麻烦明天上午给我打电话', { dayOffset: 1, window: 'morning' }],
    ['明天下午三点打给我吧', { dayOffset: 1, window: 'afternoon', at: 15 * 60, bound: 'at' }],
    ['晚上我有空', { window: 'evening' }],
    ['最好上午十点左右', { window: 'morning', at: 10 * 60, bound: 'at' }],
    ['晚上好吧', { window: 'evening' }],
  ])('reads %j with fillers, spaces and punctuation', (text, expected) => {
    expect(parseTimeWish(text, windows)).toStrictEqual(expected);
  });

  it.each([
    '',
    '   ',
    '。！',
    '好的',
    '可以',
    '吧',
    '嗯嗯',
    '就行',
    '明天要还款怎么办',
    '我晚上睡不着',
    '下午被催收打了十个电话',
    '什么时候',
    '明天后天',
    '今天周五',
    '今晚明天',
    '上午下午',
    '三点四点',
    '25点',
    '24:30',
    '7:60',
    '上午十五点',
    '下午零点',
    '晚上以后',
    '以后',
    '1',
    '2',
    '13812345678',
    '下午好',
    '晚上好啊',
    '早上好！',
    '那就明天下午吧，谢谢',
  ])('refuses %j', (text) => {
    expect(parseTimeWish(text, windows)).toBeNull();
  });

  describe('a bare hour (8点)', () => {
    const at = (text: string, ws: CallbackWindow[]) => parseTimeWish(text, ws)?.at;
    const w = (id: string, from: string, until: string): CallbackWindow => ({ id, label: id, word: id, from, until });

    it('is evening when only an evening window holds it', () => {
      expect(at('8点', windows)).toBe(20 * 60);
    });

    it('is morning when only a morning window holds it', () => {
      expect(at('8点', [w('m', '08:00', '12:00'), w('e', '19:00', '20:00')])).toBe(8 * 60);
    });

    it('falls back to 8–11 morning, 1–7 afternoon when both or neither reading is in a window', () => {
      const both = [w('m', '07:00', '12:00'), w('e', '19:00', '22:00')];
      expect(at('8点', both)).toBe(8 * 60);
      expect(at('7点', both)).toBe(19 * 60);
      const neither = [w('m', '09:00', '10:00')];
      expect(at('8点', neither)).toBe(8 * 60);
      expect(at('5点', neither)).toBe(17 * 60);
      expect(at('十一点', neither)).toBe(11 * 60);
    });

    it('as an end (以前) prefers the reading that ends a window', () => {
      // 09:00 cannot end a slot; 21:00 is the evening's end.
      expect(parseTimeWish('九点以前', windows)).toStrictEqual({ at: 21 * 60, bound: 'before' });
      expect(parseTimeWish('九点以后', windows)).toStrictEqual({ at: 9 * 60, bound: 'after' });
    });
  });

  it('matches windows by their own word and by the synonyms of period words', () => {
    const lunch: CallbackWindow[] = [...windows, { id: 'lunch', label: '中午十二点到一点', word: '中午', from: '12:00', until: '13:00' }];
    expect(parseTimeWish('中午', lunch)).toStrictEqual({ window: 'lunch' });
    const custom: CallbackWindow[] = [{ id: 'late', label: '晚班', word: '晚班', from: '20:00', until: '22:00' }];
    expect(parseTimeWish('晚班吧', custom)).toStrictEqual({ window: 'late' });
    // 傍晚 is no word of this calendar's: a nominal 19:00 that slotFor moves into the window, adjusted.
    expect(parseTimeWish('傍晚', custom)).toStrictEqual({ at: 19 * 60, bound: 'at' });
    const evening: CallbackWindow[] = [{ id: 'eve', label: '晚上', word: '晚上', from: '18:00', until: '20:00' }];
    expect(parseTimeWish('今晚', evening)).toStrictEqual({ dayOffset: 0, window: 'eve' });
  });
});

describe('slotFor', () => {
  const iso = (s: Slot) => [s.from, s.until, s.window, s.adjusted];

  describe('any time', () => {
    it('starts now when a window is open with enough left, and runs to the end of the staff day', () => {
      expect(iso(slot('随便', THU_10))).toEqual(['2026-12-03T02:00:00.000Z', '2026-12-03T13:00:00.000Z', 'any', false]);
    });

    it('starts at the next window when none is open', () => {
      expect(iso(slot('越快越好', beijing('2026-12-03 07:15')))).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T13:00:00.000Z', 'any', false]);
      expect(iso(slot('都可以', beijing('2026-12-03 12:30')))).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T13:00:00.000Z', 'any', false]);
    });

    it('skips a window with less than the lead left', () => {
      expect(iso(slot('随便', beijing('2026-12-03 17:40')))).toEqual(['2026-12-03T11:00:00.000Z', '2026-12-03T13:00:00.000Z', 'any', false]);
      // 20 minutes of the last window left: tomorrow is what "any time" means, so nothing was adjusted.
      expect(iso(slot('随便', beijing('2026-12-03 20:40')))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T13:00:00.000Z', 'any', false]);
    });

    it('takes a day on its own as any time that day, adjusted when that day is over', () => {
      expect(iso(slot('明天', THU_10))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T13:00:00.000Z', 'any', false]);
      expect(iso(slot('今天', beijing('2026-12-03 20:40')))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T13:00:00.000Z', 'any', true]);
    });

    it('starts exactly at the lead boundary (30 minutes left counts)', () => {
      expect(iso(slot('随便', beijing('2026-12-03 20:30')))).toEqual(['2026-12-03T12:30:00.000Z', '2026-12-03T13:00:00.000Z', 'any', false]);
    });
  });

  describe('a window', () => {
    it('is that window today, from now if it is open', () => {
      expect(iso(slot('下午吧', THU_10))).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T10:00:00.000Z', 'afternoon', false]);
      expect(iso(slot('下午', beijing('2026-12-03 15:00')))).toEqual(['2026-12-03T07:00:00.000Z', '2026-12-03T10:00:00.000Z', 'afternoon', false]);
    });

    it('moves to the next day when only 20 minutes of it are left, not adjusted when no day was named', () => {
      expect(iso(slot('下午', beijing('2026-12-03 17:40')))).toEqual(['2026-12-04T06:00:00.000Z', '2026-12-04T10:00:00.000Z', 'afternoon', false]);
      expect(iso(slot('今天下午', beijing('2026-12-03 17:40')))).toEqual(['2026-12-04T06:00:00.000Z', '2026-12-04T10:00:00.000Z', 'afternoon', true]);
    });

    it('takes the named day, weekday or day-and-period word', () => {
      expect(iso(slot('后天上午', THU_10))).toEqual(['2026-12-05T01:00:00.000Z', '2026-12-05T04:00:00.000Z', 'morning', false]);
      expect(iso(slot('周六上午', THU_10))).toEqual(['2026-12-05T01:00:00.000Z', '2026-12-05T04:00:00.000Z', 'morning', false]);
      expect(iso(slot('周四晚上', THU_10))).toEqual(['2026-12-03T11:00:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
      expect(iso(slot('明早', THU_10))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T04:00:00.000Z', 'morning', false]);
      expect(iso(slot('今晚', THU_10))).toEqual(['2026-12-03T11:00:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
    });

    it('keeps to Beijing days across UTC midnight', () => {
      // 00:30 on Friday 4 December in Beijing, still Thursday in UTC.
      const now = new Date('2026-12-03T16:30:00Z');
      expect(iso(slot('今天', now))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T13:00:00.000Z', 'any', false]);
      expect(iso(slot('晚上', now))).toEqual(['2026-12-04T11:00:00.000Z', '2026-12-04T13:00:00.000Z', 'evening', false]);
      expect(iso(slot('明天上午', now))).toEqual(['2026-12-05T01:00:00.000Z', '2026-12-05T04:00:00.000Z', 'morning', false]);
    });

    it('reads 晚上 said at 23:50 as the next evening, as the caller means', () => {
      expect(iso(slot('晚上', new Date('2026-12-03T15:50:00Z')))).toEqual(['2026-12-04T11:00:00.000Z', '2026-12-04T13:00:00.000Z', 'evening', false]);
    });
  });

  describe('days off', () => {
    const FRI_10 = beijing('2026-12-04 10:00');

    it('moves a wished day off to the next working day, adjusted', () => {
      expect(iso(slot('明天上午', FRI_10, office))).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-07T04:00:00.000Z', 'morning', true]);
      expect(iso(slot('明天下午三点', FRI_10, office))).toEqual(['2026-12-07T07:00:00.000Z', '2026-12-07T08:00:00.000Z', 'afternoon', true]);
      expect(iso(slot('周日', FRI_10, office))).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-07T13:00:00.000Z', 'any', true]);
    });

    it('says so when a day off pushes a window past the day the caller meant', () => {
      expect(iso(slot('上午', beijing('2026-12-05 08:00'), office))).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-07T04:00:00.000Z', 'morning', true]);
      expect(iso(slot('晚上', beijing('2026-12-04 22:00'), office))).toEqual(['2026-12-07T11:00:00.000Z', '2026-12-07T13:00:00.000Z', 'evening', true]);
    });

    it('does not call 随便 adjusted: the next working day is what it asks for', () => {
      expect(iso(slot('随便', beijing('2026-12-04 22:00'), office))).toEqual(['2026-12-07T01:00:00.000Z', '2026-12-07T13:00:00.000Z', 'any', false]);
    });

    it('skips a holiday and the weekend after it', () => {
      // Christmas Eve, Thursday 22:00: the 25th is a holiday, the 26th and 27th a weekend.
      expect(iso(slot('晚上', beijing('2026-12-24 22:00'), office))).toEqual(['2026-12-28T11:00:00.000Z', '2026-12-28T13:00:00.000Z', 'evening', true]);
      expect(iso(slot('明天上午', beijing('2026-12-24 10:00'), office))).toEqual(['2026-12-28T01:00:00.000Z', '2026-12-28T04:00:00.000Z', 'morning', true]);
    });

    it('looks 14 days past the intended day and no further', () => {
      const dates = (n: number) => Array.from({ length: n }, (_, i) => addDays('2026-12-03', i));
      const fourteenOff = { windows, weekdaysOff: [], datesOff: dates(14) };
      expect(iso(slotFor({ any: true }, THU_10, fourteenOff))).toEqual(['2026-12-17T01:00:00.000Z', '2026-12-17T13:00:00.000Z', 'any', false]);
      const fifteenOff = { windows, weekdaysOff: [], datesOff: dates(15) };
      expect(() => slotFor({ any: true }, THU_10, fifteenOff)).toThrow('no working day in the next 14 days');
      expect(() => slotFor({ window: 'evening' }, THU_10, { windows, weekdaysOff: [1, 2, 3, 4, 5, 6, 7], datesOff: [] })).toThrow('no working day in the next 14 days');
    });
  });

  describe('a clock time', () => {
    it('is the hour from it, inside its window', () => {
      expect(iso(slot('明天下午三点', THU_10))).toEqual(['2026-12-04T07:00:00.000Z', '2026-12-04T08:00:00.000Z', 'afternoon', false]);
      expect(iso(slot('七点', THU_10))).toEqual(['2026-12-03T11:00:00.000Z', '2026-12-03T12:00:00.000Z', 'evening', false]);
    });

    it('is cut at the window end, and moves on when that leaves less than the lead', () => {
      expect(iso(slot('八点', THU_10))).toEqual(['2026-12-03T12:00:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
      expect(iso(slot('八点半', THU_10))).toEqual(['2026-12-03T12:30:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
      // 20:40 leaves 20 minutes in the evening on any day; the start is never moved back: next morning.
      expect(iso(slot('八点四十', THU_10))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T04:00:00.000Z', 'morning', true]);
    });

    it('starts now when the hour has begun and enough of it is left', () => {
      expect(iso(slot('三点', beijing('2026-12-03 15:20')))).toEqual(['2026-12-03T07:20:00.000Z', '2026-12-03T08:00:00.000Z', 'afternoon', false]);
    });

    it('means tomorrow when the time has passed and no day was named; adjusted when the day was', () => {
      expect(iso(slot('三点', beijing('2026-12-03 15:40')))).toEqual(['2026-12-04T07:00:00.000Z', '2026-12-04T08:00:00.000Z', 'afternoon', false]);
      expect(iso(slot('今天下午三点', beijing('2026-12-03 16:10')))).toEqual(['2026-12-04T07:00:00.000Z', '2026-12-04T08:00:00.000Z', 'afternoon', true]);
    });

    it('outside staff hours is the next window, adjusted', () => {
      expect(iso(slot('晚上十点', THU_10))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T04:00:00.000Z', 'morning', true]);
      expect(iso(slot('明天晚上十点', THU_10))).toEqual(['2026-12-05T01:00:00.000Z', '2026-12-05T04:00:00.000Z', 'morning', true]);
      expect(iso(slot('中午', THU_10))).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T10:00:00.000Z', 'afternoon', true]);
      expect(iso(slot('早上八点', beijing('2026-12-03 07:00')))).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T04:00:00.000Z', 'morning', true]);
    });
  });

  describe('以后 (after)', () => {
    it('runs from the time to the end of its window', () => {
      expect(iso(slot('晚上7点以后', THU_10))).toEqual(['2026-12-03T11:00:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
      expect(iso(slot('七点半以后', THU_10))).toEqual(['2026-12-03T11:30:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
    });

    it('in a gap is the next window that day, not adjusted', () => {
      expect(iso(slot('下午一点以后', THU_10))).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T10:00:00.000Z', 'afternoon', false]);
    });

    it('takes a later window the same day when its own has run out', () => {
      expect(iso(slot('上午十点以后', beijing('2026-12-03 11:45')))).toEqual(['2026-12-03T06:00:00.000Z', '2026-12-03T10:00:00.000Z', 'afternoon', false]);
    });

    it('passed today with no day named is the same time tomorrow', () => {
      expect(iso(slot('七点半以后', beijing('2026-12-03 22:00')))).toEqual(['2026-12-04T11:30:00.000Z', '2026-12-04T13:00:00.000Z', 'evening', false]);
    });

    it('after the last window is the next morning, adjusted (another day)', () => {
      expect(iso(slot('晚上九点以后', THU_10))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T04:00:00.000Z', 'morning', true]);
    });
  });

  describe('以前 (before)', () => {
    it('runs from the first window with room up to the time, across the gap', () => {
      expect(iso(slot('四点以前', THU_10))).toEqual(['2026-12-03T02:00:00.000Z', '2026-12-03T08:00:00.000Z', 'any', false]);
      expect(iso(slot('四点以前', beijing('2026-12-03 15:00')))).toEqual(['2026-12-03T07:00:00.000Z', '2026-12-03T08:00:00.000Z', 'afternoon', false]);
    });

    it('in a gap ends at the end of the window before it', () => {
      expect(iso(slot('下午一点以前', beijing('2026-12-03 08:00')))).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T04:00:00.000Z', 'morning', false]);
    });

    it('moves to the next working day, adjusted, when less than the lead is left', () => {
      expect(iso(slot('四点以前', beijing('2026-12-03 15:45')))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T08:00:00.000Z', 'any', true]);
    });

    it('means tomorrow, not adjusted, when the time itself has passed and no day was named', () => {
      expect(iso(slot('四点以前', beijing('2026-12-03 16:30')))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T08:00:00.000Z', 'any', false]);
    });

    it('before staff start is the first window, adjusted', () => {
      expect(iso(slot('早上八点以前', beijing('2026-12-03 07:00')))).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T04:00:00.000Z', 'morning', true]);
    });
  });

  it('never starts before now, never runs shorter than the lead, and stays inside a window on a working day', () => {
    const texts = ['随便', '上午', '下午', '晚上', '七点', '八点半', '三点', '晚上十点', '七点半以后', '四点以前', '中午', '明天', '周六上午', '明天下午三点', '九点以前', '下午一点以后'];
    // Each text read once; its slot taken every 17 minutes over four days (a weekend included).
    const wishes = texts.map((text) => [text, wish(text, office.windows)] as const);
    const spans = windows.map((w) => ({ start: Number(w.from.slice(0, 2)) * 60 + Number(w.from.slice(3)), end: Number(w.until.slice(0, 2)) * 60 + Number(w.until.slice(3)) }));
    const start = beijing('2026-12-03 00:00').getTime();
    // Every broken rule, named with the text and the time (one assertion: 5,000 slots are checked).
    const broken: string[] = [];
    for (let t = start; t < start + 4 * 86_400_000; t += 17 * 60_000) {
      for (const [text, wished] of wishes) {
        const s = slotFor(wished, new Date(t), office);
        const from = Date.parse(s.from);
        const until = Date.parse(s.until);
        const day = localTime(from);
        const end = Math.round((until - instantAt(day.date, 0).getTime()) / 60_000);
        const rules = {
          'starts before now': from < t,
          'shorter than the lead': until - from < MIN_LEAD_MINUTES * 60_000,
          'on a weekend': day.weekday === 6 || day.weekday === 7,
          'starts outside a window': !spans.some((w) => w.start <= day.minutes && day.minutes < w.end),
          'ends outside a window': !spans.some((w) => w.start < end && end <= w.end),
        };
        for (const [rule, isBroken] of Object.entries(rules)) if (isBroken) broken.push(`${text} at ${new Date(t).toISOString()}: ${rule}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('refuses a calendar whose windows cannot hold a slot', () => {
    const short = { windows: [{ id: 'x', label: 'x', word: 'x', from: '09:00', until: '09:20' }], weekdaysOff: [], datesOff: [] };
    expect(() => slotFor({ any: true }, THU_10, short)).toThrow('"x"');
    const bad = { windows: [{ id: 'y', label: 'y', word: 'y', from: '9:00', until: '12:00' }], weekdaysOff: [], datesOff: [] };
    expect(() => slotFor({ any: true }, THU_10, bad)).toThrow('"y"');
  });
});

describe('describeSlot', () => {
  const say = (text: string, now: Date, cal: StaffCalendar = calendar) => describeSlot(slot(text, now, cal), now, cal);

  it("uses the window's label when the slot is exactly a window", () => {
    expect(say('晚上', THU_10)).toBe('今天晚上七点到九点');
    expect(say('明早', THU_10)).toBe('明天上午九点到十二点');
    expect(say('后天上午', THU_10)).toBe('后天上午九点到十二点');
  });

  it('says a clock time as the caller would', () => {
    expect(say('明天下午三点', THU_10)).toBe('明天下午三点到四点');
    expect(say('明天三点一刻', THU_10)).toBe('明天下午三点十五到四点十五');
    expect(say('明天两点半', THU_10)).toBe('明天下午两点半到三点半');
    expect(say('明天八点零五', THU_10)).toBe('明天晚上八点零五到九点');
  });

  it('adds the period word to the end only when it differs', () => {
    const cross: Slot = { from: '2026-12-04T09:00:00.000Z', until: '2026-12-04T11:00:00.000Z', window: 'any', adjusted: false };
    expect(describeSlot(cross, THU_10, calendar)).toBe('明天下午五点到晚上七点');
    const noon: Slot = { from: '2026-12-04T04:00:00.000Z', until: '2026-12-04T04:30:00.000Z', window: 'any', adjusted: false };
    expect(describeSlot(noon, THU_10, calendar)).toBe('明天中午十二点到十二点半');
  });

  it('says "以前" when the slot starts now', () => {
    expect(say('随便', beijing('2026-12-03 19:30'))).toBe('今天晚上九点以前');
    expect(say('四点以前', THU_10)).toBe('今天下午四点以前');
  });

  it('counts a start within 5 minutes of now as now, but no later one', () => {
    const starting = (minutes: number): Slot => ({ from: new Date(THU_10.getTime() + minutes * 60_000).toISOString(), until: '2026-12-03T04:00:00.000Z', window: 'morning', adjusted: false });
    expect(describeSlot(starting(5), THU_10, calendar)).toBe('今天中午十二点以前');
    expect(describeSlot(starting(6), THU_10, calendar)).toBe('今天上午十点零六到中午十二点');
  });

  it('prefers the label to "以前" when a window is about to start', () => {
    expect(say('晚上', beijing('2026-12-03 18:56'))).toBe('今天晚上七点到九点');
  });

  it('says a whole staff day as 工作时间', () => {
    expect(say('随便', beijing('2026-12-03 22:00'))).toBe('明天工作时间（上午九点到晚上九点）');
    expect(say('九点以前', beijing('2026-12-03 07:00'))).toBe('今天工作时间（上午九点到晚上九点）');
  });

  it('gives later days as a date and weekday', () => {
    expect(say('明天上午', beijing('2026-12-04 10:00'), office)).toBe('12月7日星期一上午九点到十二点');
    expect(say('周日下午', THU_10)).toBe('12月6日星期日下午两点到六点');
  });

  it('counts days in Beijing time', () => {
    expect(say('晚上', new Date('2026-12-03T16:30:00Z'))).toBe('今天晚上七点到九点');
    expect(say('晚上', new Date('2026-12-03T15:50:00Z'))).toBe('明天晚上七点到九点');
  });
});

describe('staffSlotText', () => {
  it('shows Beijing times with today, tomorrow or the date', () => {
    expect(staffSlotText({ from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z' }, THU_10)).toBe('今天 19:00–21:00');
    expect(staffSlotText({ from: '2026-12-04T01:00:00.000Z', until: '2026-12-04T04:00:00.000Z' }, THU_10)).toBe('明天 09:00–12:00');
    expect(staffSlotText({ from: '2026-12-07T01:00:00.000Z', until: '2026-12-07T04:00:00.000Z' }, THU_10)).toBe('12月7日 周一 09:00–12:00');
  });

  it('counts days in Beijing time across UTC midnight', () => {
    expect(staffSlotText({ from: '2026-12-04T11:00:00.000Z', until: '2026-12-04T13:00:00.000Z' }, new Date('2026-12-03T16:30:00Z'))).toBe('今天 19:00–21:00');
    expect(staffSlotText({ from: '2026-12-03T02:17:00.000Z', until: '2026-12-03T16:00:00.000Z' }, THU_10)).toBe('今天 10:17–24:00');
  });
});

describe('dueState', () => {
  const s = { from: '2026-12-03T11:00:00.000Z', until: '2026-12-03T13:00:00.000Z' };

  it.each([
    ['2026-12-03T10:59:59.999Z', 'upcoming'],
    ['2026-12-03T11:00:00.000Z', 'due'],
    ['2026-12-03T12:59:59.999Z', 'due'],
    ['2026-12-03T13:00:00.000Z', 'overdue'],
    ['2026-12-04T01:00:00.000Z', 'overdue'],
  ])('at %s is %s', (now, state) => {
    expect(dueState(s, new Date(now))).toBe(state);
  });
});

describe('slotFor at its edges', () => {
  const iso = (s: Slot) => [s.from, s.until, s.window, s.adjusted];

  it('keeps a window, a time after, or a time before with exactly the lead left today', () => {
    expect(iso(slot('晚上', beijing('2026-12-03 20:30')))).toEqual(['2026-12-03T12:30:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
    expect(iso(slot('七点以后', beijing('2026-12-03 20:30')))).toEqual(['2026-12-03T12:30:00.000Z', '2026-12-03T13:00:00.000Z', 'evening', false]);
    expect(iso(slot('五点半以前', beijing('2026-12-03 17:00')))).toEqual(['2026-12-03T09:00:00.000Z', '2026-12-03T09:30:00.000Z', 'afternoon', false]);
  });

  it('takes 以前 with half an hour of a window before it, and moves one with less to the first window, adjusted', () => {
    expect(iso(slot('九点半以前', beijing('2026-12-03 08:00')))).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T01:30:00.000Z', 'morning', false]);
    expect(iso(slot('九点二十以前', beijing('2026-12-03 08:00')))).toEqual(['2026-12-03T01:00:00.000Z', '2026-12-03T04:00:00.000Z', 'morning', true]);
  });

  it('reads 以前 said at that very time as tomorrow', () => {
    expect(iso(slot('七点半以前', beijing('2026-12-03 19:30')))).toEqual(['2026-12-04T01:00:00.000Z', '2026-12-04T11:30:00.000Z', 'any', false]);
  });

  it('reads 以后 whose window has run out today as tomorrow, not adjusted', () => {
    expect(iso(slot('八点半以后', beijing('2026-12-03 20:45')))).toEqual(['2026-12-04T12:30:00.000Z', '2026-12-04T13:00:00.000Z', 'evening', false]);
  });

  it('gives any time, adjusted, for a window the calendar no longer has', () => {
    expect(iso(slotFor({ window: 'lunch' }, THU_10, calendar))).toEqual(['2026-12-03T02:00:00.000Z', '2026-12-03T13:00:00.000Z', 'any', true]);
  });

  it('refuses a wish that is not one: a time outside the day, a day before today, a weekday out of range', () => {
    for (const at of [-1, 24 * 60, 9.5]) expect(() => slotFor({ at }, THU_10, calendar), String(at)).toThrow('Time wish: at must be minutes after midnight');
    for (const dayOffset of [-1, 0.5]) expect(() => slotFor({ dayOffset }, THU_10, calendar), String(dayOffset)).toThrow('Time wish: dayOffset');
    for (const weekday of [0, 8, 2.5]) expect(() => slotFor({ weekday }, THU_10, calendar), String(weekday)).toThrow('Time wish: weekday must be 1…7');
    expect(slotFor({ at: 0 }, THU_10, calendar).window).toBe('morning');
    expect(slotFor({ weekday: 1 }, THU_10, calendar).from).toBe('2026-12-07T01:00:00.000Z');
    expect(slotFor({ weekday: 7 }, THU_10, calendar).from).toBe('2026-12-06T01:00:00.000Z');
    expect(() => slotFor({ any: true }, THU_10, { windows: [], weekdaysOff: [], datesOff: [] })).toThrow('No callback windows configured');
  });
});

describe('describeSlot, word by word', () => {
  /** A slot (not a window) on Thursday between two Beijing clock times. */
  const thursday = (from: string, until: string): Slot => ({ from: beijing(`2026-12-03 ${from}`).toISOString(), until: beijing(`2026-12-03 ${until}`).toISOString(), window: 'x', adjusted: false });
  const said = (from: string, until: string) => describeSlot(thursday(from, until), beijing('2026-12-02 08:00'), calendar);

  it('names the period of each hour: 凌晨 before 6, 上午 before 12, 中午 at 12, 下午 before 18, then 晚上', () => {
    expect(said('05:00', '06:00')).toBe('明天凌晨五点到上午六点');
    expect(said('12:00', '13:00')).toBe('明天中午十二点到下午一点');
    expect(said('17:00', '18:00')).toBe('明天下午五点到晚上六点');
  });

  it('says minutes as people say them', () => {
    expect(said('07:10', '07:20')).toBe('明天上午七点十到七点二十');
    expect(said('07:25', '07:45')).toBe('明天上午七点二十五到七点四十五');
    expect(said('07:05', '07:30')).toBe('明天上午七点零五到七点半');
    expect(said('11:00', '11:30')).toBe('明天上午十一点到十一点半');
  });

  it('says midnight and the hour after it with 零 and 十二, never 十二 for midnight itself', () => {
    const late: StaffCalendar = { windows: [{ id: 'late', label: '深夜', word: '深夜', from: '23:00', until: '24:00' }], weekdaysOff: [], datesOff: [] };
    const nearMidnight = beijing('2026-12-03 23:30');
    expect(describeSlot(slotFor({ any: true }, nearMidnight, late), nearMidnight, late)).toBe('今天晚上十二点以前');
    expect(said('00:30', '01:00')).toBe('明天凌晨零点半到一点');
  });

  it('says a day three or more days ahead as its date', () => {
    expect(describeSlot(thursday('19:00', '20:00'), beijing('2026-11-30 08:00'), calendar)).toBe('12月3日星期四晚上七点到八点');
  });

  it('says the rest of a staff day that does not start now as a range, not as 工作时间', () => {
    const rest: Slot = { from: beijing('2026-12-03 14:00').toISOString(), until: beijing('2026-12-03 21:00').toISOString(), window: 'any', adjusted: false };
    expect(describeSlot(rest, beijing('2026-12-03 12:30'), calendar)).toBe('今天下午两点到晚上九点');
    const morningToAfternoon: Slot = { ...rest, from: beijing('2026-12-03 09:00').toISOString(), until: beijing('2026-12-03 18:00').toISOString() };
    expect(describeSlot(morningToAfternoon, beijing('2026-12-02 12:30'), calendar)).toBe('明天上午九点到晚上六点');
  });

  it('says a slot that spans the whole staff day as 工作时间, whatever window it came from', () => {
    expect(said('09:00', '21:00')).toBe('明天工作时间（上午九点到晚上九点）');
  });

  it('says a day that has passed as its date (a request looked at after its time)', () => {
    expect(describeSlot(thursday('19:00', '20:00'), beijing('2026-12-04 08:00'), calendar)).toBe('12月3日星期四晚上七点到八点');
  });
});

describe('staffSlotText at its edges', () => {
  it('shows the day of an end past midnight, and what it was given when that is no time', () => {
    expect(staffSlotText({ from: '2026-12-03T12:00:00.000Z', until: '2026-12-04T02:00:00.000Z' }, THU_10)).toBe('今天 20:00–明天 10:00');
    expect(staffSlotText({ from: 'soon', until: '2026-12-04T02:00:00.000Z' }, THU_10)).toBe('soon–2026-12-04T02:00:00.000Z');
    expect(staffSlotText({ from: '2026-12-04T02:00:00.000Z', until: 'later' }, THU_10)).toBe('2026-12-04T02:00:00.000Z–later');
  });
});

describe('Beijing time at its edges', () => {
  it('counts a moment after midnight as the next day', () => {
    expect(localTime(new Date('2026-12-03T16:00:00.500Z'))).toEqual({ date: '2026-12-04', minutes: 0, weekday: 5 });
    expect(localTime(Date.parse('2026-12-03T15:59:59.999Z'))).toEqual({ date: '2026-12-03', minutes: 23 * 60 + 59, weekday: 4 });
  });

  it('writes an instant as a Beijing wall clock, seconds included', () => {
    expect(wallClockText(new Date('2026-03-01T23:30:45.000Z'))).toBe('2026-03-02 07:30:45');
    expect(wallClockText(Date.parse('2026-03-01T23:30:45.000Z'))).toBe('2026-03-02 07:30:45');
  });

  it('takes only whole YYYY-MM-DD dates that exist', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    for (const text of ['2026-02-30', ' 2026-02-28', '2026-02-28 ', '2026-2-28', 'x2026-02-28', '2026-02-28x']) expect(isCalendarDate(text), text).toBe(false);
  });
});
