import { getLocationStockInputSchema, type LocationStockRow } from '../api/commands.js';
import { fromMinor } from '../domain/quantity.js';
import { prepared } from '../store/prepared.js';
import { readLocation, readMaterial } from '../store/read-master-data.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export type { LocationStockRow };

/** Book stock at a location: HUs in use (mounted first) and stock without HU, negative included. */
export function getLocationStock(ctx: TerminalContext, rawInput: unknown): CommandResult<{ rows: LocationStockRow[] }> {
  const parsed = parseInput(getLocationStockInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const { location } = parsed.value;
  if (!readLocation(ctx.db, location)) return refuse({ code: 'unknown-location', message: `There is no location ${location}.` });
  const raw = prepared(
    ctx.db,
    `SELECT * FROM (
       SELECT material, id AS hu, batch, quantity_minor, state = 'mounted' AS mounted, arrived_at FROM handling_unit
         WHERE location = @location AND state IN ('available', 'mounted')
       UNION ALL
       SELECT material, NULL, nullif(batch, ''), quantity_minor, 0, NULL FROM bulk_stock WHERE location = @location AND quantity_minor <> 0)
     ORDER BY material, mounted DESC, hu IS NULL, arrived_at, hu`,
  ).all({ location }) as { material: string; hu: string | null; batch: string | null; quantity_minor: number; mounted: number }[];
  const rows = raw.map((r) => {
    const material = readMaterial(ctx.db, r.material);
    return { material: r.material, hu: r.hu, batch: r.batch, quantity: fromMinor(r.quantity_minor, material?.decimals ?? 0), uom: material?.baseUom ?? '', mounted: r.mounted === 1 };
  });
  return { ok: true, value: { rows } };
}
