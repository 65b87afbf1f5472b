import { attributeDifference, type ConsumptionShare } from './attribute-difference.js';
import type { Effect, HuRecord } from './effects.js';
import { fail, ok, type Result } from './result.js';

/** Moves part of an HU into a new HU (a split): same material, batch and expiry, linked to its parent. */
export function planSplit(hu: HuRecord, quantityMinor: number, childId: string, to: { id: string }): Result<Effect[]> {
  if (hu.state === 'cancelled') return fail('hu-cancelled', `HU ${hu.id} was cancelled and cannot be used.`);
  if (hu.state === 'empty' || hu.quantityMinor <= 0) return fail('hu-empty', `The books say HU ${hu.id} is empty.`);
  if (quantityMinor <= 0) return fail('invalid-quantity', 'A split needs a quantity above zero.');
  if (quantityMinor >= hu.quantityMinor) return fail('exceeds-hu', `HU ${hu.id} holds less than that; move the whole HU instead.`);
  return ok([
    { t: 'hu-create', hu: childId, material: hu.material, batch: hu.batch, expiry: hu.expiry, location: to.id, parent: hu.id },
    { t: 'hu-quantity', hu: hu.id, deltaMinor: -quantityMinor },
    { t: 'hu-quantity', hu: childId, deltaMinor: quantityMinor },
  ]);
}

/**
 * Posts the difference between book and actual of one HU or bulk stock, attributed to the orders
 * that consumed there since (in proportion); the part nobody consumed stays unattributed.
 */
export function differenceEffects(
  target: { hu: string } | { location: string; material: string; batch: string | null },
  differenceMinor: number,
  consumedSince: readonly ConsumptionShare[],
  source: 'true-up' | 'count',
): Effect[] {
  const shares = attributeDifference(differenceMinor, consumedSince);
  const attributed = shares.reduce((sum, s) => sum + s.shareMinor, 0);
  const parts: { deltaMinor: number; for?: { order: string; operation: string; source: 'true-up' | 'count' } }[] = shares.map((s) => ({
    deltaMinor: -s.shareMinor, for: { order: s.order, operation: s.operation, source },
  }));
  if (differenceMinor !== attributed) parts.push({ deltaMinor: -(differenceMinor - attributed) });
  return parts.map((p) =>
    'hu' in target
      ? { t: 'hu-quantity' as const, hu: target.hu, ...p }
      : { t: 'bulk-quantity' as const, location: target.location, material: target.material, batch: target.batch, ...p },
  );
}

/** A true-up: the HU holds `actualMinor` now (0 = empty). */
export function planTrueUp(hu: HuRecord, actualMinor: number, consumedSince: readonly ConsumptionShare[]): Result<{ effects: Effect[]; differenceMinor: number }> {
  if (hu.state === 'cancelled') return fail('hu-cancelled', `HU ${hu.id} was cancelled and cannot be used.`);
  if (actualMinor < 0) return fail('invalid-quantity', 'What is left cannot be negative.');
  const differenceMinor = hu.quantityMinor - actualMinor;
  const effects = differenceEffects({ hu: hu.id }, differenceMinor, consumedSince, 'true-up');
  if (actualMinor === 0 && hu.state !== 'empty') effects.push({ t: 'hu-state', hu: hu.id, from: hu.state, to: 'empty' });
  if (actualMinor > 0 && hu.state === 'empty') effects.push({ t: 'hu-state', hu: hu.id, from: 'empty', to: 'available' });
  return ok({ effects, differenceMinor });
}
