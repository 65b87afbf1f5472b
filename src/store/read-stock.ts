import type { Database } from 'better-sqlite3';
import type { BacklogRecord, HuRecord } from '../domain/effects.js';
import type { OperationProgress, StockSource } from '../domain/types.js';
import { prepared } from './prepared.js';

interface HuRow {
  id: string; material: string; batch: string | null; expiry: string | null; location: string;
  quantity_minor: number; state: HuRecord['state']; arrived_at: string; parent: string | null; since_seq: number;
}

const toHu = (r: HuRow): HuRecord => ({
  id: r.id, material: r.material, batch: r.batch, expiry: r.expiry, location: r.location,
  quantityMinor: r.quantity_minor, state: r.state, arrivedAt: r.arrived_at, parent: r.parent, sinceSeq: r.since_seq,
});

export function readHu(db: Database, id: string): HuRecord | undefined {
  const row = prepared(db, 'SELECT * FROM handling_unit WHERE id = ?').get(id) as HuRow | undefined;
  return row && toHu(row);
}

export function readMountedHus(db: Database, location: string, material: string): HuRecord[] {
  return (
    prepared(db, `SELECT * FROM handling_unit WHERE location = ? AND material = ? AND state = 'mounted'`).all(location, material) as HuRow[]
  ).map(toHu);
}

/** HUs in use and stock without HU of a material at a location: what backflush may take from. */
export function readStockSources(db: Database, location: string, material: string): StockSource[] {
  const hus = prepared(
    db,
    `SELECT id, batch, expiry, quantity_minor, state, arrived_at FROM handling_unit
     WHERE location = ? AND material = ? AND state IN ('available', 'mounted')`,
  ).all(location, material) as Pick<HuRow, 'id' | 'batch' | 'expiry' | 'quantity_minor' | 'state' | 'arrived_at'>[];
  const bulk = prepared(db, 'SELECT batch, quantity_minor FROM bulk_stock WHERE location = ? AND material = ?').all(location, material) as {
    batch: string; quantity_minor: number;
  }[];
  return [
    ...hus.map((h): StockSource => ({
      location, material, hu: h.id, batch: h.batch, quantityMinor: h.quantity_minor, mounted: h.state === 'mounted', arrivedAt: h.arrived_at, expiry: h.expiry,
    })),
    ...bulk.map((b): StockSource => ({
      location, material, hu: null, batch: b.batch === '' ? null : b.batch, quantityMinor: b.quantity_minor, mounted: false, arrivedAt: null, expiry: null,
    })),
  ];
}

interface BacklogRow {
  id: string; order_id: string; operation: string; material: string; location: string;
  quantity_minor: number; open_minor: number; reason: string; created_at: string; posting_id: string;
}

const toBacklog = (r: BacklogRow): BacklogRecord & { createdAt: string; postingId: string } => ({
  id: r.id, order: r.order_id, operation: r.operation, material: r.material, location: r.location,
  quantityMinor: r.quantity_minor, openMinor: r.open_minor, reason: r.reason, createdAt: r.created_at, postingId: r.posting_id,
});

export function readBacklog(db: Database, id: string): ReturnType<typeof toBacklog> | undefined {
  const row = prepared(db, 'SELECT * FROM backlog WHERE id = ?').get(id) as BacklogRow | undefined;
  return row && toBacklog(row);
}

/** Open backlog, oldest first; of one location and material when given. */
export function readOpenBacklog(db: Database, where: { location?: string; material?: string } = {}): ReturnType<typeof toBacklog>[] {
  return (
    prepared(
      db,
      `SELECT * FROM backlog WHERE open_minor > 0
       AND (@location IS NULL OR location = @location) AND (@material IS NULL OR material = @material)
       ORDER BY created_at, rowid`,
    ).all({ location: where.location ?? null, material: where.material ?? null }) as BacklogRow[]
  ).map(toBacklog);
}

export function readProgress(db: Database, order: string): Map<string, OperationProgress> {
  const rows = prepared(db, 'SELECT operation, good_minor, scrap_minor, final FROM operation_progress WHERE order_id = ?').all(order) as {
    operation: string; good_minor: number; scrap_minor: number; final: number;
  }[];
  return new Map(rows.map((r) => [r.operation, { operation: r.operation, goodMinor: r.good_minor, scrapMinor: r.scrap_minor, final: r.final === 1 }]));
}

export function readFixedIssuedLines(db: Database, order: string): Set<number> {
  return new Set((prepared(db, 'SELECT line FROM fixed_issue WHERE order_id = ?').all(order) as { line: number }[]).map((r) => r.line));
}
