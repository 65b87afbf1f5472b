import { transferHuInputSchema } from '../api/commands.js';
import type { Effect } from '../domain/effects.js';
import { planSplit } from '../domain/plan-inventory.js';
import { planTransfer } from '../domain/plan-movements.js';
import { fromMinor, toMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { appendPosting, readPostingByRequest, type PostingBody } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { readLocation, readMaterial, type LocationRecord } from '../store/read-master-data.js';
import { readHu } from '../store/read-stock.js';
import { trackReplenishment } from '../store/track-replenishment.js';
import { allocateSscc } from './allocate-sscc.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import { renderHuLabel } from './render-hu-label.js';
import { retryBacklog, type RetriedBacklog } from './retry-backlog.js';
import type { TerminalContext } from './terminal-context.js';

export interface TransferResult {
  postingId: string;
  /** The HU that moved: the new HU when part of one was moved (a split). */
  hu: string;
  split: boolean;
  /** The new HU's label after a split, ready to print (SVG). */
  label?: { svg: string; elementString: string } | { error: string };
  /** Backlog at the destination that the arriving stock settled at once. */
  backlogRetried: RetriedBacklog[];
}

/**
 * Moves an HU, or part of it into a new HU with its own SSCC (a split), to a location; waiting
 * backlog of its material there is retried at once. `check` may refuse a move (returns).
 */
export function moveHu(
  ctx: TerminalContext,
  actor: Actor,
  input: { hu: string; to: string; quantity?: number | undefined; scan?: string | undefined; requestId?: string | undefined },
  kind: 'transfer' | 'return',
  check: (hu: { location: LocationRecord | undefined }, to: LocationRecord) => CommandResult<null> | null = () => null,
): CommandResult<TransferResult> {
  const refused = requireRole(actor, ['materialHandler', 'supervisor'], kind === 'return' ? 'return HUs' : 'transfer stock');
  if (refused) return refused;
  return ctx.db.transaction((): CommandResult<TransferResult> => {
    if (input.requestId !== undefined) {
      const earlier = readPostingByRequest(ctx.db, input.requestId);
      if (earlier) return answerAgain(ctx, earlier, input, kind);
    }
    const hu = readHu(ctx.db, input.hu);
    if (!hu) return refuse({ code: 'unknown-hu', message: `There is no HU ${input.hu}.` });
    const to = readLocation(ctx.db, input.to);
    if (!to) return refuse({ code: 'unknown-location', message: `There is no location ${input.to}.` });
    const checked = check({ location: readLocation(ctx.db, hu.location) }, to);
    if (checked && !checked.ok) return checked;
    const material = readMaterial(ctx.db, hu.material);
    const decimals = material?.decimals ?? 0;
    let quantityMinor = hu.quantityMinor;
    if (input.quantity !== undefined) {
      const minor = input.quantity > 0 ? toMinor(input.quantity, decimals) : null;
      if (minor === null) {
        return refuse({ code: 'invalid-quantity', message: `${input.quantity} is not a quantity that can be moved: above 0, at most ${decimals} decimals (${material?.baseUom ?? ''}).` });
      }
      if (minor > hu.quantityMinor) {
        return refuse({ code: 'exceeds-hu', message: `HU ${hu.id} holds ${hu.quantityMinor / 10 ** decimals} ${material?.baseUom ?? ''}, less than ${input.quantity}.` });
      }
      quantityMinor = minor;
    }
    const split = quantityMinor < hu.quantityMinor;
    let moved = hu.id;
    let effects: Effect[];
    if (split) {
      const child = allocateSscc(ctx.db, ctx.terminalId);
      if (!child) return refuse({ code: 'sscc-range-exhausted', message: 'This terminal has no HU numbers left for the new HU; ask a supervisor.' });
      const planned = planSplit(hu, quantityMinor, child, to);
      if (!planned.ok) return refuse(planned.error);
      effects = planned.value;
      moved = child;
    } else {
      const planned = planTransfer(hu, to);
      if (!planned.ok) return refuse(planned.error);
      effects = planned.value;
    }
    const postingId = ctx.newId();
    const at = ctx.now();
    appendPosting(ctx.db, {
      id: postingId, kind: 'transfer', requestId: input.requestId ?? null, createdAt: at, user: actor.userId, scan: input.scan ?? null,
      data: { kind, hu: hu.id, moved, from: hu.location, to: to.id, quantityMinor, split, quantity: input.quantity ?? null }, effects,
    });
    const backlogRetried = retryBacklog(ctx, actor, to.id, hu.material, postingId);
    trackReplenishment(ctx.db, [{ location: to.id, material: hu.material, arrivedMinor: quantityMinor }, { location: hu.location, material: hu.material }], at, ctx.newId);
    return { ok: true, value: { postingId, hu: moved, split, backlogRetried } };
  }).immediate();
}

/** The same requestId again: the first move's answer, if it was the same move; nothing is posted. */
function answerAgain(
  ctx: TerminalContext,
  earlier: PostingBody,
  input: { hu: string; to: string; quantity?: number | undefined },
  kind: 'transfer' | 'return',
): CommandResult<TransferResult> {
  const data = earlier.data as { kind?: string; hu?: string; to?: string; moved?: string; split?: boolean; quantity?: number | null };
  const same = earlier.kind === 'transfer' && data.kind === kind && data.hu === input.hu && data.to === input.to && (data.quantity ?? undefined) === input.quantity;
  if (!same) return refuse({ code: 'request-id-reused', message: 'This request id was already used for a different posting.' });
  const retries = prepared(
    ctx.db,
    `SELECT p.id, p.body ->> '$.data.backlog' AS backlog, p.body ->> '$.data.original' AS original FROM backlog_retry r JOIN posting p ON p.id = r.retry_posting_id
     WHERE r.trigger_posting_id = ? ORDER BY p.seq`,
  ).all(earlier.id) as { id: string; backlog: string; original: string }[];
  const material = readMaterial(ctx.db, readHu(ctx.db, data.moved ?? '')?.material ?? '');
  const backlogRetried = retries.map((r) => {
    const settled = prepared(
      ctx.db,
      `SELECT coalesce(sum(e.value ->> '$.quantityMinor'), 0) AS minor FROM posting p, json_each(p.body, '$.effects') e
       WHERE p.id = ? AND e.value ->> '$.t' = 'backlog-settle'`,
    ).get(r.id) as { minor: number };
    return { postingId: r.id, backlog: r.backlog, quantity: fromMinor(settled.minor, material?.decimals ?? 0), uom: material?.baseUom ?? '' };
  });
  return { ok: true, value: { postingId: earlier.id, hu: data.moved ?? input.hu, split: data.split === true, backlogRetried } };
}

/** Moves a whole HU, or part of it (a split), to a location. */
export function transferHu(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<TransferResult> {
  const parsed = parseInput(transferHuInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  return withLabel(ctx, moveHu(ctx, actor, parsed.value, 'transfer'));
}

/** A split makes a new HU: its label is rendered after the posting committed. */
export function withLabel(ctx: TerminalContext, moved: CommandResult<TransferResult>): CommandResult<TransferResult> {
  if (!moved.ok || !moved.value.split) return moved;
  const label = renderHuLabel(ctx, moved.value.hu);
  return { ok: true, value: { ...moved.value, label: label.ok ? { svg: label.value.svg, elementString: label.value.elementString } : { error: label.error.message } } };
}
