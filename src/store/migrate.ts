import type { Database } from 'better-sqlite3';
import { migration0001 } from './migrations/0001-initial.js';
import { migration0002 } from './migrations/0002-sync-cursor.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order; a database's `user_version` is the last one applied. */
export const migrations: readonly Migration[] = [migration0001, migration0002];

export const latestVersion = migrations.at(-1)?.version ?? 0;

export class DatabaseFromTheFutureError extends Error {
  constructor(file: string, found: number) {
    super(
      `${file} was written by a newer shopfloor (schema version ${found}; this one knows up to ${latestVersion}). ` +
        'Update shopfloor before opening it; nothing was changed.',
    );
  }
}

/** Applies the pending migrations in one transaction: all of them, or none. */
export function migrate(db: Database, upTo: number = latestVersion): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latestVersion) throw new DatabaseFromTheFutureError(db.name, current);
  const pending = migrations.filter((m) => m.version > current && m.version <= upTo);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    // user_version takes no bound parameter; the value is our own integer constant.
    db.pragma(`user_version = ${pending.at(-1)?.version ?? current}`);
  })();
  return pending.at(-1)?.version ?? current;
}
