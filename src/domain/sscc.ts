// SSCC (GS1 AI 00): extension digit + company prefix + serial reference + check digit, 18 digits.

/** GS1 mod-10 check digit of a digit string (weights 3,1,3,… from the right). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGs1CheckDigit(digitsWithCheck: string): boolean {
  if (!/^\d{2,}$/.test(digitsWithCheck)) return false;
  return gs1CheckDigit(digitsWithCheck.slice(0, -1)) === Number(digitsWithCheck.at(-1));
}

/** How many serials a company prefix leaves (extension digit and serial reference together). */
export function ssccCapacity(companyPrefix: string): number {
  return 10 ** (17 - companyPrefix.length);
}

/**
 * The SSCC for serial `n` of a company prefix. The first digit of `n` (padded) becomes the
 * extension digit, so a terminal's serial range is one plain integer interval.
 */
export function makeSscc(companyPrefix: string, n: number): string {
  const width = 17 - companyPrefix.length;
  if (!Number.isSafeInteger(n) || n < 0 || n >= 10 ** width) throw new RangeError(`serial ${n} outside 0..${10 ** width - 1}`);
  const padded = String(n).padStart(width, '0');
  const body = padded.slice(0, 1) + companyPrefix + padded.slice(1);
  return body + String(gs1CheckDigit(body));
}
