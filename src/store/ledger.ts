import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Effect } from '../domain/effects.js';
import { applyEffects } from './apply-effects.js';
import { canonicalJson } from './canonical-json.js';
import { prepared } from './prepared.js';

export type PostingKind = 'confirmation' | 'mount' | 'transfer' | 'backlog-retry' | 'backlog-resolution' | 'true-up' | 'count' | 'reversal';

/** Everything a posting says; its hash covers exactly this (with the previous posting's hash). */
export interface PostingBody {
  id: string;
  terminal: string;
  seq: number;
  kind: PostingKind;
  requestId: string | null;
  createdAt: string;
  user: string;
  /** The raw scan data that led to the posting, where there was one. */
  scan: string | null;
  prevHash: string;
  data: Record<string, unknown>;
  effects: Effect[];
}

export type PostingDraft = Omit<PostingBody, 'terminal' | 'seq' | 'prevHash'>;

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a posting's canonical text (`canonicalJson(body)`, as stored in the `body` column). */
export function hashPostingText(canonicalBody: string): string {
  return createHash('sha256').update(canonicalBody).digest('hex');
}

export function terminalIdOf(db: Database): string {
  const row = prepared(db, 'SELECT terminal_id FROM terminal_identity WHERE id = 1').get() as { terminal_id: string } | undefined;
  if (!row) throw new Error('this database has no terminal identity yet (load master data for a terminal first)');
  return row.terminal_id;
}

/**
 * Appends a posting with the next seq and the previous hash, and applies its effects to the
 * balances. Call inside the transaction that also decided the posting.
 */
export function appendPosting(db: Database, draft: PostingDraft): PostingBody {
  const last = prepared(db, 'SELECT seq, hash FROM posting ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const body: PostingBody = { ...draft, terminal: terminalIdOf(db), seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH };
  // One canonical text: hashed, and stored as the body column that `shopfloor check` re-hashes.
  const text = canonicalJson(body);
  prepared(db, 
    `INSERT INTO posting (id, terminal_id, seq, kind, request_id, created_at, user_id, scan, body, prev_hash, hash)
     VALUES (@id, @terminal, @seq, @kind, @requestId, @createdAt, @user, @scan, @body, @prevHash, @hash)`,
  ).run({ ...body, body: text, hash: hashPostingText(text) });
  applyEffects(db, body.effects, { id: body.id, seq: body.seq, user: body.user }, body.createdAt);
  return body;
}

/** Records stock facts that come from outside this terminal's ledger (master data, later sync). */
export function appendInbound(db: Database, source: string, receivedAt: string, effects: readonly Effect[]): void {
  if (effects.length === 0) return;
  const last = prepared(db, 'SELECT coalesce(max(seq), 0) AS seq FROM posting').get() as { seq: number };
  prepared(db, 'INSERT INTO inbound (after_seq, source, received_at, body) VALUES (?, ?, ?, ?)').run(
    last.seq, source, receivedAt, canonicalJson({ effects }),
  );
  applyEffects(db, effects, { id: null, seq: last.seq, user: null }, receivedAt);
}

export function readPosting(db: Database, id: string): PostingBody | undefined {
  const row = prepared(db, 'SELECT body FROM posting WHERE id = ?').get(id) as { body: string } | undefined;
  return row ? (JSON.parse(row.body) as PostingBody) : undefined;
}

export function readPostingByRequest(db: Database, requestId: string): PostingBody | undefined {
  const row = prepared(db, 'SELECT body FROM posting WHERE request_id = ?').get(requestId) as { body: string } | undefined;
  return row ? (JSON.parse(row.body) as PostingBody) : undefined;
}

/** The postings the central has not acknowledged yet, in order. */
export function readOutbox(db: Database, limit: number): PostingBody[] {
  const rows = db
    .prepare('SELECT body FROM posting WHERE seq > (SELECT acknowledged_seq FROM sync_state WHERE id = 1) ORDER BY seq LIMIT ?')
    .all(limit) as { body: string }[];
  return rows.map((r) => JSON.parse(r.body) as PostingBody);
}
