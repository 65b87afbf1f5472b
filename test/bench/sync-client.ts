// The client side of the `sync` benchmark, in a child process of its own (started by sync.ts with
// fork) so that its memory is its own: one job per process, one report back over IPC.
//   shopfloor: one terminal drains its outbox with pushOnce, as the sync worker does;
//   fleet:     many terminals push their outboxes at once (one pushOnce each, concurrently);
//   pouch:     a pouchdb-node database replicates to a remote express-pouchdb.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { Database } from 'better-sqlite3';
import { pino } from 'pino';
import { createCentralClient } from '../../src/sync/central-client.js';
import { openSyncDatabase } from '../../src/sync/open-sync-database.js';
import { pushOnce } from '../../src/sync/push-once.js';
import { readSyncState } from '../../src/sync/read-sync-state.js';

// The V8 setting of the process that hosts the sync worker (bin/shopfloor.js), for every client alike.
setFlagsFromString('--optimize-for-size');

export type ClientJob =
  /** Without batchSize, pushOnce's default: what the sync worker sends. */
  | { kind: 'shopfloor'; file: string; url: string; token: string; batchSize?: number }
  | { kind: 'fleet'; terminals: { file: string; token: string }[]; url: string; batchSize?: number }
  | { kind: 'pouch'; dir: string; remoteUrl: string; batchSize: number };

export interface ClientMeasurement {
  ok: true;
  /** From the first request to the last answer. */
  seconds: number;
  /** Postings (documents) the central (remote) took. */
  postings: number;
  requests: number;
  /** The highest RSS seen while the job ran: samples every 50 ms, and the process's own maximum. */
  peakRssMb: number;
  /** RSS with everything loaded and opened, just before the first request. */
  startRssMb: number;
  /** CPU time (user + system) of this process from the first request to the last answer. */
  cpuSeconds: number;
}

export type ClientReport = ClientMeasurement | { ok: false; message: string };

const SAMPLE_MS = 50;
const mb = (bytes: number) => bytes / 2 ** 20;

/** The parts of PouchDB this benchmark calls (pouchdb-node has no types of its own). */
interface PouchReplication {
  ok: boolean;
  docs_written: number;
  doc_write_failures: number;
  errors: unknown[];
}
interface PouchDatabase {
  replicate: { to(target: string, options: { batch_size: number }): Promise<PouchReplication> };
  close(): Promise<void>;
}
type PouchConstructor = new (name: string) => PouchDatabase;

async function run(job: ClientJob): Promise<ClientReport> {
  const now = () => new Date().toISOString();
  // The product logs its warnings (a 413 halving the batch, say); nothing else.
  const logger = pino({ level: 'warn' });
  if (job.kind === 'pouch') {
    const PouchDB = createRequire(import.meta.url)('pouchdb-node') as PouchConstructor;
    const local = new PouchDB(job.dir);
    const measured = await measure(async () => {
      const result = await local.replicate.to(job.remoteUrl, { batch_size: job.batchSize });
      if (!result.ok || result.doc_write_failures > 0) throw new Error(`PouchDB replication failed: ${JSON.stringify(result.errors.slice(0, 3))}`);
      return { postings: result.docs_written, requests: Math.ceil(result.docs_written / job.batchSize) };
    });
    await local.close();
    return measured;
  }
  const terminals = job.kind === 'shopfloor' ? [{ file: job.file, token: job.token }] : job.terminals;
  const opened = terminals.map((t) => ({ db: openSyncDatabase(t.file), client: createCentralClient({ url: job.url, token: t.token, timeoutMs: 120_000 }) }));
  try {
    const measured = await measure(async () => {
      const results = await Promise.all(opened.map(({ db, client }) => pushOnce(db, client, { now, logger, ...(job.batchSize !== undefined && { batchSize: job.batchSize }) })));
      return { postings: results.reduce((sum, r) => sum + r.pushed, 0), requests: results.reduce((sum, r) => sum + r.batches, 0) };
    });
    for (const { db } of opened) assertDrained(db);
    return measured;
  } finally {
    for (const { db } of opened) db.close();
  }
}

function assertDrained(db: Database): void {
  const state = readSyncState(db);
  if (state.acknowledgedSeq !== state.lastSeq) throw new Error(`the outbox is not empty after the push: acknowledged ${state.acknowledgedSeq} of ${state.lastSeq}`);
}

async function measure(work: () => Promise<{ postings: number; requests: number }>): Promise<ClientReport> {
  const startRss = process.memoryUsage.rss();
  let peak = startRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { postings, requests } = await work();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    // maxRSS (kB) also catches a peak between two samples.
    peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    return { ok: true, seconds, postings, requests, peakRssMb: mb(peak), startRssMb: mb(startRss), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    clearInterval(sampler);
  }
}

process.once('message', (job: ClientJob) => {
  run(job)
    .catch((error: unknown): ClientReport => ({ ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((report) => process.send?.(report, () => process.disconnect()))
    .catch(() => process.exit(1));
});
