/**
 * The callback rules that need no store: phone numbers, reference codes, how a status moves, claims
 * and their lease, urgent due times, cleaning what callers and staff write, list cursors, settings.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { claimLapsed, claimLeaseStart, DEFAULT_CLAIM_LEASE_MINUTES, holdsClaim } from '../lambdas/callbacks/claim-lease';
import { cursorSchema } from '../lambdas/callbacks/cursor';
import { CALLBACK_DEFAULTS } from '../lambdas/callbacks/limits';
import { parseDaysOff, slotFor } from '../lambdas/callbacks/schedule';
import { clockMinutes, spansOf } from '../lambdas/callbacks/staff-calendar';
import { normalisePhone, phoneKeyOf } from '../lambdas/callbacks/phone-number';
import { generateReferenceCode, isSpeakableCode } from '../lambdas/callbacks/reference-code';
import { callbackSettingsFromEnv, phoneKeyFromEnv, staffCalendar } from '../lambdas/callbacks/settings';
import { conflictFor, statusAfterOutcome } from '../lambdas/callbacks/status-rules';
import { cleanLabel, cleanNote, cleanQuestion, cleanText, cleanTopics, cleanWords, LIMITS } from '../lambdas/callbacks/text-cleaning';
import { urgentDue } from '../lambdas/callbacks/urgency';
import { bundledContent } from '../lambdas/content/content';

const E164 = '+8613812345678';

describe('phone numbers', () => {
  it('accepts mainland mobiles and E.164 numbers and refuses the rest', () => {
    expect(normalisePhone('13812345678')).toEqual({ ok: true, e164: E164, kind: 'cn-mobile' });
    expect(normalisePhone('+8613812345678')).toEqual({ ok: true, e164: E164, kind: 'cn-mobile' });
    expect(normalisePhone('１３８ １２３４ ５６７８')).toMatchObject({ ok: true, e164: E164 });
    expect(normalisePhone('008613812345678')).toMatchObject({ ok: true, e164: E164 });
    expect(normalisePhone('8613812345678')).toMatchObject({ ok: true, e164: E164 });
    expect(normalisePhone('+14155550123')).toEqual({ ok: true, e164: '+14155550123', kind: 'international' });
    expect(normalisePhone('0014155550123')).toEqual({ ok: true, e164: '+14155550123', kind: 'international' });
    expect(normalisePhone('12345')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(normalisePhone('01012345678')).toMatchObject({ ok: false });
    expect(normalisePhone('+861012345678')).toMatchObject({ ok: false });
    expect(normalisePhone('anonymous')).toMatchObject({ ok: false, reason: 'withheld' });
    expect(normalisePhone('+266696687')).toMatchObject({ ok: false, reason: 'withheld' });
    expect(normalisePhone('')).toMatchObject({ ok: false, reason: 'empty' });
    expect(normalisePhone('call me')).toMatchObject({ ok: false, reason: 'not-a-number' });
  });

  it('reads the ways a number is written: spaces, brackets, dots and dashes, and a leading 86 only before a mobile', () => {
    for (const written of [' 138 1234 5678 ', '138-1234-5678', '(138)1234.5678', '+86 (138) 1234-5678', '86 138 1234 5678']) {
      expect(normalisePhone(written), written).toEqual({ ok: true, e164: E164, kind: 'cn-mobile' });
    }
    // 86 followed by something that is not a mobile is not a country code: 8612345678901 is no number at all.
    expect(normalisePhone('8612345678901')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('tells a missing number from a withheld one, and refuses text and very long input as not a number', () => {
    expect(normalisePhone(undefined)).toEqual({ ok: false, reason: 'empty' });
    expect(normalisePhone(null)).toEqual({ ok: false, reason: 'empty' });
    expect(normalisePhone('   ')).toEqual({ ok: false, reason: 'empty' });
    for (const id of ['Anonymous', ' RESTRICTED ', 'unknown', 'private', 'unavailable', '+7378742833', '+2562533', '+8656696']) {
      expect(normalisePhone(id), id).toEqual({ ok: false, reason: 'withheld' });
    }
    expect(normalisePhone('1'.repeat(33))).toEqual({ ok: false, reason: 'not-a-number' });
    // At most 32 characters once trimmed, spaces inside included.
    expect(normalisePhone(`+86${' '.repeat(18)}13812345678`)).toEqual({ ok: true, e164: E164, kind: 'cn-mobile' });
    expect(normalisePhone(`+86${' '.repeat(19)}13812345678`)).toEqual({ ok: false, reason: 'not-a-number' });
    expect(normalisePhone(`${' '.repeat(20)}13812345678${' '.repeat(20)}`)).toMatchObject({ ok: true, e164: E164 });
    expect(normalisePhone('138 1234 5678 ext 1')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(normalisePhone('+86+13812345678')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(normalisePhone('13812345678+')).toEqual({ ok: false, reason: 'not-a-number' });
  });

  it('refuses a mainland landline (mobile-only metadata: it is not valid) and an invalid international number', () => {
    expect(normalisePhone('01082951332')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('+861082951332')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('+1415555')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('+99912345678')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keys a callable sender by its E.164 number and anything else by its trimmed, lower-case text', () => {
    expect(phoneKeyOf('138 1234 5678')).toBe(E164);
    expect(phoneKeyOf(' TWILIO ')).toBe('twilio');
    expect(phoneKeyOf('１０６９')).toBe('1069');
  });
});

describe('reference codes', () => {
  it('makes 4-digit reference codes that are easy to say', () => {
    for (const code of ['1111', '0123', '1234', '9876', '1123', '123', '12a4', '12121']) expect(isSpeakableCode(code)).toBe(false);
    for (const code of ['2580', '3719', '1213', '9042']) expect(isSpeakableCode(code)).toBe(true);
    // Every value a random source can give ends in a speakable code.
    let i = 0;
    const sweep = () => (i++ % 9000) / 9000;
    const codes = new Set(Array.from({ length: 9000 }, () => generateReferenceCode(sweep)));
    for (const code of codes) expect(code).toMatch(/^[1-9]\d{3}$/);
    expect([...codes].every(isSpeakableCode)).toBe(true);
    expect(codes.size).toBeGreaterThan(3000);
    expect(generateReferenceCode(() => 0.5)).toBe(generateReferenceCode(() => 0.5));
  });

  it('refuses a double at any place and a straight run either way, but not a partial run', () => {
    for (const code of ['1213', '2123', '1232', '9897', '1235', '5431', '1243']) expect(isSpeakableCode(code), code).toBe(true);
    for (const code of ['2213', '2113', '2133', '1121', '2345', '6543', '1213a', ' 1213', '1213 ']) expect(isSpeakableCode(code), code).toBe(false);
  });

  it('draws again while the source gives an unspeakable code, and falls back to a fixed one when it never stops', () => {
    const values = [0.5, 0.2, 0.25];
    expect(generateReferenceCode(() => values.shift() ?? 0)).toBe('3250');
    expect(generateReferenceCode(() => 0.13)).toBe('2170');
    let draws = 0;
    expect(generateReferenceCode(() => (draws++, 0))).toBe('2580');
    expect(draws).toBe(50);
  });
});

describe('how a status moves', () => {
  it('leaves a request done after any outcome but no-answer, and open until the last allowed miss', () => {
    for (const outcome of ['reached', 'wrong-number', 'declined'] as const) expect(statusAfterOutcome(outcome, 5, 3)).toBe('done');
    expect(statusAfterOutcome('no-answer')).toBe('open');
    expect(statusAfterOutcome('no-answer', 1, 3)).toBe('open');
    expect(statusAfterOutcome('no-answer', 2, 3)).toBe('unreached');
    expect(statusAfterOutcome('no-answer', CALLBACK_DEFAULTS.maxAttempts - 1)).toBe('unreached');
    expect(statusAfterOutcome('no-answer', 0, 1)).toBe('unreached');
  });

  const LEASE_START = '2026-11-28T06:00:00.000Z';
  const open = { status: 'open' as const, version: 3 };
  const unreached = { status: 'unreached' as const, version: 3 };
  const done = { status: 'done' as const, version: 3 };
  const heldBy = (staff: string, claimedAt = '2026-11-28T07:00:00.000Z') => ({ status: 'claimed' as const, claimedBy: staff, claimedAt, version: 3 });

  it('lets anyone claim an open or unreached request, unless their version is stale', () => {
    for (const current of [open, unreached]) {
      expect(conflictFor(current, 'claim', 'alice', undefined, LEASE_START)).toBeNull();
      expect(conflictFor(current, 'claim', 'alice', 3, LEASE_START)).toBeNull();
      expect(conflictFor(current, 'claim', 'alice', 2, LEASE_START)).toBe('stale');
    }
  });

  it("refuses a claim on another's claim until it lapses, and lets the holder claim again", () => {
    expect(conflictFor(heldBy('bob'), 'claim', 'alice', undefined, LEASE_START)).toBe('claimed-by-other');
    expect(conflictFor(heldBy('alice'), 'claim', 'alice', undefined, LEASE_START)).toBeNull();
    expect(conflictFor(heldBy('bob', '2026-11-28T05:59:59.999Z'), 'claim', 'alice', undefined, LEASE_START)).toBeNull();
    expect(conflictFor(heldBy('bob', LEASE_START), 'claim', 'alice', undefined, LEASE_START)).toBe('claimed-by-other');
    expect(conflictFor(heldBy('bob', '2026-11-28T05:00:00.000Z'), 'claim', 'alice', 2, LEASE_START)).toBe('stale');
  });

  it('lets only the holder release or record an outcome, and nobody act on a closed request', () => {
    for (const action of ['release', 'outcome'] as const) {
      expect(conflictFor(heldBy('alice'), action, 'alice', undefined, LEASE_START)).toBeNull();
      expect(conflictFor(heldBy('alice'), action, 'alice', 3, LEASE_START)).toBeNull();
      expect(conflictFor(heldBy('alice'), action, 'alice', 4, LEASE_START)).toBe('stale');
      // A lapsed claim is still the holder's to close: lapsing only lets others take it over.
      expect(conflictFor(heldBy('bob', '2026-11-28T05:00:00.000Z'), action, 'alice', undefined, LEASE_START)).toBe('claimed-by-other');
      expect(conflictFor(open, action, 'alice', undefined, LEASE_START)).toBe('not-claimed');
      expect(conflictFor(unreached, action, 'alice', undefined, LEASE_START)).toBe('not-claimed');
      expect(conflictFor(done, action, 'alice', undefined, LEASE_START)).toBe('closed');
    }
    expect(conflictFor(done, 'claim', 'alice', undefined, LEASE_START)).toBe('closed');
  });
});

describe('claims and their lease', () => {
  const now = Date.parse('2026-11-28T08:00:00.000Z');

  it('starts the lease two hours (or the given minutes) before now', () => {
    expect(DEFAULT_CLAIM_LEASE_MINUTES).toBe(120);
    expect(claimLeaseStart(now)).toBe('2026-11-28T06:00:00.000Z');
    expect(claimLeaseStart(now, 15)).toBe('2026-11-28T07:45:00.000Z');
  });

  it('lapses a claim taken before the lease start, never one without a time', () => {
    const start = claimLeaseStart(now);
    expect(claimLapsed({ claimedAt: '2026-11-28T05:59:59.999Z' }, start)).toBe(true);
    expect(claimLapsed({ claimedAt: start }, start)).toBe(false);
    expect(claimLapsed({}, start)).toBe(false);
  });

  it('lets only the staff member named on a claimed request hold it', () => {
    expect(holdsClaim({ status: 'claimed', claimedBy: 'alice' }, 'alice')).toBe(true);
    expect(holdsClaim({ status: 'claimed', claimedBy: 'alice' }, 'bob')).toBe(false);
    expect(holdsClaim({ status: 'open', claimedBy: 'alice' }, 'alice')).toBe(false);
  });
});

describe('urgent requests', () => {
  it('are due from now for an hour, whatever the staff hours', () => {
    expect(urgentDue(new Date('2026-11-28T20:30:00.000Z'))).toEqual({ from: '2026-11-28T20:30:00.000Z', until: '2026-11-28T21:30:00.000Z' });
  });
});

describe('cleaning what people write', () => {
  it('makes a question one line, stars long numbers but keeps short amounts, and cuts it at 140 characters with …', () => {
    expect(cleanQuestion(' 欠了3000，\n卡号 6222 0200 1234 5678\t怎么办 ')).toBe('欠了3000， 卡号 **** **** **** **** 怎么办');
    expect(cleanQuestion('\u0000\u001f\u007f')).toBeUndefined();
    expect(cleanQuestion(undefined)).toBeUndefined();
    expect(cleanQuestion('问'.repeat(140))).toBe('问'.repeat(140));
    expect(cleanQuestion('问'.repeat(141))).toBe(`${'问'.repeat(139)}…`);
    expect(LIMITS.question).toBe(140);
  });

  it('stars every digit without keepAmounts, and cuts by code point so an emoji is never split', () => {
    expect(cleanText('欠3000', 10)).toBe('欠****');
    expect(cleanText('😭😭😭', 2)).toBe('😭…');
    expect(cleanText('😭😭', 2)).toBe('😭😭');
    expect(cleanText('a\r\nb', 10)).toBe('a b');
  });

  it('keeps a label or the words callers heard only when short enough, trimmed, without control characters', () => {
    expect(cleanLabel(' ｍｏｒｎｉｎｇ\u0007 ', 40)).toBe('morning');
    expect(cleanLabel('x'.repeat(40), 40)).toBe('x'.repeat(40));
    expect(cleanLabel('x'.repeat(41), 40)).toBeNull();
    expect(cleanLabel(' \u0000 ', 40)).toBeNull();
    expect(cleanWords('晚上七点到九点，', 40)).toBe('晚上七点到九点，');
    expect(cleanWords('\u001b晚上\u007f', 40)).toBe('晚上');
  });

  it('keeps at most 20 different topic ids, each cleaned', () => {
    expect(cleanTopics([' negotiate ', 'negotiate', '', 'x'.repeat(61), 'evidence'])).toEqual(['negotiate', 'evidence']);
    expect(cleanTopics(Array.from({ length: 25 }, (_, i) => `t${i}`))).toHaveLength(20);
  });

  it('keeps a note on its lines, masks phone numbers in it and cuts it at 1000 characters', () => {
    expect(cleanNote(' 回拨 13812345678\n明天再打\u0007 ')).toBe('回拨 138****5678\n明天再打');
    expect(cleanNote(' \u0000 ')).toBeUndefined();
    expect(cleanNote(undefined)).toBeUndefined();
    expect(cleanNote('记'.repeat(1001))).toBe('记'.repeat(1000));
  });
});

describe('list cursors', () => {
  it('take only the index key the store issues', () => {
    const cursor = { pk: 'REQ#abc', status: 'open', createdAt: '2026-11-28T08:00:00.000Z' };
    for (const status of ['open', 'claimed', 'unreached', 'done']) expect(cursorSchema.safeParse({ ...cursor, status }).success, status).toBe(true);
    expect(cursorSchema.safeParse({ ...cursor, status: 'lost' }).success).toBe(false);
    expect(cursorSchema.safeParse({ ...cursor, extra: 1 }).success).toBe(false);
    expect(cursorSchema.safeParse({ ...cursor, pk: 'x'.repeat(65) }).success).toBe(false);
    expect(cursorSchema.safeParse({ ...cursor, createdAt: 'x'.repeat(41) }).success).toBe(false);
  });
});

describe('callback settings from the environment', () => {
  it('reads positive numbers and falls back to the defaults for anything else', () => {
    expect(callbackSettingsFromEnv({})).toEqual(CALLBACK_DEFAULTS);
    expect(callbackSettingsFromEnv({ CALLBACK_RETENTION_DAYS: '7', SMS_REPLIES_PER_HOUR: '5', CALLBACKS_PER_DAY: '1', CALLBACK_MAX_ATTEMPTS: '2.6' })).toEqual({
      retentionDays: 7,
      smsRepliesPerHour: 5,
      callbacksPerDay: 1,
      maxAttempts: 3,
    });
    expect(callbackSettingsFromEnv({ CALLBACK_RETENTION_DAYS: '0', SMS_REPLIES_PER_HOUR: '-1', CALLBACKS_PER_DAY: 'many', CALLBACK_MAX_ATTEMPTS: 'Infinity' })).toEqual(CALLBACK_DEFAULTS);
  });

  it("takes the staff windows from the content and the days off from CALLBACK_DAYS_OFF", () => {
    const content = bundledContent();
    expect(staffCalendar(content, { CALLBACK_DAYS_OFF: 'sun,2027-02-17' })).toEqual({ windows: content.prompts.callback.windows, weekdaysOff: [7], datesOff: ['2027-02-17'] });
    expect(staffCalendar(content, {})).toEqual({ windows: content.prompts.callback.windows, weekdaysOff: [], datesOff: [] });
  });

  it('reads the per-number key secret from PHONE_KEY locally, and through the secrets extension when PHONE_KEY_SECRET names one', () => {
    expect(phoneKeyFromEnv({ PHONE_KEY: 'local-secret' })).toBe('local-secret');
    expect(phoneKeyFromEnv({ PHONE_KEY: '' })).toBeUndefined();
    expect(phoneKeyFromEnv({})).toBeUndefined();
    expect(typeof phoneKeyFromEnv({ PHONE_KEY_SECRET: 'hotline/phone-key', PHONE_KEY: 'ignored' })).toBe('function');
  });

  it('asks the secrets extension named in its settings for the per-number key once a day (it is never rotated)', async () => {
    let asked = 0;
    const extension = createServer((req, res) => {
      asked++;
      res.end(JSON.stringify({ SecretString: `key-${req.headers['x-aws-parameters-secrets-token']}` }));
    });
    await new Promise<void>((resolve) => extension.listen(0, '127.0.0.1', () => resolve()));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const env = { PHONE_KEY_SECRET: 'hotline/phone-key', PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((extension.address() as AddressInfo).port), AWS_SESSION_TOKEN: 'session' };
      const read = phoneKeyFromEnv(env) as () => Promise<string>;
      expect(await read()).toBe('key-session');
      vi.setSystemTime(Date.now() + 23 * 3_600_000);
      expect(await read()).toBe('key-session');
      expect(asked).toBe(1);
      vi.setSystemTime(Date.now() + 2 * 3_600_000);
      await read();
      expect(asked).toBe(2);
    } finally {
      vi.useRealTimers();
      await new Promise((resolve) => extension.close(resolve));
    }
  });
});

describe('staff hours', () => {
  const window = (id: string, from: string, until: string) => ({ id, label: id, word: id, from, until });

  it('reads days off in any order and separator, sorted, without repeats', () => {
    expect(parseDaysOff('2027-02-17;sun，2026-10-01、sat 6')).toEqual({ weekdaysOff: [6, 7], datesOff: ['2026-10-01', '2027-02-17'] });
  });

  it('reads window times, midnight only as an end, and refuses anything else', () => {
    expect(clockMinutes('09:30', false)).toBe(570);
    expect(clockMinutes('24:00', true)).toBe(1440);
    expect(clockMinutes('24:00', false)).toBeUndefined();
    for (const text of ['9:30', '09:30x', 'x09:30', '24:01', '12:60']) expect(clockMinutes(text, true), text).toBeUndefined();
  });

  it('checks every window: times, at least half an hour, no overlap; sorted by start', () => {
    expect(spansOf([window('late', '23:00', '24:00'), window('am', '09:00', '09:30'), window('noon', '09:30', '12:00')]).map((s) => [s.id, s.start, s.end])).toEqual([
      ['am', 540, 570],
      ['noon', 570, 720],
      ['late', 1380, 1440],
    ]);
    expect(() => spansOf([window('a', '24:00', '24:00')])).toThrow('Callback window "a": times must be HH:MM (got 24:00–24:00)');
    expect(() => spansOf([window('b', '09:00', '25:00')])).toThrow('Callback window "b": times must be HH:MM');
    expect(() => spansOf([window('c', '09:00', '09:29')])).toThrow('Callback window "c" is shorter than 30 minutes');
    expect(() => spansOf([window('d', '09:00', '12:00'), window('e', '11:59', '13:00')])).toThrow('Callback windows "d" and "e" overlap');
  });

  it('finds a slot in windows listed out of order', () => {
    const reversed = { windows: [window('evening', '19:00', '21:00'), window('morning', '09:00', '12:00')], weekdaysOff: [], datesOff: [] };
    expect(slotFor({ any: true }, new Date('2026-12-02T23:00:00Z'), reversed)).toMatchObject({ from: '2026-12-03T01:00:00.000Z', until: '2026-12-03T13:00:00.000Z' });
  });
});
