import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MasterDataDocument } from '../api/master-data.js';
import { buildLidPlant, DEMO_USER_IDS } from '../demo/lid-plant.js';
import { emptyReplayState, replayEffects, type Effect } from '../domain/effects.js';
import { makeSscc } from '../domain/sscc.js';
import { loadMasterData } from './load-master-data.js';
import { openDatabase } from './open-database.js';
import { verifyPin } from './pin-hash.js';

const PINS = Object.fromEntries(DEMO_USER_IDS.map((id, i) => [id, String(4711 + i)]));
const NOW = '2026-03-02T06:00:00.000Z';
const LATER = '2026-03-09T06:00:00.000Z';
const T1 = { terminalId: 'T-LID1', now: NOW };
const demo = (): MasterDataDocument => structuredClone(buildLidPlant({ pins: PINS }));
const warehouseHu = (serial: number): string => makeSscc('4012345', 3_000_000_000 + serial);

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function freshDatabase(): Database {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shopfloor-'));
  const db = openDatabase(path.join(dir, 'terminal.sqlite'));
  open.push(db);
  return db;
}

function loaded(doc: MasterDataDocument = demo()): Database {
  const db = freshDatabase();
  const result = loadMasterData(db, doc, T1);
  expect(result.ok).toBe(true);
  return db;
}

