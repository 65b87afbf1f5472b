import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, isValidGs1CheckDigit, makeSscc } from './sscc.js';

describe('SSCC', () => {
  it('computes the GS1 check digit of the contract example 340123450000000017', () => {
    expect(gs1CheckDigit('34012345000000001')).toBe(7);
    expect(isValidGs1CheckDigit('340123450000000017')).toBe(true);
    expect(isValidGs1CheckDigit('340123450000000018')).toBe(false);
  });

  it('builds 18 digits: extension digit, company prefix, serial reference, check digit', () => {
    const sscc = makeSscc('4012345', 1_000_000_042);
    expect(sscc).toBe('140123450000000421'.slice(0, 17) + String(gs1CheckDigit('14012345000000042')));
    expect(sscc).toHaveLength(18);
    expect(isValidGs1CheckDigit(sscc)).toBe(true);
  });

  it('refuses a serial outside the prefix capacity', () => {
    expect(() => makeSscc('4012345', 10_000_000_000)).toThrow(RangeError);
  });
});
