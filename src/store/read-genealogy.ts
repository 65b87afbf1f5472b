import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

export interface GenealogyInput {
  material: string;
  batch: string | null;
  hu: string | null;
}

export interface GenealogyOutput {
  hu: string;
  order: string;
  material: string;
  batch: string | null;
}

// An output holds what its order consumed up to the posting that made it, at every operation,
// including backlog that was booked by then and retried later (for a recall, too wide is safe).
const consumptionOf = `consumption c
  LEFT JOIN backlog_retry r ON r.retry_posting_id = c.posting_id
  LEFT JOIN posting original ON original.id = r.original_posting_id`;
const upToOutput = `c.order_id = o.order_id AND (c.posting_seq <= o.posting_seq OR original.seq <= o.posting_seq)`;

/** Which inputs (HUs and batches) went into an output HU. */
export function readGenealogyInputs(db: Database, outputHu: string): GenealogyInput[] {
  return prepared(
    db,
    `SELECT c.material, c.batch, c.hu FROM order_output o, ${consumptionOf}
     WHERE o.hu = @hu AND ${upToOutput}
     GROUP BY c.material, c.batch, c.hu HAVING sum(c.quantity_minor) > 0 ORDER BY c.material, c.batch, c.hu`,
  ).all({ hu: outputHu }) as GenealogyInput[];
}

/** Which output HUs contain an input HU, or a batch of a material. */
export function readGenealogyOutputs(db: Database, input: { hu: string } | { material: string; batch: string }): GenealogyOutput[] {
  const match = 'hu' in input ? 'c.hu = @hu' : 'c.material = @material AND c.batch = @batch';
  return prepared(
    db,
    `SELECT o.hu, o.order_id AS "order", h.material, h.batch FROM order_output o JOIN handling_unit h ON h.id = o.hu
     WHERE EXISTS (SELECT 1 FROM ${consumptionOf} WHERE ${upToOutput} AND ${match}
                   GROUP BY c.hu, c.batch HAVING sum(c.quantity_minor) > 0)
     ORDER BY o.posting_seq`,
  ).all({ hu: null, material: null, batch: null, ...input }) as GenealogyOutput[];
}
