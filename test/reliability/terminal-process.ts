// The real `shopfloor terminal` as a child process that a test can SIGKILL and start again, its
// HTTP API as a client at the machine uses it, and `shopfloor check` on its database.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json: this file runs from test/ under vitest and from dist/test when compiled. */
function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error('no package.json above test/reliability');
    dir = dirname(dir);
  }
  return dir;
}

const projectRoot = findProjectRoot();
const shopfloorBin = join(projectRoot, 'bin', 'shopfloor.js');
/** The child's environment without settings that would change what it does (a central, an admin token). */
const childEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'SHOPFLOOR_ADMIN_TOKEN' && k !== 'DATABASE_URL')), LOG_LEVEL: 'warn' };

export interface TerminalProcess {
  url: string;
  pid: number;
  /** Resolves once the process is gone. */
  exited: Promise<void>;
  /** The process's stderr lines so far, for the message of a failing test. */
  stderr: string[];
  /** kill -9: no handler runs, nothing is flushed or closed. */
  kill(): Promise<void>;
  /** SIGTERM: the service closes cleanly. */
  stop(): Promise<void>;
}

const READY = /^terminal \S+ in browser mode at (http:\/\/\S+)$/;

/** Starts `shopfloor terminal --config FILE` and resolves when /healthz answers 200. */
export async function startTerminalProcess(configFile: string, timeoutMs = 30_000): Promise<TerminalProcess> {
  const child = spawn(process.execPath, [shopfloorBin, 'terminal', '--config', configFile], { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the terminal was not ready within ${timeoutMs} ms; stderr: ${stderr.join('\n')}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = READY.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the terminal exited before it was ready; stderr: ${stderr.join('\n')}`));
    });
  });
  await waitForHealth(url, timeoutMs);
  const signal = (name: NodeJS.Signals) => async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { url, pid: pidOf(child), exited, stderr, kill: signal('SIGKILL'), stop: signal('SIGTERM') };
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('the terminal process has no pid');
  return child.pid;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What came back from one API call: an HTTP answer, or nothing because the connection died. */
export type ApiAnswer = { status: number; body: Record<string, unknown> } | { status: 'lost'; reason: string };

/** POST /api/<command> as the browser-mode client does it. */
export async function callApi(url: string, command: string, input: unknown, token?: string): Promise<ApiAnswer> {
  try {
    const response = await fetch(`${url}/api/${command}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch (error) {
    return { status: 'lost', reason: (error as Error).message };
  }
}

/** Logs a badge in and answers the session token. */
export async function login(url: string, badge: string, pin: string): Promise<string> {
  const answer = await callApi(url, 'login', { badge, pin });
  if (answer.status !== 200 || typeof answer.body['token'] !== 'string') throw new Error(`login of ${badge} failed: ${JSON.stringify(answer)}`);
  return answer.body['token'];
}

/** Runs `shopfloor check --database FILE` and answers its exit code and output. */
export function runCheck(databaseFile: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [shopfloorBin, 'check', '--database', databaseFile], { cwd: projectRoot, env: childEnv });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}
