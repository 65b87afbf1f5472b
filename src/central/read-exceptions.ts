// GET /api/exceptions: the conflicts sync accepted and recorded, oldest first.
import type { CentralDb } from './central-db.js';
import type { SyncException } from './apply-stock-effects.js';

export type SyncExceptionView = SyncException & { id: number; createdAt: string };

export async function readExceptions(
  db: CentralDb,
  query: { after: number; limit: number; terminal?: string | undefined; hu?: string | undefined },
): Promise<{ entries: SyncExceptionView[]; more: boolean; next: number }> {
  const rows = await db.query<{
    id: number; kind: SyncException['kind']; terminal_id: string; seq: number; posting_id: string; hu: string | null;
    location: string | null; material: string | null; message: string; created_at: Date;
  }>(
    `SELECT id, kind, terminal_id, seq, posting_id, hu, location, material, message, created_at FROM sync_exception
     WHERE id > $1 AND ($2::text IS NULL OR terminal_id = $2) AND ($3::text IS NULL OR hu = $3)
     ORDER BY id LIMIT $4`,
    [query.after, query.terminal ?? null, query.hu ?? null, query.limit + 1],
  );
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  return {
    entries: page.map((r) => ({
      id: r.id, kind: r.kind, terminal: r.terminal_id, seq: r.seq, postingId: r.posting_id, hu: r.hu, location: r.location,
      material: r.material, message: r.message, createdAt: r.created_at.toISOString(),
    })),
    more,
    next: page[page.length - 1]?.id ?? query.after,
  };
}
