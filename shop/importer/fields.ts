import type { CouponStatus, Gender } from '../shop-rows.ts';
import { decodeXml } from './xml-text.ts';

/**
 * Cell parsers for what real copies contain. Each returns the value or a reason string
 * (the importer reports "file:line: reason" and moves on).
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });
const pad = (n: number) => String(n).padStart(2, '0');

// Excel's day 0 is 1899-12-30 (it counts the 1900 leap day that never was).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** ISO (2019-01-01, optional time), M/D/YYYY, YYYYMMDD, YYYY/MM/DD or an Excel serial -> YYYY-MM-DD. */
export function parseDate(raw: string): Parsed<string> {
  const s = raw.trim();
  let m: RegExpExecArray | null;
  let y: number, mo: number, d: number;
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(s))) [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: [\d:]+(?: ?[AP]M)?)?$/i.exec(s)))
    [y, mo, d] = [+m[3]!, +m[1]!, +m[2]!];
  else if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
  else if (/^\d{5}(\.\d+)?$/.test(s)) {
    const date = new Date(EXCEL_EPOCH_MS + Math.floor(Number(s)) * 86_400_000);
    [y, mo, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  } else return bad(`unreadable date "${raw}" (expected YYYY-MM-DD, M/D/YYYY or YYYYMMDD)`);
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d)
    return bad(`no such date "${raw}"`);
  return ok(`${y}-${pad(mo)}-${pad(d)}`);
}

const GENDERS: Record<string, Gender> = {
  m: 'M',
  male: 'M',
  man: 'M',
  남: 'M',
  남성: 'M',
  남자: 'M',
  f: 'F',
  female: 'F',
  woman: 'F',
  여: 'F',
  여성: 'F',
  여자: 'F',
};

export function parseGender(raw: string): Parsed<Gender> {
  const g = GENDERS[raw.trim().toLowerCase()];
  return g ? ok(g) : bad(`unknown gender "${raw}" (expected M/F or 남/여)`);
}

const COUPONS: Record<string, CouponStatus> = {
  used: 'used',
  사용: 'used',
  사용함: 'used',
  사용완료: 'used',
  clicked: 'clicked',
  click: 'clicked',
  클릭: 'clicked',
  notused: 'not_used',
  unused: 'not_used',
  미사용: 'not_used',
  사용안함: 'not_used',
};

export function parseCouponStatus(raw: string): Parsed<CouponStatus> {
  const c = COUPONS[raw.toLowerCase().replace(/[\s_-]+/g, '')];
  return c ? ok(c) : bad(`unknown coupon status "${raw}" (expected Used, Clicked or Not Used)`);
}

/** Plain decimal; tolerates surrounding spaces, a currency sign and thousands separators. */
export function parseNumber(raw: string, what: string, min = 0, max = Infinity): Parsed<number> {
  const s = raw
    .trim()
    .replace(/^[$₩]/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const n = s === '' ? NaN : Number(s);
  if (!Number.isFinite(n)) return bad(`${what} is not a number: "${raw}"`);
  if (n < min) return bad(`${what} must be >= ${min}, got ${raw}`);
  if (n > max) return bad(`${what} above the limit ${max}, got ${raw}`);
  return ok(n);
}

export function parseInteger(raw: string, what: string, min = 0, max = Infinity): Parsed<number> {
  const n = parseNumber(raw, what, min, max);
  if (!n.ok) return n;
  return Number.isInteger(n.value) ? n : bad(`${what} must be a whole number, got "${raw}"`);
}

/** 0.18, "18%" or 18 -> 0.18 (a bare number above 1 is a percent). */
export function parseGst(raw: string): Parsed<number> {
  const s = raw.trim();
  const percent = s.endsWith('%');
  const n = parseNumber(percent ? s.slice(0, -1) : s, 'GST');
  if (!n.ok) return n;
  const value = percent || n.value > 1 ? n.value / 100 : n.value;
  return value <= 1 ? ok(Math.round(value * 1e6) / 1e6) : bad(`GST above 100%: "${raw}"`);
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** 1..12, "Jan"/"January", "1월". */
export function parseMonth(raw: string): Parsed<number> {
  const s = raw.trim().toLowerCase().replace(/월$/, '');
  const n = /^\d{1,2}$/.test(s) ? Number(s) : MONTH_NAMES.indexOf(s.slice(0, 3)) + 1;
  return n >= 1 && n <= 12 && (/^\d/.test(s) || MONTH_NAMES[n - 1] === s.slice(0, 3))
    ? ok(n)
    : bad(`unknown month "${raw}"`);
}

export function parseText(raw: string, what: string, maxLength: number): Parsed<string> {
  let s: string;
  try {
    s = decodeXml(raw.trim());
  } catch (err) {
    return bad(`${what}: ${(err as Error).message}`);
  }
  if (s === '') return bad(`${what} is empty`);
  if (s.length > maxLength) return bad(`${what} longer than ${maxLength} characters`);
  return ok(s);
}
