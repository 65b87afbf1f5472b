import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeHidPosReports,
  HID_POS_MAX_SCAN_BYTES,
  readHidPosReport,
  type HidPosAssembly,
  type HidPosOutcome,
  type HidPosRejectionCode,
  type HidPosStep,
} from './read-hid-pos-report.js';

const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const zeros = (n: number) => Array.from({ length: n }, () => '00').join(' ');

// The vectors of issue 4, byte for byte.
const EAN13_REPORT = bytes(`02 0d 5d 45 30 35 39 30 31 32 33 34 31 32 33 34 35 37 ${zeros(43)} 64 00 00`);
const DATAMATRIX_REPORTS = [
  bytes(`02 38 5d 64 32 30 30 33 34 30 31 32 33 34 35 30 30 30 30 30 30 30 30 31 37 30 32 30 39
         35 30 31 31 30 31 35 33 30 30 30 33 33 37 31 32 1d 31 30 4c 4f 54 2d 32 30 32 36 2d 31
         31 2d 41 77 00 01`),
  bytes(`02 0b 5d 64 32 1d 33 31 30 33 30 30 31 32 35 30 ${zeros(45)} 77 00 00`),
];
/** (00)340123450000000017(02)09501101530003(37)12(10)LOT-2026-11-A(3103)001250, GS after the variable-length (37) and (10). */
const DATAMATRIX_DATA = '00340123450000000017' + '0209501101530003' + '3712\x1d' + '10LOT-2026-11-A\x1d' + '3103001250';

/** Feeds reports in order, as a device would, and collects what comes out. */
function feed(reports: readonly Uint8Array[], pending: HidPosAssembly | null = null): HidPosStep {
  const outcomes: HidPosOutcome[] = [];
  for (const report of reports) {
    const step = readHidPosReport(report, pending);
    pending = step.pending;
    outcomes.push(...step.outcomes);
  }
  return { pending, outcomes };
}

const codes = (step: HidPosStep) => step.outcomes.map((o) => (o.ok ? 'scan' : o.rejection.code));

function withBytes(report: Uint8Array, changes: Record<number, number>): Uint8Array {
  const copy = Uint8Array.from(report);
  for (const [at, value] of Object.entries(changes)) copy[Number(at)] = value;
  return copy;
}

describe('readHidPosReport: the vectors of the issue', () => {
  it('reads the EAN-13 report as 5901234123457 with AIM ]E0, no continuation', () => {
    expect(EAN13_REPORT).toHaveLength(64);
    const step = readHidPosReport(EAN13_REPORT);
    expect(step).toEqual({
      pending: null,
      outcomes: [{ ok: true, scan: { aim: ']E0', data: '5901234123457', layout: 'honeywell', reports: 1 } }],
    });
  });

  it('reassembles the two DataMatrix reports into one GS1 scan of 67 bytes', () => {
    expect(DATAMATRIX_REPORTS.map((r) => r.length)).toEqual([64, 64]);
    const first = readHidPosReport(DATAMATRIX_REPORTS[0] as Uint8Array);
    expect(first.outcomes).toEqual([]);
    expect(first.pending).toMatchObject({ aim: ']d2', layout: 'honeywell', length: 56 });
    const second = readHidPosReport(DATAMATRIX_REPORTS[1] as Uint8Array, first.pending);
    expect(second.pending).toBeNull();
    expect(second.outcomes).toEqual([{ ok: true, scan: { aim: ']d2', data: DATAMATRIX_DATA, layout: 'honeywell', reports: 2 } }]);
    expect(DATAMATRIX_DATA).toHaveLength(67);
  });

  it('encodes both vectors back byte for byte (the fakes send what a Honeywell scanner sends)', () => {
    expect(encodeHidPosReports(']E0', '5901234123457', { symbologyByte: 0x64 })).toEqual([EAN13_REPORT]);
    expect(encodeHidPosReports(']d2', DATAMATRIX_DATA, { symbologyByte: 0x77 })).toEqual(DATAMATRIX_REPORTS);
  });
});

