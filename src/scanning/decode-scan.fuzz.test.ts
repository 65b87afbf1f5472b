// quality.md "Bad input": ≥ 100,000 random and mutated scans; no exception escapes, each result is ok or carries coded errors.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeScan, type DecodeScanOptions } from './decode-scan.js';
import { LABEL_KINDS, SCAN_ERROR_CODES, SCAN_WARNING_CODES, type DecodedScan } from './decoded-scan.js';

const GS = '\x1d';
const RS = '\x1e';
const EOT = '\x04';
const RUNS = 120_000;

const vectors = (JSON.parse(readFileSync(new URL('../../../shared/data/gs1-scan-vectors.json', import.meta.url), 'utf8')) as { scan: string }[]).map((v) => v.scan);
const seeds = [
  ...vectors,
  `]d2003401234500000000170209501101530003${'3712'}${GS}10LOT-2026-11-A${GS}3103001250`,
  `[)>${RS}06${GS}1JUN123456789ABC${GS}P4711${GS}Q20${GS}1TLOT7${GS}9N110375286414${GS}14D20270101${RS}${EOT}`,
  `]d1[)>${RS}05${GS}00340123450000000017${RS}06${GS}P1${RS}${EOT}`,
  ']E05901234123457',
  ']E3590123412345712',
  'LOC:WH-A-01',
  'ORD:1000123/0010',
  `${GS}0109501101530003${GS}4230082760280`,
  ']C14144012345000012254A-1',
  ']C18003021123456789001ABC',
  ']C1800123456789012310101',
  ']C17007261121261231',
  ']C18008261121123045',
  ']C1390197812345',
  ']C18030AB-_cd==',
];
const pieces = [GS, RS, EOT, ']', '[)>', ']d2', ']C1', ']Q3', ']E0', '00', '01', '02', '10', '17', '37', '3103', '414', '254', '8003', '06', '05', '1J', 'P', 'Q', '9N', '0', '9', 'A', 'z', '~', '=', '%', '/', '-', ' ', '\r', '\n', '\0', '\xff', '\ud800', '😀'];

const piece = fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 }), fc.stringMatching(/^\d{1,6}$/));
const edit = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: piece }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: piece }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  switch (e.op) {
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.length);
    case 'replace':
      return text.slice(0, at) + e.text + text.slice(at + e.text.length);
    case 'repeat':
      return text.slice(0, at + e.length) + text.slice(at);
    case 'cut':
      return text.slice(0, at);
  }
}

const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 5 })).map(([seed, edits]) => edits.reduce(applyEdit, seed));
const bytes = fc.uint8Array({ maxLength: 90 }).map((b) => String.fromCharCode(...b));
const unicode = fc.string({ unit: 'binary', maxLength: 60 });
const assembled = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));
const scan = fc.oneof({ weight: 5, arbitrary: mutated }, { weight: 2, arbitrary: bytes }, { weight: 1, arbitrary: unicode }, { weight: 2, arbitrary: assembled });

const options: fc.Arbitrary<DecodeScanOptions> = fc.record(
  {
    now: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z') }),
    labels: fc.constantFrom(
      { location: '^LOC:(?<id>.+)$', order: '^ORD:(?<order>[^/]+)/(?<operation>\\d{4})$', badge: '^BADGE:(?<badge>.+)$', hu: null },
      { hu: '^\\d{10}$', location: '(' },
      null,
    ),
    isKnownHu: fc.constant((id: string) => id.endsWith('7')),
  },
  { requiredKeys: [] },
);

const errorCodes: readonly string[] = SCAN_ERROR_CODES;
const warningCodes: readonly string[] = SCAN_WARNING_CODES;
const kinds: readonly string[] = LABEL_KINDS;

/** What every result must be, whatever the input. */
function wellFormed(raw: string, d: DecodedScan): boolean {
  const inRange = (p: number) => Number.isInteger(p) && p >= 0 && p <= raw.length;
  return (
    typeof d.ok === 'boolean' &&
    d.ok === (d.errors.length === 0) &&
    d.errors.every((e) => errorCodes.includes(e.code) && e.message.length > 0 && inRange(e.position)) &&
    d.warnings.every((w) => warningCodes.includes(w.code) && inRange(w.position)) &&
    kinds.includes(d.kind) &&
    (d.ok || d.kind === 'unknown') &&
    ['gs1', 'iso15434', 'plain'].includes(d.scheme) &&
    (!d.ok || d.scheme !== 'gs1' || d.elements.length > 0) &&
    JSON.stringify(JSON.parse(JSON.stringify(d))) === JSON.stringify(d)
  );
}

describe('decodeScan under fuzzing', () => {
  it(`takes ${RUNS.toLocaleString('en-US')} random and mutated scans without throwing, each ok or with coded errors`, () => {
    let runs = 0;
    const seen = { ok: 0, invalid: 0 };
    fc.assert(
      fc.property(scan, options, (raw, opts) => {
        runs++;
        const decoded = decodeScan(raw, opts);
        seen[decoded.ok ? 'ok' : 'invalid']++;
        return wellFormed(raw, decoded);
      }),
      { numRuns: RUNS, seed: 20261121 },
    );
    expect(runs).toBeGreaterThanOrEqual(100_000);
    // Both sides are exercised: the fuzz is not all garbage nor all valid.
    expect(seen.ok).toBeGreaterThan(RUNS / 10);
    expect(seen.invalid).toBeGreaterThan(RUNS / 10);
  });

  it('gives the same result for the same scan and options (pure)', () => {
    fc.assert(
      fc.property(scan, options, (raw, opts) => {
        expect(decodeScan(raw, opts)).toEqual(decodeScan(raw, opts));
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });
});
