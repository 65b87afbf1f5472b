// GET /api/export?cursor=: confirmations and goods movements for the ERP, in the order the
// central received them. The cursor is the position of the last posting read; mounts move no
// goods and are left out. Quantities are in the material's base UoM.
import type { Effect } from '../domain/effects.js';
import { fromMinor } from '../domain/quantity.js';
import type { CentralDb } from './central-db.js';
import { CentralError } from './central-error.js';
import type { PostingHeader } from './read-handling-unit.js';

export interface ExportConfirmation {
  order: string;
  operation: string;
  material: string | null;
  good: number;
  scrap: number;
  uom: string | null;
  /** Set when the posting marked the operation final (true) or took that back (false). */
  final: boolean | null;
}

export interface ExportGoodsMovement {
  /** consumption: issued to an order; receipt: produced by a confirmation; adjustment: a count, true-up, split or correction; transfer: an HU moved whole. */
  movement: 'consumption' | 'receipt' | 'adjustment' | 'transfer';
  material: string | null;
  batch: string | null;
  hu: string | null;
  location: string;
  /** For a transfer: where the HU went. */
  to: string | null;
  /** Positive for what a consumption took or a receipt added; signed for an adjustment; null for a whole-HU transfer. */
  quantity: number | null;
  uom: string | null;
  order: string | null;
  operation: string | null;
}

export interface ExportEntry extends PostingHeader {
  position: number;
  /** The posting this one reverses, when it is a reversal. */
  reverses: string | null;
  confirmations: ExportConfirmation[];
  goodsMovements: ExportGoodsMovement[];
}

export function parseExportCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw new CentralError(400, 'invalid-cursor', `"${cursor.slice(0, 80)}" is not an export cursor; start with 0.`);
  return Number(cursor);
}

export async function readExport(db: CentralDb, after: number, limit: number): Promise<{ entries: ExportEntry[]; cursor: string; more: boolean }> {
  const rows = await db.query<{
    ingest_seq: number; terminal_id: string; seq: number; id: string; kind: string; created_at: string; received_at: Date; user_id: string; body: string;
  }>(
    `SELECT ingest_seq, terminal_id, seq, id, kind, created_at, received_at, user_id, body
     FROM posting WHERE ingest_seq > $1 AND kind <> 'mount' ORDER BY ingest_seq LIMIT $2`,
    [after, limit + 1],
  );
  const more = rows.length > limit;
  const page = (more ? rows.slice(0, limit) : rows).map(({ body, ...row }) => ({ ...row, effects: (JSON.parse(body) as { effects: Effect[] }).effects }));
  const lookup = await loadLookups(db, page.flatMap((p) => p.effects));
  const entries = page.map((p): ExportEntry => {
    // Summed in minor units, converted once: decimal fractions do not add exactly as floats.
    const confirmations = new Map<string, ExportConfirmation & { goodMinor: number; scrapMinor: number }>();
    const confirmation = (order: string, operation: string) => {
      const key = `${order}\u0000${operation}`;
      let c = confirmations.get(key);
      if (!c) {
        const material = lookup.orders.get(order) ?? null;
        const uom = material === null ? null : (lookup.units.get(material)?.uom ?? null);
        c = { order, operation, material, good: 0, scrap: 0, uom, final: null, goodMinor: 0, scrapMinor: 0 };
        confirmations.set(key, c);
      }
      return c;
    };
    const goodsMovements: ExportGoodsMovement[] = [];
    let reverses: string | null = null;
    for (const e of p.effects) {
      switch (e.t) {
        case 'progress': {
          const c = confirmation(e.order, e.operation);
          c.goodMinor += e.goodMinor;
          c.scrapMinor += e.scrapMinor;
          break;
        }
        case 'final':
          confirmation(e.order, e.operation).final = e.final;
          break;
        case 'hu-quantity': {
          const hu = lookup.hus.get(e.hu);
          const material = hu?.material ?? null;
          goodsMovements.push(movement(lookup, p.kind, e.deltaMinor, e.for, {
            material, batch: hu?.batch ?? null, hu: e.hu, location: e.location ?? hu?.location ?? '',
          }));
          break;
        }
        case 'bulk-quantity':
          goodsMovements.push(movement(lookup, p.kind, e.deltaMinor, e.for, { material: e.material, batch: e.batch, hu: null, location: e.location }));
          break;
        case 'hu-move': {
          const hu = lookup.hus.get(e.hu);
          const material = hu?.material ?? null;
          goodsMovements.push({
            movement: 'transfer', material, batch: hu?.batch ?? null, hu: e.hu, location: e.from, to: e.to, quantity: null,
            uom: material === null ? null : (lookup.units.get(material)?.uom ?? null), order: null, operation: null,
          });
          break;
        }
        case 'reversed':
          reverses = e.posting;
          break;
        default:
          break;
      }
    }
    return {
      position: p.ingest_seq, terminal: p.terminal_id, seq: p.seq, postingId: p.id, kind: p.kind, createdAt: p.created_at,
      receivedAt: p.received_at.toISOString(), user: p.user_id, reverses,
      confirmations: [...confirmations.values()].map(({ goodMinor, scrapMinor, ...c }) => {
        const decimals = c.material === null ? 0 : (lookup.units.get(c.material)?.decimals ?? 0);
        return { ...c, good: fromMinor(goodMinor, decimals), scrap: fromMinor(scrapMinor, decimals) };
      }),
      goodsMovements,
    };
  });
  return { entries, cursor: String(page[page.length - 1]?.ingest_seq ?? after), more };
}

