import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkDatabase } from '../store/check-database.js';
import { openDatabase } from '../store/open-database.js';

/** `shopfloor check --database FILE`: exit 0 only when every check holds. */
export function runCheck(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  let file: string | undefined;
  try {
    file = parseArgs({ args: argv, options: { database: { type: 'string' } }, strict: true }).values.database;
  } catch (error) {
    err.write(`shopfloor check: ${(error as Error).message}\n`);
    return 2;
  }
  if (!file) {
    err.write('shopfloor check: --database FILE is required\n');
    return 2;
  }
  if (!existsSync(file)) {
    err.write(`shopfloor check: ${file} does not exist\n`);
    return 2;
  }
  let db;
  try {
    db = openDatabase(file, { readOnly: true });
  } catch (error) {
    err.write(`shopfloor check: cannot open ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const report = checkDatabase(db);
    if (report.ok) {
      out.write(`ok: ${report.postings} postings, hash chain intact, seqs gap-free, stock equals the replay of the ledger\n`);
      return 0;
    }
    out.write(`FAILED: ${report.problems.length} problem(s) in ${report.postings} postings\n`);
    for (const p of report.problems) out.write(`  - ${p}\n`);
    return 1;
  } finally {
    db.close();
  }
}
