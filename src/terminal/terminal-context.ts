import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { terminalIdOf } from '../store/ledger.js';

/** What every command needs: the database, this terminal, a clock and ids (injected in tests). */
export interface TerminalContext {
  db: Database;
  terminalId: string;
  now: () => string;
  newId: () => string;
}

export function createTerminalContext(db: Database, overrides: Partial<Pick<TerminalContext, 'now' | 'newId'>> = {}): TerminalContext {
  return {
    db,
    terminalId: terminalIdOf(db),
    now: overrides.now ?? (() => new Date().toISOString()),
    newId: overrides.newId ?? randomUUID,
  };
}
