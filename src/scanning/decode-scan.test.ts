import { describe, expect, it } from 'vitest';
import { gs1CheckDigit } from '../domain/sscc.js';
import { decodeScan } from './decode-scan.js';

const GS = '\x1d';
const RS = '\x1e';
const EOT = '\x04';
const now = new Date('2026-11-21T06:00:00Z');
const withCheck = (body: string) => body + String(gs1CheckDigit(body));
const PLANT_LABELS = {
  location: '^LOC:(?<id>.+)$',
  order: '^ORD:(?<order>[^/]+)/(?<operation>\\d{4})$',
  badge: '^BADGE:(?<badge>.+)$',
  hu: null,
};
/** The 70-byte GS1 DataMatrix of the issue: SSCC, content GTIN, count, batch, net weight. */
const PALLET = `]d2${'00340123450000000017'}${'0209501101530003'}${'3712'}${GS}10LOT-2026-11-A${GS}3103001250`;

const codes = (raw: string, options = {}) => decodeScan(raw, { now, ...options }).errors.map((e) => e.code);

describe('decodeScan: contracts §2 shape', () => {
  it('an SSCC in GS1-128 is an HU, with the fields in the order of the contract', () => {
    const decoded = decodeScan(']C100340123450000000017', { now });
    expect(decoded).toMatchObject({
      ok: true,
      symbology: ']C1',
      symbologyName: 'GS1 Code 128',
      scheme: 'gs1',
      elements: [{ ai: '00', value: '340123450000000017', title: 'SSCC' }],
      kind: 'hu',
      hu: '340123450000000017',
      errors: [],
      warnings: [],
    });
    expect(Object.keys(decoded).slice(0, 7)).toEqual(['ok', 'symbology', 'scheme', 'elements', 'kind', 'errors', 'warnings']);
  });

  it('the 70-byte pallet DataMatrix: HU with its content GTIN, batch and both quantities', () => {
    expect(PALLET).toHaveLength(70);
    const decoded = decodeScan(PALLET, { now });
    expect(decoded).toMatchObject({ ok: true, symbology: ']d2', scheme: 'gs1', kind: 'hu', hu: '340123450000000017', gtin: '09501101530003', batch: 'LOT-2026-11-A', warnings: [] });
    expect(decoded.elements.map((e) => ('ai' in e ? `(${e.ai})${e.value}` : ''))).toEqual([
      '(00)340123450000000017',
      '(02)09501101530003',
      '(37)12',
      '(10)LOT-2026-11-A',
      '(3103)001250',
    ]);
    expect(decoded.quantities).toEqual([
      { source: '37', value: 12, decimals: 0, unit: 'each', category: 'count', logistic: false },
      { source: '3103', value: 1.25, decimals: 3, unit: 'kg', category: 'mass', logistic: false },
    ]);
    expect(decoded.quantity).toEqual(decoded.quantities?.[0]);
  });

  it('never shows kind other than unknown for an invalid scan', () => {
    const decoded = decodeScan(']C100340123450000000018', { now });
    expect(decoded).toMatchObject({ ok: false, kind: 'unknown', errors: [{ code: 'check-digit', position: 22 }] });
    expect(decoded.hu).toBeUndefined();
  });
});

