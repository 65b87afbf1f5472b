import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth, leaves out undefined and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: undefined, e: null }, undefined], c: 'ü"' })).toBe('{"a":[{"d":"x","e":null},null],"b":1,"c":"ü\\""}');
  });

  it('gives the same text for the same content whatever the key order', () => {
    expect(canonicalJson({ x: { q: 1, p: 2 }, y: [3] })).toBe(canonicalJson({ y: [3], x: { p: 2, q: 1 } }));
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ q: Number.NaN })).toThrow('non-finite');
  });
});
