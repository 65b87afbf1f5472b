import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from './pin-hash.js';

describe('pin hash', () => {
  it('stores scrypt with its parameters, a 16-byte salt and a 32-byte key, never the PIN itself', () => {
    const stored = hashPin('4711');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(32);
    expect(stored).not.toContain('4711');
  });

  it('verifies the right PIN and refuses a wrong one', () => {
    const stored = hashPin('4711');
    expect(verifyPin('4711', stored)).toBe(true);
    expect(verifyPin('4712', stored)).toBe(false);
    expect(verifyPin('', stored)).toBe(false);
  });

  it('salts each hash, so the same PIN twice gives two different hashes that both verify', () => {
    const a = hashPin('123456');
    const b = hashPin('123456');
    expect(a).not.toBe(b);
    expect(verifyPin('123456', a) && verifyPin('123456', b)).toBe(true);
  });

  it('refuses malformed or tampered hashes instead of throwing', () => {
    const stored = hashPin('4711');
    expect(verifyPin('4711', 'plain-4711')).toBe(false);
    expect(verifyPin('4711', stored.replace('scrypt$16384$', 'scrypt$16385$'))).toBe(false);
    expect(verifyPin('4711', stored.replace('scrypt$16384$', 'scrypt$1073741824$'))).toBe(false);
    expect(verifyPin('4711', stored.replace(/\$[^$]+$/, '$AAAA'))).toBe(false);
  });
});
