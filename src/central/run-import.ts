// `shopfloor import FILE --central URL --token T`: sends a master data file to the central and
// prints each error with its JSON path. Exit 0 imported, 1 the file has errors, 2 could not try
// (usage, unreadable file, central unreachable or refusing the token).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export async function runImport(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { central: { type: 'string' }, token: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    err.write(`shopfloor import: ${(error as Error).message}\n`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  const central = parsed.values.central;
  const token = parsed.values.token ?? process.env['SHOPFLOOR_ADMIN_TOKEN'];
  if (!file || extra.length > 0 || !central || !token) {
    err.write('usage: shopfloor import FILE --central URL --token T (or SHOPFLOOR_ADMIN_TOKEN)\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    err.write(`shopfloor import: cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    out.write(`${file} is not JSON: ${(error as Error).message}\n`);
    return 1;
  }
  let response: Response;
  try {
    response = await fetch(new URL('/api/import', central), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(doc),
    });
  } catch (error) {
    err.write(`shopfloor import: cannot reach ${central}: ${(error as Error).message}\n`);
    return 2;
  }
  const body = (await response.json().catch(() => null)) as ImportAnswer | null;
  if (response.ok && body && 'version' in body) {
    out.write(body.changed
      ? `imported ${file} as master data version ${body.version}: ${body.materials} materials, ${body.locations} locations, ${body.terminals} terminals, ${body.handlingUnitsCreated} new HUs, ${body.stockRowsCreated} new stock rows\n`
      : `${file} equals master data version ${body.version}: nothing changed\n`);
    return 0;
  }
  const error = body && 'error' in body ? body.error : undefined;
  if (response.status === 400 && error?.code === 'invalid-master-data') {
    const errors = error.details?.errors ?? [];
    out.write(`${file} was not imported: ${errors.length} error(s)\n`);
    for (const e of errors) out.write(`  ${e.path}: ${e.message}\n`);
    return 1;
  }
  err.write(`shopfloor import: the central answered ${response.status}${error ? `: ${error.message}` : ''}\n`);
  return 2;
}

type ImportAnswer =
  | { version: number; changed: boolean; materials: number; locations: number; terminals: number; handlingUnitsCreated: number; stockRowsCreated: number }
  | { error: { code: string; message: string; details?: { errors?: { path: string; message: string }[] } } };
