// HID devices that behave like scanners, without hardware: they appear in the list, send
// scanned-data reports, record output reports, and can be unplugged. For tests and demos.
import { EventEmitter } from 'node:events';
import type { HidBackend, HidConnection, HidDeviceInfo } from './hid-backend.js';
import { encodeHidPosReports, type HidPosLayout } from './read-hid-pos-report.js';

interface FakeConnectionEvents {
  data: [report: Uint8Array];
  error: [error: Error];
}

export class FakeHidDevice extends EventEmitter<FakeConnectionEvents> {
  readonly info: HidDeviceInfo;
  /** Output reports written to this device (beeps), in order. */
  readonly writes: number[][] = [];
  /** Whether output reports are refused, as by a scanner without one. */
  refusesWrites = false;
  #openConnections = 0;

  constructor(info: HidDeviceInfo) {
    super();
    this.info = info;
  }

  get isOpen(): boolean {
    return this.#openConnections > 0;
  }

  /** Sends one raw input report to whoever has the device open. */
  report(report: Uint8Array): void {
    this.emit('data', report);
  }

  /** Sends one scan as the reports a scanner of that layout makes. */
  scan(aim: string, data: string, layout: HidPosLayout = 'honeywell'): void {
    for (const report of encodeHidPosReports(aim, data, { layout })) this.report(report);
  }

  connect(): HidConnection {
    this.#openConnections++;
    let open = true;
    const listeners: { data: ((report: Uint8Array) => void)[]; error: ((error: Error) => void)[] } = { data: [], error: [] };
    const onData = (report: Uint8Array) => listeners.data.forEach((l) => l(report));
    const onError = (error: Error) => listeners.error.forEach((l) => l(error));
    this.on('data', onData);
    this.on('error', onError);
    const close = () => {
      if (!open) return;
      open = false;
      this.#openConnections--;
      this.off('data', onData);
      this.off('error', onError);
    };
    return {
      onData: (listener) => void listeners.data.push(listener),
      onError: (listener) => void listeners.error.push(listener),
      write: (report) => {
        if (!open) return Promise.reject(new Error('the device is closed'));
        if (this.refusesWrites) return Promise.reject(new Error('Cannot write to hid device'));
        this.writes.push([...report]);
        return Promise.resolve();
      },
      close: () => {
        close();
        return Promise.resolve();
      },
    };
  }
}

export class FakeHidBackend implements HidBackend {
  readonly #devices = new Map<string, FakeHidDevice>();
  /** When set, list() fails with it, as node-hid does without libusb. */
  listFailure: Error | null = null;
  /** When set, open() fails with it (e.g. permission denied on /dev/hidraw*). */
  openFailure: Error | null = null;
  opens = 0;
  #plugged = 0;

  /** Plugs a device in; it shows in the next list(). */
  plug(info: Partial<HidDeviceInfo> & Pick<HidDeviceInfo, 'vendorId' | 'productId'>): FakeHidDevice {
    const device = new FakeHidDevice({ path: `/dev/hidraw-fake${this.#plugged++}`, usagePage: 0x8c, ...info });
    this.#devices.set(device.info.path, device);
    return device;
  }

  /** Pulls a device out: open connections get a read error (unless `readError` is false), the list no longer shows it. */
  unplug(device: FakeHidDevice, { readError = true }: { readError?: boolean } = {}): void {
    this.#devices.delete(device.info.path);
    // An EventEmitter throws an 'error' nobody listens to; a device nobody opened has no reader to fail.
    if (readError && device.listenerCount('error') > 0) device.emit('error', new Error('could not read from HID device'));
  }

  list(): Promise<HidDeviceInfo[]> {
    if (this.listFailure) return Promise.reject(this.listFailure);
    return Promise.resolve([...this.#devices.values()].map((d) => ({ ...d.info })));
  }

  open(path: string): Promise<HidConnection> {
    if (this.openFailure) return Promise.reject(this.openFailure);
    const device = this.#devices.get(path);
    if (!device) return Promise.reject(new Error(`cannot open device with path ${path}`));
    this.opens++;
    return Promise.resolve(device.connect());
  }
}
