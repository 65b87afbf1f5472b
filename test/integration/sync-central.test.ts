// The terminal's sync against a real central (src/central on PGlite, one per file): a terminal
// drains a backlog posted offline, a lost answer does not move the acknowledged seq, and two
// offline terminals that consume the same HU converge on the central's state of it.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WirePosting } from '../../src/api/sync.js';
import { startCentral } from '../../src/central/start-central.js';
import { createCentralClient } from '../../src/sync/central-client.js';
import { pullOnce } from '../../src/sync/pull-once.js';
import { pushOnce } from '../../src/sync/push-once.js';
import { readSyncState } from '../../src/sync/read-sync-state.js';
import { startSync } from '../../src/sync/start-sync.js';
import { getLocationStock, type LocationStockRow } from '../../src/terminal/get-location-stock.js';
import { adminApi, closedPort, openPlantTerminal, sortStockRows, waitForStatus } from '../fixtures/sync-harness.js';
import { aPlant, expectOk, type TestTerminal } from '../fixtures/test-plant.js';

const ADMIN = 'admin-token-for-the-sync-tests-0123456789';
const plant = aPlant()
  .component('RIM', 1, { uom: 'M' })
  .order('1000', 100_000)
  .hu('HU-1', 'RIM', 1500)
  .hu('HU-2', 'RIM', 800)
  .hu('HU-W', 'RIM', 400, { location: 'WH' })
  .material('GLUE', { baseUom: 'KG' })
  .component('GLUE', 0.01, { uom: 'KG', issueLocation: 'TANK' })
  .stock('GLUE', 50, { location: 'TANK' });
plant.doc.terminals.push(
  { id: 'T2', locations: ['ML1'], ssccRange: { first: 100_000, last: 199_999 } },
  { id: 'T3', locations: ['ML1'], ssccRange: { first: 200_000, last: 299_999 } },
);

let central: Awaited<ReturnType<typeof startCentral>>;
const terminals: TestTerminal[] = [];
const tokens = new Map<string, string>();

function openTerminal(terminalId: string): TestTerminal {
  const terminal = openPlantTerminal(plant.doc, terminalId, 'shopfloor-sync');
  terminals.push(terminal);
  return terminal;
}

const admin = adminApi(() => central.url, ADMIN);

const clientOf = (terminalId: string, fetchImpl?: typeof fetch) =>
  createCentralClient({ url: central.url, token: tokens.get(terminalId) ?? '', ...(fetchImpl ? { fetch: fetchImpl } : {}) });
const now = () => new Date().toISOString();

beforeAll(async () => {
  central = await startCentral({ dataDir: null, port: 0, host: '127.0.0.1', adminToken: ADMIN, logger: pino({ level: 'warn' }) });
  await admin('POST', '/api/import', plant.doc);
  for (const id of ['T1', 'T2', 'T3']) tokens.set(id, (await admin<{ token: string }>('POST', '/api/terminals', { id })).token);
}, 120_000);

afterAll(async () => {
  for (const t of terminals) t.close();
  await central?.close();
});

