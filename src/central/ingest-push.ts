// Applies a checked push in one transaction. Ingest is serialized by locking the central_state
// row first, so the ingest and change counters it hands out follow commit order: a pull cursor
// never skips a change that commits later with a smaller number.
import type { PushResponse } from '../api/sync.js';
import type { HuState } from '../domain/types.js';
import { applyStockEffects, bulkRowKey, stockKeysOf, type CentralBulk, type CentralHu, type ReceivedPosting, type StockChanges } from './apply-stock-effects.js';
import type { CentralDb, CentralQueryable } from './central-db.js';
import { CentralError } from './central-error.js';
import type { CheckedPosting } from './check-push-batch.js';

interface HuRow {
  id: string;
  material: string;
  batch: string | null;
  expiry: string | null;
  location: string;
  quantity_minor: number;
  state: HuState;
  parent: string | null;
}

/** Locks ingest for the rest of the transaction and returns the counters. */
export async function lockIngest(tx: CentralQueryable): Promise<{ lastIngestSeq: number; lastChangeSeq: number }> {
  const [row] = await tx.query<{ last_ingest_seq: number; last_change_seq: number }>(
    'SELECT last_ingest_seq, last_change_seq FROM central_state WHERE id = 1 FOR UPDATE',
  );
  if (!row) throw new Error('central_state is missing: the database was not migrated');
  return { lastIngestSeq: row.last_ingest_seq, lastChangeSeq: row.last_change_seq };
}

// Ingest holds the lock from its first statement to its commit, so a push is three statements
// (lock, read, write) between BEGIN and COMMIT: each round trip under the lock, and each wait for
// this process's event loop between them, is paid by every terminal waiting behind it.

/** Locks ingest, reads the counters and the terminal's chain head, and picks how bodies are compressed. */
const LOCK_AND_READ_HEAD = `
  SELECT s.last_ingest_seq, s.last_change_seq, t.id AS terminal_id, t.acknowledged_seq, t.last_hash,
    CASE WHEN $2::text IS NOT NULL THEN set_config('default_toast_compression', $2, true) END AS toast_compression
  FROM central_state s LEFT JOIN terminal t ON t.id = $1
  WHERE s.id = 1
  FOR UPDATE OF s`;

/** The HUs and bulk rows the push names, and the units of their materials, in one answer. */
const READ_STOCK_VIEW = `
  WITH hus AS (
    SELECT id, material, batch, expiry, location, quantity_minor, state, parent FROM handling_unit
    WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))
  ), bulk AS (
    SELECT b.location, b.material, b.batch, b.quantity_minor FROM bulk_stock b
    JOIN jsonb_to_recordset($2::jsonb) AS k(location text, material text, batch text)
      ON k.location = b.location AND k.material = b.material AND k.batch = b.batch
  ), units AS (
    SELECT id, base_uom, decimals FROM material
    WHERE id IN (SELECT material FROM hus UNION SELECT jsonb_array_elements_text($3::jsonb))
  )
  SELECT 'hu' AS kind, id, material, batch, expiry, location, quantity_minor, state, parent, NULL AS base_uom, NULL::integer AS decimals FROM hus
  UNION ALL
  SELECT 'bulk', NULL, material, batch, NULL, location, quantity_minor, NULL, NULL, NULL, NULL FROM bulk
  UNION ALL
  SELECT 'unit', id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, base_uom, decimals FROM units`;

/**
 * Upserts of the changed HUs (with every location each was at, for the pull's scope) and bulk
 * rows: $1 and $2, jsonb. The CTEs of a statement; also the stock part of a push.
 */
