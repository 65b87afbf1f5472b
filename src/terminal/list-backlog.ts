import { listBacklogInputSchema } from '../api/commands.js';
import { fromMinor } from '../domain/quantity.js';
import { readMaterial } from '../store/read-master-data.js';
import { readOpenBacklog } from '../store/read-stock.js';
import { parseInput, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface BacklogEntryView {
  id: string;
  order: string;
  operation: string;
  material: string;
  location: string;
  /** Still open, in the material's base UoM. */
  quantity: number;
  uom: string;
  reason: string;
  createdAt: string;
}

/** Open backlog, oldest first, of one location or all. */
export function listBacklog(ctx: TerminalContext, rawInput: unknown): CommandResult<{ entries: BacklogEntryView[] }> {
  const parsed = parseInput(listBacklogInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const entries = readOpenBacklog(ctx.db, parsed.value.location === undefined ? {} : { location: parsed.value.location }).map((e) => {
    const material = readMaterial(ctx.db, e.material);
    return {
      id: e.id, order: e.order, operation: e.operation, material: e.material, location: e.location,
      quantity: fromMinor(e.openMinor, material?.decimals ?? 0), uom: material?.baseUom ?? '', reason: e.reason, createdAt: e.createdAt,
    };
  });
  return { ok: true, value: { entries } };
}
