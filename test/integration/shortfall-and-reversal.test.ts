import { afterEach, describe, expect, it } from 'vitest';
import { readOpenBacklog } from '../../src/store/read-stock.js';
import { reversePosting } from '../../src/terminal/reverse-posting.js';
import { transferHu } from '../../src/terminal/transfer-hu.js';
import { aPlant, expectOk, handler, operator, supervisor, type TestPlant, type TestTerminal } from '../fixtures/test-plant.js';

let t: TestTerminal | undefined;
afterEach(() => t?.close());

const rimPlant = (): TestPlant => aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 60);

describe('not enough book stock', () => {
  it('backlog (default): consumes what is there and puts the shortfall into the backlog', () => {
    t = rimPlant().open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 100 }));
    expect(posted.lines[0]).toMatchObject({ quantity: 100, shortfall: 40, shortfallTo: 'backlog' });
    expect(posted.backlog).toMatchObject([{ material: 'RIM', location: 'ML1', quantity: 40, uom: 'M' }]);
    expect(t.huQuantity('HU-1')).toBe(0);
    expect(readOpenBacklog(t.db)).toMatchObject([{ order: '1000', operation: '0010', material: 'RIM', openMinor: 4000, reason: 'insufficient-stock' }]);
  });

  it('negative: the location goes negative without HU and the posting is flagged', () => {
    t = rimPlant().material('RIM', { insufficientStock: 'negative' }).open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 100 }));
    expect(posted.lines[0]).toMatchObject({ shortfall: 40, shortfallTo: 'negative' });
    expect(posted.warnings.map((w) => w.code)).toContain('negative-stock');
    expect(t.bulk('ML1', 'RIM')).toBe(-40);
    expect(readOpenBacklog(t.db)).toEqual([]);
    const body = JSON.parse((t.db.prepare('SELECT body FROM posting').get() as { body: string }).body) as { data: { negative: boolean } };
    expect(body.data.negative).toBe(true);
  });

  it('block: refused with each missing quantity, nothing posted', () => {
    t = rimPlant().plant({ insufficientStock: 'block' }).component('LABEL', 2, { uom: 'M' }).open();
    const before = t.balances();
    const refused = t.confirm({ order: '1000', operation: '0010', good: 100 });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'insufficient-stock', status: 409, details: { missing: [{ component: 'RIM', missing: 40 }, { component: 'LABEL', missing: 200 }] } },
    });
    expect(refused.ok ? '' : refused.error.message).toContain('40 M RIM at ML1');
    expect(t.balances()).toEqual(before);
    expect(t.db.prepare('SELECT count(*) AS n FROM posting').get()).toEqual({ n: 0 });
  });

  it('backlog is retried automatically, oldest first, when stock of its material arrives', () => {
    t = rimPlant().order('2000', 1000).hu('HU-2', 'RIM', 100, { location: 'WH' }).open();
    expectOk(t.confirm({ order: '1000', operation: '0010', good: 100 })); // 40 short
    expectOk(t.confirm({ order: '2000', operation: '0010', good: 80 })); // 80 short
    const moved = expectOk(transferHu(t.ctx, handler, { hu: 'HU-2', to: 'ML1' }));
    expect(moved.backlogRetried.map((r) => r.quantity)).toEqual([40, 60]);
    expect(t.huQuantity('HU-2')).toBe(0);
    expect(readOpenBacklog(t.db).map((b) => [b.order, b.openMinor])).toEqual([['2000', 2000]]);
    expect(t.check().problems).toEqual([]);
  });
});

