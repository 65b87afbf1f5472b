import { mountHuInputSchema } from '../api/commands.js';
import { planMount } from '../domain/plan-movements.js';
import { fromMinor } from '../domain/quantity.js';
import type { Actor } from '../domain/types.js';
import { appendPosting } from '../store/ledger.js';
import { readLocation, readMaterial } from '../store/read-master-data.js';
import { readHu, readMountedHus } from '../store/read-stock.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface MountResult {
  postingId: string | null;
  hu: { id: string; material: string; batch: string | null; quantity: number; uom: string; location: string; state: string };
}

/** Mounts an HU at its machine location: it is consumed first from now on. Mounting it again changes nothing. */
export function mountHu(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<MountResult> {
  const parsed = parseInput(mountHuInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const refused = requireRole(actor, ['operator', 'supervisor'], 'mount an HU');
  if (refused) return refused;
  return ctx.db.transaction((): CommandResult<MountResult> => {
    const hu = readHu(ctx.db, input.hu);
    if (!hu) return refuse({ code: 'unknown-hu', message: `There is no HU ${input.hu}.` });
    const location = readLocation(ctx.db, input.location);
    if (!location) return refuse({ code: 'unknown-location', message: `There is no location ${input.location}.` });
    const planned = planMount(hu, location, readMountedHus(ctx.db, location.id, hu.material));
    if (!planned.ok) return refuse(planned.error);
    let postingId: string | null = null;
    if (planned.value.length > 0) {
      postingId = ctx.newId();
      appendPosting(ctx.db, {
        id: postingId, kind: 'mount', requestId: null, createdAt: ctx.now(), user: actor.userId, scan: input.scan ?? null,
        data: { hu: hu.id, location: location.id }, effects: planned.value,
      });
    }
    const material = readMaterial(ctx.db, hu.material);
    const decimals = material?.decimals ?? 0;
    return {
      ok: true,
      value: {
        postingId,
        hu: { id: hu.id, material: hu.material, batch: hu.batch, quantity: fromMinor(hu.quantityMinor, decimals), uom: material?.baseUom ?? '', location: hu.location, state: 'mounted' },
      },
    };
  }).immediate();
}