describe('decodeScan: GS1 element strings', () => {
  it('a GTIN with batch and a net weight is a material; (3103)001250 is 1.250 kg', () => {
    const decoded = decodeScan(`]d2010950110153000310LOT-7${GS}3103001250`, { now });
    expect(decoded).toMatchObject({ ok: true, kind: 'material', gtin: '09501101530003', batch: 'LOT-7', warnings: [] });
    expect(decoded.quantity).toEqual({ source: '3103', value: 1.25, decimals: 3, unit: 'kg', category: 'mass', logistic: false });
  });

  it.each([
    ['3100001500', 1500, 0, 'kg', 'mass', false],
    ['3102012345', 123.45, 2, 'kg', 'mass', false],
    ['3155123456', 1.23456, 5, 'l', 'volume', false],
    ['3111000125', 12.5, 1, 'm', 'length', false],
    ['3202000250', 2.5, 2, 'lb', 'mass', false],
    ['3141000350', 35, 1, 'm2', 'area', false],
  ])('(%s) is %d with %d decimals in %s', (element, value, decimals, unit, category, logistic) => {
    const decoded = decodeScan(`]C10109501101530003${element}`, { now });
    expect(decoded.ok).toBe(true);
    expect(decoded.quantity).toEqual({ source: element.slice(0, 4), value, decimals, unit, category, logistic });
  });

  it('a gross weight (330n) is a logistic measure; (30) is a count', () => {
    expect(decodeScan(`]C1003401234500000000173301004200`, { now }).quantity).toMatchObject({ source: '3301', value: 420, unit: 'kg', logistic: true });
    expect(decodeScan(`]C1010950110153000330250`, { now }).quantity).toMatchObject({ source: '30', value: 250, unit: 'each', category: 'count' });
  });

  it('(414) with (254) is a location: the extension names it', () => {
    const gln = withCheck('401234500001');
    expect(decodeScan(`]C1414${gln}254A-01-02`, { now })).toMatchObject({ ok: true, kind: 'location', location: 'A-01-02', gln, glnExtension: 'A-01-02' });
    expect(decodeScan(`]C1414${gln}`, { now })).toMatchObject({ ok: true, kind: 'location', location: gln, gln });
  });

  it('pre-defined length AIs need no GS, variable ones end at GS or at the end; a trailing GS is harmless', () => {
    expect(decodeScan(`]C10109501101530003${GS}10ABC${GS}`, { now })).toMatchObject({ ok: true, elements: [{ ai: '01' }, { ai: '10', value: 'ABC' }] });
    expect(decodeScan(`]C11012${GS}17261231`, { now }).elements).toEqual([
      { ai: '10', value: '12', title: 'BATCH/LOT' },
      { ai: '17', value: '261231', title: 'USE BY or EXPIRY', date: '2026-12-31' },
    ]);
  });

  it('data without an AIM identifier are recognised by their structure, a leading GS (FNC1) included', () => {
    expect(decodeScan('00340123450000000017', { now })).toMatchObject({ ok: true, symbology: null, scheme: 'gs1', kind: 'hu', hu: '340123450000000017' });
    expect(decodeScan(`${GS}0109501101530003`, { now })).toMatchObject({ ok: true, scheme: 'gs1', kind: 'material' });
    expect(decodeScan(`${GS}01095011015300`, { now })).toMatchObject({ ok: false, scheme: 'gs1', errors: [{ code: 'length' }] });
    // Digits that do not parse as GS1 are plain text, not an error.
    expect(decodeScan('12345678', { now })).toMatchObject({ ok: true, scheme: 'plain', kind: 'unknown', elements: [] });
  });

  it('EAN-13, UPC and EAN-8 carry a GTIN, reported as (01)', () => {
    expect(decodeScan(']E05901234123457', { now })).toMatchObject({ ok: true, scheme: 'gs1', symbologyName: 'EAN-13/UPC-A', kind: 'material', gtin: '05901234123457', elements: [{ ai: '01', value: '05901234123457' }] });
    const ean8 = withCheck('9638507');
    expect(decodeScan(`]E4${ean8}`, { now })).toMatchObject({ ok: true, gtin: `000000${ean8}` });
    expect(decodeScan(']E0590123412345712', { now })).toMatchObject({ ok: false, errors: [{ code: 'length' }] });
    expect(decodeScan(']E05901234123458', { now })).toMatchObject({ ok: false, errors: [{ code: 'check-digit' }] });
    expect(decodeScan(']E359012341234571234', { now })).toMatchObject({ ok: false, errors: [{ code: 'length' }] });
    expect(decodeScan(']E3590123412345712', { now })).toMatchObject({ ok: true, gtin: '05901234123457' });
  });
});

