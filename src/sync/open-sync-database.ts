import type { Database } from 'better-sqlite3';
import { openDatabase } from '../store/open-database.js';

/**
 * The sync's own connection to the terminal's database. It reads the outbox front to back and
 * writes small pages, so a 4 MB page cache serves it as well as better-sqlite3's 16 MB default,
 * and the terminal keeps its memory for the screens (quality.md: RSS ≤ 150 MB).
 */
export function openSyncDatabase(file: string): Database {
  const db = openDatabase(file);
  db.pragma('cache_size = -4000');
  return db;
}
