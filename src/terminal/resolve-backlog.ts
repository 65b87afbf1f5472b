import { resolveBacklogInputSchema } from '../api/commands.js';
import type { Effect } from '../domain/effects.js';
import { planBacklogRetry } from '../domain/plan-movements.js';
import { fromMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { appendPosting } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { trackReplenishment } from '../store/track-replenishment.js';
import { readMaterial } from '../store/read-master-data.js';
import { readBacklog, readHu, readStockSources } from '../store/read-stock.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface ResolveBacklogResult {
  postingId: string;
  /** What was settled now, in the material's base UoM; the rest stays open. */
  settled: number;
  open: number;
}

/**
 * A supervisor settles a backlog entry: retry against stock (or one HU) at its location, book it
 * into negative stock there, or write it off. Reversing the entry's posting undoes this too.
 */
export function resolveBacklog(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<ResolveBacklogResult> {
  const parsed = parseInput(resolveBacklogInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const refused = requireRole(actor, ['supervisor'], 'resolve backlog');
  if (refused) return refused;
  return ctx.db.transaction((): CommandResult<ResolveBacklogResult> => {
    const entry = readBacklog(ctx.db, input.id);
    if (!entry) return refuse({ code: 'unknown-backlog', message: `There is no backlog entry ${input.id}.` });
    if (entry.openMinor <= 0) return refuse({ code: 'backlog-settled', message: `Backlog entry ${input.id} is already settled.` });
    const material = readMaterial(ctx.db, entry.material);
    const decimals = material?.decimals ?? 0;
    const consumedFor = { order: entry.order, operation: entry.operation };
    let effects: Effect[];
    let settledMinor = entry.openMinor;
    if (input.action === 'retry') {
      let sources = readStockSources(ctx.db, entry.location, entry.material);
      if (input.hu !== undefined) {
        const hu = readHu(ctx.db, input.hu);
        if (!hu) return refuse({ code: 'unknown-hu', message: `There is no HU ${input.hu}.` });
        if (hu.material !== entry.material) return refuse({ code: 'wrong-material', message: `HU ${hu.id} holds ${hu.material}, the backlog waits for ${entry.material}.` });
        if (hu.location !== entry.location) return refuse({ code: 'hu-not-at-location', message: `HU ${hu.id} is at ${hu.location}, the backlog waits at ${entry.location}.` });
        sources = sources.filter((s) => s.hu === hu.id);
      }
      const planned = planBacklogRetry([entry], sources);
      const taken = planned.retried[0];
      if (!taken) {
        return refuse({ code: 'insufficient-stock', message: `There is no ${entry.material} in stock ${input.hu ? `in HU ${input.hu}` : `at ${entry.location}`} to retry with.` });
      }
      effects = planned.effects;
      settledMinor = taken.quantityMinor;
    } else if (input.action === 'negative') {
      effects = [
        { t: 'bulk-quantity', location: entry.location, material: entry.material, batch: null, deltaMinor: -entry.openMinor, for: consumedFor },
        { t: 'backlog-settle', id: entry.id, quantityMinor: entry.openMinor, how: 'negative' },
      ];
    } else {
      effects = [{ t: 'backlog-settle', id: entry.id, quantityMinor: entry.openMinor, how: 'writtenOff' }];
    }
    const postingId = ctx.newId();
    appendPosting(ctx.db, {
      id: postingId, kind: 'backlog-resolution', requestId: null, createdAt: ctx.now(), user: actor.userId, scan: null,
      data: { backlog: entry.id, original: entry.postingId, action: input.action, hu: input.hu ?? null }, effects,
    });
    trackReplenishment(ctx.db, [{ location: entry.location, material: entry.material }], ctx.now(), ctx.newId);
    prepared(ctx.db, 'INSERT INTO backlog_retry (retry_posting_id, original_posting_id, trigger_posting_id) VALUES (?, ?, ?)').run(postingId, entry.postingId, postingId);
    return { ok: true, value: { postingId, settled: fromMinor(settledMinor, decimals), open: fromMinor(entry.openMinor - settledMinor, decimals) } };
  }).immediate();
}
