// The terminal's HTTP client for the central's sync endpoints (contracts.md §4, §5): Node's
// fetch (undici) with a timeout per request, gzip request bodies, the terminal's bearer token.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { z } from 'zod';
import { pullResponseSchema, pushResponseSchema, type PullResponse, type PushResponse } from '../api/sync.js';

const gzipAsync = promisify(gzip);

/** A posting as the ledger stores it: its canonical body text and the hash of that text. */
export interface StoredPosting {
  body: string;
  hash: string;
}

export interface PushBatch {
  terminal: string;
  /** Consecutive postings of the terminal, oldest first. */
  postings: readonly StoredPosting[];
}

export interface CentralClient {
  /** A push's request body, ready to send (JSON, gzip): made while the push before it is in flight. */
  encodePush(batch: PushBatch): Promise<Buffer>;
  sendPush(body: Buffer): Promise<PushResponse>;
  push(batch: PushBatch): Promise<PushResponse>;
  pull(cursor: string, limit: number): Promise<PullResponse>;
}

/** The central could not be reached, did not answer in time, or answered with an error. */
export class CentralError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null when no answer came. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'CentralError';
  }
}

export interface CentralClientOptions {
  /** The central's base URL, e.g. http://127.0.0.1:8700 */
  url: string;
  /** This terminal's token from provisioning. */
  token: string;
  /** Per request (ms); default 30 s. */
  timeoutMs?: number;
  /** Aborts every request in flight (the sync stopping). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** zlib level for request bodies; default 1: most of the saving at a fraction of the CPU of level 6. */
  gzipLevel?: number;
}

export function createCentralClient(options: CentralClientOptions): CentralClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const level = options.gzipLevel ?? 1;

  async function request(method: 'GET' | 'POST', path: string, body?: Buffer): Promise<unknown> {
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
    if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body, signal });
      text = await response.text();
    } catch (error) {
      throw new CentralError(unreachable(base, error, timeoutMs), null);
    }
    if (!response.ok) throw new CentralError(`central answered ${response.status} to ${method} ${path.split('?')[0] ?? path}: ${errorMessage(text)}`, response.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CentralError(`central answered ${method} ${path.split('?')[0] ?? path} with something that is not JSON`, response.status);
    }
  }

  return {
    async encodePush(batch) {
      // The stored canonical text goes out as it is: no parse and re-serialize per posting.
      let json = `{"terminal":${JSON.stringify(batch.terminal)},"postings":[`;
      batch.postings.forEach((p, i) => {
        json += `${i === 0 ? '' : ','}${p.body.slice(0, -1)},"hash":${JSON.stringify(p.hash)}}`;
      });
      json += ']}';
      return gzipAsync(json, { level });
    },
    async sendPush(body) {
      return parseAnswer(pushResponseSchema, await request('POST', '/sync/push', body), 'push');
    },
    async push(batch) {
      return this.sendPush(await this.encodePush(batch));
    },
    async pull(cursor, limit) {
      const answer = await request('GET', `/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${limit}`);
      return parseAnswer(pullResponseSchema, answer, 'pull');
    },
  };
}

function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, what: string): T {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new CentralError(`central's ${what} answer does not follow the sync contract${first ? ` at ${['$', ...first.path.map(String)].join('.')}: ${first.message}` : ''}`, null);
}

/** The central's error message, from its `{ error: { code, message } }` body where it sent one. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const message = body.error?.message;
    const code = body.error?.code;
    if (typeof message === 'string') return typeof code === 'string' ? `${code}: ${message}` : message;
  } catch {
    // Not JSON: a proxy's page, say; a short piece of it says enough.
  }
  return text.slice(0, 200) || '(no body)';
}

function unreachable(base: string, error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return error.name === 'TimeoutError' ? `central at ${base} did not answer within ${timeoutMs / 1000} s` : `request to ${base} was cancelled`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return `central at ${base} unreachable: ${code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))}`;
}
