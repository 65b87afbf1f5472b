// ISO/IEC 15434 messages: `[)>` RS, then formats (`06` GS fields…, `05` GS GS1 element strings) each closed by RS, then EOT.
import { DATA_IDENTIFIERS, type DataIdentifierDefinition } from './data-identifiers.js';
import type { DataIdentifierElement, Gs1Element, ScanElement, ScanError } from './decoded-scan.js';
import { lintGs1Component } from './lint-gs1-component.js';
import { parseGs1ElementString } from './parse-gs1-element-string.js';
import { printable } from './printable.js';

export const ISO15434_PREFIX = '[)>';

export interface Iso15434Parse {
  elements: ScanElement[];
  /** The format 05 elements again, with their raw-scan positions, for the GS1 association rules. */
  gs1Elements: Gs1Element[];
  gs1Positions: number[];
  errors: ScanError[];
}

const RS = '\x1e';
const GS = '\x1d';
const EOT = '\x04';

/** `data` starts with `[)>`; `offset` is where it starts in the raw scan. */
export function parseIso15434(data: string, offset: number, nowYear: number | null): Iso15434Parse {
  const result: Iso15434Parse = { elements: [], gs1Elements: [], gs1Positions: [], errors: [] };
  const envelope = (message: string, at: number) => result.errors.push({ code: 'envelope', message, position: offset + at });
  const end = data.length;
  if (data.charAt(3) !== RS) {
    envelope('the ISO/IEC 15434 header [)> must be followed by RS (record separator)', 3);
    return result;
  }
  let i = 4;
  let formats = 0;
  for (;;) {
    if (i >= end) {
      envelope('the message ends without EOT (end of transmission)', i);
      break;
    }
    if (data.charAt(i) === EOT) {
      if (formats === 0) envelope('the envelope holds no format', i);
      if (i + 1 < end) envelope(`data after the end of the message (EOT): '${printable(data.slice(i + 1), 12)}'`, i + 1);
      break;
    }
    const format = data.slice(i, i + 2);
    if (format !== '05' && format !== '06') {
      envelope(/^\d\d$/.test(format) ? `format ${format} is not supported (only 05, GS1, and 06, data identifiers)` : `expected a format number (05 or 06), found '${printable(data.slice(i), 12)}'`, i);
      break;
    }
    if (data.charAt(i + 2) !== GS) {
      envelope(`format ${format} must be followed by GS (group separator)`, i + 2);
      break;
    }
    const bodyStart = i + 3;
    const rs = data.indexOf(RS, bodyStart);
    if (rs < 0) {
      envelope(`format ${format} is not closed by RS (record separator)`, end);
      break;
    }
    const body = data.slice(bodyStart, rs);
    if (body === '' || body === GS) {
      envelope(`format ${format} holds no data`, bodyStart);
    } else if (format === '06') {
      readFields(body, offset + bodyStart, nowYear, result);
    } else {
      const gs1 = parseGs1ElementString(body, offset + bodyStart, nowYear);
      result.elements.push(...gs1.elements);
      result.gs1Elements.push(...gs1.elements);
      result.gs1Positions.push(...gs1.positions);
      result.errors.push(...gs1.errors);
    }
    formats++;
    i = rs + 1;
  }
  return result;
}

function readFields(body: string, offset: number, nowYear: number | null, result: Iso15434Parse): void {
  // One GS right before the RS is tolerated, as some label printers write it.
  const fields = (body.endsWith(GS) ? body.slice(0, -1) : body).split(GS);
  let at = 0;
  for (const field of fields) {
    const position = offset + at;
    at += field.length + 1;
    const m = /^\d{0,3}[A-Z]/.exec(field);
    if (!m) {
      result.errors.push({
        code: 'envelope',
        message: field === '' ? 'an empty field: two GS in a row' : `the field '${printable(field, 12)}' does not start with a data identifier (digits and a capital letter)`,
        position,
      });
      continue;
    }
    const di = m[0];
    const value = field.slice(di.length);
    const definition = DATA_IDENTIFIERS.get(di);
    const element: DataIdentifierElement = definition ? { di, value, title: definition.title } : { di, value };
    result.elements.push(element);
    const failure = checkField(value, definition, nowYear);
    if (failure) result.errors.push({ code: failure.code, message: `${di}${definition ? ` ${definition.title}` : ''}: ${failure.message}`, position: position + di.length + failure.offset });
  }
}

interface FieldFailure {
  code: ScanError['code'];
  message: string;
  offset: number;
}

function checkField(value: string, definition: DataIdentifierDefinition | undefined, nowYear: number | null): FieldFailure | null {
  if (value === '') return { code: 'length', message: 'no data after the data identifier', offset: 0 };
  const bad = /[^\x20-\x7e]/.exec(value);
  if (bad) return { code: 'charset', message: `'${printable(bad[0])}' is not a printable character`, offset: bad.index };
  switch (definition?.check ?? 'text') {
    case 'text':
      return null;
    case 'quantity':
      return /^\d+(\.\d+)?$/.test(value) ? null : { code: 'charset', message: `'${printable(value, 12)}' is not a quantity (digits, optionally with a decimal point)`, offset: 0 };
    case 'yymmdd':
      return checkDate(value, 6, nowYear);
    case 'yyyymmdd':
      return checkDate(value, 8, nowYear);
    case 'license-plate':
      return checkIdentifier(value, 3, 'a license plate');
    case 'ppn':
      return checkPharmacyProductNumber(value);
  }
}

function checkDate(value: string, digits: 6 | 8, nowYear: number | null): FieldFailure | null {
  if (!/^\d*$/.test(value)) return { code: 'charset', message: 'a date has only digits', offset: 0 };
  if (value.length !== digits) return { code: 'length', message: `a date has ${digits} digits, the scan has ${value.length}`, offset: 0 };
  const failure = lintGs1Component(digits === 6 ? 'yymmdd' : 'yyyymmdd', value, { nowYear });
  return failure ? { code: failure.code, message: failure.message, offset: failure.offset } : null;
}

function checkIdentifier(value: string, minLength: number, what: string): FieldFailure | null {
  const bad = /[^0-9A-Z]/.exec(value);
  if (bad) return { code: 'charset', message: `'${printable(bad[0])}' is not allowed in ${what} (digits and capital letters only)`, offset: bad.index };
  return value.length < minLength ? { code: 'length', message: `${what} has at least ${minLength} characters`, offset: 0 } : null;
}

/** PPN: registration agency code (2 digits), product reference, and two check digits: the sum of character codes weighted 2, 3, 4… mod 97. */
function checkPharmacyProductNumber(value: string): FieldFailure | null {
  const invalid = checkIdentifier(value, 5, 'a Pharmacy Product Number');
  if (invalid) return invalid;
  const body = value.slice(0, -2);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += body.charCodeAt(i) * (i + 2);
  const expected = String(sum % 97).padStart(2, '0');
  return value.slice(-2) === expected ? null : { code: 'check-digit', message: `the check digits should be ${expected}, not ${value.slice(-2)}`, offset: value.length - 2 };
}
