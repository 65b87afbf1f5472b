import { countLocationInputSchema } from '../api/commands.js';
import type { Effect } from '../domain/effects.js';
import { differenceEffects } from '../domain/plan-inventory.js';
import { fromMinor, toMinor } from '../domain/quantity.js';
import type { Actor, Material } from '../domain/types.js';
import { appendPosting } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { readConsumedAtLocationSinceCount, type ConsumedSince } from '../store/read-consumption.js';
import { readLocation, readMaterial } from '../store/read-master-data.js';
import { readHu } from '../store/read-stock.js';
import { trackReplenishment } from '../store/track-replenishment.js';
import { requireRole } from './authorize.js';
import { parseInput, refuse, type CommandError, type CommandResult } from './command-result.js';
import { recordAnomalyIfAny } from './record-anomaly.js';
import type { TerminalContext } from './terminal-context.js';

export interface CountDifference {
  material: string;
  hu: string | null;
  batch: string | null;
  book: number;
  found: number;
  /** Book minus found: positive when less was found. */
  difference: number;
  uom: string;
}

interface CountedLine {
  material: Material;
  hu: { id: string; state: string } | null;
  batch: string | null;
  bookMinor: number;
  foundMinor: number;
}

/**
 * A supervisor's count at a location: each counted HU or stock without HU is set to what was
 * found, and every difference is attributed to the orders that consumed that material there
 * since its last count, in proportion.
 */
export function countLocation(ctx: TerminalContext, actor: Actor, rawInput: unknown): CommandResult<{ postingId: string; differences: CountDifference[]; anomalies: string[] }> {
  const parsed = parseInput(countLocationInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const refused = requireRole(actor, ['supervisor'], 'count a location');
  if (refused) return refused;
  const { db } = ctx;
  return db.transaction((): CommandResult<{ postingId: string; differences: CountDifference[]; anomalies: string[] }> => {
    if (!readLocation(db, input.location)) return refuse({ code: 'unknown-location', message: `There is no location ${input.location}.` });
    const lines: CountedLine[] = [];
    const seen = new Set<string>();
    for (const [i, c] of input.counts.entries()) {
      const bad = (code: string, message: string): { ok: false; error: CommandError } => refuse({ code, message: `Line ${i + 1}: ${message}`, details: { line: i + 1 } });
      const material = readMaterial(db, c.material);
      if (!material) return bad('unknown-material', `there is no material ${c.material}.`);
      const foundMinor = c.quantity >= 0 ? toMinor(c.quantity, material.decimals) : null;
      if (foundMinor === null) return bad('invalid-quantity', `${c.quantity} is not a count: at least 0, at most ${material.decimals} decimals (${material.baseUom}).`);
      const key = c.hu ?? `${c.material}\u0000${c.batch ?? ''}`;
      if (seen.has(key)) return bad('duplicate-count-line', `${c.hu ?? c.material} is counted twice.`);
      seen.add(key);
      if (c.hu !== undefined) {
        const hu = readHu(db, c.hu);
        if (!hu) return bad('unknown-hu', `there is no HU ${c.hu}.`);
        if (hu.location !== input.location) return bad('hu-not-at-location', `HU ${hu.id} is at ${hu.location}, not at ${input.location}.`);
        if (hu.material !== material.id) return bad('wrong-material', `HU ${hu.id} holds ${hu.material}, not ${material.id}.`);
        if (hu.state === 'cancelled') return bad('hu-cancelled', `HU ${hu.id} was cancelled.`);
        // A count names what it saw: a batch that is not the HU's is a mistake to fix, not to ignore.
        if (c.batch !== undefined && c.batch !== (hu.batch ?? '')) {
          return bad('wrong-batch', `HU ${hu.id} holds batch ${hu.batch ?? '(none)'}, not ${c.batch}.`);
        }
        lines.push({ material, hu: { id: hu.id, state: hu.state }, batch: hu.batch, bookMinor: hu.quantityMinor, foundMinor });
      } else {
        const row = prepared(db, 'SELECT quantity_minor FROM bulk_stock WHERE location = ? AND material = ? AND batch = ?').get(input.location, material.id, c.batch ?? '') as
          | { quantity_minor: number }
          | undefined;
        lines.push({ material, hu: null, batch: c.batch ?? null, bookMinor: row?.quantity_minor ?? 0, foundMinor });
      }
    }

    const consumedByMaterial = new Map<string, ConsumedSince>();
    const effects: Effect[] = [];
    for (const line of lines) {
      let consumed = consumedByMaterial.get(line.material.id);
      if (!consumed) {
        consumed = readConsumedAtLocationSinceCount(db, input.location, line.material.id);
        consumedByMaterial.set(line.material.id, consumed);
      }
      const target = line.hu ? { hu: line.hu.id } : { location: input.location, material: line.material.id, batch: line.batch };
      effects.push(...differenceEffects(target, line.bookMinor - line.foundMinor, consumed.shares, 'count'));
      if (line.hu && line.foundMinor === 0 && line.hu.state !== 'empty') effects.push({ t: 'hu-state', hu: line.hu.id, from: line.hu.state as 'available' | 'mounted', to: 'empty' });
      if (line.hu && line.foundMinor > 0 && line.hu.state === 'empty') effects.push({ t: 'hu-state', hu: line.hu.id, from: 'empty', to: 'available' });
    }
    const postingId = ctx.newId();
    const at = ctx.now();
    const posting = appendPosting(db, {
      id: postingId, kind: 'count', requestId: null, createdAt: at, user: actor.userId, scan: null,
      data: { location: input.location, counts: lines.map((l) => ({ material: l.material.id, hu: l.hu?.id ?? null, batch: l.batch, bookMinor: l.bookMinor, foundMinor: l.foundMinor })) },
      effects,
    });
    const anomalies: string[] = [];
    for (const [materialId, consumed] of consumedByMaterial) {
      const of = lines.filter((l) => l.material.id === materialId);
      const differenceMinor = of.reduce((sum, l) => sum + l.bookMinor - l.foundMinor, 0);
      const decimals = of[0]?.material.decimals ?? 0;
      const anomalyInput = { id: ctx.newId(), postingId, kind: 'count' as const, location: input.location, material: materialId, hu: null, differenceMinor, decimals, at };
      if (recordAnomalyIfAny(db, anomalyInput, consumed)) anomalies.push(materialId);
      prepared(db, 'INSERT INTO location_count (location, material, posting_seq) VALUES (?, ?, ?) ON CONFLICT (location, material) DO UPDATE SET posting_seq = excluded.posting_seq').run(
        input.location, materialId, posting.seq,
      );
    }
    trackReplenishment(db, [...consumedByMaterial.keys()].map((material) => ({ location: input.location, material })), at, ctx.newId);
    const differences = lines.map((l) => {
      const q = (minor: number) => fromMinor(minor, l.material.decimals);
      return { material: l.material.id, hu: l.hu?.id ?? null, batch: l.batch, book: q(l.bookMinor), found: q(l.foundMinor), difference: q(l.bookMinor - l.foundMinor), uom: l.material.baseUom };
    });
    return { ok: true, value: { postingId, differences, anomalies } };
  }).immediate();
}
