// Loads a master data file into a terminal database: validated whole first, then written in one
// transaction. Master data is upserted; orders keep the snapshot they were released with; initial
// stock enters only through the inbound ledger, so a replay reproduces it.
import type { Database } from 'better-sqlite3';
import type { MasterDataBomItem, MasterDataDocument, MasterDataError, MasterDataRoutingOperation } from '../api/master-data.js';
import { terminalSsccRange } from '../api/master-data.js';
import { validateMasterData } from '../api/validate-master-data.js';
import type { Effect } from '../domain/effects.js';
import { toMinor } from '../domain/quantity.js';
import { canonicalJson } from './canonical-json.js';
import { appendInbound } from './ledger.js';
import { hashPin, verifyPin } from './pin-hash.js';
import { prepared } from './prepared.js';

export interface LoadMasterDataOptions {
  /** The terminal this database belongs to; must be one of the file's terminals. */
  terminalId: string;
  /** When the load happens (ISO 8601 UTC): arrival time of the initial stock. */
  now: string;
}

export interface MasterDataLoadSummary {
  uoms: number;
  materials: number;
  locations: number;
  workCenters: number;
  boms: number;
  routings: number;
  productionOrders: number;
  productionOrdersCreated: number;
  handlingUnitsCreated: number;
  stockRowsCreated: number;
  replenishmentRules: number;
  scrapReasons: number;
  users: number;
  terminals: number;
}

export type LoadMasterDataResult = { ok: true; summary: MasterDataLoadSummary } | { ok: false; errors: MasterDataError[] };

export function loadMasterData(db: Database, doc: unknown, options: LoadMasterDataOptions): LoadMasterDataResult {
  const validation = validateMasterData(doc);
  // Immediate: the checks against the database and the writes see the same state.
  return db
    .transaction((): LoadMasterDataResult => {
      const value = validation.ok ? validation.value : null;
      const errors = [...(validation.ok ? [] : validation.errors), ...databaseErrors(db, value, options)];
      if (value === null || errors.length > 0) return { ok: false, errors };
      return { ok: true, summary: writeMasterData(db, value, options) };
    })
    .immediate();
}

/** What the file cannot know: whose database this is, and which badges are taken. */
function databaseErrors(db: Database, doc: MasterDataDocument | null, options: LoadMasterDataOptions): MasterDataError[] {
  const errors: MasterDataError[] = [];
  const identity = prepared(db, 'SELECT terminal_id FROM terminal_identity WHERE id = 1').get() as { terminal_id: string } | undefined;
  if (identity && identity.terminal_id !== options.terminalId) {
    errors.push({ path: '$', message: `this database belongs to terminal ${identity.terminal_id}, not ${options.terminalId}` });
  }
  if (doc === null) return errors;
  if (!doc.terminals.some((t) => t.id === options.terminalId)) {
    errors.push({ path: '$.terminals', message: `terminal ${options.terminalId} is not in this file` });
  }
  const plant = prepared(db, 'SELECT id FROM plant WHERE id <> ? LIMIT 1').get(doc.plant.id) as { id: string } | undefined;
  if (plant) errors.push({ path: '$.plant.id', message: `this database belongs to plant ${plant.id}, not ${doc.plant.id}` });
  const userIds = new Set(doc.users.map((u) => u.id));
  doc.users.forEach((user, i) => {
    const owner = prepared(db, 'SELECT id FROM app_user WHERE badge = ?').get(user.badge) as { id: string } | undefined;
    if (owner && !userIds.has(owner.id)) errors.push({ path: `$.users[${i}].badge`, message: `badge ${user.badge} belongs to user ${owner.id}` });
  });
  return errors;
}

const bit = (flag: boolean): number => (flag ? 1 : 0);
const nullableBit = (flag: boolean | null): number | null => (flag === null ? null : bit(flag));

