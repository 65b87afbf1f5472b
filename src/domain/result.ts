// Expected failures are values with a code and a message for the person at the machine.

export interface DomainError {
  code: string;
  message: string;
  /** Machine-readable facts behind the message (missing quantities, limits …). */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string, details?: Record<string, unknown>): { ok: false; error: DomainError } {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}
