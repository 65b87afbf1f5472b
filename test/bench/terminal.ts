// Benchmark `terminal` (quality.md "Performance"): the real `shopfloor terminal` as a child process.
// startMs1m: spawn → first 200 from /healthz on a database with 1,000,000 postings (target ≤ 1 s);
// rssMb100k: its VmRSS after 100,000 postings were made through its HTTP API (target ≤ 150 MB);
// postP99MsHttp: p99 of postConfirmation over HTTP, one keep-alive client (no target).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_TERMINAL, OPERATOR_BADGE, OPERATOR_PIN, cachedLedger, lightConfirmation, lightPlant } from './terminal-ledger.js';
import { elapsedMs, fmtInt, median, percentile, round3 } from './stats.js';

export interface TerminalBenchOptions {
  /** The folder holding bin/shopfloor.js. */
  projectRoot: string;
  /** Where terminal.json goes (created when missing). */
  resultsDir: string;
  /** Postings in the ledger the start is measured on (default 1,000,000). */
  ledger?: number;
  /** Postings made through the HTTP API before the RSS is read (default 100,000). */
  through?: number;
  /** Starts per ledger, and measured rounds of postings (default 5). */
  rounds?: number;
  /** Measured postings per round (default 600). */
  perRound?: number;
  /** Untimed postings before the measured rounds (default 500). */
  warmup?: number;
  /** Keep the folder of the HTTP run (its database) instead of deleting it. */
  keepDatabase?: boolean;
  write?: (text: string) => void;
}

export interface TerminalBenchResult {
  /** Median over `rounds` starts on the big ledger. */
  startMs1m: number;
  startTargetMs: number;
  /** The same start on a 1,000-posting ledger, and a bare `node -e ''`: what the ledger adds, and what Node itself costs. */
  startMsAt1k: number;
  nodeStartMs: number;
  startLedgerPostings: number;
  /** VmRSS of the terminal process after `postingsThrough` postings through HTTP. */
  rssMb100k: number;
  rssTargetMb: number;
  rssMbAtStart: number;
  peakRssMb: number;
  postingsThrough: number;
  postP50MsHttp: number;
  postP99MsHttp: number;
  rounds: number;
  postingsPerRound: number;
  warmup: number;
  totalSeconds: number;
  machine: Record<string, string | number>;
}

const START_TARGET_MS = 1000;
const RSS_TARGET_MB = 150;

/** The benchmark cannot measure what it claims to (a refused posting, a terminal that does not start). */
export class TerminalBenchAbort extends Error {}

export async function runTerminalBench(options: TerminalBenchOptions): Promise<TerminalBenchResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const ledger = options.ledger ?? 1_000_000;
  const through = options.through ?? 100_000;
  const rounds = options.rounds ?? 5;
  const perRound = options.perRound ?? 600;
  const warmup = options.warmup ?? 500;
  if (warmup + rounds * perRound > through) throw new TerminalBenchAbort(`warm-up and rounds (${warmup + rounds * perRound} postings) exceed the ${through} postings made through HTTP`);
  const started = process.hrtime.bigint();
  const bin = join(options.projectRoot, 'bin', 'shopfloor.js');
  const dir = mkdtempSync(join(tmpdir(), 'shopfloor-bench-terminal-'));
  try {
    // --- start: spawn → first 200 from /healthz, on the big and on a small ledger, interleaved so drift hits both ---
    const configFor = (name: string, database: string, masterData?: string) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ terminalId: BENCH_TERMINAL, database, ...(masterData && { masterData }), http: { port: 0, host: '127.0.0.1' } }));
      return file;
    };
    const big = configFor('big', cachedLedger(ledger, write));
    const small = configFor('small', cachedLedger(1_000, write));
    const startsBig: number[] = [];
    const startsSmall: number[] = [];
    const nodeStarts: number[] = [];
    for (let r = 0; r < rounds; r++) {
      nodeStarts.push(await timeNode());
      for (const [config, samples] of [[small, startsSmall], [big, startsBig]] as const) {
        const terminal = await startTerminal(bin, config);
        samples.push(terminal.readyMs);
        await terminal.stop();
      }
      write(`terminal: start round ${r + 1}: ${fmtInt(ledger)} postings ${startsBig.at(-1)?.toFixed(0)} ms, 1,000 postings ${startsSmall.at(-1)?.toFixed(0)} ms, node -e '' ${nodeStarts.at(-1)?.toFixed(0)} ms\n`);
    }

    // --- HTTP: a fresh terminal, one keep-alive client, then the rest of the postings, then its RSS ---
    writeFileSync(join(dir, 'plant.json'), JSON.stringify(lightPlant(through)));
    const terminal = await startTerminal(bin, configFor('http', 'http.sqlite', 'plant.json'));
    let result: TerminalBenchResult;
    try {
      const rssMbAtStart = memoryMb(terminal.pid, 'VmRSS');
      const token = await login(terminal.url);
      let made = 0;
      const post = async () => {
        const t0 = process.hrtime.bigint();
        const response = await fetch(`${terminal.url}/api/postConfirmation`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(lightConfirmation(made)),
        });
        const body = (await response.json()) as { postingId?: unknown };
        const ms = elapsedMs(t0);
        if (response.status !== 200 || typeof body.postingId !== 'string') throw new TerminalBenchAbort(`posting ${made + 1} was refused: ${response.status} ${JSON.stringify(body)}`);
        made++;
        return ms;
      };
      for (let i = 0; i < warmup; i++) await post();
      const p50s: number[] = [];
      const p99s: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const samples: number[] = [];
        for (let i = 0; i < perRound; i++) samples.push(await post());
        p50s.push(percentile(samples, 50));
        p99s.push(percentile(samples, 99));
        write(`terminal: HTTP round ${r + 1}: postConfirmation p50 ${p50s.at(-1)?.toFixed(2)} ms, p99 ${p99s.at(-1)?.toFixed(2)} ms\n`);
      }
      const fillStart = Date.now();
      let lastReport = fillStart;
      while (made < through) {
        await post();
        if (Date.now() - lastReport > 10_000) {
          const rate = made / ((Date.now() - fillStart) / 1000 + 1e-9);
          write(`terminal: ${fmtInt(made)} / ${fmtInt(through)} postings through HTTP, RSS ${memoryMb(terminal.pid, 'VmRSS').toFixed(1)} MB, ~${Math.round((through - made) / rate)} s left\n`);
          lastReport = Date.now();
        }
      }
      result = {
        startMs1m: round3(median(startsBig)),
        startTargetMs: START_TARGET_MS,
        startMsAt1k: round3(median(startsSmall)),
        nodeStartMs: round3(median(nodeStarts)),
        startLedgerPostings: ledger,
        rssMb100k: round3(memoryMb(terminal.pid, 'VmRSS')),
        rssTargetMb: RSS_TARGET_MB,
        rssMbAtStart: round3(rssMbAtStart),
        peakRssMb: round3(memoryMb(terminal.pid, 'VmHWM')),
        postingsThrough: made,
        postP50MsHttp: round3(median(p50s)),
        postP99MsHttp: round3(median(p99s)),
        rounds,
        postingsPerRound: perRound,
        warmup,
        totalSeconds: Math.round(elapsedMs(started) / 100) / 10,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, tmpdir: tmpdir() },
      };
    } finally {
      await terminal.stop();
    }
    mkdirSync(options.resultsDir, { recursive: true });
    const out = join(options.resultsDir, 'terminal.json');
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    write(table(result, startsBig, startsSmall));
    write(`terminal: results in ${out}\n`);
    if (options.keepDatabase) write(`terminal: the HTTP run's database is kept at ${join(dir, 'http.sqlite')}\n`);
    return result;
  } finally {
    if (!options.keepDatabase) rmSync(dir, { recursive: true, force: true });
  }
}

