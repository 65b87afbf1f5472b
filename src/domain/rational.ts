// Exact arithmetic for requirements: (G+S) × q / base × (1 + pct/100) must round the
// same way on every terminal, which floating point cannot promise (0.1 × 3 ≠ 0.3).

const TEN = 10n;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export type RoundingMode = 'halfUp' | 'up';

export class Rational {
  readonly n: bigint;
  readonly d: bigint;

  private constructor(n: bigint, d: bigint) {
    if (d === 0n) throw new RangeError('division by zero');
    const sign = d < 0n ? -1n : 1n;
    const g = gcd(n, d) || 1n;
    this.n = (sign * n) / g;
    this.d = (sign * d) / g;
  }

  static of(n: bigint | number, d: bigint | number = 1n): Rational {
    return new Rational(BigInt(n), BigInt(d));
  }

  /** The exact decimal a JSON number denotes (its shortest round-trip form). */
  static fromNumber(value: number): Rational {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    const [mantissa = '0', exponentText] = value.toString().toLowerCase().split('e');
    const exponent = exponentText === undefined ? 0 : Number(exponentText);
    const negative = mantissa.startsWith('-');
    const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
    let n = BigInt(whole + fraction) * (negative ? -1n : 1n);
    let d = TEN ** BigInt(fraction.length);
    if (exponent > 0) n *= TEN ** BigInt(exponent);
    if (exponent < 0) d *= TEN ** BigInt(-exponent);
    return new Rational(n, d);
  }

  add(o: Rational): Rational {
    return new Rational(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Rational): Rational {
    return new Rational(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Rational): Rational {
    return new Rational(this.n * o.n, this.d * o.d);
  }
  div(o: Rational): Rational {
    return new Rational(this.n * o.d, this.d * o.n);
  }
  isInteger(): boolean {
    return this.d === 1n;
  }

  /** Rounds to a whole number: `halfUp` rounds .5 away from zero, `up` away from zero. */
  round(mode: RoundingMode): bigint {
    const negative = this.n < 0n;
    const abs = negative ? -this.n : this.n;
    const rounded = mode === 'up' ? (abs + this.d - 1n) / this.d : (2n * abs + this.d) / (2n * this.d);
    return negative ? -rounded : rounded;
  }
}
