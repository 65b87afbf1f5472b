// GET /sync/pull: the latest state of every HU and bulk row in a terminal's scope that changed
// after the cursor, in change order. The scope is the terminal's locations and every storage
// location (material handlers move stock from there). An HU that left the scope is sent once
// more, at its new place, so the terminal learns it is gone.
import type { HuState } from '../domain/types.js';
import type { PullResponse, StockChange } from '../api/sync.js';
import type { CentralDb } from './central-db.js';
import { CentralError } from './central-error.js';

export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 5000;

/**
 * A cursor names the database (epoch), the master data version the terminal has, and the last
 * change it has seen. Another epoch or a newer master data version starts the feed over, with
 * the master data, because the terminal's scope may have changed with it.
 */
interface Position {
  epoch: string;
  masterDataVersion: number;
  changeSeq: number;
}

export function parseCursor(cursor: string | undefined): Position | null {
  if (cursor === undefined || cursor === '0' || cursor === '') return null;
  const match = /^([0-9a-f-]{36}):(\d{1,9}):(\d{1,15})$/.exec(cursor);
  if (!match) throw new CentralError(400, 'invalid-cursor', `"${cursor.slice(0, 80)}" is not a cursor this central gave out; start over with cursor 0.`);
  return { epoch: match[1] ?? '', masterDataVersion: Number(match[2]), changeSeq: Number(match[3]) };
}

const formatCursor = (p: Position): string => `${p.epoch}:${p.masterDataVersion}:${p.changeSeq}`;

interface ChangeRow {
  key: number;
  kind: 'hu' | 'bulk';
  id: string | null;
  material: string;
  batch: string | null;
  expiry: string | null;
  location: string;
  quantity_minor: number;
  state: HuState | null;
  parent: string | null;
}

export async function readPull(db: CentralDb, terminalId: string, cursor: string | undefined, limit: number): Promise<PullResponse> {
  const given = parseCursor(cursor);
  // One snapshot for the counters, the master data and the changes: they must agree.
  return db.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const [state] = await tx.query<{ epoch: string; master_data_version: number }>('SELECT epoch, master_data_version FROM central_state WHERE id = 1');
    if (!state) throw new Error('central_state is missing: the database was not migrated');
    const fresh = given === null || given.epoch !== state.epoch || given.masterDataVersion !== state.master_data_version;
    const after = fresh ? 0 : given.changeSeq;

    const rows = await tx.query<ChangeRow>(
      `WITH scope AS (
         SELECT location FROM terminal_location WHERE terminal_id = $1
         UNION SELECT id FROM location WHERE kind = 'storage'
       ), hu_keys AS (
         SELECT c.hu, max(c.change_seq) AS key FROM hu_scope_change c
         WHERE c.change_seq > $2 AND c.location IN (SELECT location FROM scope)
         GROUP BY c.hu
       )
       SELECT k.key, 'hu' AS kind, h.id, h.material, h.batch, h.expiry, h.location, h.quantity_minor, h.state, h.parent
         FROM hu_keys k JOIN handling_unit h ON h.id = k.hu
       UNION ALL
       SELECT b.change_seq, 'bulk', NULL, b.material, nullif(b.batch, ''), NULL, b.location, b.quantity_minor, NULL, NULL
         FROM bulk_stock b WHERE b.change_seq > $2 AND b.location IN (SELECT location FROM scope)
       ORDER BY 1
       LIMIT $3`,
      [terminalId, after, limit + 1],
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const lastKey = page[page.length - 1]?.key ?? after;

    let masterData: Record<string, unknown> | null = null;
    if (fresh && state.master_data_version > 0) {
      const [doc] = await tx.query<{ document: Record<string, unknown> }>('SELECT document FROM master_data WHERE version = $1', [state.master_data_version]);
      masterData = doc?.document ?? null;
    }
    return {
      epoch: state.epoch,
      cursor: formatCursor({ epoch: state.epoch, masterDataVersion: state.master_data_version, changeSeq: lastKey }),
      more,
      masterData,
      changes: page.map(toChange),
    };
  });
}

function toChange(r: ChangeRow): StockChange {
  if (r.kind === 'bulk') return { kind: 'bulk', location: r.location, material: r.material, batch: r.batch, quantityMinor: r.quantity_minor };
  return {
    kind: 'hu',
    hu: {
      id: r.id ?? '', material: r.material, batch: r.batch, expiry: r.expiry, location: r.location,
      quantityMinor: r.quantity_minor, state: r.state ?? 'available', parent: r.parent,
    },
  };
}
