import { describe, expect, it } from 'vitest';
import type { HuState as CentralHu, StockChange } from '../api/sync.js';
import { bulkKey, emptyReplayState, replayEffects, type Effect } from '../domain/effects.js';
import { mergeCentralChanges, PendingStock, rebaseBulk, rebaseHu, type LocalStock } from './merge-central-changes.js';

const central = (patch: Partial<CentralHu> = {}): CentralHu => ({
  id: 'HU-1', material: 'RIM', batch: 'B1', expiry: null, location: 'ML1', quantityMinor: 100_000, state: 'available', parent: null, ...patch,
});
const huChange = (patch: Partial<CentralHu> = {}): StockChange => ({ kind: 'hu', hu: central(patch) });
const nothingLocal: LocalStock = { hu: () => undefined, bulk: () => undefined };

describe('rebaseHu', () => {
  it('is the central state when nothing is pending', () => {
    expect(rebaseHu(central())).toEqual({
      t: 'hu-set', hu: 'HU-1', material: 'RIM', batch: 'B1', expiry: null, location: 'ML1', quantityMinor: 100_000, state: 'available', parent: null,
    });
  });

  it('re-applies pending takes, moves and state changes in order on top of the central state', () => {
    // The central saw another terminal take 30,000; this terminal took 25,000 and then the rest it believed was there.
    const pending: Effect[] = [
      { t: 'hu-quantity', hu: 'HU-1', deltaMinor: -25_000 },
      { t: 'hu-move', hu: 'HU-1', from: 'WH', to: 'ML1' },
      { t: 'hu-quantity', hu: 'HU-1', deltaMinor: -75_000 },
      { t: 'hu-state', hu: 'HU-1', from: 'available', to: 'empty' },
    ];
    const stock = new PendingStock().add(pending);
    expect(rebaseHu(central({ location: 'WH', quantityMinor: 70_000 }), stock.hus.get('HU-1'))).toMatchObject({
      location: 'ML1', quantityMinor: -30_000, state: 'empty',
    });
  });
});

describe('rebaseBulk', () => {
  it('adds the pending deltas of the same location, material and batch', () => {
    const stock = new PendingStock().add([
      { t: 'bulk-quantity', location: 'TANK', material: 'GLUE', batch: null, deltaMinor: -1200 },
      { t: 'bulk-quantity', location: 'TANK', material: 'GLUE', batch: 'X', deltaMinor: -5 },
      { t: 'bulk-quantity', location: 'TANK', material: 'GLUE', batch: null, deltaMinor: -300 },
    ]);
    const change = { kind: 'bulk', location: 'TANK', material: 'GLUE', batch: null, quantityMinor: 10_000 } as const;
    expect(rebaseBulk(change, stock.bulk.get(bulkKey('TANK', 'GLUE', null)))).toEqual({
      t: 'bulk-set', location: 'TANK', material: 'GLUE', batch: null, quantityMinor: 8500,
    });
  });
});

describe('mergeCentralChanges', () => {
  it('gives one hu-set per HU, its last state in the page', () => {
    const effects = mergeCentralChanges([huChange({ quantityMinor: 9 }), huChange({ id: 'HU-2' }), huChange({ quantityMinor: 5 })], new PendingStock(), nothingLocal);
    expect(effects.map((e) => (e.t === 'hu-set' ? [e.hu, e.quantityMinor] : e.t))).toEqual([['HU-2', 100_000], ['HU-1', 5]]);
  });

  it('leaves out what this terminal already holds exactly so', () => {
    const same = rebaseHu(central());
    const local: LocalStock = {
      hu: (id) => (id === 'HU-1' ? same : undefined),
      bulk: (location) => (location === 'TANK' ? 700 : undefined),
    };
    const effects = mergeCentralChanges(
      [huChange(), huChange({ id: 'HU-2' }), { kind: 'bulk', location: 'TANK', material: 'GLUE', batch: null, quantityMinor: 700 }, { kind: 'bulk', location: 'ML1', material: 'GLUE', batch: null, quantityMinor: 0 }],
      new PendingStock(),
      local,
    );
    expect(effects.map((e) => (e.t === 'hu-set' ? e.hu : e.t))).toEqual(['HU-2']);
  });

  it('puts a parent before its child, and drops a parent this terminal cannot know', () => {
    const effects = mergeCentralChanges(
      [huChange({ id: 'CHILD', parent: 'PARENT' }), huChange({ id: 'ORPHAN', parent: 'ELSEWHERE' }), huChange({ id: 'PARENT' })],
      new PendingStock(),
      nothingLocal,
    );
    expect(effects.map((e) => (e.t === 'hu-set' ? [e.hu, e.parent] : e.t))).toEqual([['PARENT', null], ['CHILD', 'PARENT'], ['ORPHAN', null]]);
  });

  it('keeps a parent this terminal already has', () => {
    const local: LocalStock = { hu: (id) => (id === 'KNOWN' ? rebaseHu(central({ id: 'KNOWN' })) : undefined), bulk: () => undefined };
    expect(mergeCentralChanges([huChange({ id: 'CHILD', parent: 'KNOWN' })], new PendingStock(), local)).toMatchObject([{ hu: 'CHILD', parent: 'KNOWN' }]);
  });

  it('makes the local view equal central state + pending postings, whatever order they came in', () => {
    // This terminal's view before the pull: its old copy of HU-1 plus its pending take of 40,000.
    const pendingTake: Effect[] = [{ t: 'hu-quantity', hu: 'HU-1', deltaMinor: -40_000 }];
    const state = emptyReplayState();
    replayEffects(state, [{ t: 'hu-create', hu: 'HU-1', material: 'RIM', batch: 'B1', expiry: null, location: 'ML1', parent: null }, { t: 'hu-quantity', hu: 'HU-1', deltaMinor: 100_000 }], 'T0', 'load');
    replayEffects(state, pendingTake, 'T1', 'p1');
    // Meanwhile the central booked 30,000 from another terminal.
    const merged = mergeCentralChanges([huChange({ quantityMinor: 70_000 })], new PendingStock().add(pendingTake), nothingLocal);
    replayEffects(state, merged, 'T2', 'pull');
    expect(state.hus.get('HU-1')?.quantityMinor).toBe(30_000);
    // Once the central has the take too, the same rule gives its state unchanged.
    const after = mergeCentralChanges([huChange({ quantityMinor: 30_000 })], new PendingStock(), nothingLocal);
    replayEffects(state, after, 'T3', 'pull');
    expect(state.hus.get('HU-1')?.quantityMinor).toBe(30_000);
  });
});
