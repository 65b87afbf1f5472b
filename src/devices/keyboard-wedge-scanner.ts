// A keyboard-wedge scanner as a device: whoever sees the key events (the renderer, over the
// terminal's API) feeds them in; detect-wedge-scans.ts decides what is a scan.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { DEFAULT_WEDGE_OPTIONS, EMPTY_WEDGE_STATE, feedWedgeKey, flushWedge, type WedgeKeyEvent, type WedgeOptions, type WedgeOutput, type WedgeState } from './detect-wedge-scans.js';
import { devicesLogger } from './devices-logger.js';
import type { ReadOutcome, ScannerDevice, ScannerEvents, ScannerStatus } from './scanner-device.js';

export interface KeyboardWedgeScannerOptions {
  location: string;
  wedge?: WedgeOptions;
  logger?: Logger;
}

export class KeyboardWedgeScanner extends EventEmitter<ScannerEvents> implements ScannerDevice {
  readonly source: string;
  readonly #options: WedgeOptions;
  readonly #log: Logger;
  #state: WedgeState = EMPTY_WEDGE_STATE;
  #status: ScannerStatus = { state: 'disconnected', reason: 'not started' };
  #pauseTimer: NodeJS.Timeout | null = null;

  constructor(options: KeyboardWedgeScannerOptions) {
    super();
    this.source = `keyboard:${options.location}`;
    this.#options = options.wedge ?? DEFAULT_WEDGE_OPTIONS;
    this.#log = (options.logger ?? devicesLogger()).child({ source: this.source });
  }

  get status(): ScannerStatus {
    return this.#status;
  }

  start(): void {
    // A keyboard cannot be seen from here; it counts as there while the terminal runs.
    this.#setStatus({ state: 'connected' });
  }

  stop(): Promise<void> {
    if (this.#pauseTimer !== null) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = null;
    this.#state = EMPTY_WEDGE_STATE;
    this.#setStatus({ state: 'disconnected', reason: 'stopped' });
    return Promise.resolve();
  }

  indicate(_outcome: ReadOutcome): boolean {
    return false;
  }

  /** One keydown; `timeStamp` on the same clock as the others. Returns what it completed. */
  feed(event: WedgeKeyEvent): WedgeOutput[] {
    if (this.#status.state !== 'connected') return [];
    const step = feedWedgeKey(this.#state, event, this.#options);
    this.#state = step.state;
    this.#handle(step.outputs);
    if (this.#pauseTimer !== null) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = null;
    if (this.#state.pending.length > 0) {
      const last = event.timeStamp;
      // An AIM-prefixed scan without Enter ends with the pause; the timer stands in for the next key.
      this.#pauseTimer = setTimeout(() => {
        this.#pauseTimer = null;
        const flushed = flushWedge(this.#state, last + this.#options.pauseMs + 1, this.#options);
        this.#state = flushed.state;
        this.#handle(flushed.outputs);
      }, this.#options.pauseMs + 1);
    }
    return step.outputs;
  }

  #handle(outputs: readonly WedgeOutput[]): void {
    for (const output of outputs) {
      if (output.kind !== 'scan') continue;
      try {
        this.emit('scan', output.data);
      } catch (error) {
        this.#log.error({ err: error }, 'a scan listener threw');
      }
    }
  }

  #setStatus(status: ScannerStatus): void {
    if (status.state === this.#status.state && status.reason === this.#status.reason) return;
    this.#status = status;
    try {
      this.emit('status', status);
    } catch (error) {
      this.#log.error({ err: error }, 'a status listener threw');
    }
  }
}
