// GET /api/handling-units/:id: one HU as the central sees it, with the postings that touched it.
import type { Effect } from '../domain/effects.js';
import { fromMinor } from '../domain/quantity.js';
import type { HuState } from '../domain/types.js';
import type { CentralDb } from './central-db.js';
import { CentralError } from './central-error.js';

/** Who posted what and when, as the central received it: the head of an HU history item and of an export entry. */
export interface PostingHeader {
  terminal: string;
  seq: number;
  postingId: string;
  kind: string;
  createdAt: string;
  receivedAt: string;
  user: string;
}

export interface HandlingUnitView {
  id: string;
  material: string;
  batch: string | null;
  expiry: string | null;
  location: string;
  quantity: number;
  quantityMinor: number;
  uom: string;
  status: HuState;
  parent: string | null;
  /** The postings that touched this HU, in the order the central received them, with their effects on it. */
  history: (PostingHeader & { effects: Effect[] })[];
}

export async function readHandlingUnit(db: CentralDb, id: string): Promise<HandlingUnitView> {
  const [hu] = await db.query<{
    id: string; material: string; batch: string | null; expiry: string | null; location: string; quantity_minor: number;
    state: HuState; parent: string | null; base_uom: string | null; decimals: number | null;
  }>(
    `SELECT h.id, h.material, h.batch, h.expiry, h.location, h.quantity_minor, h.state, h.parent, m.base_uom, m.decimals
     FROM handling_unit h LEFT JOIN material m ON m.id = h.material WHERE h.id = $1`,
    [id],
  );
  if (!hu) throw new CentralError(404, 'unknown-hu', `The central knows no HU ${id}.`);
  const history = await db.query<{
    terminal_id: string; seq: number; id: string; kind: string; created_at: string; received_at: Date; user_id: string; body: string;
  }>(
    `SELECT p.terminal_id, p.seq, p.id, p.kind, p.created_at, p.received_at, p.user_id, p.body
     FROM hu_posting hp JOIN posting p ON p.ingest_seq = hp.ingest_seq WHERE hp.hu = $1 ORDER BY hp.ingest_seq`,
    [id],
  );
  return {
    id: hu.id, material: hu.material, batch: hu.batch, expiry: hu.expiry, location: hu.location,
    quantity: fromMinor(hu.quantity_minor, hu.decimals ?? 0), quantityMinor: hu.quantity_minor, uom: hu.base_uom ?? '',
    status: hu.state, parent: hu.parent,
    history: history.map((p) => ({
      terminal: p.terminal_id, seq: p.seq, postingId: p.id, kind: p.kind, createdAt: p.created_at, receivedAt: p.received_at.toISOString(), user: p.user_id,
      effects: (JSON.parse(p.body) as { effects: Effect[] }).effects.filter((e) => 'hu' in e && e.hu === id),
    })),
  };
}
