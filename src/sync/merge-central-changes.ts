// The merge rule of the pull: the local view is the central's state plus this terminal's
// postings that the central has not acknowledged yet. Pure: the caller reads the database.
import type { HuState as CentralHu, StockChange } from '../api/sync.js';
import { bulkKey, type Effect } from '../domain/effects.js';

type HuStockEffect = Extract<Effect, { t: 'hu-quantity' | 'hu-move' | 'hu-state' }>;
export type HuSetEffect = Extract<Effect, { t: 'hu-set' }>;
export type BulkSetEffect = Extract<Effect, { t: 'bulk-set' }>;

/** The stock effects of the unacknowledged postings, oldest first, by HU and by bulk key. */
export class PendingStock {
  readonly hus = new Map<string, HuStockEffect[]>();
  readonly bulk = new Map<string, number>();

  add(effects: readonly Effect[]): this {
    for (const e of effects) {
      switch (e.t) {
        case 'hu-quantity':
        case 'hu-move':
        case 'hu-state': {
          const list = this.hus.get(e.hu);
          if (list) list.push(e);
          else this.hus.set(e.hu, [e]);
          break;
        }
        case 'bulk-quantity': {
          const key = bulkKey(e.location, e.material, e.batch);
          this.bulk.set(key, (this.bulk.get(key) ?? 0) + e.deltaMinor);
          break;
        }
        default:
          // Creations, backlog, progress: not stock the central reports, nothing to rebase.
          break;
      }
    }
    return this;
  }
}

/** The central's state of an HU with this terminal's unacknowledged effects on it re-applied. */
export function rebaseHu(central: CentralHu, pending: readonly HuStockEffect[] = []): HuSetEffect {
  const hu: HuSetEffect = {
    t: 'hu-set', hu: central.id, material: central.material, batch: central.batch, expiry: central.expiry,
    location: central.location, quantityMinor: central.quantityMinor, state: central.state, parent: central.parent,
  };
  for (const e of pending) {
    // The effect's own `from` described this terminal's view when it posted; the central's state wins.
    if (e.t === 'hu-quantity') hu.quantityMinor += e.deltaMinor;
    else if (e.t === 'hu-move') hu.location = e.to;
    else hu.state = e.to;
  }
  return hu;
}

export function rebaseBulk(central: Extract<StockChange, { kind: 'bulk' }>, pendingDeltaMinor = 0): BulkSetEffect {
  return { t: 'bulk-set', location: central.location, material: central.material, batch: central.batch, quantityMinor: central.quantityMinor + pendingDeltaMinor };
}

/** What this terminal holds now, to leave out what would change nothing. */
export interface LocalStock {
  hu(id: string): Omit<HuSetEffect, 't'> | undefined;
  bulk(location: string, material: string, batch: string | null): number | undefined;
}

/**
 * One page of the central's changes as inbound effects: one `hu-set` per changed HU (its last
 * state in the page), parents before children, and one `bulk-set` per stock row without HU, each
 * rebased on the pending postings; rows that already read so locally are left out.
 */
export function mergeCentralChanges(changes: readonly StockChange[], pending: PendingStock, local: LocalStock): Effect[] {
  const hus = new Map<string, CentralHu>();
  const bulk = new Map<string, Extract<StockChange, { kind: 'bulk' }>>();
  for (const c of changes) {
    if (c.kind === 'hu') {
      // A later change of the same HU in the page supersedes the earlier one.
      hus.delete(c.hu.id);
      hus.set(c.hu.id, c.hu);
    } else {
      const key = bulkKey(c.location, c.material, c.batch);
      bulk.delete(key);
      bulk.set(key, c);
    }
  }

  const sets = new Map<string, HuSetEffect>();
  for (const [id, central] of hus) {
    const set = rebaseHu(central, pending.hus.get(id));
    // A parent this terminal has never seen (split elsewhere, out of scope) cannot be referenced here.
    if (set.parent !== null && !hus.has(set.parent) && local.hu(set.parent) === undefined) set.parent = null;
    sets.set(id, set);
  }
  const out: Effect[] = [];
  const placed = new Set<string>();
  const place = (set: HuSetEffect) => {
    if (placed.has(set.hu)) return;
    placed.add(set.hu);
    const parent = set.parent === null ? undefined : sets.get(set.parent);
    if (parent) place(parent);
    if (!sameHu(set, local.hu(set.hu))) out.push(set);
  };
  for (const set of sets.values()) place(set);

  for (const [key, central] of bulk) {
    const set = rebaseBulk(central, pending.bulk.get(key));
    if ((local.bulk(set.location, set.material, set.batch) ?? 0) !== set.quantityMinor) out.push(set);
  }
  return out;
}

function sameHu(a: HuSetEffect, b: Omit<HuSetEffect, 't'> | undefined): boolean {
  return (
    b !== undefined && a.material === b.material && a.batch === b.batch && a.expiry === b.expiry && a.location === b.location &&
    a.quantityMinor === b.quantityMinor && a.state === b.state && a.parent === b.parent
  );
}