describe('sync with the central', () => {
  let t1: TestTerminal;

  it('end to end: posts offline, reports it, drains when the central is there; the central then has the terminal stock', async () => {
    t1 = openTerminal('T1');
    const offlineUrl = `http://127.0.0.1:${await closedPort()}`;
    let handle = await startSync({ databaseFile: t1.file, terminalId: 'T1', central: { url: offlineUrl, token: tokens.get('T1') ?? '' }, pollIntervalMs: 100 });
    const postings = 300;
    for (let i = 0; i < postings; i++) {
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 3 }));
      handle.notifyPosted();
    }
    const offline = await waitForStatus(handle, (s) => s.pending === postings && s.lastError !== undefined);
    expect(offline).toMatchObject({ online: false, lastPushAt: null, lastPullAt: null });
    expect(offline.lastError).toBe(`central at ${offlineUrl} unreachable: ECONNREFUSED`);
    await handle.stop();

    handle = await startSync({ databaseFile: t1.file, terminalId: 'T1', central: { url: central.url, token: tokens.get('T1') ?? '' }, pollIntervalMs: 100 });
    try {
      const started = performance.now();
      const drained = await waitForStatus(handle, (s) => s.pending === 0 && s.online && s.lastPullAt !== null);
      const seconds = (performance.now() - started) / 1000;
      console.info(`drained ${postings} postings (push + pull) in ${seconds.toFixed(2)} s`);
      expect(drained.lastError).toBeUndefined();
      expect(drained.lastPushAt).not.toBeNull();
      expect(await handle.syncNow()).toEqual({ pushed: 0, pulled: 0 });
    } finally {
      await handle.stop();
    }

    const received = await admin<{ postings: WirePosting[] }>('GET', `/api/postings?terminal=T1&after=0&limit=1000`);
    expect(received.postings.map((p) => p.seq)).toEqual(Array.from({ length: postings }, (_, i) => i + 1));
    for (const location of ['ML1', 'TANK']) {
      const atCentral = await admin<{ rows: LocationStockRow[] }>('GET', `/api/stock?location=${location}`);
      const here = expectOk(getLocationStock(t1.ctx, { location }));
      expect(sortStockRows(atCentral.rows), location).toEqual(sortStockRows(here.rows));
    }
    // Sanity: the drain moved real stock, not two empty lists.
    expect(t1.huQuantity('HU-1') + t1.huQuantity('HU-2')).toBe(1500 + 800 - postings * 3);
    expect(t1.bulk('TANK', 'GLUE')).toBeCloseTo(50 - postings * 0.03, 6);
    expect(t1.check().problems).toEqual([]);
  });

  it('moves the acknowledged seq only on an answer: a push whose answer is lost is sent again and held once', async () => {
    for (let i = 0; i < 5; i++) expectOk(t1.confirm({ order: '1000', operation: '0010', good: 1 }));
    const before = readSyncState(t1.db);
    const answerLost: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      await response.text(); // the central has committed by now
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    };
    await expect(pushOnce(t1.db, clientOf('T1', answerLost), { now })).rejects.toThrow('unreachable: ECONNRESET');
    expect(readSyncState(t1.db).acknowledgedSeq).toBe(before.acknowledgedSeq);
    expect(await pushOnce(t1.db, clientOf('T1'), { now })).toMatchObject({ pushed: 5, acknowledgedSeq: before.lastSeq });
    const received = await admin<{ postings: WirePosting[] }>('GET', `/api/postings?terminal=T1&after=${before.acknowledgedSeq}&limit=1000`);
    expect(received.postings.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5].map((n) => before.acknowledgedSeq + n));
    await pullOnce(t1.db, clientOf('T1'), { now });
    expect(t1.check().problems).toEqual([]);
  });

  it('conflict: two offline terminals consume the same HU; both postings kept, one exception, both converge on the central HU', async () => {
    const [t2, t3] = [openTerminal('T2'), openTerminal('T3')];
    // Both start from what the central holds now (T1 has been consuming).
    for (const [t, id] of [[t2, 'T2'], [t3, 'T3']] as const) await pullOnce(t.db, clientOf(id), { now });
    expect(t2.balances().hus).toEqual(t3.balances().hus);

    // Offline, each consumes more than half of the same HU.
    const first = (t: TestTerminal) => t.db.prepare(`SELECT id, quantity_minor FROM handling_unit WHERE material = 'RIM' AND location = 'ML1' AND state IN ('available', 'mounted') AND quantity_minor > 0 ORDER BY arrived_at, id LIMIT 1`).get() as { id: string; quantity_minor: number };
    const good = Math.ceil((first(t2).quantity_minor / 100) * 0.6);
    const took = [t2, t3].map((t) => expectOk(t.confirm({ order: '1000', operation: '0010', good })).lines.find((l) => l.component === 'RIM')?.hu);
    expect(took[0]).toBeDefined();
    expect(took[1]).toBe(took[0]);
    const hu = took[0] ?? '';
    expect(t2.huQuantity(hu)).toBeGreaterThan(0);

    const pushes = [await pushOnce(t2.db, clientOf('T2'), { now }), await pushOnce(t3.db, clientOf('T3'), { now })];
    expect(pushes.map((p) => p.pushed)).toEqual([1, 1]);

    const atCentral = await admin<{ quantity: number; location: string; status: string; history: { terminal: string; seq: number }[] }>('GET', `/api/handling-units/${hu}`);
    expect(atCentral.history.filter((h) => h.terminal !== 'T1')).toEqual([expect.objectContaining({ terminal: 'T2', seq: 1 }), expect.objectContaining({ terminal: 'T3', seq: 1 })]);
    expect(atCentral.quantity).toBeLessThan(0);
    const exceptions = await admin<{ entries: { kind: string; terminal: string; hu: string | null }[] }>('GET', `/api/exceptions?hu=${hu}`);
    expect(exceptions.entries).toEqual([expect.objectContaining({ kind: 'double-consumption', terminal: 'T3', hu })]);

    for (const [t, id] of [[t2, 'T2'], [t3, 'T3']] as const) {
      await pullOnce(t.db, clientOf(id), { now });
      expect({ quantity: t.huQuantity(hu), state: t.huState(hu) }, id).toEqual({ quantity: atCentral.quantity, state: atCentral.status });
      expect(t.check().problems, id).toEqual([]);
    }

    // T1 knew nothing of this and takes 2 more from the HU before it hears: its view is the central's plus its own unsent take.
    expect(expectOk(t1.confirm({ order: '1000', operation: '0010', good: 2 })).lines.find((l) => l.component === 'RIM')?.hu).toBe(hu);
    await pullOnce(t1.db, clientOf('T1'), { now });
    expect(t1.huQuantity(hu)).toBeCloseTo(atCentral.quantity - 2, 6);
    expect(t1.check().problems).toEqual([]);
    await pushOnce(t1.db, clientOf('T1'), { now });
    await pullOnce(t1.db, clientOf('T1'), { now });
    const atEnd = await admin<{ quantity: number; status: string }>('GET', `/api/handling-units/${hu}`);
    expect(atEnd.quantity).toBeCloseTo(atCentral.quantity - 2, 6);
    expect({ quantity: t1.huQuantity(hu), state: t1.huState(hu) }).toEqual({ quantity: atEnd.quantity, state: atEnd.status });
    expect(t1.check().problems).toEqual([]);
  });

  it('starts a sync worker again after it died; the postings made meanwhile still reach the central', async () => {
    const handle = await startSync({ databaseFile: t1.file, terminalId: 'T1', central: { url: central.url, token: tokens.get('T1') ?? '' }, pollIntervalMs: 100 });
    try {
      await waitForStatus(handle, (s) => s.online && s.pending === 0);
      // What an uncaught fault inside the thread amounts to: the thread is gone.
      await (handle as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      const down = await waitForStatus(handle, (s) => s.lastError !== undefined);
      expect(down).toMatchObject({ online: false, lastError: expect.stringMatching(/sync worker exited/) as unknown });
      for (let i = 0; i < 3; i++) expectOk(t1.confirm({ order: '1000', operation: '0010', good: 1 }));
      const last = readSyncState(t1.db).lastSeq;
      await waitForStatus(handle, (s) => s.online && s.pending === 0);
      expect(handle.restartCount).toBe(1);
      const received = await admin<{ postings: WirePosting[] }>('GET', `/api/postings?terminal=T1&after=${last - 3}&limit=10`);
      expect(received.postings.map((p) => p.seq)).toEqual([last - 2, last - 1, last]);
    } finally {
      await handle.stop();
    }
  });

  it("tells the terminal when a pull brought another terminal's changes at its locations", async () => {
    const handle = await startSync({ databaseFile: t1.file, terminalId: 'T1', central: { url: central.url, token: tokens.get('T1') ?? '' }, pollIntervalMs: 50 });
    try {
      await waitForStatus(handle, (s) => s.online && s.pending === 0);
      const pulled = new Promise<number>((resolve) => handle.once('pulled', resolve));
      const t2 = terminals.find((t) => t.ctx.terminalId === 'T2') ?? openTerminal('T2');
      await pullOnce(t2.db, clientOf('T2'), { now });
      const used = expectOk(t2.confirm({ order: '1000', operation: '0010', good: 1 })).lines.find((l) => l.component === 'RIM')?.hu ?? '';
      await pushOnce(t2.db, clientOf('T2'), { now });
      expect(await pulled).toBeGreaterThan(0);
      await waitForStatus(handle, (s) => s.online);
      expect(t1.huQuantity(used)).toBeCloseTo(t2.huQuantity(used), 6);
    } finally {
      await handle.stop();
    }
  });
});
