// The plant of the `sync` benchmark and the terminal databases it drains: one light line per
// terminal (two components: RIM from HUs, GLUE without HU), each terminal at its own machine
// location, so 50 terminals pushing at once do not consume each other's HUs. Every posting is a
// real confirmation with its hash chain, made by postConfirmation; the databases are cached in the
// temp dir because 150,000 postings take a minute or two to make.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { MasterDataInput } from '../../src/api/master-data.js';
import { loadMasterData } from '../../src/store/load-master-data.js';
import { latestVersion } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { postConfirmation } from '../../src/terminal/post-confirmation.js';
import { createTerminalContext } from '../../src/terminal/terminal-context.js';
import { aPlant, operator } from '../fixtures/test-plant.js';

/** Confirmations per order: a week's history spread over many orders, as in a plant. */
const POSTINGS_PER_ORDER = 500;
/** Pieces in one RIM HU; a confirmation of one piece takes one, so an HU lasts this many postings. */
const RIM_PER_HU = 5_000;
/** One outer transaction around this many postings while filling (each posting's own becomes a savepoint). */
const FILL_BATCH = 2_000;
/** Part of the cached files' names: raise it when the plant or the postings made on it change. */
const PLANT_VERSION = 1;

export interface SyncLine {
  terminal: string;
  postings: number;
}

const orderId = (terminal: string, n: number) => `${terminal}-${String(n).padStart(5, '0')}`;
const machineLocation = (terminal: string) => `ML-${terminal}`;
const ordersFor = (postings: number) => Math.ceil(postings / POSTINGS_PER_ORDER);

/** One master data file for every central of the run: a line per terminal, each with enough stock for its postings. */
export function syncBenchPlant(lines: readonly SyncLine[]): MasterDataInput {
  const plant = aPlant().component('RIM', 1).material('GLUE', { baseUom: 'KG' }).component('GLUE', 0.01, { uom: 'KG' });
  const doc = plant.doc;
  doc.terminals = [];
  let ssccBlock = 1;
  for (const { terminal, postings } of lines) {
    const location = machineLocation(terminal);
    const workCenter = `WC-${terminal}`;
    doc.locations.push({ id: location, kind: 'machine', workCenter });
    doc.workCenters.push({ id: workCenter, description: `Line of ${terminal}`, backflush: true, machineLocation: location });
    const operations = [{ operation: '0010', workCenter, description: 'Make', backflush: true }];
    for (let n = 0; n < ordersFor(postings); n++) doc.productionOrders.push({ id: orderId(terminal, n), material: 'LID', quantity: 1_000, batch: `B-${terminal}`, operations });
    for (let n = 0; n <= Math.ceil(postings / RIM_PER_HU); n++) doc.handlingUnits.push({ id: `HU-${terminal}-${n}`, material: 'RIM', quantity: RIM_PER_HU, location });
    doc.stock.push({ location, material: 'GLUE', quantity: postings / 100 + 10 });
    // Every confirmation makes an output HU: a block of a million SSCC serials per terminal.
    doc.terminals.push({ id: terminal, locations: [location], ssccRange: { first: ssccBlock * 1_000_000, last: ssccBlock * 1_000_000 + 999_999 } });
    ssccBlock++;
  }
  return doc;
}

export interface FilledTerminal {
  file: string;
  postings: number;
  /** Spent making it in this run: 0 when the cached file was reused. */
  seconds: number;
  /** Average length of a posting's canonical body. */
  bodyBytes: number;
  megabytes: number;
}

/**
 * The database of `line.terminal` holding `line.postings` unsent confirmations of one piece each,
 * from the cache in the temp dir or made now (the file gets its final name only when complete).
 * Nothing that uses it writes to it: each round pushes from a copy.
 */
export function cachedTerminal(doc: MasterDataInput, line: SyncLine, onProgress?: (done: number) => void): FilledTerminal {
  const dir = join(tmpdir(), 'shopfloor-bench-cache', `sync-plant${PLANT_VERSION}-schema${latestVersion}`);
  const file = join(dir, `${line.terminal}-${line.postings}.sqlite`);
  const started = performance.now();
  if (!existsSync(file) || describe(file).postings !== line.postings) {
    mkdirSync(dir, { recursive: true });
    const building = `${file}.building`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
    fillTerminal(doc, line, building, onProgress);
    renameSync(building, file);
  }
  return { file, seconds: (performance.now() - started) / 1000, ...describe(file) };
}

function describe(file: string): { postings: number; bodyBytes: number; megabytes: number } {
  // Read-write, though it only reads: a read-only connection to a WAL database leaves -wal and -shm files behind.
  const db = new BetterSqlite3(file, { fileMustExist: true });
  try {
    const { n, bytes } = db.prepare('SELECT count(*) AS n, coalesce(avg(length(body)), 0) AS bytes FROM posting').get() as { n: number; bytes: number };
    return { postings: n, bodyBytes: Math.round(bytes), megabytes: statSync(file).size / 1e6 };
  } catch {
    return { postings: -1, bodyBytes: 0, megabytes: 0 };
  } finally {
    db.close();
  }
}

/** Fills a new terminal database at `file`: synchronous=OFF while filling, then FULL again and the WAL checkpointed away. */
function fillTerminal(doc: MasterDataInput, line: SyncLine, file: string, onProgress?: (done: number) => void): void {
  const db = openDatabase(file);
  try {
    let tick = Date.parse('2026-11-16T06:00:00Z');
    const now = () => new Date((tick += 250)).toISOString();
    const loaded = loadMasterData(db, structuredClone(doc), { terminalId: line.terminal, now: now() });
    if (!loaded.ok) throw new Error(`the sync bench plant does not load for ${line.terminal}: ${JSON.stringify(loaded.errors.slice(0, 5))}`);
    const ctx = createTerminalContext(db, { now });
    let posted = 0;
    const batch = db.transaction((n: number) => {
      for (let i = 0; i < n; i++, posted++) {
        const result = postConfirmation(ctx, operator, {
          requestId: randomUUID(), order: orderId(line.terminal, Math.floor(posted / POSTINGS_PER_ORDER)), operation: '0010', good: 1, scrap: 0,
        });
        if (!result.ok) throw new Error(`a posting of ${line.terminal} was refused: ${result.error.code}: ${result.error.message}`);
        if (result.value.lines.some((l) => l.shortfall !== 0)) throw new Error(`a posting of ${line.terminal} went into backlog: the plant has too little stock`);
      }
    });
    db.pragma('synchronous = OFF');
    while (posted < line.postings) {
      batch(Math.min(FILL_BATCH, line.postings - posted));
      onProgress?.(posted);
    }
    db.pragma('synchronous = FULL');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
