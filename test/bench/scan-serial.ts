// Benchmark `scan`, serial half (quality.md "Performance", issue 4): one scan written into a
// socat pseudo-terminal pair, until the device manager emits it as a scan event; p99 in ms,
// target ≤ 5 ms. Round trips one at a time, as a person scans: no queueing in the figure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DeviceManager, type ScanEvent } from '../../src/devices/device-manager.js';
import { scannersConfigSchema } from '../../src/devices/scanner-config.js';
import { elapsedMs, fmtMs, median, percentile, round3 } from './stats.js';

export const SOCAT_MISSING = 'socat is not installed: apt-get install -y socat';

export function socatInstalled(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * A pseudo-terminal pair made by socat: the scanner opens `scannerSide` as its serial port, the
 * test writes into `hostSide`. Killing socat is unplugging the scanner; start() again replugs it.
 */
export class PtyPair {
  readonly scannerSide: string;
  readonly hostSide: string;
  #socat: ChildProcess | null = null;
  #writer: FileHandle | null = null;

  constructor(dir: string) {
    this.scannerSide = join(dir, 'scanner');
    this.hostSide = join(dir, 'host');
  }

  /** Starts socat and waits until both links exist (at most `timeoutMs`). */
  async start(timeoutMs = 5_000): Promise<void> {
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.scannerSide}`, `pty,raw,echo=0,link=${this.hostSide}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    socat.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.#socat = socat;
    const deadline = Date.now() + timeoutMs;
    while (!(existsSync(this.scannerSide) && existsSync(this.hostSide))) {
      if (socat.exitCode !== null) throw new Error(`socat exited with ${socat.exitCode}: ${stderr.trim()}`);
      if (Date.now() > deadline) throw new Error(`socat made no pty pair within ${timeoutMs} ms: ${stderr.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Unplugs: socat ends (SIGTERM, so it removes its links) and the scanner side's pty goes away. */
  async kill(): Promise<void> {
    await this.#closeWriter();
    const socat = this.#socat;
    this.#socat = null;
    if (socat === null || socat.exitCode !== null || socat.signalCode !== null) return;
    const exited = once(socat, 'exit');
    socat.kill('SIGTERM');
    await exited;
  }

  /** Writes bytes into the host side, as the scanner's serial line would carry them (async: never blocks the reader). */
  async write(data: string | Uint8Array): Promise<void> {
    this.#writer ??= await open(this.hostSide, constants.O_WRONLY | constants.O_NOCTTY);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    let offset = 0;
    while (offset < bytes.length) offset += (await this.#writer.write(bytes, offset, bytes.length - offset)).bytesWritten;
  }

  async #closeWriter(): Promise<void> {
    const writer = this.#writer;
    this.#writer = null;
    await writer?.close().catch(() => undefined);
  }
}

export interface ScanSerialBenchOptions {
  rounds?: number;
  perRound?: number;
  warmup?: number;
  write?: (text: string) => void;
}

export interface ScanSerialBenchResult {
  /** Median over rounds of each round's p99, write → scan event, ms. Target ≤ serialTargetMs. */
  serialP99Ms: number;
  serialP50Ms: number;
  serialTargetMs: number;
  serialRounds: number;
  serialPerRound: number;
}

export const SERIAL_TARGET_MS = 5;

/** The benchmark cannot measure (no socat, a scan lost or changed): no figure is better than a wrong one. */
export class ScanSerialBenchAbort extends Error {}

/** A 70-byte GS1 DataMatrix scan as the scanner sends it (AIM id, GS separators), CR-terminated. */
const SCAN = ']d2' + '00340123450000000017' + '0209501101530003' + '3712\x1d' + '10LOT-2026-11-A\x1d' + '3103001250';

export async function runScanSerialBench(options: ScanSerialBenchOptions = {}): Promise<ScanSerialBenchResult> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const rounds = options.rounds ?? 5;
  const perRound = options.perRound ?? 400;
  const warmup = options.warmup ?? 100;
  if (!socatInstalled()) throw new ScanSerialBenchAbort(SOCAT_MISSING);
  if (SCAN.length !== 70) throw new ScanSerialBenchAbort(`the scan is ${SCAN.length} bytes, not 70`);

  const dir = mkdtempSync(join(tmpdir(), 'scan-serial-bench-'));
  const pair = new PtyPair(dir);
  const manager = new DeviceManager({
    scanners: scannersConfigSchema.parse([{ type: 'serial', path: pair.scannerSide, baudRate: 115200, framing: 'cr', location: 'BENCH' }]),
    logger: pino({ level: 'silent' }),
    serialReopenIntervalMs: 50,
  });
  try {
    await pair.start();
    manager.start();
    const connected = Date.now();
    while (manager.statuses()[0]?.state !== 'connected') {
      if (Date.now() - connected > 5_000) throw new ScanSerialBenchAbort(`the scanner did not connect: ${JSON.stringify(manager.statuses()[0])}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    let waiting: ((event: ScanEvent) => void) | null = null;
    manager.on('scan', (event) => waiting?.(event));
    const roundTrip = async (): Promise<number> => {
      const received = new Promise<ScanEvent>((resolve, reject) => {
        const timer = setTimeout(() => reject(new ScanSerialBenchAbort('a scan did not arrive within 1 s')), 1_000);
        waiting = (event) => {
          clearTimeout(timer);
          resolve(event);
        };
      });
      const start = process.hrtime.bigint();
      await pair.write(`${SCAN}\r`);
      const event = await received;
      const ms = elapsedMs(start);
      if (event.data !== SCAN) throw new ScanSerialBenchAbort(`the scan arrived changed: ${JSON.stringify(event.data)}`);
      return ms;
    };

    write(`scan: serial: warm-up ${warmup}, then ${rounds} rounds of ${perRound} round trips through a socat pty pair\n`);
    for (let i = 0; i < warmup; i++) await roundTrip();
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const samples: number[] = [];
      for (let i = 0; i < perRound; i++) samples.push(await roundTrip());
      p50s.push(percentile(samples, 50));
      p99s.push(percentile(samples, 99));
      write(`scan: serial round ${r + 1}: p50 ${fmtMs(p50s[r] ?? 0)}, p99 ${fmtMs(p99s[r] ?? 0)}\n`);
    }
    const result: ScanSerialBenchResult = {
      serialP99Ms: round3(median(p99s)),
      serialP50Ms: round3(median(p50s)),
      serialTargetMs: SERIAL_TARGET_MS,
      serialRounds: rounds,
      serialPerRound: perRound,
    };
    const verdict = result.serialP99Ms <= SERIAL_TARGET_MS ? 'PASS' : 'MISS';
    write(`scan: serial write → scan event p99 ${fmtMs(result.serialP99Ms)} (target ≤ ${SERIAL_TARGET_MS} ms) ${verdict}; p50 ${fmtMs(result.serialP50Ms)}\n`);
    return result;
  } finally {
    await manager.stop();
    await pair.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
