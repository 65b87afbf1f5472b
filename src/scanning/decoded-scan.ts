// The shape `decodeScan` returns (contracts §2) and the pieces it is made of.

export type ScanScheme = 'gs1' | 'iso15434' | 'plain';

export const LABEL_KINDS = ['hu', 'location', 'order', 'badge', 'material', 'unknown'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** Exactly the codes of contracts §2; nothing else ever appears in `errors`. */
export const SCAN_ERROR_CODES = [
  'empty',
  'symbology',
  'unknown-ai',
  'length',
  'charset',
  'check-digit',
  'date',
  'time',
  'country',
  'envelope',
] as const;
export type ScanErrorCode = (typeof SCAN_ERROR_CODES)[number];

export const SCAN_WARNING_CODES = ['requisite-ai', 'excluded-ai'] as const;
export type ScanWarningCode = (typeof SCAN_WARNING_CODES)[number];

/** `position` is the 0-based character offset in the raw scan (AIM identifier included). */
export interface ScanError {
  code: ScanErrorCode;
  message: string;
  position: number;
}

export interface ScanWarning {
  code: ScanWarningCode;
  message: string;
  position: number;
}

export interface Gs1Element {
  ai: string;
  value: string;
  title: string;
  /** ISO date (YYYY-MM-DD) of a YYMMDD/YYMMD0 value, century by the GS1 rule; only when `now` was given. */
  date?: string;
}

/** An ISO/IEC 15434 format 06 field: ANSI MH10.8.2 data identifier and its data. */
export interface DataIdentifierElement {
  di: string;
  value: string;
  /** Missing for data identifiers this decoder does not know (they are accepted as they are). */
  title?: string;
}

export type ScanElement = Gs1Element | DataIdentifierElement;

export const isGs1Element = (e: ScanElement): e is Gs1Element => 'ai' in e;

export type QuantityCategory = 'count' | 'mass' | 'length' | 'area' | 'volume' | 'mass-per-area';

export interface ScanQuantity {
  /** The AI (`3103`, `37`) or data identifier (`Q`) it came from. */
  source: string;
  value: number;
  /** Decimal places written in the barcode: (3103)001250 has 3, value 1.25. */
  decimals: number;
  /** `each` for counts, else kg, lb, m, in, ft, yd, m2, in2, ft2, yd2, l, m3, in3, ft3, yd3, qt, gal, oz, ozt, kg/m2. */
  unit: string;
  category: QuantityCategory;
  /** A logistic measure (gross weight, outer dimensions of a logistic unit) rather than the trade item's net content. */
  logistic: boolean;
}

/** What the symbol says, before asking what it means on this plant's floor. */
export interface ScanSyntax {
  ok: boolean;
  /** The AIM symbology identifier (`]d2`), null when the scanner sent none. */
  symbology: string | null;
  symbologyName: string | null;
  scheme: ScanScheme;
  elements: ScanElement[];
  errors: ScanError[];
  warnings: ScanWarning[];
  /** The data after the AIM identifier, as received. */
  data: string;
}

/** What the label names on this plant's floor (`classifyLabel`). */
export interface LabelFacts {
  kind: LabelKind;
  hu?: string;
  location?: string;
  /** GS1 location: (414) GLN and (254) extension. */
  gln?: string;
  glnExtension?: string;
  order?: string;
  operation?: string;
  badge?: string;
  /** (01), else (02) contained items, else (03). */
  gtin?: string;
  /** (10), or data identifier 1T/T. */
  batch?: string;
  /** Data identifier P (customer) or 1P (supplier) part number. */
  partNumber?: string;
  /** The first quantity on the label, in scan order. */
  quantity?: ScanQuantity;
  quantities?: ScanQuantity[];
}

/** Contracts §2: `ok, symbology, scheme, elements, kind, errors, warnings`, plus what is useful beside them. */
export type DecodedScan = ScanSyntax & LabelFacts;
