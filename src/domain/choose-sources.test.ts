import { describe, expect, it } from 'vitest';
import { allocate, orderSources } from './choose-sources.js';
import type { StockSource } from './types.js';

const hu = (id: string, quantityMinor: number, arrivedAt: string, extra: Partial<StockSource> = {}): StockSource => ({
  location: 'ML', material: 'M', hu: id, batch: `B-${id}`, quantityMinor, mounted: false, arrivedAt, expiry: null, ...extra,
});
const bulk: StockSource = { location: 'ML', material: 'M', hu: null, batch: null, quantityMinor: 50, mounted: false, arrivedAt: null, expiry: null };

describe('HU order at a location', () => {
  it('takes the mounted HU first, then the oldest arrival, then stock without HU', () => {
    const order = orderSources([bulk, hu('new', 10, '2026-11-03'), hu('old', 10, '2026-11-01'), hu('mounted', 10, '2026-11-05', { mounted: true })]);
    expect(order.map((s) => s.hu)).toEqual(['mounted', 'old', 'new', null]);
  });

  it('takes the earliest expiry first where expiry dates exist', () => {
    const order = orderSources([
      hu('old-late-expiry', 10, '2026-11-01', { expiry: '2027-06-01' }),
      hu('new-early-expiry', 10, '2026-11-04', { expiry: '2027-01-01' }),
      hu('no-expiry', 10, '2026-10-01'),
    ]);
    expect(order.map((s) => s.hu)).toEqual(['new-early-expiry', 'old-late-expiry', 'no-expiry']);
  });

  it('leaves out empty sources', () => {
    expect(orderSources([hu('empty', 0, '2026-11-01'), hu('full', 5, '2026-11-02')]).map((s) => s.hu)).toEqual(['full']);
  });

  it('consumes HUs partly and marks the one it empties', () => {
    const a = hu('a', 30, '1');
    const b = hu('b', 100, '2');
    const { takes, shortfallMinor } = allocate([a, b], 50, new Map());
    expect(takes.map((t) => [t.source.hu, t.quantityMinor, t.emptiesHu])).toEqual([['a', 30, true], ['b', 20, false]]);
    expect(shortfallMinor).toBe(0);
  });

  it('reports the shortfall and shares what is left between lines of one posting', () => {
    const a = hu('a', 30, '1');
    const remaining = new Map<StockSource, number>();
    allocate([a], 20, remaining);
    const second = allocate([a], 20, remaining);
    expect(second.takes.map((t) => t.quantityMinor)).toEqual([10]);
    expect(second.shortfallMinor).toBe(10);
  });
});
