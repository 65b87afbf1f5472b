import { afterEach, describe, expect, it } from 'vitest';
import { isValidGs1CheckDigit } from '../../src/domain/sscc.js';
import { countLocation } from '../../src/terminal/count-location.js';
import { getGenealogy } from '../../src/terminal/get-genealogy.js';
import { getVariance } from '../../src/terminal/get-variance.js';
import { listAnomalies } from '../../src/terminal/list-anomalies.js';
import { listReplenishment } from '../../src/terminal/list-replenishment.js';
import { mountHu } from '../../src/terminal/mount-hu.js';
import { renderHuLabel } from '../../src/terminal/render-hu-label.js';
import { returnHu } from '../../src/terminal/return-hu.js';
import { transferHu } from '../../src/terminal/transfer-hu.js';
import { trueUpHu } from '../../src/terminal/true-up-hu.js';
import { aPlant, expectOk, handler, operator, supervisor, type TestTerminal } from '../fixtures/test-plant.js';

let t: TestTerminal | undefined;
afterEach(() => t?.close());

const totalOf = (tt: TestTerminal, material: string) =>
  (tt.db.prepare(`SELECT coalesce(sum(quantity_minor), 0) AS q FROM handling_unit WHERE material = ? AND state IN ('available', 'mounted')`).get(material) as { q: number }).q;

describe('splits and returns', () => {
  it('a split of 1,500 m moves 400 m into a new HU with its own SSCC, same batch and expiry, linked to its parent', () => {
    t = aPlant().material('RIM', { baseUom: 'M' }).hu('HU-ROLL', 'RIM', 1500, { location: 'WH', batch: 'R261103', expiry: '2027-03-31' }).open();
    const moved = expectOk(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 400 }));
    expect(moved.split).toBe(true);
    expect(isValidGs1CheckDigit(moved.hu)).toBe(true);
    const rows = t.db.prepare('SELECT id, location, quantity_minor, batch, expiry, parent FROM handling_unit ORDER BY quantity_minor').all();
    expect(rows).toEqual([
      { id: moved.hu, location: 'ML1', quantity_minor: 40000, batch: 'R261103', expiry: '2027-03-31', parent: 'HU-ROLL' },
      { id: 'HU-ROLL', location: 'WH', quantity_minor: 110000, batch: 'R261103', expiry: '2027-03-31', parent: null },
    ]);
    expect(totalOf(t, 'RIM')).toBe(150000);
    expect(t.check().problems).toEqual([]);
  });

  it('a split sent again with the same requestId (its answer was lost) splits once and answers the same new HU', () => {
    t = aPlant().material('RIM', { baseUom: 'M' }).hu('HU-ROLL', 'RIM', 1500, { location: 'WH' }).open();
    const requestId = '7d3c1f9e-2b4a-4c1d-9e8f-0a1b2c3d4e5f';
    const first = expectOk(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 400, requestId }));
    const again = expectOk(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 400, requestId }));
    expect({ postingId: again.postingId, hu: again.hu, split: again.split }).toEqual({ postingId: first.postingId, hu: first.hu, split: true });
    expect(t.huQuantity('HU-ROLL')).toBe(1100);
    expect(t.db.prepare(`SELECT count(*) AS n FROM posting WHERE kind = 'transfer'`).get()).toEqual({ n: 1 });
    // The same id for another move is a client bug: refused, nothing posted.
    expect(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 300, requestId })).toMatchObject({ ok: false, error: { code: 'request-id-reused', status: 409 } });
    expect(returnHu(t.ctx, handler, { hu: first.hu, to: 'WH', requestId })).toMatchObject({ ok: false, error: { code: 'request-id-reused' } });
    expect(t.huQuantity('HU-ROLL')).toBe(1100);
    expect(t.check().problems).toEqual([]);
  });

  it('renders a GS1-128 label for the new HU: SSCC, GTIN, count, length in metres, batch, and readable text', () => {
    t = aPlant().material('RIM', { baseUom: 'M', description: 'Rim base 40 mm', gtin: '04012345000107' }).hu('HU-ROLL', 'RIM', 1500, { location: 'WH', batch: 'R261103' }).open();
    t.db.prepare(`UPDATE material SET gtin = '04012345000108' WHERE id = 'RIM'`).run();
    const moved = expectOk(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 400 }));
    expect(moved.label).toMatchObject({ elementString: `(00)${moved.hu}(02)04012345000108(37)1(3112)040000(10)R261103` });
    const svg = moved.label && 'svg' in moved.label ? moved.label.svg : '';
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const text of ['RIM Rim base 40 mm', '400 M', 'Batch R261103', `SSCC ${moved.hu}`]) expect(svg).toContain(`>${text}</text>`);
    // A GTIN with a wrong check digit is left out rather than printed.
    t.db.prepare(`UPDATE material SET gtin = '04012345000107' WHERE id = 'RIM'`).run();
    expect(expectOk(renderHuLabel(t.ctx, moved.hu)).elementString).toBe(`(00)${moved.hu}(10)R261103`);
    expect(renderHuLabel(t.ctx, 'HU-ROLL')).toMatchObject({ ok: false, error: { code: 'not-an-sscc' } });
  });

  it('refuses a split of more than the HU holds, of a negative, NaN or too precise quantity, each with its own code', () => {
    t = aPlant().material('RIM', { baseUom: 'M' }).hu('HU-ROLL', 'RIM', 1500, { location: 'WH' }).open();
    const before = t.balances();
    expect(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 1600 })).toMatchObject({ ok: false, error: { code: 'exceeds-hu' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: -5 })).toMatchObject({ ok: false, error: { code: 'invalid-quantity' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: 10.005 })).toMatchObject({ ok: false, error: { code: 'invalid-quantity' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'ML1', quantity: Number.NaN })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-X', to: 'ML1', quantity: 5 })).toMatchObject({ ok: false, error: { code: 'unknown-hu' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-ROLL', to: 'NOWHERE', quantity: 5 })).toMatchObject({ ok: false, error: { code: 'unknown-location' } });
    expect(t.balances()).toEqual(before);
  });

  it('returns an HU from its machine to storage, taking it off the machine first; an empty HU is refused', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 100).hu('HU-2', 'RIM', 50).open();
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-1' }));
    expect(returnHu(t.ctx, handler, { hu: 'HU-1', to: 'ML1' })).toMatchObject({ ok: false, error: { code: 'not-a-storage-location' } });
    expectOk(returnHu(t.ctx, handler, { hu: 'HU-1', to: 'WH' }));
    expect(t.db.prepare(`SELECT location, state FROM handling_unit WHERE id = 'HU-1'`).get()).toEqual({ location: 'WH', state: 'available' });
    expect(returnHu(t.ctx, handler, { hu: 'HU-1', to: 'WH' })).toMatchObject({ ok: false, error: { code: 'not-at-machine' } });
    expectOk(t.confirm({ order: '1000', operation: '0010', good: 50 }));
    expect(returnHu(t.ctx, handler, { hu: 'HU-2', to: 'WH' })).toMatchObject({ ok: false, error: { code: 'hu-empty', message: 'The books say HU HU-2 is empty.' } });
  });
});

