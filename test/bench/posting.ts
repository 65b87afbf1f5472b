// Benchmark `posting` (quality.md "Performance"): postConfirmation of one operation with 20
// backflushed components spread over 60 HUs, committed durably (WAL, synchronous=FULL) on a real
// file, against the bare durable transaction writing as many rows, measured in the same run on
// the same file; once with 1,000 postings in the ledger and once with 1,000,000.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Effect } from '../../src/domain/effects.js';
import { makeSscc } from '../../src/domain/sscc.js';
import { appendInbound } from '../../src/store/ledger.js';
import { loadMasterData } from '../../src/store/load-master-data.js';
import { openDatabase } from '../../src/store/open-database.js';
import { postConfirmation, type PostConfirmationResult } from '../../src/terminal/post-confirmation.js';
import { createTerminalContext } from '../../src/terminal/terminal-context.js';
import { aPlant, operator } from '../fixtures/test-plant.js';
import { elapsedMs, fmtInt, fmtMs, median, percentile, round3 } from './stats.js';

export interface PostingBenchOptions {
  /** Where posting.json goes (created when missing). */
  resultsDir: string;
  /** Postings in the ledger for the "big" condition (default 1,000,000). */
  bigLedger?: number;
  /** Postings in the ledger for the "small" condition (default 1,000). */
  smallLedger?: number;
  /** Measured rounds per condition; each figure is the median over them (default 5). */
  rounds?: number;
  /** Measured postings (and as many bare transactions) per round (default 400: p99 is then the 4th worst, not the 2nd). */
  perRound?: number;
  /** Untimed postings and bare transactions before each condition (default 100). */
  warmup?: number;
  /** Keep the database file (its path is printed) instead of deleting it. */
  keepDatabase?: boolean;
  /** Where the table and progress go (default stdout). */
  write?: (text: string) => void;
}

/** What posting.json holds: numbers at the top level, strings only in `machine`. */
export interface PostingBenchResult {
  /** At the small ledger, as the terminal runs (auto-checkpoint in the commit path). */
  p50Ms: number;
  p99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
  /** p99Ms / bareP99Ms, target ≤ ratioTarget. */
  ratio: number;
  ratioTarget: number;
  p99At1kMs: number;
  /** p99 at the big ledger (bigLedgerPostings; 1,000,000 unless --ledger says otherwise). */
  p99At1mMs: number;
  /** p99At1mMs / p99At1kMs, target ≤ growthTarget. */
  growth: number;
  growthTarget: number;
  p50At1mMs: number;
  bareP50At1mMs: number;
  bareP99At1mMs: number;
  ratioAt1m: number;
  /** bareP50At1mMs / bareP50Ms: far from 1 means the machine changed speed between the conditions. */
  machineDrift: number;
  /** Diagnostic, no target: the same with the WAL checkpoint taken out of the timed commits. */
  p50NoCheckpointMs: number;
  p99NoCheckpointMs: number;
  bareP99NoCheckpointMs: number;
  ratioNoCheckpoint: number;
  p99NoCheckpointAt1mMs: number;
  bareP99NoCheckpointAt1mMs: number;
  ratioNoCheckpointAt1m: number;
  growthNoCheckpoint: number;
  rowsPerPosting: number;
  bodyBytesPerPosting: number;
  componentsPerPosting: number;
  husPerPosting: number;
  smallLedgerPostings: number;
  bigLedgerPostings: number;
  rounds: number;
  postingsPerRound: number;
  warmup: number;
  fillSeconds: number;
  fillPostingsPerSecond: number;
  databaseMegabytes: number;
  totalSeconds: number;
  machine: Record<string, string | number>;
}

const COMPONENTS = 20;
const HUS_PER_COMPONENT = 3;
/** Each fresh HU holds one piece and a posting of good 1 needs 3 of each component: it empties all three. */
const PER_PIECE = HUS_PER_COMPONENT;
/** Postings per filler order: history spread over many orders, as in a plant, not one order of a million confirmations. */
const POSTINGS_PER_FILLER_ORDER = 500;
const FILL_BATCH = 2_000;
const RATIO_TARGET = 2;
const GROWTH_TARGET = 1.2;
/** Bare p50 moving more than this between the two ledgers means the machine, not the ledger, changed. */
const DRIFT_WARNING = 0.15;

