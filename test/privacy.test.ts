import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesIn, starNumbersIn } from '../lambdas/shared/privacy';

describe('maskPhone', () => {
  it.each([
    ['+8613812345678', '+86 138****5678'],
    ['13812345678', '138****5678'],
    ['+14155550123', '+141****0123'],
    ['12345', '*****'],
    ['abc', '(none)'],
    ['1234567', '*****67'],
    ['12345678', '******78'],
    ['123456789', '123****6789'],
    [' +8613812345678 ', '+86 138****5678'],
    ['+86-138-1234-5678', '+86 138****5678'],
    ['8613812345678', '861****5678'],
    ['+861381234567', '+861****4567'],
    ['', '(none)'],
    [undefined, '(none)'],
  ])('masks %s as %s', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });
});

describe('maskPhonesIn', () => {
  it.each([
    ['call +8613812345678 now', 'call +86 138****5678 now'],
    ['call 13812345678', 'call 138****5678'],
    ['138 1234 5678', '138****5678'],
    ['号码 138-1234-5678。', '号码 138****5678。'],
    ['From=%2B8613812345678&To=x', 'From=+86 138****5678&To=x'],
    ['号码１３８１２３４５６７８', '号码138****5678'],
    ['139.1234.5678', '139****5678'],
    ['打(139)1234-5678找我', '打139****5678找我'],
    ['139_1234_5678', '139****5678'],
    ['x13912345678', 'x139****5678'],
    ['电话021-1234-5678', '电话021****5678'],
    ['身份证110105199003071234', '身份证110****1234'],
    ['身份证11010519900307123X。', '身份证110****7123。'],
    ['身份证11010519900307123x', '身份证110****7123'],
    ['卡号6222021234567890', '卡号622****7890'],
    ['卡号6222021234567890123', '卡号622****0123'],
    ['卡号6222 0212 3456 7890 123', '卡号622****0123'],
    ['卡号6222-0212-3456-7890', '卡号622****7890'],
    ['卡号6222-0212-3456-7890-123', '卡号622****0123'],
    ['13812345678 和 13912345678', '138****5678 和 139****5678'],
    ['From=%2b8613812345678', 'From=+86 138****5678'],
  ])('masks %s', (input, expected) => {
    expect(maskPhonesIn(input)).toBe(expected);
  });

  it.each([
    ['an ISO time', '2026-11-28T02:33:00.000Z'],
    ['a Twilio sid', 'CA0123456789abcdef0123456789abcdef'],
    ['a short number', '12321 and 110'],
    ['a request id', 'req_1234567890abc'],
  ])('leaves %s alone', (_what, input) => {
    expect(maskPhonesIn(input)).toBe(input);
  });
});

describe('starNumbersIn', () => {
  // What staff read and the corpus keeps: no digit of any number survives, nor an ID number's X; separators stay.
  it.each([
    '139.1234.5678', '(139)1234-5678', '139_1234_5678', 'x13912345678', '+86 138 1234 5678', '１３８１２３４５６７８',
    '110105199003071234', '11010519900307123X', '6222021234567890', '6222021234567890123', '6222 0212 3456 7890', '6222-0212-3456-7890-123',
  ])('stars every digit of %s', (number) => {
    const expected = number.replace(/[\d\uff10-\uff19]/g, '*').replace(/(?<=\*{17})X$/, '*');
    expect(starNumbersIn(`号码${number}。`)).toBe(`号码${expected}。`);
  });

  it('stars amounts and other short numbers too, unless asked to keep them', () => {
    expect(starNumbersIn('欠了3000，借了5个平台')).toBe('欠了****，借了*个平台');
    expect(starNumbersIn('欠了3000，卡号6222-0212-3456-7890，电话139.1234.5678', { keepAmounts: true })).toBe('欠了3000，卡号****-****-****-****，电话***.****.****');
  });

  it('keeps amounts only when no separator-joined run makes them a longer number', () => {
    expect(starNumbersIn('编号12345，单号1-2-3-4-5，欠3000', { keepAmounts: true })).toBe('编号*****，单号*-*-*-*-*，欠3000');
    // Dates and times are not one number: their digits stay apart.
    expect(starNumbersIn('1月2日3点4分5秒', { keepAmounts: true })).toBe('1月2日3点4分5秒');
  });

  it('keeps the separators and letters around a number', () => {
    expect(starNumbersIn('x13912345678 (139)1234-5678')).toBe('x*********** (***)****-****');
  });
});
