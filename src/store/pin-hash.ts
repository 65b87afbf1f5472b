// PINs are stored as scrypt hashes; a badge can be lost or copied, so a PIN must not be readable.
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

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

interface StoredPin {
  salt: Buffer;
  expected: Buffer;
  options: ScryptOptions;
}

/** The parameters of a stored hash, or null when it is malformed or asks for too much. */
function parseStored(stored: string): StoredPin | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (n === undefined || r === undefined || p === undefined) return null;
  if (!isPowerOfTwo(n) || n > MAX_N || !inRange(r, 1, 32) || !inRange(p, 1, 16)) return null;
  if (salt.length === 0 || expected.length < 16 || expected.length > 64) return null;
  return { salt, expected, options: { N: n, r, p, maxmem: 256 * n * r * p } };
}

/** True when `pin` is the PIN `stored` was made from; false for a wrong PIN or a malformed hash. */
export function verifyPin(pin: string, stored: string): boolean {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  return timingSafeEqual(scryptSync(pin, parsed.salt, parsed.expected.length, parsed.options), parsed.expected);
}

/** `verifyPin` off the event loop: a login does not stall the scans and postings of others. */
export function verifyPinAsync(pin: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(pin, parsed.salt, parsed.expected.length, parsed.options, (error, actual) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(actual, parsed.expected));
    });
  });
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}