describe('true-ups and anomalies', () => {
  it('a roll reported empty while the books say 400 m: orders that consumed 300 m and 900 m since mounting get 100 m and 300 m', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('A', 5000).order('B', 5000).hu('HU-ROLL', 'RIM', 1600).hu('HU-OLD', 'RIM', 50).open();
    expectOk(t.confirm({ order: 'A', operation: '0010', good: 50 })); // before mounting: from HU-OLD, not counted
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-ROLL' }));
    expectOk(t.confirm({ order: 'A', operation: '0010', good: 300 }));
    expectOk(t.confirm({ order: 'B', operation: '0010', good: 900 }, { userId: 'op2', roles: ['operator'] }));
    expect(t.huQuantity('HU-ROLL')).toBe(400);
    const trued = expectOk(trueUpHu(t.ctx, operator, { hu: 'HU-ROLL', remaining: 0 }));
    expect(trued).toMatchObject({ difference: 400, uom: 'M', anomaly: true });
    expect(trued.attributed).toEqual([{ order: 'A', operation: '0010', quantity: 100 }, { order: 'B', operation: '0010', quantity: 300 }]);
    expect(t.huState('HU-ROLL')).toBe('empty');
    const anomalies = expectOk(listAnomalies(t.ctx, {})).entries;
    expect(anomalies).toMatchObject([{ kind: 'true-up', hu: 'HU-ROLL', material: 'RIM', difference: 400, consumedSince: 1200, orders: [{ order: 'A' }, { order: 'B' }], operators: ['op', 'op2'] }]);
    const variance = expectOk(getVariance(t.ctx, { order: 'B' })).rows;
    expect(variance).toEqual([{ order: 'B', product: 'LID', material: 'RIM', location: 'ML1', uom: 'M', standard: 900, actual: 1200, backflushed: 900, overridden: 0, lineScrap: 0, attributed: 300, variance: 300 }]);
    expect(t.check().problems).toEqual([]);
  });

  it('a weighed rest in kg is converted to metres; a small difference is no anomaly', () => {
    t = aPlant().material('RIM', { baseUom: 'M', alternativeUoms: [{ uom: 'KG', baseUomPerUnit: 31.25 }] }).component('RIM', 1).order('A', 5000).hu('HU-ROLL', 'RIM', 1000).open();
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-ROLL' }));
    expectOk(t.confirm({ order: 'A', operation: '0010', good: 600 }));
    const trued = expectOk(trueUpHu(t.ctx, operator, { hu: 'HU-ROLL', remaining: 12.64, uom: 'KG' })); // 395 m
    expect(trued).toMatchObject({ difference: 5, anomaly: false, attributed: [{ order: 'A', quantity: 5 }] });
    expect(t.huQuantity('HU-ROLL')).toBe(395);
    expect(trueUpHu(t.ctx, operator, { hu: 'HU-ROLL', remaining: 1, uom: 'L' })).toMatchObject({ ok: false, error: { code: 'unknown-uom' } });
    expect(trueUpHu(t.ctx, operator, { hu: 'HU-ROLL', remaining: -1 })).toMatchObject({ ok: false, error: { code: 'invalid-quantity' } });
    expect(trueUpHu(t.ctx, handler, { hu: 'HU-ROLL', remaining: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('counts', () => {
  it('a count at a machine location with three materials posts each difference and attributes it to the orders since the last count', () => {
    t = aPlant()
      .component('RIM', 1, { uom: 'M' })
      .component('LABEL', 1, { uom: 'M' })
      .component('GLUE', 0.01, { uom: 'KG' })
      .order('A', 5000)
      .order('B', 5000)
      .hu('HU-RIM', 'RIM', 1000)
      .hu('HU-LABEL', 'LABEL', 1000)
      .stock('GLUE', 50)
      .open();
    expectOk(t.confirm({ order: 'A', operation: '0010', good: 100 }));
    expectOk(t.confirm({ order: 'B', operation: '0010', good: 300 }));
    // Books: RIM 600 m, LABEL 600 m, GLUE 46 kg. Found: RIM 580, LABEL 600, GLUE 47.
    expect(countLocation(t.ctx, operator, { location: 'ML1', counts: [{ material: 'RIM', hu: 'HU-RIM', quantity: 580 }] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const counted = expectOk(
      countLocation(t.ctx, supervisor, {
        location: 'ML1',
        counts: [
          { material: 'RIM', hu: 'HU-RIM', quantity: 580 },
          { material: 'LABEL', hu: 'HU-LABEL', quantity: 600 },
          { material: 'GLUE', quantity: 47 },
        ],
      }),
    );
    expect(counted.differences).toEqual([
      { material: 'RIM', hu: 'HU-RIM', batch: null, book: 600, found: 580, difference: 20, uom: 'M' },
      { material: 'LABEL', hu: 'HU-LABEL', batch: null, book: 600, found: 600, difference: 0, uom: 'M' },
      { material: 'GLUE', hu: null, batch: null, book: 46, found: 47, difference: -1, uom: 'KG' },
    ]);
    // RIM: 20 m of 400 m consumed (> 2 %); GLUE: 1 kg is not above the one-base-unit floor.
    expect(counted.anomalies).toEqual(['RIM']);
    expect(t.huQuantity('HU-RIM')).toBe(580);
    expect(t.bulk('ML1', 'GLUE')).toBe(47);
    const attributed = t.db.prepare(`SELECT order_id, material, quantity_minor FROM consumption WHERE source = 'count' ORDER BY material, order_id`).all();
    expect(attributed).toEqual([
      { order_id: 'A', material: 'GLUE', quantity_minor: -250 },
      { order_id: 'B', material: 'GLUE', quantity_minor: -750 },
      { order_id: 'A', material: 'RIM', quantity_minor: 500 },
      { order_id: 'B', material: 'RIM', quantity_minor: 1500 },
    ]);
    // The next count attributes only what was consumed after this one.
    expectOk(t.confirm({ order: 'B', operation: '0010', good: 10 }));
    expectOk(countLocation(t.ctx, supervisor, { location: 'ML1', counts: [{ material: 'RIM', hu: 'HU-RIM', quantity: 569 }] }));
    expect(t.db.prepare(`SELECT order_id, quantity_minor FROM consumption WHERE source = 'count' AND material = 'RIM' ORDER BY rowid DESC LIMIT 1`).get()).toEqual({ order_id: 'B', quantity_minor: 100 });
    expect(countLocation(t.ctx, supervisor, { location: 'ML1', counts: [{ material: 'RIM', hu: 'HU-LABEL', quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'wrong-material' } });
    expect(countLocation(t.ctx, supervisor, { location: 'ML1', counts: [{ material: 'GLUE', quantity: 1 }, { material: 'GLUE', quantity: 2 }] })).toMatchObject({ ok: false, error: { code: 'duplicate-count-line' } });
    const misread = countLocation(t.ctx, supervisor, { location: 'ML1', counts: [{ material: 'RIM', hu: 'HU-RIM', batch: 'NOT-ITS-BATCH', quantity: 500 }] });
    expect(misread).toMatchObject({ ok: false, error: { code: 'wrong-batch', status: 409, message: expect.stringContaining('not NOT-ITS-BATCH') as unknown } });
    expect(t.check().problems).toEqual([]);
  });
});

describe('replenishment', () => {
  it('a task appears when stock falls to min, is covered by two transfers, and closes', () => {
    t = aPlant()
      .component('RIM', 1, { uom: 'M' })
      .order('A', 5000)
      .hu('HU-1', 'RIM', 700)
      .hu('WH-NEW', 'RIM', 1500, { location: 'WH', expiry: '2027-06-30' })
      .hu('WH-OLD', 'RIM', 1500, { location: 'WH', expiry: '2027-01-31' })
      .open();
    t.db.prepare(`INSERT INTO replenishment_rule (location, material, min_minor, max_minor) VALUES ('ML1', 'RIM', 50000, 300000)`).run();
    expectOk(t.confirm({ order: 'A', operation: '0010', good: 100 })); // 600 m left: above min
    expect(expectOk(listReplenishment(t.ctx)).tasks).toEqual([]);
    expectOk(t.confirm({ order: 'A', operation: '0010', good: 100 })); // 500 m: at min
    const [task] = expectOk(listReplenishment(t.ctx)).tasks;
    expect(task).toMatchObject({ location: 'ML1', material: 'RIM', quantity: 2500, uom: 'M' });
    expect(task?.proposedHus.map((h) => h.hu)).toEqual(['WH-OLD', 'WH-NEW']);
    expectOk(transferHu(t.ctx, handler, { hu: 'WH-OLD', to: 'ML1' }));
    expect(expectOk(listReplenishment(t.ctx)).tasks.map((x) => x.quantity)).toEqual([1000]);
    expectOk(transferHu(t.ctx, handler, { hu: 'WH-NEW', to: 'ML1', quantity: 1000 }));
    expect(expectOk(listReplenishment(t.ctx)).tasks).toEqual([]);
  });
});

describe('genealogy', () => {
  it('from a finished pallet back through a split to the storage HU, and forward again', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('A', 5000, { batch: 'L1' }).hu('STORE-1', 'RIM', 1500, { location: 'WH', batch: 'R1' }).open();
    const piece = expectOk(transferHu(t.ctx, handler, { hu: 'STORE-1', to: 'ML1', quantity: 400 })).hu;
    const pallet = expectOk(t.confirm({ order: 'A', operation: '0010', good: 300 })).output?.hu ?? '';
    const back = expectOk(getGenealogy(t.ctx, { hu: pallet })).inputs;
    expect(back).toEqual(
      expect.arrayContaining([
        { hu: piece, material: 'RIM', batch: 'R1', via: 'consumed', of: pallet },
        { hu: 'STORE-1', material: 'RIM', batch: 'R1', via: 'split', of: piece },
      ]),
    );
    const forward = expectOk(getGenealogy(t.ctx, { hu: 'STORE-1' })).outputs;
    expect(forward).toEqual(
      expect.arrayContaining([
        { hu: piece, material: 'RIM', batch: 'R1', via: 'split', of: 'STORE-1' },
        { hu: pallet, material: 'LID', batch: 'L1', via: 'consumed', of: piece },
      ]),
    );
    expect(expectOk(getGenealogy(t.ctx, { batch: 'R1' })).outputs.map((o) => o.hu)).toContain(pallet);
    expect(getGenealogy(t.ctx, { hu: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'unknown-hu' } });
  });
});
