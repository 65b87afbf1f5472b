// HID POS input reports (usage page 0x8C) of barcode scanners: pure parsing and multi-report
// reassembly. No device access here; hid-pos-scanner.ts feeds the reports in.
//
// Honeywell layout (64 bytes, report id first):
//   0 report id 0x02 · 1 data length (data bytes in this report, ≤ 56) · 2–4 AIM id (`]E0`) ·
//   5–60 data · 61 Honeywell code id · 62 reserved · 63 bit 0 = more reports follow.
// One-byte-shifted layout (seen from other vendors):
//   0 report id 0x02 · 1 data length · 2 vendor symbology byte · 3–5 AIM id · 6–61 data ·
//   62 reserved · 63 bit 0 = more reports follow.
// Detection, per report: an AIM id (`]`, letter, letter or digit) at bytes 2–4 means Honeywell;
// one at bytes 3–5 means shifted (byte 3 is then `]`, which is never a letter, so the two cannot
// both match); no AIM id with bytes 2–4 all zero is Honeywell with AIM transmission off; no AIM
// id with byte 2 set and bytes 3–5 zero is shifted with AIM transmission off. Anything else is
// rejected as `layout`.

export const HID_POS_REPORT_ID = 0x02;
export const HID_POS_REPORT_LENGTH = 64;
/** Data bytes one report carries at most, in either layout. */
export const HID_POS_CHUNK = 56;
/** Larger than any 2D symbol (a QR code holds at most 7,089 digits): beyond it the stream is garbage. */
export const HID_POS_MAX_SCAN_BYTES = 8_192;

const CONTINUATION_BYTE = 63;
const AIM_START = 0x5d; // ']'

export type HidPosLayout = 'honeywell' | 'shifted';

export interface HidPosScan {
  /** The AIM symbology identifier, e.g. `]E0`; empty when the scanner does not send one. */
  aim: string;
  /** The scanned bytes, one character per byte (latin1), nothing dropped or replaced. */
  data: string;
  layout: HidPosLayout;
  /** How many reports carried this scan. */
  reports: number;
}

export type HidPosRejectionCode =
  | 'report-length'
  | 'report-id'
  | 'layout'
  | 'data-length'
  | 'empty'
  | 'mixed-scan'
  | 'too-long';

export interface HidPosRejection {
  code: HidPosRejectionCode;
  message: string;
}

export type HidPosOutcome = { ok: true; scan: HidPosScan } | { ok: false; rejection: HidPosRejection };

/** A scan whose first reports have arrived and whose last has not. */
export interface HidPosAssembly {
  readonly aim: string;
  readonly layout: HidPosLayout;
  readonly parts: readonly Uint8Array[];
  readonly length: number;
}

export interface HidPosStep {
  /** The unfinished scan to pass with the next report, or null. */
  pending: HidPosAssembly | null;
  /** Finished scans and rejections, in order (at most two: a dropped partial scan, then this report's). */
  outcomes: HidPosOutcome[];
}

interface ParsedReport {
  layout: HidPosLayout;
  aim: string;
  chunk: Uint8Array;
  more: boolean;
}

const reject = (code: HidPosRejectionCode, message: string): HidPosOutcome => ({ ok: false, rejection: { code, message } });

const isLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

function aimAt(report: Uint8Array, at: number): string | null {
  const [a, b, c] = [report[at] ?? 0, report[at + 1] ?? 0, report[at + 2] ?? 0];
  return a === AIM_START && isLetter(b) && (isLetter(c) || isDigit(c)) ? String.fromCharCode(a, b, c) : null;
}

const allZero = (report: Uint8Array, from: number, to: number) => report.subarray(from, to).every((b) => b === 0);

const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

