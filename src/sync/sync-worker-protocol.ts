// The messages between the terminal's main thread (start-sync.ts) and the sync worker (sync-worker.ts).
import type { BackoffOptions } from './backoff.js';
import type { SyncNowResult, SyncStatus } from './sync-status.js';

export interface SyncWorkerData {
  databaseFile: string;
  terminalId: string;
  central: { url: string; token: string };
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  batchSize?: number;
  pageSize?: number;
  backoff?: BackoffOptions;
}

export type ToWorker = { type: 'sync-now'; id: number } | { type: 'posted' } | { type: 'stop' };

export type FromWorker =
  | { type: 'status'; status: SyncStatus }
  /** A pull brought changes from the central: stock the screens show may have changed. */
  | { type: 'pulled'; changes: number }
  | { type: 'sync-now-done'; id: number; result: SyncNowResult }
  | { type: 'sync-now-failed'; id: number; message: string }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };
