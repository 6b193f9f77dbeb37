/** Generator time is days since 2019-01-01 00:00 UTC (the first day of the real data). */
export const DAY_MS = 86_400_000;
export const EPOCH_2019_MS = Date.UTC(2019, 0, 1);
const EPOCH_2019_DAYS = EPOCH_2019_MS / DAY_MS;

export interface CivilDate {
  year: number;
  /** 0..11 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0..365 */
  dayOfYear: number;
}

/**
 * Days since 2019-01-01 -> calendar date, without allocating a Date (Hinnant's algorithm);
 * called once per generated transaction.
 */
export function civilFromDays(days2019: number): CivilDate {
  const z = days2019 + EPOCH_2019_DAYS + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 2 : mp - 10;
  const year = yoe + era * 400 + (month <= 1 ? 1 : 0);
  const jan1 = daysFromCivil(year, 0, 1);
  return { year, month, day, dayOfYear: days2019 - jan1 };
}

/** Calendar date -> days since 2019-01-01. */
export function daysFromCivil(year: number, month: number, day: number): number {
  return Date.UTC(year, month, day) / DAY_MS - EPOCH_2019_DAYS;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** YYYY-MM-DD */
export function isoDate(days2019: number): string {
  const c = civilFromDays(days2019);
  return `${c.year}-${pad2(c.month + 1)}-${pad2(c.day)}`;
}

/** YYYY-MM-DD -> days since 2019-01-01. */
export function daysOfIso(date: string): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}
