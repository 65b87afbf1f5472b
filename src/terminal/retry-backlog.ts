import type { Actor } from '../domain/types.js';
import { fromMinor } from '../domain/quantity.js';
import { planBacklogRetry } from '../domain/plan-movements.js';
import { appendPosting } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { readMaterial } from '../store/read-master-data.js';
import { readOpenBacklog, readStockSources } from '../store/read-stock.js';
import type { TerminalContext } from './terminal-context.js';

export interface RetriedBacklog {
  postingId: string;
  backlog: string;
  quantity: number;
  uom: string;
}

/**
 * Stock of a material arrived at a location: retry its open backlog there, oldest first. Each
 * entry gets a posting of its own, so reversing its original undoes exactly that retry.
 * Call inside the transaction that brought the stock.
 */
export function retryBacklog(ctx: TerminalContext, actor: Actor, location: string, material: string, trigger: string): RetriedBacklog[] {
  const done: RetriedBacklog[] = [];
  const m = readMaterial(ctx.db, material);
  for (const entry of readOpenBacklog(ctx.db, { location, material })) {
    const { effects, retried } = planBacklogRetry([entry], readStockSources(ctx.db, location, material));
    const taken = retried[0];
    if (!taken) break;
    const postingId = ctx.newId();
    appendPosting(ctx.db, {
      id: postingId, kind: 'backlog-retry', requestId: null, createdAt: ctx.now(), user: actor.userId, scan: null,
      data: { trigger, backlog: entry.id, original: entry.postingId, order: entry.order, operation: entry.operation },
      effects,
    });
    prepared(ctx.db, 'INSERT INTO backlog_retry (retry_posting_id, original_posting_id, trigger_posting_id) VALUES (?, ?, ?)').run(postingId, entry.postingId, trigger);
    done.push({ postingId, backlog: entry.id, quantity: fromMinor(taken.quantityMinor, m?.decimals ?? 0), uom: m?.baseUom ?? '' });
  }
  return done;
}