const UPSERT_STOCK = `
  hus AS (
    INSERT INTO handling_unit (id, material, batch, expiry, location, quantity_minor, state, parent, change_seq)
    SELECT id, material, batch, expiry, location, "quantityMinor", state, parent, change_seq
    FROM jsonb_to_recordset($1::jsonb) AS h(id text, material text, batch text, expiry text, location text, "quantityMinor" bigint,
      state text, parent text, change_seq bigint)
    ON CONFLICT (id) DO UPDATE SET material = excluded.material, batch = excluded.batch, expiry = excluded.expiry,
      location = excluded.location, quantity_minor = excluded.quantity_minor, state = excluded.state, parent = excluded.parent,
      change_seq = excluded.change_seq
  ), scopes AS (
    INSERT INTO hu_scope_change (hu, location, change_seq)
    SELECT h.id, l.location, h.change_seq
    FROM jsonb_to_recordset($1::jsonb) AS h(id text, change_seq bigint, locations jsonb),
      LATERAL jsonb_array_elements_text(h.locations) AS l(location)
    ON CONFLICT (hu, location) DO UPDATE SET change_seq = excluded.change_seq
  ), bulk AS (
    INSERT INTO bulk_stock (location, material, batch, quantity_minor, change_seq)
    SELECT location, material, batch, "quantityMinor", change_seq
    FROM jsonb_to_recordset($2::jsonb) AS b(location text, material text, batch text, "quantityMinor" bigint, change_seq bigint)
    ON CONFLICT (location, material, batch) DO UPDATE SET quantity_minor = excluded.quantity_minor, change_seq = excluded.change_seq
  )`;

const WRITE_STOCK = `WITH ${UPSERT_STOCK} SELECT 1`;

/**
 * Everything a push writes, in one statement: the stock ($1, $2), the postings, the HUs each
 * touched, the exceptions, the terminal's chain head and the counters. Posting columns go as
 * arrays and the bodies as one text split in SQL: the cheapest way found to hand PostgreSQL a
 * thousand postings of a few kilobytes each (JSON escapes every control character, so the record
 * separator cannot occur inside a body).
 */
const WRITE_PUSH = `
  WITH ${UPSERT_STOCK}, posted AS (
    INSERT INTO posting (terminal_id, seq, id, kind, created_at, user_id, body, prev_hash, hash, ingest_seq)
    SELECT $3, seq, id, kind, created_at, user_id, body, prev_hash, hash, ingest_seq
    FROM unnest($4::bigint[], $5::uuid[], $6::text[], $7::text[], $8::text[], string_to_array($9, chr(30)), $10::text[], $11::text[], $12::bigint[])
      AS p(seq, id, kind, created_at, user_id, body, prev_hash, hash, ingest_seq)
  ), touched AS (
    INSERT INTO hu_posting (hu, ingest_seq) SELECT * FROM unnest($13::text[], $14::bigint[])
  ), raised AS (
    INSERT INTO sync_exception (kind, terminal_id, seq, posting_id, hu, location, material, message)
    SELECT kind, terminal, seq, posting_id, hu, location, material, message
    FROM jsonb_to_recordset($15::jsonb) AS x(kind text, terminal text, seq bigint, posting_id uuid, hu text, location text, material text, message text)
  ), chained AS (
    UPDATE terminal SET acknowledged_seq = $16, last_hash = $17 WHERE id = $3
  )
  UPDATE central_state SET last_ingest_seq = $18, last_change_seq = $19 WHERE id = 1`;

interface StockViewRow extends Omit<HuRow, 'id' | 'material' | 'location' | 'state'> {
  kind: 'hu' | 'bulk' | 'unit';
  id: string | null;
  material: string | null;
  location: string | null;
  state: HuState | null;
  base_uom: string | null;
  decimals: number | null;
}

