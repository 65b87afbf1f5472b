import { describe, expect, it } from 'vitest';
import { decideBackflush } from './decide-backflush.js';
import type { Material, OrderComponent } from './types.js';

const rows: [string, { posting: boolean; operation: boolean; component: boolean | null; material: Material['backflush']; workCenter: boolean }, boolean, string][] = [
  ['correction posting without backflush', { posting: false, operation: true, component: true, material: 'always', workCenter: true }, false, 'posting'],
  ['operation issued by hand', { posting: true, operation: false, component: true, material: 'always', workCenter: true }, false, 'operation'],
  ['component line says yes over a material that never backflushes', { posting: true, operation: true, component: true, material: 'never', workCenter: false }, true, 'component'],
  ['component line says no', { posting: true, operation: true, component: false, material: 'always', workCenter: true }, false, 'component'],
  ['inherited: material always', { posting: true, operation: true, component: null, material: 'always', workCenter: false }, true, 'material'],
  ['inherited: material never', { posting: true, operation: true, component: null, material: 'never', workCenter: true }, false, 'material'],
  ['inherited: work center decides yes', { posting: true, operation: true, component: null, material: 'workCenterDecides', workCenter: true }, true, 'workCenter'],
  ['inherited: work center decides no', { posting: true, operation: true, component: null, material: 'workCenterDecides', workCenter: false }, false, 'workCenter'],
];

describe('the four-level flag decision', () => {
  it.each(rows)('%s', (_name, levels, backflush, decidedBy) => {
    const component: OrderComponent = { line: 1, component: 'C', quantity: 1, operation: '0010', componentScrapPct: 0, backflush: levels.component, fixed: false, issueLocation: null };
    const decision = decideBackflush({
      postingBackflushes: levels.posting,
      operation: { operation: '0010', workCenter: 'WC', backflush: levels.operation },
      component,
      material: { id: 'C', baseUom: 'PC', decimals: 0, backflush: levels.material, rounding: 'halfUp', insufficientStock: null },
      workCenter: { id: 'WC', backflush: levels.workCenter, machineLocation: 'ML', outputLocation: 'ML' },
    });
    expect(decision).toEqual({ backflush, decidedBy });
  });
});
