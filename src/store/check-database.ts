import type { Database } from 'better-sqlite3';
import {
  bulkKey, emptyReplayState, fixedKey, progressKey, replayEffects, type Effect, type ReplayState,
} from '../domain/effects.js';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH, hashPostingText, type PostingBody } from './ledger.js';

export interface CheckReport {
  ok: boolean;
  postings: number;
  problems: string[];
}

interface PostingRow { id: string; seq: number; kind: string; created_at: string; user_id: string; body: string; prev_hash: string; hash: string }

const MAX_PROBLEMS = 100;

/**
 * Verifies a terminal database: every posting's hash and its link to the one before, gap-free
 * seqs, the outbox, and that replaying inbound facts and postings gives exactly the balances.
 */
export function checkDatabase(db: Database): CheckReport {
  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const state = emptyReplayState();
  const inbound = db.prepare('SELECT id, after_seq, received_at, body FROM inbound ORDER BY after_seq, id').all() as {
    id: number; after_seq: number; received_at: string; body: string;
  }[];
  let nextInbound = 0;
  const replayInboundUpTo = (seq: number) => {
    for (; nextInbound < inbound.length && (inbound[nextInbound]?.after_seq ?? Infinity) <= seq; nextInbound++) {
      const row = inbound[nextInbound];
      if (!row) break;
      safely(() => replayEffects(state, (JSON.parse(row.body) as { effects: Effect[] }).effects, row.received_at, `inbound ${row.id}`), `inbound ${row.id}`, problem);
    }
  };

  replayInboundUpTo(0);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (const row of db.prepare('SELECT id, seq, kind, created_at, user_id, body, prev_hash, hash FROM posting ORDER BY seq').iterate() as IterableIterator<PostingRow>) {
    count++;
    if (row.seq !== expectedSeq) problem(`seq ${row.seq} follows ${expectedSeq - 1}: postings ${expectedSeq}..${row.seq - 1} are missing`);
    expectedSeq = row.seq + 1;
    let body: PostingBody;
    try {
      body = JSON.parse(row.body) as PostingBody;
    } catch {
      problem(`posting seq ${row.seq}: body is not JSON`);
      continue;
    }
    if (canonicalJson(body) !== row.body) problem(`posting seq ${row.seq}: body is not in canonical form (edited?)`);
    if (body.id !== row.id || body.seq !== row.seq || body.kind !== row.kind || body.createdAt !== row.created_at || body.user !== row.user_id) {
      problem(`posting seq ${row.seq}: columns disagree with the hashed body`);
    }
    if (body.prevHash !== prevHash || row.prev_hash !== prevHash) problem(`posting seq ${row.seq}: hash chain broken (previous hash does not match)`);
    const hash = hashPostingText(row.body);
    if (hash !== row.hash) problem(`posting seq ${row.seq}: hash does not match its content (tampered?)`);
    prevHash = row.hash;
    safely(() => replayEffects(state, body.effects, body.createdAt, body.id), `posting seq ${row.seq}`, problem);
    replayInboundUpTo(row.seq);
  }
  replayInboundUpTo(Infinity);

  const ack = (db.prepare('SELECT acknowledged_seq FROM sync_state WHERE id = 1').get() as { acknowledged_seq: number } | undefined)?.acknowledged_seq ?? 0;
  if (ack > count) problem(`outbox: the central acknowledged seq ${ack} but the ledger ends at ${count}`);

  compareBalances(db, state, problem);
  return { ok: problems.length === 0, postings: count, problems };
}

function safely(run: () => void, where: string, problem: (p: string) => void): void {
  try {
    run();
  } catch (error) {
    problem(`${where}: replay failed: ${(error as Error).message}`);
  }
}

function compareBalances(db: Database, state: ReplayState, problem: (p: string) => void): void {
  const compare = (what: string, expected: Map<string, string>, actual: Map<string, string>) => {
    for (const [key, value] of expected) {
      const found = actual.get(key);
      if (found === undefined) problem(`${what} ${key.replaceAll('\u0000', '/')}: replay gives ${value}, the table has nothing`);
      else if (found !== value) problem(`${what} ${key.replaceAll('\u0000', '/')}: replay gives ${value}, the table has ${found}`);
    }
    for (const [key, value] of actual) {
      if (!expected.has(key)) problem(`${what} ${key.replaceAll('\u0000', '/')}: the table has ${value}, the ledger never made it`);
    }
  };
  const huText = (h: { material: string; batch: string | null; location: string; quantityMinor: number; state: string; arrivedAt: string; parent: string | null }) =>
    canonicalJson([h.material, h.batch, h.location, h.quantityMinor, h.state, h.arrivedAt, h.parent]);
  compare(
    'HU',
    new Map([...state.hus.values()].map((h) => [h.id, huText(h)])),
    new Map(
      (db.prepare('SELECT * FROM handling_unit').all() as { id: string; material: string; batch: string | null; location: string; quantity_minor: number; state: string; arrived_at: string; parent: string | null }[]).map((r) => [
        r.id,
        huText({ material: r.material, batch: r.batch, location: r.location, quantityMinor: r.quantity_minor, state: r.state, arrivedAt: r.arrived_at, parent: r.parent }),
      ]),
    ),
  );
  compare(
    'stock without HU',
    new Map([...state.bulk.entries()].filter(([, b]) => b.quantityMinor !== 0).map(([k, b]) => [k, String(b.quantityMinor)])),
    new Map(
      (db.prepare('SELECT location, material, batch, quantity_minor FROM bulk_stock WHERE quantity_minor <> 0').all() as { location: string; material: string; batch: string; quantity_minor: number }[]).map((r) => [
        bulkKey(r.location, r.material, r.batch === '' ? null : r.batch),
        String(r.quantity_minor),
      ]),
    ),
  );
  compare(
    'backlog',
    new Map([...state.backlog.values()].map((b) => [b.id, String(b.openMinor)])),
    new Map((db.prepare('SELECT id, open_minor FROM backlog').all() as { id: string; open_minor: number }[]).map((r) => [r.id, String(r.open_minor)])),
  );
  compare(
    'progress',
    new Map([...state.progress.values()].map((p) => [progressKey(p.order, p.operation), canonicalJson([p.goodMinor, p.scrapMinor, p.final])])),
    new Map(
      (db.prepare('SELECT * FROM operation_progress').all() as { order_id: string; operation: string; good_minor: number; scrap_minor: number; final: number }[]).map((r) => [
        progressKey(r.order_id, r.operation),
        canonicalJson([r.good_minor, r.scrap_minor, r.final === 1]),
      ]),
    ),
  );
  compare(
    'fixed component issue',
    new Map([...state.fixedIssued].map((k) => [k, 'issued'])),
    new Map((db.prepare('SELECT order_id, line FROM fixed_issue').all() as { order_id: string; line: number }[]).map((r) => [fixedKey(r.order_id, r.line), 'issued'])),
  );
  compare(
    'reversal of posting',
    new Map(state.reversedBy),
    new Map((db.prepare('SELECT posting_id, reversal_id FROM posting_reversal').all() as { posting_id: string; reversal_id: string }[]).map((r) => [r.posting_id, r.reversal_id])),
  );
}
