// Tokens are 32 random bytes, so a plain SHA-256 is enough to keep them unreadable in the
// database (a slow hash protects guessable secrets such as PINs, not random ones).
import { createHash, randomBytes } from 'node:crypto';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