const count = (db: Database, table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Every row of every table, for "nothing changed" comparisons. */
function dump(db: Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
}

const COMPONENT_COLUMNS = 'line, component, quantity, operation, component_scrap_pct, backflush, fixed, issue_location';

describe('loadMasterData', () => {
  it('loads the demo plant: master data, orders with their snapshot, initial stock in minor units', () => {
    const db = freshDatabase();
    const result = loadMasterData(db, demo(), T1);
    expect(result).toEqual({
      ok: true,
      summary: {
        uoms: 3, materials: 7, locations: 6, workCenters: 2, boms: 2, routings: 2, productionOrders: 3, productionOrdersCreated: 3,
        handlingUnitsCreated: 18, stockRowsCreated: 2, replenishmentRules: 8, scrapReasons: 5, users: 5, terminals: 2,
      },
    });
    expect(db.prepare('SELECT * FROM handling_unit WHERE id = ?').get(warehouseHu(9))).toEqual({
      id: warehouseHu(9), material: 'RIM-BASE-40', batch: 'R261102', expiry: null, location: 'ML-LID2',
      quantity_minor: 120075, state: 'available', arrived_at: NOW, parent: null, since_seq: 0,
    });
    expect(db.prepare('SELECT quantity_minor, expiry FROM handling_unit WHERE id = ?').get(warehouseHu(18))).toEqual({ quantity_minor: 487250, expiry: '2027-04-30' });
    expect(db.prepare('SELECT location, material, batch, quantity_minor FROM bulk_stock ORDER BY location').all()).toEqual([
      { location: 'ML-LID2', material: 'ADH-HM', batch: '', quantity_minor: 42500 },
      { location: 'TANK-1', material: 'ADH-HM', batch: '', quantity_minor: 180000 },
    ]);
    expect(db.prepare("SELECT * FROM production_order WHERE id = '1000123'").get()).toEqual({
      id: '1000123', material: 'LID-090', quantity_minor: 50000, base_quantity: 1000, batch: 'L2611A', status: 'released',
    });
    const snapshot = db.prepare(`SELECT ${COMPONENT_COLUMNS} FROM order_component WHERE order_id = '1000123' ORDER BY line`).all();
    expect(snapshot).toEqual(db.prepare(`SELECT ${COMPONENT_COLUMNS} FROM bom_item WHERE material = 'LID-090' ORDER BY line`).all());
    expect(snapshot).toEqual([
      { line: 1, component: 'INS-090', quantity: 1000, operation: '0020', component_scrap_pct: 0, backflush: null, fixed: 0, issue_location: null },
      { line: 2, component: 'RIM-BASE-40', quantity: 290, operation: '0010', component_scrap_pct: 2, backflush: null, fixed: 0, issue_location: null },
      { line: 3, component: 'RIM-LABEL-40', quantity: 285, operation: '0010', component_scrap_pct: 1.5, backflush: null, fixed: 0, issue_location: null },
      { line: 4, component: 'ADH-HM', quantity: 1.8, operation: '0020', component_scrap_pct: 0, backflush: null, fixed: 0, issue_location: 'TANK-1' },
    ]);
    expect(db.prepare("SELECT operation, work_center, description FROM order_operation WHERE order_id = '1000125' ORDER BY operation").all()).toEqual([
      { operation: '0010', work_center: 'LID2', description: 'Form rim' },
      { operation: '0020', work_center: 'LID2', description: 'Insert and glue' },
    ]);
    expect(db.prepare("SELECT min_minor, max_minor FROM replenishment_rule WHERE location = 'TANK-1'").get()).toEqual({ min_minor: 50000, max_minor: 200000 });
    expect(db.prepare('SELECT * FROM terminal ORDER BY id').all()).toEqual([
      { id: 'T-LID1', sscc_first: 1_000_000_000, sscc_last: 1_999_999_999 },
      { id: 'T-LID2', sscc_first: 2_000_000_000, sscc_last: 2_999_999_999 },
    ]);
    expect(db.prepare("SELECT location FROM terminal_location WHERE terminal = 'T-LID1' ORDER BY location").pluck().all()).toEqual(['ML-LID1', 'TANK-1']);
    expect(db.prepare('SELECT * FROM terminal_identity').get()).toEqual({ id: 1, terminal_id: 'T-LID1', next_sscc_serial: null, created_at: NOW });
    const plant = db.prepare('SELECT gs1_company_prefix, labels FROM plant').get() as { gs1_company_prefix: string; labels: string };
    expect(plant.gs1_company_prefix).toBe('4012345');
    expect((JSON.parse(plant.labels) as Record<string, string | null>).order).toBe('^ORD:(?<order>[^/]+)/(?<operation>\\d{4})$');
    expect(db.prepare("SELECT roles, language FROM app_user WHERE id = 'u30'").get()).toEqual({ roles: '["supervisor","operator"]', language: 'en' });
  });

  it('writes the initial stock only as inbound stock facts, so replaying them gives the same balances', () => {
    const db = loaded();
    const bodies = db.prepare('SELECT body, received_at FROM inbound ORDER BY id').all() as { body: string; received_at: string }[];
    expect(bodies).toHaveLength(1);
    const state = emptyReplayState();
    for (const b of bodies) replayEffects(state, (JSON.parse(b.body) as { effects: Effect[] }).effects, b.received_at, 'inbound');
    const hus = db.prepare('SELECT id, quantity_minor FROM handling_unit ORDER BY id').all() as { id: string; quantity_minor: number }[];
    expect(hus.map((h) => [h.id, h.quantity_minor])).toEqual([...state.hus.values()].map((h) => [h.id, h.quantityMinor]).sort());
    expect([...state.bulk.values()].map((b) => b.quantityMinor).sort()).toEqual([180000, 42500].sort());
  });

  it('writes nothing when the file has an error, and reports every error', () => {
    const db = freshDatabase();
    const tables = ['plant', 'material', 'production_order', 'order_component', 'handling_unit', 'bulk_stock', 'inbound', 'app_user', 'terminal_identity'];
    const bad = demo();
    bad.handlingUnits[8]!.quantity = 1200.755;
    bad.materials[0]!.baseUom = 'PCS';
    const result = loadMasterData(db, bad, T1);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['$.materials[0].baseUom', '$.handlingUnits[8].quantity']);
    expect(tables.map((t) => count(db, t))).toEqual(tables.map(() => 0));

    loadMasterData(db, demo(), T1);
    const before = dump(db);
    bad.materials[1]!.description = 'Changed but refused';
    expect(loadMasterData(db, bad, T1).ok).toBe(false);
    expect(dump(db)).toEqual(before);
    expect(db.prepare("SELECT description FROM material WHERE id = 'LID-120'").pluck().get()).toBe('Round lid 120 mm');
  });

  it('changes nothing when the same file is imported again, PIN hashes and inbound included', () => {
    const db = loaded();
    const before = dump(db);
    const again = loadMasterData(db, demo(), { terminalId: 'T-LID1', now: LATER });
    expect(again.ok && again.summary).toMatchObject({ productionOrdersCreated: 0, handlingUnitsCreated: 0, stockRowsCreated: 0 });
    expect(dump(db)).toEqual(before);
    expect(count(db, 'inbound')).toBe(1);
    expect(before.app_user).toHaveLength(5);
  });

  it('a changed file updates master data but never the snapshot of a released order nor the stock of known HUs', () => {
    const db = loaded();
    const doc = demo();
    doc.materials[0]!.description = 'Round lid 90 mm, gold rim';
    doc.boms[0]!.items[1]!.quantity = 300;
    doc.productionOrders[1]!.status = 'closed';
    doc.productionOrders[0]!.quantity = 99999;
    doc.productionOrders.push({ id: '1000126', material: 'LID-090', quantity: 10000, batch: 'L2612A', status: 'released', operations: null, components: null });
    doc.handlingUnits[0]!.quantity = 1;
    doc.handlingUnits.push({ id: warehouseHu(19), material: 'INS-090', batch: 'I2612A', quantity: 40000, location: 'WH-A-01', expiry: null });
    const result = loadMasterData(db, doc, { terminalId: 'T-LID1', now: LATER });
    expect(result.ok && result.summary).toMatchObject({ productionOrdersCreated: 1, handlingUnitsCreated: 1, stockRowsCreated: 0 });

    expect(db.prepare("SELECT description FROM material WHERE id = 'LID-090'").pluck().get()).toBe('Round lid 90 mm, gold rim');
    expect(db.prepare("SELECT quantity FROM bom_item WHERE material = 'LID-090' AND line = 2").pluck().get()).toBe(300);
    expect(db.prepare("SELECT quantity FROM order_component WHERE order_id = '1000123' AND line = 2").pluck().get()).toBe(290);
    expect(db.prepare("SELECT quantity FROM order_component WHERE order_id = '1000126' AND line = 2").pluck().get()).toBe(300);
    expect(db.prepare("SELECT quantity_minor FROM production_order WHERE id = '1000123'").pluck().get()).toBe(50000);
    expect(db.prepare("SELECT status FROM production_order WHERE id = '1000124'").pluck().get()).toBe('closed');
    expect(db.prepare('SELECT quantity_minor FROM handling_unit WHERE id = ?').pluck().get(warehouseHu(1))).toBe(20000);
    expect(db.prepare('SELECT quantity_minor, arrived_at FROM handling_unit WHERE id = ?').get(warehouseHu(19))).toEqual({ quantity_minor: 40000, arrived_at: LATER });
    expect(count(db, 'inbound')).toBe(2);
  });

  it('removes BOM lines, routing operations and terminal locations that the file no longer has', () => {
    const db = loaded();
    const doc = demo();
    doc.boms[1]!.items.pop();
    doc.boms[1]!.items[0]!.operation = '0010';
    doc.routings[1]!.operations.pop();
    doc.terminals[0]!.locations = ['ML-LID1'];
    expect(loadMasterData(db, doc, T1).ok).toBe(true);
    expect(db.prepare("SELECT operation FROM routing_operation WHERE material = 'LID-120'").pluck().all()).toEqual(['0010']);
    expect(db.prepare("SELECT operation FROM order_operation WHERE order_id = '1000125' ORDER BY operation").pluck().all()).toEqual(['0010', '0020']);
    expect(db.prepare("SELECT component FROM bom_item WHERE material = 'LID-120' ORDER BY line").pluck().all()).toEqual(['INS-120', 'RIM-BASE-40', 'RIM-LABEL-40']);
    expect(db.prepare("SELECT location FROM terminal_location WHERE terminal = 'T-LID1'").pluck().all()).toEqual(['ML-LID1']);
    expect(count(db, 'order_component')).toBe(12);
  });

  it('refuses a database that belongs to another terminal, and a terminal the file does not list', () => {
    const db = loaded();
    const before = dump(db);
    const other = loadMasterData(db, demo(), { terminalId: 'T-LID2', now: LATER });
    expect(other).toEqual({ ok: false, errors: [{ path: '$', message: 'this database belongs to terminal T-LID1, not T-LID2' }] });
    expect(dump(db)).toEqual(before);

    const unlisted = loadMasterData(freshDatabase(), demo(), { terminalId: 'T-PACK', now: NOW });
    expect(unlisted).toEqual({ ok: false, errors: [{ path: '$.terminals', message: 'terminal T-PACK is not in this file' }] });

    const otherPlant = demo();
    otherPlant.plant.id = 'P200';
    expect(loadMasterData(db, otherPlant, T1)).toEqual({ ok: false, errors: [{ path: '$.plant.id', message: 'this database belongs to plant P100, not P200' }] });
    expect(dump(db)).toEqual(before);
  });

  it('stores PINs hashed: the right PIN verifies, a wrong one does not, a changed PIN replaces the hash', () => {
    const db = loaded();
    const hashOf = (id: string): string => db.prepare('SELECT pin_hash FROM app_user WHERE id = ?').pluck().get(id) as string;
    expect(hashOf('u17')).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(verifyPin(PINS.u17!, hashOf('u17'))).toBe(true);
    expect(verifyPin('0000', hashOf('u17'))).toBe(false);
    expect(verifyPin(PINS.u18!, hashOf('u17'))).toBe(false);

    const doc = buildLidPlant({ pins: { ...PINS, u17: '908070' } });
    const unchanged = hashOf('u18');
    expect(loadMasterData(db, doc, T1).ok).toBe(true);
    expect(verifyPin('908070', hashOf('u17'))).toBe(true);
    expect(verifyPin(PINS.u17!, hashOf('u17'))).toBe(false);
    expect(hashOf('u18')).toBe(unchanged);
  });

  it('lets two users swap badges in one file', () => {
    const db = loaded();
    const doc = demo();
    doc.users[0]!.badge = 'B-0018';
    doc.users[1]!.badge = 'B-0017';
    expect(loadMasterData(db, doc, T1).ok).toBe(true);
    expect(db.prepare("SELECT id, badge FROM app_user WHERE id IN ('u17', 'u18') ORDER BY id").all()).toEqual([
      { id: 'u17', badge: 'B-0018' },
      { id: 'u18', badge: 'B-0017' },
    ]);

    const without = demo();
    without.users.shift();
    // u17 left the file but still holds B-0018, which the file gives back to u18.
    expect(loadMasterData(db, without, T1)).toEqual({ ok: false, errors: [{ path: '$.users[0].badge', message: 'badge B-0018 belongs to user u17' }] });
  });

  it('gives a terminal without ssccRange the block of its index', () => {
    const doc = demo();
    delete doc.terminals[1]!.ssccRange;
    const db = loaded(doc);
    expect(db.prepare("SELECT sscc_first, sscc_last FROM terminal WHERE id = 'T-LID2'").get()).toEqual({ sscc_first: 10_000_000, sscc_last: 19_999_999 });
  });
});
