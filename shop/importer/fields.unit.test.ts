import { describe, expect, it } from 'vitest';
import { parseCouponStatus, parseDate, parseGender, parseGst, parseMonth, parseNumber } from './fields.ts';

const value = <T>(p: { ok: true; value: T } | { ok: false; reason: string }) => (p.ok ? p.value : `!${p.reason}`);

describe('field parsers', () => {
  it('reads the three date formats of real copies (and Excel serials)', () => {
    expect(value(parseDate('2019-01-05'))).toBe('2019-01-05');
    expect(value(parseDate('1/5/2019'))).toBe('2019-01-05');
    expect(value(parseDate('20190105'))).toBe('2019-01-05');
    expect(value(parseDate('2019-01-05 00:00:00'))).toBe('2019-01-05');
    expect(value(parseDate('43470'))).toBe('2019-01-05');
    expect(value(parseDate('12/31/2019'))).toBe('2019-12-31');
  });

  it('rejects impossible and unreadable dates with a reason', () => {
    expect(value(parseDate('2019-02-29'))).toMatch(/no such date/);
    expect(value(parseDate('13/1/2019'))).toMatch(/no such date/);
    expect(value(parseDate('yesterday'))).toMatch(/unreadable date/);
  });

  it('reads gender as 남/여 or M/F', () => {
    expect(['남', '여', 'M', 'f', 'Female', '남성'].map((g) => value(parseGender(g)))).toEqual([
      'M',
      'F',
      'M',
      'F',
      'F',
      'M',
    ]);
    expect(value(parseGender('X'))).toMatch(/unknown gender/);
  });

  it('reads GST as a fraction or a percent string', () => {
    expect(['0.1', '10%', '18 %', '18', '0.05'].map((g) => value(parseGst(g)))).toEqual([0.1, 0.1, 0.18, 0.18, 0.05]);
    expect(value(parseGst('abc'))).toMatch(/not a number/);
  });

  it('reads coupon statuses and months in both languages', () => {
    expect(
      ['Used', 'Not Used', 'not_used', 'Clicked', '미사용', '사용'].map((c) => value(parseCouponStatus(c))),
    ).toEqual(['used', 'not_used', 'not_used', 'clicked', 'not_used', 'used']);
    expect(['Jan', 'january', '12', '3월', 'Sept'].map((m) => value(parseMonth(m)))).toEqual([1, 1, 12, 3, 9]);
    expect(value(parseMonth('13'))).toMatch(/unknown month/);
  });

  it('reads numbers with currency signs and thousands separators', () => {
    expect(value(parseNumber(' $1,234.5 ', 'price'))).toBe(1234.5);
    expect(value(parseNumber('-1', 'price'))).toMatch(/>= 0/);
  });
});
