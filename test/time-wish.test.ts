/**
 * Reading a time wish word by word: every filler, "any time" word, day, period, bound and
 * traditional character the reader knows, and how an hour is read with each period. What a wish
 * becomes as a slot is in schedule.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseTimeWish, type CallbackWindow } from '../lambdas/callbacks/schedule';

const MORNING = { id: 'morning', label: '上午九点到十二点', word: '上午', from: '09:00', until: '12:00' };
const AFTERNOON = { id: 'afternoon', label: '下午两点到六点', word: '下午', from: '14:00', until: '18:00' };
const EVENING = { id: 'evening', label: '晚上七点到九点', word: '晚上', from: '19:00', until: '21:00' };
const windows: CallbackWindow[] = [MORNING, AFTERNOON, EVENING];
/** Staff hours with windows of their own words: a lunch break and a late shift to midnight. */
const LUNCH = { id: 'lunch', label: '中午十二点到一点半', word: '午休', from: '12:00', until: '13:30' };
const NIGHT = { id: 'night', label: '晚上九点到十二点', word: '夜间', from: '21:00', until: '24:00' };
const custom: CallbackWindow[] = [MORNING, LUNCH, NIGHT];

const read = (text: string, ws: readonly CallbackWindow[] = windows) => parseTimeWish(text, ws);
const at = (hour: number, minute = 0) => hour * 60 + minute;

describe('the words around a time', () => {
  it('takes every filler after a time, and a text of fillers alone as no time', () => {
    const fillers = [
      '吧', '啊', '呀', '哦', '呢', '的', '都', '都行', '都可以', '可以', '行', '最好', '方便', '有空', '我有空', '就行', '打给我', '给我打',
      '给我打电话', '打电话', '回电', '回电话', '来电话', '再打', '再说', '嗯', '就', '那个',
    ];
    for (const filler of fillers) expect(read(`晚上${filler}`), filler).toEqual({ window: 'evening' });
    for (const filler of ['请', '麻烦', '在', '那', '那就']) expect(read(`${filler}晚上`), filler).toEqual({ window: 'evening' });
    for (const alone of ['好的', '可以', '回电话', '那个']) expect(read(alone), alone).toBeNull();
  });

  it('reads 左右, 前后 and 好 after a clock time as fillers, not as bounds', () => {
    for (const text of ['七点左右', '七点前后', '七点好']) expect(read(text), text).toEqual({ at: at(19), bound: 'at' });
  });

  it('takes 都行 and 都可以 alone as any time, and next to a time as fillers', () => {
    expect(read('都行')).toEqual({ any: true });
    expect(read('都可以')).toEqual({ any: true });
    expect(read('下午都行')).toEqual({ window: 'afternoon' });
  });

  it('takes every word for "any time"', () => {
    const words = [
      '随便', '随时', '什么时候都行', '什么时候都可以', '什么时间都行', '什么时间都可以', '啥时候都行', '啥时候都可以', '几点都行', '几点都可以',
      '无所谓', '越快越好', '越早越好', '尽快', '尽早', '马上', '立刻', '现在', '早点', '快点', '白天', '全天',
    ];
    for (const word of words) expect(read(word), word).toEqual({ any: true });
    // A named time says more than 随便 next to it.
    expect(read('随便晚上')).toEqual({ window: 'evening' });
    expect(read('明天随便')).toEqual({ dayOffset: 1, any: true });
  });

  it('hears greetings as greetings: 晚上好, 晚上好啊/呀/哦, but 晚上好吧 and 明天晚上好 are times', () => {
    for (const text of ['晚上好', '晚上好啊', '晚上好呀', '晚上好哦', '早上好']) expect(read(text), text).toBeNull();
    expect(read('晚上好吧')).toEqual({ window: 'evening' });
    expect(read('明天晚上好')).toEqual({ dayOffset: 1, window: 'evening' });
    expect(read('好晚上')).toEqual({ window: 'evening' });
  });
});

