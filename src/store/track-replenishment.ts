import type { Database } from 'better-sqlite3';
import type { Effect } from '../domain/effects.js';
import { prepared } from './prepared.js';

export interface StockTouch {
  location: string;
  material: string;
  /** Quantity that arrived by transfer (it covers an open task). */
  arrivedMinor?: number;
}

/** Book stock of a material at a location: HUs in use and stock without HU. */
export function bookStockMinor(db: Database, location: string, material: string): number {
  const row = prepared(
    db,
    `SELECT coalesce((SELECT sum(quantity_minor) FROM handling_unit WHERE location = @location AND material = @material AND state IN ('available', 'mounted')), 0)
          + coalesce((SELECT sum(quantity_minor) FROM bulk_stock WHERE location = @location AND material = @material), 0) AS q`,
  ).get({ location, material }) as { q: number };
  return row.q;
}

/**
 * product.md "Replenishment": when book stock at a location with min/max falls to min or below, a
 * task for (max − stock) opens; transfers into the location cover it, and it closes once covered.
 * Call in the transaction of every posting that changes stock, with what it touched.
 */
export function trackReplenishment(db: Database, touched: readonly StockTouch[], at: string, newId: () => string): void {
  for (const t of touched) {
    const rule = prepared(db, 'SELECT min_minor, max_minor FROM replenishment_rule WHERE location = ? AND material = ?').get(t.location, t.material) as
      | { min_minor: number; max_minor: number }
      | undefined;
    if (!rule) continue;
    const open = prepared(db, 'SELECT id, open_minor FROM replenishment_task WHERE location = ? AND material = ? AND closed_at IS NULL').get(t.location, t.material) as
      | { id: string; open_minor: number }
      | undefined;
    if (open && t.arrivedMinor) {
      const left = open.open_minor - t.arrivedMinor;
      prepared(db, 'UPDATE replenishment_task SET open_minor = max(@left, 0), closed_at = CASE WHEN @left <= 0 THEN @at END WHERE id = @id').run({ id: open.id, left, at });
      continue;
    }
    if (open) continue;
    const stock = bookStockMinor(db, t.location, t.material);
    if (stock <= rule.min_minor && rule.max_minor > stock) {
      prepared(db, 'INSERT INTO replenishment_task (id, location, material, quantity_minor, open_minor, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        newId(), t.location, t.material, rule.max_minor - stock, rule.max_minor - stock, at,
      );
    }
  }
}

/** The locations and materials whose stock a list of effects changed. */
export function touchedBy(db: Database, effects: readonly Effect[]): StockTouch[] {
  const touched = new Map<string, StockTouch>();
  const add = (location: string, material: string) => touched.set(`${location}\u0000${material}`, { location, material });
  for (const e of effects) {
    if (e.t === 'bulk-quantity') add(e.location, e.material);
    if (e.t === 'hu-quantity' || e.t === 'hu-move') {
      const hu = prepared(db, 'SELECT location, material FROM handling_unit WHERE id = ?').get(e.hu) as { location: string; material: string } | undefined;
      if (hu) add(hu.location, hu.material);
      if (hu && e.t === 'hu-move') add(e.from, hu.material);
    }
  }
  return [...touched.values()];
}
