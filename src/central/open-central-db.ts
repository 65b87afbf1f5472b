import type { Logger } from 'pino';
import type { CentralDb } from './central-db.js';
import { openPgliteDb } from './open-pglite-db.js';
import { openPostgresDb } from './open-postgres-db.js';

export interface CentralDbLocation {
  /** A PostgreSQL connection URL; when absent, PGlite in `dataDir`. */
  database?: string | undefined;
  /** PGlite's data directory; `null` keeps the database in memory (tests). */
  dataDir?: string | null | undefined;
}

export async function openCentralDb(location: CentralDbLocation, logger: Logger): Promise<CentralDb> {
  if (location.database) return openPostgresDb(location.database, logger);
  return openPgliteDb(location.dataDir === undefined ? 'shopfloor-central' : location.dataDir);
}