const componentId = (c: number) => `C${String(c).padStart(2, '0')}`;
const measuredOrderId = (n: number) => `M${String(n).padStart(6, '0')}`;
const fillerOrderId = (n: number) => `F${String(n).padStart(6, '0')}`;

interface Samples {
  postingMs: number[];
  bareMs: number[];
}

interface Figures {
  p50: number;
  p99: number;
  bareP50: number;
  bareP99: number;
}

/** Rounds of one way of measuring, and the median of each figure over them. */
interface Phase {
  rounds: Figures[];
  median: Figures;
}

interface Condition {
  ledgerPostings: number;
  /** As the terminal runs: SQLite's auto-checkpoint happens inside whichever commit crosses 1,000 WAL pages. */
  auto: Phase;
  /** Diagnostic: auto-checkpoint off, the WAL checkpointed (untimed) before each timed commit. */
  noCheckpoint: Phase;
}


/** The benchmark cannot measure what it claims to (a refused posting, a wrong shape): no results. */
export class BenchAbort extends Error {}

export function runPostingBench(options: PostingBenchOptions): PostingBenchResult {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const bigLedger = options.bigLedger ?? 1_000_000;
  const smallLedger = options.smallLedger ?? 1_000;
  const rounds = options.rounds ?? 5;
  const perRound = options.perRound ?? 400;
  const warmup = options.warmup ?? 100;
  if (!(bigLedger > smallLedger)) throw new BenchAbort(`--ledger ${bigLedger} must be more than the small ledger (${smallLedger})`);
  const started = process.hrtime.bigint();

  const measuredPerCondition = warmup + 2 * rounds * perRound;
  const measuredOrders = 1 + 2 * measuredPerCondition;
  const fillerOrders = Math.ceil(bigLedger / POSTINGS_PER_FILLER_ORDER);

  // The plant: product LID made at one operation, BOM of 20 components at 3 pieces each; one fresh
  // order per measured posting; filler orders with one component from stock without HU.
  const plant = aPlant();
  for (let c = 1; c <= COMPONENTS; c++) plant.component(componentId(c), PER_PIECE);
  plant.material('FILL');
  for (let n = 1; n <= measuredOrders; n++) plant.order(measuredOrderId(n), 1_000);
  const fillerComponents = [{ component: 'FILL', quantity: 1, operation: '0010' }];
  for (let n = 0; n < fillerOrders; n++) plant.order(fillerOrderId(n), 1_000_000, { components: fillerComponents });
  const terminal = plant.doc.terminals[0];
  if (!terminal) throw new Error('the test plant has no terminal');
  // Every posting makes an output HU: the terminal needs more SSCC serials than postings.
  terminal.ssccRange = { first: 0, last: 99_999_999 };
  const prefix = plant.doc.plant.gs1CompanyPrefix;

  const dir = mkdtempSync(join(tmpdir(), 'shopfloor-bench-'));
  const file = join(dir, 'terminal.sqlite');
  const db = openDatabase(file);
  let closed = false;
  try {
    let tick = Date.parse('2026-11-21T06:00:00Z');
    const now = () => new Date((tick += 1000)).toISOString();
    write(`posting: database ${file}\n`);
    const loadStart = process.hrtime.bigint();
    const loaded = loadMasterData(db, plant.doc, { terminalId: 'T1', now: now() });
    if (!loaded.ok) throw new BenchAbort(`the bench plant does not load: ${JSON.stringify(loaded.errors.slice(0, 5))}`);
    write(`posting: master data loaded (${fmtInt(measuredOrders)} measured orders, ${fmtInt(fillerOrders)} filler orders) in ${(elapsedMs(loadStart) / 1000).toFixed(1)} s\n`);
    const ctx = createTerminalContext(db, { now });
    db.transaction(() => appendInbound(db, 'bench', now(), [{ t: 'bulk-quantity', location: 'ML1', material: 'FILL', batch: null, deltaMinor: 1e15 }])).immediate();
    db.exec('CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL) STRICT; CREATE INDEX bench_bare_by_k ON bench_bare (k);');

    const ledgerSize = () => (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM posting').get() as { n: number }).n;
    const totalChanges = () => (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

    // --- filling the ledger with real postings, untimed, synchronous=OFF only while filling ---
    let fillerSeq = 0;
    let fillPostings = 0;
    let fillNs = 0n;
    const fillTo = (target: number) => {
      const from = ledgerSize();
      if (from >= target) return;
      const start = process.hrtime.bigint();
      let lastReport = start;
      db.pragma('synchronous = OFF');
      try {
        const batch = db.transaction((n: number) => {
          for (let i = 0; i < n; i++) {
            const posted = postConfirmation(ctx, operator, {
              requestId: randomUUID(), order: fillerOrderId(fillerSeq++ % fillerOrders), operation: '0010', good: 1, scrap: 0,
            });
            if (!posted.ok) throw new BenchAbort(`a filler posting was refused: ${posted.error.code}: ${posted.error.message}`);
          }
        });
        let size = from;
        while (size < target) {
          const n = Math.min(FILL_BATCH, target - size);
          batch(n);
          size += n;
          const t = process.hrtime.bigint();
          if (t - lastReport > 10_000_000_000n || size === target) {
            const seconds = Number(t - start) / 1e9;
            const rate = (size - from) / seconds;
            const eta = (target - size) / rate;
            write(`posting: fill ${fmtInt(size)} / ${fmtInt(target)} postings, ${fmtInt(Math.round(rate))}/s, ${seconds.toFixed(0)} s elapsed, ~${eta.toFixed(0)} s left\n`);
            lastReport = t;
          }
        }
      } finally {
        db.pragma('synchronous = FULL');
      }
      // Both conditions start from an empty WAL.
      db.pragma('wal_checkpoint(TRUNCATE)');
      fillNs += process.hrtime.bigint() - start;
      fillPostings += target - from;
    };

    // --- the measured posting and its fresh HUs ---
    let measuredSeq = 0;
    let huSerial = 5_000_000_000; // far from the terminal's own SSCC range
    const stockHus = db.transaction((effects: Effect[]) => appendInbound(db, 'bench', now(), effects));
    const freshHus = () => {
      const effects: Effect[] = [];
      for (let c = 1; c <= COMPONENTS; c++) {
        for (let k = 0; k < HUS_PER_COMPONENT; k++) {
          const hu = makeSscc(prefix, huSerial++);
          effects.push({ t: 'hu-create', hu, material: componentId(c), batch: null, expiry: null, location: 'ML1', parent: null });
          effects.push({ t: 'hu-quantity', hu, deltaMinor: 1 });
        }
      }
      stockHus.immediate(effects);
    };
    const nextInput = () => ({ requestId: randomUUID(), order: measuredOrderId(++measuredSeq), operation: '0010', good: 1, scrap: 0 });
    const checkShape = (value: PostConfirmationResult): string | null => {
      const bad = value.lines.filter((l) => l.sources.length !== HUS_PER_COMPONENT || l.sources.some((s) => s.hu === null || !s.emptied) || l.shortfall !== 0);
      if (value.lines.length === COMPONENTS && bad.length === 0) return null;
      return `${value.lines.length} lines with ${value.lines.map((l) => l.sources.length).join(',')} sources (${bad.length} lines not 3 emptied HUs without shortfall)`;
    };

    // --- the bare durable transaction ---
    const insertBare = db.prepare('INSERT INTO bench_bare (k, v) VALUES (?, ?)');
    const bareTx = db.transaction((rows: [string, string][]) => {
      for (const [k, v] of rows) insertBare.run(k, v);
    });
    // rowsPerPosting rows of ~100 bytes: a 36-char key that grows monotonically (a random key would
    // dirty one more random index page per row as bench_bare grows, so the baseline would drift
    // upwards through the run) and a 64-char value.
    let bareSeq = 0;
    const bareRows = (n: number): [string, string][] =>
      Array.from({ length: n }, () => [`${String(bareSeq++).padStart(12, '0')}-${randomBytes(12).toString('hex')}`, randomBytes(32).toString('hex')]);

    fillTo(smallLedger - 1);

    // Verify once, untimed, that a posting is what this benchmark claims to measure, and count its rows.
    freshHus();
    const changesBefore = totalChanges();
    const first = postConfirmation(ctx, operator, nextInput());
    const rowsPerPosting = totalChanges() - changesBefore;
    if (!first.ok) throw new BenchAbort(`the measured posting was refused: ${first.error.code}: ${first.error.message}`);
    const shape = checkShape(first.value);
    if (shape) throw new BenchAbort(`the measured posting is not 20 components over 60 HUs: ${shape}`);
    const bodyBytesPerPosting = (db.prepare('SELECT length(body) AS n FROM posting WHERE id = ?').get(first.value.postingId) as { n: number }).n;
    write(`posting: verified 20 lines × 3 emptied HUs; one posting writes ${rowsPerPosting} rows (total_changes), its body is ${fmtInt(bodyBytesPerPosting)} bytes\n`);

    const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
    /** One measured posting and one bare transaction; `checkpointFirst` empties the WAL (untimed) before each. */
    const iteration = (samples: Samples | null, checkpointFirst: boolean) => {
      freshHus();
      const input = nextInput();
      if (checkpointFirst) checkpoint();
      const t0 = process.hrtime.bigint();
      const posted = postConfirmation(ctx, operator, input);
      const postingMs = elapsedMs(t0);
      if (!posted.ok) throw new BenchAbort(`a measured posting was refused: ${posted.error.code}: ${posted.error.message}`);
      const sources = posted.value.lines.reduce((sum, l) => sum + l.sources.length, 0);
      if (sources !== COMPONENTS * HUS_PER_COMPONENT) throw new BenchAbort(`a measured posting took from ${sources} sources, not 60`);
      const rows = bareRows(rowsPerPosting);
      if (checkpointFirst) checkpoint();
      const t1 = process.hrtime.bigint();
      bareTx.immediate(rows);
      const bareMs = elapsedMs(t1);
      samples?.postingMs.push(postingMs);
      samples?.bareMs.push(bareMs);
    };

    const phase = (label: string, checkpointFirst: boolean): Phase => {
      const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
      if (checkpointFirst) db.pragma('wal_autocheckpoint = 0');
      try {
        const figures: Figures[] = [];
        for (let r = 0; r < rounds; r++) {
          const samples: Samples = { postingMs: [], bareMs: [] };
          for (let i = 0; i < perRound; i++) iteration(samples, checkpointFirst);
          const f = {
            p50: percentile(samples.postingMs, 50), p99: percentile(samples.postingMs, 99),
            bareP50: percentile(samples.bareMs, 50), bareP99: percentile(samples.bareMs, 99),
          };
          figures.push(f);
          write(`posting: ${label} round ${r + 1}: p50 ${fmtMs(f.p50)}, p99 ${fmtMs(f.p99)}; bare p50 ${fmtMs(f.bareP50)}, p99 ${fmtMs(f.bareP99)}\n`);
        }
        const of = (key: keyof Figures) => median(figures.map((f) => f[key]));
        return { rounds: figures, median: { p50: of('p50'), p99: of('p99'), bareP50: of('bareP50'), bareP99: of('bareP99') } };
      } finally {
        db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
      }
    };

    const measure = (label: string): Condition => {
      const synchronous = db.pragma('synchronous', { simple: true }) as number;
      const journal = db.pragma('journal_mode', { simple: true }) as string;
      if (synchronous !== 2 || journal !== 'wal') throw new BenchAbort(`not durable: synchronous=${synchronous}, journal_mode=${journal}`);
      const ledgerPostings = ledgerSize();
      write(`posting: ${label}: ${fmtInt(ledgerPostings)} postings in the ledger; warm-up ${warmup}, then ${rounds} rounds of ${perRound} as the terminal runs, then ${rounds} rounds with the checkpoint outside the timed commits\n`);
      for (let i = 0; i < warmup; i++) iteration(null, false);
      const auto = phase(label, false);
      const noCheckpoint = phase(`${label} (checkpoint untimed)`, true);
      return { ledgerPostings, auto, noCheckpoint };
    };

    const small = measure('small ledger');
    fillTo(bigLedger);
    const big = measure('big ledger');

    const [s, b, sn, bn] = [small.auto.median, big.auto.median, small.noCheckpoint.median, big.noCheckpoint.median];
    const databaseBytes = statSync(file).size;
    const fillSeconds = Number(fillNs) / 1e9;
    const result: PostingBenchResult = {
      p50Ms: round3(s.p50),
      p99Ms: round3(s.p99),
      bareP50Ms: round3(s.bareP50),
      bareP99Ms: round3(s.bareP99),
      ratio: round3(s.p99 / s.bareP99),
      ratioTarget: RATIO_TARGET,
      p99At1kMs: round3(s.p99),
      p99At1mMs: round3(b.p99),
      growth: round3(b.p99 / s.p99),
      growthTarget: GROWTH_TARGET,
      p50At1mMs: round3(b.p50),
      bareP50At1mMs: round3(b.bareP50),
      bareP99At1mMs: round3(b.bareP99),
      ratioAt1m: round3(b.p99 / b.bareP99),
      machineDrift: round3(b.bareP50 / s.bareP50),
      p50NoCheckpointMs: round3(sn.p50),
      p99NoCheckpointMs: round3(sn.p99),
      bareP99NoCheckpointMs: round3(sn.bareP99),
      ratioNoCheckpoint: round3(sn.p99 / sn.bareP99),
      p99NoCheckpointAt1mMs: round3(bn.p99),
      bareP99NoCheckpointAt1mMs: round3(bn.bareP99),
      ratioNoCheckpointAt1m: round3(bn.p99 / bn.bareP99),
      growthNoCheckpoint: round3(bn.p99 / sn.p99),
      rowsPerPosting,
      bodyBytesPerPosting,
      componentsPerPosting: COMPONENTS,
      husPerPosting: COMPONENTS * HUS_PER_COMPONENT,
      smallLedgerPostings: small.ledgerPostings,
      bigLedgerPostings: big.ledgerPostings,
      rounds,
      postingsPerRound: perRound,
      warmup,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      fillPostingsPerSecond: Math.round(fillPostings / fillSeconds),
      databaseMegabytes: Math.round(databaseBytes / 1e5) / 10,
      totalSeconds: Math.round(elapsedMs(started) / 100) / 10,
      machine: machineInfo(db),
    };
    mkdirSync(options.resultsDir, { recursive: true });
    const out = join(options.resultsDir, 'posting.json');
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    write(table(result, small, big));
    if (Math.abs(result.machineDrift - 1) > DRIFT_WARNING) {
      write(`posting: WARNING the bare transaction's p50 changed ${result.machineDrift.toFixed(2)}× between the two ledgers: the machine's speed drifted during the run, so \`growth\` is not a clean figure; rerun on a quiet machine.\n`);
    }
    write(`posting: results in ${out}\n`);
    db.close();
    closed = true;
    if (options.keepDatabase) write(`posting: database kept at ${file}\n`);
    return result;
  } finally {
    if (!closed) db.close();
    if (!options.keepDatabase) rmSync(dir, { recursive: true, force: true });
  }
}

function table(r: PostingBenchResult, small: Condition, big: Condition): string {
  const verdict = (value: number, target: number) => (value <= target ? 'PASS' : 'MISS');
  const at = (c: Condition) => `@${fmtInt(c.ledgerPostings)}`;
  const roundsOf = (phase: Phase, key: keyof Figures) => phase.rounds.map((f) => f[key].toFixed(2)).join(' ');
  type Row = [string, string, string, string];
  const row = (figure: string, phase: Phase, key: keyof Figures, bound = ''): Row => [figure, fmtMs(phase.median[key]), roundsOf(phase, key), bound];
  const [sa, ba, sn, bn] = [small.auto, big.auto, small.noCheckpoint, big.noCheckpoint];
  const bare = `bare tx, ${r.rowsPerPosting} rows`;
  const rows: (Row | string)[] = [
    ['figure (median of rounds)', 'value', 'rounds (ms)', 'bound, measured in the same run'],
    'as the terminal runs (auto-checkpoint inside the commit that crosses 1,000 WAL pages):',
    row(`p50 postConfirmation ${at(small)}`, sa, 'p50'),
    row(`p99 postConfirmation ${at(small)}`, sa, 'p99', `${r.ratio.toFixed(2)} × bare p99 (≤ ${RATIO_TARGET}) ${verdict(r.ratio, RATIO_TARGET)}`),
    row(`p50 ${bare} ${at(small)}`, sa, 'bareP50'),
    row(`p99 ${bare} ${at(small)}`, sa, 'bareP99'),
    row(`p50 postConfirmation ${at(big)}`, ba, 'p50'),
    row(`p99 postConfirmation ${at(big)}`, ba, 'p99', `${r.growth.toFixed(2)} × p99 ${at(small)} (≤ ${GROWTH_TARGET}) ${verdict(r.growth, GROWTH_TARGET)}`),
    row(`p50 ${bare} ${at(big)}`, ba, 'bareP50', `machine drift ${r.machineDrift.toFixed(2)} × bare p50 ${at(small)}`),
    row(`p99 ${bare} ${at(big)}`, ba, 'bareP99', `posting p99 = ${r.ratioAt1m.toFixed(2)} × bare p99 here`),
    'diagnostic, no target: WAL checkpointed (untimed) before each timed commit:',
    row(`p50 postConfirmation ${at(small)}`, sn, 'p50'),
    row(`p99 postConfirmation ${at(small)}`, sn, 'p99', `${r.ratioNoCheckpoint.toFixed(2)} × bare p99`),
    row(`p99 ${bare} ${at(small)}`, sn, 'bareP99'),
    row(`p99 postConfirmation ${at(big)}`, bn, 'p99', `${r.ratioNoCheckpointAt1m.toFixed(2)} × bare p99; ${r.growthNoCheckpoint.toFixed(2)} × p99 ${at(small)}`),
    row(`p99 ${bare} ${at(big)}`, bn, 'bareP99'),
  ];
  const cells = rows.filter((x): x is Row => typeof x !== 'string');
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i]?.length ?? 0)));
  const line = (x: Row | string) => (typeof x === 'string' ? x : x.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ').trimEnd());
  return [
    '',
    `posting — postConfirmation of 20 components over 60 HUs (${r.rowsPerPosting} rows, ${fmtInt(r.bodyBytesPerPosting)}-byte body), WAL + synchronous=FULL, ${r.rounds} rounds × ${r.postingsPerRound}`,
    ...rows.map(line),
    `fill (untimed, synchronous=OFF) up to ${fmtInt(r.bigLedgerPostings)} postings: ${r.fillSeconds} s (${fmtInt(r.fillPostingsPerSecond)}/s); database ${r.databaseMegabytes} MB; total ${r.totalSeconds} s`,
    '',
  ].join('\n');
}

function machineInfo(db: Database): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${platform()} ${release()}`,
    memoryGb: Math.round(totalmem() / 1e8) / 10,
    sqlite: (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
    tmpdir: tmpdir(),
    tmpdirFilesystem: filesystemOf(tmpdir()),
  };
}

/** The filesystem type of the mount holding `path` (from /proc/mounts where there is one). */
function filesystemOf(path: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')).filter((f) => f.length > 2);
    const best = mounts
      .filter(([, mountPoint]) => mountPoint !== undefined && (path === mountPoint || path.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`)))
      .sort((a, b) => (b[1]?.length ?? 0) - (a[1]?.length ?? 0))[0];
    if (best?.[2]) return best[2];
  } catch {
    // not Linux: fall through to statfs
  }
  try {
    return `statfs type 0x${statfsSync(path).type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}
