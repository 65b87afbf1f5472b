// Generates src/scanning/gs1-ai-table.generated.ts from the GS1 Barcode Syntax Dictionary
// (../shared/data/gs1-syntax-dictionary.txt) and src/scanning/iso-codes.generated.ts from Debian's
// iso-codes JSON (/usr/share/iso-codes/json). Re-runnable: `npm run generate:gs1`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dictionaryPath = join(root, '..', 'shared', 'data', 'gs1-syntax-dictionary.txt');
const isoCodesDir = process.env.ISO_CODES_JSON_DIR ?? '/usr/share/iso-codes/json';
const tableOut = join(root, 'src', 'scanning', 'gs1-ai-table.generated.ts');
const isoOut = join(root, 'src', 'scanning', 'iso-codes.generated.ts');

const FLAG_CHARS = new Set('*!?"$%&\'()+,-./:;<=>@[\\]^_`{|}~');
const COMPONENT = /^(\[)?([NXYZ])(\d+|\.\.\d+)(\])?((?:,[a-z0-9]+)*)$/;

function fail(message) {
  process.stderr.write(`generate-gs1-ai-table: ${message}\n`);
  process.exit(1);
}

/** One dictionary line → its AIs and their definition (shared by every AI of a range). */
function parseLine(line, lineNo) {
  const hash = line.indexOf('#');
  const title = hash >= 0 ? line.slice(hash + 1).trim() : '';
  const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
  const aiToken = tokens.shift();
  if (!aiToken || !/^\d{2,4}(-\d{2,4})?$/.test(aiToken)) fail(`line ${lineNo}: bad AI '${aiToken}'`);
  let flags = '';
  if (tokens[0] && [...tokens[0]].every((ch) => FLAG_CHARS.has(ch))) flags = tokens.shift();
  const components = [];
  const req = [];
  const ex = [];
  for (const token of tokens) {
    const m = COMPONENT.exec(token);
    if (m) {
      const [, open, cset, len, close, linters] = m;
      if (Boolean(open) !== Boolean(close)) fail(`line ${lineNo}: unbalanced brackets in '${token}'`);
      if (attributesStarted(req, ex)) fail(`line ${lineNo}: component '${token}' after attributes`);
      const variable = len.startsWith('..');
      const max = Number(variable ? len.slice(2) : len);
      components.push({ cset, min: variable ? 1 : max, max, optional: Boolean(open), linters: linters ? linters.slice(1).split(',') : [] });
    } else if (token.startsWith('req=')) {
      req.push(token.slice(4).split(',').map((alternative) => alternative.split('+')));
    } else if (token.startsWith('ex=')) {
      ex.push(...token.slice(3).split(','));
    } else if (/^[a-z]+(=.*)?$/.test(token)) {
      // dlpkey and other Digital Link attributes do not concern scanning.
    } else {
      fail(`line ${lineNo}: cannot read '${token}'`);
    }
  }
  if (components.length === 0) fail(`line ${lineNo}: no specification`);
  components.forEach((c, i) => {
    if (c.min !== c.max && i !== components.length - 1) fail(`line ${lineNo}: only the last component may vary in length`);
    if (!c.optional && components.slice(0, i).some((p) => p.optional)) fail(`line ${lineNo}: mandatory component after an optional one`);
  });
  const [first, last = first] = aiToken.split('-');
  if (first.length !== last.length) fail(`line ${lineNo}: range ends differ in length`);
  const ais = [];
  for (let n = Number(first); n <= Number(last); n++) ais.push(String(n).padStart(first.length, '0'));
  return { ais, definition: { title, fixedLength: flags.includes('*'), components, req, ex } };
}

function attributesStarted(req, ex) {
  return req.length > 0 || ex.length > 0;
}

function readDictionary() {
  if (!existsSync(dictionaryPath)) fail(`${dictionaryPath} not found (the shared folder sits beside the project root)`);
  const text = readFileSync(dictionaryPath, 'utf8');
  const release = /^# Release: (\S+)/m.exec(text)?.[1] ?? 'unknown';
  const table = new Map();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '' || line.startsWith('#')) return;
    const { ais, definition } = parseLine(line, i + 1);
    for (const ai of ais) {
      if (table.has(ai)) fail(`line ${i + 1}: AI ${ai} defined twice`);
      table.set(ai, definition);
    }
  });
  return { release, table };
}

/** GS1 AIs are prefix-free and their length follows from their first two digits; the parser relies on both. */
function lengthByPrefix(table) {
  const lengths = new Map();
  for (const ai of table.keys()) {
    const prefix = ai.slice(0, 2);
    const known = lengths.get(prefix);
    if (known !== undefined && known !== ai.length) fail(`AIs starting ${prefix} differ in length (${known} and ${ai.length})`);
    lengths.set(prefix, ai.length);
  }
  return new Map([...lengths].sort(([a], [b]) => a.localeCompare(b)));
}

const q = (s) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const list = (items) => `[${items.join(', ')}]`;

function renderDefinition(d) {
  const components = d.components.map(
    (c) => `{ cset: ${q(c.cset)}, min: ${c.min}, max: ${c.max}, optional: ${c.optional}, linters: ${list(c.linters.map(q))} }`,
  );
  const req = d.req.map((rule) => list(rule.map((alternative) => list(alternative.map(q)))));
  return `{ title: ${q(d.title)}, fixedLength: ${d.fixedLength}, components: ${list(components)}, req: ${list(req)}, ex: ${list(d.ex.map(q))} }`;
}

