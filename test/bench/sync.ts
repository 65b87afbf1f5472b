// Benchmark `sync` (quality.md "Performance", issue 5): a terminal with a 100,000-posting backlog
// drains to a central on PostgreSQL (≤ 20 s), PouchDB replicates the same postings over loopback
// in the same run (the drain ≥ 5 × faster), and 50 terminals push at once (≥ 5,000 postings/s).
// The clients run in child processes (sync-client.ts), so the drain's client memory is its own
// (≤ 150 MB); the central, express-pouchdb and this script share the parent process.
import { fork } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { MasterDataInput } from '../../src/api/master-data.js';
import { startCentral, type RunningCentral } from '../../src/central/start-central.js';
import { startPostgresServer, type PostgresServer } from '../fixtures/postgres-server.js';
import type { ClientJob, ClientMeasurement, ClientReport } from './sync-client.js';
import { cachedTerminal, syncBenchPlant, type FilledTerminal, type SyncLine } from './sync-plant.js';
import { remoteDocCount, startPouchServer, writePostingsToPouch } from './sync-pouch.js';
import { fmtInt, median } from './stats.js';

export interface SyncBenchOptions {
  /** Where sync.json goes (created when missing). */
  resultsDir: string;
  /** Postings in the drained terminal's backlog (default 100,000). */
  postings?: number;
  /** Rounds of each measurement; each figure is the median over them (default 3). */
  rounds?: number;
  /** Terminals pushing at once (default 50) and postings each (default 1,000). */
  terminals?: number;
  postingsPerTerminal?: number;
  /** Keep the temp dir (copies of the terminal databases, PouchDB) and print its path. */
  keepDatabase?: boolean;
  write?: (text: string) => void;
}

/** What sync.json holds: numbers only. */
export interface SyncBenchResult {
  /** Median seconds for the terminal's pushOnce to drain the backlog (first request to last answer). */
  drain100kSeconds: number;
  drainTargetSeconds: number;
  drainPostingsPerSecond: number;
  /** Median seconds for PouchDB to replicate the same postings to express-pouchdb. */
  pouchDrain100kSeconds: number;
  /** pouchDrain100kSeconds / drain100kSeconds, target ≥ speedupTarget. */
  speedupVsPouch: number;
  speedupTarget: number;
  /** Median of (all postings / seconds from the first request to the last answer) with 50 terminals pushing at once. */
  ingestPerSecond50Terminals: number;
  ingestTargetPerSecond: number;
  /** The drain client's highest RSS over the rounds (sampled every 50 ms, and the process's maxRSS). */
  clientPeakRssMb: number;
  clientRssTargetMb: number;
  clientStartRssMb: number;
  pouchClientPeakRssMb: number;
  ingestClientPeakRssMb: number;
  drainPostings: number;
  drainRequests: number;
  pouchBatchSize: number;
  ingestTerminals: number;
  ingestPostingsPerTerminal: number;
  bodyBytesPerPosting: number;
  rounds: number;
  /** Diagnostic, medians: CPU seconds of the client process, the central's process and the PostgreSQL server during the drain and the ingest (Linux only). */
  drainCpuClientSeconds?: number;
  drainCpuCentralSeconds?: number;
  drainCpuPostgresSeconds?: number;
  ingestCpuClientSeconds?: number;
  ingestCpuCentralSeconds?: number;
  ingestCpuPostgresSeconds?: number;
  fillSeconds: number;
  totalSeconds: number;
  cpus: number;
}

const DRAIN_TARGET_SECONDS = 20;
const SPEEDUP_TARGET = 5;
const INGEST_TARGET = 5_000;
const RSS_TARGET_MB = 150;
/** PouchDB's batch: the terminal's sync pushes 500 postings a request (pushOnce's default, which the drain uses); PouchDB's own default is 100. */
const POUCH_BATCH_SIZE = 500;
const ADMIN_TOKEN = 'sync-bench-admin-token-0123456789abcdef';
const DRAIN_TERMINAL = 'TD';
const fleetTerminal = (k: number) => `T${String(k).padStart(2, '0')}`;

/** The benchmark cannot measure what it claims to: no results. */
export class SyncBenchAbort extends Error {}

