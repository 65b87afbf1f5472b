import { reversePostingInputSchema } from '../api/commands.js';
import { planReversal } from '../domain/plan-reversal.js';
import type { Actor } from '../domain/types.js';
import { appendPosting, readPosting } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { negateConfirmationLines } from '../store/record-confirmation-lines.js';
import { touchedBy, trackReplenishment } from '../store/track-replenishment.js';
import { readBacklog, readHu } from '../store/read-stock.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface ReversalResult {
  postingId: string;
  warnings: { code: string; message: string; hu?: string }[];
}

/** A new posting that exactly undoes an earlier one (product.md "Reversal"); nothing is deleted. */
export function reversePosting(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<ReversalResult> {
  const parsed = parseInput(reversePostingInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const refused = requireRole(actor, ['supervisor'], 'reverse a posting');
  if (refused) return refused;
  const { db } = ctx;
  return db.transaction((): CommandResult<ReversalResult> => {
    const original = readPosting(db, input.postingId);
    if (!original) return refuse({ code: 'unknown-posting', message: `There is no posting ${input.postingId}.` });
    const reversedBy = prepared(db, 'SELECT reversal_id FROM posting_reversal WHERE posting_id = ?').get(original.id) as { reversal_id: string } | undefined;
    if (reversedBy) return refuse({ code: 'already-reversed', message: `Posting ${original.id} was already reversed by ${reversedBy.reversal_id}.` });
    const alongIds = prepared(
      db,
      `SELECT r.retry_posting_id AS id FROM backlog_retry r JOIN posting p ON p.id = r.retry_posting_id
       WHERE (r.original_posting_id = @id OR r.trigger_posting_id = @id) AND r.retry_posting_id <> @id AND NOT EXISTS (SELECT 1 FROM posting_reversal v WHERE v.posting_id = r.retry_posting_id)
       ORDER BY p.seq`,
    ).all({ id: original.id }) as { id: string }[];
    const along = alongIds.map((a) => readPosting(db, a.id)).filter((p) => p !== undefined);
    const planned = planReversal(original, along, {
      hu: (id) => readHu(db, id),
      backlog: (id) => readBacklog(db, id),
      mountedAt: (location, material) =>
        (prepared(db, `SELECT id FROM handling_unit WHERE location = ? AND material = ? AND state = 'mounted'`).all(location, material) as { id: string }[]).map((r) => r.id),
    });
    if (!planned.ok) return refuse(planned.error);
    const postingId = ctx.newId();
    const at = ctx.now();
    appendPosting(db, {
      id: postingId, kind: 'reversal', requestId: null, createdAt: at, user: actor.userId, scan: null,
      data: { reverses: original.id, reason: input.reason, along: along.map((p) => p.id), warnings: planned.value.warnings },
      effects: planned.value.effects,
    });
    if (original.kind === 'confirmation') negateConfirmationLines(db, original.id, { id: postingId, at });
    trackReplenishment(db, touchedBy(db, planned.value.effects), at, ctx.newId);
    return { ok: true, value: { postingId, warnings: planned.value.warnings } };
  }).immediate();
}
