// AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier character.
import { printable } from './printable.js';

export type SymbologyContent = 'gs1' | 'ean' | 'other';

export interface SymbologyIdentifier {
  /** The three characters as sent, e.g. `]d2`. */
  identifier: string;
  codeCharacter: string;
  modifier: string;
  name: string;
  /** `gs1`: the data are GS1 element strings (FNC1 in first position); `ean`: an EAN/UPC GTIN. */
  content: SymbologyContent;
}

export type SymbologyReading =
  | { kind: 'none' }
  | { kind: 'identifier'; symbology: SymbologyIdentifier }
  | { kind: 'invalid'; message: string };

const SYMBOLOGIES: ReadonlyMap<string, string> = new Map([
  ['A', 'Code 39'],
  ['B', 'Telepen'],
  ['C', 'Code 128'],
  ['D', 'Code One'],
  ['E', 'EAN/UPC'],
  ['F', 'Codabar'],
  ['G', 'Code 93'],
  ['H', 'Code 11'],
  ['I', 'Interleaved 2 of 5'],
  ['J', 'DotCode'],
  ['K', 'Code 16K'],
  ['L', 'PDF417'],
  ['M', 'MSI'],
  ['N', 'Anker'],
  ['O', 'Codablock'],
  ['P', 'Plessey'],
  ['Q', 'QR Code'],
  ['R', 'Straight 2 of 5 (2-bar start/stop)'],
  ['S', 'Straight 2 of 5 (3-bar start/stop)'],
  ['T', 'Code 49'],
  ['U', 'MaxiCode'],
  ['X', 'other symbology'],
  ['Y', 'system expansion'],
  ['Z', 'non-barcode data'],
  ['c', 'Channel Code'],
  ['d', 'Data Matrix'],
  ['e', 'GS1 DataBar'],
  ['g', 'Grid Matrix'],
  ['h', 'Han Xin Code'],
  ['o', 'OCR'],
  ['p', 'PosiCode'],
  ['s', 'SuperCode'],
  ['z', 'Aztec Code'],
]);

/** Code character + modifier that announce GS1 element strings (FNC1 in first position). DataBar is GS1 whatever the modifier. */
const GS1_IDENTIFIERS: ReadonlySet<string> = new Set(['C1', 'd2', 'Q3', 'J1']);

const EAN_NAMES: ReadonlyMap<string, string> = new Map([
  ['0', 'EAN-13/UPC-A'],
  ['1', 'EAN/UPC 2-digit add-on'],
  ['2', 'EAN/UPC 5-digit add-on'],
  ['3', 'EAN-13 with add-on'],
  ['4', 'EAN-8'],
]);

const isModifier = (ch: string) => /^[0-9A-Za-z]$/.test(ch);

/** Reads the identifier at the start of a raw scan; data that do not start with `]` have none. */
export function readSymbologyIdentifier(raw: string): SymbologyReading {
  if (!raw.startsWith(']')) return { kind: 'none' };
  const codeCharacter = raw.charAt(1);
  const modifier = raw.charAt(2);
  const name = SYMBOLOGIES.get(codeCharacter);
  if (raw.length < 3 || name === undefined || !isModifier(modifier)) {
    return { kind: 'invalid', message: `The scan starts with '${printable(raw.slice(0, 3))}', which is not a known symbology identifier (AIM ]Cm).` };
  }
  const identifier = raw.slice(0, 3);
  if (codeCharacter === 'E') {
    return { kind: 'identifier', symbology: { identifier, codeCharacter, modifier, name: EAN_NAMES.get(modifier) ?? name, content: modifier === '0' || modifier === '3' || modifier === '4' ? 'ean' : 'other' } };
  }
  const gs1 = codeCharacter === 'e' || GS1_IDENTIFIERS.has(codeCharacter + modifier);
  return { kind: 'identifier', symbology: { identifier, codeCharacter, modifier, name: gs1 && codeCharacter !== 'e' ? `GS1 ${name}` : name, content: gs1 ? 'gs1' : 'other' } };
}
