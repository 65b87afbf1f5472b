// The terminal's handle on the sync: the loop runs in a worker thread (better-sqlite3 and
// merging are synchronous work), this side keeps the latest status and forwards requests.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { BackoffOptions } from './backoff.js';
import type { SyncNowResult, SyncStatus } from './sync-status.js';
import type { FromWorker, SyncWorkerData, ToWorker } from './sync-worker-protocol.js';

export interface StartSyncOptions {
  /** The terminal's SQLite file; the terminal service has opened (and migrated) it already. */
  databaseFile: string;
  /** contracts.md §6 `central`. */
  central: { url: string; token: string };
  /** The terminal the database must belong to. */
  terminalId: string;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  batchSize?: number;
  pageSize?: number;
  /** The wait after failures (default 0.5 s doubling to 30 s); tests of faults shorten it. */
  backoff?: BackoffOptions;
  /** The compiled worker module; found beside this one, or in dist/ when running from source. */
  workerUrl?: URL;
}

/** After an unexpected end of the worker, a new one starts after this long, doubling up to a minute. */
const RESTART_FIRST_MS = 1000;
const RESTART_MAX_MS = 60_000;

export class SyncHandle extends EventEmitter<{ status: [SyncStatus]; pulled: [changes: number] }> {
  private latest: SyncStatus;
  private nextId = 1;
  private readonly calls = new Map<number, { resolve: (r: SyncNowResult) => void; reject: (e: Error) => void }>();
  private stopping: Promise<void> | undefined;
  private exited = false;
  private worker: Worker;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(worker: Worker, first: SyncStatus, private readonly spawn: () => Worker) {
    super();
    this.latest = first;
    this.worker = worker;
    this.attach(worker);
  }

  /** Times the worker was started again after it crashed. */
  get restartCount(): number {
    return this.restarts;
  }

  private attach(worker: Worker): void {
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error: Error) => this.fail(`sync worker crashed: ${error.message}`));
    worker.on('exit', (code) => {
      this.exited = true;
      if (this.stopping) return;
      this.fail(`sync worker exited (code ${code})`);
      // The outbox is safe in SQLite: a new worker picks up where the old one stopped.
      const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** Math.min(this.restarts, 10));
      this.restartTimer = setTimeout(() => this.restart(), delay);
      this.restartTimer.unref();
    });
  }

  private restart(): void {
    if (this.stopping) return;
    this.restarts++;
    this.exited = false;
    this.worker = this.spawn();
    this.attach(this.worker);
  }

  status(): SyncStatus {
    return this.latest;
  }

  syncNow(): Promise<SyncNowResult> {
    if (this.exited || this.stopping) return Promise.reject(new Error('sync is stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.send({ type: 'sync-now', id });
    });
  }

  notifyPosted(): void {
    if (!this.exited && !this.stopping) this.send({ type: 'posted' });
  }

  /** Stops the loop (aborting a request in flight) and waits for the worker to close its database. */
  stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.stopping ??= this.exited
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          this.worker.once('exit', () => resolve());
          this.send({ type: 'stop' });
        });
    return this.stopping;
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'status':
        this.latest = message.status;
        this.emit('status', message.status);
        break;
      case 'pulled':
        this.emit('pulled', message.changes);
        break;
      case 'sync-now-done':
        this.calls.get(message.id)?.resolve(message.result);
        this.calls.delete(message.id);
        break;
      case 'sync-now-failed':
        this.calls.get(message.id)?.reject(new Error(message.message));
        this.calls.delete(message.id);
        break;
      case 'failed':
        this.fail(message.message);
        break;
      case 'stopped':
        break;
    }
  }

  private fail(message: string): void {
    for (const call of this.calls.values()) call.reject(new Error(message));
    this.calls.clear();
    this.latest = { ...this.latest, online: false, lastError: message };
    this.emit('status', this.latest);
  }
}

/** Starts the sync worker; resolves once it has opened the database and reported its first status. */
export function startSync(options: StartSyncOptions): Promise<SyncHandle> {
  const data: SyncWorkerData = {
    databaseFile: options.databaseFile, terminalId: options.terminalId, central: options.central,
    pollIntervalMs: options.pollIntervalMs, requestTimeoutMs: options.requestTimeoutMs, batchSize: options.batchSize, pageSize: options.pageSize,
    backoff: options.backoff,
  };
  const spawn = () => new Worker(options.workerUrl ?? workerModule(), { workerData: data, name: `sync ${options.terminalId}` });
  const worker = spawn();
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (message.type === 'status') {
        done();
        resolve(new SyncHandle(worker, message.status, spawn));
      } else if (message.type === 'failed') {
        done();
        reject(new Error(message.message));
      }
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`sync worker exited before it started (code ${code})`));
    };
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function workerModule(): URL {
  const beside = new URL('./sync-worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  // Running from the TypeScript sources (vitest): a worker needs JavaScript, so it runs the build's twin.
  const built = new URL('../../dist/src/sync/sync-worker.js', import.meta.url);
  if (existsSync(built)) return built;
  throw new Error('the sync worker is not built: run `npm run build`');
}