describe('decodeScan: every error code of contracts §2', () => {
  it.each([
    ['empty', '', 0],
    ['empty', ']d2', 3],
    ['symbology', ']y0ABC', 0],
    ['symbology', ']C', 0],
    ['unknown-ai', ']C1891234', 3],
    ['unknown-ai', `]C110ABC${GS}${GS}10DEF`, 9],
    ['length', ']C1011234567890123', 5],
    ['length', ']C12421234567', 12],
    ['charset', ']C199~ABC', 5],
    ['charset', ']C1010950110153000A', 18],
    ['check-digit', ']C10112345678901234', 18],
    ['date', ']C1010950110153000317131300', 23],
    ['date', ']C1010950110153000317260230', 25],
    ['time', ']C1010950110153000370032611212460', 29],
    ['country', ']C10109501101530003422999', 22],
    ['envelope', `[)>${RS}06${GS}P4711${RS}`, 13],
  ])('%s: %j at position %i', (code, raw, position) => {
    const decoded = decodeScan(raw, { now });
    expect(decoded.ok).toBe(false);
    expect(decoded.kind).toBe('unknown');
    expect(decoded.errors[0]).toMatchObject({ code, position });
    expect(decoded.errors[0]?.message.length).toBeGreaterThan(10);
  });

  it('messages name the field and what is wrong, in words an operator can act on', () => {
    expect(decodeScan(']C10112345678901234', { now }).errors[0]?.message).toBe('(01) GTIN: the check digit should be 1, not 4');
    expect(decodeScan(']C1011234567890123', { now }).errors[0]?.message).toBe('(01) GTIN: needs exactly 14 digits, the scan has 13');
    expect(decodeScan(']C199~ABC', { now }).errors[0]?.message).toBe("(99) INTERNAL: '~' is not in the GS1 character set 82");
    expect(decodeScan(']C1010950110153000A', { now }).errors[0]?.message).toBe("(01) GTIN: 'A' is not a digit");
    expect(decodeScan(']C1891234', { now }).errors[0]?.message).toBe('no GS1 application identifier starts with 89 (at \'891234\')');
    expect(decodeScan(']C10109501101530003422999', { now }).errors[0]?.message).toBe('(422) ORIGIN: 999 is not an ISO 3166 country code');
  });

  it('reports one error per faulty element and goes on after a content error', () => {
    const decoded = decodeScan(`]C10109501101530004${GS}17261332${GS}10OK`, { now });
    expect(decoded.errors.map((e) => e.code)).toEqual(['check-digit', 'date']);
    expect(decoded.elements.map((e) => ('ai' in e ? e.ai : e.di))).toEqual(['01', '17', '10']);
  });
});

describe('decodeScan: dates and the GS1 century rule', () => {
  it('years within 49 back and 50 ahead of now: 76 is 2076, 77 is 1977 in 2026', () => {
    expect(decodeScan(']C1010950110153000317761231', { now }).elements[1]).toMatchObject({ date: '2076-12-31' });
    expect(decodeScan(']C1010950110153000317770101', { now }).elements[1]).toMatchObject({ date: '1977-01-01' });
  });

  it('day 00 means the last day of the month where YYMMD0 allows it', () => {
    expect(decodeScan(']C1010950110153000317240200', { now }).elements[1]).toMatchObject({ date: '2024-02-29' });
    expect(decodeScan(']C1010950110153000317250200', { now }).elements[1]).toMatchObject({ date: '2025-02-28' });
    // (7006) first freeze date is YYMMDD: day 00 is no date there.
    expect(codes(']C101095011015300037006260200')).toEqual(['date']);
  });

  it('29 February 2000 exists, 29 February 2100 does not: the century decides', () => {
    const feb29 = ']C1010950110153000317000229';
    expect(decodeScan(feb29, { now })).toMatchObject({ ok: true, elements: [{}, { date: '2000-02-29' }] });
    expect(decodeScan(feb29, { now: new Date('2060-06-01T00:00:00Z') })).toMatchObject({ ok: false, errors: [{ code: 'date' }] });
    expect(decodeScan(']C1010950110153000317990229', { now })).toMatchObject({ ok: false, errors: [{ code: 'date' }] });
  });

  it('without now: dates are checked, no ISO date is given', () => {
    const decoded = decodeScan(']C1010950110153000317000229');
    expect(decoded.ok).toBe(true);
    expect(decoded.elements[1]).toEqual({ ai: '17', value: '000229', title: 'USE BY or EXPIRY' });
  });
});

