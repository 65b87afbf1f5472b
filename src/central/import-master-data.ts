// Loads a validated master data file into the central. The file is kept whole (PINs replaced by
// their hashes) as a new version only when it differs from the current one, so importing the same
// file twice changes nothing. HUs and stock from the file enter the central's stock only when it
// does not know them yet: after that, the ledger owns them.
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { MasterDataDocument } from '../api/master-data.js';
import { toMinor } from '../domain/quantity.js';
import { canonicalJson } from '../store/canonical-json.js';
import { hashPin, verifyPin } from '../store/pin-hash.js';
import { bulkRowKey, type CentralBulk, type CentralHu } from './apply-stock-effects.js';
import type { CentralDb, CentralQueryable } from './central-db.js';
import { lockIngest, writeStockChanges } from './ingest-push.js';

export interface ImportSummary {
  /** The master data version now current. */
  version: number;
  /** False when the file equals the current version: nothing was written. */
  changed: boolean;
  materials: number;
  locations: number;
  productionOrders: number;
  terminals: number;
  users: number;
  handlingUnitsCreated: number;
  stockRowsCreated: number;
}

/** The stored form of the master data: the validated document with PINs hashed. */
export type StoredMasterData = MasterDataDocument;

export async function importMasterData(db: CentralDb, doc: MasterDataDocument): Promise<ImportSummary> {
  const [current] = await db.query<{ document: StoredMasterData }>('SELECT document FROM master_data ORDER BY version DESC LIMIT 1');
  const stored = await withPinsHashed(doc, current?.document);
  const digest = createHash('sha256').update(canonicalJson(stored)).digest('hex');
  const summary = {
    materials: doc.materials.length, locations: doc.locations.length, productionOrders: doc.productionOrders.length,
    terminals: doc.terminals.length, users: doc.users.length,
  };

  return db.transaction(async (tx) => {
    const counters = await lockIngest(tx);
    const [latest] = await tx.query<{ version: number; digest: string }>('SELECT version, digest FROM master_data ORDER BY version DESC LIMIT 1');
    if (latest?.digest === digest) return { version: latest.version, changed: false, ...summary, handlingUnitsCreated: 0, stockRowsCreated: 0 };

    const version = (latest?.version ?? 0) + 1;
    await tx.query('INSERT INTO master_data (version, digest, document) VALUES ($1, $2, $3::jsonb)', [version, digest, JSON.stringify(stored)]);
    await writeDerivedTables(tx, stored);
    const stock = await initialStock(tx, stored);
    const lastChangeSeq = await writeStockChanges(tx, stock, counters.lastChangeSeq);
    await tx.query('UPDATE central_state SET master_data_version = $1, last_change_seq = $2 WHERE id = 1', [version, lastChangeSeq]);
    return { version, changed: true, ...summary, handlingUnitsCreated: stock.hus.size, stockRowsCreated: stock.bulk.size };
  });
}

/**
 * Clear PINs leave the file here (contracts §1). A PIN that the stored version's hash already
 * verifies keeps that hash, so the same file gives the same document. Each scrypt blocks for tens
 * of milliseconds; yielding between users keeps pushes flowing during a large import.
 */
async function withPinsHashed(doc: MasterDataDocument, current: StoredMasterData | undefined): Promise<StoredMasterData> {
  const previous = new Map((current?.users ?? []).map((u) => [u.id, u.pinHash]));
  const users: StoredMasterData['users'] = [];
  for (const user of doc.users) {
    const { pin, ...rest } = user;
    if (pin === undefined) {
      users.push(rest);
      continue;
    }
    await yieldToEventLoop();
    const kept = previous.get(user.id);
    users.push({ ...rest, pinHash: kept !== undefined && verifyPin(pin, kept) ? kept : hashPin(pin) });
  }
  return { ...doc, users };
}

