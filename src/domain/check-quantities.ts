import { fromMinor } from './quantity.js';
import { fail, ok, type Result } from './result.js';
import type { OperationProgress, ProductionOrder } from './types.js';

/**
 * product.md "Quantities that make no sense", checked before stock is looked at. Negative,
 * non-finite and too-precise numbers never get this far: they fail conversion to minor units.
 */
export function checkConfirmationQuantities(args: {
  order: ProductionOrder;
  operation: string;
  goodMinor: number;
  scrapMinor: number;
  productDecimals: number;
  productUom: string;
  progress: ReadonlyMap<string, OperationProgress>;
  tolerancePct: number;
  mayExceedLimits: boolean;
}): Result<null> {
  const { order, operation, goodMinor, scrapMinor, productDecimals: dp, productUom: uom } = args;
  if (goodMinor === 0 && scrapMinor === 0) {
    return fail('zero-quantity', 'Enter a good or a scrap quantity: both are zero.');
  }
  const done = args.progress.get(operation);
  const cumulative = (done?.goodMinor ?? 0) + (done?.scrapMinor ?? 0) + goodMinor + scrapMinor;
  const limitMinor = Math.floor((order.quantityMinor * (100 + args.tolerancePct)) / 100);
  if (cumulative > limitMinor && !args.mayExceedLimits) {
    return fail(
      'over-tolerance',
      `Good + scrap of operation ${operation} would be ${fromMinor(cumulative, dp)} ${uom}; ` +
        `the order allows at most ${fromMinor(limitMinor, dp)} ${uom} (${fromMinor(order.quantityMinor, dp)} + ${args.tolerancePct} %). A supervisor can confirm more.`,
      { cumulative: fromMinor(cumulative, dp), limit: fromMinor(limitMinor, dp) },
    );
  }
  const sequence = order.operations.map((o) => o.operation).sort();
  const previous = sequence[sequence.indexOf(operation) - 1];
  if (previous !== undefined && !args.mayExceedLimits) {
    const previousGood = args.progress.get(previous)?.goodMinor ?? 0;
    const cumulativeGood = (done?.goodMinor ?? 0) + goodMinor;
    if (cumulativeGood > previousGood) {
      return fail(
        'exceeds-previous-operation',
        `Good quantity of operation ${operation} would be ${fromMinor(cumulativeGood, dp)} ${uom}, ` +
          `more than the ${fromMinor(previousGood, dp)} ${uom} good of operation ${previous}. A supervisor can confirm more.`,
        { cumulativeGood: fromMinor(cumulativeGood, dp), limit: fromMinor(previousGood, dp), previousOperation: previous },
      );
    }
  }
  return ok(null);
}
