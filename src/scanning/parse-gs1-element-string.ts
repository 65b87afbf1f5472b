// GS1 element strings as a scanner transmits them: AI + data, variable-length data ended by GS (FNC1) or the end.
import type { Gs1Element, ScanError } from './decoded-scan.js';
import { GS1_AI_LENGTH_BY_PREFIX, GS1_AI_TABLE, type Gs1AiDefinition, type Gs1Charset } from './gs1-ai-table.generated.js';
import { lintGs1Component, type LintFailure } from './lint-gs1-component.js';
import { printable } from './printable.js';
import { resolveGs1Date } from './resolve-gs1-date.js';

export interface Gs1Parse {
  elements: Gs1Element[];
  /** Raw-scan offset of each element's AI, parallel to `elements`. */
  positions: number[];
  errors: ScanError[];
}

const GS = 0x1d;

const N = 1;
const X = 2;
const Y = 4;
const Z = 8;
const CSET_BIT: Record<Gs1Charset, number> = { N, X, Y, Z };
const CSET_NAME: Record<Gs1Charset, string> = {
  N: 'not a digit',
  X: 'not in the GS1 character set 82',
  Y: 'not in the GS1 character set 39',
  Z: 'not in the GS1 character set 64 (base64url)',
};

/** Bit flags per ASCII code: which GS1 character sets hold the character. */
const CHARSETS = (() => {
  const table = new Uint8Array(128);
  const mark = (chars: string, bit: number) => {
    for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = (table[chars.charCodeAt(i)] ?? 0) | bit;
  };
  const digits = '0123456789';
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  mark(digits, N | X | Y | Z);
  mark(`!"%&'()*+,-./:;<=>?_${upper}${lower}`, X);
  mark(`#-/${upper}`, Y);
  mark(`-_${upper}${lower}`, Z);
  return table;
})();

/**
 * Parses `data` (the scan after its AIM identifier); `offset` is where `data` starts in the raw scan.
 * One error per faulty element; parsing goes on after content errors and stops at an unreadable AI.
 */
export function parseGs1ElementString(data: string, offset: number, nowYear: number | null): Gs1Parse {
  const elements: Gs1Element[] = [];
  const positions: number[] = [];
  const errors: ScanError[] = [];
  const end = data.length;
  // A leading GS is the FNC1 in first position, sent by scanners that transmit no AIM identifier.
  let i = data.charCodeAt(0) === GS ? 1 : 0;
  while (i < end) {
    const start = i;
    const ai = readAi(data, i);
    const definition = ai === null ? undefined : GS1_AI_TABLE.get(ai);
    if (ai === null || definition === undefined) {
      errors.push({ code: 'unknown-ai', message: unknownAiMessage(data, i), position: offset + i });
      break;
    }
    i += ai.length;
    const valueStart = i;
    let valueEnd: number;
    if (definition.fixedLength) {
      const limit = Math.min(end, i + fixedLengthOf(definition));
      valueEnd = i;
      while (valueEnd < limit && data.charCodeAt(valueEnd) !== GS) valueEnd++;
      // A GS after a pre-defined length AI is not needed but allowed.
      i = valueEnd < end && data.charCodeAt(valueEnd) === GS ? valueEnd + 1 : valueEnd;
    } else {
      const gs = data.indexOf('\x1d', i);
      valueEnd = gs < 0 ? end : gs;
      i = gs < 0 ? end : gs + 1;
    }
    const value = data.slice(valueStart, valueEnd);
    const failure = checkValue(definition, value, nowYear);
    if (failure) errors.push({ code: failure.code, message: `(${ai}) ${definition.title}: ${failure.message}`, position: offset + valueStart + failure.offset });
    const element: Gs1Element = { ai, value, title: definition.title };
    if (nowYear !== null && !failure && hasTwoDigitYearDate(definition)) {
      const date = resolveGs1Date(value.slice(0, 6), nowYear);
      if (date !== null) element.date = date;
    }
    elements.push(element);
    positions.push(offset + start);
  }
  return { elements, positions, errors };
}

