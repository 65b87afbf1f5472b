import type { Actor, Role } from '../domain/types.js';
import { refuse, type CommandError } from './command-result.js';

const roleNames: Record<Role, string> = { operator: 'operator', materialHandler: 'material handler', supervisor: 'supervisor' };

/** product.md "People and rights", checked in the service for every command. */
export function requireRole(actor: Actor, allowed: readonly Role[], action: string): { ok: false; error: CommandError } | null {
  if (actor.roles.some((r) => allowed.includes(r))) return null;
  const who = allowed.map((r) => roleNames[r]).join(' or ');
  return refuse({
    code: 'forbidden',
    message: `Only ${/^[aeiou]/.test(who) ? 'an' : 'a'} ${who} may ${action}.`,
    details: { rolesNeeded: allowed },
  });
}
