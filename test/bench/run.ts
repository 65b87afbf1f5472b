// `npm run bench` runs every benchmark, `npm run bench -- NAME [NAME…]` the ones named
// (quality.md "Performance"). Options: --ledger N (postings in the big ledger of `posting`,
// default 1,000,000), --backlog N (postings the terminal of `sync` drains, default 100,000),
// --rounds N, --per-round N, --warmup N, --keep-db. A missed target is
// reported as MISS and never fails the process; a benchmark that cannot measure what it
// claims to aborts with exit code 1.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['posting', 'scan', 'sync', 'terminal', 'ui'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const USAGE = `usage: npm run bench [-- NAME… ] [--ledger N] [--backlog N] [--rounds N] [--per-round N] [--warmup N] [--keep-db]
  NAME: ${BENCHMARKS.join(', ')} (default: all)\n`;

/** The folder holding package.json above this file (the compiled entry lives in dist/test/bench). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the bench entry');
    dir = parent;
  }
  return dir;
}

interface Args {
  names: BenchmarkName[];
  ledger?: number;
  backlog?: number;
  rounds?: number;
  perRound?: number;
  warmup?: number;
  keepDb: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const names: BenchmarkName[] = [];
  const args: Args = { names, keepDb: false };
  const numberFlags = { '--ledger': 'ledger', '--backlog': 'backlog', '--rounds': 'rounds', '--per-round': 'perRound', '--warmup': 'warmup' } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--keep-db') {
      args.keepDb = true;
    } else if (arg in numberFlags) {
      const value = Number((argv[++i] ?? '').replaceAll('_', ''));
      if (!Number.isSafeInteger(value) || value < (arg === '--warmup' ? 0 : 1)) return `${arg} needs a whole number`;
      args[numberFlags[arg as keyof typeof numberFlags]] = value;
    } else if ((BENCHMARKS as readonly string[]).includes(arg)) {
      names.push(arg as BenchmarkName);
    } else {
      return `unknown benchmark or option: ${arg}`;
    }
  }
  if (names.length === 0) names.push(...BENCHMARKS);
  return args;
}

const write = (text: string) => void process.stdout.write(text);

const args = parseArgs(process.argv.slice(2));
if (typeof args === 'string') {
  process.stderr.write(`${args}\n${USAGE}`);
  process.exitCode = 2;
} else {
  const root = projectRoot();
  const resultsDir = join(root, 'test', 'bench', 'results');
  // The round settings the posting and terminal benchmarks share.
  const timedRounds = {
    ...(args.rounds !== undefined && { rounds: args.rounds }),
    ...(args.perRound !== undefined && { perRound: args.perRound }),
    ...(args.warmup !== undefined && { warmup: args.warmup }),
    keepDatabase: args.keepDb,
    write,
  };
  for (const name of args.names) {
    if (name === 'scan') {
      // scan.json holds both halves of the scan benchmark: decode (test/bench/scan.ts) and serial.
      const { runScanSerialBench, ScanSerialBenchAbort } = await import('./scan-serial.js');
      const { runScanDecodeBench, ScanDecodeBenchAbort } = await import('./scan.js');
      try {
        const decode = runScanDecodeBench({ ...(args.rounds !== undefined && { rounds: args.rounds }), write });
        const serial = await runScanSerialBench({
          ...(args.rounds !== undefined && { rounds: args.rounds }),
          ...(args.perRound !== undefined && { perRound: args.perRound }),
          ...(args.warmup !== undefined && { warmup: args.warmup }),
          write,
        });
        const result = { ...decode, ...serial };
        mkdirSync(resultsDir, { recursive: true });
        const out = join(resultsDir, 'scan.json');
        writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
        write(`scan: results in ${out}\n`);
      } catch (error) {
        if (!(error instanceof ScanSerialBenchAbort) && !(error instanceof ScanDecodeBenchAbort)) throw error;
        process.stderr.write(`scan: ABORTED, no results written: ${error.message}\n`);
        process.exitCode = 1;
      }
      continue;
    }
    if (name === 'sync') {
      const { runSyncBench, SyncBenchAbort } = await import('./sync.js');
      try {
        await runSyncBench({
          resultsDir,
          ...(args.backlog !== undefined && { postings: args.backlog }),
          ...(args.rounds !== undefined && { rounds: args.rounds }),
          keepDatabase: args.keepDb,
          write,
        });
      } catch (error) {
        if (!(error instanceof SyncBenchAbort)) throw error;
        process.stderr.write(`sync: ABORTED, no results written: ${error.message}\n`);
        process.exitCode = 1;
      }
      continue;
    }
    if (name === 'terminal') {
      // --ledger is the ledger the start is measured on here too (default 1,000,000, cached in the temp dir).
      const { runTerminalBench, TerminalBenchAbort } = await import('./terminal.js');
      try {
        await runTerminalBench({
          projectRoot: root,
          resultsDir,
          ...(args.ledger !== undefined && { ledger: args.ledger }),
          ...timedRounds,
        });
      } catch (error) {
        if (!(error instanceof TerminalBenchAbort)) throw error;
        process.stderr.write(`terminal: ABORTED, no results written: ${error.message}\n`);
        process.exitCode = 1;
      }
      continue;
    }
    if (name !== 'posting') {
      write(`${name}: not built yet, skipped\n`);
      continue;
    }
    const { runPostingBench, BenchAbort } = await import('./posting.js');
    try {
      runPostingBench({
        resultsDir,
        ...(args.ledger !== undefined && { bigLedger: args.ledger }),
        ...timedRounds,
      });
    } catch (error) {
      if (!(error instanceof BenchAbort)) throw error;
      process.stderr.write(`posting: ABORTED, no results written: ${error.message}\n`);
      process.exitCode = 1;
    }
  }
}
