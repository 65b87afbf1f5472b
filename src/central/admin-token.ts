// The admin token (contracts §2): SHOPFLOOR_ADMIN_TOKEN when given, else the one generated at the
// first start, shown once and kept only as its hash.
import type { CentralDb } from './central-db.js';
import { hashToken, newToken } from './hash-token.js';

export interface AdminToken {
  hash: string;
  /** The token itself when it was given or generated now; null when only its stored hash is known. */
  token: string | null;
  generated: boolean;
}

export const MIN_ADMIN_TOKEN_LENGTH = 16;

export async function resolveAdminToken(db: CentralDb, given: string | undefined): Promise<AdminToken> {
  if (given !== undefined) {
    if (given.length < MIN_ADMIN_TOKEN_LENGTH) throw new Error(`the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long`);
    return { hash: hashToken(given), token: given, generated: false };
  }
  const token = newToken();
  // Only the first start stores one; a concurrent start on the same database keeps the winner's.
  const [created] = await db.query<{ admin_token_hash: string }>(
    'UPDATE central_state SET admin_token_hash = $1 WHERE id = 1 AND admin_token_hash IS NULL RETURNING admin_token_hash',
    [hashToken(token)],
  );
  if (created) return { hash: created.admin_token_hash, token, generated: true };
  const [stored] = await db.query<{ admin_token_hash: string }>('SELECT admin_token_hash FROM central_state WHERE id = 1');
  if (!stored) throw new Error('central_state is missing: the database was not migrated');
  return { hash: stored.admin_token_hash, token: null, generated: false };
}
