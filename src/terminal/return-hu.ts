import { returnHuInputSchema } from '../api/commands.js';
import type { Actor } from '../domain/types.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';
import { moveHu, type TransferResult } from './transfer-hu.js';

/** An unused HU goes back from its machine location to storage; a mounted HU comes off first. */
export function returnHu(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<TransferResult> {
  const parsed = parseInput(returnHuInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  return moveHu(ctx, actor, parsed.value, 'return', (hu, to) => {
    if (hu.location?.kind !== 'machine') return refuse({ code: 'not-at-machine', message: `HU ${parsed.value.hu} is not at a machine location; only HUs at machines are returned.` });
    if (to.kind !== 'storage') return refuse({ code: 'not-a-storage-location', message: `${to.id} is not a storage location; returns go to storage.` });
    return null;
  });
}