async function writeDerivedTables(tx: CentralQueryable, doc: StoredMasterData): Promise<void> {
  const decimals = new Map(doc.uoms.map((u) => [u.id, u.decimals]));
  await tx.exec('DELETE FROM location; DELETE FROM material; DELETE FROM production_order; DELETE FROM terminal_location');
  await tx.query(
    `INSERT INTO location (id, kind, work_center) SELECT id, kind, "workCenter" FROM jsonb_to_recordset($1::jsonb) AS l(id text, kind text, "workCenter" text)`,
    [JSON.stringify(doc.locations)],
  );
  await tx.query(
    `INSERT INTO material (id, base_uom, decimals) SELECT id, base_uom, decimals FROM jsonb_to_recordset($1::jsonb) AS m(id text, base_uom text, decimals integer)`,
    [JSON.stringify(doc.materials.map((m) => ({ id: m.id, base_uom: m.baseUom, decimals: decimals.get(m.baseUom) ?? 0 })))],
  );
  await tx.query(
    `INSERT INTO production_order (id, material) SELECT id, material FROM jsonb_to_recordset($1::jsonb) AS o(id text, material text)`,
    [JSON.stringify(doc.productionOrders.map((o) => ({ id: o.id, material: o.material })))],
  );
  const terminalIds = JSON.stringify(doc.terminals.map((t) => t.id));
  await tx.query('UPDATE terminal SET in_master_data = false WHERE id NOT IN (SELECT jsonb_array_elements_text($1::jsonb))', [terminalIds]);
  await tx.query(
    `INSERT INTO terminal (id, in_master_data) SELECT jsonb_array_elements_text($1::jsonb), true
     ON CONFLICT (id) DO UPDATE SET in_master_data = true`,
    [terminalIds],
  );
  await tx.query(
    `INSERT INTO terminal_location (terminal_id, location) SELECT DISTINCT terminal_id, location FROM jsonb_to_recordset($1::jsonb) AS t(terminal_id text, location text)`,
    [JSON.stringify(doc.terminals.flatMap((t) => t.locations.map((location) => ({ terminal_id: t.id, location }))))],
  );
}

/** The file's HUs and bulk rows that the central does not hold yet. */
async function initialStock(tx: CentralQueryable, doc: StoredMasterData) {
  const decimals = new Map(doc.materials.map((m) => [m.id, doc.uoms.find((u) => u.id === m.baseUom)?.decimals ?? 0]));
  const minor = (material: string, quantity: number): number => {
    const value = toMinor(quantity, decimals.get(material) ?? 0);
    if (value === null) throw new Error(`quantity ${quantity} of ${material} passed validation but does not fit its UoM`);
    return value;
  };
  const knownHus = new Set(
    (await tx.query<{ id: string }>('SELECT id FROM handling_unit WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))', [
      JSON.stringify(doc.handlingUnits.map((h) => h.id)),
    ])).map((r) => r.id),
  );
  const knownBulk = new Set(
    (await tx.query<{ location: string; material: string; batch: string }>(
      `SELECT b.location, b.material, b.batch FROM bulk_stock b
       JOIN jsonb_to_recordset($1::jsonb) AS k(location text, material text, batch text)
         ON k.location = b.location AND k.material = b.material AND k.batch = b.batch`,
      [JSON.stringify(doc.stock.map((s) => ({ location: s.location, material: s.material, batch: s.batch ?? '' })))],
    )).map((r) => bulkRowKey(r.location, r.material, r.batch === '' ? null : r.batch)),
  );
  const hus = new Map<string, { hu: CentralHu; locations: Set<string> }>();
  for (const h of doc.handlingUnits) {
    if (knownHus.has(h.id)) continue;
    const hu: CentralHu = {
      id: h.id, material: h.material, batch: h.batch, expiry: h.expiry, location: h.location,
      quantityMinor: minor(h.material, h.quantity), state: 'available', parent: null,
    };
    hus.set(h.id, { hu, locations: new Set([h.location]) });
  }
  const bulk = new Map<string, CentralBulk>();
  for (const s of doc.stock) {
    const key = bulkRowKey(s.location, s.material, s.batch);
    if (knownBulk.has(key) || bulk.has(key)) continue;
    bulk.set(key, { location: s.location, material: s.material, batch: s.batch, quantityMinor: minor(s.material, s.quantity) });
  }
  return { hus, bulk };
}
