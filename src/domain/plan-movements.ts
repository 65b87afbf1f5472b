import { allocate, orderSources } from './choose-sources.js';
import type { BacklogRecord, Effect, HuRecord } from './effects.js';
import { fail, ok, type Result } from './result.js';
import type { StockSource } from './types.js';

function usable(hu: HuRecord): Result<null> {
  if (hu.state === 'cancelled') return fail('hu-cancelled', `HU ${hu.id} was cancelled and cannot be used.`);
  if (hu.state === 'empty' || hu.quantityMinor <= 0) return fail('hu-empty', `The books say HU ${hu.id} is empty.`);
  return ok(null);
}

/** Moves a whole HU; a mounted HU comes off its machine first. */
export function planTransfer(hu: HuRecord, to: { id: string }): Result<Effect[]> {
  const check = usable(hu);
  if (!check.ok) return check;
  if (hu.location === to.id) return fail('hu-already-there', `HU ${hu.id} is already at ${to.id}.`);
  const effects: Effect[] = [];
  if (hu.state === 'mounted') effects.push({ t: 'hu-state', hu: hu.id, from: 'mounted', to: 'available' });
  effects.push({ t: 'hu-move', hu: hu.id, from: hu.location, to: to.id });
  return ok(effects);
}

/** Mounts an HU at its machine location; the HU of the same material mounted before comes off. */
export function planMount(hu: HuRecord, location: { id: string; kind: string }, mountedThere: readonly HuRecord[]): Result<Effect[]> {
  if (location.kind !== 'machine') return fail('not-a-machine-location', `${location.id} is not a machine location; HUs are mounted at machines.`);
  if (hu.location !== location.id) {
    return fail('hu-not-at-location', `HU ${hu.id} is at ${hu.location}, not at ${location.id}. Have it transferred first.`, {
      hu: hu.id, location: hu.location,
    });
  }
  const check = usable(hu);
  if (!check.ok) return check;
  if (hu.state === 'mounted') return ok([]);
  const effects: Effect[] = mountedThere
    .filter((other) => other.material === hu.material && other.id !== hu.id)
    .map((other): Effect => ({ t: 'hu-state', hu: other.id, from: 'mounted', to: 'available' }));
  effects.push({ t: 'hu-state', hu: hu.id, from: 'available', to: 'mounted' });
  return ok(effects);
}

/**
 * Retries open backlog (oldest first) against the stock now at its location, booking what it can
 * to each entry's order and operation.
 */
export function planBacklogRetry(entries: readonly BacklogRecord[], sources: readonly StockSource[]): { effects: Effect[]; retried: { id: string; quantityMinor: number }[] } {
  const ordered = orderSources(sources);
  const remaining = new Map<StockSource, number>();
  const effects: Effect[] = [];
  const retried: { id: string; quantityMinor: number }[] = [];
  for (const entry of entries) {
    const { takes, shortfallMinor } = allocate(ordered, entry.openMinor, remaining);
    const taken = entry.openMinor - shortfallMinor;
    if (taken === 0) continue;
    const consumedFor = { order: entry.order, operation: entry.operation };
    for (const take of takes) {
      if (take.source.hu === null) {
        effects.push({ t: 'bulk-quantity', location: take.source.location, material: take.source.material, batch: take.source.batch, deltaMinor: -take.quantityMinor, for: consumedFor });
      } else {
        effects.push({ t: 'hu-quantity', hu: take.source.hu, deltaMinor: -take.quantityMinor, for: consumedFor, location: take.source.location });
        if (take.emptiesHu) effects.push({ t: 'hu-state', hu: take.source.hu, from: take.source.mounted ? 'mounted' : 'available', to: 'empty' });
      }
    }
    effects.push({ t: 'backlog-settle', id: entry.id, quantityMinor: taken, how: 'retried' });
    retried.push({ id: entry.id, quantityMinor: taken });
  }
  return { effects, retried };
}
