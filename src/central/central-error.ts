// Expected refusals of the central: a status, a code a client can act on, a message a person
// understands. The error handler turns them into `{ error: { code, message, details? } }`.

export class CentralError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CentralError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