export async function ingestPush(db: CentralDb, terminalId: string, batch: readonly CheckedPosting[]): Promise<PushResponse> {
  const compression = await bodyCompression(db);
  // Worked out before the lock: every other terminal waits while this one holds it.
  const whole = postingColumns(terminalId, batch);
  return db.transaction(async (tx) => {
    const [head] = await tx.query<{ last_ingest_seq: number; last_change_seq: number; terminal_id: string | null; acknowledged_seq: number | null; last_hash: string | null }>(
      LOCK_AND_READ_HEAD,
      [terminalId, compression],
    );
    if (!head) throw new Error('central_state is missing: the database was not migrated');
    if (head.terminal_id === null) throw new CentralError(403, 'unknown-terminal', `Terminal ${terminalId} is not known to the central.`);
    const held = head.acknowledged_seq ?? 0;
    const nothing: PushResponse = { acknowledgedSeq: held, expectedSeq: held + 1, applied: 0, exceptions: 0 };

    await checkHeldPostings(tx, terminalId, batch.filter((p) => p.wire.seq <= held));
    const fresh = batch.filter((p) => p.wire.seq > held);
    const first = fresh[0];
    const last = fresh[fresh.length - 1];
    // A gap: the terminal resends from expectedSeq; nothing of this batch is applied.
    if (!first || !last || first.wire.seq !== held + 1) return nothing;
    if (first.wire.prevHash !== head.last_hash) {
      throw new CentralError(400, 'broken-chain', `Posting ${first.wire.seq} does not link to posting ${held}, the last one the central holds for ${terminalId}.`, {
        seq: first.wire.seq,
      });
    }

    const columns = fresh.length === batch.length ? whole : postingColumns(terminalId, fresh);
    const { view, units } = await loadStockView(tx, columns);
    const changes = applyStockEffects(view, columns.received, (m) => units.get(m));
    const stock = stockRows(changes, head.last_change_seq);
    const ingestSeqOf = (index: number) => head.last_ingest_seq + 1 + index;
    const lastIngestSeq = ingestSeqOf(fresh.length - 1);
    await tx.query(WRITE_PUSH, [
      stock.hus, stock.bulk,
      terminalId, columns.seqs, columns.ids, columns.kinds, columns.createdAt, columns.users, columns.bodies, columns.prevHashes, columns.hashes,
      columns.seqs.map((_, i) => ingestSeqOf(i)),
      columns.huNames, columns.huPostingIndex.map(ingestSeqOf),
      JSON.stringify(changes.exceptions.map((x) => ({ ...x, posting_id: x.postingId }))),
      last.wire.seq, last.wire.hash,
      lastIngestSeq, stock.lastChangeSeq,
    ]);
    return { acknowledgedSeq: last.wire.seq, expectedSeq: last.wire.seq + 1, applied: fresh.length, exceptions: changes.exceptions.length };
  });
}

/** The postings of a push as the statements take them: everything but the counters, which need the lock. */
interface PostingColumns {
  received: ReceivedPosting[];
  /** READ_STOCK_VIEW's parameters: the HUs and bulk rows named, the materials named by hu-create and bulk-quantity. */
  viewParams: [string, string, string];
  seqs: number[];
  ids: string[];
  kinds: string[];
  createdAt: string[];
  users: string[];
  /** The canonical bodies joined by the record separator (see WRITE_PUSH). */
  bodies: string;
  prevHashes: string[];
  hashes: string[];
  /** Each HU a posting names, once per posting, beside that posting's index. */
  huNames: string[];
  huPostingIndex: number[];
}

function postingColumns(terminalId: string, postings: readonly CheckedPosting[]): PostingColumns {
  const received = postings.map((p) => ({ id: p.wire.id, terminal: terminalId, seq: p.wire.seq, effects: p.effects }));
  const keys = stockKeysOf(received);
  const materials = new Set<string>();
  const huNames: string[] = [];
  const huPostingIndex: number[] = [];
  postings.forEach((p, index) => {
    const named = new Set<string>();
    for (const e of p.effects) {
      if (e.t === 'hu-create' || e.t === 'bulk-quantity') materials.add(e.material);
      if (e.t === 'hu-create' || e.t === 'hu-quantity' || e.t === 'hu-move' || e.t === 'hu-state') named.add(e.hu);
    }
    for (const hu of named) {
      huNames.push(hu);
      huPostingIndex.push(index);
    }
  });
  return {
    received,
    viewParams: [JSON.stringify(keys.hus), JSON.stringify(keys.bulk), JSON.stringify([...materials])],
    seqs: postings.map((p) => p.wire.seq),
    ids: postings.map((p) => p.wire.id),
    kinds: postings.map((p) => p.wire.kind),
    createdAt: postings.map((p) => p.wire.createdAt),
    users: postings.map((p) => p.wire.user),
    bodies: postings.map((p) => p.text).join('\u001e'),
    prevHashes: postings.map((p) => p.wire.prevHash),
    hashes: postings.map((p) => p.wire.hash),
    huNames,
    huPostingIndex,
  };
}

