// POST /api/terminals: a new token for a terminal of the master data. The token is shown once and
// kept only as its hash; provisioning again replaces it, so a lost or copied token is revoked.
import type { CentralDb } from './central-db.js';
import { CentralError } from './central-error.js';
import { hashToken, newToken } from './hash-token.js';

export async function provisionTerminal(db: CentralDb, terminalId: string): Promise<{ terminal: string; token: string }> {
  const token = newToken();
  const rows = await db.query<{ id: string }>(
    'UPDATE terminal SET token_hash = $2, provisioned_at = now() WHERE id = $1 AND in_master_data RETURNING id',
    [terminalId, hashToken(token)],
  );
  if (rows.length === 0) {
    throw new CentralError(404, 'unknown-terminal', `Terminal ${terminalId} is not in the master data; import a file that lists it first.`);
  }
  return { terminal: terminalId, token };
}
