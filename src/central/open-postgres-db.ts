// CentralDb on a PostgreSQL server through a `pg` pool.
import pg from 'pg';
import type { Logger } from 'pino';
import type { CentralDb, CentralQueryable } from './central-db.js';

const INT8_OID = 20;

// Counters and minor quantities stay far below 2^53; numbers are what the rest of the code uses.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

export function openPostgresDb(connectionString: string, logger: Logger): CentralDb {
  const pool = new pg.Pool({ connectionString, max: 10, types, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server (a PostgreSQL restart) must not take the process down.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));

  const queryable = (client: pg.Pool | pg.PoolClient): CentralQueryable => ({
    async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction<T>(work: (tx: CentralQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      let lost: Error | undefined;
      // A checked-out client has no pool listener: without this, a server that dies mid-transaction
      // emits an unhandled 'error' and ends the process.
      const onError = (error: Error) => {
        if (lost) return;
        lost = error;
        logger.warn({ err: error }, 'PostgreSQL connection failed during a transaction');
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // Work that failed because the connection died reports that ("not queryable" says less), so callers see a 503.
        const failure = lost ?? error;
        try {
          await client.query('ROLLBACK');
        } catch {
          // The connection itself failed: it must not go back to the pool.
          broken = true;
        }
        throw failure;
      } finally {
        client.off('error', onError);
        client.release(broken || lost !== undefined);
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
