import { describe, expect, it } from 'vitest';
import { toMinor } from './quantity.js';
import { Rational } from './rational.js';

describe('exact quantities', () => {
  it('reads JSON numbers as the decimals they denote', () => {
    expect(Rational.fromNumber(0.3).n).toBe(3n);
    expect(Rational.fromNumber(1e-7).d).toBe(10_000_000n);
    expect(Rational.fromNumber(-2.5).round('halfUp')).toBe(-3n);
  });

  it('rounds half up and up', () => {
    expect(Rational.of(5, 2).round('halfUp')).toBe(3n);
    expect(Rational.of(24, 10).round('halfUp')).toBe(2n);
    expect(Rational.of(21, 10).round('up')).toBe(3n);
  });

  it('converts to minor units only when the UoM decimals allow it', () => {
    expect(toMinor(12.34, 2)).toBe(1234);
    expect(toMinor(12.345, 2)).toBeNull();
    expect(toMinor(Number.NaN, 2)).toBeNull();
    expect(toMinor(Number.POSITIVE_INFINITY, 0)).toBeNull();
  });
});
