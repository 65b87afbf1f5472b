import type { Database } from 'better-sqlite3';
import { makeSscc } from '../domain/sscc.js';
import { prepared } from '../store/prepared.js';
import { readPlant } from '../store/read-master-data.js';

/**
 * The next SSCC from this terminal's own serial range (so offline terminals never collide),
 * or null when the range is used up. Call inside the posting's transaction.
 */
export function allocateSscc(db: Database, terminalId: string): string | null {
  const range = prepared(db, 'SELECT sscc_first, sscc_last FROM terminal WHERE id = ?').get(terminalId) as
    | { sscc_first: number; sscc_last: number }
    | undefined;
  if (!range) return null;
  const { next_sscc_serial: stored } = prepared(db, 'SELECT next_sscc_serial FROM terminal_identity WHERE id = 1').get() as { next_sscc_serial: number | null };
  const prefix = readPlant(db).gs1CompanyPrefix;
  for (let serial = Math.max(stored ?? range.sscc_first, range.sscc_first); serial <= range.sscc_last; serial++) {
    const sscc = makeSscc(prefix, serial);
    // An id already on an HU (say, loaded from master data) is skipped, never reused.
    if (prepared(db, 'SELECT 1 FROM handling_unit WHERE id = ?').get(sscc)) continue;
    prepared(db, 'UPDATE terminal_identity SET next_sscc_serial = ? WHERE id = 1').run(serial + 1);
    return sscc;
  }
  return null;
}
