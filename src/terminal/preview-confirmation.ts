import { confirmationInputSchema } from '../api/commands.js';
import { fromMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { parseInput, type CommandResult } from './command-result.js';
import { describeLine, describeWarnings, planConfirmation } from './plan-confirmation.js';
import type { TerminalContext } from './terminal-context.js';

export type PreviewResult = {
  lines: ReturnType<typeof describeLine>[];
  output: { material: string; quantity: number; uom: string; batch: string | null; location: string } | null;
  warnings: ReturnType<typeof describeWarnings>;
};

/** Exactly the lines `postConfirmation` would post now, from the same calculation; writes nothing. */
export function previewConfirmation(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<PreviewResult> {
  const input = parseInput(confirmationInputSchema, rawInput);
  if (!input.ok) return input;
  const planned = planConfirmation(ctx, actor, input.value);
  if (!planned.ok) return planned;
  const { plan, product } = planned.value;
  const lines = plan.lines.map(describeLine);
  return {
    ok: true,
    value: {
      lines,
      output: plan.output && {
        material: plan.output.material, quantity: fromMinor(plan.output.quantityMinor, product.decimals), uom: product.baseUom,
        batch: plan.output.batch, location: plan.output.location,
      },
      warnings: describeWarnings(lines),
    },
  };
}
