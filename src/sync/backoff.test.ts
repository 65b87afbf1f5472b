import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

const almostOne = () => 0.999_999;

describe('backoffDelay', () => {
  it('doubles its cap from 0.5 s per failure up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n, almostOne))).toEqual([499, 999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999]);
  });

  it('draws the whole wait at random below the cap (full jitter)', () => {
    expect(backoffDelay(4, () => 0)).toBe(0);
    expect(backoffDelay(4, () => 0.5)).toBe(2000);
    expect(backoffDelay(4, () => 0.25)).toBe(1000);
  });

  it('waits nothing before any failure, and stays finite after a week of failures', () => {
    expect(backoffDelay(0, almostOne)).toBe(0);
    expect(backoffDelay(100_000, almostOne)).toBe(DEFAULT_BACKOFF.maxMs - 1);
  });

  it('spreads terminals that failed together over the whole window', () => {
    let seed = 42;
    // A small LCG: the test needs many draws, not cryptographic ones.
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const waits = Array.from({ length: 1000 }, () => backoffDelay(7, random));
    expect(Math.min(...waits)).toBeLessThan(1000);
    expect(Math.max(...waits)).toBeGreaterThan(29_000);
    expect(new Set(waits.map((w) => Math.floor(w / 3000))).size).toBe(10);
  });

  it('follows given options', () => {
    expect(backoffDelay(3, almostOne, { baseMs: 10, maxMs: 25 })).toBe(24);
  });
});
