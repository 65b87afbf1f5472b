import { emptyReplayState, replayEffects, type BacklogRecord, type Effect, type HuRecord } from './effects.js';
import { fail, ok, type Result } from './result.js';

export interface PostingToReverse {
  id: string;
  kind: string;
  effects: readonly Effect[];
}

export interface ReversalLookups {
  hu(id: string): HuRecord | undefined;
  backlog(id: string): BacklogRecord | undefined;
  /** Ids of the HUs of a material mounted at a location now. */
  mountedAt(location: string, material: string): readonly string[];
}

export interface ReversalPlan {
  effects: Effect[];
  warnings: { code: string; message: string; hu?: string }[];
}

/**
 * The effects that exactly undo a posting (product.md "Reversal"): the same quantities back to
 * the same HUs wherever they are now (a move since is flagged), open backlog cancelled, backlog
 * retried on its behalf (`alongWith`) given back to the HUs it was taken from, an untouched
 * output HU cancelled. `alongWith` are the retry postings made for the original's backlog or
 * triggered by the stock it brought.
 */
export function planReversal(
  original: PostingToReverse,
  alongWith: readonly PostingToReverse[],
  lookups: ReversalLookups,
): Result<ReversalPlan> {
  if (original.kind === 'reversal') return fail('cannot-reverse-reversal', 'A reversal cannot be reversed; post the original again instead.');

  // A working copy of the HUs touched, so each step sees the state left by the steps before it.
  const work = emptyReplayState();
  const backlog = (id: string): BacklogRecord | undefined => {
    if (!work.backlog.has(id)) {
      const current = lookups.backlog(id);
      if (current) work.backlog.set(id, { ...current });
    }
    return work.backlog.get(id);
  };
  const hu = (id: string): HuRecord => {
    let copy = work.hus.get(id);
    if (!copy) {
      const current = lookups.hu(id);
      if (!current) throw new Error(`HU ${id} of posting ${original.id} is missing`);
      copy = { ...current };
      work.hus.set(id, copy);
    }
    return copy;
  };

  const created = original.effects.filter((e) => e.t === 'hu-create');
  for (const c of created) {
    const produced = original.effects.reduce((sum, e) => (e.t === 'hu-quantity' && e.hu === c.hu ? sum + e.deltaMinor : sum), 0);
    const now = hu(c.hu);
    if (now.state !== 'available' || now.location !== c.location || now.quantityMinor !== produced) {
      return fail('output-hu-used', `Output HU ${c.hu} has been moved or used since; bring it back to ${c.location} in full before reversing.`, { hu: c.hu });
    }
  }
  for (const m of original.effects) {
    if (m.t === 'hu-move' && hu(m.hu).location !== m.to) {
      return fail('hu-moved-since', `HU ${m.hu} has moved on from ${m.to} since; reverse that move first.`, { hu: m.hu });
    }
  }

  const effects: Effect[] = [];
  const warnings: ReversalPlan['warnings'] = [];
  const push = (e: Effect): void => {
    effects.push(e);
    // The working copy follows HUs and backlog; progress needs no look back.
    if (e.t === 'backlog-settle') backlog(e.id);
    if (e.t === 'hu-quantity' || e.t === 'hu-state' || e.t === 'hu-move' || e.t === 'backlog-settle') replayEffects(work, [e], '', '');
  };
  const undo = (e: Effect): void => {
    switch (e.t) {
      case 'hu-quantity': {
        const now = hu(e.hu);
        if (e.location !== undefined && now.location !== e.location) {
          warnings.push({ code: 'hu-moved', hu: e.hu, message: `HU ${e.hu} was at ${e.location} and is now at ${now.location}; the quantity goes back to it there.` });
        }
        push({ ...e, deltaMinor: -e.deltaMinor, ...(e.location !== undefined ? { location: now.location } : {}) });
        break;
      }
      case 'hu-state': {
        const now = hu(e.hu);
        if (now.state !== e.to) break;
        const othersMounted = lookups.mountedAt(now.location, now.material).filter((id) => id !== e.hu && (work.hus.get(id)?.state ?? 'mounted') === 'mounted');
        const back = e.from === 'mounted' && othersMounted.length > 0 ? 'available' : e.from;
        push({ t: 'hu-state', hu: e.hu, from: e.to, to: back });
        break;
      }
      case 'hu-create':
        push({ t: 'hu-state', hu: e.hu, from: hu(e.hu).state, to: 'cancelled' });
        break;
      case 'hu-move':
        push({ t: 'hu-move', hu: e.hu, from: e.to, to: e.from });
        break;
      case 'bulk-quantity':
        push({ ...e, deltaMinor: -e.deltaMinor });
        break;
      case 'backlog-open': {
        const open = backlog(e.id)?.openMinor ?? 0;
        if (open > 0) push({ t: 'backlog-settle', id: e.id, quantityMinor: open, how: 'cancelled' });
        break;
      }
      case 'backlog-settle':
        // An undone retry or resolution reopens its entry; if the entry's own posting is being reversed, its open
        // quantity (now including this) is cancelled when that posting's backlog-open is undone.
        if (e.how !== 'reopened' && e.how !== 'cancelled') push({ t: 'backlog-settle', id: e.id, quantityMinor: e.quantityMinor, how: 'reopened' });
        break;
      case 'progress':
        push({ ...e, goodMinor: -e.goodMinor, scrapMinor: -e.scrapMinor });
        break;
      case 'final':
        push({ ...e, final: !e.final });
        break;
      case 'fixed-issue':
        push({ ...e, issued: !e.issued });
        break;
      case 'reversed':
        break;
    }
  };

  for (const retry of [...alongWith].reverse()) for (const e of [...retry.effects].reverse()) undo(e);
  for (const e of [...original.effects].reverse()) undo(e);
  for (const p of [original, ...alongWith]) effects.push({ t: 'reversed', posting: p.id });
  return ok({ effects, warnings });
}
