// Benchmark `scan`, decode half (quality.md "Performance", issue 4): decodeScan of a 70-byte GS1 DataMatrix
// scan (SSCC, content GTIN, count, batch, net weight) with the plant's label patterns; p99 in µs, target ≤ 50 µs.
// Each call is timed on its own; p99 per round, the median over rounds is the figure.
import { decodeScan, type DecodeScanOptions } from '../../src/scanning/decode-scan.js';
import { median, percentile } from './stats.js';

export interface ScanDecodeBenchOptions {
  /** Measured rounds; each figure is the median over them (default 7). */
  rounds?: number;
  /** Timed decodes per round (default 20,000). */
  perRound?: number;
  /** Untimed decodes before the first round, for the JIT (default 20,000). */
  warmup?: number;
  write?: (text: string) => void;
}

/** Numbers only; the serial half adds its own keys beside these in scan.json. */
export interface ScanDecodeBenchResult {
  decodeP99Us: number;
  decodeP50Us: number;
  /** decodeP99Us / decodeTargetUs, target ≤ 1. */
  decodeRatio: number;
  decodeTargetUs: number;
  decodeScanBytes: number;
  decodeRounds: number;
  decodePerRound: number;
}

const DECODE_TARGET_US = 50;
const GS = '\x1d';
/** The pallet label as a GS1 DataMatrix scan: 70 bytes with its AIM identifier. */
export const PALLET_SCAN = `]d2${'00340123450000000017'}${'0209501101530003'}${'3712'}${GS}10LOT-2026-11-A${GS}3103001250`;

/** The benchmark cannot measure what it claims to (a wrong scan, a decode that fails): no results. */
export class ScanDecodeBenchAbort extends Error {}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function runScanDecodeBench(options: ScanDecodeBenchOptions = {}): ScanDecodeBenchResult {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const rounds = options.rounds ?? 7;
  const perRound = options.perRound ?? 20_000;
  const warmup = options.warmup ?? 20_000;
  const decodeOptions: DecodeScanOptions = {
    now: new Date('2026-11-21T06:00:00Z'),
    labels: { location: '^LOC:(?<id>.+)$', order: '^ORD:(?<order>[^/]+)/(?<operation>\\d{4})$', badge: '^BADGE:(?<badge>.+)$', hu: null },
  };
  if (PALLET_SCAN.length !== 70) throw new ScanDecodeBenchAbort(`the scan has ${PALLET_SCAN.length} bytes, not 70`);
  const check = decodeScan(PALLET_SCAN, decodeOptions);
  if (!check.ok || check.kind !== 'hu' || check.elements.length !== 5 || check.quantities?.length !== 2) {
    throw new ScanDecodeBenchAbort(`the scan does not decode as the pallet it is: ${JSON.stringify(check)}`);
  }

  // Results go into a sink so the JIT cannot drop the calls.
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += decodeScan(PALLET_SCAN, decodeOptions).elements.length;
  write(`scan: decode: warm-up ${warmup}, then ${rounds} rounds of ${perRound} decodes of a ${PALLET_SCAN.length}-byte GS1 DataMatrix scan\n`);
  const p50s: number[] = [];
  const p99s: number[] = [];
  const samples = new Array<number>(perRound);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) {
      const start = process.hrtime.bigint();
      sink += decodeScan(PALLET_SCAN, decodeOptions).elements.length;
      samples[i] = Number(process.hrtime.bigint() - start) / 1e3;
    }
    p50s.push(percentile(samples, 50));
    p99s.push(percentile(samples, 99));
    write(`scan: decode round ${r + 1}: p50 ${(p50s[r] ?? 0).toFixed(2)} µs, p99 ${(p99s[r] ?? 0).toFixed(2)} µs\n`);
  }
  if (sink !== 5 * (warmup + rounds * perRound)) throw new ScanDecodeBenchAbort('a timed decode did not give the five elements');

  const decodeP99Us = round2(median(p99s));
  const result: ScanDecodeBenchResult = {
    decodeP99Us,
    decodeP50Us: round2(median(p50s)),
    decodeRatio: round2(decodeP99Us / DECODE_TARGET_US),
    decodeTargetUs: DECODE_TARGET_US,
    decodeScanBytes: PALLET_SCAN.length,
    decodeRounds: rounds,
    decodePerRound: perRound,
  };
  const verdict = result.decodeRatio <= 1 ? 'PASS' : 'MISS';
  write(
    `scan: decode p99 ${result.decodeP99Us} µs (target ≤ ${DECODE_TARGET_US} µs: ${result.decodeRatio} × target) ${verdict}; p50 ${result.decodeP50Us} µs; rounds p99 ${p99s.map((x) => x.toFixed(2)).join(' ')}\n`,
  );
  return result;
}