interface Lookups {
  hus: Map<string, { material: string; batch: string | null; location: string }>;
  units: Map<string, { decimals: number; uom: string }>;
  orders: Map<string, string>;
}

function movement(
  lookup: Lookups,
  kind: string,
  deltaMinor: number,
  consumedFor: { order: string; operation: string } | undefined,
  at: { material: string | null; batch: string | null; hu: string | null; location: string },
): ExportGoodsMovement {
  const units = at.material === null ? undefined : lookup.units.get(at.material);
  const quantity = (minor: number) => fromMinor(minor, units?.decimals ?? 0);
  const base = { ...at, to: null, uom: units?.uom ?? null, order: consumedFor?.order ?? null, operation: consumedFor?.operation ?? null };
  if (consumedFor) return { ...base, movement: 'consumption', quantity: quantity(-deltaMinor) };
  if (kind === 'confirmation' && deltaMinor > 0) return { ...base, movement: 'receipt', quantity: quantity(deltaMinor) };
  return { ...base, movement: 'adjustment', quantity: quantity(deltaMinor) };
}

async function loadLookups(db: CentralDb, effects: readonly Effect[]): Promise<Lookups> {
  const huIds = [...new Set(effects.flatMap((e) => (e.t === 'hu-quantity' || e.t === 'hu-move' ? [e.hu] : [])))];
  const orderIds = [...new Set(effects.flatMap((e) => (e.t === 'progress' || e.t === 'final' ? [e.order] : [])))];
  const hus = huIds.length === 0 ? [] : await db.query<{ id: string; material: string; batch: string | null; location: string }>(
    'SELECT id, material, batch, location FROM handling_unit WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))',
    [JSON.stringify(huIds)],
  );
  const orders = orderIds.length === 0 ? [] : await db.query<{ id: string; material: string }>(
    'SELECT id, material FROM production_order WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))',
    [JSON.stringify(orderIds)],
  );
  const materials = [...new Set([...hus.map((h) => h.material), ...orders.map((o) => o.material), ...effects.flatMap((e) => (e.t === 'bulk-quantity' ? [e.material] : []))])];
  const units = materials.length === 0 ? [] : await db.query<{ id: string; base_uom: string; decimals: number }>(
    'SELECT id, base_uom, decimals FROM material WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))',
    [JSON.stringify(materials)],
  );
  return {
    hus: new Map(hus.map((h) => [h.id, h])),
    units: new Map(units.map((u) => [u.id, { decimals: u.decimals, uom: u.base_uom }])),
    orders: new Map(orders.map((o) => [o.id, o.material])),
  };
}
