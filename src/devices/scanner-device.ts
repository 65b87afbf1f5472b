// What every scanner driver offers the device manager: scans as raw strings and its status.
import type { EventEmitter } from 'node:events';

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
