import { postConfirmationInputSchema, type PostConfirmationInput } from '../api/commands.js';
import { backlogId, confirmationEffects } from '../domain/confirmation-effects.js';
import { fromMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { canonicalJson } from '../store/canonical-json.js';
import { appendPosting, readPostingByRequest } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { readOrderInputs } from '../store/read-stock.js';
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
      return { ok: true, value: earlier.data.result as PostConfirmationResult };
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
      warnings: describeWarnings(planned.value),
    };
    // Genealogy: everything the order consumed up to this output, at every operation.
    const genealogy = outputHu ? genealogyInputs(readOrderInputs(ctx.db, order.id), lines) : [];
    const { scan, requestId, ...recorded } = input;
    appendPosting(ctx.db, {
      id: postingId, kind: 'confirmation', requestId, createdAt: ctx.now(), user: actor.userId, scan: scan ?? null,
      data: { input: { requestId, ...recorded }, result, negative: plan.negative, genealogy }, effects,
    });
    const link = prepared(ctx.db, 'INSERT INTO genealogy (output_hu, input_material, input_batch, input_hu) VALUES (?, ?, ?, ?)');
    for (const g of genealogy) link.run(outputHu, g.material, g.batch, g.hu);
    return { ok: true, value: result };
  }).immediate();
}

type Input = { material: string; batch: string | null; hu: string | null };

function genealogyInputs(before: Input[], lines: PostConfirmationResult['lines']): Input[] {
  const all = [...before, ...lines.flatMap((l) => l.sources.map((s) => ({ material: l.component, batch: s.batch, hu: s.hu })))];
  const seen = new Map(all.map((i) => [`${i.material}\u0000${i.batch ?? ''}\u0000${i.hu ?? ''}`, i]));
  return [...seen.values()];
}
