import { listAnomaliesInputSchema } from '../api/commands.js';
import { fromMinor } from '../domain/quantity.js';
import { prepared } from '../store/prepared.js';
import { readMaterial } from '../store/read-master-data.js';
import { parseInput, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface AnomalyView {
  id: string;
  kind: 'true-up' | 'count';
  location: string;
  material: string;
  hu: string | null;
  difference: number;
  consumedSince: number;
  uom: string;
  orders: { order: string; operation: string }[];
  operators: string[];
  createdAt: string;
}

/** True-up and count differences beyond the plant's threshold, newest first, for supervisors. */
export function listAnomalies(ctx: TerminalContext, rawInput: unknown): CommandResult<{ entries: AnomalyView[] }> {
  const parsed = parseInput(listAnomaliesInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const rows = prepared(ctx.db, 'SELECT * FROM anomaly WHERE @location IS NULL OR location = @location ORDER BY created_at DESC, rowid DESC').all({
    location: parsed.value.location ?? null,
  }) as { id: string; kind: AnomalyView['kind']; location: string; material: string; hu: string | null; difference_minor: number; consumed_since_minor: number; orders: string; operators: string; created_at: string }[];
  const entries = rows.map((r) => {
    const material = readMaterial(ctx.db, r.material);
    const q = (minor: number) => fromMinor(minor, material?.decimals ?? 0);
    return {
      id: r.id, kind: r.kind, location: r.location, material: r.material, hu: r.hu, difference: q(r.difference_minor), consumedSince: q(r.consumed_since_minor),
      uom: material?.baseUom ?? '', orders: JSON.parse(r.orders) as AnomalyView['orders'], operators: JSON.parse(r.operators) as string[], createdAt: r.created_at,
    };
  });
  return { ok: true, value: { entries } };
}
