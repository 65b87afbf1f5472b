import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrate.js';

export interface OpenOptions {
  /** Open without creating or migrating (for `shopfloor check`). */
  readOnly?: boolean;
}

/** Opens a terminal database durably (WAL, synchronous=FULL, foreign keys) and brings its schema up to date. */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  const db = new BetterSqlite3(file, options.readOnly ? { readonly: true, fileMustExist: true } : {});
  try {
    if (!options.readOnly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!options.readOnly) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
