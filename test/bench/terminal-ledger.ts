// The `terminal` benchmark's plant and its big ledgers: real postings (postConfirmation through
// the terminal's own command, hash chain and all) of a light plant, one piece with one component
// from bulk stock each, cached in the temp dir because a million of them take minutes to make.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadMasterData } from '../../src/store/load-master-data.js';
import { latestVersion } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { postConfirmation } from '../../src/terminal/post-confirmation.js';
import { createTerminalContext } from '../../src/terminal/terminal-context.js';
import { aPlant, operator } from '../fixtures/test-plant.js';
import { fmtInt } from './stats.js';

/** The test plant's terminal, and the operator's badge and PIN (test/fixtures/test-plant.ts). */
export const BENCH_TERMINAL = 'T1';
export const OPERATOR_BADGE = 'B-1';
export const OPERATOR_PIN = '2580';
/** History spread over many orders, as in a plant, not one order confirmed a million times. */
export const POSTINGS_PER_ORDER = 500;
const FILL_BATCH = 2_000;

export const orderId = (n: number) => `F${String(n).padStart(6, '0')}`;

/** One operation at ML1 backflushing one piece of FILL from bulk stock; every posting makes an output HU. */
export function lightPlant(postings: number) {
  const orders = Math.ceil(postings / POSTINGS_PER_ORDER) + 1;
  const plant = aPlant().component('FILL', 1).stock('FILL', 1e12);
  for (let n = 0; n < orders; n++) plant.order(orderId(n), 1_000_000);
  const terminal = plant.doc.terminals[0];
  if (!terminal) throw new Error('the test plant has no terminal');
  // Each posting makes an output HU, so the terminal needs more SSCC serials than postings.
  terminal.ssccRange = { first: 0, last: 99_999_999 };
  return plant.doc;
}

/** The confirmation that the ledgers are made of, for the n-th posting. */
export const lightConfirmation = (n: number) => ({ requestId: randomUUID(), order: orderId(Math.floor(n / POSTINGS_PER_ORDER)), operation: '0010', good: 1, scrap: 0 });

/**
 * A database of terminal T1 with `postings` postings, made once and kept in the temp dir (the file
 * appears under its final name only when complete). Nothing that starts a terminal on it posts.
 */
export function cachedLedger(postings: number, write: (text: string) => void): string {
  const dir = join(tmpdir(), 'shopfloor-bench-cache');
  const file = join(dir, `terminal-ledger-${postings}-v${latestVersion}.sqlite`);
  if (existsSync(file) && ledgerSize(file) === postings) {
    write(`terminal: reusing the ${fmtInt(postings)}-posting ledger ${file}\n`);
    return file;
  }
  mkdirSync(dir, { recursive: true });
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  const db = openDatabase(building);
  try {
    let tick = Date.parse('2026-11-21T06:00:00Z');
    const now = () => new Date((tick += 1000)).toISOString();
    const loaded = loadMasterData(db, lightPlant(postings), { terminalId: BENCH_TERMINAL, now: now() });
    if (!loaded.ok) throw new Error(`the bench plant does not load: ${JSON.stringify(loaded.errors.slice(0, 5))}`);
    const ctx = createTerminalContext(db, { now });
    const start = Date.now();
    let lastReport = start;
    // Untimed: synchronous=OFF while filling only, each posting's transaction a savepoint of the batch's.
    db.pragma('synchronous = OFF');
    const batch = db.transaction((from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const posted = postConfirmation(ctx, operator, lightConfirmation(i));
        if (!posted.ok) throw new Error(`a filler posting was refused: ${posted.error.code}: ${posted.error.message}`);
      }
    });
    for (let made = 0; made < postings; made += FILL_BATCH) {
      batch(made, Math.min(FILL_BATCH, postings - made));
      if (Date.now() - lastReport > 10_000) {
        const rate = (made + FILL_BATCH) / ((Date.now() - start) / 1000);
        write(`terminal: building the ledger, ${fmtInt(made + FILL_BATCH)} / ${fmtInt(postings)} postings, ${fmtInt(Math.round(rate))}/s, ~${Math.round((postings - made) / rate)} s left\n`);
        lastReport = Date.now();
      }
    }
    db.pragma('synchronous = FULL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    write(`terminal: built a ${fmtInt(postings)}-posting ledger in ${Math.round((Date.now() - start) / 1000)} s\n`);
  } finally {
    db.close();
  }
  renameSync(building, file);
  return file;
}

function ledgerSize(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM posting').get() as { n: number }).n;
  } catch {
    return -1;
  } finally {
    db.close();
  }
}
