// CentralDb on PGlite (PostgreSQL compiled to WebAssembly) in a data directory: the embedded
// default, so `shopfloor central` runs with nothing installed. PGlite has one connection and
// queues queries behind an open transaction itself.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { CentralDb, CentralQueryable } from './central-db.js';

const INT8_OID = 20;

export async function openPgliteDb(dataDir: string | null): Promise<CentralDb> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? undefined, { parsers: { [INT8_OID]: (value: string) => Number(value) } });

  const queryable = (client: Pick<PGlite, 'query' | 'exec'>): CentralQueryable => ({
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await client.exec(sql);
    },
  });

  return {
    kind: 'pglite',
    ...queryable(db),
    transaction: <T>(work: (tx: CentralQueryable) => Promise<T>): Promise<T> => db.transaction((tx) => work(queryable(tx))),
    async close(): Promise<void> {
      await db.close();
    },
  };
}
