// pushOnce, pullOnce and the sync worker against a small central that behaves like the real one
// on the wire (gzip bodies, bearer token, skip what it holds, answer a gap with the seq it
// expects, a feed with a cursor and an epoch), so every edge of the protocol can be provoked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HuState as CentralHu, PullResponse, StockChange, WirePosting } from '../../src/api/sync.js';
import { pushRequestSchema } from '../../src/api/sync.js';
import { hashPostingText } from '../../src/store/ledger.js';
import { canonicalJson } from '../../src/store/canonical-json.js';
import { CentralError, createCentralClient, type CentralClient } from '../../src/sync/central-client.js';
import { pullOnce } from '../../src/sync/pull-once.js';
import { pushOnce } from '../../src/sync/push-once.js';
import { readSyncState } from '../../src/sync/read-sync-state.js';
import { startSync, type SyncHandle } from '../../src/sync/start-sync.js';
import { SyncLoop } from '../../src/sync/sync-loop.js';
import type { SyncStatus } from '../../src/sync/sync-status.js';
import { aPlant, expectOk, type TestTerminal } from '../fixtures/test-plant.js';
import { closedPort } from '../fixtures/sync-harness.js';

const TOKEN = 'terminal-token-T1';
const now = () => '2026-11-21T09:00:00.000Z';

class FakeCentral {
  readonly postings = new Map<number, WirePosting>();
  readonly requests: { method: string; path: string; encoding: string | undefined; authorized: boolean; count?: number }[] = [];
  feed: StockChange[] = [];
  epoch = 'epoch-1';
  masterData: Record<string, unknown> | null = null;
  /** Commit the next pushes, then drop the connection instead of answering. */
  loseAnswers = 0;
  /** Take requests and never answer them. */
  hang = false;
  /** Answer 413 to pushes of more postings than this. */
  bodyLimit = Infinity;
  private server: Server | undefined;

