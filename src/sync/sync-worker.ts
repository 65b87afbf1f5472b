// The sync's thread: its own connection to the terminal's database (WAL: the terminal keeps
// writing while this one reads the outbox and applies pulls), so HTTP and merging never block the API.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { terminalIdOf } from '../store/ledger.js';
import { openSyncDatabase } from './open-sync-database.js';
import { createCentralClient } from './central-client.js';
import { SyncLoop } from './sync-loop.js';
import { syncLogger } from './sync-logger.js';
import type { FromWorker, SyncWorkerData, ToWorker } from './sync-worker-protocol.js';

const port: MessagePort = parentPort ?? notAWorker();
const send = (message: FromWorker) => port.postMessage(message);
const data = workerData as SyncWorkerData;
const log = syncLogger().child({ terminal: data.terminalId });

try {
  run();
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}

function run(): void {
  const db = openSyncDatabase(data.databaseFile);
  const owner = terminalIdOf(db);
  if (owner !== data.terminalId) {
    db.close();
    throw new Error(`${data.databaseFile} belongs to terminal ${owner}, not ${data.terminalId}`);
  }
  const abort = new AbortController();
  const loop = new SyncLoop({
    db,
    client: createCentralClient({ url: data.central.url, token: data.central.token, timeoutMs: data.requestTimeoutMs, signal: abort.signal }),
    now: () => new Date().toISOString(),
    random: Math.random,
    pollIntervalMs: data.pollIntervalMs,
    batchSize: data.batchSize,
    pageSize: data.pageSize,
    backoff: data.backoff,
    logger: log,
    onStatus: (status) => send({ type: 'status', status }),
    onPulled: (changes) => send({ type: 'pulled', changes }),
  });

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'sync-now':
        loop.syncNow().then(
          (result) => send({ type: 'sync-now-done', id: message.id, result }),
          (error: unknown) => send({ type: 'sync-now-failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
        );
        break;
      case 'posted':
        loop.notifyPosted();
        break;
      case 'stop':
        abort.abort();
        void loop.stop().finally(() => {
          db.close();
          send({ type: 'stopped' });
          port.close();
        });
        break;
    }
  });
  send({ type: 'status', status: loop.status() });
  loop.start();
}

function notAWorker(): never {
  throw new Error('sync-worker.ts runs as a worker thread (see startSync)');
}