describe('quantities that make no sense', () => {
  it.each([
    [{ good: -1 }, 'invalid-quantity'],
    [{ good: 1.5 }, 'invalid-quantity'],
    [{ good: 0, scrap: 0 }, 'zero-quantity'],
    [{ good: 0, scrap: 5 }, 'scrap-reason-required'],
    [{ good: 0, scrap: 5, scrapReason: 'NOPE' }, 'unknown-scrap-reason'],
    [{ good: 1101 }, 'over-tolerance'],
    [{ good: 'ten' }, 'invalid-input'],
    [{ good: 10, colour: 'red' }, 'invalid-input'],
  ])('%j is refused with %s and nothing is written', (input, code) => {
    t = rimPlant().open();
    const before = t.balances();
    expect(t.confirm({ order: '1000', operation: '0010', ...input })).toMatchObject({ ok: false, error: { code } });
    expect(t.balances()).toEqual(before);
  });

  it('over-tolerance names the limit; a supervisor may confirm beyond it', () => {
    t = rimPlant().stock('RIM', 5000).open();
    const refused = t.confirm({ order: '1000', operation: '0010', good: 1101 });
    expect(refused.ok ? '' : refused.error.message).toContain('at most 1100 PC');
    expect(t.confirm({ order: '1000', operation: '0010', good: 1101, allowOverLimits: true }, operator)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expectOk(t.confirm({ order: '1000', operation: '0010', good: 1101, allowOverLimits: true }, supervisor));
  });

  it('the good quantity of an operation may not exceed the operation before', () => {
    t = aPlant().operations({ operation: '0010' }, { operation: '0020' }).order('1000', 1000).open();
    expectOk(t.confirm({ order: '1000', operation: '0010', good: 100 }));
    const refused = t.confirm({ order: '1000', operation: '0020', good: 101 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'exceeds-previous-operation', details: { limit: 100, previousOperation: '0010' } } });
    expectOk(t.confirm({ order: '1000', operation: '0020', good: 100 }));
  });

  it('an unknown order or operation is named', () => {
    t = rimPlant().open();
    expect(t.confirm({ order: '9999', operation: '0010', good: 1 })).toMatchObject({ ok: false, error: { code: 'unknown-order', status: 404 } });
    expect(t.confirm({ order: '1000', operation: '0090', good: 1 })).toMatchObject({ ok: false, error: { code: 'unknown-operation', status: 404 } });
  });
});

describe('reversal', () => {
  it('undoes a posting that consumed three HUs and created backlog: same HUs, backlog cancelled, output cancelled', () => {
    t = aPlant()
      .component('RIM', 1, { uom: 'M' })
      .order('1000', 1000)
      .hu('HU-A', 'RIM', 30)
      .hu('HU-B', 'RIM', 30)
      .hu('HU-C', 'RIM', 30)
      .hu('HU-LATE', 'RIM', 5, { location: 'WH' })
      .open();
    const before = t.balances();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 100, final: true }));
    expect(posted.lines[0]?.sources.map((s) => s.hu)).toEqual(['HU-A', 'HU-B', 'HU-C']);
    expect(posted.backlog[0]?.quantity).toBe(10);
    const outputHu = posted.output?.hu ?? '';
    // 5 m of the backlog get retried when HU-LATE arrives; the reversal gives them back to HU-LATE.
    expectOk(transferHu(t.ctx, handler, { hu: 'HU-LATE', to: 'ML1' }));
    expect(t.huQuantity('HU-LATE')).toBe(0);

    expect(reversePosting(t.ctx, operator, { postingId: posted.postingId, reason: 'wrong order' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expectOk(reversePosting(t.ctx, supervisor, { postingId: posted.postingId, reason: 'wrong order' }));

    expect(['HU-A', 'HU-B', 'HU-C'].map((hu) => [t?.huQuantity(hu), t?.huState(hu)])).toEqual([[30, 'available'], [30, 'available'], [30, 'available']]);
    expect(t.huQuantity('HU-LATE')).toBe(5);
    expect(t.huState(outputHu)).toBe('cancelled');
    expect(readOpenBacklog(t.db)).toEqual([]);
    const after = t.balances();
    expect(after.hus.filter((h) => (h as { id: string }).id !== outputHu && (h as { id: string }).id !== 'HU-LATE')).toEqual(
      before.hus.filter((h) => (h as { id: string }).id !== 'HU-LATE'),
    );
    expect(after.progress).toEqual(before.progress);
    expect(t.check().problems).toEqual([]);
    expect(reversePosting(t.ctx, supervisor, { postingId: posted.postingId, reason: 'again' })).toMatchObject({ ok: false, error: { code: 'already-reversed', status: 409 } });
  });

  it('an output HU that has moved since cannot be reversed away', () => {
    t = rimPlant().stock('RIM', 1000).open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 10 }));
    expectOk(transferHu(t.ctx, handler, { hu: posted.output?.hu ?? '', to: 'WH' }));
    expect(reversePosting(t.ctx, supervisor, { postingId: posted.postingId, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'output-hu-used' } });
  });
});
