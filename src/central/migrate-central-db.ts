// Brings a central database to the newest schema: pending migrations in one transaction, under a
// lock so two servers starting on one PostgreSQL do not race; a database from a newer shopfloor
// is refused rather than guessed at.
import type { CentralDb } from './central-db.js';
import { centralMigrations, type CentralMigration } from './migrations.js';

const MIGRATION_LOCK = 7_263_001;

export class NewerDatabaseError extends Error {
  constructor(readonly found: number, readonly known: number) {
    super(`the central database has schema version ${found}, newer than this shopfloor knows (${known}): use a newer shopfloor`);
  }
}

/** Returns the versions applied now (empty when the database was up to date). */
export async function migrateCentralDb(db: CentralDb, migrations: readonly CentralMigration[] = centralMigrations): Promise<number[]> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_version (id smallint PRIMARY KEY CHECK (id = 1), version integer NOT NULL)');
    const [row] = await tx.query<{ version: number }>('SELECT version FROM schema_version WHERE id = 1');
    const current = row?.version ?? 0;
    if (current > latest) throw new NewerDatabaseError(current, latest);
    const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
    for (const migration of pending) await tx.exec(migration.sql);
    if (pending.length > 0) {
      await tx.query(
        'INSERT INTO schema_version (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
        [latest],
      );
    }
    return pending.map((m) => m.version);
  });
}
