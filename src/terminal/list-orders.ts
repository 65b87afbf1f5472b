import type { ListOrdersResult } from '../api/command-results.js';
import { listOrdersInputSchema } from '../api/terminal-commands.js';
import { fromMinor } from '../domain/quantity.js';
import { prepared } from '../store/prepared.js';
import { parseInput, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

type OrderView = ListOrdersResult['orders'][number];

interface OrderRow {
  id: string; material: string; description: string; quantity_minor: number; decimals: number; base_uom: string; batch: string | null; status: string;
}

/** Orders with their operations and what is confirmed so far; with a work center, those that have an operation there. */
export function listOrders(ctx: TerminalContext, rawInput: unknown): CommandResult<ListOrdersResult> {
  const parsed = parseInput(listOrdersInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const rows = prepared(
    ctx.db,
    `SELECT o.id, o.material, m.description, o.quantity_minor, u.decimals, m.base_uom, o.batch, o.status
     FROM production_order o JOIN material m ON m.id = o.material JOIN uom u ON u.id = m.base_uom
     WHERE @workCenter IS NULL OR EXISTS (SELECT 1 FROM order_operation op WHERE op.order_id = o.id AND op.work_center = @workCenter)
     ORDER BY o.id`,
  ).all({ workCenter: parsed.value.workCenter ?? null }) as OrderRow[];
  return { ok: true, value: { orders: rows.map((row) => describeOrder(ctx, row)) } };
}

/** One order as `listOrders` shows it, or undefined when the terminal does not know it. */
export function readOrderView(ctx: TerminalContext, id: string): OrderView | undefined {
  const row = prepared(
    ctx.db,
    `SELECT o.id, o.material, m.description, o.quantity_minor, u.decimals, m.base_uom, o.batch, o.status
     FROM production_order o JOIN material m ON m.id = o.material JOIN uom u ON u.id = m.base_uom WHERE o.id = ?`,
  ).get(id) as OrderRow | undefined;
  return row && describeOrder(ctx, row);
}

function describeOrder(ctx: TerminalContext, row: OrderRow): OrderView {
  const q = (minor: number) => fromMinor(minor, row.decimals);
  const operations = prepared(
    ctx.db,
    `SELECT op.operation, op.work_center, op.description, p.good_minor, p.scrap_minor, p.final
     FROM order_operation op LEFT JOIN operation_progress p ON p.order_id = op.order_id AND p.operation = op.operation
     WHERE op.order_id = ? ORDER BY op.operation`,
  ).all(row.id) as { operation: string; work_center: string; description: string; good_minor: number | null; scrap_minor: number | null; final: number | null }[];
  return {
    id: row.id, product: row.material, productName: row.description, quantity: q(row.quantity_minor), uom: row.base_uom, batch: row.batch, status: row.status,
    operations: operations.map((op) => ({
      operation: op.operation, workCenter: op.work_center, description: op.description, plannedGood: q(row.quantity_minor),
      confirmedGood: q(op.good_minor ?? 0), confirmedScrap: q(op.scrap_minor ?? 0), final: op.final === 1,
    })),
  };
}
