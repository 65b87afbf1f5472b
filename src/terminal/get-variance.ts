import { getVarianceInputSchema } from '../api/commands.js';
import { cumulativeRequirement } from '../domain/calculate-requirement.js';
import { fromMinor } from '../domain/quantity.js';
import { prepared } from '../store/prepared.js';
import { readMaterial, readOrder } from '../store/read-master-data.js';
import { parseInput, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface VarianceRow {
  order: string;
  product: string;
  material: string;
  location: string;
  uom: string;
  standard: number;
  actual: number;
  backflushed: number;
  overridden: number;
  lineScrap: number;
  attributed: number;
  variance: number;
}

const FILTER = `(@order IS NULL OR order_id = @order) AND (@location IS NULL OR location = @location) AND (@material IS NULL OR material = @material)
  AND (@from IS NULL OR posted_at >= @from) AND (@to IS NULL OR posted_at < @to)`;

/**
 * Usage variance (contracts §3): standard is the BOM quantity for the good quantity with component
 * scrap; actual is what was backflushed plus overrides, line scrap and attributed count/true-up
 * differences. Per order, material and location, for a period when given.
 */
export function getVariance(ctx: TerminalContext, rawInput: unknown): CommandResult<{ rows: VarianceRow[] }> {
  const parsed = parseInput(getVarianceInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const { db } = ctx;
  const params = { order: null, location: null, material: null, from: null, to: null, ...parsed.value };
  const confirmed = prepared(
    db,
    `SELECT order_id, product, line, material, location, sum(good_minor) AS good, sum(standard_minor) AS backflushed,
            sum(override_minor) AS overridden, sum(line_scrap_minor) AS line_scrap
     FROM confirmation_line WHERE ${FILTER} GROUP BY order_id, product, line, material, location`,
  ).all(params) as { order_id: string; product: string; line: number; material: string; location: string; good: number; backflushed: number; overridden: number; line_scrap: number }[];
  const attributed = prepared(
    db,
    `SELECT order_id, material, location, sum(quantity_minor) AS attributed FROM consumption
     WHERE source IN ('true-up', 'count') AND ${FILTER} GROUP BY order_id, material, location`,
  ).all(params) as { order_id: string; material: string; location: string; attributed: number }[];

  const rows = new Map<string, Omit<VarianceRow, 'uom' | 'actual' | 'variance'> & { decimals: number; uom: string }>();
  const row = (order: string, material: string, location: string) => {
    const key = `${order}\u0000${material}\u0000${location}`;
    let r = rows.get(key);
    if (!r) {
      const m = readMaterial(db, material);
      r = { order, product: readOrder(db, order)?.material ?? '', material, location, uom: m?.baseUom ?? '', decimals: m?.decimals ?? 0, standard: 0, backflushed: 0, overridden: 0, lineScrap: 0, attributed: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const c of confirmed) {
    const r = row(c.order_id, c.material, c.location);
    const order = readOrder(db, c.order_id);
    const component = order?.components.find((x) => x.line === c.line);
    const material = readMaterial(db, c.material);
    const product = order && readMaterial(db, order.material);
    // A fixed component's standard is its fixed quantity, which is what was calculated for it.
    r.standard += component && material && product && !component.fixed
      ? Number(cumulativeRequirement(component, material, c.good, product.decimals, order.baseQuantity).round(material.rounding))
      : c.backflushed;
    r.backflushed += c.backflushed;
    r.overridden += c.overridden;
    r.lineScrap += c.line_scrap;
  }
  for (const a of attributed) row(a.order_id, a.material, a.location).attributed += a.attributed;
  return {
    ok: true,
    value: {
      rows: [...rows.values()]
        .sort((a, b) => a.order.localeCompare(b.order) || a.material.localeCompare(b.material) || a.location.localeCompare(b.location))
        .map(({ decimals, ...r }) => {
          const actual = r.backflushed + r.overridden + r.lineScrap + r.attributed;
          const q = (minor: number) => fromMinor(minor, decimals);
          return {
            ...r, standard: q(r.standard), actual: q(actual), backflushed: q(r.backflushed), overridden: q(r.overridden),
            lineScrap: q(r.lineScrap), attributed: q(r.attributed), variance: q(actual - r.standard),
          };
        }),
    },
  };
}
