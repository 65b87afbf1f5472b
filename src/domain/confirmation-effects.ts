import type { ConfirmationPlan, ConfirmationRequest } from './calculate-backflush.js';
import type { ConsumedFor, Effect } from './effects.js';

/** Backlog entries of a posting get ids derived from it, so the domain needs no id source. */
export const backlogId = (postingId: string, line: number): string => `${postingId}/${line}`;

/** The effects of a confirmation plan: consumption, empties, backlog or negative stock, progress, output. */
export function confirmationEffects(
  plan: ConfirmationPlan,
  req: ConfirmationRequest,
  ids: { postingId: string; outputHu: string | null },
): Effect[] {
  const effects: Effect[] = [];
  const consumedFor: ConsumedFor = { order: req.order.id, operation: req.operation };
  for (const line of plan.lines) {
    if (!line.backflush) continue;
    for (const take of line.takes) {
      if (take.source.hu === null) {
        effects.push({
          t: 'bulk-quantity', location: take.source.location, material: take.source.material, batch: take.source.batch,
          deltaMinor: -take.quantityMinor, for: consumedFor,
        });
        continue;
      }
      effects.push({ t: 'hu-quantity', hu: take.source.hu, deltaMinor: -take.quantityMinor, for: consumedFor, location: take.source.location });
      if (take.emptiesHu) effects.push({ t: 'hu-state', hu: take.source.hu, from: take.source.mounted ? 'mounted' : 'available', to: 'empty' });
    }
    if (line.shortfallMinor > 0 && line.policy === 'negative') {
      effects.push({
        t: 'bulk-quantity', location: line.location, material: line.component, batch: null, deltaMinor: -line.shortfallMinor, for: consumedFor,
      });
    } else if (line.shortfallMinor > 0) {
      effects.push({
        t: 'backlog-open', id: backlogId(ids.postingId, line.line), order: req.order.id, operation: req.operation,
        material: line.component, location: line.location, quantityMinor: line.shortfallMinor, reason: 'insufficient-stock',
      });
    }
    if (line.fixed && line.standardMinor > 0) effects.push({ t: 'fixed-issue', order: req.order.id, line: line.line, issued: true });
  }
  effects.push({ t: 'progress', order: req.order.id, operation: req.operation, goodMinor: req.goodMinor, scrapMinor: req.scrapMinor });
  if (plan.setsFinal) effects.push({ t: 'final', order: req.order.id, operation: req.operation, final: true });
  if (plan.output && ids.outputHu) {
    const o = plan.output;
    effects.push({ t: 'hu-create', hu: ids.outputHu, material: o.material, batch: o.batch, expiry: null, location: o.location, parent: null });
    effects.push({ t: 'hu-quantity', hu: ids.outputHu, deltaMinor: o.quantityMinor });
  }
  return effects;
}
