import { afterEach, describe, expect, it } from 'vitest';
import { isValidGs1CheckDigit } from '../../src/domain/sscc.js';
import { readGenealogyInputs, readGenealogyOutputs } from '../../src/store/read-genealogy.js';
import { previewConfirmation } from '../../src/terminal/preview-confirmation.js';
import { transferHu } from '../../src/terminal/transfer-hu.js';
import { mountHu } from '../../src/terminal/mount-hu.js';
import { aPlant, expectOk, handler, operator, supervisor, type TestTerminal } from '../fixtures/test-plant.js';

let t: TestTerminal | undefined;
afterEach(() => t?.close());

describe('worked examples of product.md', () => {
  it('good 200 + scrap 20 with 10 % component scrap and 1:1 quantity consumes 242', () => {
    t = aPlant().component('INSERT', 1, { componentScrapPct: 10 }).order('1000', 1000).hu('HU-1', 'INSERT', 5000).open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 200, scrap: 20, scrapReason: 'SETUP' }));
    expect(posted.lines).toMatchObject([{ component: 'INSERT', quantity: 242, standardQuantity: 242, hu: 'HU-1', decidedBy: 'workCenter' }]);
    expect(t.huQuantity('HU-1')).toBe(5000 - 242);
  });

  it('ten confirmations of 1 piece at 0.3 per piece consume 0,1,0,0,1,0,0,0,1,0 = 3 in total', () => {
    t = aPlant().component('CLIP', 0.3).material('CLIP', { rounding: 'halfUp' }).order('1000', 100).hu('HU-C', 'CLIP', 100).open();
    const consumed: number[] = [];
    for (let i = 0; i < 10; i++) {
      const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 1 }));
      consumed.push(posted.lines[0]?.quantity ?? NaN);
    }
    expect(consumed).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(t.huQuantity('HU-C')).toBe(97);
  });

  it('a fixed component is consumed once per order, at its first confirmation', () => {
    t = aPlant().component('TOOL-KIT', 5, { fixed: true }).order('1000', 1000).order('2000', 1000).hu('HU-T', 'TOOL-KIT', 100).open();
    const quantities = [
      expectOk(t.confirm({ order: '1000', operation: '0010', good: 10 })).lines[0]?.quantity,
      expectOk(t.confirm({ order: '1000', operation: '0010', good: 10 })).lines[0]?.quantity,
      expectOk(t.confirm({ order: '2000', operation: '0010', good: 10 })).lines[0]?.quantity,
    ];
    expect(quantities).toEqual([5, 0, 5]);
    expect(t.huQuantity('HU-T')).toBe(90);
  });

  it('components without operation are consumed at the last operation', () => {
    t = aPlant().operations({ operation: '0010' }, { operation: '0020' }).component('GLUE', 2, { operation: null }).order('1000', 100).stock('GLUE', 1000).open();
    expect(expectOk(t.confirm({ order: '1000', operation: '0010', good: 10 })).lines).toEqual([]);
    const last = expectOk(t.confirm({ order: '1000', operation: '0020', good: 10 }));
    expect(last.lines).toMatchObject([{ component: 'GLUE', quantity: 20, hu: null }]);
    expect(t.bulk('ML1', 'GLUE')).toBe(980);
  });

  it('the issue location of the component wins over the machine location', () => {
    t = aPlant().component('GLUE', 1.8, { uom: 'KG', issueLocation: 'TANK' }).bomBase(1000).order('1000', 10000).stock('GLUE', 100, { location: 'TANK' }).open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 1000 }));
    expect(posted.lines).toMatchObject([{ component: 'GLUE', quantity: 1.8, location: 'TANK', uom: 'KG' }]);
    expect(t.bulk('TANK', 'GLUE')).toBe(98.2);
  });

  it('takes the mounted HU first, then the oldest arrival, then stock without HU, and marks emptied HUs', () => {
    t = aPlant()
      .component('RIM', 1, { uom: 'M' })
      .order('1000', 1000)
      .hu('HU-OLD', 'RIM', 100, { location: 'WH' })
      .hu('HU-NEW', 'RIM', 100, { location: 'WH' })
      .hu('HU-MOUNTED', 'RIM', 50, { location: 'WH' })
      .stock('RIM', 500)
      .open();
    for (const hu of ['HU-OLD', 'HU-NEW', 'HU-MOUNTED']) expectOk(transferHu(t.ctx, handler, { hu, to: 'ML1' }));
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-MOUNTED' }));
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 260 }));
    expect(posted.lines[0]?.sources).toEqual([
      { hu: 'HU-MOUNTED', batch: null, location: 'ML1', quantity: 50, emptied: true, remaining: 0 },
      { hu: 'HU-OLD', batch: null, location: 'ML1', quantity: 100, emptied: true, remaining: 0 },
      { hu: 'HU-NEW', batch: null, location: 'ML1', quantity: 100, emptied: true, remaining: 0 },
      { hu: null, batch: null, location: 'ML1', quantity: 10, emptied: false, remaining: 490 },
    ]);
    expect([t.huState('HU-MOUNTED'), t.huState('HU-OLD'), t.huState('HU-NEW')]).toEqual(['empty', 'empty', 'empty']);
    expect(posted.warnings.filter((w) => w.code === 'hu-empty').map((w) => w.hu)).toEqual(['HU-MOUNTED', 'HU-OLD', 'HU-NEW']);
    expect(t.bulk('ML1', 'RIM')).toBe(490);
  });

  it('the preview shows exactly what the posting then posts, and writes nothing', () => {
    t = aPlant().component('RIM', 0.29, { uom: 'M', componentScrapPct: 2 }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    const input = { order: '1000', operation: '0010', good: 300, scrap: 0 };
    const before = t.balances();
    const preview = expectOk(previewConfirmation(t.ctx, operator, input));
    expect(t.balances()).toEqual(before);
    const posted = expectOk(t.confirm(input));
    expect(posted.lines).toEqual(preview.lines);
    expect(preview.lines[0]).toMatchObject({ quantity: 88.74, standardQuantity: 88.74, uom: 'M', hu: 'HU-1' });
    // The operator sees what stays on the roll.
    expect(preview.lines[0]?.sources).toEqual([{ hu: 'HU-1', batch: null, location: 'ML1', quantity: 88.74, emptied: false, remaining: 1411.26 }]);
  });

  it('line overrides replace the calculated quantity and line scrap is added; both recorded as such', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 100, overrides: [{ component: 'RIM', quantity: 104.5, lineScrap: 3 }] }, supervisor));
    expect(posted.lines[0]).toMatchObject({ standardQuantity: 100, overridden: true, lineScrap: 3, quantity: 107.5 });
    expect(t.huQuantity('HU-1')).toBe(1392.5);
  });

  it('an operator may not override lines unless the plant allows it', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    const refused = t.confirm({ order: '1000', operation: '0010', good: 10, overrides: [{ component: 'RIM', quantity: 11 }] }, operator);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', status: 403 } });
    t.close();
    t = aPlant().plant({ operatorMayOverrideLines: true }).component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    expect(expectOk(t.confirm({ order: '1000', operation: '0010', good: 10, overrides: [{ component: 'RIM', quantity: 11 }] }, operator)).lines[0]?.quantity).toBe(11);
  });

  it('a supervisor posts without backflush: nothing is consumed and the preview says the posting decided', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    expect(t.confirm({ order: '1000', operation: '0010', good: 10, backflush: false }, operator)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 10, backflush: false }, supervisor));
    expect(posted.lines[0]).toMatchObject({ backflush: false, decidedBy: 'posting', quantity: 0 });
    expect(t.huQuantity('HU-1')).toBe(1500);
  });

  it('an operation with backflush false issues nothing; a component line can switch itself off', () => {
    t = aPlant().operations({ operation: '0010', backflush: false }).component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    expect(expectOk(t.confirm({ order: '1000', operation: '0010', good: 10 })).lines[0]).toMatchObject({ backflush: false, decidedBy: 'operation' });
    expect(t.huQuantity('HU-1')).toBe(1500);
  });

  it('the last operation books the output HU with a valid SSCC, the order batch, and its genealogy', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000, { batch: 'L2611A' }).hu('HU-1', 'RIM', 1500, { batch: 'R1' }).open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 100, final: true }));
    expect(posted.output).toMatchObject({ material: 'LID', quantity: 100, batch: 'L2611A', location: 'ML1' });
    const hu = posted.output?.hu ?? '';
    expect(hu).toMatch(/^\d{18}$/);
    expect(hu.slice(1, 8)).toBe('4012345');
    expect(isValidGs1CheckDigit(hu)).toBe(true);
    expect(t.huQuantity(hu)).toBe(100);
    expect(readGenealogyInputs(t.db, hu)).toEqual([{ material: 'RIM', batch: 'R1', hu: 'HU-1' }]);
    expect(readGenealogyOutputs(t.db, { hu: 'HU-1' })).toEqual([{ hu, order: '1000', material: 'LID', batch: 'L2611A' }]);
    expect(readGenealogyOutputs(t.db, { material: 'RIM', batch: 'R1' }).map((o) => o.hu)).toEqual([hu]);
    const progress = t.db.prepare('SELECT final FROM operation_progress WHERE order_id = ?').get('1000');
    expect(progress).toEqual({ final: 1 });
  });

  it('each pallet holds what its order consumed up to that pallet, backlog retried later included', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 100, { batch: 'R1' }).hu('HU-2', 'RIM', 100, { batch: 'R2', location: 'WH' }).open();
    const first = expectOk(t.confirm({ order: '1000', operation: '0010', good: 120 })); // 100 from HU-1, 20 to backlog
    const firstHu = first.output?.hu ?? '';
    expectOk(transferHu(t.ctx, handler, { hu: 'HU-2', to: 'ML1' })); // the backlog is retried from HU-2
    const second = expectOk(t.confirm({ order: '1000', operation: '0010', good: 50 }));
    const secondHu = second.output?.hu ?? '';
    expect(readGenealogyInputs(t.db, firstHu).map((i) => i.hu)).toEqual(['HU-1', 'HU-2']);
    expect(readGenealogyInputs(t.db, secondHu).map((i) => i.hu)).toEqual(['HU-1', 'HU-2']);
    expect(readGenealogyOutputs(t.db, { material: 'RIM', batch: 'R2' }).map((o) => o.hu)).toEqual([firstHu, secondHu]);
    // Without backlog: a pallet made before an input arrives does not contain it.
    t.close();
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 100).hu('HU-2', 'RIM', 100, { location: 'WH' }).open();
    const early = expectOk(t.confirm({ order: '1000', operation: '0010', good: 60 })).output?.hu ?? '';
    expectOk(transferHu(t.ctx, handler, { hu: 'HU-2', to: 'ML1' }));
    const late = expectOk(t.confirm({ order: '1000', operation: '0010', good: 60 })).output?.hu ?? '';
    expect(readGenealogyInputs(t.db, early).map((i) => i.hu)).toEqual(['HU-1']);
    expect(readGenealogyInputs(t.db, late).map((i) => i.hu)).toEqual(['HU-1', 'HU-2']);
    expect(readGenealogyOutputs(t.db, { hu: 'HU-2' }).map((o) => o.hu)).toEqual([late]);
  });

  it('the same requestId twice posts once and answers the same result', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
    const input = { requestId: '6f1c6a57-2b57-4c38-9f8e-0b3c1c1d2e3f', order: '1000', operation: '0010', good: 100 };
    const first = expectOk(t.confirm(input));
    const second = expectOk(t.confirm(input));
    expect(second).toEqual(first);
    expect(t.huQuantity('HU-1')).toBe(1400);
    expect(t.db.prepare('SELECT count(*) AS n FROM posting').get()).toEqual({ n: 1 });
    expect(t.confirm({ ...input, good: 50 })).toMatchObject({ ok: false, error: { code: 'request-id-reused' } });
  });
});
