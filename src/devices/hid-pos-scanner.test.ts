import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeHidBackend } from './fake-hid-backend.js';
import { HidPosScanner, type HidPosScannerOptions } from './hid-pos-scanner.js';
import { encodeHidPosReports } from './read-hid-pos-report.js';
import type { ScannerStatus } from './scanner-device.js';

const HONEYWELL = { vendorId: 0x0c2e, productId: 0x0901 };
const silent = pino({ level: 'silent' });
const GS1 = '00340123450000000017' + '0209501101530003' + '3712\x1d' + '10LOT-2026-11-A\x1d' + '3103001250';

const running: HidPosScanner[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function aScanner(backend: FakeHidBackend, options: Partial<HidPosScannerOptions> = {}) {
  // A long poll interval: the tests poll by hand unless they test the timer.
  const scanner = new HidPosScanner({ ...HONEYWELL, backend, pollIntervalMs: 60_000, logger: silent, ...options });
  const scans: string[] = [];
  const statuses: ScannerStatus[] = [];
  scanner.on('scan', (data) => scans.push(data));
  scanner.on('status', (status) => statuses.push(status));
  running.push(scanner);
  return { scanner, scans, statuses };
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('HidPosScanner', () => {
  it('reports "not plugged in", connects when the scanner appears, and delivers AIM id + data', async () => {
    const backend = new FakeHidBackend();
    const { scanner, scans, statuses } = aScanner(backend);
    scanner.start();
    await scanner.poll();
    expect(statuses).toEqual([{ state: 'disconnected', reason: 'not plugged in' }]);

    const device = backend.plug(HONEYWELL);
    await scanner.poll();
    expect(scanner.status).toEqual({ state: 'connected' });
    device.scan(']d2', GS1); // two reports
    device.scan(']E0', '5901234123457', 'shifted');
    expect(scans).toEqual([`]d2${GS1}`, ']E05901234123457']);
  });

  it('finds a plugged-in scanner by itself on the poll timer', async () => {
    const backend = new FakeHidBackend();
    const { scanner } = aScanner(backend, { pollIntervalMs: 20 });
    scanner.start();
    await waitFor(() => scanner.status.reason === 'not plugged in', 1_000, 'the first poll');
    backend.plug(HONEYWELL);
    await waitFor(() => scanner.status.state === 'connected', 1_000, 'the hot-plug');
  });

  it('goes disconnected at the read error of an unplug, and the next poll after the replug reconnects', async () => {
    const backend = new FakeHidBackend();
    const { scanner, scans, statuses } = aScanner(backend);
    const first = backend.plug(HONEYWELL);
    scanner.start();
    await scanner.poll();
    backend.unplug(first);
    expect(scanner.status).toEqual({ state: 'disconnected', reason: 'unplugged' }); // at once, not at the next poll
    expect(first.isOpen).toBe(false);

    const again = backend.plug(HONEYWELL);
    await scanner.poll();
    again.scan(']E0', '4006381333931');
    expect(scans).toEqual([']E04006381333931']);
    expect(statuses.map((s) => s.state)).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('goes disconnected when the scanner leaves the device list without a read error', async () => {
    const backend = new FakeHidBackend();
    const { scanner } = aScanner(backend);
    const device = backend.plug(HONEYWELL);
    scanner.start();
    await scanner.poll();
    backend.unplug(device, { readError: false });
    await scanner.poll();
    expect(scanner.status).toEqual({ state: 'disconnected', reason: 'not plugged in' });
  });

  it('picks the HID POS interface (usage page 0x8C) of a scanner that also offers a keyboard', async () => {
    const backend = new FakeHidBackend();
    const keyboard = backend.plug({ ...HONEYWELL, usagePage: 0x01 });
    const pos = backend.plug({ ...HONEYWELL, usagePage: 0x8c });
    const { scanner } = aScanner(backend);
    scanner.start();
    await scanner.poll();
    expect([keyboard.isOpen, pos.isOpen]).toEqual([false, true]);
  });

  it('never crashes without libusb: an error status that says what to install, and it connects once listing works', async () => {
    const backend = new FakeHidBackend();
    backend.listFailure = new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory');
    backend.plug(HONEYWELL);
    const { scanner } = aScanner(backend);
    scanner.start();
    await scanner.poll();
    expect(scanner.status.state).toBe('error');
    expect(scanner.status.reason).toContain('apt-get install -y libusb-1.0-0');
    backend.listFailure = null;
    await scanner.poll();
    expect(scanner.status).toEqual({ state: 'connected' });
  });

  it('reports a device it may not open as an error with the reason', async () => {
    const backend = new FakeHidBackend();
    backend.plug(HONEYWELL);
    backend.openFailure = new Error('cannot open device with path /dev/hidraw3: Permission denied');
    const { scanner } = aScanner(backend);
    scanner.start();
    await scanner.poll();
    expect(scanner.status.state).toBe('error');
    expect(scanner.status.reason).toMatch(/Permission denied.*udev rule/);
  });

  it('rejects garbage reports without stopping: the next scan reads', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(HONEYWELL);
    const { scanner, scans } = aScanner(backend);
    scanner.start();
    await scanner.poll();
    device.report(Uint8Array.of(0x01, 0x00, 0x04)); // a keyboard report
    device.report(new Uint8Array(64).fill(0xff));
    device.scan(']E0', '5901234123457');
    expect(scans).toEqual([']E05901234123457']);
    expect(scanner.status).toEqual({ state: 'connected' });
  });

  it('drops a multi-report scan whose last report never comes', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(HONEYWELL);
    const { scanner, scans } = aScanner(backend, { reassemblyTimeoutMs: 20 });
    scanner.start();
    await scanner.poll();
    const [first] = encodeHidPosReports(']d2', GS1);
    device.report(first as Uint8Array);
    await new Promise((resolve) => setTimeout(resolve, 60));
    device.scan(']E0', '5901234123457');
    expect(scans).toEqual([']E05901234123457']);
  });

  it('beeps good read and bad read through the trigger output report', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(HONEYWELL);
    const { scanner } = aScanner(backend);
    expect(scanner.indicate('good-read')).toBe(false); // not connected yet
    scanner.start();
    await scanner.poll();
    expect(scanner.indicate('good-read')).toBe(true);
    expect(scanner.indicate('bad-read')).toBe(true);
    expect(device.writes).toEqual([[0x04, 0x40], [0x04, 0x20]]);
  });

  it('stops sending indication reports to a scanner that refuses them', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(HONEYWELL);
    device.refusesWrites = true;
    const { scanner } = aScanner(backend);
    scanner.start();
    await scanner.poll();
    expect(scanner.indicate('good-read')).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(scanner.indicate('good-read')).toBe(false);
    expect(scanner.status).toEqual({ state: 'connected' });
  });

  it('sends no indication report where the configuration says the scanner has none', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(HONEYWELL);
    const { scanner } = aScanner(backend, { indicationReports: null });
    scanner.start();
    await scanner.poll();
    expect(scanner.indicate('bad-read')).toBe(false);
    expect(device.writes).toEqual([]);
  });

  it('closes the device on stop() and polls no more', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug(HONEYWELL);
    const { scanner } = aScanner(backend, { pollIntervalMs: 10 });
    scanner.start();
    await waitFor(() => device.isOpen, 1_000, 'the open');
    await scanner.stop();
    expect(device.isOpen).toBe(false);
    const opens = backend.opens;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(backend.opens).toBe(opens);
    expect(scanner.status).toEqual({ state: 'disconnected', reason: 'stopped' });
  });
});
