// The content checks ("linters") the GS1 Barcode Syntax Dictionary names, one per name, mapped to the error codes of contracts §2.
import { gs1CheckDigit, isValidGs1CheckDigit } from '../domain/sscc.js';
import type { ScanErrorCode } from './decoded-scan.js';
import type { Gs1Linter } from './gs1-ai-table.generated.js';
import { ISO_CODES } from './iso-codes.generated.js';
import { daysInMonth, isLeapYear, resolveGs1Year } from './resolve-gs1-date.js';

export interface LintContext {
  /** The year of "now" for the century of two-digit years; null: the leap-year test uses the two digits alone. */
  nowYear: number | null;
}

export interface LintFailure {
  code: ScanErrorCode;
  /** Completes "(AI) TITLE: …". */
  message: string;
  /** Offset of the fault within the component. */
  offset: number;
}

type Lint = (part: string, context: LintContext) => LintFailure | null;

const fail = (code: ScanErrorCode, message: string, offset = 0): LintFailure => ({ code, message, offset });

/** Linters accepted without a check: each needs a reference list this project does not carry (see README). */
export const UNCHECKED_LINTERS: readonly Gs1Linter[] = ['couponcode', 'couponposoffer', 'packagetype'];

const accept: Lint = () => null;

/** The record type makes a newly generated linter name a compile error until it is handled here. */
const LINTERS: Record<Gs1Linter, Lint> = {
  csum: (part) =>
    isValidGs1CheckDigit(part) ? null : fail('check-digit', `the check digit should be ${gs1CheckDigit(part.slice(0, -1))}, not ${part.slice(-1)}`, part.length - 1),
  csumalpha: checkAlphanumericPair,
  gcppos1: (part) => checkCompanyPrefix(part, 0),
  gcppos2: (part) => checkCompanyPrefix(part.slice(1), 1),
  yymmd0: (part, context) => checkDate(part, 2, true, context),
  yymmdd: (part, context) => checkDate(part, 2, false, context),
  yyyymmdd: (part, context) => checkDate(part, 4, false, context),
  hhmi: (part) => checkClock(part.slice(0, 2), 23, 'hour', 0) ?? checkClock(part.slice(2, 4), 59, 'minute', 2),
  hh: (part) => checkClock(part, 23, 'hour', 0),
  mi: (part) => checkClock(part, 59, 'minute', 0),
  ss: (part) => checkClock(part, 59, 'second', 0),
  iso3166: (part) => (ISO_CODES.countryNumeric.has(part) ? null : fail('country', `${part} is not an ISO 3166 country code`)),
  iso3166999: (part) => (part === '999' || ISO_CODES.countryNumeric.has(part) ? null : fail('country', `${part} is not an ISO 3166 country code (nor 999)`)),
  iso3166alpha2: (part) => (ISO_CODES.countryAlpha2.has(part) ? null : fail('country', `${part} is not an ISO 3166 two-letter country code`)),
  iso4217: (part) => (ISO_CODES.currencyNumeric.has(part) ? null : fail('country', `${part} is not an ISO 4217 currency code`)),
  iban: checkIban,
  pcenc: (part) => {
    const bad = /%(?![0-9A-Fa-f]{2})/.exec(part);
    return bad ? fail('charset', 'a % must be followed by two hexadecimal digits', bad.index) : null;
  },
  hyphen: (part) => (/^-*$/.test(part) ? null : fail('charset', `only '-' is allowed here, not '${part}'`)),
  yesno: (part) => (part === '0' || part === '1' ? null : fail('charset', `must be 0 (no) or 1 (yes), not ${part}`)),
  zero: (part) => (/^0+$/.test(part) ? null : fail('charset', `must be 0, not ${part}`)),
  nonzero: (part) => (/^0+$/.test(part) ? fail('charset', 'must not be zero') : null),
  winding: (part) => (part === '0' || part === '1' || part === '9' ? null : fail('charset', `winding direction must be 0, 1 or 9, not ${part}`)),
  importeridx: (part) => (/^[-0-9A-Z_a-z]$/.test(part) ? null : fail('charset', `'${part}' is not an importer index (one of -, 0-9, A-Z, _, a-z)`)),
  mediatype: (part) => {
    const n = /^\d\d$/.test(part) ? Number(part) : -1;
    return (n >= 1 && n <= 10) || (n >= 80 && n <= 99) ? null : fail('charset', `${part} is not an AIDC media type (01-10, 80-99)`);
  },
  iso5218: (part) => (part === '0' || part === '1' || part === '2' || part === '9' ? null : fail('charset', `${part} is not an ISO 5218 sex code (0, 1, 2, 9)`)),
  posinseqslash: checkPositionInSequence,
  pieceoftotal: checkPieceOfTotal,
  nozeroprefix: (part) => (part.length > 1 && part.startsWith('0') ? fail('charset', 'must not start with 0') : null),
  hasnondigit: (part) => (/^\d*$/.test(part) ? fail('charset', 'must contain at least one character that is not a digit') : null),
  latitude: (part) => (Number(part) <= 1_800_000_000 ? null : fail('charset', `latitude ${part} is beyond 1800000000`)),
  longitude: (part) => (Number(part) <= 3_600_000_000 ? null : fail('charset', `longitude ${part} is beyond 3600000000`)),
  couponcode: accept,
  couponposoffer: accept,
  packagetype: accept,
};

