// The sync wire format between a terminal and the central (contracts.md §4, §5), declared once
// for both sides. Quantities in effects are integers in minor units, as in the terminal's ledger.
import { z } from 'zod';

const id = z.string().min(1).max(200);
const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** One posting exactly as the terminal's ledger holds it, plus its hash (see src/store/ledger.ts). */
export const wirePostingSchema = z.strictObject({
  id: z.uuid(),
  terminal: id,
  seq: z.int().min(1),
  kind: z.enum(['confirmation', 'mount', 'transfer', 'backlog-retry', 'backlog-resolution', 'true-up', 'count', 'reversal']),
  requestId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  user: id,
  scan: z.string().max(4096).nullable(),
  prevHash: hash,
  data: z.record(z.string(), z.unknown()),
  /** Validated in depth by the central's ingest (src/domain/effects.ts `Effect`). */
  effects: z.array(z.record(z.string(), z.unknown())).max(10_000),
  hash,
});

/** POST /sync/push: a batch of consecutive postings of the calling terminal, oldest first. */
export const pushRequestSchema = z.strictObject({
  terminal: id,
  postings: z.array(wirePostingSchema).min(1).max(1000),
});

/**
 * The answer to a push. `acknowledgedSeq` is the highest seq the central holds for the terminal
 * (the terminal learns it only from here); when the batch did not start at `acknowledgedSeq + 1`
 * nothing was applied and the terminal resends from `expectedSeq`.
 */
export const pushResponseSchema = z.strictObject({
  acknowledgedSeq: z.int().min(0),
  expectedSeq: z.int().min(1),
  applied: z.int().min(0),
  exceptions: z.int().min(0),
});

/** An HU as the central sees it. */
export const huStateSchema = z.strictObject({
  id,
  material: id,
  batch: z.string().nullable(),
  expiry: z.string().nullable(),
  location: id,
  quantityMinor: z.int(),
  state: z.enum(['available', 'mounted', 'empty', 'cancelled']),
  parent: z.string().nullable(),
});

export const stockChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hu'), hu: huStateSchema }),
  z.strictObject({ kind: z.literal('bulk'), location: id, material: id, batch: z.string().nullable(), quantityMinor: z.int() }),
]);

/**
 * GET /sync/pull?cursor=C&limit=N: changes in the terminal's scope after C, in commit order.
 * `epoch` names the central's database; a new epoch (a restored server) means: refetch master
 * data and stock from cursor "0", never drop the outbox. `masterData` comes when the epoch or the
 * master data changed since the cursor.
 */
export const pullResponseSchema = z.strictObject({
  epoch: z.string(),
  cursor: z.string(),
  more: z.boolean(),
  masterData: z.record(z.string(), z.unknown()).nullable(),
  changes: z.array(stockChangeSchema),
});

export type WirePosting = z.infer<typeof wirePostingSchema>;
export type PushRequest = z.infer<typeof pushRequestSchema>;
export type PushResponse = z.infer<typeof pushResponseSchema>;
export type HuState = z.infer<typeof huStateSchema>;
export type StockChange = z.infer<typeof stockChangeSchema>;
export type PullResponse = z.infer<typeof pullResponseSchema>;
