import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_USER_IDS, buildLidPlant } from '../../src/demo/lid-plant.js';
import { isValidGs1CheckDigit } from '../../src/domain/sscc.js';
import { checkDatabase } from '../../src/store/check-database.js';
import { loadMasterData } from '../../src/store/load-master-data.js';
import { readGenealogyInputs } from '../../src/store/read-genealogy.js';
import { openDatabase } from '../../src/store/open-database.js';
import { mountHu } from '../../src/terminal/mount-hu.js';
import { postConfirmation } from '../../src/terminal/post-confirmation.js';
import { createTerminalContext } from '../../src/terminal/terminal-context.js';
import { expectOk, operator } from '../fixtures/test-plant.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('the demo lid plant', () => {
  it('runs an order through both operations: rolls and tank at 0010/0020, a final pallet with its genealogy', () => {
    dir = mkdtempSync(join(tmpdir(), 'shopfloor-demo-'));
    const db = openDatabase(join(dir, 'T-LID1.sqlite'));
    const pins = Object.fromEntries(DEMO_USER_IDS.map((id) => [id, '2468']));
    const loaded = loadMasterData(db, buildLidPlant({ pins }), { terminalId: 'T-LID1', now: '2026-11-21T06:00:00.000Z' });
    expect(loaded).toMatchObject({ ok: true });
    const ctx = createTerminalContext(db);
    const rims = db.prepare(`SELECT id FROM handling_unit WHERE location = 'ML-LID1' AND material = 'RIM-BASE-40'`).all() as { id: string }[];
    expectOk(mountHu(ctx, operator, { location: 'ML-LID1', hu: rims[0]?.id ?? '' }));

    const post = (operation: string, good: number, final = false) =>
      expectOk(postConfirmation(ctx, operator, { requestId: crypto.randomUUID(), order: '1000123', operation, good, scrap: 0, final }));
    const rimLine = post('0010', 2000).lines.find((l) => l.component === 'RIM-BASE-40');
    expect(rimLine).toMatchObject({ quantity: 591.6, uom: 'M', hu: rims[0]?.id, decidedBy: 'workCenter' });
    const last = post('0020', 2000, true);
    const adhesive = last.lines.find((l) => l.component === 'ADH-HM');
    expect(adhesive).toMatchObject({ location: 'TANK-1', uom: 'KG', hu: null });
    expect(last.output).toMatchObject({ material: 'LID-090', quantity: 2000, batch: 'L2611A', location: 'ML-LID1' });
    expect(isValidGs1CheckDigit(last.output?.hu ?? '')).toBe(true);

    // The pallet holds what the order consumed at every operation, not only the last one.
    const inputs = readGenealogyInputs(db, last.output?.hu ?? '');
    expect([...new Set(inputs.map((i) => i.material))].sort()).toEqual(['ADH-HM', 'INS-090', 'RIM-BASE-40', 'RIM-LABEL-40']);
    expect(inputs.find((i) => i.material === 'RIM-BASE-40')?.hu).toBe(rims[0]?.id);
    expect(checkDatabase(db)).toMatchObject({ ok: true, postings: 3 });
    db.close();
  });
});
