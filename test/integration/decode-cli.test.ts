// `shopfloor decode` as a user runs it: the built bin, a scan on stdin, JSON on stdout, the exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER_IDS, buildLidPlant } from '../../src/demo/lid-plant.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'shopfloor.js');
const GS = '\x1d';

function decode(input: string | Buffer, ...args: string[]) {
  const run = spawnSync(process.execPath, [bin, 'decode', '--now', '2026-11-21T06:00:00Z', ...args], { input, cwd: root, timeout: 20_000 });
  const stdout = run.stdout.toString('utf8');
  return { status: run.status, stdout, stderr: run.stderr.toString('utf8'), json: stdout ? (JSON.parse(stdout) as Record<string, unknown>) : undefined };
}

let dir: string;
beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) throw new Error('the CLI is not built: run `npx tsc -b` first (npm test builds before vitest)');
  dir = mkdtempSync(join(tmpdir(), 'shopfloor-decode-'));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('shopfloor decode', () => {
  it('an SSCC from printf: kind hu, the SSCC element, exit 0', () => {
    const run = decode(']C100340123450000000017');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('"kind":"hu"');
    expect(run.json).toMatchObject({ ok: true, symbology: ']C1', scheme: 'gs1', elements: [{ ai: '00', value: '340123450000000017' }], kind: 'hu', errors: [] });
    expect(run.stdout.endsWith('}\n')).toBe(true);
  });

  it('the newline echo adds does not make a valid scan invalid', () => {
    expect(decode(']C100340123450000000017\n')).toMatchObject({ status: 0, json: { ok: true, kind: 'hu' } });
    expect(decode(']C100340123450000000017\r\n')).toMatchObject({ status: 0, json: { ok: true, kind: 'hu' } });
  });

  it('an invalid scan prints its coded errors and exits 1', () => {
    const run = decode(']C10112345678901234');
    expect(run.status).toBe(1);
    expect(run.json).toMatchObject({ ok: false, kind: 'unknown', errors: [{ code: 'check-digit', message: '(01) GTIN: the check digit should be 1, not 4', position: 18 }] });
  });

  it('GS and binary bytes pass unchanged; an empty scan is an empty error', () => {
    const pallet = Buffer.from(`]d2003401234500000000170209501101530003${'3712'}${GS}10LOT-2026-11-A${GS}3103001250`, 'latin1');
    expect(decode(pallet).json).toMatchObject({ ok: true, kind: 'hu', batch: 'LOT-2026-11-A', quantities: [{ source: '37', value: 12 }, { source: '3103', value: 1.25, unit: 'kg' }] });
    const binary = decode(Buffer.from([0x00, 0xff, 0x1d, 0x80]));
    expect(binary.status).toBe(0);
    expect(binary.json).toMatchObject({ ok: true, scheme: 'plain', data: '\u0000\u00ff\u001d\u0080' });
    expect(decode('')).toMatchObject({ status: 1, json: { errors: [{ code: 'empty' }] } });
  });

  it('--master-data brings the plant patterns and its HU ids', () => {
    const file = join(dir, 'plant.json');
    const plant = buildLidPlant({ pins: Object.fromEntries(DEMO_USER_IDS.map((id) => [id, '2468'])) });
    writeFileSync(file, JSON.stringify(plant));
    expect(decode('LOC:WH-A-01', '--master-data', file).json).toMatchObject({ ok: true, scheme: 'plain', kind: 'location', location: 'WH-A-01' });
    expect(decode('ORD:1000123/0010', '--master-data', file).json).toMatchObject({ kind: 'order', order: '1000123', operation: '0010' });
    expect(decode('LOC:WH-A-01').json).toMatchObject({ ok: true, kind: 'unknown' });
    const huId = plant.handlingUnits[0]?.id ?? '';
    expect(decode(huId, '--master-data', file).json).toMatchObject({ ok: true, kind: 'hu', hu: huId });
  });

  it('bad usage exits 2 with a message', () => {
    expect(decode('x', '--bogus')).toMatchObject({ status: 2, stdout: '' });
    expect(decode('x', '--now', 'yesterday').stderr).toContain('not a date');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"shopfloor-master-data/1"}');
    const run = decode('x', '--master-data', bad);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('is not a valid master data file');
  });
});
