import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseFromTheFutureError, latestVersion, migrate, migrations } from './migrate.js';
import { openDatabase } from './open-database.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
const tempFile = () => join((dir = mkdtempSync(join(tmpdir(), 'shopfloor-migrate-'))), 'db.sqlite');

describe('migrations', () => {
  it('are numbered 1, 2, … without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('0001 creates STRICT tables for master data, the ledger and the balances, and records user_version 1', () => {
    const db = new BetterSqlite3(tempFile());
    expect(migrate(db, 1)).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['posting', 'inbound', 'handling_unit', 'bulk_stock', 'backlog', 'production_order', 'order_component', 'material', 'sync_state']));
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT$/);
    expect(() => db.prepare(`INSERT INTO uom (id, decimals) VALUES ('X', 'two')`).run()).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('0002 adds the pull cursor to a version-1 database without touching its ledger, and records user_version 2', () => {
    const db = new BetterSqlite3(tempFile());
    migrate(db, 1);
    db.prepare('UPDATE sync_state SET acknowledged_seq = 7 WHERE id = 1').run();
    expect(migrate(db, 2)).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT cursor, epoch, pulled_at, pushed_at FROM sync_cursor').all()).toEqual([{ cursor: '0', epoch: null, pulled_at: null, pushed_at: null }]);
    expect(db.prepare('SELECT acknowledged_seq FROM sync_state').get()).toEqual({ acknowledged_seq: 7 });
    const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'sync_cursor'`).get() as { sql: string }).sql;
    expect(sql).toMatch(/\)\s*STRICT$/);
    // One row only: the cursor of this terminal's one central.
    expect(() => db.prepare(`INSERT INTO sync_cursor (id, cursor) VALUES (2, '5')`).run()).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('applies all pending migrations in one transaction: a failing one leaves the database as it was', () => {
    const db = new BetterSqlite3(tempFile());
    const broken = [...migrations, { version: latestVersion + 1, name: 'broken', sql: 'CREATE TABLE later (x INTEGER) STRICT; THIS IS NOT SQL;' }];
    const run = () =>
      db.transaction(() => {
        for (const m of broken) db.exec(m.sql);
      })();
    expect(run).toThrow();
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get()).toEqual({ n: 0 });
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    db.close();
  });

  it('refuses a database from a newer version with a clear message and changes nothing', () => {
    const file = tempFile();
    const future = new BetterSqlite3(file);
    future.pragma(`user_version = ${latestVersion + 1}`);
    future.close();
    expect(() => openDatabase(file)).toThrow(DatabaseFromTheFutureError);
    expect(() => openDatabase(file)).toThrow(/newer shopfloor .*Update shopfloor before opening it/);
    const after = new BetterSqlite3(file);
    expect(after.pragma('user_version', { simple: true })).toBe(latestVersion + 1);
    after.close();
  });

  it('opens durably: WAL, synchronous FULL, foreign keys on', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
