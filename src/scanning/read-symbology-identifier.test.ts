import { describe, expect, it } from 'vitest';
import { readSymbologyIdentifier } from './read-symbology-identifier.js';

describe('readSymbologyIdentifier', () => {
  it.each([
    [']C1', 'GS1 Code 128', 'gs1'],
    [']d2', 'GS1 Data Matrix', 'gs1'],
    [']Q3', 'GS1 QR Code', 'gs1'],
    [']e0', 'GS1 DataBar', 'gs1'],
    [']J1', 'GS1 DotCode', 'gs1'],
    [']E0', 'EAN-13/UPC-A', 'ean'],
    [']E4', 'EAN-8', 'ean'],
    [']E3', 'EAN-13 with add-on', 'ean'],
    [']E2', 'EAN/UPC 5-digit add-on', 'other'],
    [']C0', 'Code 128', 'other'],
    [']d1', 'Data Matrix', 'other'],
    [']Q1', 'QR Code', 'other'],
    [']A0', 'Code 39', 'other'],
    [']I1', 'Interleaved 2 of 5', 'other'],
    [']L2', 'PDF417', 'other'],
    [']z0', 'Aztec Code', 'other'],
  ])('%s is %s (%s)', (identifier, name, content) => {
    expect(readSymbologyIdentifier(`${identifier}DATA`)).toEqual({
      kind: 'identifier',
      symbology: { identifier, codeCharacter: identifier.charAt(1), modifier: identifier.charAt(2), name, content },
    });
  });

  it('data that do not start with ] carry no identifier', () => {
    expect(readSymbologyIdentifier('0101234')).toEqual({ kind: 'none' });
    expect(readSymbologyIdentifier('')).toEqual({ kind: 'none' });
  });

  it('an unknown code character, a bad modifier or a cut identifier is invalid', () => {
    for (const raw of [']', ']C', ']y0ABC', ']C\x1dABC', ']!1']) {
      expect(readSymbologyIdentifier(raw).kind, raw).toBe('invalid');
    }
    expect(readSymbologyIdentifier(']C\x1dX')).toMatchObject({ message: expect.stringContaining('\\x1d') as unknown });
  });
});
