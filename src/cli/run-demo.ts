// `shopfloor demo` (what `npm start` runs): an embedded central with the demo lid plant, terminal
// T-LID1 provisioned and syncing with it, all in one folder the user can delete to start over.
// Electron is not part of this build yet, so the terminal's screens are served in browser mode
// and the URL is printed in one line. Badges and fresh PINs are printed once, at the first start.
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { validateTerminalConfig } from '../api/terminal-config.js';
import { DEMO_USER_IDS, buildLidPlant } from '../demo/lid-plant.js';
import { runUntilSignal } from './run-until-signal.js';

interface DemoState {
  terminalToken: string;
}

const TERMINAL_ID = 'T-LID1';

function parsePort(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${flag} must be a port number, not ${value}`);
  return port;
}

export async function runDemo(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  let dataDir: string;
  let port: number;
  let centralPort: number;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { data: { type: 'string' }, port: { type: 'string' }, 'central-port': { type: 'string' } },
      strict: true,
    });
    dataDir = resolve(values.data ?? 'shopfloor-demo');
    port = parsePort(values.port, 8710, '--port');
    centralPort = parsePort(values['central-port'], 8700, '--central-port');
  } catch (error) {
    err.write(`shopfloor demo: ${(error as Error).message}\n`);
    return 2;
  }
  mkdirSync(dataDir, { recursive: true });
  // The demo's screen is its printed lines: warnings only, also from the sync worker (it reads LOG_LEVEL).
  process.env['LOG_LEVEL'] ??= 'warn';
  const logger = pino({ name: 'shopfloor', level: process.env['LOG_LEVEL'] }, pino.destination(2));
  const { startCentral } = await import('../central/start-central.js');
  const { startTerminal } = await import('../terminal/start-terminal.js');

  const stateFile = join(dataDir, 'demo-state.json');
  const fresh = !existsSync(stateFile);
  let central;
  try {
    central = await startCentral({ dataDir: join(dataDir, 'central'), port: centralPort, host: '127.0.0.1', logger: logger.child({ area: 'central' }) });
  } catch (error) {
    err.write(`shopfloor demo: the central did not start: ${(error as Error).message}\n`);
    return 1;
  }
  let terminal;
  try {
    const state = fresh ? await setUpDemo(central, stateFile, out) : (JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState);
    const config = validateTerminalConfig({
      terminalId: TERMINAL_ID,
      central: { url: central.url, token: state.terminalToken },
      database: join(dataDir, `${TERMINAL_ID}.sqlite`),
      http: { port, host: '127.0.0.1' },
      sync: { pollIntervalMs: 2000 },
    });
    if (!config.ok) throw new Error(config.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    terminal = await startTerminal(config.value, { baseDir: dataDir, logger: logger.child({ area: 'terminal' }) });
    // The first sync brings the master data: once it is done, a badge can log in.
    await terminal.sync?.syncNow();
  } catch (error) {
    await terminal?.close();
    await central.close();
    err.write(`shopfloor demo: ${(error as Error).message}\n`);
    return 1;
  }
  if (!fresh) out.write(`Using the demo in ${dataDir} (delete that folder to start over with new PINs).\n`);
  out.write(`Central: ${central.url}   data: ${dataDir}\n`);
  out.write(`Electron is not installed here: open ${terminal.url} in a browser (terminal ${TERMINAL_ID}, browser mode). Ctrl+C stops.\n`);
  const running = terminal;
  return runUntilSignal('demo', async () => {
    await running.close();
    await central.close();
  }, err);
}

/** First start: the plant with fresh PINs into the central, the terminal provisioned; prints badges and PINs once. */
async function setUpDemo(central: { url: string; adminToken: string | null }, stateFile: string, out: NodeJS.WritableStream): Promise<DemoState> {
  const admin = central.adminToken;
  if (admin === null) throw new Error(`the demo central has data but ${stateFile} is missing: delete the demo folder to start over`);
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${central.url}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the demo central refused ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const pins = Object.fromEntries(DEMO_USER_IDS.map((id) => [id, String(randomInt(0, 1_000_000)).padStart(6, '0')]));
  const plant = buildLidPlant({ pins });
  await call('/api/import', plant);
  const { token } = await call<{ token: string }>('/api/terminals', { id: TERMINAL_ID });
  const state: DemoState = { terminalToken: token };
  // Owner-only: the terminal's token is a credential.
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  out.write('Demo plant loaded. Badges and PINs (shown this once):\n');
  for (const user of plant.users) out.write(`  badge ${user.badge}  PIN ${pins[user.id] ?? '?'}  ${user.name} (${user.roles.join(', ')})\n`);
  out.write(`Central admin token (shown this once): ${admin}\n`);
  return state;
}
