import { minorToRational } from './quantity.js';
import { Rational } from './rational.js';
import type { Material, OrderComponent } from './types.js';

/** Exact requirement in the component's minor units for a cumulative good + scrap of the product. */
export function cumulativeRequirement(
  component: OrderComponent,
  componentMaterial: Material,
  productQuantityMinor: number,
  productDecimals: number,
  baseQuantity: number,
): Rational {
  return minorToRational(productQuantityMinor, productDecimals)
    .mul(Rational.fromNumber(component.quantity))
    .div(Rational.fromNumber(baseQuantity))
    .mul(Rational.of(1).add(Rational.fromNumber(component.componentScrapPct).div(Rational.of(100))))
    .mul(Rational.of(10n ** BigInt(componentMaterial.decimals)));
}

/**
 * What one confirmation consumes of a variable component: the rounded cumulative requirement
 * including it minus the rounded cumulative requirement without it, so rounding never drifts
 * (ten confirmations of 1 at 0.3 consume 0,1,0,0,1,0,0,0,1,0).
 */
export function variableRequirementMinor(args: {
  component: OrderComponent;
  componentMaterial: Material;
  productDecimals: number;
  baseQuantity: number;
  confirmedBeforeMinor: number;
  confirmingMinor: number;
}): number {
  const at = (productMinor: number): bigint =>
    cumulativeRequirement(args.component, args.componentMaterial, productMinor, args.productDecimals, args.baseQuantity).round(
      args.componentMaterial.rounding,
    );
  return Number(at(args.confirmedBeforeMinor + args.confirmingMinor) - at(args.confirmedBeforeMinor));
}

/** A fixed component's quantity, consumed once per order. */
export function fixedRequirementMinor(component: OrderComponent, componentMaterial: Material): number {
  return Number(
    Rational.fromNumber(component.quantity).mul(Rational.of(10n ** BigInt(componentMaterial.decimals))).round(componentMaterial.rounding),
  );
}
