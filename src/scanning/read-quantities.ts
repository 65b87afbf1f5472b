// Quantities on a label: counts (30), (37), data identifier Q, and measures (31nn)–(36nn) whose last AI digit is the decimal position.
import { isGs1Element, type QuantityCategory, type ScanElement, type ScanQuantity } from './decoded-scan.js';

interface Measure {
  unit: string;
  category: QuantityCategory;
  logistic: boolean;
}

const m = (unit: string, category: QuantityCategory, logistic = false): Measure => ({ unit, category, logistic });

/** By the first three digits of the AI, as the AI titles of the GS1 dictionary name them ("log" = logistic measure). */
const MEASURES: ReadonlyMap<string, Measure> = new Map([
  ['310', m('kg', 'mass')],
  ['311', m('m', 'length')],
  ['312', m('m', 'length')],
  ['313', m('m', 'length')],
  ['314', m('m2', 'area')],
  ['315', m('l', 'volume')],
  ['316', m('m3', 'volume')],
  ['320', m('lb', 'mass')],
  ['321', m('in', 'length')],
  ['322', m('ft', 'length')],
  ['323', m('yd', 'length')],
  ['324', m('in', 'length')],
  ['325', m('ft', 'length')],
  ['326', m('yd', 'length')],
  ['327', m('in', 'length')],
  ['328', m('ft', 'length')],
  ['329', m('yd', 'length')],
  ['330', m('kg', 'mass', true)],
  ['331', m('m', 'length', true)],
  ['332', m('m', 'length', true)],
  ['333', m('m', 'length', true)],
  ['334', m('m2', 'area', true)],
  ['335', m('l', 'volume', true)],
  ['336', m('m3', 'volume', true)],
  ['337', m('kg/m2', 'mass-per-area')],
  ['340', m('lb', 'mass', true)],
  ['341', m('in', 'length', true)],
  ['342', m('ft', 'length', true)],
  ['343', m('yd', 'length', true)],
  ['344', m('in', 'length', true)],
  ['345', m('ft', 'length', true)],
  ['346', m('yd', 'length', true)],
  ['347', m('in', 'length', true)],
  ['348', m('ft', 'length', true)],
  ['349', m('yd', 'length', true)],
  ['350', m('in2', 'area')],
  ['351', m('ft2', 'area')],
  ['352', m('yd2', 'area')],
  ['353', m('in2', 'area', true)],
  ['354', m('ft2', 'area', true)],
  ['355', m('yd2', 'area', true)],
  ['356', m('ozt', 'mass')],
  ['357', m('oz', 'volume')],
  ['360', m('qt', 'volume')],
  ['361', m('gal', 'volume')],
  ['362', m('qt', 'volume', true)],
  ['363', m('gal', 'volume', true)],
  ['364', m('in3', 'volume')],
  ['365', m('ft3', 'volume')],
  ['366', m('yd3', 'volume')],
  ['367', m('in3', 'volume', true)],
  ['368', m('ft3', 'volume', true)],
  ['369', m('yd3', 'volume', true)],
]);

/** Every quantity among the elements, in scan order; values that are not numbers are skipped. */
export function readQuantities(elements: readonly ScanElement[]): ScanQuantity[] {
  const quantities: ScanQuantity[] = [];
  for (const e of elements) {
    if (isGs1Element(e)) {
      if ((e.ai === '30' || e.ai === '37') && /^\d{1,8}$/.test(e.value)) {
        quantities.push({ source: e.ai, value: Number(e.value), decimals: 0, unit: 'each', category: 'count', logistic: false });
        continue;
      }
      const measure = e.ai.length === 4 ? MEASURES.get(e.ai.slice(0, 3)) : undefined;
      if (measure && /^\d{6}$/.test(e.value)) {
        const decimals = Number(e.ai.charAt(3));
        quantities.push({ source: e.ai, value: Number(e.value) / 10 ** decimals, decimals, ...measure });
      }
    } else if (e.di === 'Q' && /^\d+(\.\d+)?$/.test(e.value)) {
      const point = e.value.indexOf('.');
      quantities.push({ source: 'Q', value: Number(e.value), decimals: point < 0 ? 0 : e.value.length - point - 1, unit: 'each', category: 'count', logistic: false });
    }
  }
  return quantities;
}
