// The central's HTTP application, without listening: tests drive it with `app.inject`,
// startCentral puts it on a port.
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { authenticate } from './authenticate.js';
import type { CentralDb } from './central-db.js';
import { CentralError, type ErrorBody } from './central-error.js';
import { healthRoute } from './routes/health-route.js';
import { importRoute } from './routes/import-route.js';
import { queryRoutes } from './routes/query-routes.js';
import { syncRoutes } from './routes/sync-routes.js';
import { terminalsRoute } from './routes/terminals-route.js';
import { RequestValidationError, zodValidatorCompiler, type ZodTypeProvider } from './zod-type-provider.js';

export interface CentralAppOptions {
  db: CentralDb;
  /** SHA-256 (hex) of the admin token. */
  adminTokenHash: string;
  logger: Logger;
}

/** Requests without their own limit (everything but push and import) are small. */
const DEFAULT_BODY_LIMIT = 64 * 1024;

export type CentralApp = Awaited<ReturnType<typeof buildCentralApp>>;

export async function buildCentralApp(options: CentralAppOptions) {
  const app = Fastify({ loggerInstance: options.logger, bodyLimit: DEFAULT_BODY_LIMIT, return503OnClosing: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(zodValidatorCompiler);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', authenticate(options.db, options.adminTokenHash));
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReply(error, request.routeOptions.config.invalidRequestCode);
    if (status === 500) request.log.error({ err: error }, 'request failed');
    else if (status >= 500) request.log.warn({ err: { message: (error as Error).message } }, 'database unavailable');
    if (status === 401) void reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'not-found', message: `There is no ${request.method} ${request.url.split('?')[0] ?? ''} here.` } } satisfies ErrorBody),
  );

  const routes = { db: options.db };
  await app.register(healthRoute, routes);
  await app.register(importRoute, routes);
  await app.register(terminalsRoute, routes);
  await app.register(syncRoutes, routes);
  await app.register(queryRoutes, routes);
  return app;
}

const PG_UNAVAILABLE = /^(08|57P0)/;

function errorReply(error: unknown, invalidRequestCode: string | undefined): { status: number; body: ErrorBody } {
  if (error instanceof CentralError) {
    return { status: error.statusCode, body: { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } } };
  }
  if (error instanceof RequestValidationError) {
    const code = invalidRequestCode ?? 'invalid-request';
    return { status: 400, body: { error: { code, message: error.message, details: { part: error.part, errors: error.problems } } } };
  }
  const e = (error ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  const pgCode = typeof e.code === 'string' ? e.code : '';
  if (pgCode === '23505') return { status: 409, body: { error: { code: 'conflict', message: 'This conflicts with what the central already holds (a duplicate id).' } } };
  if (PG_UNAVAILABLE.test(pgCode) || pgCode === 'ECONNREFUSED' || pgCode === 'ECONNRESET' || (typeof e.message === 'string' && /Connection terminated/.test(e.message))) {
    return { status: 503, body: { error: { code: 'database-unavailable', message: 'The central cannot reach its database just now; try again.' } } };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = status === 413 ? 'too-large' : status === 415 ? 'unsupported-media-type' : 'bad-request';
    return { status, body: { error: { code, message: typeof e.message === 'string' ? e.message : 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'The central failed to handle this request; the failure is logged.' } } };
}
