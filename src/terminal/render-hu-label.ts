import { toSVG } from 'bwip-js';
import { fromMinor } from '../domain/quantity.js';
import { isValidGs1CheckDigit } from '../domain/sscc.js';
import { prepared } from '../store/prepared.js';
import { readMaterial } from '../store/read-master-data.js';
import { readHu } from '../store/read-stock.js';
import { refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface HuLabel {
  hu: string;
  /** The GS1 element string encoded, in bracket notation, e.g. (00)…(02)…(37)…(10)…. */
  elementString: string;
  /** The human-readable lines printed above the barcode. */
  text: string[];
  svg: string;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The measure AI for a variable quantity in the base UoM: (310n) net kg, (311n) length m; n = decimals. */
function measureAi(uom: string, decimals: number, minor: number): string | null {
  const base = uom === 'KG' ? '310' : uom === 'M' ? '311' : null;
  if (base === null || minor > 999_999) return null;
  return `(${base}${decimals})${String(minor).padStart(6, '0')}`;
}

/**
 * A ready-to-print HU label: GS1-128 (or GS1 DataMatrix) with (00) SSCC, (02) GTIN and (37) count,
 * a measure AI for metres or kilograms, (10) batch, and human-readable text. A GTIN that fails its
 * check digit is left out rather than printed into a barcode scanners would reject.
 */
export function renderHuLabel(ctx: TerminalContext, huId: string, symbology: 'gs1-128' | 'gs1datamatrix' = 'gs1-128'): CommandResult<HuLabel> {
  const hu = readHu(ctx.db, huId);
  if (!hu) return refuse({ code: 'unknown-hu', message: `There is no HU ${huId}.` });
  if (!/^\d{18}$/.test(hu.id) || !isValidGs1CheckDigit(hu.id)) {
    return refuse({ code: 'not-an-sscc', message: `HU ${hu.id} has no SSCC, so it gets no GS1 label; print its own label.` });
  }
  const material = readMaterial(ctx.db, hu.material);
  const row = prepared(ctx.db, 'SELECT description, gtin FROM material WHERE id = ?').get(hu.material) as { description: string; gtin: string | null } | undefined;
  const decimals = material?.decimals ?? 0;
  const uom = material?.baseUom ?? '';
  const gtin = row?.gtin ? row.gtin.padStart(14, '0') : null;
  const parts = [`(00)${hu.id}`];
  if (gtin && isValidGs1CheckDigit(gtin)) {
    parts.push(`(02)${gtin}`);
    const measure = decimals === 0 ? null : measureAi(uom, decimals, hu.quantityMinor);
    if (decimals === 0) parts.push(`(37)${hu.quantityMinor}`);
    else if (measure) parts.push('(37)1', measure);
  }
  if (hu.batch && /^[!-~]{1,20}$/.test(hu.batch)) parts.push(`(10)${hu.batch}`);
  const elementString = parts.join('');
  const text = [
    `${hu.material} ${row?.description ?? ''}`.trim(),
    `${fromMinor(hu.quantityMinor, decimals)} ${uom}`,
    ...(hu.batch ? [`Batch ${hu.batch}`] : []),
    ...(hu.expiry ? [`Expiry ${hu.expiry}`] : []),
    `SSCC ${hu.id}`,
  ];
  let barcode: string;
  try {
    barcode = toSVG({ bcid: symbology === 'gs1-128' ? 'gs1-128' : 'gs1datamatrix', text: elementString, includetext: true, textxalign: 'center', scale: 2 });
  } catch (error) {
    return refuse({ code: 'label-not-encodable', message: `The label for HU ${hu.id} cannot be encoded: ${(error as Error).message}` });
  }
  const size = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(barcode);
  const width = Math.max(Number(size?.[1] ?? 400), 360);
  const height = Number(size?.[2] ?? 120);
  const lineHeight = 22;
  const top = text.length * lineHeight + 10;
  const inner = barcode.replace(/^<\?xml[^>]*>\s*/, '').replace('<svg ', `<svg x="0" y="${top}" width="${Number(size?.[1] ?? 400)}" height="${height}" `);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + height}" viewBox="0 0 ${width} ${top + height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    text.map((line, i) => `<text x="8" y="${(i + 1) * lineHeight}" font-family="sans-serif" font-size="${i === 0 ? 18 : 16}"${i === 0 ? ' font-weight="bold"' : ''}>${xml(line)}</text>`).join('') +
    inner +
    `</svg>`;
  return { ok: true, value: { hu: hu.id, elementString, text, svg } };
}
