// The sync's schedule: push then pull, one round at a time; again at once after a local
// posting when online, every poll interval when idle, after a jittered backoff when failing.
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { CentralClient } from './central-client.js';
import { pullOnce } from './pull-once.js';
import { pushOnce } from './push-once.js';
import { pendingCount, readSyncState } from './read-sync-state.js';
import { syncLogger } from './sync-logger.js';
import type { SyncNowResult, SyncStatus } from './sync-status.js';

export interface SyncLoopOptions {
  db: Database;
  client: CentralClient;
  now: () => string;
  /** [0, 1), for the backoff's jitter. */
  random: () => number;
  /** How often to look for the central's changes when nothing else triggers a round; default 5 s. */
  pollIntervalMs?: number;
  backoff?: BackoffOptions;
  batchSize?: number;
  pageSize?: number;
  logger?: Logger;
  onStatus?: (status: SyncStatus) => void;
  /** After a pull that brought changes (their number). */
  onPulled?: (changes: number) => void;
}

const noop = () => undefined;

export class SyncLoop {
  private online = false;
  private lastError: string | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running = false;
  /** A posting came while a round ran: run another right after. */
  private again = false;
  private tail: Promise<unknown> = Promise.resolve();
  private waiting: Promise<SyncNowResult> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: SyncLoopOptions) {
    this.log = options.logger ?? syncLogger();
  }

  /** Starts the first round now. */
  start(): void {
    this.schedule(0);
  }

  status(): SyncStatus {
    const stored = readSyncState(this.options.db);
    const status: SyncStatus = { online: this.online, pending: pendingCount(stored), lastPushAt: stored.lastPushAt, lastPullAt: stored.lastPullAt };
    if (this.lastError !== undefined) status.lastError = this.lastError;
    return status;
  }

  /** One round now (after the one running, if any); rejects with the reason it failed. */
  syncNow(): Promise<SyncNowResult> {
    return this.enqueue();
  }

  /** A local posting was written: push it now when the central is reachable, else wait for the backoff. */
  notifyPosted(): void {
    if (this.stopped) return;
    this.emitStatus();
    if (this.running) this.again = true;
    else if (this.online) this.schedule(0);
  }

  /** Stops scheduling and waits for the round in flight (abort its requests to make that quick). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tail.then(noop, noop);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.enqueue().then(noop, noop), delayMs);
  }

  /** Rounds run one at a time; callers arriving while one waits to start share it. */
  private enqueue(): Promise<SyncNowResult> {
    if (this.waiting) return this.waiting;
    const round = this.tail.then(() => {
      this.waiting = undefined;
      return this.round();
    });
    this.waiting = round;
    this.tail = round.then(noop, noop);
    return round;
  }

  private async round(): Promise<SyncNowResult> {
    if (this.stopped) throw new Error('sync is stopped');
    clearTimeout(this.timer);
    this.running = true;
    this.again = false;
    const { db, client, now, batchSize, pageSize } = this.options;
    let result: SyncNowResult = { pushed: 0, pulled: 0 };
    try {
      // A second pass only after a new central epoch: push first so the merge sees what it holds.
      for (let pass = 0; pass < 2; pass++) {
        const push = await pushOnce(db, client, { now, batchSize, logger: this.log });
        const pull = await pullOnce(db, client, { now, pageSize, logger: this.log });
        if (pull.pulled > 0) this.options.onPulled?.(pull.pulled);
        result = { pushed: result.pushed + push.pushed, pulled: result.pulled + pull.pulled };
        if (!pull.epochChanged) break;
      }
      if (!this.online) this.log.info('central reachable; in sync');
      this.online = true;
      this.lastError = undefined;
      this.failures = 0;
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // One line per change of state, not one per retry during a week offline.
      if (this.online || this.lastError !== message) this.log.warn({ err: message }, 'sync failed; retrying with backoff');
      this.online = false;
      this.lastError = message;
      this.failures++;
      throw error;
    } finally {
      this.running = false;
      this.schedule(
        this.failures > 0
          ? backoffDelay(this.failures, this.options.random, this.options.backoff ?? DEFAULT_BACKOFF)
          : this.again ? 0 : (this.options.pollIntervalMs ?? 5000),
      );
      this.emitStatus();
    }
  }

  private emitStatus(): void {
    if (!this.options.onStatus) return;
    try {
      this.options.onStatus(this.status());
    } catch (error) {
      this.log.error({ err: error }, 'reporting the sync status failed');
    }
  }
}
