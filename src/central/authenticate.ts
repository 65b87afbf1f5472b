// Every request names who makes it: the admin (one token) or a terminal (its own token, looked
// up by hash). Routes declare who may call them in `config.access`; /healthz alone is public.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { CentralDb } from './central-db.js';
import { CentralError } from './central-error.js';
import { hashToken } from './hash-token.js';

export type Principal = { kind: 'admin' } | { kind: 'terminal'; terminalId: string };
export type Access = 'public' | 'admin' | 'terminal';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; routes without it (and unknown URLs) take any valid token. */
    access?: Access;
    /** The error code for a request that fails the route's schema (default `invalid-request`). */
    invalidRequestCode?: string;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

export function authenticate(db: CentralDb, adminTokenHash: string) {
  const admin = Buffer.from(adminTokenHash, 'hex');
  return async (request: FastifyRequest): Promise<void> => {
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined) throw new CentralError(401, 'unauthorized', 'This needs a token: send "Authorization: Bearer <token>".');
    const hash = hashToken(token);
    let principal: Principal | null = null;
    if (timingSafeEqual(Buffer.from(hash, 'hex'), admin)) principal = { kind: 'admin' };
    else {
      const [terminal] = await db.query<{ id: string }>('SELECT id FROM terminal WHERE token_hash = $1', [hash]);
      if (terminal) principal = { kind: 'terminal', terminalId: terminal.id };
    }
    if (!principal) throw new CentralError(401, 'unauthorized', 'The token is not valid (revoked, mistyped, or from another central).');
    if (access === 'admin' && principal.kind !== 'admin') throw new CentralError(403, 'forbidden', 'Only the admin token may do this.');
    if (access === 'terminal' && principal.kind !== 'terminal') throw new CentralError(403, 'forbidden', 'Only a terminal token may do this.');
    request.principal = principal;
  };
}

/** The calling terminal of a route with `access: 'terminal'`. */
export function callingTerminal(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind !== 'terminal') throw new Error('callingTerminal on a route that is not terminal-only');
  return principal.terminalId;
}
