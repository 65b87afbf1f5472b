import type { FastifyPluginCallback, RawServerDefault } from 'fastify';
import type { CentralDb } from '../central-db.js';
import type { ZodTypeProvider } from '../zod-type-provider.js';

/** A route plugin of the central: small, typed by its zod schemas, given the database. */
export type CentralPlugin = FastifyPluginCallback<{ db: CentralDb }, RawServerDefault, ZodTypeProvider>;