describe('decodeScan: req/ex association rules are warnings', () => {
  it('(37) without (00) and without (02) or (8026): two requisite-ai warnings, the scan stays ok', () => {
    const decoded = decodeScan(']C13712', { now });
    expect(decoded.ok).toBe(true);
    expect(decoded.warnings).toEqual([
      { code: 'requisite-ai', message: '(37) COUNT should come with (00) on the same label (GS1 rule); the scan is accepted anyway', position: 3 },
      { code: 'requisite-ai', message: '(37) COUNT should come with (02) or (8026) on the same label (GS1 rule); the scan is accepted anyway', position: 3 },
    ]);
  });

  it('(01) with (37) is excluded, reported once for the pair', () => {
    const decoded = decodeScan(']C101095011015300033712', { now });
    expect(decoded.ok).toBe(true);
    expect(decoded.warnings.filter((w) => w.code === 'excluded-ai')).toEqual([
      { code: 'excluded-ai', message: '(01) GTIN and (37) must not be on the same label (GS1 rule); the scan is accepted anyway', position: 3 },
    ]);
  });

  it('two net weights of the same kind exclude each other, a repeated AI does not exclude itself', () => {
    expect(decodeScan(']C101095011015300033103001250', { now }).warnings).toEqual([]);
    expect(decodeScan(']C1010950110153000331030012503102000125', { now }).warnings.map((w) => w.code)).toEqual(['excluded-ai']);
  });
});

