import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceManager, type DeviceStatusEvent, type ScanEvent } from './device-manager.js';
import { FakeHidBackend } from './fake-hid-backend.js';
import { scannersConfigSchema, type ScannerConfigInput } from './scanner-config.js';
import type { ScannerEvents, ScannerStatus } from './scanner-device.js';
import { SerialScanner } from './serial-scanner.js';

const silent = pino({ level: 'silent' });
const managers: DeviceManager[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A serial scanner driver that behaves: started/stopped, and scans when the test sends one. */
class FakeSerialScanner extends EventEmitter<ScannerEvents> {
  readonly source: string;
  status: ScannerStatus = { state: 'disconnected', reason: 'not started' };
  stopped = false;
  constructor(path: string) {
    super();
    this.source = `serial:${path}`;
  }
  start(): void {
    this.status = { state: 'connected' };
    this.emit('status', this.status);
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
  indicate(): boolean {
    return false;
  }
  send(data: string): void {
    if (!this.stopped) this.emit('scan', data);
  }
}

function aClock() {
  let t = Date.UTC(2026, 10, 3, 6, 0, 0);
  return () => new Date((t += 1_000)).toISOString();
}

describe('scannersConfigSchema', () => {
  it('reads the scanners of contracts.md §6, with framing cr by default', () => {
    const input: ScannerConfigInput[] = [
      { type: 'serial', path: '/dev/serial/by-id/usb-Honeywell-if00', baudRate: 115200, location: 'ML-LID1' },
      { type: 'hidpos', vendorId: 3118, productId: 2305, location: 'ML-LID1' },
      { type: 'keyboard', location: 'ML-LID1' },
    ];
    expect(scannersConfigSchema.parse(input)).toEqual([{ ...input[0], framing: 'cr' }, input[1], input[2]]);
  });

  it('takes each framing', () => {
    for (const framing of ['cr', 'lf', 'crlf', 'stx-etx', { interByteTimeoutMs: 30 }] as const) {
      const parsed = scannersConfigSchema.parse([{ type: 'serial', path: '/dev/ttyACM0', baudRate: 9600, framing, location: 'L' }]);
      expect(parsed[0]).toMatchObject({ framing });
    }
  });

  it.each([
    ['an unknown type', { type: 'bluetooth', location: 'L' }, [0, 'type']],
    ['a missing location', { type: 'keyboard' }, [0, 'location']],
    ['a vendor id beyond 16 bits', { type: 'hidpos', vendorId: 70_000, productId: 1, location: 'L' }, [0, 'vendorId']],
    ['an unknown framing', { type: 'serial', path: '/dev/x', baudRate: 9600, framing: 'etx', location: 'L' }, [0, 'framing']],
    ['an unknown field', { type: 'keyboard', location: 'L', layout: 'de' }, [0]],
  ])('refuses %s, naming the path', (_, entry, path) => {
    const result = scannersConfigSchema.safeParse([entry]);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });
});

describe('DeviceManager', () => {
  it('binds each scanner to its location; scans carry data, source, location and the injected time', async () => {
    const backend = new FakeHidBackend();
    const press = backend.plug({ vendorId: 0x0c2e, productId: 0x0901 });
    const serials: FakeSerialScanner[] = [];
    const manager = new DeviceManager({
      scanners: scannersConfigSchema.parse([
        { type: 'hidpos', vendorId: 0x0c2e, productId: 0x0901, location: 'ML-PRESS1' },
        { type: 'serial', path: '/dev/serial/by-id/usb-Honeywell-if00', baudRate: 115200, location: 'ML-LID1' },
        { type: 'keyboard', location: 'WH-01' },
      ]),
      now: aClock(),
      logger: silent,
      hidBackend: backend,
      hidPollIntervalMs: 10,
      createSerialScanner: (config) => {
        const scanner = new FakeSerialScanner(config.path);
        serials.push(scanner);
        return scanner;
      },
    });
    managers.push(manager);
    const scans: ScanEvent[] = [];
    manager.on('scan', (scan) => scans.push(scan));
    manager.start();
    await waitFor(() => press.isOpen, 1_000, 'the HID scanner to open');

    press.scan(']E0', '5901234123457');
    serials[0]?.send(']C100340123450000000017');
    const keys = [...'4711'].map((d, i) => ({ code: `Digit${d}`, key: d, ctrlKey: false, shiftKey: false, timeStamp: 100 + 8 * i }));
    for (const key of [...keys, { code: 'Enter', key: 'Enter', ctrlKey: false, shiftKey: false, timeStamp: 140 }]) manager.feedKey('WH-01', key);
    manager.feedKey('ML-LID1', { code: 'Digit1', key: '1', ctrlKey: false, shiftKey: false, timeStamp: 200 }); // no keyboard there

    expect(scans.map(({ receivedAt: _, ...rest }) => rest)).toEqual([
      { data: ']E05901234123457', source: 'hidpos:0c2e:0901', location: 'ML-PRESS1' },
      { data: ']C100340123450000000017', source: 'serial:/dev/serial/by-id/usb-Honeywell-if00', location: 'ML-LID1' },
      { data: '4711', source: 'keyboard:WH-01', location: 'WH-01' },
    ]);
    expect(scans.every((s) => /^2026-11-03T06:\d\d:\d\d\.000Z$/.test(s.receivedAt))).toBe(true);
    expect(manager.statuses().map((s) => [s.source, s.state])).toEqual([
      ['hidpos:0c2e:0901', 'connected'],
      ['serial:/dev/serial/by-id/usb-Honeywell-if00', 'connected'],
      ['keyboard:WH-01', 'connected'],
    ]);
  });

  it('keeps the others going when a scanner fails: a driver that throws, one that is absent, one unplugged', async () => {
    const backend = new FakeHidBackend();
    const dir = mkdtempSync(join(tmpdir(), 'devices-'));
    dirs.push(dir);
    const present = backend.plug({ vendorId: 0x05e0, productId: 0x1200 });
    const manager = new DeviceManager({
      scanners: scannersConfigSchema.parse([
        { type: 'serial', path: '/dev/serial/by-id/broken', baudRate: 9600, location: 'ML-A' },
        { type: 'serial', path: join(dir, 'no-such-tty'), baudRate: 9600, location: 'ML-B' },
        { type: 'hidpos', vendorId: 0x0c2e, productId: 0x0901, location: 'ML-C' },
        { type: 'hidpos', vendorId: 0x05e0, productId: 0x1200, location: 'ML-D' },
      ]),
      now: aClock(),
      logger: silent,
      hidBackend: backend,
      hidPollIntervalMs: 10,
      serialReopenIntervalMs: 20,
      createSerialScanner: (config, logger) => {
        if (config.path.endsWith('broken')) throw new Error('driver bug');
        return new SerialScanner({ ...config, logger, reopenIntervalMs: 20 });
      },
    });
    managers.push(manager);
    const statuses: DeviceStatusEvent[] = [];
    const scans: ScanEvent[] = [];
    manager.on('status', (status) => statuses.push(status));
    manager.on('scan', (scan) => scans.push(scan));
    manager.on('scan', () => {
      throw new Error('a listener with a bug');
    });
    manager.start();
    await waitFor(() => present.isOpen, 1_000, 'the present HID scanner');

    const state = (source: string) => manager.statuses().find((s) => s.source === source);
    expect(state('serial:/dev/serial/by-id/broken')).toMatchObject({ state: 'error', reason: 'the scanner could not be started: driver bug' });
    expect(state('hidpos:0c2e:0901')).toMatchObject({ state: 'disconnected', reason: 'not plugged in' });
    expect(state('hidpos:05e0:1200')).toMatchObject({ state: 'connected' });
    await waitFor(() => state(`serial:${join(dir, 'no-such-tty')}`)?.reason !== 'not started', 2_000, 'the serial open');
    expect(state(`serial:${join(dir, 'no-such-tty')}`)).toMatchObject({ state: 'disconnected', reason: expect.stringMatching(/^not plugged in/) as unknown });

    present.scan(']E0', '4006381333931');
    present.scan(']E0', '5901234123457'); // the throwing listener did not break the driver
    expect(scans.map((s) => [s.data, s.location])).toEqual([[']E04006381333931', 'ML-D'], [']E05901234123457', 'ML-D']]);

    backend.unplug(present);
    expect(state('hidpos:05e0:1200')).toMatchObject({ state: 'disconnected', reason: 'unplugged' });
    expect(statuses.filter((s) => s.location === 'ML-D').map((s) => s.state)).toEqual(['connected', 'disconnected']);
  });

  it('reports a serial scanner whose port does not exist as not plugged in and keeps trying', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devices-'));
    dirs.push(dir);
    const path = join(dir, 'ttyACM9');
    const manager = new DeviceManager({
      scanners: scannersConfigSchema.parse([{ type: 'serial', path, baudRate: 9600, location: 'ML-B' }]),
      logger: silent,
      serialReopenIntervalMs: 20,
    });
    managers.push(manager);
    manager.start();
    await waitFor(() => manager.statuses()[0]?.state === 'disconnected' && manager.statuses()[0]?.reason !== 'not started', 2_000, 'the first open');
    expect(manager.statuses()[0]).toMatchObject({ source: `serial:${path}`, state: 'disconnected', reason: `not plugged in (${path} does not exist)` });
  });

  it('beeps on the scanner a scan came from, and nowhere else', async () => {
    const backend = new FakeHidBackend();
    const a = backend.plug({ vendorId: 0x0c2e, productId: 0x0901 });
    const b = backend.plug({ vendorId: 0x0c2e, productId: 0x0b01 });
    const manager = new DeviceManager({
      scanners: scannersConfigSchema.parse([
        { type: 'hidpos', vendorId: 0x0c2e, productId: 0x0901, location: 'ML-A' },
        { type: 'hidpos', vendorId: 0x0c2e, productId: 0x0b01, location: 'ML-B' },
        { type: 'keyboard', location: 'ML-A' },
      ]),
      logger: silent,
      hidBackend: backend,
      hidPollIntervalMs: 10,
    });
    managers.push(manager);
    manager.start();
    await waitFor(() => a.isOpen && b.isOpen, 1_000, 'both scanners');
    expect(manager.indicate('hidpos:0c2e:0b01', 'bad-read')).toBe(true);
    expect(manager.indicate('keyboard:ML-A', 'good-read')).toBe(false);
    expect(manager.indicate('serial:/dev/nothing', 'good-read')).toBe(false);
    expect([a.writes, b.writes]).toEqual([[], [[0x04, 0x20]]]);
  });

  it('stop() closes every scanner; nothing is delivered afterwards', async () => {
    const backend = new FakeHidBackend();
    const device = backend.plug({ vendorId: 0x0c2e, productId: 0x0901 });
    const serial = new FakeSerialScanner('/dev/ttyUSB0');
    const manager = new DeviceManager({
      scanners: scannersConfigSchema.parse([
        { type: 'hidpos', vendorId: 0x0c2e, productId: 0x0901, location: 'ML-A' },
        { type: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, location: 'ML-A' },
      ]),
      logger: silent,
      hidBackend: backend,
      hidPollIntervalMs: 10,
      createSerialScanner: () => serial,
    });
    const scans: ScanEvent[] = [];
    manager.on('scan', (scan) => scans.push(scan));
    manager.start();
    await waitFor(() => device.isOpen, 1_000, 'the HID scanner');
    await manager.stop();
    expect(device.isOpen).toBe(false);
    expect(serial.stopped).toBe(true);
    serial.send('late');
    expect(scans).toEqual([]);
    expect(manager.statuses()).toEqual([]);
  });

  it('ends an AIM-prefixed keyboard scan without Enter after the pause', async () => {
    const manager = new DeviceManager({ scanners: scannersConfigSchema.parse([{ type: 'keyboard', location: 'WH-01' }]), logger: silent });
    managers.push(manager);
    const scans: string[] = [];
    manager.on('scan', (scan) => scans.push(scan.data));
    manager.start();
    const t0 = performance.now();
    const keys: [string, boolean][] = [['BracketRight', false], ['KeyE', true], ['Digit0', false], ['Digit4', false], ['Digit0', false], ['Digit0', false], ['Digit6', false]];
    keys.forEach(([code, shiftKey], i) => manager.feedKey('WH-01', { code, key: '?', ctrlKey: false, shiftKey, timeStamp: t0 + 6 * i }));
    expect(scans).toEqual([]);
    await waitFor(() => scans.length === 1, 1_000, 'the pause to end the scan');
    expect(scans).toEqual([']E04006']);
  });

  it('names a scanner configured twice apart', () => {
    const manager = new DeviceManager({
      scanners: scannersConfigSchema.parse([{ type: 'keyboard', location: 'L' }, { type: 'keyboard', location: 'L' }]),
      logger: silent,
    });
    managers.push(manager);
    manager.start();
    expect(manager.statuses().map((s) => s.source)).toEqual(['keyboard:L', 'keyboard:L#2']);
  });
});
