// GS1 dates: YYMMDD with the century rule of the GS1 General Specifications (7.12), day 00 = last day of the month.

/**
 * The full year of a two-digit year: the one within 49 years before and 50 years after `nowYear`.
 * With nowYear 2026: 76 → 2076, 77 → 1977, 00 → 2000.
 */
export function resolveGs1Year(yy: number, nowYear: number): number {
  const current = nowYear % 100;
  const century = nowYear - current;
  const diff = yy - current;
  if (diff >= 51) return century - 100 + yy;
  if (diff > -50) return century + yy;
  return century + 100 + yy;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(month: number, leap: boolean): number {
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/** ISO date (YYYY-MM-DD) of a valid YYMMDD or YYMM00 value; null when it is no date. */
export function resolveGs1Date(yymmdd: string, nowYear: number): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const year = resolveGs1Year(Number(yymmdd.slice(0, 2)), nowYear);
  const month = Number(yymmdd.slice(2, 4));
  let day = Number(yymmdd.slice(4, 6));
  const last = daysInMonth(month, isLeapYear(year));
  if (last === 0 || day > last) return null;
  if (day === 0) day = last;
  return `${String(year).padStart(4, '0')}-${yymmdd.slice(2, 4)}-${String(day).padStart(2, '0')}`;
}
