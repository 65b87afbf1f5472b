// What a terminal database holds, read as a bystander: a read-only connection that never writes,
// so the reading cannot repair or hide what a crash left behind.
import BetterSqlite3 from 'better-sqlite3';

export interface LedgerRow {
  id: string;
  seq: number;
  requestId: string | null;
  kind: string;
}

export interface LedgerSnapshot {
  postings: LedgerRow[];
  /** The last seq the central acknowledged: the outbox is every posting above it. */
  acknowledgedSeq: number;
  /** Good quantity confirmed per operation of an order. */
  progress: Map<string, number>;
  hus: { id: string; material: string; location: string; kind: string; quantityMinor: number; decimals: number }[];
}

export function readLedger(file: string, materials: readonly string[]): LedgerSnapshot {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => ({
      postings: db.prepare('SELECT id, seq, request_id AS requestId, kind FROM posting ORDER BY seq').all() as LedgerRow[],
      acknowledgedSeq: (db.prepare('SELECT acknowledged_seq AS seq FROM sync_state WHERE id = 1').get() as { seq: number }).seq,
      progress: new Map(
        (db.prepare('SELECT order_id, operation, good_minor FROM operation_progress').all() as { order_id: string; operation: string; good_minor: number }[])
          .map((r) => [`${r.order_id}/${r.operation}`, r.good_minor]),
      ),
      hus: db
        .prepare(
          `SELECT h.id, h.material, h.location, l.kind, h.quantity_minor AS quantityMinor, u.decimals
           FROM handling_unit h JOIN location l ON l.id = h.location JOIN material m ON m.id = h.material JOIN uom u ON u.id = m.base_uom
           WHERE h.state = 'available' AND h.quantity_minor > 0 AND h.material IN (SELECT value FROM json_each(?))
           ORDER BY h.id`,
        )
        .all(JSON.stringify(materials)) as LedgerSnapshot['hus'],
    }))();
  } finally {
    db.close();
  }
}

/** The transfer or return of `hu` to `to` posted after `afterSeq`, if the ledger has one. */
export function findMove(file: string, afterSeq: number, move: { hu: string; to: string; kind: 'transfer' | 'return' }): string | null {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT id, body FROM posting WHERE seq > ? AND kind = 'transfer' ORDER BY seq").all(afterSeq) as { id: string; body: string }[];
    const found = rows.filter((r) => {
      const data = (JSON.parse(r.body) as { data: { kind: string; hu: string; to: string } }).data;
      return data.kind === move.kind && data.hu === move.hu && data.to === move.to;
    });
    if (found.length > 1) throw new Error(`the ledger moved ${move.hu} to ${move.to} ${found.length} times after seq ${afterSeq}`);
    return found[0]?.id ?? null;
  } finally {
    db.close();
  }
}
