import { afterEach, describe, expect, it } from 'vitest';
import { appendInbound } from '../../src/store/ledger.js';
import { getLocationStock } from '../../src/terminal/get-location-stock.js';
import { listBacklog } from '../../src/terminal/list-backlog.js';
import { resolveBacklog } from '../../src/terminal/resolve-backlog.js';
import { reversePosting } from '../../src/terminal/reverse-posting.js';
import { aPlant, expectOk, operator, supervisor, type TestTerminal } from '../fixtures/test-plant.js';

let t: TestTerminal | undefined;
afterEach(() => t?.close());

/** Order 1000 confirms 100 pieces needing 100 m of RIM where only HU-1 with 60 m is: 40 m backlog. */
function withBacklog(): { t: TestTerminal; postingId: string; backlogId: string } {
  const terminal = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 60).open();
  const posted = expectOk(terminal.confirm({ order: '1000', operation: '0010', good: 100 }));
  return { t: terminal, postingId: posted.postingId, backlogId: posted.backlog[0]?.id ?? '' };
}

describe('backlog as supervisors see and settle it', () => {
  it('listBacklog shows the open entry with order, operation, quantity and reason', () => {
    const s = withBacklog();
    t = s.t;
    expect(expectOk(listBacklog(t.ctx, { location: 'ML1' })).entries).toEqual([
      { id: s.backlogId, order: '1000', operation: '0010', material: 'RIM', location: 'ML1', quantity: 40, uom: 'M', reason: 'insufficient-stock', createdAt: '2026-11-21T06:00:02.000Z' },
    ]);
    expect(expectOk(listBacklog(t.ctx, { location: 'WH' })).entries).toEqual([]);
  });

  it('negative: books the open quantity into negative stock at the location', () => {
    const s = withBacklog();
    t = s.t;
    expect(resolveBacklog(t.ctx, operator, { id: s.backlogId, action: 'negative' })).toMatchObject({ ok: false, error: { status: 403 } });
    expect(expectOk(resolveBacklog(t.ctx, supervisor, { id: s.backlogId, action: 'negative' }))).toMatchObject({ settled: 40, open: 0 });
    const rim = expectOk(getLocationStock(t.ctx, { location: 'ML1' })).rows.filter((r) => r.material === 'RIM');
    expect(rim).toEqual([{ material: 'RIM', hu: null, batch: null, quantity: -40, uom: 'M', mounted: false }]);
    expect(expectOk(listBacklog(t.ctx, {})).entries).toEqual([]);
    expect(resolveBacklog(t.ctx, supervisor, { id: s.backlogId, action: 'writeOff' })).toMatchObject({ ok: false, error: { code: 'backlog-settled', status: 409 } });
  });

  it('retry against one HU takes what it holds and leaves the rest open', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 60).hu('HU-2', 'RIM', 25, { location: 'WH' }).open();
    const backlogId = expectOk(t.confirm({ order: '1000', operation: '0010', good: 100 })).backlog[0]?.id ?? '';
    // The handler put HU-2 on the machine without posting the transfer: it is still in WH on the books.
    expect(resolveBacklog(t.ctx, supervisor, { id: backlogId, action: 'retry', hu: 'HU-2' })).toMatchObject({ ok: false, error: { code: 'hu-not-at-location' } });
    expect(resolveBacklog(t.ctx, supervisor, { id: backlogId, action: 'retry' })).toMatchObject({ ok: false, error: { code: 'insufficient-stock' } });
    expect(resolveBacklog(t.ctx, supervisor, { id: 'nope', action: 'retry' })).toMatchObject({ ok: false, error: { code: 'unknown-backlog', status: 404 } });
    // Stock that reaches the books without a transfer (as sync will bring it) is not retried by itself.
    t.db.transaction(() =>
      appendInbound(t!.db, 'test', '2026-11-21T07:00:00.000Z', [
        { t: 'hu-create', hu: 'HU-3', material: 'RIM', batch: null, expiry: null, location: 'ML1', parent: null },
        { t: 'hu-quantity', hu: 'HU-3', deltaMinor: 2500 },
      ]),
    )();
    expect(expectOk(resolveBacklog(t.ctx, supervisor, { id: backlogId, action: 'retry', hu: 'HU-3' }))).toMatchObject({ settled: 25, open: 15 });
    expect(t.huState('HU-3')).toBe('empty');
    expect(expectOk(listBacklog(t.ctx, {})).entries.map((e) => e.quantity)).toEqual([15]);
    expect(t.check().problems).toEqual([]);
  });

  it('writeOff closes the entry without touching stock; reversing the original reopens nothing and gives stock back', () => {
    const s = withBacklog();
    t = s.t;
    expectOk(resolveBacklog(t.ctx, supervisor, { id: s.backlogId, action: 'writeOff' }));
    expect(t.huQuantity('HU-1')).toBe(0);
    expect(expectOk(listBacklog(t.ctx, {})).entries).toEqual([]);
    expectOk(reversePosting(t.ctx, supervisor, { postingId: s.postingId, reason: 'posted on the wrong order' }));
    expect(t.huQuantity('HU-1')).toBe(60);
    expect(expectOk(listBacklog(t.ctx, {})).entries).toEqual([]);
    expect(t.check().problems).toEqual([]);
  });

  it('reversing a resolution reopens the backlog and undoes its stock', () => {
    const s = withBacklog();
    t = s.t;
    const resolution = expectOk(resolveBacklog(t.ctx, supervisor, { id: s.backlogId, action: 'negative' }));
    expectOk(reversePosting(t.ctx, supervisor, { postingId: resolution.postingId, reason: 'wrong choice' }));
    expect(expectOk(listBacklog(t.ctx, {})).entries.map((e) => e.quantity)).toEqual([40]);
    expect(t.bulk('ML1', 'RIM')).toBe(0);
    expect(t.check().problems).toEqual([]);
  });

  it('getLocationStock lists mounted HUs first, then HUs by arrival, then stock without HU; an unknown location is named', () => {
    t = aPlant().component('RIM', 1, { uom: 'M' }).hu('HU-B', 'RIM', 10.5, { batch: 'R2' }).hu('HU-A', 'RIM', 20).stock('RIM', 3).open();
    expect(expectOk(getLocationStock(t.ctx, { location: 'ML1' })).rows.map((r) => [r.hu, r.quantity])).toEqual([['HU-A', 20], ['HU-B', 10.5], [null, 3]]);
    expect(getLocationStock(t.ctx, { location: 'X' })).toMatchObject({ ok: false, error: { code: 'unknown-location', status: 404 } });
  });
});