function writeMasterData(db: Database, doc: MasterDataDocument, options: LoadMasterDataOptions): MasterDataLoadSummary {
  const { plant } = doc;
  prepared(db, `INSERT INTO plant (id, name, gs1_company_prefix, insufficient_stock, over_confirmation_tolerance_pct, operator_may_override_lines, anomaly_threshold_pct, labels)
    VALUES (@id, @name, @prefix, @insufficientStock, @tolerance, @override, @anomaly, @labels)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, gs1_company_prefix = excluded.gs1_company_prefix,
      insufficient_stock = excluded.insufficient_stock, over_confirmation_tolerance_pct = excluded.over_confirmation_tolerance_pct,
      operator_may_override_lines = excluded.operator_may_override_lines, anomaly_threshold_pct = excluded.anomaly_threshold_pct,
      labels = excluded.labels`).run({
    id: plant.id, name: plant.name, prefix: plant.gs1CompanyPrefix, insufficientStock: plant.insufficientStock,
    tolerance: plant.overConfirmationTolerancePct, override: bit(plant.operatorMayOverrideLines), anomaly: plant.anomalyThresholdPct,
    labels: canonicalJson(doc.labels),
  });

  for (const uom of doc.uoms) {
    prepared(db, 'INSERT INTO uom (id, decimals) VALUES (@id, @decimals) ON CONFLICT (id) DO UPDATE SET decimals = excluded.decimals').run(uom);
  }

  for (const m of doc.materials) {
    prepared(db, `INSERT INTO material (id, description, base_uom, backflush, rounding, insufficient_stock, batch_managed, gtin)
      VALUES (@id, @description, @baseUom, @backflush, @rounding, @insufficientStock, @batchManaged, @gtin)
      ON CONFLICT (id) DO UPDATE SET description = excluded.description, base_uom = excluded.base_uom, backflush = excluded.backflush,
        rounding = excluded.rounding, insufficient_stock = excluded.insufficient_stock, batch_managed = excluded.batch_managed, gtin = excluded.gtin`).run({
      id: m.id, description: m.description, baseUom: m.baseUom, backflush: m.backflush, rounding: m.rounding,
      insufficientStock: m.insufficientStock, batchManaged: bit(m.batchManaged), gtin: m.gtin,
    });
    prepared(db, 'DELETE FROM material_alternative_uom WHERE material = ? AND uom NOT IN (SELECT value FROM json_each(?))').run(
      m.id, JSON.stringify(m.alternativeUoms.map((a) => a.uom)),
    );
    for (const a of m.alternativeUoms) {
      prepared(db, `INSERT INTO material_alternative_uom (material, uom, base_uom_per_unit) VALUES (?, ?, ?)
        ON CONFLICT (material, uom) DO UPDATE SET base_uom_per_unit = excluded.base_uom_per_unit`).run(m.id, a.uom, a.baseUomPerUnit);
    }
  }

  // location.work_center and work_center's locations reference each other; both are deferred.
  for (const l of doc.locations) {
    prepared(db, `INSERT INTO location (id, kind, work_center) VALUES (@id, @kind, @workCenter)
      ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, work_center = excluded.work_center`).run(l);
  }
  for (const w of doc.workCenters) {
    prepared(db, `INSERT INTO work_center (id, description, backflush, machine_location, output_location)
      VALUES (@id, @description, @backflush, @machineLocation, @outputLocation)
      ON CONFLICT (id) DO UPDATE SET description = excluded.description, backflush = excluded.backflush,
        machine_location = excluded.machine_location, output_location = excluded.output_location`).run({ ...w, backflush: bit(w.backflush) });
  }

  for (const b of doc.boms) {
    prepared(db, 'INSERT INTO bom (material, base_quantity) VALUES (?, ?) ON CONFLICT (material) DO UPDATE SET base_quantity = excluded.base_quantity').run(
      b.material, b.baseQuantity,
    );
    prepared(db, 'DELETE FROM bom_item WHERE material = ? AND line > ?').run(b.material, b.items.length);
    b.items.forEach((item, index) => {
      prepared(db, `INSERT INTO bom_item (material, line, component, quantity, operation, component_scrap_pct, backflush, fixed, issue_location)
        VALUES (@owner, @line, @component, @quantity, @operation, @componentScrapPct, @backflush, @fixed, @issueLocation)
        ON CONFLICT (material, line) DO UPDATE SET component = excluded.component, quantity = excluded.quantity, operation = excluded.operation,
          component_scrap_pct = excluded.component_scrap_pct, backflush = excluded.backflush, fixed = excluded.fixed,
          issue_location = excluded.issue_location`).run(componentRow(b.material, index + 1, item));
    });
  }

  for (const r of doc.routings) {
    prepared(db, 'DELETE FROM routing_operation WHERE material = ? AND operation NOT IN (SELECT value FROM json_each(?))').run(
      r.material, JSON.stringify(r.operations.map((o) => o.operation)),
    );
    for (const o of r.operations) {
      prepared(db, `INSERT INTO routing_operation (material, operation, work_center, description, backflush)
        VALUES (@owner, @operation, @workCenter, @description, @backflush)
        ON CONFLICT (material, operation) DO UPDATE SET work_center = excluded.work_center, description = excluded.description,
          backflush = excluded.backflush`).run(operationRow(r.material, o));
    }
  }

  const productionOrdersCreated = writeOrders(db, doc);

  for (const r of doc.replenishment) {
    const decimals = decimalsOf(doc, r.material);
    prepared(db, `INSERT INTO replenishment_rule (location, material, min_minor, max_minor) VALUES (@location, @material, @min, @max)
      ON CONFLICT (location, material) DO UPDATE SET min_minor = excluded.min_minor, max_minor = excluded.max_minor`).run({
      location: r.location, material: r.material, min: mustMinor(r.min, decimals), max: mustMinor(r.max, decimals),
    });
  }
  for (const s of doc.scrapReasons) {
    prepared(db, 'INSERT INTO scrap_reason (code, text) VALUES (@code, @text) ON CONFLICT (code) DO UPDATE SET text = excluded.text').run(s);
  }

  writeUsers(db, doc);
  writeTerminals(db, doc, options);
  const stock = writeInitialStock(db, doc, options);

  return {
    uoms: doc.uoms.length, materials: doc.materials.length, locations: doc.locations.length, workCenters: doc.workCenters.length,
    boms: doc.boms.length, routings: doc.routings.length, productionOrders: doc.productionOrders.length, productionOrdersCreated,
    handlingUnitsCreated: stock.handlingUnits, stockRowsCreated: stock.rows, replenishmentRules: doc.replenishment.length,
    scrapReasons: doc.scrapReasons.length, users: doc.users.length, terminals: doc.terminals.length,
  };
}

