import { trueUpHuInputSchema } from '../api/commands.js';
import { planTrueUp } from '../domain/plan-inventory.js';
import { fromMinor, toMinor } from '../domain/quantity.js';
import { Rational } from '../domain/rational.js';
import type { Actor } from '../domain/types.js';
import { appendPosting } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { readConsumedFromHuSince } from '../store/read-consumption.js';
import { readMaterial } from '../store/read-master-data.js';
import { readHu } from '../store/read-stock.js';
import { trackReplenishment } from '../store/track-replenishment.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import { recordAnomalyIfAny } from './record-anomaly.js';
import type { TerminalContext } from './terminal-context.js';

export interface TrueUpResult {
  postingId: string;
  /** Book minus actual, in the base UoM: positive when less was found than the books said. */
  difference: number;
  uom: string;
  attributed: { order: string; operation: string; quantity: number }[];
  anomaly: boolean;
}

/** An HU reported empty or weighed: the difference to the books is posted and attributed to the orders that used it since it was mounted. */
export function trueUpHu(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<TrueUpResult> {
  const parsed = parseInput(trueUpHuInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const refused = requireRole(actor, ['operator', 'supervisor'], 'true up an HU');
  if (refused) return refused;
  return ctx.db.transaction((): CommandResult<TrueUpResult> => {
    const hu = readHu(ctx.db, input.hu);
    if (!hu) return refuse({ code: 'unknown-hu', message: `There is no HU ${input.hu}.` });
    const material = readMaterial(ctx.db, hu.material);
    if (!material) return refuse({ code: 'master-data-missing', message: `Material ${hu.material} is unknown.` });
    let remaining = input.remaining;
    if (input.uom !== undefined && input.uom !== material.baseUom) {
      const alternative = prepared(ctx.db, 'SELECT base_uom_per_unit FROM material_alternative_uom WHERE material = ? AND uom = ?').get(material.id, input.uom) as
        | { base_uom_per_unit: number }
        | undefined;
      if (!alternative) return refuse({ code: 'unknown-uom', message: `${material.id} is not counted in ${input.uom}; use ${material.baseUom}.` });
      const uomDecimals = (prepared(ctx.db, 'SELECT decimals FROM uom WHERE id = ?').get(input.uom) as { decimals: number }).decimals;
      if (!(remaining >= 0) || toMinor(remaining, uomDecimals) === null) {
        return refuse({ code: 'invalid-quantity', message: `${remaining} ${input.uom} is not a quantity: at least 0, at most ${uomDecimals} decimals.` });
      }
      // A weighed rest in kg becomes metres: converted exactly, rounded to the base UoM's decimals.
      const base = Rational.fromNumber(remaining).mul(Rational.fromNumber(alternative.base_uom_per_unit)).mul(Rational.of(10n ** BigInt(material.decimals))).round('halfUp');
      remaining = fromMinor(Number(base), material.decimals);
    }
    const actualMinor = remaining >= 0 ? toMinor(remaining, material.decimals) : null;
    if (actualMinor === null) {
      return refuse({ code: 'invalid-quantity', message: `${remaining} ${material.baseUom} is not a quantity: at least 0, at most ${material.decimals} decimals.` });
    }
    const consumed = readConsumedFromHuSince(ctx.db, hu.id, hu.sinceSeq ?? 0);
    const planned = planTrueUp(hu, actualMinor, consumed.shares);
    if (!planned.ok) return refuse(planned.error);
    const postingId = ctx.newId();
    const at = ctx.now();
    const { effects, differenceMinor } = planned.value;
    appendPosting(ctx.db, {
      id: postingId, kind: 'true-up', requestId: null, createdAt: at, user: actor.userId, scan: null,
      data: { hu: hu.id, bookMinor: hu.quantityMinor, actualMinor, remaining: input.remaining, uom: input.uom ?? material.baseUom }, effects,
    });
    const anomaly = recordAnomalyIfAny(
      ctx.db,
      { id: ctx.newId(), postingId, kind: 'true-up', location: hu.location, material: hu.material, hu: hu.id, differenceMinor, decimals: material.decimals, at },
      consumed,
    );
    trackReplenishment(ctx.db, [{ location: hu.location, material: hu.material }], at, ctx.newId);
    const attributed = effects.flatMap((e) => (e.t === 'hu-quantity' && e.for ? [{ order: e.for.order, operation: e.for.operation, quantity: fromMinor(-e.deltaMinor, material.decimals) }] : []));
    return { ok: true, value: { postingId, difference: fromMinor(differenceMinor, material.decimals), uom: material.baseUom, attributed, anomaly } };
  }).immediate();
}