describe('days, periods and bounds', () => {
  it('reads day words and words that name a day and a period at once', () => {
    expect(read('今天')).toEqual({ dayOffset: 0 });
    expect(read('今日')).toEqual({ dayOffset: 0 });
    expect(read('明日')).toEqual({ dayOffset: 1 });
    expect(read('后天')).toEqual({ dayOffset: 2 });
    expect(read('大后天')).toEqual({ dayOffset: 3 });
    expect(read('今早')).toEqual({ dayOffset: 0, window: 'morning' });
    expect(read('今晚')).toEqual({ dayOffset: 0, window: 'evening' });
    expect(read('明早')).toEqual({ dayOffset: 1, window: 'morning' });
    expect(read('明晨')).toEqual({ dayOffset: 1, window: 'morning' });
    expect(read('明晚')).toEqual({ dayOffset: 1, window: 'evening' });
  });

  it('reads weekdays with 周, 星期 and 礼拜, in Chinese or Arabic numerals, and 周末 as Saturday', () => {
    expect(read('周一')).toEqual({ weekday: 1 });
    expect(read('星期二')).toEqual({ weekday: 2 });
    expect(read('礼拜三')).toEqual({ weekday: 3 });
    expect(read('周3')).toEqual({ weekday: 3 });
    expect(read('礼拜7')).toEqual({ weekday: 7 });
    expect(read('周日')).toEqual({ weekday: 7 });
    expect(read('星期天')).toEqual({ weekday: 7 });
    expect(read('周末')).toEqual({ weekday: 6 });
  });

  it('takes a day before or after a period, but never two periods or two days', () => {
    expect(read('晚上明天')).toEqual({ dayOffset: 1, window: 'evening' });
    for (const text of ['晚上今晚', '今晚晚上', '上午九点到十二点今晚', '明天后天', '上午下午']) expect(read(text), text).toBeNull();
  });

  it('reads every period word as its window, by its own word or a synonym', () => {
    expect(read('早上')).toEqual({ window: 'morning' });
    expect(read('早晨')).toEqual({ window: 'morning' });
    expect(read('傍晚')).toEqual({ window: 'evening' });
    expect(read('夜里')).toEqual({ window: 'evening' });
    expect(read('晚间')).toEqual({ window: 'evening' });
  });

  it('reads a bound only right after a clock time', () => {
    expect(read('七点以后')).toEqual({ at: at(19), bound: 'after' });
    expect(read('七点之后')).toEqual({ at: at(19), bound: 'after' });
    expect(read('七点后')).toEqual({ at: at(19), bound: 'after' });
    expect(read('七点以前')).toEqual({ at: at(19), bound: 'before' });
    expect(read('七点之前')).toEqual({ at: at(19), bound: 'before' });
    expect(read('七点前')).toEqual({ at: at(19), bound: 'before' });
    for (const text of ['以后', '晚上以后', '七点以后以前']) expect(read(text), text).toBeNull();
  });

  it('reads traditional characters as their simplified forms', () => {
    expect(read('晚上七點')).toEqual({ at: at(19), bound: 'at', window: 'evening' });
    expect(read('七點以後')).toEqual({ at: at(19), bound: 'after' });
    expect(read('週三')).toEqual({ weekday: 3 });
    expect(read('禮拜三')).toEqual({ weekday: 3 });
    expect(read('七點鐘')).toEqual({ at: at(19), bound: 'at' });
    expect(read('兩點')).toEqual({ at: at(14), bound: 'at' });
    expect(read('夜裡')).toEqual({ window: 'evening' });
    for (const word of ['隨便', '什麼時候都行', '什麼時間都行', '無所謂', '儘快', '盡快', '馬上', '現在']) expect(read(word), word).toEqual({ any: true });
    for (const filler of ['回電話', '給我打', '來電話', '那個']) expect(read(`晚上${filler}`), filler).toEqual({ window: 'evening' });
  });

  it('reads a text of up to 40 characters once spaces and punctuation are gone, and nothing longer', () => {
    expect(read(`晚上${'吧'.repeat(38)}`)).toEqual({ window: 'evening' });
    expect(read(`晚上${'吧'.repeat(39)}`)).toBeNull();
    expect(read('晚上，七点。')).toEqual({ at: at(19), bound: 'at', window: 'evening' });
    expect(read('')).toBeNull();
    expect(read('。！')).toBeNull();
  });
});

