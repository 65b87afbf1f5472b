import { z } from 'zod';
import { parseExportCursor, readExport } from '../read-export.js';
import { readExceptions } from '../read-exceptions.js';
import { readHandlingUnit } from '../read-handling-unit.js';
import { readLocationStock } from '../read-location-stock.js';
import { readPostings } from '../read-postings.js';
import type { CentralPlugin } from './central-plugin.js';

const id = z.string().min(1).max(200);
const after = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0);
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** The admin's read endpoints (contracts §4): stock, one HU, the ledger as received, exceptions, the ERP export. */
export const queryRoutes: CentralPlugin = (app, { db }, done) => {
  const admin = { access: 'admin' as const };

  app.get('/api/stock', { schema: { querystring: z.strictObject({ location: id }) }, config: admin }, (request) =>
    readLocationStock(db, request.query.location),
  );

  app.get('/api/handling-units/:id', { schema: { params: z.strictObject({ id }) }, config: admin }, (request) =>
    readHandlingUnit(db, request.params.id),
  );

  app.get(
    '/api/postings',
    { schema: { querystring: z.strictObject({ terminal: id.optional(), after, limit: limit(5000, 1000) }) }, config: admin },
    (request) => readPostings(db, request.query),
  );

  app.get(
    '/api/exceptions',
    { schema: { querystring: z.strictObject({ terminal: id.optional(), hu: id.optional(), after, limit: limit(5000, 1000) }) }, config: admin },
    (request) => readExceptions(db, request.query),
  );

  app.get(
    '/api/export',
    { schema: { querystring: z.strictObject({ cursor: z.string().max(20).optional(), limit: limit(5000, 1000) }) }, config: admin },
    (request) => readExport(db, parseExportCursor(request.query.cursor), request.query.limit),
  );
  done();
};
