// The serial scanner driver against real pseudo-terminals (socat): framings, a burst of 1,000
// scans, and unplug/replug as quality.md's "Scanner unplug" asks (gone within 1 s, back within
// 2 s after the scanner returns, the next scan works).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SerialFraming } from '../../src/devices/frame-splitter.js';
import type { ScannerStatus } from '../../src/devices/scanner-device.js';
import { SerialScanner } from '../../src/devices/serial-scanner.js';
import { PtyPair, SOCAT_MISSING, socatInstalled } from '../bench/scan-serial.js';
import { missingSystemPart } from '../fixtures/missing-system-part.js';

const silent = pino({ level: 'silent' });
const hasSocat = socatInstalled();

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - start;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Without socat: one failing line that says what to install.
if (!hasSocat) {
  describe('serial scanner through socat', () => {
    it('needs socat', () => {
      throw missingSystemPart(SOCAT_MISSING);
    });
  });
}

const suite = hasSocat ? describe : null;

suite?.('serial scanner through socat', () => {
  let dir: string;
  let pair: PtyPair;
  let scanner: SerialScanner | null;
  let scans: string[];
  let statuses: (ScannerStatus & { at: number })[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'serial-scanner-'));
    pair = new PtyPair(dir);
    scanner = null;
    scans = [];
    statuses = [];
    await pair.start();
  });

  afterEach(async () => {
    await scanner?.stop();
    await pair.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connect(framing: SerialFraming, reopenIntervalMs?: number): Promise<SerialScanner> {
    const s = new SerialScanner({ path: pair.scannerSide, baudRate: 115200, framing, logger: silent, ...(reopenIntervalMs !== undefined && { reopenIntervalMs }) });
    s.on('scan', (data) => scans.push(data));
    s.on('status', (status) => statuses.push({ ...status, at: performance.now() }));
    scanner = s;
    s.start();
    await waitFor(() => s.status.state === 'connected', 3_000, 'the port to open');
    return s;
  }

  const GS1 = ']d2' + '0104012345678901' + '10LOT-2026-11-A\x1d' + '3103001250';
  const EAN = ']E05901234123457';

  it.each<[string, SerialFraming, string]>([
    ['cr', 'cr', `${GS1}\r${EAN}\r`],
    ['lf', 'lf', `${GS1}\n${EAN}\n`],
    ['crlf', 'crlf', `${GS1}\r\n${EAN}\r\n`],
    ['stx-etx', 'stx-etx', `\x02${GS1}\x03\x02${EAN}\x03`],
  ])('reads scans framed by %s', async (_, framing, stream) => {
    await connect(framing);
    await pair.write(stream);
    await waitFor(() => scans.length === 2, 2_000, 'two scans');
    expect(scans).toEqual([GS1, EAN]);
  });

  it('reads scans framed by an inter-byte timeout', async () => {
    await connect({ interByteTimeoutMs: 30 });
    await pair.write(GS1);
    await waitFor(() => scans.length === 1, 2_000, 'the first scan');
    await pair.write(EAN);
    await waitFor(() => scans.length === 2, 2_000, 'the second scan');
    expect(scans).toEqual([GS1, EAN]);
  });

  it('delivers 1,000 scans written in one burst complete and in order', async () => {
    await connect('cr');
    const sent = Array.from({ length: 1_000 }, (_, i) => `]C1${'00'}${String(340123450000000000n + BigInt(i)).padStart(18, '0')}\x1d10B${i}`);
    await pair.write(sent.map((s) => `${s}\r`).join(''));
    await waitFor(() => scans.length >= 1_000, 10_000, '1,000 scans');
    await sleep(50); // nothing more may come
    expect(scans).toHaveLength(1_000);
    expect(scans).toEqual(sent);
  });

  it('goes disconnected within 1 s of an unplug, reconnects within 2 s of the replug, and the next scan arrives', async () => {
    const s = await connect('cr');
    await pair.write(`${EAN}\r`);
    await waitFor(() => scans.length === 1, 2_000, 'the scan before the unplug');

    await pair.kill();
    const goneAfter = await waitFor(() => s.status.state === 'disconnected', 1_000, 'the disconnected status');
    expect(s.status).toEqual({ state: 'disconnected', reason: 'unplugged' });
    await sleep(1_500); // a few reopen attempts against a missing port
    expect(s.status.state).toBe('disconnected');

    await pair.start();
    const backAfter = await waitFor(() => s.status.state === 'connected', 2_000, 'the reconnection');
    await pair.write(`${GS1}\r`);
    await waitFor(() => scans.length === 2, 2_000, 'the scan after the replug');
    expect(scans).toEqual([EAN, GS1]);
    expect(statuses.map((x) => x.state)).toEqual(['connected', 'disconnected', 'connected']);
    expect(goneAfter).toBeLessThan(1_000);
    expect(backAfter).toBeLessThan(2_000);
    console.info(`serial unplug: disconnected ${goneAfter.toFixed(1)} ms after socat ended; replug: connected ${backAfter.toFixed(1)} ms after the links were back`);
  });

  it('connects to a scanner that is plugged in after the terminal started', async () => {
    await pair.kill();
    const s = new SerialScanner({ path: pair.scannerSide, baudRate: 9600, logger: silent });
    scanner = s;
    s.on('scan', (data) => scans.push(data));
    s.start();
    await waitFor(() => s.status.state === 'disconnected' && s.status.reason !== 'not started', 2_000, 'the failed first open');
    expect(s.status.reason).toMatch(/^not plugged in/);
    await pair.start();
    await waitFor(() => s.status.state === 'connected', 2_000, 'the late connection');
    await pair.write(`${EAN}\r`);
    await waitFor(() => scans.length === 1, 2_000, 'the scan');
    expect(scans).toEqual([EAN]);
  });
});
