// `shopfloor central [--port N] [--host H] [--database URL] [--data DIR]`: prints the URL it
// listens on (and, at the first start without SHOPFLOOR_ADMIN_TOKEN, the admin token, once);
// logs go to stderr. SIGINT/SIGTERM close it cleanly.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runUntilSignal } from '../cli/run-until-signal.js';
import { centralLogger } from './central-logger.js';

export async function runCentral(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, database: { type: 'string' }, data: { type: 'string' } },
      strict: true,
    }).values;
  } catch (error) {
    err.write(`shopfloor central: ${(error as Error).message}\n`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    err.write(`shopfloor central: --port must be a port number, not ${values.port}\n`);
    return 2;
  }
  const database = values.database ?? process.env['DATABASE_URL'];
  let central;
  try {
    // Loaded here, not at the top: every other `shopfloor` command would pay for Fastify and PGlite.
    const { startCentral } = await import('./start-central.js');
    central = await startCentral({
      database: database === '' ? undefined : database,
      dataDir: resolve(values.data ?? 'shopfloor-central'),
      port,
      host: values.host,
      adminToken: process.env['SHOPFLOOR_ADMIN_TOKEN'] || undefined,
      logger: centralLogger(process.stderr),
    });
  } catch (error) {
    err.write(`shopfloor central: ${(error as Error).message}\n`);
    return 1;
  }
  out.write(`${central.url}\n`);
  if (central.adminTokenGenerated && central.adminToken !== null) {
    out.write(`admin token (shown this once, only its hash is kept; set SHOPFLOOR_ADMIN_TOKEN to choose one): ${central.adminToken}\n`);
  }
  const running = central;
  return runUntilSignal('central', async () => {
    running.app.log.info('closing');
    await running.close();
  }, err);
}