export function lintGs1Component(linter: Gs1Linter, part: string, context: LintContext): LintFailure | null {
  return LINTERS[linter](part, context);
}

function checkCompanyPrefix(part: string, offset: number): LintFailure | null {
  if (part.length < 4) return fail('length', 'too short to start with a GS1 Company Prefix (4 digits or more)', offset);
  for (let i = 0; i < 4; i++) {
    const c = part.charCodeAt(i);
    if (c < 48 || c > 57) return fail('charset', 'a GS1 Company Prefix starts with 4 digits', offset + i);
  }
  return null;
}

function checkDate(part: string, yearDigits: 2 | 4, dayZeroAllowed: boolean, context: LintContext): LintFailure | null {
  const yearText = part.slice(0, yearDigits);
  const month = Number(part.slice(yearDigits, yearDigits + 2));
  const day = Number(part.slice(yearDigits + 2, yearDigits + 4));
  if (month < 1 || month > 12) return fail('date', `month ${part.slice(yearDigits, yearDigits + 2)} does not exist`, yearDigits);
  if (day === 0 && dayZeroAllowed) return null;
  let leap: boolean;
  if (yearDigits === 4) leap = isLeapYear(Number(yearText));
  else if (context.nowYear === null) leap = Number(yearText) % 4 === 0;
  else leap = isLeapYear(resolveGs1Year(Number(yearText), context.nowYear));
  if (day < 1 || day > daysInMonth(month, leap)) return fail('date', `day ${part.slice(yearDigits + 2, yearDigits + 4)} does not exist in that month`, yearDigits + 2);
  return null;
}

function checkClock(part: string, max: number, unit: string, offset: number): LintFailure | null {
  return /^\d\d$/.test(part) && Number(part) <= max ? null : fail('time', `${unit} ${part} does not exist (00-${max})`, offset);
}

const CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Weights of the alphanumeric check pair: the primes, the rightmost data character weighing 2. */
const PRIMES = firstPrimes(97);

function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

/** GS1 General Specifications "Check character calculation (for alphanumeric keys)": prime-weighted sum mod 1021, as two CSET 32 characters. */
function checkAlphanumericPair(part: string): LintFailure | null {
  const n = part.length;
  if (n < 2) return fail('length', 'too short to carry its two check characters');
  if (n - 2 > PRIMES.length) return null;
  let sum = 0;
  for (let i = 0; i < n - 2; i++) sum += CSET82.indexOf(part.charAt(i)) * (PRIMES[n - 3 - i] ?? 0);
  sum %= 1021;
  const expected = (CSET32[sum >> 5] ?? '') + (CSET32[sum & 31] ?? '');
  return part.slice(-2) === expected ? null : fail('check-digit', `the check characters should be ${expected}, not ${part.slice(-2)}`, n - 2);
}

function checkIban(part: string): LintFailure | null {
  if (part.length < 5) return fail('length', 'an IBAN has at least 5 characters');
  const bad = /[^0-9A-Z]/.exec(part);
  if (bad) return fail('charset', 'an IBAN has only digits and capital letters', bad.index);
  if (!ISO_CODES.countryAlpha2.has(part.slice(0, 2))) return fail('country', `${part.slice(0, 2)} is not an ISO 3166 country code`);
  if (!/^\d\d$/.test(part.slice(2, 4))) return fail('charset', 'an IBAN has two check digits after the country code', 2);
  let remainder = 0;
  for (const ch of part.slice(4) + part.slice(0, 4)) {
    const value = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    remainder = (value >= 10 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1 ? null : fail('check-digit', 'the IBAN check digits do not match', 2);
}

function checkPositionInSequence(part: string): LintFailure | null {
  const m = /^(\d+)\/(\d+)$/.exec(part);
  if (!m) return fail('charset', `'${part}' is not a position in the form n/total`);
  const [, position = '', total = ''] = m;
  if (position.startsWith('0') || total.startsWith('0')) return fail('charset', 'position and total must not be zero or start with 0');
  if (position.length > total.length || (position.length === total.length && position > total)) return fail('charset', `position ${position} is beyond the total ${total}`);
  return null;
}

function checkPieceOfTotal(part: string): LintFailure | null {
  if (part.length === 0 || part.length % 2 !== 0) return fail('length', 'piece and total must have the same number of digits');
  const half = part.length / 2;
  const piece = part.slice(0, half);
  const total = part.slice(half);
  if (/^0+$/.test(piece)) return fail('charset', 'the piece number must not be zero');
  if (/^0+$/.test(total)) return fail('charset', 'the total number of pieces must not be zero', half);
  return piece > total ? fail('charset', `piece ${piece} is beyond the total ${total}`) : null;
}