function renderTable({ release, table }) {
  const linters = [...new Set([...table.values()].flatMap((d) => d.components.flatMap((c) => c.linters)))].sort();
  const ais = [...table.keys()].sort();
  const source = relative(root, dictionaryPath);
  return `// GENERATED FILE, DO NOT EDIT: written by scripts/generate-gs1-ai-table.mjs (\`npm run generate:gs1\`)
// from ${source}, GS1 Barcode Syntax Dictionary release ${release}.
// The dictionary is Copyright (c) 2020-2021 BWIPP project, (c) 2020-2021 Zint Project and
// (c) 2021-2026 GS1 AISBL, licensed under the Apache License, Version 2.0
// (http://www.apache.org/licenses/LICENSE-2.0; see ../shared/data/gs1-syntax-dictionary.LICENSE).
// This table is derived from it: AI ranges expanded, components, req/ex rules and titles kept.

/** N numeric, X CSET 82, Y CSET 39, Z CSET 64 (base64url). */
export type Gs1Charset = 'N' | 'X' | 'Y' | 'Z';

/** Every linter the dictionary names. */
export type Gs1Linter =
${linters.map((l) => `  | ${q(l)}`).join('\n')};

export interface Gs1AiComponent {
  readonly cset: Gs1Charset;
  readonly min: number;
  readonly max: number;
  /** Written in [brackets]: may be left out once the data is exhausted. */
  readonly optional: boolean;
  readonly linters: readonly Gs1Linter[];
}

export interface Gs1AiDefinition {
  readonly title: string;
  /** The \`*\` flag: pre-defined length, no FNC1 (GS) separator needed after it. */
  readonly fixedLength: boolean;
  readonly components: readonly Gs1AiComponent[];
  /** Each \`req=\` attribute: one of its alternatives must be present; an alternative is AI patterns that must all be present. */
  readonly req: readonly (readonly (readonly string[])[])[];
  /** \`ex=\` patterns: none may be present besides this AI itself (\`n\` stands for any digit). */
  readonly ex: readonly string[];
}

export const GS1_DICTIONARY_RELEASE = ${q(release)};

/** How many digits an AI has, by its first two digits. */
export const GS1_AI_LENGTH_BY_PREFIX: ReadonlyMap<string, number> = new Map([
${[...lengthByPrefix(table)].map(([p, n]) => `  [${q(p)}, ${n}],`).join('\n')}
]);

export const GS1_AI_TABLE: ReadonlyMap<string, Gs1AiDefinition> = new Map<string, Gs1AiDefinition>([
${ais.map((ai) => `  [${q(ai)}, ${renderDefinition(table.get(ai))}],`).join('\n')}
]);
`;
}

function readIsoCodes() {
  const read = (name, key) => {
    const path = join(isoCodesDir, name);
    if (!existsSync(path)) fail(`${path} not found: install Debian's iso-codes (apt-get install -y iso-codes) or set ISO_CODES_JSON_DIR`);
    const entries = JSON.parse(readFileSync(path, 'utf8'))[key];
    if (!Array.isArray(entries) || entries.length === 0) fail(`${path} has no '${key}' list`);
    return entries;
  };
  const countries = read('iso_3166-1.json', '3166-1');
  const currencies = read('iso_4217.json', '4217');
  const sorted = (values) => [...new Set(values.filter((v) => typeof v === 'string'))].sort();
  return {
    countryNumeric: sorted(countries.map((c) => c.numeric)),
    countryAlpha2: sorted(countries.map((c) => c.alpha_2)),
    currencyNumeric: sorted(currencies.map((c) => c.numeric)),
  };
}

function renderIsoCodes(codes) {
  const set = (values) => `new Set([\n${chunk(values.map(q), 16).map((row) => `    ${row.join(', ')},`).join('\n')}\n  ])`;
  return `// GENERATED FILE, DO NOT EDIT: written by scripts/generate-gs1-ai-table.mjs (\`npm run generate:gs1\`)
// from Debian's iso-codes (${isoCodesDir}/iso_3166-1.json and iso_4217.json): only the code values.

export const ISO_CODES: {
  /** ISO 3166-1 numeric country codes ("num-3"). */
  readonly countryNumeric: ReadonlySet<string>;
  /** ISO 3166-1 alpha-2 country codes. */
  readonly countryAlpha2: ReadonlySet<string>;
  /** ISO 4217 numeric currency codes. */
  readonly currencyNumeric: ReadonlySet<string>;
} = {
  countryNumeric: ${set(codes.countryNumeric)},
  countryAlpha2: ${set(codes.countryAlpha2)},
  currencyNumeric: ${set(codes.currencyNumeric)},
};
`;
}

function chunk(items, size) {
  const rows = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

const dictionary = readDictionary();
writeFileSync(tableOut, renderTable(dictionary));
const codes = readIsoCodes();
writeFileSync(isoOut, renderIsoCodes(codes));
process.stdout.write(
  `${relative(root, tableOut)}: ${dictionary.table.size} AIs (release ${dictionary.release})\n` +
    `${relative(root, isoOut)}: ${codes.countryNumeric.length} countries, ${codes.currencyNumeric.length} currencies\n`,
);
