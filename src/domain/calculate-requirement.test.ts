import { describe, expect, it } from 'vitest';
import { fixedRequirementMinor, variableRequirementMinor } from './calculate-requirement.js';
import type { Material, OrderComponent } from './types.js';

const component = (quantity: number, componentScrapPct = 0): OrderComponent => ({
  line: 1, component: 'C', quantity, operation: '0010', componentScrapPct, backflush: null, fixed: false, issueLocation: null,
});
const material = (decimals: number, rounding: Material['rounding'] = 'halfUp'): Material => ({
  id: 'C', baseUom: decimals ? 'M' : 'PC', decimals, backflush: 'workCenterDecides', rounding, insufficientStock: null,
});

describe('required quantity of a variable component', () => {
  it('good 200 + scrap 20 with 10 % component scrap at 1:1 consumes 242', () => {
    const minor = variableRequirementMinor({
      component: component(1, 10), componentMaterial: material(0), productDecimals: 0, baseQuantity: 1, confirmedBeforeMinor: 0, confirmingMinor: 220,
    });
    expect(minor).toBe(242);
  });

  it('ten confirmations of 1 piece at 0.3 per piece consume 0,1,0,0,1,0,0,0,1,0 (halfUp, 0 decimals)', () => {
    const consumed = Array.from({ length: 10 }, (_, i) =>
      variableRequirementMinor({
        component: component(0.3), componentMaterial: material(0), productDecimals: 0, baseQuantity: 1, confirmedBeforeMinor: i, confirmingMinor: 1,
      }),
    );
    expect(consumed).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(consumed.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('rounds up for whole pieces with `up`', () => {
    const first = variableRequirementMinor({
      component: component(0.3), componentMaterial: material(0, 'up'), productDecimals: 0, baseQuantity: 1, confirmedBeforeMinor: 0, confirmingMinor: 1,
    });
    expect(first).toBe(1);
  });

  it('uses the BOM base quantity and the UoM decimals: 290 m per 1000 lids with 2 % scrap, 1000 lids → 295.80 m', () => {
    const minor = variableRequirementMinor({
      component: component(290, 2), componentMaterial: material(2), productDecimals: 0, baseQuantity: 1000, confirmedBeforeMinor: 0, confirmingMinor: 1000,
    });
    expect(minor).toBe(29580);
  });

  it('is exact where floating point is not (0.1 × 3 = 0.3, not 0.30000000000000004)', () => {
    const minor = variableRequirementMinor({
      component: component(0.1), componentMaterial: material(1), productDecimals: 0, baseQuantity: 1, confirmedBeforeMinor: 0, confirmingMinor: 3,
    });
    expect(minor).toBe(3);
  });

  it('a fixed component consumes its quantity, rounded in its UoM', () => {
    expect(fixedRequirementMinor({ ...component(12.345), fixed: true }, material(2))).toBe(1235);
  });
});