describe('clock times', () => {
  it('reads minutes: 半, 一刻, 三刻, digits up to 59', () => {
    expect(read('三点一刻')).toEqual({ at: at(15, 15), bound: 'at' });
    expect(read('三点三刻')).toEqual({ at: at(15, 45), bound: 'at' });
    expect(read('7点59')).toEqual({ at: at(19, 59), bound: 'at' });
    expect(read('7点60')).toBeNull();
  });

  it('reads 24点 (and 晚上十二点) as the last minute of the day, and nothing past it', () => {
    expect(read('24点')).toEqual({ at: 24 * 60 - 1, bound: 'at' });
    expect(read('晚上24点')).toEqual({ at: 24 * 60 - 1, bound: 'at' });
    expect(read('晚上十二点')).toEqual({ at: 24 * 60 - 1, bound: 'at' });
    for (const text of ['下午24点', '24点半', '25点', '晚上十二点半']) expect(read(text), text).toBeNull();
  });

  it('reads an hour with each period only as that period allows', () => {
    const cases: [string, number | null][] = [
      ['凌晨十二点', at(0)], ['凌晨三点', at(3)], ['凌晨十一点', at(11)], ['凌晨十三点', null],
      ['上午十二点', at(12)], ['上午十三点', null],
      ['中午十一点', at(11)], ['中午十二点', at(12)], ['中午一点', at(13)], ['中午两点', at(14)], ['中午三点', at(15)], ['中午四点', null],
      ['中午十点', null], ['中午十三点', at(13)], ['中午十五点', at(15)], ['中午十六点', null],
      ['下午一点', at(13)], ['下午十一点', at(23)], ['下午十二点', at(12)], ['下午十三点', at(13)], ['下午零点', null],
      ['晚上六点', at(18)], ['晚上十一点', at(23)], ['晚上五点', null], ['晚上十八点', at(18)], ['晚上十七点', null],
    ];
    for (const [text, minutes] of cases) expect(read(text)?.at ?? null, text).toBe(minutes);
  });

  it('reads a bare hour by the windows: 0 and 13–23 as said, a zero-padded one as a 24-hour clock, 8–11 morning, 1–7 afternoon or evening', () => {
    expect(read('0点')).toEqual({ at: at(0), bound: 'at' });
    expect(read('13点')).toEqual({ at: at(13), bound: 'at' });
    expect(read('08点')).toEqual({ at: at(8), bound: 'at' });
    expect(read('8点')).toEqual({ at: at(20), bound: 'at' });
    expect(read('9点')).toEqual({ at: at(9), bound: 'at' });
    expect(read('12点')).toEqual({ at: at(12), bound: 'at' });
    expect(read('12点', [EVENING])).toEqual({ at: at(12), bound: 'at' });
    expect(read('12点以前', [{ ...MORNING, until: '12:00' }, EVENING])).toEqual({ at: at(12), bound: 'before' });
  });
});

describe('windows of their own words', () => {
  it('prefers the reading inside the window its word names, and names that window', () => {
    expect(read('夜间十点', custom)).toEqual({ at: at(22), bound: 'at', window: 'night' });
    expect(read('午休一点', custom)).toEqual({ at: at(13), bound: 'at', window: 'lunch' });
    expect(read('夜间24点', custom)).toEqual({ at: 24 * 60 - 1, bound: 'at', window: 'night' });
    expect(read('夜间', custom)).toEqual({ window: 'night' });
  });

  it('takes a label typed back as its window, even one that starts with a clock time', () => {
    expect(read('中午十二点到一点半', custom)).toEqual({ window: 'lunch' });
    expect(read('晚上九点到十二点', custom)).toEqual({ window: 'night' });
    const am = { id: 'am', label: '9点到12点', word: '上班', from: '09:00', until: '12:00' };
    expect(read('9点到12点', [am])).toEqual({ window: 'am' });
    expect(read('9点', [am])).toEqual({ at: at(9), bound: 'at' });
  });

  it('reads a period with no window of its own as its usual hour, in the window that holds it if any', () => {
    expect(read('中午', custom)).toEqual({ at: at(12), bound: 'at', window: 'lunch' });
    expect(read('凌晨', custom)).toEqual({ at: at(5), bound: 'at' });
    expect(read('晚上', custom)).toEqual({ at: at(19), bound: 'at' });
    expect(read('上午', [AFTERNOON, EVENING])).toEqual({ at: at(9), bound: 'at' });
    expect(read('下午', [MORNING, EVENING])).toEqual({ at: at(14), bound: 'at' });
  });

  it('reads no empty word, whatever a window is called', () => {
    expect(read('晚上好吗', [{ ...EVENING, word: '' }])).toBeNull();
    expect(read('明天', [{ ...EVENING, word: '' }])).toEqual({ dayOffset: 1 });
  });
});
