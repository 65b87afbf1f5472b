// Applies a checked push in one transaction. Ingest is serialized by locking the central_state
// row first, so the ingest and change counters it hands out follow commit order: a pull cursor
// never skips a change that commits later with a smaller number.
import type { PushResponse } from '../api/sync.js';
import type { Effect } from '../domain/effects.js';
import type { HuState } from '../domain/types.js';
import { applyStockEffects, bulkRowKey, stockKeysOf, type CentralBulk, type CentralHu } from './apply-stock-effects.js';
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

export async function ingestPush(db: CentralDb, terminalId: string, batch: readonly CheckedPosting[]): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    const counters = await lockIngest(tx);
    const [terminal] = await tx.query<{ acknowledged_seq: number; last_hash: string }>(
      'SELECT acknowledged_seq, last_hash FROM terminal WHERE id = $1',
      [terminalId],
    );
    if (!terminal) throw new CentralError(403, 'unknown-terminal', `Terminal ${terminalId} is not known to the central.`);
    const held = terminal.acknowledged_seq;
    const nothing: PushResponse = { acknowledgedSeq: held, expectedSeq: held + 1, applied: 0, exceptions: 0 };

    await checkHeldPostings(tx, terminalId, batch.filter((p) => p.wire.seq <= held));
    const fresh = batch.filter((p) => p.wire.seq > held);
    const first = fresh[0];
    const last = fresh[fresh.length - 1];
    // A gap: the terminal resends from expectedSeq; nothing of this batch is applied.
    if (!first || !last || first.wire.seq !== held + 1) return nothing;
    if (first.wire.prevHash !== terminal.last_hash) {
      throw new CentralError(400, 'broken-chain', `Posting ${first.wire.seq} does not link to posting ${held}, the last one the central holds for ${terminalId}.`, {
        seq: first.wire.seq,
      });
    }

    const received = fresh.map((p) => ({ id: p.wire.id, terminal: terminalId, seq: p.wire.seq, effects: p.effects }));
    const view = await loadStockView(tx, stockKeysOf(received));
    const units = await loadUnits(tx, [...[...view.hus.values()].map((h) => h.material), ...materialsNamed(fresh)]);
    const changes = applyStockEffects(view, received, (m) => units.get(m));

    let ingestSeq = counters.lastIngestSeq;
    const rows = fresh.map((p) => ({ ...p, ingestSeq: ++ingestSeq }));
    // Columns as arrays, the bodies as one text split in SQL: the cheapest way found to hand
    // PostgreSQL a thousand postings of a few kilobytes each (JSON escapes every control
    // character, so the record separator cannot occur inside a body).
    await tx.query(
      `INSERT INTO posting (terminal_id, seq, id, kind, created_at, user_id, body, prev_hash, hash, ingest_seq)
       SELECT $1, seq, id, kind, created_at, user_id, body, prev_hash, hash, ingest_seq
       FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], string_to_array($7, chr(30)), $8::text[], $9::text[], $10::bigint[])
         AS p(seq, id, kind, created_at, user_id, body, prev_hash, hash, ingest_seq)`,
      [
        terminalId, rows.map((r) => r.wire.seq), rows.map((r) => r.wire.id), rows.map((r) => r.wire.kind), rows.map((r) => r.wire.createdAt),
        rows.map((r) => r.wire.user), rows.map((r) => r.text).join('\u001e'), rows.map((r) => r.wire.prevHash), rows.map((r) => r.wire.hash),
        rows.map((r) => r.ingestSeq),
      ],
    );
    const huPostings = rows.flatMap((row) => husNamed(row.effects).map((hu) => ({ hu, ingest_seq: row.ingestSeq })));
    if (huPostings.length > 0) {
      await tx.query(
        `INSERT INTO hu_posting (hu, ingest_seq) SELECT hu, ingest_seq FROM jsonb_to_recordset($1::jsonb) AS r(hu text, ingest_seq bigint)`,
        [JSON.stringify(huPostings)],
      );
    }

    const changeSeq = await writeStockChanges(tx, changes, counters.lastChangeSeq);
    if (changes.exceptions.length > 0) {
      await tx.query(
        `INSERT INTO sync_exception (kind, terminal_id, seq, posting_id, hu, location, material, message)
         SELECT kind, terminal, seq, posting_id, hu, location, material, message
         FROM jsonb_to_recordset($1::jsonb) AS x(kind text, terminal text, seq bigint, posting_id uuid, hu text, location text, material text, message text)`,
        [JSON.stringify(changes.exceptions.map((x) => ({ ...x, posting_id: x.postingId })))],
      );
    }
    await tx.query('UPDATE terminal SET acknowledged_seq = $2, last_hash = $3 WHERE id = $1', [terminalId, last.wire.seq, last.wire.hash]);
    await tx.query('UPDATE central_state SET last_ingest_seq = $1, last_change_seq = $2 WHERE id = 1', [ingestSeq, changeSeq]);
    return { acknowledgedSeq: last.wire.seq, expectedSeq: last.wire.seq + 1, applied: fresh.length, exceptions: changes.exceptions.length };
  });
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

