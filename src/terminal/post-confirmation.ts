import { postConfirmationInputSchema, type PostConfirmationInput } from '../api/commands.js';
import { backlogId, confirmationEffects } from '../domain/confirmation-effects.js';
import { fromMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { canonicalJson } from '../store/canonical-json.js';
import { appendPosting, readPostingByRequest } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { recordConfirmationLines } from '../store/record-confirmation-lines.js';
import { trackReplenishment } from '../store/track-replenishment.js';
import { allocateSscc } from './allocate-sscc.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import { describeLine, describeWarnings, planConfirmation } from './plan-confirmation.js';
import type { TerminalContext } from './terminal-context.js';

export interface PostConfirmationResult {
  postingId: string;
  lines: ReturnType<typeof describeLine>[];
  backlog: { id: string; material: string; location: string; quantity: number; uom: string }[];
  output: { hu: string; material: string; quantity: number; uom: string; batch: string | null; location: string } | null;
  warnings: ReturnType<typeof describeWarnings>;
}

/** What makes two requests the same confirmation (the idempotency key's payload). */
function sameRequest(a: PostConfirmationInput, b: PostConfirmationInput): boolean {
  const strip = ({ scan: _scan, ...rest }: PostConfirmationInput) => canonicalJson(rest);
  return strip(a) === strip(b);
}

/**
 * Posts a confirmation with its backflush in one durable transaction. The same `requestId`
 * twice posts once and answers the first result again.
 */
export function postConfirmation(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<PostConfirmationResult> {
  const parsed = parseInput(postConfirmationInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  return ctx.db.transaction((): CommandResult<PostConfirmationResult> => {
    const earlier = readPostingByRequest(ctx.db, input.requestId);
    if (earlier) {
      if (earlier.kind !== 'confirmation' || !sameRequest(earlier.data.input as PostConfirmationInput, input)) {
        return refuse({ code: 'request-id-reused', message: 'This request id was already used for a different posting.' });
      }
      const stored = earlier.data.result as Omit<PostConfirmationResult, 'warnings'>;
      return { ok: true, value: { ...stored, warnings: describeWarnings(stored.lines) } };
    }
    const planned = planConfirmation(ctx, actor, input);
    if (!planned.ok) return planned;
    const { plan, product, request, order } = planned.value;
    const postingId = ctx.newId();
    const outputHu = plan.output ? allocateSscc(ctx.db, ctx.terminalId) : null;
    if (plan.output && !outputHu) {
      return refuse({ code: 'sscc-range-exhausted', message: 'This terminal has no HU numbers left for the output; ask a supervisor.' });
    }
    const effects = confirmationEffects(plan, request, { postingId, outputHu });
    const lines = plan.lines.map(describeLine);
    const result: PostConfirmationResult = {
      postingId,
      lines,
      backlog: plan.lines
        .filter((l) => l.shortfallMinor > 0 && l.policy === 'backlog')
        .map((l) => ({ id: backlogId(postingId, l.line), material: l.component, location: l.location, quantity: fromMinor(l.shortfallMinor, l.decimals), uom: l.uom })),
      output: plan.output && outputHu
        ? { hu: outputHu, material: plan.output.material, quantity: fromMinor(plan.output.quantityMinor, product.decimals), uom: product.baseUom, batch: plan.output.batch, location: plan.output.location }
        : null,
      warnings: describeWarnings(lines),
    };
    const { scan, requestId, ...recorded } = input;
    const posting = appendPosting(ctx.db, {
      id: postingId, kind: 'confirmation', requestId, createdAt: ctx.now(), user: actor.userId, scan: scan ?? null,
      // The answer is kept for a repeated requestId; its warnings are derived again from the lines.
      data: { input: { requestId, ...recorded }, order: order.id, result: { ...result, warnings: undefined }, negative: plan.negative },
      effects,
    });
    const at = posting.createdAt;
    const lineRecords = plan.lines.filter((l) => l.backflush).map((l) => ({
      line: l.line, material: l.component, location: l.location, standardMinor: l.standardMinor,
      overrideMinor: l.quantityMinor - l.lineScrapMinor - l.standardMinor, lineScrapMinor: l.lineScrapMinor,
    }));
    recordConfirmationLines(ctx.db, { id: postingId, at, order: order.id, operation: input.operation, product: order.material, goodMinor: request.goodMinor }, lineRecords, 1);
    trackReplenishment(ctx.db, lineRecords.map((l) => ({ location: l.location, material: l.material })), at, ctx.newId);
    // Genealogy: the output holds what its order consumed up to this posting, at every operation.
    if (outputHu) prepared(ctx.db, 'INSERT INTO order_output (hu, order_id, posting_seq) VALUES (?, ?, ?)').run(outputHu, order.id, posting.seq);
    return { ok: true, value: result };
  }).immediate();
}
