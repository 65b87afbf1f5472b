import type { StockSource } from './types.js';

/**
 * The order stock is taken in at a location (product.md "From where?"): the mounted HU,
 * then other HUs by earliest expiry where expiry dates exist, else oldest arrival,
 * then stock without an HU. Empty sources are left out.
 */
export function orderSources(sources: readonly StockSource[]): StockSource[] {
  const withStock = sources.filter((s) => s.quantityMinor > 0);
  const mounted = withStock.filter((s) => s.hu !== null && s.mounted);
  const hus = withStock.filter((s) => s.hu !== null && !s.mounted);
  const bulk = withStock.filter((s) => s.hu === null);
  const anyExpiry = hus.some((s) => s.expiry !== null);
  hus.sort(
    (a, b) =>
      (anyExpiry ? compareNullsLast(a.expiry, b.expiry) : 0) ||
      compareNullsLast(a.arrivedAt, b.arrivedAt) ||
      compareNullsLast(a.hu, b.hu),
  );
  bulk.sort((a, b) => compareNullsLast(a.batch, b.batch));
  return [...mounted, ...hus, ...bulk];
}

function compareNullsLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export interface Take {
  source: StockSource;
  quantityMinor: number;
  /** The HU reaches zero with this take: it is marked empty and the operator asked to take it off. */
  emptiesHu: boolean;
  /** What the source holds after this take (and the takes of earlier lines of the same posting). */
  remainingMinor: number;
}

/**
 * Takes `requiredMinor` from the ordered sources, partly where needed. `remaining` holds what
 * earlier lines of the same posting left in each source, and is updated.
 */
export function allocate(
  ordered: readonly StockSource[],
  requiredMinor: number,
  remaining: Map<StockSource, number>,
): { takes: Take[]; shortfallMinor: number } {
  const takes: Take[] = [];
  let open = requiredMinor;
  for (const source of ordered) {
    if (open <= 0) break;
    const available = remaining.get(source) ?? source.quantityMinor;
    if (available <= 0) continue;
    const quantityMinor = Math.min(available, open);
    remaining.set(source, available - quantityMinor);
    open -= quantityMinor;
    takes.push({ source, quantityMinor, emptiesHu: source.hu !== null && available === quantityMinor, remainingMinor: available - quantityMinor });
  }
  return { takes, shortfallMinor: open };
}
