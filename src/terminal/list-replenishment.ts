import { orderSources } from '../domain/choose-sources.js';
import { fromMinor } from '../domain/quantity.js';
import type { StockSource } from '../domain/types.js';
import { prepared } from '../store/prepared.js';
import { readMaterial } from '../store/read-master-data.js';
import type { CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface ReplenishmentTask {
  id: string;
  location: string;
  material: string;
  /** Still to bring, in the base UoM. */
  quantity: number;
  uom: string;
  createdAt: string;
  proposedHus: { hu: string; location: string; batch: string | null; quantity: number; expiry: string | null }[];
}

/** Open replenishment tasks with the HUs to bring from storage: first expiry first where known, else first in. */
export function listReplenishment(ctx: TerminalContext): CommandResult<{ tasks: ReplenishmentTask[] }> {
  const { db } = ctx;
  const open = prepared(db, 'SELECT id, location, material, open_minor, created_at FROM replenishment_task WHERE closed_at IS NULL ORDER BY created_at, id').all() as {
    id: string; location: string; material: string; open_minor: number; created_at: string;
  }[];
  const tasks = open.map((t) => {
    const material = readMaterial(db, t.material);
    const decimals = material?.decimals ?? 0;
    const inStorage = (
      prepared(
        db,
        `SELECT h.id, h.location, h.batch, h.quantity_minor, h.expiry, h.arrived_at FROM handling_unit h JOIN location l ON l.id = h.location
         WHERE h.material = ? AND h.state = 'available' AND h.quantity_minor > 0 AND l.kind = 'storage'`,
      ).all(t.material) as { id: string; location: string; batch: string | null; quantity_minor: number; expiry: string | null; arrived_at: string }[]
    ).map((h): StockSource => ({ location: h.location, material: t.material, hu: h.id, batch: h.batch, quantityMinor: h.quantity_minor, mounted: false, arrivedAt: h.arrived_at, expiry: h.expiry }));
    const proposed: ReplenishmentTask['proposedHus'] = [];
    let covered = 0;
    for (const s of orderSources(inStorage)) {
      if (covered >= t.open_minor) break;
      proposed.push({ hu: s.hu ?? '', location: s.location, batch: s.batch, quantity: fromMinor(s.quantityMinor, decimals), expiry: s.expiry });
      covered += s.quantityMinor;
    }
    return { id: t.id, location: t.location, material: t.material, quantity: fromMinor(t.open_minor, decimals), uom: material?.baseUom ?? '', createdAt: t.created_at, proposedHus: proposed };
  });
  return { ok: true, value: { tasks } };
}
