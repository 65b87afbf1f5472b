// What a posting does to stock and state, recorded in the posting itself. The store applies
// effects to its tables in the posting's transaction; `replay` folds them in memory, and
// `shopfloor check` compares the two. Quantities are integers in minor units (quantity.ts).
import type { HuState } from './types.js';

/** The order and operation a consumption is booked to (for variance and genealogy). */
export interface ConsumedFor {
  order: string;
  operation: string;
  /** A count or true-up difference attributed to the order; absent for backflush. */
  source?: 'true-up' | 'count';
}

/** How open backlog is settled: retried against stock, booked negative, written off, cancelled by a reversal; or reopened. */
export type BacklogSettlement = 'retried' | 'negative' | 'writtenOff' | 'cancelled' | 'reopened';

export type Effect =
  | { t: 'hu-create'; hu: string; material: string; batch: string | null; expiry: string | null; location: string; parent: string | null }
  | { t: 'hu-quantity'; hu: string; deltaMinor: number; for?: ConsumedFor; location?: string }
  | { t: 'hu-move'; hu: string; from: string; to: string }
  | { t: 'hu-state'; hu: string; from: HuState; to: HuState }
  | { t: 'bulk-quantity'; location: string; material: string; batch: string | null; deltaMinor: number; for?: ConsumedFor }
  | { t: 'backlog-open'; id: string; order: string; operation: string; material: string; location: string; quantityMinor: number; reason: string }
  | { t: 'backlog-settle'; id: string; quantityMinor: number; how: BacklogSettlement }
  | { t: 'progress'; order: string; operation: string; goodMinor: number; scrapMinor: number }
  | { t: 'final'; order: string; operation: string; final: boolean }
  | { t: 'fixed-issue'; order: string; line: number; issued: boolean }
  | { t: 'reversed'; posting: string }
  /** Inbound only: an HU as the central reports it (rebased with this terminal's unsent postings). */
  | { t: 'hu-set'; hu: string; material: string; batch: string | null; expiry: string | null; location: string; quantityMinor: number; state: HuState; parent: string | null }
  /** Inbound only: stock without HU as the central reports it (rebased likewise). */
  | { t: 'bulk-set'; location: string; material: string; batch: string | null; quantityMinor: number };

export interface HuRecord {
  id: string;
  material: string;
  batch: string | null;
  expiry: string | null;
  location: string;
  quantityMinor: number;
  state: HuState;
  arrivedAt: string;
  parent: string | null;
  /** The seq after which consumption from it counts for a true-up (its last mount, else arrival). */
  sinceSeq?: number;
}

export interface BacklogRecord {
  id: string;
  order: string;
  operation: string;
  material: string;
  location: string;
  quantityMinor: number;
  openMinor: number;
  reason: string;
}

export interface ReplayState {
  hus: Map<string, HuRecord>;
  bulk: Map<string, { location: string; material: string; batch: string | null; quantityMinor: number }>;
  backlog: Map<string, BacklogRecord>;
  progress: Map<string, { order: string; operation: string; goodMinor: number; scrapMinor: number; final: boolean }>;
  fixedIssued: Set<string>;
  reversedBy: Map<string, string>;
}

export function emptyReplayState(): ReplayState {
  return { hus: new Map(), bulk: new Map(), backlog: new Map(), progress: new Map(), fixedIssued: new Set(), reversedBy: new Map() };
}

export const bulkKey = (location: string, material: string, batch: string | null): string => `${location}\u0000${material}\u0000${batch ?? ''}`;
export const progressKey = (order: string, operation: string): string => `${order}\u0000${operation}`;
export const fixedKey = (order: string, line: number): string => `${order}\u0000${line}`;

/** Folds one posting's (or inbound record's) effects into the state; `by` is the posting id, `at` its time. */
export function replayEffects(state: ReplayState, effects: readonly Effect[], at: string, by: string): void {
  for (const e of effects) {
    switch (e.t) {
      case 'hu-create':
        if (state.hus.has(e.hu)) throw new Error(`HU ${e.hu} created twice`);
        state.hus.set(e.hu, {
          id: e.hu, material: e.material, batch: e.batch, expiry: e.expiry, location: e.location,
          quantityMinor: 0, state: 'available', arrivedAt: at, parent: e.parent,
        });
        break;
      case 'hu-quantity':
        mustHu(state, e.hu).quantityMinor += e.deltaMinor;
        break;
      case 'hu-move': {
        const hu = mustHu(state, e.hu);
        hu.location = e.to;
        hu.arrivedAt = at;
        break;
      }
      case 'hu-state':
        mustHu(state, e.hu).state = e.to;
        break;
      case 'bulk-quantity': {
        const key = bulkKey(e.location, e.material, e.batch);
        const row = state.bulk.get(key) ?? { location: e.location, material: e.material, batch: e.batch, quantityMinor: 0 };
        row.quantityMinor += e.deltaMinor;
        state.bulk.set(key, row);
        break;
      }
      case 'backlog-open':
        state.backlog.set(e.id, {
          id: e.id, order: e.order, operation: e.operation, material: e.material, location: e.location,
          quantityMinor: e.quantityMinor, openMinor: e.quantityMinor, reason: e.reason,
        });
        break;
      case 'backlog-settle': {
        const entry = state.backlog.get(e.id);
        if (!entry) throw new Error(`backlog ${e.id} unknown`);
        entry.openMinor += e.how === 'reopened' ? e.quantityMinor : -e.quantityMinor;
        break;
      }
      case 'progress': {
        const p = progressRow(state, e.order, e.operation);
        p.goodMinor += e.goodMinor;
        p.scrapMinor += e.scrapMinor;
        break;
      }
      case 'final':
        progressRow(state, e.order, e.operation).final = e.final;
        break;
      case 'fixed-issue':
        if (e.issued) state.fixedIssued.add(fixedKey(e.order, e.line));
        else state.fixedIssued.delete(fixedKey(e.order, e.line));
        break;
      case 'reversed':
        state.reversedBy.set(e.posting, by);
        break;
      case 'hu-set': {
        const before = state.hus.get(e.hu);
        // Arrival changes only when the HU is new here or the central has it somewhere else.
        const arrivedAt = before && before.location === e.location ? before.arrivedAt : at;
        state.hus.set(e.hu, {
          id: e.hu, material: e.material, batch: e.batch, expiry: e.expiry, location: e.location,
          quantityMinor: e.quantityMinor, state: e.state, arrivedAt, parent: e.parent,
        });
        break;
      }
      case 'bulk-set':
        state.bulk.set(bulkKey(e.location, e.material, e.batch), { location: e.location, material: e.material, batch: e.batch, quantityMinor: e.quantityMinor });
        break;
    }
  }
}

function mustHu(state: ReplayState, id: string): HuRecord {
  const hu = state.hus.get(id);
  if (!hu) throw new Error(`HU ${id} used before it was created`);
  return hu;
}

function progressRow(state: ReplayState, order: string, operation: string) {
  const key = progressKey(order, operation);
  let row = state.progress.get(key);
  if (!row) {
    row = { order, operation, goodMinor: 0, scrapMinor: 0, final: false };
    state.progress.set(key, row);
  }
  return row;
}
