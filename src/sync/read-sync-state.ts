// What the sync tables say: how far the central acknowledged, where the pull stands.
import type { Database } from 'better-sqlite3';
import { prepared } from '../store/prepared.js';

export interface StoredSyncState {
  /** The highest seq the central acknowledged (from its answers only). */
  acknowledgedSeq: number;
  /** The last seq in this terminal's ledger. */
  lastSeq: number;
  cursor: string;
  epoch: string | null;
  lastPushAt: string | null;
  lastPullAt: string | null;
}

export function readSyncState(db: Database): StoredSyncState {
  const row = prepared(
    db,
    `SELECT s.acknowledged_seq, (SELECT coalesce(max(seq), 0) FROM posting) AS last_seq, c.cursor, c.epoch, c.pushed_at, c.pulled_at
     FROM sync_state s, sync_cursor c WHERE s.id = 1 AND c.id = 1`,
  ).get() as { acknowledged_seq: number; last_seq: number; cursor: string; epoch: string | null; pushed_at: string | null; pulled_at: string | null } | undefined;
  if (!row) throw new Error('this database has no sync state (it was not migrated)');
  return {
    acknowledgedSeq: row.acknowledged_seq, lastSeq: row.last_seq, cursor: row.cursor, epoch: row.epoch,
    lastPushAt: row.pushed_at, lastPullAt: row.pulled_at,
  };
}

/** Postings not yet acknowledged: seqs are gap-free, so this is a difference, not a count. */
export function pendingCount(state: StoredSyncState): number {
  return Math.max(0, state.lastSeq - state.acknowledgedSeq);
}
