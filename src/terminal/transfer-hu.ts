import { transferHuInputSchema } from '../api/commands.js';
import { planTransfer } from '../domain/plan-movements.js';
import { toMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { appendPosting } from '../store/ledger.js';
import { readLocation, readMaterial } from '../store/read-master-data.js';
import { readHu } from '../store/read-stock.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import { retryBacklog, type RetriedBacklog } from './retry-backlog.js';
import type { TerminalContext } from './terminal-context.js';

export interface TransferResult {
  postingId: string;
  hu: string;
  /** Backlog at the destination that the arriving HU settled at once. */
  backlogRetried: RetriedBacklog[];
}

/** Moves a whole HU to a location; waiting backlog of its material there is retried at once. */
export function transferHu(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<TransferResult> {
  const parsed = parseInput(transferHuInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const refused = requireRole(actor, ['materialHandler', 'supervisor'], 'transfer stock');
  if (refused) return refused;
  return ctx.db.transaction((): CommandResult<TransferResult> => {
    const hu = readHu(ctx.db, input.hu);
    if (!hu) return refuse({ code: 'unknown-hu', message: `There is no HU ${input.hu}.` });
    const to = readLocation(ctx.db, input.to);
    if (!to) return refuse({ code: 'unknown-location', message: `There is no location ${input.to}.` });
    if (input.quantity !== undefined) {
      const decimals = readMaterial(ctx.db, hu.material)?.decimals ?? 0;
      const minor = input.quantity > 0 ? toMinor(input.quantity, decimals) : null;
      if (minor === null) return refuse({ code: 'invalid-quantity', message: `${input.quantity} is not a quantity that can be moved.` });
      if (minor !== hu.quantityMinor) {
        return refuse({ code: 'split-not-available', message: 'Moving part of an HU (a split) is not available yet; move the whole HU.' });
      }
    }
    const planned = planTransfer(hu, to);
    if (!planned.ok) return refuse(planned.error);
    const postingId = ctx.newId();
    appendPosting(ctx.db, {
      id: postingId, kind: 'transfer', requestId: null, createdAt: ctx.now(), user: actor.userId, scan: input.scan ?? null,
      data: { hu: hu.id, from: hu.location, to: to.id }, effects: planned.value,
    });
    const backlogRetried = retryBacklog(ctx, actor, to.id, hu.material, postingId);
    return { ok: true, value: { postingId, hu: hu.id, backlogRetried } };
  }).immediate();
}
