// The central's view of stock, moved forward by the postings of one push: pure, in memory, on the
// rows the push touches. A physical fact is never refused: what contradicts the central's view
// (an HU consumed twice, an HU that is elsewhere, an unknown HU, stock below zero) is applied as
// far as it can be and reported as an exception for a supervisor.
import type { Effect, HuRecord } from '../domain/effects.js';
import { fromMinor } from '../domain/quantity.js';

/** An HU as the central keeps it: the domain's record without the terminal's arrival bookkeeping. */
export type CentralHu = Omit<HuRecord, 'arrivedAt' | 'sinceSeq'>;

export interface CentralBulk {
  location: string;
  material: string;
  batch: string | null;
  quantityMinor: number;
}

export type SyncExceptionKind = 'double-consumption' | 'hu-elsewhere' | 'unknown-hu' | 'hu-created-twice' | 'negative-stock';

export interface SyncException {
  kind: SyncExceptionKind;
  terminal: string;
  seq: number;
  postingId: string;
  hu: string | null;
  location: string | null;
  material: string | null;
  message: string;
}

export interface ReceivedPosting {
  id: string;
  terminal: string;
  seq: number;
  effects: readonly Effect[];
}

export interface StockView {
  /** The HUs the postings name, as the central holds them (absent: unknown to the central). */
  hus: Map<string, CentralHu>;
  /** Bulk rows by `bulkRowKey`. */
  bulk: Map<string, CentralBulk>;
}

export interface StockChanges {
  /** Changed HUs with every location they were at before, during or after the push. */
  hus: Map<string, { hu: CentralHu; locations: Set<string> }>;
  bulk: Map<string, CentralBulk>;
  exceptions: SyncException[];
}

export type MaterialUnits = (material: string) => { decimals: number; uom: string } | undefined;

export const bulkRowKey = (location: string, material: string, batch: string | null): string => `${location}\u0000${material}\u0000${batch ?? ''}`;

