import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest, RequestPayload } from 'fastify';
import { z } from 'zod';
import { pushRequestSchema, type PullResponse, type PushResponse } from '../../api/sync.js';
import { callingTerminal } from '../authenticate.js';
import { CentralError } from '../central-error.js';
import { checkPushBatch } from '../check-push-batch.js';
import { ingestPush } from '../ingest-push.js';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, readPull } from '../read-pull.js';
import type { CentralPlugin } from './central-plugin.js';

/** A week offline is pushed in batches of at most 1000 postings; this bounds one batch, decompressed. */
export const PUSH_BODY_LIMIT = 8 * 1024 * 1024;

const pullQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});

/** POST /sync/push and GET /sync/pull, for terminals only (contracts §5). */
export const syncRoutes: CentralPlugin = (app, { db }, done) => {
  app.post(
    '/sync/push',
    { schema: { body: pushRequestSchema }, bodyLimit: PUSH_BODY_LIMIT, preParsing: gunzipBody, config: { access: 'terminal' } },
    async (request): Promise<PushResponse> => {
      const terminalId = callingTerminal(request);
      return ingestPush(db, terminalId, checkPushBatch(request.body, terminalId));
    },
  );

  app.get('/sync/pull', { schema: { querystring: pullQuery }, config: { access: 'terminal' } }, async (request): Promise<PullResponse> =>
    readPull(db, callingTerminal(request), request.query.cursor, request.query.limit),
  );
  done();
};

/**
 * Terminals send pushes gzip-compressed. The body limit applies to the inflated bytes (Fastify
 * counts what this stream yields), so a small bomb cannot inflate past it.
 */
function gunzipBody(
  request: FastifyRequest,
  _reply: unknown,
  payload: RequestPayload,
  done: (error: Error | null, stream?: RequestPayload) => void,
): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') {
    done(null, payload);
    return;
  }
  if (encoding !== 'gzip') {
    done(new CentralError(415, 'unsupported-encoding', `Content-Encoding ${encoding} is not accepted; send gzip or none.`));
    return;
  }
  const inflated: PassThrough & { receivedEncodedLength?: number } = new PassThrough();
  const gunzip = createGunzip();
  // Fastify compares the bytes received with Content-Length; those are the compressed ones.
  let encoded = 0;
  payload.on('data', (chunk: Buffer) => {
    encoded += chunk.length;
    inflated.receivedEncodedLength = encoded;
  });
  gunzip.on('error', (error) => inflated.destroy(new CentralError(400, 'invalid-gzip', `The gzip body could not be read: ${error.message}`)));
  payload.pipe(gunzip).pipe(inflated);
  done(null, inflated);
}
