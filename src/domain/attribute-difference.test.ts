import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeDifference, isAnomaly } from './attribute-difference.js';

describe('attributing a difference to the orders that consumed', () => {
  it('a roll empty while the books say 400 m: orders that took 300 m and 900 m get 100 m and 300 m', () => {
    const shares = attributeDifference(40000, [
      { order: 'A', operation: '0010', quantityMinor: 30000 },
      { order: 'B', operation: '0010', quantityMinor: 90000 },
    ]);
    expect(shares.map((s) => [s.order, s.shareMinor])).toEqual([['A', 10000], ['B', 30000]]);
  });

  it('is exact in whole minor units: 10 over three equal consumers is 4 + 3 + 3', () => {
    const shares = attributeDifference(10, [1, 1, 1].map((q, i) => ({ order: `O${i}`, operation: '0010', quantityMinor: q })));
    expect(shares.map((s) => s.shareMinor)).toEqual([4, 3, 3]);
  });

  it('property: the attributed sum equals the difference, with the sign of the difference', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 12 }), (difference, weights) => {
        const shares = attributeDifference(difference, weights.map((q, i) => ({ order: `O${i}`, operation: '0010', quantityMinor: q })));
        expect(shares.reduce((s, x) => s + x.shareMinor, 0)).toBe(difference);
        for (const s of shares) expect(Math.sign(s.shareMinor)).toBe(Math.sign(difference));
      }),
      { numRuns: 500 },
    );
  });

  it('nothing to attribute to when nothing was consumed', () => {
    expect(attributeDifference(500, [])).toEqual([]);
  });
});

describe('anomalies', () => {
  it('a difference above 2 % of what was consumed since, and above one base unit, is an anomaly', () => {
    expect(isAnomaly(40000, 120000, 2, 2)).toBe(true); // 400 m missing of 1,200 m consumed
    expect(isAnomaly(2400, 120000, 2, 2)).toBe(false); // exactly 2 %: not above
    expect(isAnomaly(2401, 120000, 2, 2)).toBe(true);
    expect(isAnomaly(-1, 10, 2, 0)).toBe(false); // never less than one base unit
    expect(isAnomaly(-2, 10, 2, 0)).toBe(true);
  });
});