/** Applies the stock effects (hu-*, bulk-quantity) of `postings` to `view` in place; the rest is kept only in the ledger. */
export function applyStockEffects(view: StockView, postings: readonly ReceivedPosting[], units: MaterialUnits): StockChanges {
  const changes: StockChanges = { hus: new Map(), bulk: new Map(), exceptions: [] };
  const amount = (material: string, minor: number) => {
    const u = units(material);
    return u ? `${fromMinor(minor, u.decimals)} ${u.uom}` : `${minor} (minor units)`;
  };

  for (const posting of postings) {
    const raised = new Set<string>();
    const raise = (kind: SyncExceptionKind, at: { hu?: string; location?: string | null; material?: string | null }, message: string) => {
      const key = `${kind}\u0000${at.hu ?? ''}\u0000${at.location ?? ''}`;
      if (raised.has(key)) return;
      raised.add(key);
      changes.exceptions.push({
        kind, terminal: posting.terminal, seq: posting.seq, postingId: posting.id,
        hu: at.hu ?? null, location: at.location ?? null, material: at.material ?? null, message,
      });
    };
    const touch = (hu: CentralHu, before: string) => {
      const entry = changes.hus.get(hu.id) ?? { hu, locations: new Set<string>() };
      entry.hu = hu;
      entry.locations.add(before).add(hu.location);
      changes.hus.set(hu.id, entry);
    };
    const known = (id: string): CentralHu | undefined => {
      const hu = view.hus.get(id);
      if (!hu) raise('unknown-hu', { hu: id }, `${posting.terminal} posted on HU ${id}, which the central does not know; the central's stock leaves it out.`);
      return hu;
    };
    const who = `${posting.terminal} (posting ${posting.seq})`;

    for (const e of posting.effects) {
      switch (e.t) {
        case 'hu-create': {
          const existing = view.hus.get(e.hu);
          if (existing) {
            raise('hu-created-twice', { hu: e.hu, location: e.location, material: e.material },
              `${who} made HU ${e.hu} at ${e.location}, but the central already has an HU ${e.hu} (${existing.material} at ${existing.location}); the new one's place and material are taken.`);
          }
          const hu: CentralHu = {
            id: e.hu, material: e.material, batch: e.batch, expiry: e.expiry, location: e.location,
            quantityMinor: existing?.quantityMinor ?? 0, state: existing?.state ?? 'available', parent: e.parent,
          };
          view.hus.set(e.hu, hu);
          touch(hu, existing?.location ?? e.location);
          break;
        }
        case 'hu-quantity': {
          const hu = known(e.hu);
          if (!hu) break;
          if (e.location !== undefined && e.location !== hu.location) {
            raise('hu-elsewhere', { hu: hu.id, location: e.location, material: hu.material },
              `${who} took ${amount(hu.material, -e.deltaMinor)} from HU ${hu.id} at ${e.location}, but the central has that HU at ${hu.location}.`);
          }
          const before = hu.quantityMinor;
          hu.quantityMinor += e.deltaMinor;
          if (e.deltaMinor < 0 && hu.quantityMinor < 0) {
            raise('double-consumption', { hu: hu.id, location: e.location ?? hu.location, material: hu.material },
              `${who} took ${amount(hu.material, -e.deltaMinor)} from HU ${hu.id}, which held ${amount(hu.material, before)} at the central: it was consumed more than once (now ${amount(hu.material, hu.quantityMinor)}).`);
          }
          touch(hu, hu.location);
          break;
        }
        case 'hu-move': {
          const hu = known(e.hu);
          if (!hu) break;
          const before = hu.location;
          if (before !== e.from) {
            raise('hu-elsewhere', { hu: hu.id, location: e.from, material: hu.material },
              `${who} moved HU ${hu.id} from ${e.from} to ${e.to}, but the central had it at ${before}.`);
          }
          hu.location = e.to;
          touch(hu, before);
          break;
        }
        case 'hu-state': {
          // The state follows the latest fact; a state that disagrees is the shadow of a quantity
          // or location conflict, which is reported where it happens.
          const hu = known(e.hu);
          if (!hu) break;
          hu.state = e.to;
          touch(hu, hu.location);
          break;
        }
        case 'bulk-quantity': {
          const key = bulkRowKey(e.location, e.material, e.batch);
          const row = view.bulk.get(key) ?? { location: e.location, material: e.material, batch: e.batch, quantityMinor: 0 };
          const before = row.quantityMinor;
          row.quantityMinor += e.deltaMinor;
          view.bulk.set(key, row);
          changes.bulk.set(key, row);
          // Only the step below zero: a plant that books negative stock on purpose is told once.
          if (before >= 0 && row.quantityMinor < 0) {
            raise('negative-stock', { location: e.location, material: e.material },
              `${who} took ${amount(e.material, -e.deltaMinor)} of ${e.material} at ${e.location}, where the central had ${amount(e.material, before)}: the stock is now ${amount(e.material, row.quantityMinor)}.`);
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return changes;
}

/** The HU ids and bulk rows the postings' stock effects name: what ingest loads before applying. */
export function stockKeysOf(postings: readonly ReceivedPosting[]): { hus: string[]; bulk: { location: string; material: string; batch: string }[] } {
  const hus = new Set<string>();
  const bulk = new Map<string, { location: string; material: string; batch: string }>();
  for (const p of postings) {
    for (const e of p.effects) {
      if (e.t === 'hu-create' || e.t === 'hu-quantity' || e.t === 'hu-move' || e.t === 'hu-state') hus.add(e.hu);
      else if (e.t === 'bulk-quantity') bulk.set(bulkRowKey(e.location, e.material, e.batch), { location: e.location, material: e.material, batch: e.batch ?? '' });
    }
  }
  return { hus: [...hus], bulk: [...bulk.values()] };
}
