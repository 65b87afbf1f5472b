// `shopfloor terminal --config FILE` as a line PC runs it: the configuration is checked first (every
// error with its JSON path, exit 2, nothing started); a good one serves browser mode until SIGTERM.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliEnv, projectRoot, shopfloorBin, startCli } from '../fixtures/run-cli.js';
import { aPlant } from '../fixtures/test-plant.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'shopfloor-terminal-cli-'));
  writeFileSync(join(dir, 'plant.json'), JSON.stringify(aPlant().component('RIM', 1, { uom: 'M' }).order('1000', 1000).hu('HU-1', 'RIM', 500).doc));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runTerminal(config: unknown) {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return spawnSync(process.execPath, [shopfloorBin, 'terminal', '--config', file], { cwd: projectRoot, env: cliEnv, encoding: 'utf8', timeout: 30_000 });
}

describe('shopfloor terminal', () => {
  it('refuses a configuration with errors, naming each with its path, and starts nothing', () => {
    const run = runTerminal({
      terminalId: '', database: 'x.sqlite', central: { url: 'ftp://central', token: 't' }, language: 'english',
      scanners: [{ type: 'serial', path: '/dev/ttyACM0', location: 'ML1' }], http: { port: 70000 }, colour: 'red',
    });
    expect(run.status).toBe(2);
    for (const path of ['$.terminalId', '$.central.url', '$.language', '$.scanners[0].baudRate', '$.http.port', '$.colour']) expect(run.stderr).toContain(`${path}:`);
    expect(run.stderr).toContain('$.colour: unknown field "colour"');
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });

  it('refuses a file that is not JSON, and a missing --config', () => {
    expect(runTerminal('{ "terminalId": ').stderr).toMatch(/cannot read the configuration .*JSON/);
    const bare = spawnSync(process.execPath, [shopfloorBin, 'terminal'], { cwd: projectRoot, env: cliEnv, encoding: 'utf8' });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('--config FILE is required');
  });

  it('serves browser mode from a good configuration and stops on SIGTERM; a database of another terminal is refused', async () => {
    const config = { terminalId: 'T1', database: 'data/T1.sqlite', masterData: 'plant.json', http: { port: 0 } };
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(config));
    const cli = await startCli(['terminal', '--config', file], /in browser mode at (http:\/\/\S+)/);
    const url = /at (http:\/\/\S+)/.exec(cli.ready)?.[1] ?? '';
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, terminalId: 'T1' });
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);

    const other = runTerminal({ ...config, terminalId: 'T2' });
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('belongs to terminal T1, not T2');
  }, 60_000);
});
