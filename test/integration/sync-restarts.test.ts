// Restarts in the middle of a drain (quality.md "Reliability"): a terminal pushes a backlog of
// thousands of postings to a central on a real PostgreSQL server; the central process, then
// PostgreSQL itself, goes away after the first acknowledged batches and comes back. Nothing is
// lost or doubled: each seq once with the terminal's hash, the same stock, no exceptions.
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WirePosting } from '../../src/api/sync.js';
import { startCentral, type RunningCentral } from '../../src/central/start-central.js';
import { readSyncState } from '../../src/sync/read-sync-state.js';
import { startSync, type SyncHandle } from '../../src/sync/start-sync.js';
import { getLocationStock, type LocationStockRow } from '../../src/terminal/get-location-stock.js';
import { startPostgresServer, type PostgresServer } from '../fixtures/postgres-server.js';
import { adminApi, drainToEnd, openPlantTerminal, pause, sortStockRows, waitForStatus } from '../fixtures/sync-harness.js';
import type { TestTerminal } from '../fixtures/test-plant.js';
import { aPlant, expectOk } from '../fixtures/test-plant.js';

const ADMIN = 'admin-token-for-the-sync-restart-tests-01';
const BACKLOG = 3000;
const RIM_START = 10_000;
const GLUE_START = 500;
const plant = aPlant()
  .component('RIM', 1, { uom: 'M' })
  .component('GLUE', 0.01, { uom: 'KG', issueLocation: 'TANK' })
  .order('1000', 100_000)
  .hu('HU-1', 'RIM', RIM_START)
  .stock('GLUE', GLUE_START, { location: 'TANK' });

const sum = (rows: readonly LocationStockRow[], material: string) => rows.filter((r) => r.material === material).reduce((total, r) => total + r.quantity, 0);

