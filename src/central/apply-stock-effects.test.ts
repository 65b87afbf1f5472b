import { describe, expect, it } from 'vitest';
import type { Effect } from '../domain/effects.js';
import { applyStockEffects, bulkRowKey, stockKeysOf, type CentralHu, type StockView } from './apply-stock-effects.js';

const units = (material: string) => (material === 'RIM' ? { decimals: 2, uom: 'M' } : material === 'GLUE' ? { decimals: 3, uom: 'KG' } : undefined);

function view(...hus: Partial<CentralHu>[]): StockView {
  return {
    hus: new Map(hus.map((h) => [h.id ?? 'HU', { id: 'HU', material: 'RIM', batch: null, expiry: null, location: 'ML1', quantityMinor: 10_000, state: 'available', parent: null, ...h }])),
    bulk: new Map([[bulkRowKey('ML1', 'GLUE', null), { location: 'ML1', material: 'GLUE', batch: null, quantityMinor: 5000 }]]),
  };
}

const posting = (seq: number, effects: Effect[], terminal = 'T2') => ({ id: `p-${terminal}-${seq}`, terminal, seq, effects });
const take = (hu: string, minor: number, location = 'ML1'): Effect => ({ t: 'hu-quantity', hu, deltaMinor: -minor, location, for: { order: '1000', operation: '0010' } });

describe('applyStockEffects', () => {
  it('applies takes, moves, states and bulk changes without exceptions when they agree with the central', () => {
    const v = view({ id: 'HU-1' });
    const changes = applyStockEffects(v, [
      posting(1, [take('HU-1', 2500), { t: 'bulk-quantity', location: 'ML1', material: 'GLUE', batch: null, deltaMinor: -1000 }]),
      posting(2, [{ t: 'hu-move', hu: 'HU-1', from: 'ML1', to: 'WH' }, { t: 'hu-state', hu: 'HU-1', from: 'available', to: 'mounted' }]),
    ], units);
    expect(changes.exceptions).toEqual([]);
    expect(v.hus.get('HU-1')).toMatchObject({ quantityMinor: 7500, location: 'WH', state: 'mounted' });
    expect([...(changes.hus.get('HU-1')?.locations ?? [])].sort()).toEqual(['ML1', 'WH']);
    expect(changes.bulk.get(bulkRowKey('ML1', 'GLUE', null))?.quantityMinor).toBe(4000);
  });

  it('a take below zero is kept and raises one double-consumption, not one per effect', () => {
    const v = view({ id: 'HU-1', quantityMinor: 0, state: 'empty' });
    const changes = applyStockEffects(v, [posting(4, [take('HU-1', 10_000), { t: 'hu-state', hu: 'HU-1', from: 'available', to: 'empty' }])], units);
    expect(v.hus.get('HU-1')).toMatchObject({ quantityMinor: -10_000, state: 'empty' });
    expect(changes.exceptions).toEqual([{
      kind: 'double-consumption', terminal: 'T2', seq: 4, postingId: 'p-T2-4', hu: 'HU-1', location: 'ML1', material: 'RIM',
      message: 'T2 (posting 4) took 100 M from HU HU-1, which held 0 M at the central: it was consumed more than once (now -100 M).',
    }]);
  });

  it('a take or move where the central does not have the HU is applied and reported', () => {
    const v = view({ id: 'HU-1', location: 'WH' });
    const changes = applyStockEffects(v, [posting(1, [take('HU-1', 100)]), posting(2, [{ t: 'hu-move', hu: 'HU-1', from: 'ML1', to: 'ML2' }])], units);
    expect(changes.exceptions.map((x) => [x.kind, x.seq, x.location])).toEqual([['hu-elsewhere', 1, 'ML1'], ['hu-elsewhere', 2, 'ML1']]);
    expect(v.hus.get('HU-1')).toMatchObject({ quantityMinor: 9900, location: 'ML2' });
    expect([...(changes.hus.get('HU-1')?.locations ?? [])].sort()).toEqual(['ML2', 'WH']);
  });

  it('an unknown HU is reported once per posting and left out; one created twice keeps its quantity', () => {
    const v = view({ id: 'HU-1' });
    const changes = applyStockEffects(v, [
      posting(1, [take('GHOST', 100), { t: 'hu-state', hu: 'GHOST', from: 'available', to: 'empty' }]),
      posting(2, [{ t: 'hu-create', hu: 'HU-1', material: 'RIM', batch: 'B', expiry: null, location: 'ML2', parent: null }]),
    ], units);
    expect(changes.exceptions.map((x) => [x.kind, x.hu])).toEqual([['unknown-hu', 'GHOST'], ['hu-created-twice', 'HU-1']]);
    expect(v.hus.has('GHOST')).toBe(false);
    expect(v.hus.get('HU-1')).toMatchObject({ quantityMinor: 10_000, location: 'ML2', batch: 'B' });
  });

  it('bulk stock going below zero is reported when it crosses zero, not again while it stays negative', () => {
    const v = view();
    const glue = (minor: number): Effect => ({ t: 'bulk-quantity', location: 'ML1', material: 'GLUE', batch: null, deltaMinor: -minor });
    const changes = applyStockEffects(v, [posting(1, [glue(3000)]), posting(2, [glue(3000)]), posting(3, [glue(1000)])], units);
    expect(changes.exceptions.map((x) => [x.kind, x.seq, x.message])).toEqual([
      ['negative-stock', 2, 'T2 (posting 2) took 3 KG of GLUE at ML1, where the central had 2 KG: the stock is now -1 KG.'],
    ]);
    expect(changes.bulk.get(bulkRowKey('ML1', 'GLUE', null))?.quantityMinor).toBe(-2000);
  });

  it('names the HUs and bulk rows a batch touches, once each', () => {
    expect(stockKeysOf([posting(1, [take('A', 1), take('A', 1), { t: 'bulk-quantity', location: 'L', material: 'M', batch: null, deltaMinor: 1 }, { t: 'progress', order: 'O', operation: '0010', goodMinor: 1, scrapMinor: 0 }])]))
      .toEqual({ hus: ['A'], bulk: [{ location: 'L', material: 'M', batch: '' }] });
  });
});
