// What every scanner driver offers the device manager: scans as raw strings and its status.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';

export type ScannerState = 'connected' | 'disconnected' | 'error';

export interface ScannerStatus {
  state: ScannerState;
  /** Why, for a person: "not plugged in", "permission denied on /dev/hidraw3" … */
  reason?: string;
}

export interface ScannerEvents {
  /** One scan, raw: AIM id (if the scanner sends one) and data, one character per byte. */
  scan: [data: string];
  status: [status: ScannerStatus];
}

export type ReadOutcome = 'good-read' | 'bad-read';

export interface ScannerDevice extends EventEmitter<ScannerEvents> {
  /** Names the device in events and logs, e.g. `serial:/dev/serial/by-id/…`. */
  readonly source: string;
  readonly status: ScannerStatus;
  /** Starts connecting; never throws, failures become status events. */
  start(): void;
  /** Closes the device and stops reconnecting. */
  stop(): Promise<void>;
  /** Beeps/lights the scanner for the result of a scan where it can; false where it cannot. */
  indicate(outcome: ReadOutcome): boolean;
}

export const sameStatus = (a: ScannerStatus, b: ScannerStatus) => a.state === b.state && a.reason === b.reason;

/** What every driver shares: its status (emitted only when it changes), its logger, and emitting that a throwing listener cannot break. */
export abstract class ScannerBase extends EventEmitter<ScannerEvents> {
  readonly source: string;
  protected readonly log: Logger;
  #status: ScannerStatus = { state: 'disconnected', reason: 'not started' };

  protected constructor(source: string, logger: Logger) {
    super();
    this.source = source;
    this.log = logger.child({ source });
  }

  get status(): ScannerStatus {
    return this.#status;
  }

  protected emitScan(data: string): void {
    try {
      this.emit('scan', data);
    } catch (error) {
      this.log.error({ err: error }, 'a scan listener threw');
    }
  }

  protected setStatus(status: ScannerStatus): void {
    if (sameStatus(status, this.#status)) return;
    this.#status = status;
    if (status.state === 'connected') this.log.info('connected');
    else this.log.warn({ reason: status.reason }, status.state);
    try {
      this.emit('status', status);
    } catch (error) {
      this.log.error({ err: error }, 'a status listener threw');
    }
  }
}
