import { z } from 'zod';
import { provisionTerminal } from '../provision-terminal.js';
import type { CentralPlugin } from './central-plugin.js';

/** POST /api/terminals {id} → {terminal, token}: a new token, the old one revoked. */
export const terminalsRoute: CentralPlugin = (app, { db }, done) => {
  app.post(
    '/api/terminals',
    { schema: { body: z.strictObject({ id: z.string().min(1).max(200) }) }, config: { access: 'admin' } },
    (request) => provisionTerminal(db, request.body.id),
  );
  done();
};
