// One raw scan → contracts §2: symbology, scheme, elements, kind, errors, warnings. Pure: "now" and lookups come in as options.
import { gs1CheckDigit } from '../domain/sscc.js';
import { checkAiAssociations } from './check-ai-associations.js';
import { classifyLabel, type HuLookup, type LabelPatterns } from './classify-label.js';
import type { DecodedScan, Gs1Element, LabelFacts, ScanError, ScanSyntax } from './decoded-scan.js';
import { GS1_AI_TABLE } from './gs1-ai-table.generated.js';
import { parseGs1ElementString } from './parse-gs1-element-string.js';
import { ISO15434_PREFIX, parseIso15434 } from './parse-iso15434.js';
import { printable } from './printable.js';
import { readSymbologyIdentifier, type SymbologyIdentifier } from './read-symbology-identifier.js';

export interface DecodeScanOptions {
  /**
   * Today, for the GS1 century of two-digit years (within 49 years back and 50 ahead) and the ISO `date`
   * of date elements. Without it, 29 February is valid in every two-digit year divisible by 4 and no `date` is given.
   */
  now?: Date;
  /** The plant's label patterns (master data `labels`). */
  labels?: LabelPatterns | null;
  isKnownHu?: HuLookup;
}

interface Frame {
  symbology: SymbologyIdentifier | null;
  /** Where `data` starts in the raw scan. */
  offset: number;
  data: string;
}

/**
 * Decodes one scan as the scanner delivered it (AIM identifier, GS/RS/EOT as control characters).
 * Never throws for any input string: every fault is an entry in `errors` with a code of contracts §2.
 */
export function decodeScan(raw: string, options: DecodeScanOptions = {}): DecodedScan {
  const nowYear = options.now !== undefined && !Number.isNaN(options.now.getTime()) ? options.now.getUTCFullYear() : null;
  const classify = (syntax: ScanSyntax) => result(syntax, classifyLabel(syntax, options.labels, options.isKnownHu));

  if (raw.length === 0) return classify(syntaxOf({ symbology: null, offset: 0, data: '' }, 'plain', [], [failure('empty', 'The scan is empty.', 0)]));
  const reading = readSymbologyIdentifier(raw);
  if (reading.kind === 'invalid') return classify(syntaxOf({ symbology: null, offset: 0, data: raw }, 'plain', [], [failure('symbology', reading.message, 0)]));
  const symbology = reading.kind === 'identifier' ? reading.symbology : null;
  const offset = symbology ? 3 : 0;
  const frame: Frame = { symbology, offset, data: raw.slice(offset) };
  if (frame.data.length === 0) {
    const scheme = symbology?.content === 'gs1' || symbology?.content === 'ean' ? 'gs1' : 'plain';
    return classify(syntaxOf(frame, scheme, [], [failure('empty', `The scanner sent the symbology identifier ${symbology?.identifier ?? ''} but no data.`, offset)]));
  }

  if (symbology?.content === 'gs1') return classify(readGs1(frame, nowYear));
  if (symbology?.content === 'ean') return classify(readEan(frame));
  if (frame.data.startsWith(ISO15434_PREFIX)) return classify(readIso15434(frame, nowYear));
  const plain = syntaxOf(frame, 'plain', [], []);
  if (symbology === null) {
    // Without an identifier the structure decides: a leading GS is an FNC1, so GS1 for sure.
    if (frame.data.charCodeAt(0) === 0x1d) return classify(readGs1(frame, nowYear));
    // The plant's own label patterns come before a GS1 guess: "10001230010" may be a traveler, not batch (10) 001230010.
    const facts = classifyLabel(plain, options.labels, options.isKnownHu);
    if (facts.kind !== 'unknown') return result(plain, facts);
    const gs1 = readGs1(frame, nowYear);
    return gs1.ok ? classify(gs1) : result(plain, facts);
  }
  return classify(plain);
}

function failure(code: ScanError['code'], message: string, position: number): ScanError {
  return { code, message, position };
}

function syntaxOf(frame: Frame, scheme: ScanSyntax['scheme'], elements: ScanSyntax['elements'], errors: ScanError[], warnings: ScanSyntax['warnings'] = []): ScanSyntax {
  return {
    ok: errors.length === 0,
    symbology: frame.symbology?.identifier ?? null,
    symbologyName: frame.symbology?.name ?? null,
    scheme,
    elements,
    errors,
    warnings,
    data: frame.data,
  };
}

function readGs1(frame: Frame, nowYear: number | null): ScanSyntax {
  const parsed = parseGs1ElementString(frame.data, frame.offset, nowYear);
  const errors = parsed.errors;
  if (parsed.elements.length === 0 && errors.length === 0) errors.push(failure('empty', 'The GS1 barcode holds no element strings.', frame.offset));
  return syntaxOf(frame, 'gs1', parsed.elements, errors, checkAiAssociations(parsed.elements, parsed.positions));
}

function readIso15434(frame: Frame, nowYear: number | null): ScanSyntax {
  const parsed = parseIso15434(frame.data, frame.offset, nowYear);
  return syntaxOf(frame, 'iso15434', parsed.elements, parsed.errors, checkAiAssociations(parsed.gs1Elements, parsed.gs1Positions));
}

/** EAN-13/UPC-A (]E0), EAN-8 (]E4) and EAN-13 with add-on (]E3) carry a GTIN: reported as (01), padded to 14 digits. */
function readEan(frame: Frame): ScanSyntax {
  const { data, offset } = frame;
  const modifier = frame.symbology?.modifier;
  const lengths = modifier === '4' ? [8] : modifier === '3' ? [15, 18] : [13];
  const bad = /\D/.exec(data);
  const errors: ScanError[] = [];
  const gtinLength = modifier === '4' ? 8 : 13;
  const gtin = data.slice(0, gtinLength);
  if (bad) {
    errors.push(failure('charset', `${frame.symbology?.name ?? 'EAN/UPC'}: '${printable(bad[0])}' is not a digit`, offset + bad.index));
  } else if (!lengths.includes(data.length)) {
    errors.push(failure('length', `${frame.symbology?.name ?? 'EAN/UPC'}: needs ${lengths.join(' or ')} digits, the scan has ${data.length}`, offset));
  } else if (gs1CheckDigit(gtin.slice(0, -1)) !== Number(gtin.slice(-1))) {
    errors.push(failure('check-digit', `GTIN ${gtin}: the check digit should be ${gs1CheckDigit(gtin.slice(0, -1))}, not ${gtin.slice(-1)}`, offset + gtinLength - 1));
  }
  const element: Gs1Element = { ai: '01', value: gtin.padStart(14, '0'), title: GS1_AI_TABLE.get('01')?.title ?? 'GTIN' };
  return syntaxOf(frame, 'gs1', errors.length === 0 ? [element] : [], errors);
}

/** Contracts §2 fields first, in its order, then the rest. */
function result(syntax: ScanSyntax, facts: LabelFacts): DecodedScan {
  const { ok, symbology, scheme, elements, errors, warnings, symbologyName, data } = syntax;
  const { kind, ...extras } = facts;
  return { ok, symbology, scheme, elements, kind, errors, warnings, symbologyName, data, ...extras };
}