function componentRow(owner: string, line: number, item: MasterDataBomItem) {
  return {
    owner, line, component: item.component, quantity: item.quantity, operation: item.operation, componentScrapPct: item.componentScrapPct,
    backflush: nullableBit(item.backflush), fixed: bit(item.fixed), issueLocation: item.issueLocation,
  };
}

function operationRow(owner: string, o: MasterDataRoutingOperation) {
  return { owner, operation: o.operation, workCenter: o.workCenter, description: o.description, backflush: bit(o.backflush) };
}

function decimalsOf(doc: MasterDataDocument, material: string): number {
  const uom = doc.materials.find((m) => m.id === material)?.baseUom;
  const decimals = doc.uoms.find((u) => u.id === uom)?.decimals;
  if (decimals === undefined) throw new Error(`material ${material} has no UoM after validation`);
  return decimals;
}

function mustMinor(value: number, decimals: number): number {
  const minor = toMinor(value, decimals);
  if (minor === null) throw new Error(`quantity ${value} passed validation but has more than ${decimals} decimals`);
  return minor;
}

/** Inserts new orders with their snapshot; an existing order only takes the new status. */
function writeOrders(db: Database, doc: MasterDataDocument): number {
  let created = 0;
  for (const o of doc.productionOrders) {
    const exists = prepared(db, 'SELECT 1 AS found FROM production_order WHERE id = ?').get(o.id) !== undefined;
    if (exists) {
      prepared(db, 'UPDATE production_order SET status = ? WHERE id = ? AND status <> ?').run(o.status, o.id, o.status);
      continue;
    }
    const bom = doc.boms.find((b) => b.material === o.material);
    const operations = o.operations ?? doc.routings.find((r) => r.material === o.material)?.operations;
    if (!operations) throw new Error(`order ${o.id} has no operations after validation`);
    prepared(db, `INSERT INTO production_order (id, material, quantity_minor, base_quantity, batch, status)
      VALUES (@id, @material, @quantityMinor, @baseQuantity, @batch, @status)`).run({
      id: o.id, material: o.material, quantityMinor: mustMinor(o.quantity, decimalsOf(doc, o.material)),
      baseQuantity: o.baseQuantity ?? bom?.baseQuantity ?? 1, batch: o.batch, status: o.status,
    });
    for (const op of operations) {
      prepared(db, `INSERT INTO order_operation (order_id, operation, work_center, description, backflush)
        VALUES (@owner, @operation, @workCenter, @description, @backflush)`).run(operationRow(o.id, op));
    }
    (o.components ?? bom?.items ?? []).forEach((item, index) => {
      prepared(db, `INSERT INTO order_component (order_id, line, component, quantity, operation, component_scrap_pct, backflush, fixed, issue_location)
        VALUES (@owner, @line, @component, @quantity, @operation, @componentScrapPct, @backflush, @fixed, @issueLocation)`).run(
        componentRow(o.id, index + 1, item),
      );
    });
    created++;
  }
  return created;
}