describe('readHidPosReport: continuation', () => {
  it('joins three reports of one long scan in order', () => {
    const data = Array.from({ length: 150 }, (_, i) => String.fromCharCode(0x21 + (i % 90))).join('');
    const reports = encodeHidPosReports(']Q3', data);
    expect(reports.map((r) => [r[1], r[63]])).toEqual([[56, 1], [56, 1], [38, 0]]);
    expect(feed(reports).outcomes).toEqual([{ ok: true, scan: { aim: ']Q3', data, layout: 'honeywell', reports: 3 } }]);
  });

  it('accepts continuation reports that leave the AIM id out', () => {
    const [first, second] = DATAMATRIX_REPORTS as [Uint8Array, Uint8Array];
    const step = feed([first, withBytes(second, { 2: 0, 3: 0, 4: 0 })]);
    expect(step.outcomes).toEqual([{ ok: true, scan: { aim: ']d2', data: DATAMATRIX_DATA, layout: 'honeywell', reports: 2 } }]);
  });

  it('keeps the bytes as they are: GS, RS, EOT, bytes above 0x7f', () => {
    const data = '[)>\x1e06\x1dPABC\x1d1T42\x1e\x04\xe4\xff';
    expect(feed(encodeHidPosReports(']d1', data)).outcomes).toEqual([{ ok: true, scan: { aim: ']d1', data, layout: 'honeywell', reports: 1 } }]);
  });

  it('reads a scan without AIM id (AIM transmission off) from the Honeywell layout', () => {
    expect(feed(encodeHidPosReports('', '4006381333931')).outcomes).toEqual([
      { ok: true, scan: { aim: '', data: '4006381333931', layout: 'honeywell', reports: 1 } },
    ]);
  });
});

describe('readHidPosReport: the one-byte-shifted layout', () => {
  // Byte 2 is the vendor's own symbology byte, the AIM id follows at 3-5, data at 6.
  const SHIFTED_EAN13 = bytes(`02 0d 0b 5d 45 30 35 39 30 31 32 33 34 31 32 33 34 35 37 ${zeros(44)} 00`);

  it('detects the AIM id at byte 3 and reads the data from byte 6', () => {
    expect(SHIFTED_EAN13).toHaveLength(64);
    expect(readHidPosReport(SHIFTED_EAN13).outcomes).toEqual([
      { ok: true, scan: { aim: ']E0', data: '5901234123457', layout: 'shifted', reports: 1 } },
    ]);
  });

  it('reassembles shifted multi-report scans', () => {
    const reports = encodeHidPosReports(']d2', DATAMATRIX_DATA, { layout: 'shifted' });
    expect(reports).toHaveLength(2);
    expect([reports[0]?.[2], reports[0]?.[3], reports[0]?.[6]]).toEqual([0x01, 0x5d, 0x30]);
    expect(feed(reports).outcomes).toEqual([{ ok: true, scan: { aim: ']d2', data: DATAMATRIX_DATA, layout: 'shifted', reports: 2 } }]);
  });

  it('reads a shifted report without AIM id when byte 2 is set and bytes 3-5 are zero', () => {
    expect(feed(encodeHidPosReports('', 'ABC-123', { layout: 'shifted', symbologyByte: 0x0b })).outcomes).toEqual([
      { ok: true, scan: { aim: '', data: 'ABC-123', layout: 'shifted', reports: 1 } },
    ]);
  });
});

describe('readHidPosReport: garbage is rejected with a code', () => {
  const cases: [string, Uint8Array, HidPosRejectionCode][] = [
    ['a short report', EAN13_REPORT.subarray(0, 20), 'report-length'],
    ['an empty report', new Uint8Array(0), 'report-length'],
    ['a keyboard report (id 0x01)', withBytes(EAN13_REPORT, { 0: 0x01 }), 'report-id'],
    ['a report without its report id', Uint8Array.from([...EAN13_REPORT.subarray(1), 0]), 'report-id'],
    ['no AIM id at byte 2 or 3', withBytes(EAN13_REPORT, { 2: 0x41, 3: 0x42, 4: 0x43 }), 'layout'],
    ['an AIM id with a bad modifier', withBytes(EAN13_REPORT, { 4: 0x2d }), 'layout'],
    ['a length beyond the report', withBytes(EAN13_REPORT, { 1: 57 }), 'data-length'],
    ['length 255', withBytes(EAN13_REPORT, { 1: 0xff }), 'data-length'],
    ['length 0', withBytes(EAN13_REPORT, { 1: 0 }), 'empty'],
    ['all zeros but the report id', withBytes(new Uint8Array(64), { 0: 0x02 }), 'empty'],
  ];
  it.each(cases)('%s', (_, report, code) => {
    const step = readHidPosReport(report);
    expect(step.pending).toBeNull();
    expect(codes(step)).toEqual([code]);
    expect(step.outcomes[0]).toMatchObject({ ok: false, rejection: { message: expect.any(String) as unknown } });
  });

  it('drops a partial scan when a report of another scan comes before its last report, and reads the new one', () => {
    const step = feed([DATAMATRIX_REPORTS[0] as Uint8Array, EAN13_REPORT]);
    expect(codes(step)).toEqual(['mixed-scan', 'scan']);
    expect(step.outcomes[1]).toMatchObject({ ok: true, scan: { aim: ']E0', data: '5901234123457' } });
  });

  it('drops a partial scan when garbage comes before its last report', () => {
    const step = feed([DATAMATRIX_REPORTS[0] as Uint8Array, withBytes(EAN13_REPORT, { 0: 0x05 }), DATAMATRIX_REPORTS[1] as Uint8Array]);
    expect(codes(step)).toEqual(['mixed-scan', 'report-id', 'scan']);
    // The orphaned last report reads as a short scan of its own bytes: the decoder rejects it, not the driver.
    expect(step.outcomes[2]).toMatchObject({ ok: true, scan: { data: '\x1d3103001250' } });
  });

  it('stops a stream that never ends at the scan size limit', () => {
    const endless = withBytes(DATAMATRIX_REPORTS[0] as Uint8Array, {});
    const reports = Array.from({ length: Math.ceil(HID_POS_MAX_SCAN_BYTES / 56) + 1 }, () => endless);
    const step = feed(reports);
    expect(codes(step)).toEqual(['too-long']);
    expect(step.pending).not.toBeNull(); // the reports after the cut start a new (partial) scan
  });
});

