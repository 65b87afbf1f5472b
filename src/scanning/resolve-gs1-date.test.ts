import { describe, expect, it } from 'vitest';
import { resolveGs1Date, resolveGs1Year } from './resolve-gs1-date.js';

describe('resolveGs1Year: within 49 years back and 50 ahead of now', () => {
  it.each([
    [2026, 0, 2000],
    [2026, 76, 2076],
    [2026, 77, 1977],
    [2026, 99, 1999],
    [2060, 10, 2110],
    [2060, 11, 2011],
    [2060, 0, 2100],
    [2099, 48, 2148],
    [2099, 50, 2050],
    [2001, 51, 2051],
    [2001, 52, 1952],
  ])('in %i, YY %i is %i', (nowYear, yy, year) => {
    expect(resolveGs1Year(yy, nowYear)).toBe(year);
  });
});

describe('resolveGs1Date', () => {
  it('gives the ISO date, day 00 as the last day of the month', () => {
    expect(resolveGs1Date('261121', 2026)).toBe('2026-11-21');
    expect(resolveGs1Date('280200', 2026)).toBe('2028-02-29');
    expect(resolveGs1Date('270200', 2026)).toBe('2027-02-28');
    expect(resolveGs1Date('261200', 2026)).toBe('2026-12-31');
  });

  it('is null for what is no date', () => {
    expect(resolveGs1Date('261131', 2026)).toBeNull();
    expect(resolveGs1Date('261321', 2026)).toBeNull();
    expect(resolveGs1Date('26112', 2026)).toBeNull();
    expect(resolveGs1Date('000229', 2060)).toBeNull();
  });
});
