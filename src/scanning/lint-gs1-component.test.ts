import { describe, expect, it } from 'vitest';
import { lintGs1Component, UNCHECKED_LINTERS } from './lint-gs1-component.js';
import type { Gs1Linter } from './gs1-ai-table.generated.js';

const lint = (linter: Gs1Linter, part: string, nowYear: number | null = 2026) => lintGs1Component(linter, part, { nowYear });
const code = (linter: Gs1Linter, part: string, nowYear: number | null = 2026) => lint(linter, part, nowYear)?.code ?? 'ok';

describe('lintGs1Component', () => {
  it('csum: the GS1 mod-10 check digit, and which one it should be', () => {
    expect(code('csum', '09501101530003')).toBe('ok');
    expect(lint('csum', '09501101530004')).toEqual({ code: 'check-digit', message: 'the check digit should be 3, not 4', offset: 13 });
  });

  it('csumalpha: the prime-weighted check character pair of alphanumeric keys', () => {
    for (const good of ['22', '!22', '1987654Ad4X4bL5ttr2310c2K', '12345678901234567890123NT', '12345_!"%&\'()*+,-./LC', '00000!HV']) {
      expect(code('csumalpha', good), good).toBe('ok');
    }
    expect(lint('csumalpha', '1987654Ad4X4bL5ttr2310cXK')).toMatchObject({ code: 'check-digit', offset: 23 });
    expect(code('csumalpha', '33')).toBe('check-digit');
    expect(code('csumalpha', '2')).toBe('length');
  });

  it('gcppos1/gcppos2: a GS1 Company Prefix starts with four digits (at the second position for gcppos2)', () => {
    expect(code('gcppos1', '0123A')).toBe('ok');
    expect(code('gcppos1', '012A')).toBe('charset');
    expect(code('gcppos1', '012')).toBe('length');
    expect(lint('gcppos2', 'X012A')).toMatchObject({ code: 'charset', offset: 4 });
  });

  it('dates: months and days, YYMMD0 day 00, leap years by the century of now', () => {
    expect(code('yymmdd', '261130')).toBe('ok');
    expect(code('yymmdd', '261131')).toBe('date');
    expect(code('yymmdd', '261300')).toBe('date');
    expect(code('yymmdd', '261100')).toBe('date');
    expect(code('yymmd0', '261100')).toBe('ok');
    expect(code('yymmd0', '000229', 2026)).toBe('ok');
    expect(code('yymmd0', '000229', 2060)).toBe('date');
    expect(code('yymmd0', '000229', null)).toBe('ok');
    expect(code('yyyymmdd', '19000229')).toBe('date');
    expect(code('yyyymmdd', '20000229')).toBe('ok');
  });

  it('times: hours 00-23, minutes and seconds 00-59', () => {
    expect(code('hhmi', '2359')).toBe('ok');
    expect(lint('hhmi', '2400')).toMatchObject({ code: 'time', offset: 0 });
    expect(lint('hhmi', '2360')).toMatchObject({ code: 'time', offset: 2 });
    expect(code('hh', '23')).toBe('ok');
    expect(code('mi', '60')).toBe('time');
    expect(code('ss', '59')).toBe('ok');
  });

  it('country and currency codes from ISO 3166 and ISO 4217', () => {
    expect(code('iso3166', '276')).toBe('ok');
    expect(code('iso3166', '999')).toBe('country');
    expect(code('iso3166999', '999')).toBe('ok');
    expect(code('iso3166999', '998')).toBe('country');
    expect(code('iso3166alpha2', 'DE')).toBe('ok');
    expect(code('iso3166alpha2', 'XX')).toBe('country');
    expect(code('iso4217', '978')).toBe('ok');
    expect(code('iso4217', '000')).toBe('country');
  });

  it('IBAN: country, characters and the mod-97 check', () => {
    expect(code('iban', 'GB82WEST12345698765432')).toBe('ok');
    expect(code('iban', 'DE89370400440532013000')).toBe('ok');
    expect(code('iban', 'GB82WEST12345698765433')).toBe('check-digit');
    expect(code('iban', 'XX82WEST12345698765432')).toBe('country');
    expect(code('iban', 'GB82west12345698765432')).toBe('charset');
  });

  it('the small value rules', () => {
    expect([code('pcenc', 'A%20B'), code('pcenc', 'A%2'), code('pcenc', '%g0')]).toEqual(['ok', 'charset', 'charset']);
    expect([code('hyphen', '-'), code('hyphen', 'x')]).toEqual(['ok', 'charset']);
    expect([code('yesno', '1'), code('yesno', '2')]).toEqual(['ok', 'charset']);
    expect([code('zero', '0'), code('zero', '1')]).toEqual(['ok', 'charset']);
    expect([code('nonzero', '0010'), code('nonzero', '0000')]).toEqual(['ok', 'charset']);
    expect([code('winding', '9'), code('winding', '2')]).toEqual(['ok', 'charset']);
    expect([code('importeridx', '_'), code('importeridx', '.')]).toEqual(['ok', 'charset']);
    expect([code('mediatype', '10'), code('mediatype', '80'), code('mediatype', '11'), code('mediatype', '00')]).toEqual(['ok', 'ok', 'charset', 'charset']);
    expect([code('iso5218', '9'), code('iso5218', '3')]).toEqual(['ok', 'charset']);
    expect([code('posinseqslash', '9/10'), code('posinseqslash', '10/9'), code('posinseqslash', '01/2'), code('posinseqslash', '1/')]).toEqual(['ok', 'charset', 'charset', 'charset']);
    expect([code('pieceoftotal', '0103'), code('pieceoftotal', '0301'), code('pieceoftotal', '0001'), code('pieceoftotal', '011')]).toEqual(['ok', 'charset', 'charset', 'length']);
    expect([code('nozeroprefix', '0'), code('nozeroprefix', '10'), code('nozeroprefix', '01')]).toEqual(['ok', 'ok', 'charset']);
    expect([code('hasnondigit', '12A'), code('hasnondigit', '123')]).toEqual(['ok', 'charset']);
    expect([code('latitude', '1800000000'), code('latitude', '1800000001')]).toEqual(['ok', 'charset']);
    expect([code('longitude', '3600000000'), code('longitude', '3600000001')]).toEqual(['ok', 'charset']);
  });

  it('the linters without a reference list here accept anything (README lists them)', () => {
    expect(UNCHECKED_LINTERS).toEqual(['couponcode', 'couponposoffer', 'packagetype']);
    for (const linter of UNCHECKED_LINTERS) expect(code(linter, 'anything')).toBe('ok');
  });
});