function readAi(data: string, i: number): string | null {
  const length = GS1_AI_LENGTH_BY_PREFIX.get(data.slice(i, i + 2));
  if (length === undefined || i + length > data.length) return null;
  return data.slice(i, i + length);
}

function unknownAiMessage(data: string, i: number): string {
  if (data.charCodeAt(i) === GS) return 'an empty field: two group separators (GS) in a row, or a GS where an application identifier should start';
  const digits = /^\d*/.exec(data.slice(i, i + 4))?.[0] ?? '';
  if (digits.length < 2) return `expected a GS1 application identifier (digits), found '${printable(data.slice(i), 12)}'`;
  const length = GS1_AI_LENGTH_BY_PREFIX.get(digits.slice(0, 2));
  if (length === undefined) return `no GS1 application identifier starts with ${digits.slice(0, 2)} (at '${printable(data.slice(i), 12)}')`;
  if (i + length > data.length) return `the scan ends inside an application identifier ('${printable(data.slice(i))}')`;
  return `(${printable(data.slice(i, i + length))}) is not a GS1 application identifier`;
}

function fixedLengthOf(definition: Gs1AiDefinition): number {
  let total = 0;
  for (const c of definition.components) total += c.max;
  return total;
}

function hasTwoDigitYearDate(definition: Gs1AiDefinition): boolean {
  const linters = definition.components[0]?.linters ?? [];
  return linters.includes('yymmd0') || linters.includes('yymmdd');
}

/** Applies each component to the value in turn, as the dictionary describes: lengths, character set, then its linters. */
function checkValue(definition: Gs1AiDefinition, value: string, nowYear: number | null): LintFailure | null {
  let pos = 0;
  for (const component of definition.components) {
    if (pos >= value.length && component.optional) break;
    const take = Math.min(component.max, value.length - pos);
    if (take < component.min) return { code: 'length', message: lengthMessage(definition, value), offset: pos };
    const part = value.slice(pos, pos + take);
    const bad = badCharacter(component.cset, part);
    if (bad >= 0) {
      return { code: 'charset', message: `'${printable(part.charAt(bad))}' is ${CSET_NAME[component.cset]}`, offset: pos + bad };
    }
    for (const linter of component.linters) {
      const failure = lintGs1Component(linter, part, { nowYear });
      if (failure) return { ...failure, offset: pos + failure.offset };
    }
    pos += take;
  }
  return pos < value.length ? { code: 'length', message: lengthMessage(definition, value), offset: pos } : null;
}

/** Index of the first character outside the set (-1 when none); CSET 64 also checks its optional '=' padding. */
function badCharacter(cset: Gs1Charset, part: string): number {
  let length = part.length;
  if (cset === 'Z') {
    let pads = 0;
    while (length > 0 && part.charCodeAt(length - 1) === 0x3d) {
      length--;
      pads++;
    }
    if (pads > 2 || (pads > 0 && (length + pads) % 3 !== 0)) return length;
  }
  const bit = CSET_BIT[cset];
  for (let i = 0; i < length; i++) {
    const code = part.charCodeAt(i);
    if (code >= 128 || ((CHARSETS[code] ?? 0) & bit) === 0) return i;
  }
  return -1;
}

function lengthMessage(definition: Gs1AiDefinition, value: string): string {
  let min = 0;
  let max = 0;
  for (const c of definition.components) {
    if (!c.optional) min += c.min;
    max += c.max;
  }
  const unit = definition.components.every((c) => c.cset === 'N') ? 'digits' : 'characters';
  const found = `the scan has ${value.length}`;
  if (value.length === 0) return `no data after the application identifier`;
  if (min === max) return `needs exactly ${max} ${unit}, ${found}`;
  if (value.length < min) return `needs at least ${min} ${unit}, ${found}`;
  if (value.length > max) return `allows at most ${max} ${unit}, ${found}`;
  return `${value.length} ${unit} do not fit its format ${formatOf(definition)}`;
}

function formatOf(definition: Gs1AiDefinition): string {
  return definition.components
    .map((c) => {
      const text = `${c.cset}${c.min === c.max ? c.max : `..${c.max}`}`;
      return c.optional ? `[${text}]` : text;
    })
    .join(' ');
}