const compressionOf = new WeakMap<CentralDb, Promise<string | null>>();

/**
 * lz4 for the ledger bodies where the server has it (null: leave the server's setting): with
 * PostgreSQL's default, pglz, compressing each body of about 2 KB took as long as the rest of the
 * posting's insert. Asked once per database.
 */
function bodyCompression(db: CentralDb): Promise<string | null> {
  let known = compressionOf.get(db);
  if (!known) {
    known = db
      .query<{ lz4: boolean }>(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`)
      .then(([row]) => (row?.lz4 ? 'lz4' : null));
    // A failed look-up is asked again next time rather than remembered.
    known.catch(() => compressionOf.delete(db));
    compressionOf.set(db, known);
  }
  return known;
}

/** A seq the central holds must come again as the same posting: a different one means two ledgers claim one terminal. */
async function checkHeldPostings(tx: CentralQueryable, terminalId: string, held: readonly CheckedPosting[]): Promise<void> {
  const first = held[0];
  const last = held[held.length - 1];
  if (!first || !last) return;
  const rows = await tx.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM posting WHERE terminal_id = $1 AND seq BETWEEN $2 AND $3',
    [terminalId, first.wire.seq, last.wire.seq],
  );
  const stored = new Map(rows.map((r) => [r.seq, r.hash]));
  for (const p of held) {
    if (stored.get(p.wire.seq) !== p.wire.hash) {
      throw new CentralError(409, 'seq-conflict', `The central holds another posting ${p.wire.seq} for ${terminalId}: this terminal's ledger is not the one it synced before.`, {
        seq: p.wire.seq,
      });
    }
  }
}

async function loadStockView(tx: CentralQueryable, columns: PostingColumns) {
  const hus = new Map<string, CentralHu>();
  const bulk = new Map<string, CentralBulk>();
  const units = new Map<string, { decimals: number; uom: string }>();
  const rows = await tx.query<StockViewRow>(READ_STOCK_VIEW, columns.viewParams);
  for (const r of rows) {
    if (r.kind === 'hu' && r.id !== null && r.material !== null && r.location !== null && r.state !== null) {
      hus.set(r.id, { id: r.id, material: r.material, batch: r.batch, expiry: r.expiry, location: r.location, quantityMinor: r.quantity_minor, state: r.state, parent: r.parent });
    } else if (r.kind === 'bulk' && r.material !== null && r.location !== null) {
      const batch = r.batch === '' ? null : r.batch;
      bulk.set(bulkRowKey(r.location, r.material, batch), { location: r.location, material: r.material, batch, quantityMinor: r.quantity_minor });
    } else if (r.kind === 'unit' && r.id !== null && r.base_uom !== null && r.decimals !== null) {
      units.set(r.id, { decimals: r.decimals, uom: r.base_uom });
    }
  }
  return { view: { hus, bulk }, units };
}

type StockChangesToWrite = Pick<StockChanges, 'hus' | 'bulk'>;

/** The parameters of UPSERT_STOCK: each changed HU and bulk row with its own change seq after `lastChangeSeq`. */
function stockRows(changes: StockChangesToWrite, lastChangeSeq: number): { hus: string; bulk: string; lastChangeSeq: number } {
  let changeSeq = lastChangeSeq;
  const hus = [...changes.hus.values()].map(({ hu, locations }) => ({ ...hu, change_seq: ++changeSeq, locations: [...locations] }));
  const bulk = [...changes.bulk.values()].map((b) => ({ ...b, batch: b.batch ?? '', change_seq: ++changeSeq }));
  return { hus: JSON.stringify(hus), bulk: JSON.stringify(bulk), lastChangeSeq: changeSeq };
}

/** Writes changed HUs and bulk rows, each with its own change seq after `lastChangeSeq`; returns the last one used. */
export async function writeStockChanges(tx: CentralQueryable, changes: StockChangesToWrite, lastChangeSeq: number): Promise<number> {
  const stock = stockRows(changes, lastChangeSeq);
  if (stock.lastChangeSeq > lastChangeSeq) await tx.query(WRITE_STOCK, [stock.hus, stock.bulk]);
  return stock.lastChangeSeq;
}
