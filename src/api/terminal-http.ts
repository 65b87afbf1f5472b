// Browser mode (contracts.md §3): `POST /api/<command>` for every command of the contract,
// `GET /api/events` as server-sent events, `/healthz`, and the renderer's files from the same origin.
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { commandNames } from './terminal-commands.js';

/** What the transport needs of the terminal service (src/terminal/terminal-service.ts). */
export interface TerminalApiBackend {
  call(name: string, token: string | null, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: ApiError & { status: number } }>;
  on(event: 'event', listener: (event: { type: string }) => void): unknown;
  off(event: 'event', listener: (event: { type: string }) => void): unknown;
  /** Whether a session token is live (the event stream shows private events only then). */
  isLive(token: string): boolean;
  isPublicEvent(event: { type: string }): boolean;
  terminalId: string;
}

export interface ApiError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface TerminalHttpOptions {
  backend: TerminalApiBackend;
  logger: Logger;
  bodyLimitBytes?: number;
  /** The renderer's built files; without them / shows a page saying where the API is. */
  uiDir?: string | undefined;
  /** Sent on the event stream when nothing else is, so proxies and browsers keep it open. */
  heartbeatMs?: number;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const PLACEHOLDER_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>shopfloor terminal</title>
<body><h1>shopfloor terminal</h1><p>The terminal service is running. The screens (renderer) are not built into this installation yet.</p>
<p>API: <code>POST /api/&lt;command&gt;</code> with a JSON body; events: <code>GET /api/events</code>; health: <code>/healthz</code>.</p></body></html>`;

const errorBody = (code: string, message: string, details?: Record<string, unknown>) => ({ error: { code, message, ...(details ? { details } : {}) } });

/** Requests Node refuses before Fastify sees them (headers too large, not HTTP): still the contract's error shape. */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'headers-too-large', 'The request headers are too large.']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'timeout', 'The request did not arrive in time.']
    : [400, 'bad-request', 'The request is not valid HTTP.'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return null;
}

export async function buildTerminalHttp(options: TerminalHttpOptions) {
  const { backend } = options;
  // Warnings and errors only: the per-request info lines would log event-stream URLs, which carry session tokens.
  const httpLogger = options.logger.child({});
  if (httpLogger.levelVal < 40) httpLogger.level = 'warn';
  const app = Fastify({
    loggerInstance: httpLogger, bodyLimit: options.bodyLimitBytes ?? 256 * 1024, return503OnClosing: true, clientErrorHandler: answerClientError,
  });

  // Strict JSON: the default parser (no __proto__ or constructor.prototype), and an empty body means no input.
  // Fastify also takes text/plain by default: removed, so anything but JSON is 415.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') done(null, {});
    else void parseJson(request, text, done);
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });
  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: error, url: request.url.split('?')[0] }, 'request failed');
      return reply.code(500).send(errorBody('internal', 'The terminal failed to handle this request; the failure is logged.'));
    }
    const code = status === 413 ? 'too-large' : status === 415 ? 'unsupported-media-type' : error.code?.startsWith('FST_ERR_CTP') ? 'invalid-json' : 'bad-request';
    const message = status === 413 ? `The request is larger than ${Math.round((options.bodyLimitBytes ?? 256 * 1024) / 1024)} KB.`
      : status === 415 ? 'Send the request as application/json.'
      : code === 'invalid-json' ? `The request body is not valid JSON: ${error.message ?? ''}` : (error.message ?? 'bad request');
    return reply.code(status).send(errorBody(code, message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('not-found', `There is no ${request.method} ${request.url.split('?')[0] ?? ''} here.`)),
  );

  app.get('/healthz', () => ({ ok: true, terminalId: backend.terminalId }));

  for (const name of commandNames) {
    app.post(`/api/${name}`, async (request, reply) => {
      const result = await backend.call(name, bearer(request), request.body);
      if (result.ok) return reply.send(result.value);
      if (result.error.status === 401) void reply.header('www-authenticate', 'Bearer');
      const { status, ...error } = result.error;
      return reply.code(status).send({ error });
    });
  }

  // Open event streams would hold app.close() forever: they end when the server closes.
  const streams = new Set<() => void>();
  app.addHook('onClose', (_app, done) => {
    for (const close of streams) close();
    done();
  });
  app.get('/api/events', (request, reply) => streamEvents(backend, request, reply, options.heartbeatMs ?? 15_000, streams));

  if (options.uiDir && existsSync(options.uiDir)) {
    await app.register(fastifyStatic, { root: options.uiDir, index: 'index.html' });
  } else {
    app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(PLACEHOLDER_PAGE));
  }
  return app;
}

function streamEvents(backend: TerminalApiBackend, request: FastifyRequest, reply: FastifyReply, heartbeatMs: number, streams: Set<() => void>) {
  // EventSource cannot set headers: the token may come as ?token=.
  const query = request.query as { token?: unknown };
  const token = bearer(request) ?? (typeof query.token === 'string' && query.token !== '' ? query.token : null);
  if (token !== null && !backend.isLive(token)) {
    return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('not-logged-in', 'This session has ended: log in with your badge and PIN.'));
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  raw.write(': connected\n\n');
  const send = (event: { type: string }) => {
    const live = token !== null && backend.isLive(token);
    if (!backend.isPublicEvent(event) && !live) {
      // The session this stream belonged to has ended: the screen goes back to the login.
      if (token !== null && event.type === 'session-ended') close();
      return;
    }
    raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    backend.off('event', send);
    streams.delete(close);
  };
  const close = () => {
    stop();
    raw.end();
  };
  streams.add(close);
  backend.on('event', send);
  request.raw.on('close', stop);
}