interface StartedTerminal {
  url: string;
  pid: number;
  /** From spawn to the first 200 from /healthz. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Spawns `shopfloor terminal` and polls /healthz until it answers 200 (the URL comes from its one stdout line). */
async function startTerminal(bin: string, config: string): Promise<StartedTerminal> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, 'terminal', '--config', config], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /in browser mode at (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => reject(new TerminalBenchAbort(`shopfloor terminal exited before it was ready: ${stderr}`)));
  });
  // The URL line comes right after listen(); /healthz then answers, and its first 200 ends the measurement.
  for (;;) {
    const response = await fetch(`${url}/healthz`).catch(() => null);
    if (response?.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const readyMs = elapsedMs(t0);
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { url, pid: pidOf(child), readyMs, stop };
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new TerminalBenchAbort('shopfloor terminal has no pid');
  return child.pid;
}

/** Spawn → exit of `node -e ''`: what any Node process costs on this machine. */
async function timeNode(): Promise<number> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return elapsedMs(t0);
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ badge: OPERATOR_BADGE, pin: OPERATOR_PIN }) });
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new TerminalBenchAbort(`the bench operator cannot log in: ${JSON.stringify(body)}`);
  return body.token;
}

/** A memory figure of /proc/<pid>/status (VmRSS now, VmHWM the peak), in MB. */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new TerminalBenchAbort(`no ${field} in /proc/${pid}/status (not Linux?)`);
  return Number(match[1]) / 1024;
}

function table(r: TerminalBenchResult, startsBig: number[], startsSmall: number[]): string {
  const verdict = (value: number, target: number) => (value <= target ? 'PASS' : 'MISS');
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
  const rows: [string, string, string][] = [
    ['figure', 'value', 'target'],
    [`start → /healthz 200, ${fmtInt(r.startLedgerPostings)} postings (median)`, `${r.startMs1m.toFixed(0)} ms`, `${(r.startMs1m / r.startTargetMs).toFixed(2)} × ${r.startTargetMs} ms ${verdict(r.startMs1m, r.startTargetMs)}  [${list(startsBig)}]`],
    ['start → /healthz 200, 1,000 postings (median)', `${r.startMsAt1k.toFixed(0)} ms`, `[${list(startsSmall)}]`],
    ["node -e '' (median)", `${r.nodeStartMs.toFixed(0)} ms`, ''],
    [`RSS after ${fmtInt(r.postingsThrough)} postings through HTTP`, `${r.rssMb100k.toFixed(1)} MB`, `${(r.rssMb100k / r.rssTargetMb).toFixed(2)} × ${r.rssTargetMb} MB ${verdict(r.rssMb100k, r.rssTargetMb)}`],
    ['RSS at start / peak', `${r.rssMbAtStart.toFixed(1)} / ${r.peakRssMb.toFixed(1)} MB`, ''],
    ['postConfirmation over HTTP p50 / p99', `${r.postP50MsHttp.toFixed(2)} / ${r.postP99MsHttp.toFixed(2)} ms`, `no target; ${r.rounds} rounds × ${r.postingsPerRound} after ${r.warmup} warm-up`],
  ];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return ['', 'terminal — the service as a child process (shopfloor terminal, browser mode)', ...rows.map((row) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c)).join('  ').trimEnd()), `total ${r.totalSeconds} s`, ''].join('\n');
}