export async function runSyncBench(options: SyncBenchOptions): Promise<SyncBenchResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const postings = options.postings ?? 100_000;
  const rounds = options.rounds ?? 3;
  const fleetSize = options.terminals ?? 50;
  const perTerminal = options.postingsPerTerminal ?? 1_000;
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'shopfloor-bench-sync-'));
  let pg: PostgresServer | undefined;
  try {
    // --- untimed set-up: real postings on the terminals, a PostgreSQL server, the PouchDB copy ---
    const drainLine: SyncLine = { terminal: DRAIN_TERMINAL, postings };
    const fleetLines: SyncLine[] = Array.from({ length: fleetSize }, (_, i) => ({ terminal: fleetTerminal(i + 1), postings: perTerminal }));
    const doc = syncBenchPlant([drainLine, ...fleetLines]);
    const fillStart = performance.now();
    let lastReport = fillStart;
    const drainSource = cachedTerminal(doc, drainLine, (done) => {
      if (performance.now() - lastReport < 10_000) return;
      lastReport = performance.now();
      write(`sync: making ${DRAIN_TERMINAL}'s backlog (cached for later runs): ${fmtInt(done)} / ${fmtInt(postings)} postings, ${((lastReport - fillStart) / 1000).toFixed(0)} s\n`);
    });
    write(`sync: ${DRAIN_TERMINAL} holds ${fmtInt(drainSource.postings)} postings (${drainSource.bodyBytes} bytes each, ${drainSource.megabytes.toFixed(0)} MB): ${drainSource.file}\n`);
    const fleetSources: FilledTerminal[] = fleetLines.map((line) => cachedTerminal(doc, line));
    const fillSeconds = (performance.now() - fillStart) / 1000;
    write(`sync: ${fleetSize} terminals hold ${fmtInt(perTerminal)} postings each; making or finding them took ${fillSeconds.toFixed(1)} s\n`);
    const tooShort = [drainSource, ...fleetSources].find((t, i) => t.postings !== (i === 0 ? postings : perTerminal));
    if (tooShort) throw new SyncBenchAbort(`${tooShort.file} holds ${tooShort.postings} postings, not what was asked`);

    pg = await startPostgresServer();
    const pouchLocal = join(dir, 'pouch-local');
    const pouchStart = performance.now();
    const pouchDocs = await writePostingsToPouch(drainSource.file, pouchLocal);
    if (pouchDocs !== postings) throw new SyncBenchAbort(`the local PouchDB holds ${pouchDocs} documents, not ${postings}`);
    write(`sync: local PouchDB holds the ${fmtInt(pouchDocs)} postings as documents (written in ${((performance.now() - pouchStart) / 1000).toFixed(1)} s, untimed)\n`);

    // --- the rounds: PostgreSQL drain, PouchDB replication, and the fleet, interleaved so drift of the machine hits all three ---
    const drains: Measured[] = [];
    const pouches: ClientMeasurement[] = [];
    const fleets: Measured[] = [];
    const pouchServerDir = join(dir, 'pouch-server');
    mkdirSync(pouchServerDir);
    const pouchServer = await startPouchServer(pouchServerDir);
    try {
      for (let r = 1; r <= rounds; r++) {
        const drain = await withCentral(pg, `drain_${r}`, doc, [DRAIN_TERMINAL], async (central, tokens) => {
          const file = join(dir, `round-${r}-${DRAIN_TERMINAL}.sqlite`);
          copyFileSync(drainSource.file, file);
          const report = await runMeasured(central, { kind: 'shopfloor', file, url: central.url, token: tokens.get(DRAIN_TERMINAL) ?? '' });
          await expectIngested(central, postings);
          rmSync(file);
          return report;
        });
        drains.push(drain);
        write(`sync: round ${r}: drain ${fmtInt(drain.postings)} postings to PostgreSQL in ${drain.seconds.toFixed(2)} s (${fmtInt(Math.round(drain.postings / drain.seconds))}/s, ${drain.requests} requests), client peak RSS ${drain.peakRssMb.toFixed(1)} MB; ${cpuText(drain.cpu)}\n`);

        const remote = `${pouchServer.url}/drain-${r}`;
        const pouch = await runClient({ kind: 'pouch', dir: pouchLocal, remoteUrl: remote, batchSize: POUCH_BATCH_SIZE });
        const held = await remoteDocCount(remote);
        if (held !== postings || pouch.postings !== postings) throw new SyncBenchAbort(`PouchDB replicated ${pouch.postings} documents and the remote holds ${held}, not ${postings}`);
        pouches.push(pouch);
        write(`sync: round ${r}: PouchDB replicates ${fmtInt(held)} documents in ${pouch.seconds.toFixed(2)} s (${fmtInt(Math.round(held / pouch.seconds))}/s), client peak RSS ${pouch.peakRssMb.toFixed(1)} MB\n`);

        const fleetIds = fleetLines.map((l) => l.terminal);
        const fleet = await withCentral(pg, `fleet_${r}`, doc, fleetIds, async (central, tokens) => {
          const terminals = fleetSources.map((source, i) => {
            const id = fleetIds[i] ?? '';
            const file = join(dir, `round-${r}-${id}.sqlite`);
            copyFileSync(source.file, file);
            return { file, token: tokens.get(id) ?? '' };
          });
          const report = await runMeasured(central, { kind: 'fleet', terminals, url: central.url });
          await expectIngested(central, fleetSize * perTerminal);
          for (const t of terminals) rmSync(t.file);
          return report;
        });
        fleets.push(fleet);
        write(`sync: round ${r}: ${fleetSize} terminals push ${fmtInt(fleet.postings)} postings at once in ${fleet.seconds.toFixed(2)} s: ${fmtInt(Math.round(fleet.postings / fleet.seconds))} postings/s; ${cpuText(fleet.cpu)}\n`);
      }
    } finally {
      await pouchServer.close();
    }

    const drainSeconds = median(drains.map((d) => d.seconds));
    const pouchSeconds = median(pouches.map((d) => d.seconds));
    const ingest = median(fleets.map((f) => f.postings / f.seconds));
    const max = (reports: ClientMeasurement[], key: 'peakRssMb' | 'startRssMb') => Math.max(...reports.map((r) => r[key]));
    const result: SyncBenchResult = {
      drain100kSeconds: round2(drainSeconds),
      drainTargetSeconds: DRAIN_TARGET_SECONDS,
      drainPostingsPerSecond: Math.round(postings / drainSeconds),
      pouchDrain100kSeconds: round2(pouchSeconds),
      speedupVsPouch: round2(pouchSeconds / drainSeconds),
      speedupTarget: SPEEDUP_TARGET,
      ingestPerSecond50Terminals: Math.round(ingest),
      ingestTargetPerSecond: INGEST_TARGET,
      clientPeakRssMb: round1(max(drains, 'peakRssMb')),
      clientRssTargetMb: RSS_TARGET_MB,
      clientStartRssMb: round1(max(drains, 'startRssMb')),
      pouchClientPeakRssMb: round1(max(pouches, 'peakRssMb')),
      ingestClientPeakRssMb: round1(max(fleets, 'peakRssMb')),
      drainPostings: postings,
      drainRequests: drains[0]?.requests ?? 0,
      pouchBatchSize: POUCH_BATCH_SIZE,
      ingestTerminals: fleetSize,
      ingestPostingsPerTerminal: perTerminal,
      bodyBytesPerPosting: drainSource.bodyBytes,
      rounds,
      fillSeconds: round1(fillSeconds),
      totalSeconds: round1((performance.now() - started) / 1000),
      cpus: cpus().length,
      ...cpuKeys('drainCpu', drains),
      ...cpuKeys('ingestCpu', fleets),
    };
    mkdirSync(options.resultsDir, { recursive: true });
    const out = join(options.resultsDir, 'sync.json');
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    write(table(result, { drains, pouches, fleets }));
    write(`sync: results in ${out}\n`);
    return result;
  } finally {
    await pg?.stop();
    if (options.keepDatabase) write(`sync: databases kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh central on a new database of `pg`, the plant imported, `terminals` provisioned; closed after `work`. */
async function withCentral<T>(
  pg: PostgresServer,
  name: string,
  doc: MasterDataInput,
  terminals: readonly string[],
  work: (central: RunningCentral, tokens: Map<string, string>) => Promise<T>,
): Promise<T> {
  const database = await pg.createDatabase(name);
  const central = await startCentral({ database, port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN, logger: pino({ level: 'warn' }) });
  try {
    await admin(central, '/api/import', doc);
    const tokens = new Map<string, string>();
    for (const id of terminals) tokens.set(id, (await admin<{ token: string }>(central, '/api/terminals', { id })).token);
    return await work(central, tokens);
  } finally {
    await central.close();
  }
}

async function admin<T = unknown>(central: RunningCentral, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${central.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new SyncBenchAbort(`POST ${path}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** The central holds every posting, and took them without a single exception (each line has its own stock). */
async function expectIngested(central: RunningCentral, expected: number): Promise<void> {
  const [held] = await central.db.query<{ postings: number; exceptions: number }>(
    'SELECT (SELECT count(*)::int FROM posting) AS postings, (SELECT count(*)::int FROM sync_exception) AS exceptions',
  );
  if (held?.postings !== expected || held.exceptions !== 0) {
    throw new SyncBenchAbort(`the central holds ${held?.postings} postings (expected ${expected}) and ${held?.exceptions} sync exceptions (expected 0)`);
  }
}

/** CPU seconds of each side while one client job runs. */
interface SideCpu {
  client: number;
  central: number;
  postgres: number;
}
type Measured = ClientMeasurement & { cpu: SideCpu };

/** Runs a client job against `central`, with the CPU each side spent meanwhile. */
async function runMeasured(central: RunningCentral, job: ClientJob): Promise<Measured> {
  const postmaster = await postmasterPid(central);
  const pg0 = postgresCpuSeconds(postmaster);
  const central0 = process.cpuUsage();
  const report = await runClient(job);
  const centralCpu = process.cpuUsage(central0);
  return { ...report, cpu: { client: report.cpuSeconds, central: (centralCpu.user + centralCpu.system) / 1e6, postgres: postgresCpuSeconds(postmaster) - pg0 } };
}

async function postmasterPid(central: RunningCentral): Promise<number | null> {
  const [row] = await central.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const stat = row ? procStat(row.pid) : null;
  return stat?.ppid ?? null;
}

const CLOCK_TICKS = 100;

/** utime, stime, cutime, cstime (in ticks) and ppid from /proc/PID/stat; null off Linux or when gone. */
function procStat(pid: number): { ppid: number; ticks: number; childTicks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    const at = (i: number) => fields[i] ?? 0;
    return { ppid: at(1), ticks: at(11) + at(12), childTicks: at(13) + at(14) };
  } catch {
    return null;
  }
}

/** The PostgreSQL server's CPU so far: the postmaster with its reaped children, plus its live children (NaN off Linux). */
function postgresCpuSeconds(postmaster: number | null): number {
  const root = postmaster === null ? null : procStat(postmaster);
  if (postmaster === null || !root) return Number.NaN;
  let ticks = root.ticks + root.childTicks;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === postmaster) ticks += stat.ticks;
  }
  return ticks / CLOCK_TICKS;
}

