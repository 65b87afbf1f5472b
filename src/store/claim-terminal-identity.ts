import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

/**
 * A new terminal's database says whose it is before any master data arrives (the first pull
 * brings them); a database of another terminal is refused rather than mixed.
 */
export function claimTerminalIdentity(db: Database, terminalId: string, now: string): void {
  const row = prepared(db, 'SELECT terminal_id FROM terminal_identity WHERE id = 1').get() as { terminal_id: string } | undefined;
  if (row && row.terminal_id !== terminalId) {
    throw new Error(`this database belongs to terminal ${row.terminal_id}, not ${terminalId}: point the configuration at the right file`);
  }
  if (!row) prepared(db, 'INSERT INTO terminal_identity (id, terminal_id, next_sscc_serial, created_at) VALUES (1, ?, NULL, ?)').run(terminalId, now);
}
