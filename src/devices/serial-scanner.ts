// A scanner on a serial port (serialport): opens the port, cuts the byte stream into scans,
// and keeps trying to reopen it after an unplug or a failed open, once per reopen interval.
import type { Logger } from 'pino';
import { SerialPort } from 'serialport';
import { devicesLogger } from './devices-logger.js';
import { FrameSplitter, type SerialFraming } from './frame-splitter.js';
import { ScannerBase, type ReadOutcome, type ScannerDevice, type ScannerStatus } from './scanner-device.js';

export interface SerialScannerOptions {
  /** Prefer /dev/serial/by-id/…: it still names this scanner after a replug. */
  path: string;
  baudRate: number;
  framing?: SerialFraming;
  /** How long after an unplug or a failed open the port is tried again (default 1,000 ms). */
  reopenIntervalMs?: number;
  logger?: Logger;
}

/** serialport marks the close after an unplug with `disconnected` on the error it passes. */
type CloseError = (Error & { disconnected?: boolean }) | null | undefined;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What a failed open means for a person at the machine. */
function openFailure(path: string, error: unknown): ScannerStatus {
  const message = errorMessage(error);
  if (/ENOENT|no such file/i.test(message)) return { state: 'disconnected', reason: `not plugged in (${path} does not exist)` };
  if (/EACCES|permission denied/i.test(message)) {
    return { state: 'error', reason: `permission denied on ${path}: the terminal's user needs the group dialout` };
  }
  if (/EBUSY|resource busy|cannot lock/i.test(message)) return { state: 'error', reason: `${path} is in use by another program` };
  return { state: 'error', reason: `cannot open ${path}: ${message}` };
}

export class SerialScanner extends ScannerBase implements ScannerDevice {
  readonly #path: string;
  readonly #baudRate: number;
  readonly #framing: SerialFraming;
  readonly #reopenIntervalMs: number;
  readonly #splitter: FrameSplitter;
  #port: SerialPort | null = null;
  #reopenTimer: NodeJS.Timeout | null = null;
  #frameTimer: NodeJS.Timeout | null = null;
  #running = false;

  constructor(options: SerialScannerOptions) {
    super(`serial:${options.path}`, options.logger ?? devicesLogger());
    this.#path = options.path;
    this.#baudRate = options.baudRate;
    this.#framing = options.framing ?? 'cr';
    this.#reopenIntervalMs = options.reopenIntervalMs ?? 1_000;
    this.#splitter = new FrameSplitter(this.#framing);
  }


  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#open();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimers();
    const port = this.#port;
    this.#port = null;
    this.#splitter.flush();
    if (port !== null && port.isOpen) {
      await new Promise<void>((resolve) => {
        port.close((error) => {
          if (error) this.log.warn({ err: error }, 'closing the port failed');
          resolve();
        });
      });
    }
    port?.removeAllListeners('data');
    this.setStatus({ state: 'disconnected', reason: 'stopped' });
  }

  indicate(_outcome: ReadOutcome): boolean {
    // Serial scanners have no common command for a beep; they beep on their own when they read.
    return false;
  }

  #open(): void {
    if (!this.#running || this.#port !== null) return;
    let port: SerialPort;
    try {
      port = new SerialPort({ path: this.#path, baudRate: this.#baudRate, autoOpen: false });
    } catch (error) {
      this.setStatus({ state: 'error', reason: `cannot use ${this.#path}: ${errorMessage(error)}` });
      this.#scheduleReopen();
      return;
    }
    this.#port = port;
    port.on('data', (chunk: Buffer) => this.#onData(port, chunk));
    port.on('error', (error: Error) => this.#onError(port, error));
    port.on('close', (error: CloseError) => this.#onClose(port, error));
    port.open((error) => {
      if (this.#port !== port) {
        if (!error) port.close(() => undefined);
        return;
      }
      if (error) {
        this.#port = null;
        port.removeAllListeners('data');
        const failure = openFailure(this.#path, error);
        // Still gone after an unplug: keep "unplugged" rather than report every retry.
        const stillGone = failure.state === 'disconnected' && this.status.state === 'disconnected' && this.status.reason === 'unplugged';
        if (!stillGone) this.setStatus(failure);
        this.#scheduleReopen();
        return;
      }
      this.setStatus({ state: 'connected' });
    });
  }

  #onData(port: SerialPort, chunk: Buffer): void {
    if (this.#port !== port) return;
    for (const frame of this.#splitter.push(chunk)) this.emitScan(frame);
    if (typeof this.#framing === 'object' && this.#splitter.hasPartial) {
      if (this.#frameTimer !== null) this.#frameTimer.refresh();
      else {
        this.#frameTimer = setTimeout(() => {
          this.#frameTimer = null;
          const frame = this.#splitter.flush();
          if (frame !== null) this.emitScan(frame);
        }, this.#framing.interByteTimeoutMs);
      }
    }
  }

  #onError(port: SerialPort, error: Error): void {
    if (this.#port !== port) return;
    this.log.warn({ err: error }, 'serial port error');
    if (!port.isOpen) {
      this.#port = null;
      this.setStatus({ state: 'error', reason: error.message });
      this.#scheduleReopen();
    }
  }

  #onClose(port: SerialPort, error: CloseError): void {
    port.removeAllListeners('data');
    if (this.#port !== port) return;
    this.#port = null;
    // A scan cut by the unplug is incomplete: drop it rather than deliver half a barcode.
    if (this.#frameTimer !== null) clearTimeout(this.#frameTimer);
    this.#frameTimer = null;
    this.#splitter.flush();
    if (!this.#running) return;
    this.setStatus({ state: 'disconnected', reason: error?.disconnected ? 'unplugged' : 'the port was closed' });
    this.#scheduleReopen();
  }

  #scheduleReopen(): void {
    if (!this.#running || this.#reopenTimer !== null) return;
    this.#reopenTimer = setTimeout(() => {
      this.#reopenTimer = null;
      this.#open();
    }, this.#reopenIntervalMs);
  }

  #clearTimers(): void {
    if (this.#reopenTimer !== null) clearTimeout(this.#reopenTimer);
    if (this.#frameTimer !== null) clearTimeout(this.#frameTimer);
    this.#reopenTimer = null;
    this.#frameTimer = null;
  }


}
