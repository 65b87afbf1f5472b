// `shopfloor demo` as a new user meets it: the built bin on an empty folder brings up a central and
// terminal T-LID1 in browser mode, prints the URL and the badges' PINs once; a demo badge logs in,
// posts a confirmation, and the central has it after sync. A second start keeps the data and PINs.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, startCli, type RunningCli } from '../fixtures/run-cli.js';

const READY = /open (http:\/\/\S+) in a browser/;
let dir: string;
const running: RunningCli[] = [];

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'shopfloor-demo-cli-'));
});
afterAll(() => {
  for (const cli of running) cli.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function startDemo(): Promise<RunningCli & { url: string }> {
  const cli = await startCli(['demo', '--data', dir, '--port', '0', '--central-port', '0'], READY, { timeoutMs: 90_000 });
  running.push(cli);
  return { ...cli, url: READY.exec(cli.ready)?.[1] ?? '' };
}

async function call<T>(url: string, command: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}/api/${command}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function stop(cli: RunningCli): Promise<number | null> {
  cli.child.kill('SIGINT');
  return cli.exited;
}

describe('shopfloor demo', () => {
  let pin = '';

  it('comes up on an empty folder; a demo operator logs in, confirms, and the central has the posting after sync', async () => {
    const demo = await startDemo();
    const output = demo.lines.join('\n');
    pin = /badge B-0017 {2}PIN (\d+)/.exec(output)?.[1] ?? '';
    const admin = /admin token \(shown this once\): (\S+)/.exec(output)?.[1] ?? '';
    const central = /Central: (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    expect(pin).toMatch(/^\d{6}$/);
    expect(admin).not.toBe('');
    expect((await fetch(`${demo.url}/healthz`)).status).toBe(200);

    const login = await call<{ token: string; user: { name: string; roles: string[] } }>(demo.url, 'login', { badge: 'B-0017', pin });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ name: 'Anna Keller', roles: ['operator'] });
    const token = login.body.token;

    const orders = await call<{ orders: { id: string; operations: { operation: string }[] }[] }>(demo.url, 'listOrders', { workCenter: 'LID1' }, token);
    const order = orders.body.orders[0];
    expect(order?.operations.map((o) => o.operation)).toEqual(['0010', '0020']);
    const posted = await call<{ postingId: string; lines: { component: string }[] }>(
      demo.url, 'postConfirmation', { requestId: randomUUID(), order: order?.id, operation: '0010', good: 500, scrap: 0 }, token,
    );
    expect(posted.status).toBe(200);
    expect(posted.body.lines.map((l) => l.component)).toContain('RIM-BASE-40');

    // The posting reached the central (the push follows the posting at once; syncNow waits for it).
    expect((await call(demo.url, 'syncNow', {}, token)).status).toBe(200);
    const status = await call<{ online: boolean; pending: number }>(demo.url, 'getSyncStatus', {}, token);
    expect(status.body).toMatchObject({ online: true, pending: 0 });
    const atCentral = await fetch(`${central}/api/postings?terminal=T-LID1&after=0`, { headers: { authorization: `Bearer ${admin}` } });
    const ledger = (await atCentral.json()) as { postings: { id: string }[] };
    expect(ledger.postings.map((p) => p.id)).toEqual([posted.body.postingId]);

    expect(await stop(demo)).toBe(0);
  }, 150_000);

  it('starts again on the same folder with the same badges and PINs and what was posted', async () => {
    const demo = await startDemo();
    expect(demo.lines.join('\n')).toMatch(/Using the demo in/);
    expect(demo.lines.join('\n')).not.toMatch(/PIN \d/);
    const login = await call<{ token: string }>(demo.url, 'login', { badge: 'B-0017', pin });
    expect(login.status).toBe(200);
    const orders = await call<{ orders: { operations: { operation: string; confirmedGood: number }[] }[] }>(demo.url, 'listOrders', { workCenter: 'LID1' }, login.body.token);
    expect(orders.body.orders[0]?.operations[0]).toMatchObject({ operation: '0010', confirmedGood: 500 });
    expect(await stop(demo)).toBe(0);
  }, 150_000);
});
