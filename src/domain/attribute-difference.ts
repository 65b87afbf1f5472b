/** What an order consumed from an HU or location since it was mounted, arrived or last counted. */
export interface ConsumptionShare {
  order: string;
  operation: string;
  quantityMinor: number;
}

/**
 * Splits a difference over the orders in proportion to what each consumed, in whole minor units
 * by largest remainder, so the shares always add up to the difference exactly (product.md
 * "Transfers, counts and true-ups"). Orders that consumed nothing net get nothing.
 */
export function attributeDifference(differenceMinor: number, consumed: readonly ConsumptionShare[]): (ConsumptionShare & { shareMinor: number })[] {
  const weights = consumed.filter((c) => c.quantityMinor > 0);
  const total = weights.reduce((sum, c) => sum + c.quantityMinor, 0);
  if (total === 0 || differenceMinor === 0) return [];
  const sign = differenceMinor < 0 ? -1 : 1;
  const magnitude = BigInt(Math.abs(differenceMinor));
  const exact = weights.map((c) => ({ c, whole: (magnitude * BigInt(c.quantityMinor)) / BigInt(total), rest: (magnitude * BigInt(c.quantityMinor)) % BigInt(total) }));
  let left = magnitude - exact.reduce((sum, e) => sum + e.whole, 0n);
  // Largest remainders first; ties to the larger consumer, then the earlier order, so it is deterministic.
  const byRemainder = [...exact].sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : b.c.quantityMinor - a.c.quantityMinor));
  for (const e of byRemainder) {
    if (left === 0n) break;
    e.whole += 1n;
    left -= 1n;
  }
  return exact.filter((e) => e.whole > 0n).map((e) => ({ ...e.c, shareMinor: sign * Number(e.whole) }));
}

/**
 * product.md: a true-up or count difference beyond the plant's threshold (default 2 % of what was
 * consumed since, never less than one base unit) is a reporting error a supervisor sees as an anomaly.
 */
export function isAnomaly(differenceMinor: number, consumedSinceMinor: number, thresholdPct: number, decimals: number): boolean {
  const oneBaseUnit = 10 ** decimals;
  const threshold = Math.max((consumedSinceMinor * thresholdPct) / 100, oneBaseUnit);
  return Math.abs(differenceMinor) > threshold;
}
