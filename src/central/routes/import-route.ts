import { z } from 'zod';
import { validateMasterData } from '../../api/validate-master-data.js';
import { importMasterData } from '../import-master-data.js';
import type { CentralPlugin } from './central-plugin.js';

/** The master data file validated whole (schema and references), every error at its JSON path. */
const masterDataBody = z.unknown().transform((doc, ctx) => {
  const validation = validateMasterData(doc);
  if (validation.ok) return validation.value;
  for (const e of validation.errors) ctx.issues.push({ code: 'custom', message: e.message, input: doc, params: { jsonPath: e.path } });
  return z.NEVER;
});

/** POST /api/import: all or nothing; the same file twice changes nothing. */
export const importRoute: CentralPlugin = (app, { db }, done) => {
  app.post(
    '/api/import',
    { schema: { body: masterDataBody }, bodyLimit: 20 * 1024 * 1024, config: { access: 'admin', invalidRequestCode: 'invalid-master-data' } },
    (request) => importMasterData(db, request.body),
  );
  done();
};