/** Runs one client job in a child process of its own and returns its report. */
function runClient(job: ClientJob): Promise<ClientMeasurement> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./sync-client.js', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    let report: ClientReport | undefined;
    child.once('message', (message: ClientReport) => (report = message));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!report) reject(new SyncBenchAbort(`the ${job.kind} client exited (${signal ?? code}) without a report`));
      else if (!report.ok) reject(new SyncBenchAbort(`the ${job.kind} client failed: ${report.message}`));
      else resolve(report);
    });
    child.send(job);
  });
}

const cpuText = (cpu: SideCpu) => `CPU s: client ${cpu.client.toFixed(1)}, central ${cpu.central.toFixed(1)}, PostgreSQL ${cpu.postgres.toFixed(1)}`;

/** Median CPU seconds per side, where they could be measured. */
function cpuKeys<P extends string>(prefix: P, runs: readonly Measured[]): Partial<Record<`${P}${'Client' | 'Central' | 'Postgres'}Seconds`, number>> {
  const keys: Partial<Record<string, number>> = {};
  for (const [side, name] of [['client', 'Client'], ['central', 'Central'], ['postgres', 'Postgres']] as const) {
    const value = median(runs.map((r) => r.cpu[side]));
    if (Number.isFinite(value)) keys[`${prefix}${name}Seconds`] = round1(value);
  }
  return keys;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

function table(r: SyncBenchResult, runs: { drains: ClientMeasurement[]; pouches: ClientMeasurement[]; fleets: ClientMeasurement[] }): string {
  const atMost = (value: number, target: number) => (value <= target ? 'PASS' : 'MISS');
  const atLeast = (value: number, target: number) => (value >= target ? 'PASS' : 'MISS');
  const list = (values: number[], digits: number) => values.map((v) => v.toFixed(digits)).join(' ');
  const n = fmtInt(r.drainPostings);
  const rows: [string, string, string, string][] = [
    ['figure (median of rounds)', 'value', 'rounds', 'bound, measured in the same run'],
    [`drain ${n} postings to PostgreSQL`, `${r.drain100kSeconds.toFixed(2)} s`, list(runs.drains.map((d) => d.seconds), 2),
      `${(r.drain100kSeconds / DRAIN_TARGET_SECONDS).toFixed(2)} × ${DRAIN_TARGET_SECONDS} s (≤ 1) ${atMost(r.drain100kSeconds, DRAIN_TARGET_SECONDS)}; ${fmtInt(r.drainPostingsPerSecond)} postings/s`],
    [`PouchDB replication of the same ${n}`, `${r.pouchDrain100kSeconds.toFixed(2)} s`, list(runs.pouches.map((d) => d.seconds), 2), `batch_size ${r.pouchBatchSize}`],
    ['speedup vs PouchDB', `${r.speedupVsPouch.toFixed(2)} ×`, list(runs.pouches.map((p, i) => p.seconds / (runs.drains[i]?.seconds ?? NaN)), 2),
      `(≥ ${SPEEDUP_TARGET}) ${atLeast(r.speedupVsPouch, SPEEDUP_TARGET)}`],
    [`ingest, ${r.ingestTerminals} terminals at once`, `${fmtInt(r.ingestPerSecond50Terminals)}/s`, list(runs.fleets.map((f) => f.postings / f.seconds), 0),
      `${(r.ingestPerSecond50Terminals / INGEST_TARGET).toFixed(2)} × ${fmtInt(INGEST_TARGET)}/s (≥ 1) ${atLeast(r.ingestPerSecond50Terminals, INGEST_TARGET)}`],
    ['drain client peak RSS (max of rounds)', `${r.clientPeakRssMb.toFixed(1)} MB`, list(runs.drains.map((d) => d.peakRssMb), 1),
      `${(r.clientPeakRssMb / RSS_TARGET_MB).toFixed(2)} × ${RSS_TARGET_MB} MB (≤ 1) ${atMost(r.clientPeakRssMb, RSS_TARGET_MB)}; ${r.clientStartRssMb.toFixed(1)} MB before the first request`],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((c) => c[i]?.length ?? 0)));
  return [
    '',
    `sync — ${n}-posting backlog (${r.bodyBytesPerPosting}-byte bodies, push batches of ${Math.ceil(r.drainPostings / r.drainRequests)}), PostgreSQL central on loopback; ${r.ingestTerminals} × ${fmtInt(r.ingestPostingsPerTerminal)} postings for the ingest; ${r.rounds} rounds`,
    ...rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ').trimEnd()),
    `CPU seconds (median; diagnostic): drain: client ${r.drainCpuClientSeconds ?? '?'}, central ${r.drainCpuCentralSeconds ?? '?'}, PostgreSQL ${r.drainCpuPostgresSeconds ?? '?'}; ingest: client ${r.ingestCpuClientSeconds ?? '?'}, central ${r.ingestCpuCentralSeconds ?? '?'}, PostgreSQL ${r.ingestCpuPostgresSeconds ?? '?'}`,
    `clients in child processes; central, express-pouchdb and PostgreSQL on the same ${r.cpus}-CPU machine (${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 1e9)} GB, Node ${process.version}); fill ${r.fillSeconds} s (untimed); total ${r.totalSeconds} s`,
    '',
  ].join('\n');
}