describe('sync across restarts of the central and of PostgreSQL', () => {
  let server: PostgresServer;
  let central: RunningCentral | undefined;
  let handle: SyncHandle | undefined;
  let terminal: TestTerminal | undefined;

  beforeAll(async () => {
    server = await startPostgresServer();
  }, 120_000);

  afterEach(async () => {
    await handle?.stop();
    await central?.close();
    terminal?.close();
    [handle, central, terminal] = [undefined, undefined, undefined];
  });

  afterAll(async () => {
    await server?.stop();
  });

  const startCentralOn = (database: string, port = 0) =>
    startCentral({ database, port, host: '127.0.0.1', adminToken: ADMIN, logger: pino({ level: 'silent' }) });

  const admin = adminApi(() => central?.url ?? '', ADMIN);

  /** A fresh database and central with the plant, and T1 with a backlog of BACKLOG postings made offline. */
  async function setUp(name: string) {
    const database = await server.createDatabase(name);
    central = await startCentralOn(database);
    await admin('POST', '/api/import', plant.doc);
    const { token } = await admin<{ token: string }>('POST', '/api/terminals', { id: 'T1' });
    const t = openPlantTerminal(plant.doc, 'T1', 'shopfloor-restarts');
    terminal = t;
    for (let i = 0; i < BACKLOG; i++) expectOk(t.confirm({ order: '1000', operation: '0010', good: 1 }));
    return { database, token, t };
  }

  /** Starts the drain and resolves once the central acknowledged its first batches (three of 100). */
  async function drainUntilFirstBatch(t: TestTerminal, token: string): Promise<SyncHandle> {
    const h = await startSync({
      databaseFile: t.file, terminalId: 'T1', central: { url: central?.url ?? '', token },
      pollIntervalMs: 100, requestTimeoutMs: 10_000, batchSize: 100, backoff: { baseMs: 50, maxMs: 500 },
    });
    handle = h;
    while (readSyncState(t.db).acknowledgedSeq < 300) await pause(2);
    return h;
  }

  /** What a user checks afterwards; `restartedAt` splits what the central received before and after. */
  async function expectNothingLostOrDoubled(t: TestTerminal, restartedAt: Date, what: string): Promise<void> {
    const [before] = (await central?.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM posting WHERE terminal_id = 'T1' AND received_at < $1`, [restartedAt],
    )) ?? [];
    // The restart really came in the middle: some of the backlog was in, not all.
    expect(before?.n).toBeGreaterThan(0);
    expect(before?.n).toBeLessThan(BACKLOG);
    console.info(`${what}: ${before?.n ?? 0} of ${BACKLOG} postings were in when it came back; drained ${((Date.now() - restartedAt.getTime()) / 1000).toFixed(2)} s later`);

    const local = t.db.prepare('SELECT seq, hash FROM posting ORDER BY seq').all() as { seq: number; hash: string }[];
    const received = (await admin<{ postings: WirePosting[]; more: boolean }>('GET', '/api/postings?terminal=T1&after=0&limit=5000')).postings;
    expect(received.map((p) => p.seq)).toEqual(Array.from({ length: BACKLOG }, (_, k) => k + 1));
    expect(received.map((p) => p.hash)).toEqual(local.map((p) => p.hash));
    for (const location of ['ML1', 'TANK']) {
      const atCentral = await admin<{ rows: LocationStockRow[] }>('GET', `/api/stock?location=${location}`);
      expect(sortStockRows(atCentral.rows), location).toEqual(sortStockRows(expectOk(getLocationStock(t.ctx, { location })).rows));
    }
    // Independent of both databases: one metre of rim at ML1 and 10 g of glue at TANK per lid.
    expect(sum((await admin<{ rows: LocationStockRow[] }>('GET', '/api/stock?location=ML1')).rows, 'RIM')).toBeCloseTo(RIM_START - BACKLOG, 6);
    expect(sum((await admin<{ rows: LocationStockRow[] }>('GET', '/api/stock?location=TANK')).rows, 'GLUE')).toBeCloseTo(GLUE_START - BACKLOG * 0.01, 6);
    expect((await admin<{ entries: unknown[] }>('GET', '/api/exceptions')).entries).toEqual([]);
    expect(t.check().problems).toEqual([]);
  }

  it(`the central process restarts mid-drain of ${BACKLOG} postings: the drain completes, nothing lost or doubled`, async () => {
    const { database, token, t } = await setUp('restart_central');
    const h = await drainUntilFirstBatch(t, token);
    const port = Number(new URL(central?.url ?? '').port);
    await central?.close();
    central = undefined;
    // The terminal notices the central is gone before it comes back.
    await waitForStatus(h, (s) => !s.online && s.lastError !== undefined);
    const restartedAt = new Date();
    // Same database, same admin token, same port: the terminal's configured URL stays valid.
    central = await startCentralOn(database, port);
    await drainToEnd(h, t, 50);
    await h.stop();
    await expectNothingLostOrDoubled(t, restartedAt, 'central restart');
  }, 240_000);

  it(`PostgreSQL stops mid-drain of ${BACKLOG} postings: the central answers 503 meanwhile, recovers, the drain completes`, async () => {
    const { token, t } = await setUp('restart_postgres');
    const h = await drainUntilFirstBatch(t, token);
    // Immediate: like a crash of the database server, sessions cut without a goodbye. A push cut inside
    // its transaction once raised an unhandled 'error' that ends the central (vitest fails the run on it).
    await server.stopServer('immediate');
    const down = await fetch(`${central?.url ?? ''}/api/postings?terminal=T1&after=0`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: 'database-unavailable' } });
    const failing = await waitForStatus(h, (s) => s.lastError?.includes('503') === true);
    expect(failing.online).toBe(false);
    const restartedAt = new Date();
    await server.startServer();
    await drainToEnd(h, t, 50);
    await h.stop();
    await expectNothingLostOrDoubled(t, restartedAt, 'PostgreSQL restart');
  }, 240_000);
});
