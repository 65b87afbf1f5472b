import type { ScanEntity, ScanResult } from '../api/command-results.js';
import { scanInputSchema } from '../api/terminal-commands.js';
import { fromMinor } from '../domain/quantity.js';
import { decodeScan } from '../scanning/decode-scan.js';
import type { LabelPatterns } from '../scanning/classify-label.js';
import type { DecodedScan } from '../scanning/decoded-scan.js';
import { prepared } from '../store/prepared.js';
import { readLocation, readMaterial } from '../store/read-master-data.js';
import { readHu } from '../store/read-stock.js';
import { parseInput, type CommandResult } from './command-result.js';
import { readOrderView } from './list-orders.js';
import type { TerminalContext } from './terminal-context.js';

/** `scan`: a raw scan decoded with this plant's label patterns, and what it names here. */
export function scan(ctx: TerminalContext, rawInput: unknown): CommandResult<ScanResult> {
  const parsed = parseInput(scanInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  return { ok: true, value: describeScan(ctx, parsed.value.data) };
}

export function describeScan(ctx: TerminalContext, data: string): ScanResult {
  const labels = prepared(ctx.db, 'SELECT labels FROM plant LIMIT 1').get() as { labels: string } | undefined;
  const decoded = decodeScan(data, {
    now: new Date(ctx.now()),
    labels: labels ? (JSON.parse(labels.labels) as LabelPatterns) : null,
    isKnownHu: (id) => prepared(ctx.db, 'SELECT 1 FROM handling_unit WHERE id = ?').get(id) !== undefined,
  });
  if (!decoded.ok) return { kind: decoded.kind, decoded };
  const found = lookUp(ctx, decoded);
  return 'entity' in found ? { kind: decoded.kind, decoded, entity: found.entity } : { kind: decoded.kind, decoded, notFound: found.notFound };
}

function lookUp(ctx: TerminalContext, scan: DecodedScan): { entity: ScanEntity } | { notFound: string } {
  switch (scan.kind) {
    case 'hu': {
      const hu = scan.hu === undefined ? undefined : readHu(ctx.db, scan.hu);
      const material = hu && readMaterial(ctx.db, hu.material);
      if (!hu || !material) return { notFound: `HU ${scan.hu ?? ''} is not known at this terminal.` };
      return {
        entity: {
          type: 'hu',
          hu: {
            id: hu.id, material: hu.material, batch: hu.batch, expiry: hu.expiry, quantity: fromMinor(hu.quantityMinor, material.decimals),
            uom: material.baseUom, location: hu.location, state: hu.state, mounted: hu.state === 'mounted',
          },
        },
      };
    }
    case 'location': {
      const location = scan.location === undefined ? undefined : readLocation(ctx.db, scan.location);
      if (!location) return { notFound: `Location ${scan.location ?? scan.gln ?? ''} is not known at this terminal.` };
      return { entity: { type: 'location', location: { id: location.id, kind: location.kind, workCenter: location.workCenter } } };
    }
    case 'order': {
      const order = scan.order === undefined ? undefined : readOrderView(ctx, scan.order);
      if (!order) return { notFound: `Order ${scan.order ?? ''} is not known at this terminal.` };
      return { entity: { type: 'order', order } };
    }
    case 'badge': {
      const user = prepared(ctx.db, 'SELECT id, name FROM app_user WHERE badge = ?').get(scan.badge ?? '') as { id: string; name: string } | undefined;
      if (!user) return { notFound: 'This badge belongs to nobody at this terminal.' };
      return { entity: { type: 'badge', user } };
    }
    case 'material': {
      const row = prepared(ctx.db, 'SELECT id, description, base_uom FROM material WHERE id = ? OR gtin = ? LIMIT 1').get(
        scan.partNumber ?? '', scan.gtin ?? '',
      ) as { id: string; description: string; base_uom: string } | undefined;
      if (!row) return { notFound: `Material ${scan.partNumber ?? scan.gtin ?? ''} is not known at this terminal.` };
      return { entity: { type: 'material', material: { id: row.id, description: row.description, baseUom: row.base_uom } } };
    }
    case 'unknown':
      return { notFound: 'This label names nothing this terminal knows: no HU, location, order, badge or material.' };
  }
}