function parseReport(report: Uint8Array): ParsedReport | HidPosOutcome {
  if (report.length < HID_POS_REPORT_LENGTH) {
    return reject('report-length', `a HID POS report has ${HID_POS_REPORT_LENGTH} bytes, this one ${report.length}`);
  }
  if (report[0] !== HID_POS_REPORT_ID) {
    return reject('report-id', `not a scanned-data report: report id ${hex(report[0] ?? 0)}, expected ${hex(HID_POS_REPORT_ID)}`);
  }
  let layout: HidPosLayout;
  let aim: string;
  const honeywellAim = aimAt(report, 2);
  const shiftedAim = honeywellAim === null ? aimAt(report, 3) : null;
  if (honeywellAim !== null) [layout, aim] = ['honeywell', honeywellAim];
  else if (shiftedAim !== null) [layout, aim] = ['shifted', shiftedAim];
  else if (allZero(report, 2, 5)) [layout, aim] = ['honeywell', ''];
  else if (report[2] !== 0 && allZero(report, 3, 6)) [layout, aim] = ['shifted', ''];
  else return reject('layout', 'neither the Honeywell nor the shifted HID POS layout: no AIM id at byte 2 or 3');
  const length = report[1] ?? 0;
  const more = ((report[CONTINUATION_BYTE] ?? 0) & 0x01) === 1;
  if (length > HID_POS_CHUNK) {
    return reject('data-length', `data length ${length} is more than the ${HID_POS_CHUNK} bytes a report carries`);
  }
  if (length === 0) return reject('empty', 'a scanned-data report without data');
  const start = layout === 'honeywell' ? 5 : 6;
  return { layout, aim, chunk: report.subarray(start, start + length), more };
}

function finish(aim: string, layout: HidPosLayout, parts: readonly Uint8Array[]): HidPosOutcome {
  let data = '';
  for (const part of parts) data += Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1');
  return { ok: true, scan: { aim, data, layout, reports: parts.length } };
}

/**
 * Reads one input report. Pass the `pending` of the previous step: a report that continues a scan
 * (same layout, same or no AIM id) is appended; the report without the continuation bit ends it.
 * Never throws: garbage gives a rejection with a code.
 */
export function readHidPosReport(report: Uint8Array, pending: HidPosAssembly | null = null): HidPosStep {
  const outcomes: HidPosOutcome[] = [];
  const parsed = parseReport(report);
  if (!('chunk' in parsed)) {
    if (pending !== null) outcomes.push(dropped(pending, 'a garbage report came before its last report'));
    outcomes.push(parsed);
    return { pending: null, outcomes };
  }
  let base: HidPosAssembly | null = pending;
  if (base !== null && (base.layout !== parsed.layout || (parsed.aim !== '' && parsed.aim !== base.aim))) {
    outcomes.push(dropped(base, `a report of another scan (${parsed.aim || 'no AIM id'}) came before its last report`));
    base = null;
  }
  const aim = base?.aim ?? parsed.aim;
  const parts = [...(base?.parts ?? []), parsed.chunk];
  const length = (base?.length ?? 0) + parsed.chunk.length;
  if (length > HID_POS_MAX_SCAN_BYTES) {
    outcomes.push(reject('too-long', `a scan of more than ${HID_POS_MAX_SCAN_BYTES} bytes is not a barcode`));
    return { pending: null, outcomes };
  }
  if (parsed.more) return { pending: { aim, layout: parsed.layout, parts, length }, outcomes };
  outcomes.push(finish(aim, parsed.layout, parts));
  return { pending: null, outcomes };
}

function dropped(pending: HidPosAssembly, why: string): HidPosOutcome {
  return reject('mixed-scan', `${why}; the partial scan (${pending.length} bytes) is dropped`);
}

export interface EncodeHidPosOptions {
  layout?: HidPosLayout;
  /** Honeywell: the code id at byte 61; shifted: the vendor symbology byte at byte 2 (default 0x01). */
  symbologyByte?: number;
}

/**
 * The reports a scanner sends for one scan: the inverse of readHidPosReport, for fakes and tests
 * (a real scanner builds these itself).
 */
export function encodeHidPosReports(aim: string, data: string | Uint8Array, options: EncodeHidPosOptions = {}): Uint8Array[] {
  const layout = options.layout ?? 'honeywell';
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const aimBytes = Buffer.from(aim, 'latin1');
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length || reports.length === 0; offset += HID_POS_CHUNK) {
    const chunk = bytes.subarray(offset, offset + HID_POS_CHUNK);
    const report = new Uint8Array(HID_POS_REPORT_LENGTH);
    report[0] = HID_POS_REPORT_ID;
    report[1] = chunk.length;
    if (layout === 'honeywell') {
      report.set(aimBytes.subarray(0, 3), 2);
      report.set(chunk, 5);
      report[61] = options.symbologyByte ?? 0;
    } else {
      report[2] = options.symbologyByte ?? 0x01;
      report.set(aimBytes.subarray(0, 3), 3);
      report.set(chunk, 6);
    }
    report[CONTINUATION_BYTE] = offset + HID_POS_CHUNK < bytes.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}