async function loadStockView(tx: CentralQueryable, keys: ReturnType<typeof stockKeysOf>) {
  const hus = new Map<string, CentralHu>();
  const bulk = new Map<string, CentralBulk>();
  if (keys.hus.length > 0) {
    const rows = await tx.query<HuRow>(
      `SELECT id, material, batch, expiry, location, quantity_minor, state, parent FROM handling_unit
       WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(keys.hus)],
    );
    for (const r of rows) {
      hus.set(r.id, { id: r.id, material: r.material, batch: r.batch, expiry: r.expiry, location: r.location, quantityMinor: r.quantity_minor, state: r.state, parent: r.parent });
    }
  }
  if (keys.bulk.length > 0) {
    const rows = await tx.query<{ location: string; material: string; batch: string; quantity_minor: number }>(
      `SELECT b.location, b.material, b.batch, b.quantity_minor FROM bulk_stock b
       JOIN jsonb_to_recordset($1::jsonb) AS k(location text, material text, batch text)
         ON k.location = b.location AND k.material = b.material AND k.batch = b.batch`,
      [JSON.stringify(keys.bulk)],
    );
    for (const r of rows) {
      const batch = r.batch === '' ? null : r.batch;
      bulk.set(bulkRowKey(r.location, r.material, batch), { location: r.location, material: r.material, batch, quantityMinor: r.quantity_minor });
    }
  }
  return { hus, bulk };
}

function husNamed(effects: readonly Effect[]): string[] {
  return [...new Set(effects.flatMap((e) => (e.t === 'hu-create' || e.t === 'hu-quantity' || e.t === 'hu-move' || e.t === 'hu-state' ? [e.hu] : [])))];
}

function materialsNamed(postings: readonly CheckedPosting[]): string[] {
  return postings.flatMap((p) => p.effects.flatMap((e) => (e.t === 'hu-create' || e.t === 'bulk-quantity' ? [e.material] : [])));
}

/** Base UoM and decimals of the materials, for exception messages in the units people read. */
export async function loadUnits(tx: CentralQueryable, materials: readonly string[]): Promise<Map<string, { decimals: number; uom: string }>> {
  const unique = [...new Set(materials)];
  if (unique.length === 0) return new Map();
  const rows = await tx.query<{ id: string; base_uom: string; decimals: number }>(
    'SELECT id, base_uom, decimals FROM material WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))',
    [JSON.stringify(unique)],
  );
  return new Map(rows.map((r) => [r.id, { decimals: r.decimals, uom: r.base_uom }]));
}

/** Writes changed HUs and bulk rows, each with its own change seq after `lastChangeSeq`; returns the last one used. */
export async function writeStockChanges(
  tx: CentralQueryable,
  changes: { hus: Map<string, { hu: CentralHu; locations: Set<string> }>; bulk: Map<string, CentralBulk> },
  lastChangeSeq: number,
): Promise<number> {
  let changeSeq = lastChangeSeq;
  const huRows = [...changes.hus.values()].map(({ hu, locations }) => ({ ...hu, change_seq: ++changeSeq, locations: [...locations] }));
  if (huRows.length > 0) {
    await tx.query(
      `INSERT INTO handling_unit (id, material, batch, expiry, location, quantity_minor, state, parent, change_seq)
       SELECT id, material, batch, expiry, location, "quantityMinor", state, parent, change_seq
       FROM jsonb_to_recordset($1::jsonb) AS h(id text, material text, batch text, expiry text, location text, "quantityMinor" bigint,
         state text, parent text, change_seq bigint)
       ON CONFLICT (id) DO UPDATE SET material = excluded.material, batch = excluded.batch, expiry = excluded.expiry,
         location = excluded.location, quantity_minor = excluded.quantity_minor, state = excluded.state, parent = excluded.parent,
         change_seq = excluded.change_seq`,
      [JSON.stringify(huRows)],
    );
    await tx.query(
      `INSERT INTO hu_scope_change (hu, location, change_seq)
       SELECT h.id, l.location, h.change_seq
       FROM jsonb_to_recordset($1::jsonb) AS h(id text, change_seq bigint, locations jsonb),
         LATERAL jsonb_array_elements_text(h.locations) AS l(location)
       ON CONFLICT (hu, location) DO UPDATE SET change_seq = excluded.change_seq`,
      [JSON.stringify(huRows.map((h) => ({ id: h.id, change_seq: h.change_seq, locations: h.locations })))],
    );
  }
  const bulkRows = [...changes.bulk.values()].map((b) => ({ ...b, batch: b.batch ?? '', change_seq: ++changeSeq }));
  if (bulkRows.length > 0) {
    await tx.query(
      `INSERT INTO bulk_stock (location, material, batch, quantity_minor, change_seq)
       SELECT location, material, batch, "quantityMinor", change_seq
       FROM jsonb_to_recordset($1::jsonb) AS b(location text, material text, batch text, "quantityMinor" bigint, change_seq bigint)
       ON CONFLICT (location, material, batch) DO UPDATE SET quantity_minor = excluded.quantity_minor, change_seq = excluded.change_seq`,
      [JSON.stringify(bulkRows)],
    );
  }
  return changeSeq;
}