describe('decodeScan: ISO/IEC 15434', () => {
  const envelope = (...formats: string[]) => `[)>${RS}${formats.map((f) => `${f}${RS}`).join('')}${EOT}`;

  it('format 06 with a license plate (1J) is an HU; part number, batch and quantity come along', () => {
    const decoded = decodeScan(envelope(`06${GS}1JUN123456789ABC${GS}P4711${GS}Q20${GS}1TLOT7`), { now });
    expect(decoded).toMatchObject({ ok: true, symbology: null, scheme: 'iso15434', kind: 'hu', hu: 'UN123456789ABC', partNumber: '4711', batch: 'LOT7' });
    expect(decoded.elements).toEqual([
      { di: '1J', value: 'UN123456789ABC', title: 'License plate of a transport unit at the lowest level of packaging' },
      { di: 'P', value: '4711', title: 'Item number assigned by the customer (part number)' },
      { di: 'Q', value: '20', title: 'Quantity, number of pieces' },
      { di: '1T', value: 'LOT7', title: 'Traceability number assigned by the supplier (lot/batch)' },
    ]);
    expect(decoded.quantity).toEqual({ source: 'Q', value: 20, decimals: 0, unit: 'each', category: 'count', logistic: false });
  });

  it('5J and 6J are license plates too; behind an AIM identifier (]d1) all the same', () => {
    expect(decodeScan(`]d1${envelope(`06${GS}5JUN987654321X`)}`, { now })).toMatchObject({ ok: true, symbology: ']d1', scheme: 'iso15434', kind: 'hu', hu: 'UN987654321X' });
    expect(decodeScan(envelope(`06${GS}6JUN1Z`), { now })).toMatchObject({ kind: 'hu', hu: 'UN1Z' });
  });

  it('a part number without a license plate is a material', () => {
    expect(decodeScan(envelope(`06${GS}1PAB-100${GS}Q12.5`), { now })).toMatchObject({ ok: true, kind: 'material', partNumber: 'AB-100', quantity: { value: 12.5, decimals: 1 } });
  });

  it('format 05 holds GS1 element strings; both formats may share one envelope', () => {
    expect(decodeScan(envelope(`05${GS}00340123450000000017`), { now })).toMatchObject({ ok: true, scheme: 'iso15434', kind: 'hu', elements: [{ ai: '00', value: '340123450000000017' }] });
    const both = decodeScan(envelope(`06${GS}P4711`, `05${GS}0109501101530003${GS}10B1`), { now });
    expect(both).toMatchObject({ ok: true, kind: 'material', gtin: '09501101530003', partNumber: '4711', batch: 'B1' });
    expect(both.elements).toHaveLength(3);
    expect(decodeScan(envelope(`05${GS}0109501101530004`), { now }).errors.map((e) => e.code)).toEqual(['check-digit']);
  });

  it('data identifiers this decoder does not know are accepted without a title', () => {
    expect(decodeScan(envelope(`06${GS}20LDOCK 4`), { now })).toMatchObject({ ok: true, elements: [{ di: '20L', value: 'DOCK 4' }], kind: 'unknown' });
    expect(decodeScan(envelope(`06${GS}20LDOCK 4`), { now }).elements[0]).not.toHaveProperty('title');
  });

  it('checks the data of the identifiers it knows: quantity, dates, license plates, PPN check digits', () => {
    expect(codes(envelope(`06${GS}Q12A`))).toEqual(['charset']);
    expect(codes(envelope(`06${GS}D261332`))).toEqual(['date']);
    expect(codes(envelope(`06${GS}14D20270229`))).toEqual(['date']);
    expect(codes(envelope(`06${GS}14D20280229`))).toEqual([]);
    expect(codes(envelope(`06${GS}1Jun-1`))).toEqual(['charset']);
    expect(codes(envelope(`06${GS}9N110375286414`))).toEqual([]);
    expect(codes(envelope(`06${GS}9N110375286415`))).toEqual(['check-digit']);
    expect(codes(envelope(`06${GS}P`))).toEqual(['length']);
  });

  it('a broken envelope is an envelope error', () => {
    expect(codes(`[)>06${GS}P1${RS}${EOT}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}07${GS}P1${RS}${EOT}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}06P1${RS}${EOT}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}06${GS}P1${EOT}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}06${GS}P1${RS}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}06${GS}P1${RS}${EOT}X`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}06${GS}4711${RS}${EOT}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}06${GS}P1${GS}${GS}Q2${RS}${EOT}`)).toEqual(['envelope']);
    expect(codes(`[)>${RS}${EOT}`)).toEqual(['envelope']);
  });
});

describe('decodeScan: plant labels and plain text', () => {
  it('classifies plain text by the plant patterns, with their named groups', () => {
    const labels = PLANT_LABELS;
    expect(decodeScan('LOC:WH-A-01', { labels })).toMatchObject({ ok: true, scheme: 'plain', kind: 'location', location: 'WH-A-01', elements: [] });
    expect(decodeScan('ORD:1000123/0010', { labels })).toMatchObject({ kind: 'order', order: '1000123', operation: '0010' });
    expect(decodeScan('BADGE:B-0017', { labels })).toMatchObject({ kind: 'badge', badge: 'B-0017' });
    expect(decodeScan('HELLO', { labels })).toMatchObject({ ok: true, scheme: 'plain', kind: 'unknown', data: 'HELLO' });
    expect(decodeScan(']C0LOC:WH-A-01', { labels })).toMatchObject({ symbology: ']C0', symbologyName: 'Code 128', kind: 'location', location: 'WH-A-01' });
    expect(decodeScan(']A0BADGE:B-0017', { labels })).toMatchObject({ symbologyName: 'Code 39', kind: 'badge' });
  });

  it('an HU by the plant pattern or by a known id', () => {
    expect(decodeScan('HU123456', { labels: { ...PLANT_LABELS, hu: '^HU(?<hu>\\d{6})$' } })).toMatchObject({ kind: 'hu', hu: '123456' });
    expect(decodeScan('R-77', { labels: PLANT_LABELS, isKnownHu: (id) => id === 'R-77' })).toMatchObject({ kind: 'hu', hu: 'R-77' });
  });

  it('without an AIM identifier the plant pattern wins over a GS1 reading of the same digits', () => {
    const labels = { ...PLANT_LABELS, order: '^(?<order>\\d{7})(?<operation>\\d{4})$' };
    expect(decodeScan('10001230010', { labels, now })).toMatchObject({ scheme: 'plain', kind: 'order', order: '1000123', operation: '0010' });
    expect(decodeScan(']C110001230010', { labels, now })).toMatchObject({ scheme: 'gs1', kind: 'unknown', batch: '001230010' });
  });

  it('a non-GS1 symbology never turns digits into GS1', () => {
    expect(decodeScan(']C000340123450000000017', { now })).toMatchObject({ ok: true, scheme: 'plain', kind: 'unknown' });
  });

  it('a plant pattern that does not compile matches nothing instead of failing', () => {
    expect(decodeScan('LOC:1', { labels: { location: '(' } })).toMatchObject({ ok: true, kind: 'unknown' });
  });
});