  get acknowledged(): number {
    let seq = 0;
    while (this.postings.has(seq + 1)) seq++;
    return seq;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
        const record: FakeCentral['requests'][number] = { method: req.method ?? '', path, encoding: req.headers['content-encoding'], authorized };
        this.requests.push(record);
        const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (this.hang) return;
        if (!authorized) return send(401, { error: { code: 'unauthorized', message: 'No valid terminal token.' } });
        if (req.method === 'POST' && path === '/sync/push') {
          const raw = Buffer.concat(chunks);
          const body = pushRequestSchema.parse(JSON.parse((record.encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')));
          record.count = body.postings.length;
          if (body.postings.length > this.bodyLimit) return send(413, { error: { code: 'too-large', message: 'Body too large.' } });
          const answer = this.take(body.postings);
          if (this.loseAnswers > 0) {
            this.loseAnswers--;
            return req.socket.destroy();
          }
          return send(200, answer);
        }
        if (req.method === 'GET' && path.startsWith('/sync/pull')) {
          const url = new URL(path, 'http://x');
          return send(200, this.page(url.searchParams.get('cursor') ?? '0', Number(url.searchParams.get('limit') ?? 500)));
        }
        send(404, { error: { code: 'not-found', message: path } });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The central's rules: skip held seqs, refuse a gap whole, check each hash, take the rest. */
  take(batch: WirePosting[]) {
    const held = this.acknowledged;
    const fresh = batch.filter((p) => p.seq > held);
    if (fresh.length > 0 && fresh[0]?.seq !== held + 1) return { acknowledgedSeq: held, expectedSeq: held + 1, applied: 0, exceptions: 0 };
    for (const p of fresh) {
      const { hash, ...body } = p;
      if (hashPostingText(canonicalJson(body)) !== hash) throw new Error(`posting ${p.seq}: hash does not match`);
      this.postings.set(p.seq, p);
    }
    return { acknowledgedSeq: this.acknowledged, expectedSeq: this.acknowledged + 1, applied: fresh.length, exceptions: 0 };
  }

  page(cursor: string, limit: number): PullResponse {
    const [epoch, at] = cursor === '0' ? [this.epoch, 0] : [cursor.split(':')[0], Number(cursor.split(':')[1])];
    const from = epoch === this.epoch ? at : 0;
    const changes = this.feed.slice(from, from + limit);
    return {
      epoch: this.epoch, cursor: `${this.epoch}:${from + changes.length}`, more: from + changes.length < this.feed.length,
      masterData: from === 0 ? this.masterData : null, changes,
    };
  }
}

const hu = (patch: Partial<CentralHu> = {}): StockChange => ({
  kind: 'hu', hu: { id: 'HU-1', material: 'RIM', batch: null, expiry: null, location: 'ML1', quantityMinor: 150_000, state: 'available', parent: null, ...patch },
});

let central: FakeCentral;
let url: string;
let t: TestTerminal;
const client = (options: { url?: string; timeoutMs?: number; fetch?: typeof fetch } = {}) => createCentralClient({ url, token: TOKEN, ...options });
const confirm = (good: number) => expectOk(t.confirm({ order: '1000', operation: '0010', good }));

beforeEach(async () => {
  central = new FakeCentral();
  url = await central.start();
  t = aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 100_000).hu('HU-1', 'RIM', 1500).hu('HU-2', 'RIM', 200, { location: 'WH' }).material('GLUE', { baseUom: 'KG' }).stock('GLUE', 50, { location: 'TANK' }).open();
});
afterEach(async () => {
  t?.close();
  await central.stop();
});

describe('pushOnce', () => {
  it('sends the outbox in gzip batches with the terminal token and moves the acknowledged seq to what the central answers', async () => {
    for (let i = 0; i < 5; i++) confirm(10);
    const result = await pushOnce(t.db, client(), { now, batchSize: 2 });
    expect(result).toEqual({ pushed: 5, batches: 3, acknowledgedSeq: 5 });
    expect(central.requests.map((r) => [r.path, r.encoding, r.authorized, r.count])).toEqual([
      ['/sync/push', 'gzip', true, 2], ['/sync/push', 'gzip', true, 2], ['/sync/push', 'gzip', true, 1],
    ]);
    expect([...central.postings.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(readSyncState(t.db)).toMatchObject({ acknowledgedSeq: 5, lastSeq: 5, lastPushAt: now() });
    expect(await pushOnce(t.db, client(), { now })).toEqual({ pushed: 0, batches: 0, acknowledgedSeq: 5 });
    expect(central.requests).toHaveLength(3);
    expect(t.check().problems).toEqual([]);
  });

  it('keeps the acknowledged seq where it was when the answer is lost, and the resend is held once', async () => {
    for (let i = 0; i < 4; i++) confirm(10);
    central.loseAnswers = 1;
    await expect(pushOnce(t.db, client(), { now })).rejects.toThrow(/central at http:\/\/127\.0\.0\.1:\d+ unreachable/);
    expect(central.postings.size).toBe(4);
    expect(readSyncState(t.db).acknowledgedSeq).toBe(0);
    expect(await pushOnce(t.db, client(), { now })).toMatchObject({ pushed: 4, acknowledgedSeq: 4 });
    expect([...central.postings.keys()]).toEqual([1, 2, 3, 4]);
  });

  it('resends from the seq a restored central expects, even below what it acknowledged before', async () => {
    for (let i = 0; i < 5; i++) confirm(10);
    await pushOnce(t.db, client(), { now });
    // The central comes back from a backup that holds postings 1 and 2 only.
    for (const seq of [3, 4, 5]) central.postings.delete(seq);
    confirm(10);
    expect(await pushOnce(t.db, client(), { now })).toMatchObject({ pushed: 4, acknowledgedSeq: 6 });
    expect([...central.postings.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.check().problems).toEqual([]);
  });

  it('halves the batch when the central finds the body too large', async () => {
    for (let i = 0; i < 5; i++) confirm(10);
    central.bodyLimit = 2;
    expect(await pushOnce(t.db, client(), { now, batchSize: 8 })).toMatchObject({ pushed: 5, acknowledgedSeq: 5 });
    expect(central.requests.map((r) => r.count)).toEqual([5, 2, 2, 1]);
  });

  it('refuses a central that claims more than this ledger holds, and moves nothing', async () => {
    confirm(10);
    central.postings.set(1, { seq: 1 } as WirePosting).set(2, { seq: 2 } as WirePosting);
    await expect(pushOnce(t.db, client(), { now })).rejects.toThrow('the central holds seq 2 of terminal T1 but this ledger ends at 1');
    expect(readSyncState(t.db).acknowledgedSeq).toBe(0);
  });

  it('names a timeout as one', async () => {
    confirm(10);
    const never: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    await expect(pushOnce(t.db, client({ timeoutMs: 50, fetch: never }), { now })).rejects.toThrow(/did not answer within 0\.05 s/);
  });
});

describe('pullOnce', () => {
  it('makes the local view the central state plus the unacknowledged postings, and replay agrees', async () => {
    confirm(100); // HU-1: 1500 -> 1400 here, not yet at the central
    central.feed = [
      hu({ quantityMinor: 120_000 }), // another terminal took 300 from HU-1
      hu({ id: 'HU-2', location: 'ML1' }), // and a handler moved HU-2 to the machine
      { kind: 'bulk', location: 'TANK', material: 'GLUE', batch: null, quantityMinor: 40_000 },
    ];
    central.feed[1] = hu({ id: 'HU-2', location: 'ML1', quantityMinor: 20_000 });
    const result = await pullOnce(t.db, client(), { now, pageSize: 2 });
    expect(result).toEqual({ pulled: 3, pages: 2, epochChanged: false });
    expect(t.huQuantity('HU-1')).toBe(1100);
    expect(t.db.prepare(`SELECT location, quantity_minor FROM handling_unit WHERE id = 'HU-2'`).get()).toEqual({ location: 'ML1', quantity_minor: 20_000 });
    expect(t.bulk('TANK', 'GLUE')).toBe(40);
    expect(readSyncState(t.db)).toMatchObject({ cursor: 'epoch-1:3', epoch: 'epoch-1', lastPullAt: now(), acknowledgedSeq: 0 });
    expect(t.check().problems).toEqual([]);

    // Once pushed, the central's next report of HU-1 includes the take: the view stays right.
    await pushOnce(t.db, client(), { now });
    central.feed.push(hu({ quantityMinor: 110_000 }));
    expect(await pullOnce(t.db, client(), { now })).toMatchObject({ pulled: 1 });
    expect(t.huQuantity('HU-1')).toBe(1100);
    expect(t.check().problems).toEqual([]);
  });

  it('writes nothing for changes that are already so here', async () => {
    central.feed = [hu(), hu({ id: 'HU-2', location: 'WH', quantityMinor: 20_000 })];
    const before = t.db.prepare('SELECT count(*) AS n FROM inbound').get();
    expect(await pullOnce(t.db, client(), { now })).toMatchObject({ pulled: 2 });
    expect(t.db.prepare('SELECT count(*) AS n FROM inbound').get()).toEqual(before);
    expect(readSyncState(t.db).cursor).toBe('epoch-1:2');
  });

  it('keeps the cursor of the last page applied when a later page fails', async () => {
    central.feed = [hu({ quantityMinor: 1000 }), hu({ id: 'HU-X', material: 'NOT-HERE' })];
    await expect(pullOnce(t.db, client(), { now, pageSize: 1 })).rejects.toThrow("the central reports HU HU-X of material NOT-HERE, which this terminal's master data does not have");
    expect(readSyncState(t.db).cursor).toBe('epoch-1:1');
    expect(t.huQuantity('HU-1')).toBe(10);
    expect(t.check().problems).toEqual([]);
  });

  it('on a new epoch goes back to cursor 0 and keeps the outbox', async () => {
    confirm(10);
    central.feed = [hu()];
    await pullOnce(t.db, client(), { now });
    central.epoch = 'epoch-2';
    expect(await pullOnce(t.db, client(), { now })).toMatchObject({ epochChanged: true });
    expect(readSyncState(t.db)).toMatchObject({ cursor: '0', epoch: 'epoch-2', acknowledgedSeq: 0, lastSeq: 1 });
    // From 0 again: the restored central's state, with the unsent posting still on top.
    central.feed = [hu({ quantityMinor: 100_000 })];
    expect(await pullOnce(t.db, client(), { now })).toMatchObject({ pulled: 1, epochChanged: false });
    expect(t.huQuantity('HU-1')).toBe(990);
    expect(t.check().problems).toEqual([]);
  });
});

describe('startSync (worker thread)', () => {
  let handle: SyncHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  const waitFor = (h: SyncHandle, test: (s: SyncStatus) => boolean) =>
    test(h.status()) ? Promise.resolve(h.status()) : new Promise<SyncStatus>((resolve) => {
      const on = (s: SyncStatus) => {
        if (!test(s)) return;
        h.off('status', on);
        resolve(s);
      };
      h.on('status', on);
    });

  it('reports offline with the reason and the pending count, then drains once the central is there', async () => {
    confirm(10);
    confirm(10);
    const closed = await closedPort();
    handle = await startSync({ databaseFile: t.file, terminalId: 'T1', central: { url: `http://127.0.0.1:${closed}`, token: TOKEN }, pollIntervalMs: 50 });
    const offline = await waitFor(handle, (s) => s.lastError !== undefined);
    expect(offline).toMatchObject({ online: false, pending: 2, lastPushAt: null, lastPullAt: null });
    expect(offline.lastError).toBe(`central at http://127.0.0.1:${closed} unreachable: ECONNREFUSED`);
    await expect(handle.syncNow()).rejects.toThrow(/unreachable/);
    await handle.stop();

    handle = await startSync({ databaseFile: t.file, terminalId: 'T1', central: { url, token: TOKEN }, pollIntervalMs: 50 });
    // The loop may drain on its own before syncNow runs; either way both postings arrive once.
    const drained = await handle.syncNow();
    expect(drained.pushed).toBeLessThanOrEqual(2);
    expect(handle.status()).toMatchObject({ online: true, pending: 0 });
    expect(handle.status().lastError).toBeUndefined();
    expect([...central.postings.keys()]).toEqual([1, 2]);

    // A posting on the terminal's own connection, then the nudge: pushed without waiting for a poll.
    confirm(10);
    handle.notifyPosted();
    await waitFor(handle, (s) => s.pending === 0 && central.postings.size === 3);
    expect(t.check().problems).toEqual([]);
  });

  it('stops at once with a request in flight, and the caller of syncNow hears why', async () => {
    confirm(10);
    central.hang = true;
    handle = await startSync({ databaseFile: t.file, terminalId: 'T1', central: { url, token: TOKEN }, requestTimeoutMs: 60_000 });
    const waiting = handle.syncNow();
    const outcome = waiting.then(() => 'resolved', (error: Error) => error.message);
    while (central.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    await handle.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    // Whether it shared the round in flight or waited behind it, depends on thread timing.
    expect([`request to ${url} was cancelled`, 'sync is stopped']).toContain(await outcome);
    expect(readSyncState(t.db).acknowledgedSeq).toBe(0);
  });

  it('refuses a database of another terminal', async () => {
    await expect(startSync({ databaseFile: t.file, terminalId: 'T9', central: { url, token: TOKEN } })).rejects.toThrow(/belongs to terminal T1, not T9/);
  });
});

describe('SyncLoop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries after jittered, doubling waits while the central is away, and pushes at once after a posting once online', async () => {
    vi.useFakeTimers();
    const start = Date.now();
    const pushes: number[] = [];
    let down = true;
    const away = () => new CentralError('central at http://central unreachable: ECONNREFUSED', null);
    // The same central, called in memory: the fake clock then drives every wait.
    const encodePush: CentralClient['encodePush'] = (batch) =>
      Promise.resolve(Buffer.from(JSON.stringify(batch.postings.map((p) => ({ ...(JSON.parse(p.body) as Omit<WirePosting, 'hash'>), hash: p.hash })))));
    const sendPush: CentralClient['sendPush'] = (body) => {
      pushes.push(Date.now() - start);
      if (down) return Promise.reject(away());
      return Promise.resolve(central.take(JSON.parse(body.toString('utf8')) as WirePosting[]));
    };
    const inMemory: CentralClient = {
      encodePush,
      sendPush,
      push: async (batch) => sendPush(await encodePush(batch)),
      pull: (cursor, limit) => (down ? Promise.reject(away()) : Promise.resolve(central.page(cursor, limit))),
    };
    const statuses: SyncStatus[] = [];
    const loop = new SyncLoop({ db: t.db, client: inMemory, now, random: () => 0.5, pollIntervalMs: 60_000, onStatus: (s) => statuses.push(s) });
    confirm(10);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(statuses.at(-1)).toEqual({ online: false, pending: 1, lastPushAt: null, lastPullAt: null, lastError: 'central at http://central unreachable: ECONNREFUSED' });
    // Half of 0.5 s, half of 1 s, half of 2 s: full jitter with the random source fixed at 0.5.
    await vi.advanceTimersByTimeAsync(249);
    expect(pushes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1 + 500);
    expect(pushes).toEqual([0, 250, 750]);
    down = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(pushes).toEqual([0, 250, 750, 1750]);
    expect(statuses.at(-1)).toEqual({ online: true, pending: 0, lastPushAt: now(), lastPullAt: now() });

    confirm(10);
    loop.notifyPosted();
    expect(statuses.at(-1)).toMatchObject({ pending: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(pushes).toEqual([0, 250, 750, 1750, 1750]);
    expect(statuses.at(-1)).toMatchObject({ online: true, pending: 0 });
    // Idle: nothing more until the poll interval (a pull, which does not push an empty outbox).
    await vi.advanceTimersByTimeAsync(59_000);
    expect(pushes).toHaveLength(5);
    expect(await loop.syncNow()).toEqual({ pushed: 0, pulled: 0 });
    await loop.stop();
    await expect(loop.syncNow()).rejects.toThrow('sync is stopped');
    expect([...central.postings.keys()]).toEqual([1, 2]);
  });
});
