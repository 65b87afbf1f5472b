// GET /api/postings: the ledger as received, exactly as the terminals sent it (hash included).
// With a terminal: its postings in seq order after `after`; without: all, in the order the
// central received them, after the position `after`.
import type { WirePosting } from '../api/sync.js';
import type { CentralDb } from './central-db.js';

export type ReceivedPostingView = WirePosting & { receivedAt: string; position: number };

export interface PostingsPage {
  postings: ReceivedPostingView[];
  more: boolean;
  /** The `after` for the next page: a seq with a terminal, a position without. */
  next: number;
}

export async function readPostings(db: CentralDb, query: { terminal?: string | undefined; after: number; limit: number }): Promise<PostingsPage> {
  const rows = query.terminal === undefined
    ? await db.query<PostingRow>(
      'SELECT seq, body, hash, received_at, ingest_seq FROM posting WHERE ingest_seq > $1 ORDER BY ingest_seq LIMIT $2',
      [query.after, query.limit + 1],
    )
    : await db.query<PostingRow>(
      'SELECT seq, body, hash, received_at, ingest_seq FROM posting WHERE terminal_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [query.terminal, query.after, query.limit + 1],
    );
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  return {
    postings: page.map((r) => ({ ...(JSON.parse(r.body) as Omit<WirePosting, 'hash'>), hash: r.hash, receivedAt: r.received_at.toISOString(), position: r.ingest_seq })),
    more,
    next: last ? (query.terminal === undefined ? last.ingest_seq : last.seq) : query.after,
  };
}

interface PostingRow {
  seq: number;
  /** The canonical JSON the hash covers. */
  body: string;
  hash: string;
  received_at: Date;
  ingest_seq: number;
}
