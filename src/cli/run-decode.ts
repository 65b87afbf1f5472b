import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { validateMasterData } from '../api/validate-master-data.js';
import { decodeScan, type DecodeScanOptions } from '../scanning/decode-scan.js';

/**
 * `shopfloor decode [--master-data FILE] [--now ISO-TIME]`: one scan's raw bytes on stdin, its decoding as one line
 * of JSON on stdout (contracts §2); exit 0 valid, 1 invalid, 2 bad usage. Bytes are read as latin1, one character per
 * byte, so GS/RS/EOT and any binary arrive unchanged. One trailing line ending (LF, CRLF or CR) is dropped: `echo`
 * adds one, and no GS1 or ISO/IEC 15434 message ends in one. The plant's label patterns and its HU ids come from the
 * master data file when given; without it only the structure (GS1, 15434) classifies.
 */
export async function runDecode(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  let values: { 'master-data'?: string; now?: string };
  try {
    values = parseArgs({ args: argv, options: { 'master-data': { type: 'string' }, now: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    err.write(`shopfloor decode: ${(error as Error).message}\n`);
    return 2;
  }
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) {
    err.write(`shopfloor decode: --now ${values.now} is not a date and time\n`);
    return 2;
  }
  const options: DecodeScanOptions = { now };
  const file = values['master-data'];
  if (file !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      err.write(`shopfloor decode: cannot read ${file}: ${(error as Error).message}\n`);
      return 2;
    }
    const validated = validateMasterData(doc);
    if (!validated.ok) {
      err.write(`shopfloor decode: ${file} is not a valid master data file:\n${validated.errors.map((e) => `  ${e.path}: ${e.message}\n`).join('')}`);
      return 2;
    }
    const hus = new Set(validated.value.handlingUnits.map((hu) => hu.id));
    options.labels = validated.value.labels;
    options.isKnownHu = (id) => hus.has(id);
  }
  const raw = dropLineEnding(await readAll(input));
  const decoded = decodeScan(raw, options);
  out.write(`${JSON.stringify(decoded)}\n`);
  return decoded.ok ? 0 : 1;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  return Buffer.concat(chunks).toString('latin1');
}

function dropLineEnding(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  return text.endsWith('\n') || text.endsWith('\r') ? text.slice(0, -1) : text;
}
