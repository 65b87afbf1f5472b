// A HID POS scanner (usage page 0x8C) found by vendor and product id. Hot-plug by polling the
// device list (default every 2 s): cheap, and works where no udev events reach the process.
// No device, no libusb, a failed open: a status, never an exception.
import type { Logger } from 'pino';
import { devicesLogger } from './devices-logger.js';
import { HID_POS_USAGE_PAGE, type HidBackend, type HidConnection, type HidDeviceInfo } from './hid-backend.js';
import { readHidPosReport, type HidPosAssembly } from './read-hid-pos-report.js';
import { ScannerBase, type ReadOutcome, type ScannerDevice } from './scanner-device.js';

/** Output reports for the scanner's good-read / bad-read indication, report id first. */
export type IndicationReports = Readonly<Record<ReadOutcome, readonly number[]>>;

/**
 * The HID POS trigger output report (report id 0x04): byte 1 bit 6 = good-read indication, bit 5 =
 * bad-read indication, as documented for scanners with the Honeywell input layout (Access-IS LSR118
 * manual, B.3). Not checked on hardware here: a scanner that refuses it is not sent it again.
 */
export const HID_POS_TRIGGER_REPORTS: IndicationReports = {
  'good-read': [0x04, 0x40],
  'bad-read': [0x04, 0x20],
};

export interface HidPosScannerOptions {
  vendorId: number;
  productId: number;
  backend: HidBackend;
  /** How often the device list is read while the scanner is absent (default 2,000 ms). */
  pollIntervalMs?: number;
  /** How long a multi-report scan may wait for its next report (default 500 ms). */
  reassemblyTimeoutMs?: number;
  /** null: the scanner has no output report; never write one. */
  indicationReports?: IndicationReports | null;
  logger?: Logger;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The scanner's HID POS interface among the devices; a composite scanner also lists its keyboard. */
export function findHidPosDevice(devices: readonly HidDeviceInfo[], vendorId: number, productId: number): HidDeviceInfo | null {
  const candidates = devices.filter((d) => d.vendorId === vendorId && d.productId === productId);
  return candidates.find((d) => d.usagePage === HID_POS_USAGE_PAGE) ?? candidates.find((d) => d.usagePage === undefined) ?? null;
}

export class HidPosScanner extends ScannerBase implements ScannerDevice {
  readonly #vendorId: number;
  readonly #productId: number;
  readonly #backend: HidBackend;
  readonly #pollIntervalMs: number;
  readonly #reassemblyTimeoutMs: number;
  #indication: IndicationReports | null;
  #running = false;
  #polling: Promise<void> | null = null;
  #pollTimer: NodeJS.Timeout | null = null;
  #connection: HidConnection | null = null;
  #connectedPath: string | null = null;
  #pending: HidPosAssembly | null = null;
  #pendingTimer: NodeJS.Timeout | null = null;

  constructor(options: HidPosScannerOptions) {
    super(`hidpos:${hex4(options.vendorId)}:${hex4(options.productId)}`, options.logger ?? devicesLogger());
    this.#vendorId = options.vendorId;
    this.#productId = options.productId;
    this.#backend = options.backend;
    this.#pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.#reassemblyTimeoutMs = options.reassemblyTimeoutMs ?? 500;
    this.#indication = options.indicationReports === undefined ? HID_POS_TRIGGER_REPORTS : options.indicationReports;
  }


  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#pollTimer = setInterval(() => this.#pollOnce(), this.#pollIntervalMs);
    this.#pollOnce();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#pollTimer !== null) clearInterval(this.#pollTimer);
    this.#pollTimer = null;
    await this.#polling;
    await this.#disconnect();
    this.setStatus({ state: 'disconnected', reason: 'stopped' });
  }

  indicate(outcome: ReadOutcome): boolean {
    const connection = this.#connection;
    const report = this.#indication?.[outcome];
    if (connection === null || report === undefined) return false;
    connection.write(report).catch((error: unknown) => {
      // The scanner has no such output report: stop sending it, the terminal's own sound remains.
      this.#indication = null;
      this.log.info({ err: error }, 'the scanner takes no indication report; beeps stay with the terminal');
    });
    return true;
  }

  /** One poll now (tests, or a hint that something was plugged in); resolves when it is done. */
  poll(): Promise<void> {
    this.#pollOnce();
    return this.#polling ?? Promise.resolve();
  }

  #pollOnce(): void {
    if (!this.#running || this.#polling !== null) return;
    this.#polling = this.#poll()
      .catch((error: unknown) => this.log.error({ err: error }, 'polling the HID devices failed'))
      .finally(() => {
        this.#polling = null;
      });
  }

  async #poll(): Promise<void> {
    let devices: HidDeviceInfo[];
    try {
      devices = await this.#backend.list();
    } catch (error) {
      const message = errorMessage(error);
      const hint = /libusb/i.test(message) ? ' (apt-get install -y libusb-1.0-0)' : '';
      this.setStatus({ state: 'error', reason: `HID devices cannot be listed: ${message}${hint}` });
      return;
    }
    if (!this.#running) return;
    const device = findHidPosDevice(devices, this.#vendorId, this.#productId);
    if (this.#connection !== null) {
      if (device?.path === this.#connectedPath) return;
      await this.#lost('unplugged');
    }
    if (device === null) {
      this.setStatus({ state: 'disconnected', reason: 'not plugged in' });
      return;
    }
    let connection: HidConnection;
    try {
      connection = await this.#backend.open(device.path);
    } catch (error) {
      const message = errorMessage(error);
      const hint = /permission|access/i.test(message) ? ': the terminal\'s user needs a udev rule for /dev/hidraw*' : '';
      this.setStatus({ state: 'error', reason: `cannot open ${device.path}: ${message}${hint}` });
      return;
    }
    if (!this.#running) {
      await connection.close().catch(() => undefined);
      return;
    }
    this.#connection = connection;
    this.#connectedPath = device.path;
    connection.onData((report) => {
      if (this.#connection === connection) this.#onReport(report);
    });
    connection.onError((error) => {
      if (this.#connection !== connection) return;
      this.log.warn({ err: error }, 'read failed');
      void this.#lost('unplugged');
    });
    this.setStatus({ state: 'connected' });
  }

  #onReport(report: Uint8Array): void {
    const step = readHidPosReport(report, this.#pending);
    this.#pending = step.pending;
    for (const outcome of step.outcomes) {
      if (outcome.ok) this.emitScan(outcome.scan.aim + outcome.scan.data);
      else this.log.warn({ code: outcome.rejection.code }, `report rejected: ${outcome.rejection.message}`);
    }
    if (this.#pendingTimer !== null) clearTimeout(this.#pendingTimer);
    this.#pendingTimer = null;
    if (this.#pending !== null) {
      this.#pendingTimer = setTimeout(() => {
        this.#pendingTimer = null;
        this.log.warn({ bytes: this.#pending?.length }, 'a multi-report scan never got its last report; dropped');
        this.#pending = null;
      }, this.#reassemblyTimeoutMs);
    }
  }

  async #lost(reason: string): Promise<void> {
    const closing = this.#disconnect(); // forgets the connection at once; the close may take longer
    if (this.#running) this.setStatus({ state: 'disconnected', reason });
    await closing;
  }

  async #disconnect(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    this.#connectedPath = null;
    this.#pending = null;
    if (this.#pendingTimer !== null) clearTimeout(this.#pendingTimer);
    this.#pendingTimer = null;
    if (connection !== null) {
      await connection.close().catch((error: unknown) => this.log.debug({ err: error }, 'closing a lost device failed'));
    }
  }


}
