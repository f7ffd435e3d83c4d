import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesIn } from '../lambdas/shared/privacy';

describe('maskPhone', () => {
  it.each([
    ['+8613812345678', '+86 138****5678'],
    ['13812345678', '138****5678'],
    ['+14155550123', '+141****0123'],
    ['12345', '*****'],
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
