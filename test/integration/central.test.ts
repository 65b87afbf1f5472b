// The central against both of its databases: PGlite (embedded) and a real PostgreSQL 15 server.
// Postings are made by real terminal databases (the test plant and the terminal commands) and
// taken from their outboxes, so the central is tested on exactly what terminals send.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MasterDataInput } from '../../src/api/master-data.js';
import { pullResponseSchema, pushResponseSchema, type PullResponse, type StockChange, type WirePosting } from '../../src/api/sync.js';
import type { CentralApp } from '../../src/central/build-central-app.js';
import type { CentralDb } from '../../src/central/central-db.js';
import { postingHash } from '../../src/central/check-push-batch.js';
import { migrateCentralDb, NewerDatabaseError } from '../../src/central/migrate-central-db.js';
import { prepareCentral } from '../../src/central/start-central.js';
import { loadMasterData } from '../../src/store/load-master-data.js';
import { readOutbox } from '../../src/store/ledger.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createTerminalContext } from '../../src/terminal/terminal-context.js';
import { getLocationStock } from '../../src/terminal/get-location-stock.js';
import { transferHu } from '../../src/terminal/transfer-hu.js';
import { startPostgresServer, type PostgresServer } from '../fixtures/postgres-server.js';
import { aPlant, expectOk, handler, TestTerminal, type TestPlant } from '../fixtures/test-plant.js';

const ADMIN = 'admin-token-for-the-central-tests';

/** The plant of these tests: T1 at ML1/TANK, T2 at ML2 (and ML1, so both can consume there); WH is storage. */
function plant(): TestPlant {
  const p = aPlant()
    .component('RIM', 1, { uom: 'M' })
    .component('GLUE', 0.01, { uom: 'KG' })
    .order('1000', 1000)
    .hu('HU-1', 'RIM', 100)
    .hu('HU-2', 'RIM', 100)
    .hu('HU-WH', 'RIM', 100, { location: 'WH' })
    .hu('HU-ML2', 'RIM', 100, { location: 'ML2' })
    .stock('GLUE', 5);
  p.doc.locations.push({ id: 'ML2', kind: 'machine', workCenter: 'WC1' });
  p.doc.terminals.push({ id: 'T2', locations: ['ML2', 'ML1'], ssccRange: { first: 100_000, last: 199_999 } });
  return p;
}

/** A terminal database of `terminalId` loaded with `doc` (the fixture's open() is always T1). */
function openTerminal(doc: MasterDataInput, terminalId: string): TestTerminal {
  const dir = mkdtempSync(join(tmpdir(), 'shopfloor-central-test-'));
  const file = join(dir, 'terminal.sqlite');
  const db = openDatabase(file);
  let tick = Date.parse('2026-11-21T06:00:00Z');
  const now = () => new Date((tick += 1000)).toISOString();
  const loaded = loadMasterData(db, structuredClone(doc), { terminalId, now: now() });
  if (!loaded.ok) throw new Error(`test plant does not load: ${JSON.stringify(loaded.errors)}`);
  return new TestTerminal(db, createTerminalContext(db, { now }), file, dir);
}

/** The terminal's unsent postings as they go on the wire: the ledger body plus its hash column. */
function outbox(t: TestTerminal): WirePosting[] {
  const hashOf = t.db.prepare('SELECT hash FROM posting WHERE seq = ?');
  return readOutbox(t.db, 100_000).map((body) => ({ ...body, hash: (hashOf.get(body.seq) as { hash: string }).hash }));
}

const unhashed = ({ hash: _hash, ...body }: WirePosting): Omit<WirePosting, 'hash'> => body;

// Without the PostgreSQL binaries the postgres half fails in its setup with the line that says what to install.
const backends = [{ name: 'pglite' as const }, { name: 'postgres' as const }];

