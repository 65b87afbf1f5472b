import { spawnSync } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { appendInbound, readOutbox } from '../../src/store/ledger.js';
import { aPlant, expectOk, type TestTerminal } from '../fixtures/test-plant.js';

let t: TestTerminal | undefined;
afterEach(() => t?.close());

const bin = new URL('../../bin/shopfloor.js', import.meta.url).pathname;
const shopfloor = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

function terminalWithPostings(): TestTerminal {
  const terminal = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 1500).open();
  for (let i = 0; i < 3; i++) expectOk(terminal.confirm({ order: '1000', operation: '0010', good: 10 }));
  return terminal;
}

describe('the ledger', () => {
  it('records each posting with UUID, gap-free seq, user, terminal, time, scan and the previous hash', () => {
    t = terminalWithPostings();
    expectOk(t.confirm({ order: '1000', operation: '0010', good: 1, scan: ']C1ORD:1000/0010' }));
    const rows = t.db.prepare('SELECT id, seq, terminal_id, user_id, created_at, scan, prev_hash, hash FROM posting ORDER BY seq').all() as {
      id: string; seq: number; terminal_id: string; user_id: string; created_at: string; scan: string | null; prev_hash: string; hash: string;
    }[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    for (const r of rows) expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    expect(rows.slice(1).map((r) => r.prev_hash)).toEqual(rows.slice(0, -1).map((r) => r.hash));
    expect(rows[3]).toMatchObject({ terminal_id: 'T1', user_id: 'op', scan: ']C1ORD:1000/0010' });
  });

  it('refuses UPDATE and DELETE of postings', () => {
    t = terminalWithPostings();
    expect(() => t?.db.prepare(`UPDATE posting SET user_id = 'someone' WHERE seq = 1`).run()).toThrow(/postings are immutable/);
    expect(() => t?.db.prepare('DELETE FROM posting WHERE seq = 3').run()).toThrow(/postings are immutable/);
  });

  it('the outbox is every posting above the acknowledged seq', () => {
    t = terminalWithPostings();
    expect(readOutbox(t.db, 100).map((p) => p.seq)).toEqual([1, 2, 3]);
    t.db.prepare('UPDATE sync_state SET acknowledged_seq = 2').run();
    expect(readOutbox(t.db, 100).map((p) => p.seq)).toEqual([3]);
  });
});

describe('stock as the central reports it', () => {
  it('hu-set and bulk-set overwrite the local view, and the replay agrees', () => {
    t = terminalWithPostings();
    const at = '2026-11-21T08:00:00.000Z';
    t.db.transaction(() =>
      appendInbound(t!.db, 'sync', at, [
        { t: 'hu-set', hu: 'HU-1', material: 'RIM', batch: null, expiry: null, location: 'WH', quantityMinor: 120000, state: 'available', parent: null },
        { t: 'hu-set', hu: 'HU-NEW', material: 'RIM', batch: 'B7', expiry: null, location: 'ML1', quantityMinor: 5000, state: 'available', parent: null },
        { t: 'bulk-set', location: 'ML1', material: 'RIM', batch: null, quantityMinor: 250 },
      ]),
    )();
    expect(t.db.prepare(`SELECT id, location, quantity_minor, arrived_at FROM handling_unit WHERE id LIKE 'HU-%' ORDER BY id`).all()).toEqual([
      { id: 'HU-1', location: 'WH', quantity_minor: 120000, arrived_at: at },
      { id: 'HU-NEW', location: 'ML1', quantity_minor: 5000, arrived_at: at },
    ]);
    expect(t.bulk('ML1', 'RIM')).toBe(2.5);
    expect(t.check().problems).toEqual([]);
  });
});

describe('shopfloor check', () => {
  it('passes on an untouched database', () => {
    t = terminalWithPostings();
    t.db.close();
    const run = shopfloor('check', '--database', t.file);
    expect(run.stdout).toContain('ok: 3 postings');
    expect(run.status).toBe(0);
    t.db = new BetterSqlite3(t.file);
  });

  it('catches a tampered ledger row, a tampered balance and a missing posting', () => {
    t = terminalWithPostings();
    t.db.close();
    // Someone with the file in hand drops the guard and edits a posting's consumed quantity.
    const raw = new BetterSqlite3(t.file);
    raw.pragma('foreign_keys = OFF');
    raw.exec('DROP TRIGGER posting_is_immutable_update; DROP TRIGGER posting_is_immutable_delete;');
    raw.prepare(`UPDATE posting SET body = replace(body, '"deltaMinor":-1000', '"deltaMinor":-900') WHERE seq = 2`).run();
    raw.prepare(`UPDATE handling_unit SET quantity_minor = quantity_minor + 1 WHERE id = 'HU-1'`).run();
    raw.prepare('DELETE FROM posting WHERE seq = 3').run();
    raw.close();
    const run = shopfloor('check', '--database', t.file);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAILED');
    expect(run.stdout).toContain('posting seq 2: hash does not match its content (tampered?)');
    expect(run.stdout).toMatch(/HU HU-1: replay gives .*the table has/);
    // The deleted last posting leaves a confirmation in the progress table that no posting made.
    expect(run.stdout).toContain('progress 1000/0010: replay gives [20,0,false], the table has [30,0,false]');
    t.db = new BetterSqlite3(t.file);
  });

  it('catches a gap in the seqs', () => {
    t = terminalWithPostings();
    t.db.close();
    const raw = new BetterSqlite3(t.file);
    raw.exec('DROP TRIGGER posting_is_immutable_update;');
    raw.prepare('UPDATE posting SET seq = 7 WHERE seq = 3').run();
    raw.close();
    const run = shopfloor('check', '--database', t.file);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('seq 7 follows 2: postings 3..6 are missing');
    t.db = new BetterSqlite3(t.file);
  });

  it('answers bad arguments with a message and exit 2', () => {
    expect(shopfloor('check').stderr).toContain('--database FILE is required');
    const missing = shopfloor('check', '--database', '/nonexistent/x.sqlite');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    expect(shopfloor('frobnicate').status).toBe(2);
  });
});
