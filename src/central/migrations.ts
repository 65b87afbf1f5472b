// The central's migrations, numbered; each runs once, all pending ones in one transaction.
import { initialSchema } from './migrations/0001-initial.js';

export interface CentralMigration {
  version: number;
  name: string;
  sql: string;
}

export const centralMigrations: readonly CentralMigration[] = [{ version: 1, name: 'initial', sql: initialSchema }];
