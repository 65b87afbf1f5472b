// What a valid scan names on this plant's floor: an HU, a location, an order, a badge, a material, or nothing known.
import { LICENSE_PLATE_DIS } from './data-identifiers.js';
import { isGs1Element, type LabelFacts, type ScanElement, type ScanSyntax } from './decoded-scan.js';
import { readQuantities } from './read-quantities.js';

/** The plant's `labels` from the master data (contracts §1): regular expressions, or null where the plant has none. */
export interface LabelPatterns {
  location?: string | null;
  order?: string | null;
  badge?: string | null;
  hu?: string | null;
}

/** Whether an id names a handling unit the terminal knows (injected, so this module stays pure). */
export type HuLookup = (id: string) => boolean;

const MAX_CACHED_PATTERNS = 64;
/** Compiled plant patterns; null for one that does not compile (it never matches). */
const compiled = new Map<string, RegExp | null>();

function compile(source: string): RegExp | null {
  let regex = compiled.get(source);
  if (regex === undefined) {
    try {
      regex = new RegExp(source);
    } catch {
      regex = null;
    }
    if (compiled.size >= MAX_CACHED_PATTERNS) compiled.clear();
    compiled.set(source, regex);
  }
  return regex;
}

function match(source: string | null | undefined, text: string): RegExpExecArray | null {
  if (source === null || source === undefined) return null;
  return compile(source)?.exec(text) ?? null;
}

/** A named group, else the whole match. */
const group = (m: RegExpExecArray, ...names: string[]): string => {
  for (const name of names) {
    const value = m.groups?.[name];
    if (value !== undefined) return value;
  }
  return m[0];
};

/**
 * Plain text: a known HU id first, then the plant patterns hu, location, order, badge.
 * GS1 and ISO/IEC 15434: SSCC (00) or license plate 1J/5J/6J → hu; (414) GLN, with (254) → location;
 * a GTIN (01/02/03) or part number P/1P → material; GTIN, batch and quantities are reported whatever the kind.
 */
export function classifyLabel(syntax: ScanSyntax, labels?: LabelPatterns | null, isKnownHu?: HuLookup): LabelFacts {
  if (!syntax.ok) return { kind: 'unknown' };
  return syntax.scheme === 'plain' ? classifyText(syntax.data, labels ?? {}, isKnownHu) : classifyElements(syntax.elements);
}

function classifyText(text: string, labels: LabelPatterns, isKnownHu: HuLookup | undefined): LabelFacts {
  if (isKnownHu?.(text)) return { kind: 'hu', hu: text };
  let m = match(labels.hu, text);
  if (m) return { kind: 'hu', hu: group(m, 'hu', 'id') };
  m = match(labels.location, text);
  if (m) return { kind: 'location', location: group(m, 'location', 'id') };
  m = match(labels.order, text);
  if (m) {
    const operation = m.groups?.['operation'];
    return operation === undefined ? { kind: 'order', order: group(m, 'order', 'id') } : { kind: 'order', order: group(m, 'order', 'id'), operation };
  }
  m = match(labels.badge, text);
  if (m) return { kind: 'badge', badge: group(m, 'badge', 'id') };
  return { kind: 'unknown' };
}

function classifyElements(elements: readonly ScanElement[]): LabelFacts {
  const ai = (id: string) => elements.find((e) => isGs1Element(e) && e.ai === id)?.value;
  const di = (id: string) => elements.find((e) => !isGs1Element(e) && e.di === id)?.value;
  const facts: LabelFacts = { kind: 'unknown' };
  const sscc = ai('00');
  const plate = LICENSE_PLATE_DIS.map(di).find((v) => v !== undefined);
  const gln = ai('414');
  const gtin = ai('01') ?? ai('02') ?? ai('03');
  const partNumber = di('P') ?? di('1P');
  if (sscc !== undefined || plate !== undefined) {
    facts.kind = 'hu';
    facts.hu = sscc ?? plate;
  } else if (gln !== undefined) {
    facts.kind = 'location';
    const extension = ai('254');
    facts.location = extension ?? gln;
    facts.gln = gln;
    if (extension !== undefined) facts.glnExtension = extension;
  } else if (gtin !== undefined || partNumber !== undefined) {
    facts.kind = 'material';
  }
  if (gtin !== undefined) facts.gtin = gtin;
  if (partNumber !== undefined) facts.partNumber = partNumber;
  const batch = ai('10') ?? di('1T') ?? di('T');
  if (batch !== undefined) facts.batch = batch;
  const quantities = readQuantities(elements);
  if (quantities.length > 0) {
    facts.quantity = quantities[0];
    facts.quantities = quantities;
  }
  return facts;
}
