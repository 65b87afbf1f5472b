// The 93 scan vectors of the GS1 Barcode Syntax Engine's own tests: every one must give the expected `ok`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeScan } from './decode-scan.js';
import { SCAN_ERROR_CODES } from './decoded-scan.js';

interface Vector {
  source: string;
  ok: boolean;
  scan: string;
}

const vectors = JSON.parse(readFileSync(new URL('../../../shared/data/gs1-scan-vectors.json', import.meta.url), 'utf8')) as Vector[];
const now = new Date('2026-11-21T06:00:00Z');
const shown = (scan: string) => scan.replaceAll('\x1d', '<GS>');

describe('GS1 Barcode Syntax Engine scan vectors', () => {
  it('are all there', () => {
    expect(vectors).toHaveLength(93);
  });

  it.each(vectors.map((v, i) => [i, shown(v.scan), v.ok, v.scan] as const))('#%i %s → ok %s', (_i, _shown, ok, scan) => {
    const decoded = decodeScan(scan, { now });
    expect(decoded.ok, JSON.stringify(decoded.errors)).toBe(ok);
    expect(decoded.scheme).toBe('gs1');
    if (ok) expect(decoded.errors).toEqual([]);
    else expect(decoded.errors.every((e) => (SCAN_ERROR_CODES as readonly string[]).includes(e.code))).toBe(true);
  });
});
