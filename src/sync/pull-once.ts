// Pull: the central's changes in this terminal's scope after the stored cursor, page by page;
// each page, merged with the unacknowledged postings, is applied with its cursor in one transaction.
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { PullResponse } from '../api/sync.js';
import type { Effect } from '../domain/effects.js';
import type { HuState } from '../domain/types.js';
import { appendInbound, terminalIdOf } from '../store/ledger.js';
import { loadMasterData } from '../store/load-master-data.js';
import { prepared } from '../store/prepared.js';
import type { CentralClient } from './central-client.js';
import { mergeCentralChanges, PendingStock, type LocalStock } from './merge-central-changes.js';
import { readSyncState } from './read-sync-state.js';
import { syncLogger } from './sync-logger.js';

export interface PullOptions {
  now: () => string;
  /** Changes per page asked of the central; default 500 (a page is one local write transaction). */
  pageSize?: number;
  logger?: Logger;
}

export interface PullResult {
  /** Changes received (before leaving out those that changed nothing here). */
  pulled: number;
  pages: number;
  /**
   * The central is a different database than the cursor's (restored): the cursor went back to
   * "0". Push before pulling again, so the merge sees what the restored central really holds.
   */
  epochChanged: boolean;
}

export async function pullOnce(db: Database, client: CentralClient, options: PullOptions): Promise<PullResult> {
  const log = options.logger ?? syncLogger();
  const terminalId = terminalIdOf(db);
  const pending = new PendingReader();
  let pulled = 0;
  let pages = 0;
  for (;;) {
    const { cursor, epoch } = readSyncState(db);
    const page = await client.pull(cursor, options.pageSize ?? 500);
    pages++;
    if (epoch !== null && page.epoch !== epoch) {
      log.warn({ from: epoch, to: page.epoch }, 'central database changed (restored?): refetching everything; the outbox stays');
      prepared(db, `UPDATE sync_cursor SET cursor = '0', epoch = ? WHERE id = 1`).run(page.epoch);
      return { pulled, pages, epochChanged: true };
    }
    applyPage(db, page, { terminalId, at: options.now(), pending });
    pulled += page.changes.length;
    if (!page.more) return { pulled, pages, epochChanged: false };
    if (page.cursor === cursor) throw new Error(`central said there is more after cursor ${cursor} but did not move the cursor`);
  }
}

function applyPage(db: Database, page: PullResponse, context: { terminalId: string; at: string; pending: PendingReader }): void {
  // Immediate: the unacknowledged postings read for the merge cannot change before the write.
  db.transaction(() => {
    if (page.masterData) {
      const loaded = loadMasterData(db, page.masterData, { terminalId: context.terminalId, now: context.at });
      if (!loaded.ok) {
        const shown = loaded.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ');
        throw new Error(`the central's master data does not load here (${loaded.errors.length} errors): ${shown}`);
      }
    }
    if (page.changes.length > 0) {
      const effects = mergeCentralChanges(page.changes, context.pending.read(db), localStock(db));
      checkKnown(db, effects);
      appendInbound(db, 'sync', context.at, effects);
    }
    prepared(db, 'UPDATE sync_cursor SET cursor = ?, epoch = ?, pulled_at = ? WHERE id = 1').run(page.cursor, page.epoch, context.at);
  }).immediate();
}

/**
 * The stock effects of the postings above the acknowledged seq, read incrementally: the pull
 * does not push, so the acknowledged seq stays while the ledger only grows.
 */
class PendingReader {
  private acknowledged = -1;
  private readUpTo = 0;
  private stock = new PendingStock();

  read(db: Database): PendingStock {
    const { acknowledgedSeq } = readSyncState(db);
    if (acknowledgedSeq !== this.acknowledged) {
      this.acknowledged = acknowledgedSeq;
      this.readUpTo = acknowledgedSeq;
      this.stock = new PendingStock();
    }
    // json_each in SQLite: a posting's body is large, its stock effects are a few small objects.
    const rows = prepared(
      db,
      `SELECT p.seq, e.value AS effect FROM posting p, json_each(p.body, '$.effects') e
       WHERE p.seq > ? AND e.value ->> '$.t' IN ('hu-quantity', 'hu-move', 'hu-state', 'bulk-quantity')
       ORDER BY p.seq, e.key`,
    ).all(this.readUpTo) as { seq: number; effect: string }[];
    for (const row of rows) this.stock.add([JSON.parse(row.effect) as Effect]);
    const last = prepared(db, 'SELECT coalesce(max(seq), 0) AS seq FROM posting').get() as { seq: number };
    this.readUpTo = Math.max(this.readUpTo, last.seq);
    return this.stock;
  }
}

function localStock(db: Database): LocalStock {
  return {
    hu(id) {
      const row = prepared(db, 'SELECT material, batch, expiry, location, quantity_minor, state, parent FROM handling_unit WHERE id = ?').get(id) as
        | { material: string; batch: string | null; expiry: string | null; location: string; quantity_minor: number; state: HuState; parent: string | null }
        | undefined;
      return row && {
        hu: id, material: row.material, batch: row.batch, expiry: row.expiry, location: row.location,
        quantityMinor: row.quantity_minor, state: row.state, parent: row.parent,
      };
    },
    bulk(location, material, batch) {
      const row = prepared(db, 'SELECT quantity_minor FROM bulk_stock WHERE location = ? AND material = ? AND batch = ?').get(location, material, batch ?? '') as
        | { quantity_minor: number }
        | undefined;
      return row?.quantity_minor;
    },
  };
}

/** A material or location the master data here lacks would fail deep in SQL; say which instead. */
function checkKnown(db: Database, effects: readonly Effect[]): void {
  for (const e of effects) {
    if (e.t !== 'hu-set' && e.t !== 'bulk-set') continue;
    const what = e.t === 'hu-set' ? `HU ${e.hu}` : `stock at ${e.location}`;
    if (!prepared(db, 'SELECT 1 AS found FROM material WHERE id = ?').get(e.material)) {
      throw new Error(`the central reports ${what} of material ${e.material}, which this terminal's master data does not have`);
    }
    if (!prepared(db, 'SELECT 1 AS found FROM location WHERE id = ?').get(e.location)) {
      throw new Error(`the central reports ${what} at location ${e.location}, which this terminal's master data does not have`);
    }
  }
}