function writeUsers(db: Database, doc: MasterDataDocument): void {
  const existing = new Map<string, { badge: string; pin_hash: string }>();
  for (const u of doc.users) {
    const row = prepared(db, 'SELECT badge, pin_hash FROM app_user WHERE id = ?').get(u.id) as { badge: string; pin_hash: string } | undefined;
    if (!row) continue;
    existing.set(u.id, row);
    // Frees the old badge first, so two users may swap badges in one file.
    if (row.badge !== u.badge) prepared(db, 'UPDATE app_user SET badge = ? WHERE id = ?').run(`\u0000moving:${u.id}`, u.id);
  }
  for (const u of doc.users) {
    const stored = existing.get(u.id)?.pin_hash;
    // Keeping a hash that still verifies makes re-importing the same file a no-op.
    const pinHash = u.pinHash ?? (stored !== undefined && u.pin !== undefined && verifyPin(u.pin, stored) ? stored : hashPin(u.pin ?? ''));
    prepared(db, `INSERT INTO app_user (id, name, badge, pin_hash, roles, language) VALUES (@id, @name, @badge, @pinHash, @roles, @language)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, badge = excluded.badge, pin_hash = excluded.pin_hash,
        roles = excluded.roles, language = excluded.language`).run({
      id: u.id, name: u.name, badge: u.badge, pinHash, roles: JSON.stringify(u.roles), language: u.language,
    });
  }
}

function writeTerminals(db: Database, doc: MasterDataDocument, options: LoadMasterDataOptions): void {
  doc.terminals.forEach((t, index) => {
    const range = terminalSsccRange(doc, index);
    if (!range) throw new Error(`terminal ${t.id} has no SSCC range after validation`);
    prepared(db, `INSERT INTO terminal (id, sscc_first, sscc_last) VALUES (?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET sscc_first = excluded.sscc_first, sscc_last = excluded.sscc_last`).run(t.id, range.first, range.last);
    prepared(db, 'DELETE FROM terminal_location WHERE terminal = ? AND location NOT IN (SELECT value FROM json_each(?))').run(
      t.id, JSON.stringify(t.locations),
    );
    for (const location of t.locations) {
      prepared(db, 'INSERT INTO terminal_location (terminal, location) VALUES (?, ?) ON CONFLICT DO NOTHING').run(t.id, location);
    }
  });
  prepared(db, `INSERT INTO terminal_identity (id, terminal_id, next_sscc_serial, created_at) VALUES (1, ?, NULL, ?)
    ON CONFLICT (id) DO NOTHING`).run(options.terminalId, options.now);
}

/** HUs and bulk stock the database does not know yet enter as one inbound record; known ones belong to the ledger. */
function writeInitialStock(db: Database, doc: MasterDataDocument, options: LoadMasterDataOptions): { handlingUnits: number; rows: number } {
  const effects: Effect[] = [];
  let handlingUnits = 0;
  let rows = 0;
  for (const h of doc.handlingUnits) {
    if (prepared(db, 'SELECT 1 AS found FROM handling_unit WHERE id = ?').get(h.id) !== undefined) continue;
    effects.push(
      { t: 'hu-create', hu: h.id, material: h.material, batch: h.batch, expiry: h.expiry, location: h.location, parent: null },
      { t: 'hu-quantity', hu: h.id, deltaMinor: mustMinor(h.quantity, decimalsOf(doc, h.material)) },
    );
    handlingUnits++;
  }
  for (const s of doc.stock) {
    const known = prepared(db, 'SELECT 1 AS found FROM bulk_stock WHERE location = ? AND material = ? AND batch = ?').get(s.location, s.material, s.batch ?? '');
    if (known !== undefined) continue;
    effects.push({ t: 'bulk-quantity', location: s.location, material: s.material, batch: s.batch, deltaMinor: mustMinor(s.quantity, decimalsOf(doc, s.material)) });
    rows++;
  }
  appendInbound(db, 'master-data', options.now, effects);
  return { handlingUnits, rows };
}
