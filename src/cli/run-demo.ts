import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_USER_IDS, buildLidPlant } from '../demo/lid-plant.js';
import { fromMinor } from '../domain/quantity.js';
import { loadMasterData } from '../store/load-master-data.js';
import { openDatabase } from '../store/open-database.js';
import { readMaterial } from '../store/read-master-data.js';
import { createTerminalContext } from '../terminal/terminal-context.js';
import { previewConfirmation } from '../terminal/preview-confirmation.js';
import { prepared } from '../store/prepared.js';

/**
 * `shopfloor demo` today: builds terminal T-LID1's database for the demo lid plant (fresh PINs,
 * printed once), shows the stock at its machine location and what a confirmation would backflush.
 * The central, the browser UI and the kiosk window join it as their issues land.
 */
export function runDemo(argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  let dataDir: string;
  try {
    dataDir = resolve(parseArgs({ args: argv, options: { data: { type: 'string' } }, strict: true }).values.data ?? 'shopfloor-demo');
  } catch (error) {
    err.write(`shopfloor demo: ${(error as Error).message}\n`);
    return 2;
  }
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'T-LID1.sqlite');
  const db = openDatabase(file);
  try {
    const fresh = !prepared(db, 'SELECT 1 FROM plant').get();
    if (fresh) {
      const pins = Object.fromEntries(DEMO_USER_IDS.map((id) => [id, String(randomInt(0, 1_000_000)).padStart(6, '0')]));
      const loaded = loadMasterData(db, buildLidPlant({ pins }), { terminalId: 'T-LID1', now: new Date().toISOString() });
      if (!loaded.ok) {
        err.write(`shopfloor demo: the demo plant did not load:\n${loaded.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}\n`);
        return 1;
      }
      out.write(`Demo plant loaded into ${file}. Badges and PINs (shown once; delete ${dataDir} to start over):\n`);
      const users = prepared(db, 'SELECT id, name, badge, roles FROM app_user ORDER BY id').all() as { id: string; name: string; badge: string; roles: string }[];
      for (const u of users) out.write(`  ${u.badge}  PIN ${pins[u.id] ?? '?'}  ${u.name} (${(JSON.parse(u.roles) as string[]).join(', ')})\n`);
    } else {
      out.write(`Using the demo database ${file} (delete ${dataDir} to start over).\n`);
    }
    out.write('\nStock at machine location ML-LID1:\n');
    const rows = prepared(
      db,
      `SELECT material, id AS hu, batch, quantity_minor, state FROM handling_unit WHERE location = 'ML-LID1' AND state IN ('available','mounted')
       UNION ALL SELECT material, NULL, nullif(batch, ''), quantity_minor, NULL FROM bulk_stock WHERE location = 'ML-LID1' ORDER BY 1, 2`,
    ).all() as { material: string; hu: string | null; batch: string | null; quantity_minor: number; state: string | null }[];
    for (const r of rows) {
      const m = readMaterial(db, r.material);
      out.write(`  ${r.material.padEnd(14)} ${(r.hu ?? '(no HU)').padEnd(20)} ${(r.batch ?? '').padEnd(10)} ${fromMinor(r.quantity_minor, m?.decimals ?? 0)} ${m?.baseUom ?? ''}${r.state === 'mounted' ? '  mounted' : ''}\n`);
    }
    const order = prepared(db, `SELECT o.id FROM production_order o JOIN order_operation op ON op.order_id = o.id WHERE op.work_center = 'LID1' AND o.status = 'released' ORDER BY o.id LIMIT 1`).get() as { id: string } | undefined;
    if (order) {
      const ctx = createTerminalContext(db);
      const preview = previewConfirmation(ctx, { userId: 'demo', roles: ['operator'] }, { order: order.id, operation: '0010', good: 1000, scrap: 0 });
      out.write(`\nPreview: confirming 1000 good at order ${order.id} operation 0010 would backflush:\n`);
      if (preview.ok) {
        for (const l of preview.value.lines) {
          out.write(`  ${l.component.padEnd(14)} ${String(l.quantity).padStart(10)} ${l.uom.padEnd(3)} from ${l.sources.map((s) => s.hu ?? 'stock without HU').join(', ') || '-'}  (decided by ${l.decidedBy}${l.shortfall > 0 ? `, short ${l.shortfall}` : ''})\n`);
        }
      } else {
        out.write(`  refused: ${preview.error.message}\n`);
      }
    }
    out.write('\nThe kiosk window and browser mode are not built yet; `shopfloor check --database ' + file + '` verifies this database.\n');
    return 0;
  } finally {
    db.close();
  }
}
