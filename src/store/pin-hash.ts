// PINs are stored as scrypt hashes; a badge can be lost or copied, so a PIN must not be readable.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Bounds what a stored hash may ask of us: a crafted N must not exhaust memory at login.
const MAX_N = 1 << 20;

export function hashPin(pin: string): string {
  const salt = randomBytes(SALT_LENGTH);
  const hash = scryptSync(pin, salt, KEY_LENGTH, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** True when `pin` is the PIN `stored` was made from; false for a wrong PIN or a malformed hash. */
export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (n === undefined || r === undefined || p === undefined) return false;
  if (!isPowerOfTwo(n) || n > MAX_N || !inRange(r, 1, 32) || !inRange(p, 1, 16)) return false;
  if (salt.length === 0 || expected.length < 16 || expected.length > 64) return false;
  const actual = scryptSync(pin, salt, expected.length, { N: n, r, p, maxmem: 256 * n * r * p });
  return timingSafeEqual(actual, expected);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}
