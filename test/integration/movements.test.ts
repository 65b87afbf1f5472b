import { afterEach, describe, expect, it } from 'vitest';
import { mountHu } from '../../src/terminal/mount-hu.js';
import { reversePosting } from '../../src/terminal/reverse-posting.js';
import { transferHu } from '../../src/terminal/transfer-hu.js';
import { aPlant, expectOk, handler, operator, supervisor, type TestTerminal } from '../fixtures/test-plant.js';

let t: TestTerminal | undefined;
afterEach(() => t?.close());

const open = () =>
  aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 100).hu('HU-2', 'RIM', 100).hu('HU-WH', 'RIM', 100, { location: 'WH' }).open();

describe('mounting and moving HUs', () => {
  it('mounting a second HU of the same material takes the first one off; mounting again changes nothing', () => {
    t = open();
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-1' }));
    const second = expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-2' }));
    expect(second.hu).toMatchObject({ id: 'HU-2', quantity: 100, uom: 'M', state: 'mounted' });
    expect([t.huState('HU-1'), t.huState('HU-2')]).toEqual(['available', 'mounted']);
    expect(expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-2' })).postingId).toBeNull();
  });

  it('refuses to mount an HU that is elsewhere, unknown, or at a storage location, naming where it is', () => {
    t = open();
    const elsewhere = mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-WH' });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'hu-not-at-location', status: 409 } });
    expect(elsewhere.ok ? '' : elsewhere.error.message).toBe('HU HU-WH is at WH, not at ML1. Have it transferred first.');
    expect(mountHu(t.ctx, operator, { location: 'ML1', hu: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'unknown-hu', status: 404 } });
    expect(mountHu(t.ctx, operator, { location: 'WH', hu: 'HU-WH' })).toMatchObject({ ok: false, error: { code: 'not-a-machine-location' } });
  });

  it('rights: operators mount but do not transfer; material handlers transfer but do not mount', () => {
    t = open();
    expect(transferHu(t.ctx, operator, { hu: 'HU-WH', to: 'ML1' })).toMatchObject({ ok: false, error: { code: 'forbidden', status: 403, message: 'Only a material handler or supervisor may transfer stock.' } });
    expect(mountHu(t.ctx, handler, { location: 'ML1', hu: 'HU-1' })).toMatchObject({ ok: false, error: { code: 'forbidden', status: 403 } });
    expect(t.db.prepare('SELECT count(*) AS n FROM posting').get()).toEqual({ n: 0 });
  });

  it('a transfer takes a mounted HU off its machine and sets its arrival; an empty or unknown HU is refused', () => {
    t = open();
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-1' }));
    expectOk(transferHu(t.ctx, handler, { hu: 'HU-1', to: 'WH' }));
    expect(t.db.prepare(`SELECT location, state, arrived_at FROM handling_unit WHERE id = 'HU-1'`).get()).toEqual({ location: 'WH', state: 'available', arrived_at: '2026-11-21T06:00:03.000Z' });
    expect(transferHu(t.ctx, handler, { hu: 'HU-1', to: 'WH' })).toMatchObject({ ok: false, error: { code: 'hu-already-there' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-1', to: 'NOWHERE' })).toMatchObject({ ok: false, error: { code: 'unknown-location', status: 404 } });
    expectOk(t.confirm({ order: '1000', operation: '0010', good: 200 }));
    expect(transferHu(t.ctx, handler, { hu: 'HU-2', to: 'WH' })).toMatchObject({ ok: false, error: { code: 'hu-empty', message: 'The books say HU HU-2 is empty.' } });
    expect(transferHu(t.ctx, handler, { hu: 'HU-WH', to: 'ML1', quantity: 400 })).toMatchObject({ ok: false, error: { code: 'exceeds-hu' } });
  });

  it('reversal gives the quantity back to an HU that moved since, at its new place, and flags it', () => {
    t = open();
    const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: 30 }));
    expectOk(transferHu(t.ctx, handler, { hu: 'HU-1', to: 'WH' }));
    const reversal = expectOk(reversePosting(t.ctx, supervisor, { postingId: posted.postingId, reason: 'wrong order' }));
    expect(reversal.warnings).toEqual([{ code: 'hu-moved', hu: 'HU-1', message: 'HU HU-1 was at ML1 and is now at WH; the quantity goes back to it there.' }]);
    expect(t.db.prepare(`SELECT location, quantity_minor FROM handling_unit WHERE id = 'HU-1'`).get()).toEqual({ location: 'WH', quantity_minor: 10000 });
    expect(t.check().problems).toEqual([]);
  });

  it('reversing a transfer moves the HU back and puts it on the machine again', () => {
    t = open();
    expectOk(mountHu(t.ctx, operator, { location: 'ML1', hu: 'HU-1' }));
    const moved = expectOk(transferHu(t.ctx, handler, { hu: 'HU-1', to: 'WH' }));
    expectOk(reversePosting(t.ctx, supervisor, { postingId: moved.postingId, reason: 'scanned the wrong roll' }));
    expect(t.db.prepare(`SELECT location, state FROM handling_unit WHERE id = 'HU-1'`).get()).toEqual({ location: 'ML1', state: 'mounted' });
  });
});
