// GET /api/stock?location=: stock at a location as the central sees it, in the rows of the
// terminal's getLocationStock (contracts §3): HUs in use (mounted first) and stock without HU.
import type { LocationStockRow } from '../api/commands.js';
import { fromMinor } from '../domain/quantity.js';
import type { CentralDb } from './central-db.js';
import { CentralError } from './central-error.js';

/** The terminal's row shape: the central answers what a terminal would. */
export type CentralStockRow = LocationStockRow;

export async function readLocationStock(db: CentralDb, location: string): Promise<{ rows: CentralStockRow[] }> {
  const rows = await db.query<{ material: string; hu: string | null; batch: string | null; quantity_minor: number; mounted: boolean; base_uom: string | null; decimals: number | null }>(
    `SELECT s.material, s.hu, s.batch, s.quantity_minor, s.mounted, m.base_uom, m.decimals FROM (
       SELECT material, id AS hu, batch, quantity_minor, state = 'mounted' AS mounted FROM handling_unit
         WHERE location = $1 AND state IN ('available', 'mounted')
       UNION ALL
       SELECT material, NULL, nullif(batch, ''), quantity_minor, false FROM bulk_stock WHERE location = $1 AND quantity_minor <> 0
     ) s LEFT JOIN material m ON m.id = s.material
     ORDER BY s.material, s.mounted DESC, s.hu NULLS LAST`,
    [location],
  );
  if (rows.length === 0) {
    const [known] = await db.query('SELECT 1 AS found FROM location WHERE id = $1', [location]);
    if (!known) throw new CentralError(404, 'unknown-location', `There is no location ${location}.`);
  }
  return {
    rows: rows.map((r) => ({
      material: r.material, hu: r.hu, batch: r.batch, quantity: fromMinor(r.quantity_minor, r.decimals ?? 0), uom: r.base_uom ?? '', mounted: r.mounted,
    })),
  };
}