describe.each(backends)('central on $name', ({ name }) => {
  let server: PostgresServer | undefined;
  let app: CentralApp;
  let db: CentralDb;
  let epoch: string;
  const logLines: string[] = [];
  const terminals: TestTerminal[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    let database: string | undefined;
    if (name === 'postgres') {
      server = await startPostgresServer({ fsync: false });
      database = await server.createDatabase('central_test');
    }
    const logs = new Writable({ write: (chunk: Buffer, _encoding, done) => { logLines.push(chunk.toString('utf8')); done(); } });
    const central = await prepareCentral({ database, dataDir: null, adminToken: ADMIN, logger: pino({ level: 'info' }, logs) });
    ({ app, db, epoch } = central);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    // One database per file (PGlite takes ~0.9 GB); each test starts from an empty central.
    await db.exec(`TRUNCATE master_data, location, material, production_order, terminal_location, terminal, posting, hu_posting,
      handling_unit, hu_scope_change, bulk_stock, sync_exception;
      UPDATE central_state SET master_data_version = 0, last_ingest_seq = 0, last_change_seq = 0`);
  });

  afterEach(() => {
    for (const t of terminals.splice(0)) t.close();
  });

  const request = async (method: 'GET' | 'POST', url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method, url,
      headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
      ...(body === undefined ? {} : typeof body === 'string' || Buffer.isBuffer(body) ? { payload: body } : { payload: body as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  };
  const admin = (method: 'GET' | 'POST', url: string, body?: unknown) => request(method, url, ADMIN, body);
  const push = async (terminal: string, postings: WirePosting[], token = tokens[terminal] ?? '') => request('POST', '/sync/push', token, { terminal, postings });
  const pull = async (terminal: string, cursor?: string, limit?: number) => {
    const query = new URLSearchParams({ ...(cursor === undefined ? {} : { cursor }), ...(limit === undefined ? {} : { limit: String(limit) }) });
    const answer = await request('GET', `/sync/pull?${query.toString()}`, tokens[terminal] ?? '');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return pullResponseSchema.parse(answer.body);
  };
  /** Every page from `cursor` on; the last answer's cursor and each page's master data. */
  const pullAll = async (terminal: string, cursor: string | undefined, limit: number) => {
    const pages: PullResponse[] = [];
    let next = cursor;
    do {
      const page = await pull(terminal, next, limit);
      pages.push(page);
      next = page.cursor;
    } while (pages[pages.length - 1]?.more);
    return { pages, changes: pages.flatMap((p) => p.changes), cursor: next ?? '' };
  };
  const stock = async (location: string) => {
    const answer = await admin('GET', `/api/stock?location=${location}`);
    expect(answer.status).toBe(200);
    return answer.body['rows'] as { material: string; hu: string | null; batch: string | null; quantity: number; uom: string; mounted: boolean }[];
  };
  const postingCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM posting'))[0]?.n;
  const exceptions = async () => (await admin('GET', '/api/exceptions')).body['entries'] as { kind: string; terminal: string; seq: number; hu: string | null; message: string }[];

  /** Imports the plant, provisions T1 and T2, and opens both terminals on the same file. */
  const setUp = async (p = plant()) => {
    const imported = await admin('POST', '/api/import', p.doc);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    for (const id of ['T1', 'T2']) tokens[id] = (await admin('POST', '/api/terminals', { id })).body['token'] as string;
    const t1 = openTerminal(p.doc, 'T1');
    const t2 = openTerminal(p.doc, 'T2');
    terminals.push(t1, t2);
    return { p, t1, t2 };
  };

  describe('import', () => {
    it('refuses a file with errors whole: every error with its JSON path, nothing written', async () => {
      const p = plant();
      p.doc.handlingUnits[0] = { ...p.doc.handlingUnits[0], id: 'HU-1', material: 'NOPE', quantity: 1, location: 'ML1' };
      p.doc.stock.push({ location: 'NOWHERE', material: 'GLUE', quantity: 1 });
      const answer = await admin('POST', '/api/import', p.doc);
      expect(answer.status).toBe(400);
      const error = answer.body['error'] as { code: string; details: { errors: unknown[] } };
      expect(error.code).toBe('invalid-master-data');
      expect(error.details.errors).toEqual(expect.arrayContaining([
        { path: '$.handlingUnits[0].material', message: 'unknown material "NOPE"' },
        { path: '$.stock[1].location', message: 'unknown location "NOWHERE"' },
      ]));
      const schema = await admin('POST', '/api/import', { ...p.doc, plant: { ...p.doc.plant, id: '' }, extra: 1 });
      expect(schema.status).toBe(400);
      expect((schema.body['error'] as { details: { errors: unknown[] } }).details.errors).toEqual(expect.arrayContaining([
        { path: '$.extra', message: 'unknown field "extra"' },
        { path: '$.plant.id', message: 'must not be empty' },
      ]));
      expect(await db.query('SELECT version FROM master_data')).toEqual([]);
      expect(await db.query('SELECT id FROM handling_unit')).toEqual([]);
      expect((await admin('GET', '/api/stock?location=ML1')).status).toBe(404);
    });

    it('loads HUs and stock from the file; the same file twice changes nothing; a changed file keeps the central stock', async () => {
      const p = plant();
      const first = await admin('POST', '/api/import', p.doc);
      expect(first.body).toMatchObject({ version: 1, changed: true, handlingUnitsCreated: 4, stockRowsCreated: 1, terminals: 2 });
      expect(await stock('ML1')).toEqual([
        { material: 'GLUE', hu: null, batch: null, quantity: 5, uom: 'KG', mounted: false },
        { material: 'RIM', hu: 'HU-1', batch: null, quantity: 100, uom: 'M', mounted: false },
        { material: 'RIM', hu: 'HU-2', batch: null, quantity: 100, uom: 'M', mounted: false },
      ]);
      const seqBefore = await db.query('SELECT last_change_seq FROM central_state');
      const again = await admin('POST', '/api/import', p.doc);
      expect(again.body).toMatchObject({ version: 1, changed: false, handlingUnitsCreated: 0, stockRowsCreated: 0 });
      expect(await db.query('SELECT last_change_seq FROM central_state')).toEqual(seqBefore);

      // Stock moves on through a posting; a changed file (new name, HU-1 at 500) does not reset it.
      tokens['T1'] = (await admin('POST', '/api/terminals', { id: 'T1' })).body['token'] as string;
      const t1 = openTerminal(p.doc, 'T1');
      terminals.push(t1);
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 30 }));
      expect((await push('T1', outbox(t1))).status).toBe(200);
      p.plant({ name: 'Renamed plant' });
      p.doc.handlingUnits[0] = { id: 'HU-1', material: 'RIM', quantity: 500, location: 'ML1' };
      p.hu('HU-NEW', 'RIM', 7);
      const changed = await admin('POST', '/api/import', p.doc);
      expect(changed.body).toMatchObject({ version: 2, changed: true, handlingUnitsCreated: 1, stockRowsCreated: 0 });
      const rim = (await stock('ML1')).filter((r) => r.material === 'RIM').map((r) => [r.hu, r.quantity]);
      expect(rim).toEqual([['HU-1', 70], ['HU-2', 100], ['HU-NEW', 7]]);
    });

    it('keeps PINs only hashed, and the same file with clear PINs still changes nothing', async () => {
      const p = plant();
      p.doc.users = [{ id: 'op', name: 'Olga Operator', badge: 'B-1', pin: '4711', roles: ['operator'] }];
      expect((await admin('POST', '/api/import', p.doc)).body).toMatchObject({ version: 1, changed: true });
      expect((await admin('POST', '/api/import', p.doc)).body).toMatchObject({ version: 1, changed: false });
      const [stored] = await db.query<{ document: { users: Record<string, unknown>[] } }>('SELECT document FROM master_data');
      expect(stored?.document.users[0]).not.toHaveProperty('pin');
      expect(stored?.document.users[0]?.['pinHash']).toMatch(/^scrypt\$/);
      expect(JSON.stringify(stored)).not.toContain('4711');
    });
  });

  describe('provisioning', () => {
    it('issues a token for a terminal of the master data, stores only its hash, and revokes it when provisioned again', async () => {
      await admin('POST', '/api/import', plant().doc);
      const unknown = await admin('POST', '/api/terminals', { id: 'T9' });
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'unknown-terminal' } } });
      const first = (await admin('POST', '/api/terminals', { id: 'T1' })).body['token'] as string;
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await request('GET', '/sync/pull', first)).status).toBe(200);
      const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM terminal WHERE id = $1', ['T1']);
      expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(await db.query('SELECT * FROM terminal'))).not.toContain(first);

      const second = (await admin('POST', '/api/terminals', { id: 'T1' })).body['token'] as string;
      expect(second).not.toBe(first);
      expect((await request('GET', '/sync/pull', first)).status).toBe(401);
      expect((await request('GET', '/sync/pull', second)).status).toBe(200);
    });
  });

  describe('push', () => {
    it('applies postings to the central stock: it equals the terminal\'s for its locations', async () => {
      const { t1 } = await setUp();
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 30 }));
      expectOk(transferHu(t1.ctx, handler, { hu: 'HU-WH', to: 'ML1' }));
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 150, scrap: 5, scrapReason: 'SETUP' }));
      const postings = outbox(t1);
      expect(postings).toHaveLength(3);
      const answer = await push('T1', postings);
      expect(answer.status).toBe(200);
      expect(pushResponseSchema.parse(answer.body)).toEqual({ acknowledgedSeq: 3, expectedSeq: 4, applied: 3, exceptions: 0 });

      for (const location of ['ML1', 'WH']) {
        const local = expectOk(getLocationStock(t1.ctx, { location })).rows;
        const sort = (rows: { material: string; hu: string | null }[]) => [...rows].sort((a, b) => `${a.material}${a.hu ?? ''}`.localeCompare(`${b.material}${b.hu ?? ''}`));
        expect(sort(await stock(location))).toEqual(sort(local));
      }
      expect((await stock('ML1')).find((r) => r.material === 'GLUE')?.quantity).toBe(3.15);

      const ledger = await admin('GET', '/api/postings?terminal=T1');
      const received = (ledger.body['postings'] as Record<string, unknown>[]).map(({ receivedAt: _r, position: _p, ...wire }) => wire);
      expect(received).toEqual(postings);
      const hu = await admin('GET', '/api/handling-units/HU-WH');
      expect(hu.body).toMatchObject({ id: 'HU-WH', location: 'ML1', uom: 'M', status: 'available' });
      expect((hu.body['history'] as { seq: number; kind: string }[]).map((h) => [h.seq, h.kind])).toEqual(
        postings.filter((p) => JSON.stringify(p.effects).includes('"HU-WH"')).map((p) => [p.seq, p.kind]),
      );
      expect((await admin('GET', '/api/handling-units/NOPE')).status).toBe(404);
    });

    it('is idempotent: a batch pushed again, or overlapping what is held, applies only what is new', async () => {
      const { t1 } = await setUp();
      for (const good of [10, 20, 30, 40]) expectOk(t1.confirm({ order: '1000', operation: '0010', good }));
      const postings = outbox(t1);
      expect((await push('T1', postings.slice(0, 2))).body).toEqual({ acknowledgedSeq: 2, expectedSeq: 3, applied: 2, exceptions: 0 });
      const before = await stock('ML1');
      expect((await push('T1', postings.slice(0, 2))).body).toEqual({ acknowledgedSeq: 2, expectedSeq: 3, applied: 0, exceptions: 0 });
      expect(await stock('ML1')).toEqual(before);
      expect((await push('T1', postings.slice(1))).body).toEqual({ acknowledgedSeq: 4, expectedSeq: 5, applied: 2, exceptions: 0 });
      expect(await postingCount()).toBe(4);
      expect((await admin('GET', '/api/handling-units/HU-1')).body).toMatchObject({ quantity: 0, status: 'empty' });
      expect((await stock('ML1')).map((r) => r.hu)).not.toContain('HU-1');
    });

    it('answers a gap with the seq it expects and applies nothing of that batch', async () => {
      const { t1 } = await setUp();
      for (const good of [10, 20, 30]) expectOk(t1.confirm({ order: '1000', operation: '0010', good }));
      const postings = outbox(t1);
      expect((await push('T1', postings.slice(0, 1))).body).toMatchObject({ acknowledgedSeq: 1 });
      const before = await stock('ML1');
      const gap = await push('T1', postings.slice(2));
      expect(gap).toEqual({ status: 200, body: { acknowledgedSeq: 1, expectedSeq: 2, applied: 0, exceptions: 0 } });
      expect(await postingCount()).toBe(1);
      expect(await stock('ML1')).toEqual(before);
    });

    it('accepts a gzip-compressed batch', async () => {
      const { t1 } = await setUp();
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 10 }));
      const body = gzipSync(JSON.stringify({ terminal: 'T1', postings: outbox(t1) }));
      const answer = await request('POST', '/sync/push', tokens['T1'] ?? '', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expect(answer).toMatchObject({ status: 200, body: { acknowledgedSeq: 1, applied: 1 } });
      const broken = await request('POST', '/sync/push', tokens['T1'] ?? '', body.subarray(0, 20), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expect(broken.status).toBe(400);
    });

    it('refuses a tampered posting, a broken chain and a rewritten held posting whole, writing nothing', async () => {
      const { t1 } = await setUp();
      for (const good of [10, 20, 30]) expectOk(t1.confirm({ order: '1000', operation: '0010', good }));
      const postings = outbox(t1);
      const before = await stock('ML1');

      // Less consumed than the terminal posted: the hash no longer covers the posting.
      const tampered = structuredClone(postings);
      const take = tampered[1]?.effects.find((e) => e['t'] === 'hu-quantity');
      if (!take) throw new Error('the confirmation consumed from no HU');
      take['deltaMinor'] = -1;
      const answer = await push('T1', tampered);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'hash-mismatch', details: { seq: 2, path: '$.postings[1]' } } } });

      // Posting 2 left out of the batch.
      const holed = [postings[0], postings[2]].map((p) => p as WirePosting);
      expect((await push('T1', holed)).body).toMatchObject({ error: { code: 'not-consecutive', details: { seq: 3 } } });
      expect(await postingCount()).toBe(0);
      expect(await stock('ML1')).toEqual(before);

      // After 1 is held, a different posting 1 is another ledger claiming this terminal.
      expect((await push('T1', postings.slice(0, 1))).status).toBe(200);
      const other = openTerminal(plant().doc, 'T1');
      terminals.push(other);
      expectOk(other.confirm({ order: '1000', operation: '0010', good: 99 }));
      expect((await push('T1', outbox(other))).body).toMatchObject({ error: { code: 'seq-conflict' } });
      // And its second posting cannot continue the chain the central holds.
      expectOk(other.confirm({ order: '1000', operation: '0010', good: 1 }));
      expect((await push('T1', outbox(other).slice(1))).body).toMatchObject({ error: { code: 'broken-chain' } });
      expect(await postingCount()).toBe(1);
    });

    it('never refuses a physical fact: an HU consumed on two terminals is kept twice with one exception', async () => {
      const { t1, t2 } = await setUp();
      // Both terminals offline, both take all of HU-1 (100 M) and 1 KG of glue.
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 100 }));
      expectOk(t2.confirm({ order: '1000', operation: '0010', good: 100 }));
      expect((await push('T1', outbox(t1))).body).toMatchObject({ applied: 1, exceptions: 0 });
      expect((await push('T2', outbox(t2))).body).toMatchObject({ applied: 1, exceptions: 1 });
      expect(await postingCount()).toBe(2);
      const [exception, ...more] = await exceptions();
      expect(more).toEqual([]);
      expect(exception).toMatchObject({ kind: 'double-consumption', terminal: 'T2', seq: 1, hu: 'HU-1' });
      expect(exception?.message).toContain('took 100 M from HU HU-1, which held 0 M');
      const hu = await admin('GET', '/api/handling-units/HU-1');
      expect(hu.body).toMatchObject({ quantity: -100, status: 'empty' });
      expect((await stock('ML1')).find((r) => r.material === 'GLUE')?.quantity).toBe(3);
      // Both terminals converge on the central's state of HU-1.
      const seen = (await pullAll('T1', undefined, 100)).changes.find((c) => c.kind === 'hu' && c.hu.id === 'HU-1');
      expect(seen).toMatchObject({ kind: 'hu', hu: { quantityMinor: -10000, state: 'empty' } });
      expect((await pullAll('T2', undefined, 100)).changes).toContainEqual(seen);
    });

    it('records an HU moved from where the central does not have it, and an HU it does not know', async () => {
      const p = plant();
      const { t1, t2 } = await setUp(p);
      // T1 takes HU-2 to the warehouse; T2, not knowing, moves it from ML1 to ML2.
      expectOk(transferHu(t1.ctx, handler, { hu: 'HU-2', to: 'WH' }));
      expectOk(transferHu(t2.ctx, handler, { hu: 'HU-2', to: 'ML2' }));
      expect((await push('T1', outbox(t1))).body).toMatchObject({ exceptions: 0 });
      expect((await push('T2', outbox(t2))).body).toMatchObject({ applied: 1, exceptions: 1 });
      expect((await admin('GET', '/api/handling-units/HU-2')).body).toMatchObject({ location: 'ML2' });
      expect(await exceptions()).toMatchObject([
        { kind: 'hu-elsewhere', terminal: 'T2', seq: 1, hu: 'HU-2', message: 'T2 (posting 1) moved HU HU-2 from ML1 to ML2, but the central had it at WH.' },
      ]);

    });

    it('keeps postings on an HU the central does not know, with an exception', async () => {
      const p = plant();
      await setUp(p);
      // T2 was loaded from a file with an HU the central never got.
      const doc = structuredClone(p.doc);
      doc.handlingUnits.push({ id: 'HU-GHOST', material: 'RIM', quantity: 50, location: 'WH' });
      const t2 = openTerminal(doc, 'T2');
      terminals.push(t2);
      expectOk(transferHu(t2.ctx, handler, { hu: 'HU-GHOST', to: 'ML2' }));
      expect((await push('T2', outbox(t2))).body).toEqual({ acknowledgedSeq: 1, expectedSeq: 2, applied: 1, exceptions: 1 });
      expect(await exceptions()).toMatchObject([{ kind: 'unknown-hu', terminal: 'T2', seq: 1, hu: 'HU-GHOST' }]);
      expect(await postingCount()).toBe(1);
      expect((await admin('GET', '/api/handling-units/HU-GHOST')).status).toBe(404);
    });

    it('records an HU consumed at a location where the central does not have it, and stock driven below zero', async () => {
      const { t1, t2 } = await setUp();
      expectOk(transferHu(t1.ctx, handler, { hu: 'HU-2', to: 'WH' }));
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 300 }));
      // T2 still sees HU-2 at ML1 and takes from it there; glue: 3 KG each from 5 KG.
      expectOk(t2.confirm({ order: '1000', operation: '0010', good: 300 }));
      expect((await push('T1', outbox(t1))).body).toMatchObject({ exceptions: 0 });
      const answer = await push('T2', outbox(t2));
      expect(answer.status).toBe(200);
      const kinds = (await exceptions()).map((e) => [e.kind, e.terminal, e.hu]);
      expect(kinds).toEqual(expect.arrayContaining([['hu-elsewhere', 'T2', 'HU-2'], ['negative-stock', 'T2', null]]));
      const glue = (await exceptions()).find((e) => e.kind === 'negative-stock');
      expect(glue?.message).toContain('where the central had 2 KG: the stock is now -1 KG');
      expect((await stock('ML1')).find((r) => r.material === 'GLUE')?.quantity).toBe(-1);
    });
  });

  describe('pull', () => {
    it('sends master data and the terminal\'s scope (its locations and storage) in pages that follow the cursor', async () => {
      const { p } = await setUp();
      const first = await pull('T1');
      expect(first.epoch).toBe(epoch);
      expect(first.masterData).toMatchObject({ format: 'shopfloor-master-data/1', plant: { id: p.doc.plant.id } });
      // What the central sends is a file a terminal loads as it is.
      terminals.push(openTerminal(first.masterData as MasterDataInput, 'T1'));
      const all = await pullAll('T1', undefined, 3);
      expect(all.pages.map((page) => [page.changes.length, page.more])).toEqual([[3, true], [1, false]]);
      expect(all.pages.slice(1).every((page) => page.masterData === null)).toBe(true);
      const key = (c: StockChange) => (c.kind === 'hu' ? `hu:${c.hu.id}@${c.hu.location}` : `bulk:${c.material}@${c.location}`);
      expect(all.changes.map(key).sort()).toEqual(['bulk:GLUE@ML1', 'hu:HU-1@ML1', 'hu:HU-2@ML1', 'hu:HU-WH@WH']);
      // T2 sees ML2 and ML1, never TANK-only things of T1; neither can ask for another scope.
      expect((await pullAll('T2', undefined, 100)).changes.map(key).sort()).toEqual(['bulk:GLUE@ML1', 'hu:HU-1@ML1', 'hu:HU-2@ML1', 'hu:HU-ML2@ML2', 'hu:HU-WH@WH']);
      expect((await request('GET', '/sync/pull?terminal=T2', tokens['T1'] ?? '')).status).toBe(400);

      const quiet = await pull('T1', all.cursor);
      expect(quiet).toMatchObject({ more: false, masterData: null, changes: [], cursor: all.cursor });
    });

    it('after a cursor: only what changed, an HU leaving the scope once more at its new place, latest state only', async () => {
      const { t2 } = await setUp();
      const { cursor } = await pullAll('T1', undefined, 100);
      // T2 consumes from HU-1 twice and moves HU-ML2 into ML1 and HU-2 out of T1's scope.
      expectOk(t2.confirm({ order: '1000', operation: '0010', good: 10 }));
      expectOk(t2.confirm({ order: '1000', operation: '0010', good: 15 }));
      expectOk(transferHu(t2.ctx, handler, { hu: 'HU-ML2', to: 'ML1' }));
      expectOk(transferHu(t2.ctx, handler, { hu: 'HU-2', to: 'ML2' }));
      expect((await push('T2', outbox(t2))).status).toBe(200);
      const next = await pullAll('T1', cursor, 100);
      const hus = next.changes.flatMap((c) => (c.kind === 'hu' ? [[c.hu.material === 'LID' ? 'output' : c.hu.id, c.hu.location, c.hu.quantityMinor]] : []));
      // The two confirmations' output HUs (10 and 15 lids) appear at ML1 too.
      expect(hus.sort()).toEqual([['HU-1', 'ML1', 7500], ['HU-2', 'ML2', 10000], ['HU-ML2', 'ML1', 10000], ['output', 'ML1', 10], ['output', 'ML1', 15]]);
      expect(next.changes.filter((c) => c.kind === 'bulk')).toEqual([{ kind: 'bulk', location: 'ML1', material: 'GLUE', batch: null, quantityMinor: 4750 }]);
      expect(next.pages[0]?.masterData).toBeNull();
      expect((await pull('T1', next.cursor)).changes).toEqual([]);
    });

    it('starts over with master data when the file changed, for a cursor of another epoch, and refuses a foreign cursor', async () => {
      const { p } = await setUp();
      const { cursor } = await pullAll('T1', undefined, 100);
      p.plant({ name: 'Lid plant, renamed' });
      expect((await admin('POST', '/api/import', p.doc)).body).toMatchObject({ version: 2 });
      const afterImport = await pullAll('T1', cursor, 100);
      expect(afterImport.pages[0]?.masterData).toMatchObject({ plant: { name: 'Lid plant, renamed' } });
      expect(afterImport.changes).toHaveLength(4);
      expect((await pull('T1', afterImport.cursor)).masterData).toBeNull();

      const restored = await pull('T1', `${randomUUID()}:2:999`);
      expect(restored.masterData).not.toBeNull();
      expect(restored.changes).toHaveLength(4);
      expect((await request('GET', '/sync/pull?cursor=42', tokens['T1'] ?? '')).body).toMatchObject({ error: { code: 'invalid-cursor' } });
    });
  });

  describe('concurrency', () => {
    it('a feed read while two terminals push at once ends where a fresh read from 0 does', async () => {
      const { t1, t2 } = await setUp();
      for (let i = 0; i < 24; i++) {
        expectOk(t1.confirm({ order: '1000', operation: '0010', good: 1 }));
        expectOk(t2.confirm({ order: '1000', operation: '0010', good: 2 }));
      }
      const drain = async (id: string, t: TestTerminal) => {
        const postings = outbox(t);
        for (let i = 0; i < postings.length; i += 3) {
          const answer = await push(id, postings.slice(i, i + 3));
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        }
      };
      const seen = new Map<string, StockChange>();
      const key = (c: StockChange) => (c.kind === 'hu' ? `hu:${c.hu.id}` : `bulk:${c.location}/${c.material}`);
      let cursor: string | undefined;
      let pushing = true;
      const follow = async () => {
        while (pushing) {
          const page = await pull('T1', cursor, 5);
          for (const c of page.changes) seen.set(key(c), c);
          cursor = page.cursor;
          // A terminal polls; without a pause this loop of in-process requests would starve the pushes.
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      };
      const following = follow();
      try {
        await Promise.all([drain('T1', t1), drain('T2', t2)]);
      } finally {
        pushing = false;
        await following;
      }
      for (const c of (await pullAll('T1', cursor, 100)).changes) seen.set(key(c), c);
      const fresh = await pullAll('T1', undefined, 1000);
      expect(new Map(fresh.changes.map((c) => [key(c), c]))).toEqual(seen);
      expect(await postingCount()).toBe(48);
    });
  });

  describe('admin queries', () => {
    it('pages the ledger, the exceptions and the ERP export with cursors', async () => {
      const { t1, t2 } = await setUp();
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 100 }));
      expectOk(t2.confirm({ order: '1000', operation: '0010', good: 40, scrap: 2, scrapReason: 'SETUP' }));
      expectOk(transferHu(t2.ctx, handler, { hu: 'HU-ML2', to: 'WH' }));
      await push('T1', outbox(t1));
      await push('T2', outbox(t2));

      const page1 = await admin('GET', '/api/postings?limit=2');
      expect(page1.body).toMatchObject({ more: true, next: 2 });
      const page2 = await admin('GET', `/api/postings?after=${String(page1.body['next'])}&limit=2`);
      expect(page2.body).toMatchObject({ more: false });
      const order = [...(page1.body['postings'] as WirePosting[]), ...(page2.body['postings'] as WirePosting[])].map((p) => `${p.terminal}/${p.seq}`);
      expect(order).toEqual(['T1/1', 'T2/1', 'T2/2']);
      expect((await admin('GET', '/api/postings?terminal=T2&after=1')).body['postings']).toMatchObject([{ terminal: 'T2', seq: 2, kind: 'transfer' }]);
      expect((await admin('GET', '/api/exceptions?terminal=T1')).body['entries']).toEqual([]);
      expect((await admin('GET', '/api/exceptions?hu=HU-1')).body['entries']).toMatchObject([{ kind: 'double-consumption', terminal: 'T2' }]);

      const exported = await admin('GET', '/api/export?limit=1');
      expect(exported.body).toMatchObject({ cursor: '1', more: true });
      const [entry] = exported.body['entries'] as Record<string, unknown>[];
      expect(entry).toMatchObject({ terminal: 'T1', seq: 1, kind: 'confirmation', confirmations: [{ order: '1000', operation: '0010', material: 'LID', good: 100, scrap: 0, uom: 'PC' }] });
      expect(entry?.['goodsMovements']).toEqual(expect.arrayContaining([
        { movement: 'consumption', material: 'RIM', batch: null, hu: 'HU-1', location: 'ML1', to: null, quantity: 100, uom: 'M', order: '1000', operation: '0010' },
        { movement: 'consumption', material: 'GLUE', batch: null, hu: null, location: 'ML1', to: null, quantity: 1, uom: 'KG', order: '1000', operation: '0010' },
      ]));
      const rest = await admin('GET', '/api/export?cursor=1');
      expect((rest.body['entries'] as { kind: string; confirmations: { good: number; scrap: number }[] }[]).map((e) => e.kind)).toEqual(['confirmation', 'transfer']);
      expect(rest.body).toMatchObject({ cursor: '3', more: false, entries: [{ confirmations: [{ good: 40, scrap: 2 }] }, { goodsMovements: [{ movement: 'transfer', hu: 'HU-ML2', location: 'ML2', to: 'WH' }] }] });
      expect((await admin('GET', '/api/export?cursor=abc')).status).toBe(400);
    });
  });

  describe('security', () => {
    it('refuses requests without a token or with a wrong one (401), writing nothing', async () => {
      const { t1 } = await setUp();
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 10 }));
      const batch = { terminal: 'T1', postings: outbox(t1) };
      for (const token of [null, 'not-a-token', `${ADMIN}x`]) {
        expect((await request('POST', '/sync/push', token, batch)).status).toBe(401);
        expect((await request('GET', '/sync/pull', token)).status).toBe(401);
        expect((await request('POST', '/api/import', token, plant().doc)).status).toBe(401);
        expect((await request('POST', '/api/terminals', token, { id: 'T1' })).status).toBe(401);
        expect((await request('GET', '/api/exceptions', token)).status).toBe(401);
      }
      const noToken = await app.inject({ method: 'GET', url: '/api/stock?location=ML1' });
      expect(noToken.headers['www-authenticate']).toBe('Bearer');
      expect(await postingCount()).toBe(0);
      expect((await request('GET', '/healthz', null)).status).toBe(200);
    });

    it('lets a terminal push only as itself (403), and keeps admin endpoints from terminals and sync from the admin', async () => {
      const { t1, t2 } = await setUp();
      expectOk(t2.confirm({ order: '1000', operation: '0010', good: 10 }));
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 10 }));
      const asOther = await push('T2', outbox(t2), tokens['T1']);
      expect(asOther).toMatchObject({ status: 403, body: { error: { code: 'wrong-terminal' } } });
      const smuggled = await push('T1', [...outbox(t1), ...outbox(t2)], tokens['T1']);
      expect(smuggled.status).toBe(403);
      const disguised = await push('T1', outbox(t2).map((p) => ({ ...p, terminal: 'T1' })), tokens['T1']);
      expect(disguised.status).toBe(400);
      expect(await postingCount()).toBe(0);

      const terminal = tokens['T1'] ?? '';
      for (const [method, url, body] of [
        ['POST', '/api/import', plant().doc], ['POST', '/api/terminals', { id: 'T2' }], ['GET', '/api/stock?location=ML2'],
        ['GET', '/api/handling-units/HU-ML2'], ['GET', '/api/postings?terminal=T2'], ['GET', '/api/exceptions'], ['GET', '/api/export'],
      ] as const) {
        expect((await request(method, url, terminal, body)).status, url).toBe(403);
      }
      expect((await admin('POST', '/sync/push', { terminal: 'T1', postings: outbox(t1) })).status).toBe(403);
      expect((await admin('GET', '/sync/pull')).status).toBe(403);
      expect(await postingCount()).toBe(0);
      // T2's token still works for T2, and T2's re-provisioning left T1 alone.
      expect((await push('T2', outbox(t2))).status).toBe(200);
    });

    it('refuses oversized bodies (413) and unknown fields (400), also when compressed, writing nothing', async () => {
      const { t1 } = await setUp();
      expectOk(t1.confirm({ order: '1000', operation: '0010', good: 10 }));
      const [posting] = outbox(t1);
      const huge = { terminal: 'T1', postings: [{ ...posting, data: { padding: 'x'.repeat(9 * 1024 * 1024) } }] };
      expect((await push('T1', huge.postings as WirePosting[])).status).toBe(413);
      const bomb = gzipSync(JSON.stringify(huge));
      expect(bomb.length).toBeLessThan(100_000);
      const inflated = await request('POST', '/sync/push', tokens['T1'] ?? '', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      expect(inflated.status).toBe(413);
      expect((await admin('POST', '/api/import', { ...plant().doc, padding: 'x'.repeat(21 * 1024 * 1024) })).status).toBe(413);
      expect((await admin('POST', '/api/terminals', { id: 'T1', padding: 'x'.repeat(100_000) })).status).toBe(413);

      const extra = await request('POST', '/sync/push', tokens['T1'] ?? '', { terminal: 'T1', postings: outbox(t1), note: 'hi' });
      expect(extra).toMatchObject({ status: 400, body: { error: { code: 'invalid-request', details: { errors: [{ path: '$.note', message: 'unknown field "note"' }] } } } });
      // An effect the central does not know, correctly hashed (a newer terminal, say).
      const body = unhashed({ ...posting, effects: [{ t: 'hu-teleport', hu: 'HU-1' }] } as WirePosting);
      const badEffect = await push('T1', [{ ...body, hash: postingHash(body) }]);
      expect(badEffect.body).toMatchObject({ error: { code: 'invalid-effect', details: { path: '$.postings[0].effects[0].t' } } });
      expect((await request('POST', '/sync/push', tokens['T1'] ?? '', '{"terminal":', { 'content-type': 'application/json' })).status).toBe(400);
      expect(await postingCount()).toBe(0);
      expect(await db.query('SELECT version FROM master_data')).toEqual([{ version: 1 }]);
    });

    it('writes no token into its logs', () => {
      const logs = logLines.join('');
      expect(logs).toContain('request completed');
      expect(logs).not.toContain(ADMIN);
      for (const token of Object.values(tokens)) expect(logs).not.toContain(token);
    });
  });

  describe('migrations', () => {
    it('are applied once and refuse a database from a newer shopfloor', async () => {
      expect(await migrateCentralDb(db)).toEqual([]);
      await db.exec('UPDATE schema_version SET version = 99');
      try {
        await expect(migrateCentralDb(db)).rejects.toBeInstanceOf(NewerDatabaseError);
      } finally {
        await db.exec('UPDATE schema_version SET version = 1');
      }
    });
  });
});