describe('readHidPosReport: fuzz', () => {
  const KNOWN_CODES = new Set<string>(['report-length', 'report-id', 'layout', 'data-length', 'empty', 'mixed-scan', 'too-long']);

  /** xorshift32: the same 100,000 inputs every run, so a failure can be replayed. */
  function random(seed: number): () => number {
    let x = seed >>> 0 || 1;
    return () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x / 0x1_0000_0000;
    };
  }

  it('takes 100,000 random and mutated reports: no exception escapes, each gives a scan, a partial or a coded rejection', () => {
    const next = random(0x5eed_4);
    const int = (n: number) => Math.floor(next() * n);
    const seeds = [EAN13_REPORT, ...DATAMATRIX_REPORTS, ...encodeHidPosReports(']C1', '0034012345000000001737120', { layout: 'shifted' })];
    const interesting = [0x00, 0x01, 0x02, 0x03, 0x1d, 0x38, 0x39, 0x5d, 0x41, 0x30, 0xff];
    let pending: HidPosAssembly | null = null;
    const seen = { scan: 0, partial: 0, rejected: 0 };
    for (let i = 0; i < 100_000; i++) {
      let report: Uint8Array;
      const kind = int(4);
      if (kind === 0) {
        report = Uint8Array.from({ length: int(3) === 0 ? int(80) : 64 }, () => int(256));
        if (int(2) === 0 && report.length > 0) report[0] = 0x02;
      } else {
        report = Uint8Array.from(seeds[int(seeds.length)] as Uint8Array);
        for (let m = 1 + int(4); m > 0; m--) report[int(64)] = int(2) === 0 ? int(256) : (interesting[int(interesting.length)] as number);
        if (kind === 3) report = report.subarray(0, int(70));
      }
      if (int(50) === 0) pending = null;
      let step: HidPosStep;
      try {
        step = readHidPosReport(report, pending);
      } catch (error) {
        throw new Error(`report ${i} threw: ${Buffer.from(report).toString('hex')}`, { cause: error });
      }
      pending = step.pending;
      if (step.outcomes.length === 0) {
        if (pending === null) throw new Error(`report ${i} gave nothing at all`);
        seen.partial++;
      }
      if (step.outcomes.length > 2) throw new Error(`report ${i} gave ${step.outcomes.length} outcomes`);
      for (const outcome of step.outcomes) {
        if (outcome.ok) {
          seen.scan++;
          if (!/^(\][A-Za-z][0-9A-Za-z])?$/.test(outcome.scan.aim) || outcome.scan.data.length === 0 || outcome.scan.data.length > HID_POS_MAX_SCAN_BYTES) {
            throw new Error(`report ${i} gave an impossible scan: ${JSON.stringify(outcome.scan)}`);
          }
        } else {
          seen.rejected++;
          if (!KNOWN_CODES.has(outcome.rejection.code) || outcome.rejection.message === '') {
            throw new Error(`report ${i} gave an uncoded rejection: ${JSON.stringify(outcome.rejection)}`);
          }
        }
      }
    }
    // The mutations reach every branch: scans, partial scans and rejections all occur many times.
    expect(seen.scan).toBeGreaterThan(5_000);
    expect(seen.partial).toBeGreaterThan(1_000);
    expect(seen.rejected).toBeGreaterThan(20_000);
  });

  it('gives back any data of any length in either layout, whole and in one scan', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.constantFrom(']E0', ']d2', ']Q3', ']C1', ''),
        fc.constantFrom('honeywell' as const, 'shifted' as const),
        (data, aim, layout) => {
          const step = feed(encodeHidPosReports(aim, data, { layout }));
          expect(step.pending).toBeNull();
          expect(step.outcomes).toEqual([
            { ok: true, scan: { aim, data: Buffer.from(data).toString('latin1'), layout, reports: Math.ceil(data.length / 56) } },
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
