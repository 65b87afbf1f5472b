// The one database contract of the central: PostgreSQL through `pg` and PGlite implement it with
// the same SQL, so every query and migration is written once for both.

/** A connection inside a transaction, or the database outside one. */
export interface CentralQueryable {
  /** One statement with `$1`-style parameters; rows come back with int8 as numbers and jsonb parsed. */
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface CentralDb extends CentralQueryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: CentralQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
