// A terminal service from its configuration: the database, the sessions, the sync worker, the
// scanners, and browser mode on HTTP. `shopfloor terminal` and `shopfloor demo` start it this way.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { TerminalConfig } from '../api/terminal-config.js';
import { buildTerminalHttp } from '../api/terminal-http.js';
import { DeviceManager, type DeviceManagerOptions } from '../devices/device-manager.js';
import { claimTerminalIdentity } from '../store/claim-terminal-identity.js';
import { loadMasterData } from '../store/load-master-data.js';
import { openDatabase } from '../store/open-database.js';
import { prepared } from '../store/prepared.js';
import { startSync, type SyncHandle } from '../sync/start-sync.js';
import { Sessions } from './sessions.js';
import { createTerminalContext } from './terminal-context.js';
import { TerminalService } from './terminal-service.js';

export interface StartTerminalOptions {
  /** Relative paths of the configuration resolve against this folder. */
  baseDir: string;
  logger?: Logger;
  /** Milliseconds since the epoch, for sessions (tests inject one). */
  clock?: () => number;
  /** Scanner drivers and backends (tests inject fakes). */
  devices?: Omit<DeviceManagerOptions, 'scanners'>;
}

export interface RunningTerminal {
  url: string;
  service: TerminalService;
  db: Database;
  sync: SyncHandle | null;
  devices: DeviceManager;
  close(): Promise<void>;
}

export async function startTerminal(config: TerminalConfig, options: StartTerminalOptions): Promise<RunningTerminal> {
  const logger = options.logger ?? pino({ name: 'shopfloor', level: process.env['LOG_LEVEL'] ?? 'info' }, pino.destination(2)).child({ area: 'terminal' });
  const databaseFile = resolve(options.baseDir, config.database);
  mkdirSync(dirname(databaseFile), { recursive: true });
  const db = openDatabase(databaseFile);
  let sync: SyncHandle | null = null;
  let devices: DeviceManager | null = null;
  try {
    prepareDatabase(db, config, options.baseDir);
    const ctx = createTerminalContext(db);
    const sessions = new Sessions({
      clock: options.clock,
      inactivityMs: config.session.inactivityMinutes * 60_000,
      maxWrongPins: config.session.maxWrongPins,
      lockMs: config.session.lockMinutes * 60_000,
    });
    if (config.central) {
      sync = await startSync({ databaseFile, terminalId: config.terminalId, central: config.central, pollIntervalMs: config.sync.pollIntervalMs });
    }
    const service = new TerminalService({ ctx, sessions, sync, logger: logger.child({ area: 'service' }) });
    sync?.on('status', (status) => service.publish({ type: 'sync-status', status }));
    // Other terminals' postings at this terminal's locations arrived: the screens read the stock again.
    sync?.on('pulled', () => service.publish({ type: 'stock-changed', command: 'sync', postingId: null, at: ctx.now() }));

    // Keyboard-wedge scanners type into the screen; the renderer detects them and calls `scan`.
    devices = new DeviceManager({ ...options.devices, scanners: config.scanners.filter((s) => s.type !== 'keyboard'), logger: logger.child({ area: 'devices' }) });
    devices.on('scan', (event) => service.receiveScan(event));
    devices.on('status', (event) => service.receiveScannerStatus(event));
    devices.start();

    const app = await buildTerminalHttp({
      backend: service, logger: logger.child({ area: 'http' }), bodyLimitBytes: config.http.bodyLimitBytes,
      uiDir: config.ui === undefined ? undefined : resolve(options.baseDir, config.ui),
    });
    const url = await app.listen({ port: config.http.port, host: config.http.host });
    const idle = setInterval(() => service.expireIdleSessions(), 5000);
    idle.unref();
    const running = devices;
    let closing: Promise<void> | undefined;
    return {
      url, service, db, sync, devices: running,
      close: () => (closing ??= (async () => {
        clearInterval(idle);
        await app.close();
        await running.stop();
        await sync?.stop();
        db.close();
      })()),
    };
  } catch (error) {
    await devices?.stop();
    await sync?.stop();
    db.close();
    throw error;
  }
}

/** The database says whose it is; a terminal without a central loads its master data file once. */
function prepareDatabase(db: Database, config: TerminalConfig, baseDir: string): void {
  const now = new Date().toISOString();
  const hasPlant = prepared(db, 'SELECT 1 AS found FROM plant LIMIT 1').get() !== undefined;
  if (config.masterData !== undefined && !hasPlant) {
    const file = resolve(baseDir, config.masterData);
    const loaded = loadMasterData(db, JSON.parse(readFileSync(file, 'utf8')) as unknown, { terminalId: config.terminalId, now });
    if (!loaded.ok) {
      throw new Error(`the master data file ${file} does not load:\n${loaded.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`);
    }
  }
  claimTerminalIdentity(db, config.terminalId, now);
}
