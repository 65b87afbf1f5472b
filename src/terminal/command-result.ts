import type { z } from 'zod';
import { requiredMessage, zodProblems } from '../api/zod-problems.js';
import type { DomainError } from '../domain/result.js';

/** A refused command: the error shape of contracts.md §3 plus the HTTP status it maps to. */
export interface CommandError extends DomainError {
  status: 400 | 401 | 403 | 404 | 409;
}

export type CommandResult<T> = { ok: true; value: T } | { ok: false; error: CommandError };

// Codes that name a missing thing, a state conflict, or a right; everything else is bad input.
const notFound = new Set(['unknown-command', 'unknown-material', 'unknown-order', 'unknown-hu', 'unknown-location', 'unknown-posting', 'unknown-operation', 'unknown-backlog']);
const conflict = new Set([
  'insufficient-stock', 'hu-empty', 'hu-cancelled', 'hu-already-there', 'hu-not-at-location', 'order-not-released', 'already-reversed',
  'cannot-reverse-reversal', 'output-hu-used', 'hu-moved-since', 'request-id-reused', 'sscc-range-exhausted', 'over-tolerance',
  'exceeds-previous-operation', 'master-data-missing', 'not-a-machine-location', 'backlog-settled', 'wrong-material',
  'not-at-machine', 'not-a-storage-location', 'not-an-sscc', 'label-not-encodable', 'sync-unavailable', 'wrong-batch',
]);

// Who you are: no session, an ended one, a wrong PIN, a locked badge.
const unauthenticated = new Set(['not-logged-in', 'session-expired', 'wrong-pin', 'badge-locked']);

export function refuse(error: DomainError): { ok: false; error: CommandError } {
  const status = unauthenticated.has(error.code) ? 401 : error.code === 'forbidden' ? 403 : notFound.has(error.code) ? 404 : conflict.has(error.code) ? 409 : 400;
  return { ok: false, error: { ...error, status } };
}

/** Parses a command's input; every problem is named with its path, nothing runs on bad input. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): CommandResult<z.infer<S>> {
  const parsed = schema.safeParse(input, { error: requiredMessage });
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = zodProblems(parsed.error.issues);
  return refuse({
    code: 'invalid-input',
    message: `The request is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    details: { problems },
  });
}
