// The scanners of one terminal, from its configuration: each bound to its machine location,
// all of them reported as one stream of scans and one of statuses. A scanner that fails (even
// one whose driver throws) is reported and left alone; the others go on.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { WedgeKeyEvent, WedgeOutput } from './detect-wedge-scans.js';
import { devicesLogger } from './devices-logger.js';
import type { HidBackend } from './hid-backend.js';
import { HidPosScanner } from './hid-pos-scanner.js';
import { KeyboardWedgeScanner } from './keyboard-wedge-scanner.js';
import { createNodeHidBackend } from './node-hid-backend.js';
import type { ScannerConfig, SerialScannerConfig } from './scanner-config.js';
import type { ReadOutcome, ScannerDevice, ScannerState, ScannerStatus } from './scanner-device.js';
import { SerialScanner } from './serial-scanner.js';

export interface ScanEvent {
  /** The raw scan as the scanner delivered it: AIM id (if sent) and data, one character per byte. */
  data: string;
  /** Which scanner: `serial:<path>`, `hidpos:<vendor>:<product>` (hex), `keyboard:<location>`. */
  source: string;
  location: string;
  receivedAt: string;
}

export interface DeviceStatusEvent {
  source: string;
  location: string;
  state: ScannerState;
  reason?: string;
  at: string;
}

export interface DeviceManagerEvents {
  scan: [event: ScanEvent];
  status: [event: DeviceStatusEvent];
}

export interface DeviceManagerOptions {
  /** The `scanners` of the terminal configuration, parsed by scannersConfigSchema. */
  scanners: readonly ScannerConfig[];
  /** The clock for receivedAt and status times (ISO 8601), as the terminal's context has it. */
  now?: () => string;
  logger?: Logger;
  /** Where HID POS scanners are found (default node-hid). */
  hidBackend?: HidBackend;
  /** Makes the driver of a serial entry (default SerialScanner). */
  createSerialScanner?: (config: SerialScannerConfig, logger: Logger) => ScannerDevice;
  serialReopenIntervalMs?: number;
  hidPollIntervalMs?: number;
}

interface Bound {
  device: ScannerDevice | null;
  source: string;
  location: string;
  status: ScannerStatus;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

function sourceOf(config: ScannerConfig): string {
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  if (config.type === 'serial') return `serial:${config.path}`;
  if (config.type === 'hidpos') return `hidpos:${hex4(config.vendorId)}:${hex4(config.productId)}`;
  return `keyboard:${config.location}`;
}

export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  readonly #options: DeviceManagerOptions;
  readonly #now: () => string;
  readonly #log: Logger;
  #hidBackend: HidBackend | null = null;
  #bound: Bound[] = [];
  #started = false;

  constructor(options: DeviceManagerOptions) {
    super();
    this.#options = options;
    this.#now = options.now ?? (() => new Date().toISOString());
    this.#log = options.logger ?? devicesLogger();
  }

  /** Creates and starts every configured scanner. Never throws. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const seen = new Map<string, number>();
    for (const config of this.#options.scanners) {
      const base = sourceOf(config);
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      this.#bound.push(this.#bind(config, count === 1 ? base : `${base}#${count}`));
    }
  }

  /** Stops and closes every scanner; resolves when all are closed, whatever each one does. */
  async stop(): Promise<void> {
    const bound = this.#bound;
    this.#bound = [];
    this.#started = false;
    const results = await Promise.allSettled(
      bound.map(async (b) => {
        try {
          await b.device?.stop();
        } finally {
          b.device?.removeAllListeners();
        }
      }),
    );
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') this.#log.warn({ err: result.reason, source: bound[i]?.source }, 'a scanner failed to stop');
    }
  }

  /** The current status of every configured scanner. */
  statuses(): DeviceStatusEvent[] {
    return this.#bound.map((b) => ({ source: b.source, location: b.location, ...b.status, at: this.#now() }));
  }

  /** Good-read / bad-read indication on the scanner a scan came from; false where it has none. */
  indicate(source: string, outcome: ReadOutcome): boolean {
    const device = this.#bound.find((b) => b.source === source)?.device;
    try {
      return device?.indicate(outcome) ?? false;
    } catch (error) {
      this.#log.warn({ err: error, source }, 'indication failed');
      return false;
    }
  }

  /** A keydown seen at a location, for its keyboard-wedge scanners; returns what they completed. */
  feedKey(location: string, event: WedgeKeyEvent): WedgeOutput[] {
    const outputs: WedgeOutput[] = [];
    for (const b of this.#bound) {
      if (b.location === location && b.device instanceof KeyboardWedgeScanner) outputs.push(...b.device.feed(event));
    }
    return outputs;
  }

  #bind(config: ScannerConfig, source: string): Bound {
    const bound: Bound = { device: null, source, location: config.location, status: { state: 'disconnected', reason: 'not started' } };
    const deviceLog = this.#log.child({ location: config.location }); // the device adds its source
    try {
      const device = this.#create(config, deviceLog);
      bound.device = device;
      device.on('status', (status) => this.#onStatus(bound, status));
      device.on('scan', (data) => {
        const event: ScanEvent = { data, source, location: config.location, receivedAt: this.#now() };
        this.#safely('scan', () => this.emit('scan', event));
      });
      device.start();
    } catch (error) {
      deviceLog.error({ err: error, source }, 'the scanner could not be started');
      this.#onStatus(bound, { state: 'error', reason: `the scanner could not be started: ${errorMessage(error)}` });
    }
    return bound;
  }

  #create(config: ScannerConfig, logger: Logger): ScannerDevice {
    const o = this.#options;
    switch (config.type) {
      case 'serial':
        return o.createSerialScanner
          ? o.createSerialScanner(config, logger)
          : new SerialScanner({
              path: config.path,
              baudRate: config.baudRate,
              framing: config.framing,
              logger,
              ...(o.serialReopenIntervalMs !== undefined && { reopenIntervalMs: o.serialReopenIntervalMs }),
            });
      case 'hidpos':
        this.#hidBackend ??= o.hidBackend ?? createNodeHidBackend();
        return new HidPosScanner({
          vendorId: config.vendorId,
          productId: config.productId,
          backend: this.#hidBackend,
          logger,
          ...(o.hidPollIntervalMs !== undefined && { pollIntervalMs: o.hidPollIntervalMs }),
        });
      case 'keyboard':
        return new KeyboardWedgeScanner({ location: config.location, logger });
    }
  }

  #onStatus(bound: Bound, status: ScannerStatus): void {
    bound.status = status;
    const event: DeviceStatusEvent = {
      source: bound.source,
      location: bound.location,
      state: status.state,
      ...(status.reason !== undefined && { reason: status.reason }),
      at: this.#now(),
    };
    this.#safely('status', () => this.emit('status', event));
  }

  /** A listener that throws must not reach the driver that reported the event. */
  #safely(event: keyof DeviceManagerEvents, emit: () => void): void {
    try {
      emit();
    } catch (error) {
      this.#log.error({ err: error, event }, 'a device manager listener threw');
    }
  }
}
