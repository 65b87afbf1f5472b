// Stock is kept in integer minor units of each material's base UoM (decimals 2: 12.34 m → 1234),
// so balances add up exactly and a replay gives the very same numbers.
import { Rational } from './rational.js';

export const MAX_DECIMALS = 6;

/** Minor units for a quantity, or null when it is not finite or has more decimals than the UoM allows. */
export function toMinor(value: number, decimals: number): number | null {
  if (!Number.isFinite(value)) return null;
  const scaled = Rational.fromNumber(value).mul(Rational.of(10n ** BigInt(decimals)));
  if (!scaled.isInteger()) return null;
  const minor = Number(scaled.n);
  return Number.isSafeInteger(minor) ? minor : null;
}

export function fromMinor(minor: number, decimals: number): number {
  return minor / 10 ** decimals;
}

/** The value as a Rational in base units. */
export function minorToRational(minor: number, decimals: number): Rational {
  return Rational.of(BigInt(minor), 10n ** BigInt(decimals));
}
