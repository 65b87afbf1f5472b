// `shopfloor central` and `shopfloor import` as an operator runs them: the built bin, an embedded
// database in a directory, the URL on stdout, the admin token shown once, errors with JSON paths.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, projectRoot, shopfloorBin, startCli, type RunningCli } from '../fixtures/run-cli.js';
import { aPlant } from '../fixtures/test-plant.js';

/** Starts `shopfloor central` and waits for the line with its URL. */
async function startCentralCli(args: string[]): Promise<RunningCli & { url: string }> {
  const cli = await startCli(['central', ...args], /^http:\/\//);
  // The token line follows the URL line in the same write burst.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { ...cli, url: cli.ready };
}

function runImport(...args: string[]) {
  const run = spawnSync(process.execPath, [shopfloorBin, 'import', ...args], { cwd: projectRoot, env: cliEnv, timeout: 30_000, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'shopfloor-central-cli-'));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('shopfloor central and shopfloor import', () => {
  it('starts on an empty directory, shows the admin token once, imports, stops on SIGTERM, and keeps the token hashed across restarts', async () => {
    const data = join(dir, 'central');
    const first = await startCentralCli(['--data', data, '--port', '0']);
    let token = '';
    try {
      expect(first.lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      token = /admin token .*: (\S+)$/.exec(first.lines[1] ?? '')?.[1] ?? '';
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${first.url}/api/exceptions`)).status).toBe(401);

      const good = join(dir, 'plant.json');
      const bad = join(dir, 'bad.json');
      const plant = aPlant().hu('HU-1', 'LID', 5);
      writeFileSync(good, JSON.stringify(plant.doc));
      writeFileSync(bad, JSON.stringify({ ...plant.doc, handlingUnits: [{ id: 'HU-1', material: 'NOPE', quantity: 1, location: 'NOWHERE' }] }));
      const refused = runImport(bad, '--central', first.url, '--token', token);
      expect(refused).toMatchObject({ status: 1 });
      expect(refused.stdout).toContain('  $.handlingUnits[0].material: unknown material "NOPE"\n');
      expect(refused.stdout).toContain('  $.handlingUnits[0].location: unknown location "NOWHERE"\n');
      expect(runImport(good, '--central', first.url, '--token', 'wrong-token-wrong-token')).toMatchObject({ status: 2 });
      const imported = runImport(good, '--central', first.url, '--token', token);
      expect(imported).toMatchObject({ status: 0 });
      expect(imported.stdout).toMatch(/^imported .* as master data version 1: .* 1 new HUs/);
      expect(runImport(good, '--central', first.url, '--token', token).stdout).toContain('nothing changed');
      expect(runImport('--central', first.url)).toMatchObject({ status: 2 });
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);

    const second = await startCentralCli(['--data', data, '--port', '0']);
    try {
      expect(second.lines).toHaveLength(1);
      const stock = await fetch(`${second.url}/api/stock?location=ML1`, { headers: { authorization: `Bearer ${token}` } });
      expect(await stock.json()).toEqual({ rows: [{ material: 'LID', hu: 'HU-1', batch: null, quantity: 5, uom: 'PC', mounted: false }] });
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exited).toBe(0);
  });

  it('refuses a bad port with exit 2', () => {
    const run = spawnSync(process.execPath, [shopfloorBin, 'central', '--port', 'eighty'], { cwd: projectRoot, env: cliEnv, encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--port must be a port number');
  });
});
