import { getGenealogyInputSchema } from '../api/commands.js';
import { prepared } from '../store/prepared.js';
import { readGenealogyInputs, readGenealogyOutputs } from '../store/read-genealogy.js';
import { readHu } from '../store/read-stock.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface GenealogyLink {
  hu: string | null;
  material: string;
  batch: string | null;
  /** How it is linked: consumed into an output, or split off from (inputs) / into (outputs) an HU. */
  via: 'consumed' | 'split';
  /** The HU on the other side of the link. */
  of: string;
}

/** The HU and the HUs it was split from, nearest first. */
function ancestors(ctx: TerminalContext, hu: string): string[] {
  return (
    prepared(
      ctx.db,
      `WITH RECURSIVE up(id, parent) AS (SELECT id, parent FROM handling_unit WHERE id = ?
         UNION ALL SELECT h.id, h.parent FROM handling_unit h JOIN up ON h.id = up.parent) SELECT id, parent FROM up`,
    ).all(hu) as { id: string; parent: string | null }[]
  ).map((r) => r.id);
}

/** The HU and every HU split off it, at any depth. */
function descendants(ctx: TerminalContext, hu: string): { id: string; parent: string | null }[] {
  return prepared(
    ctx.db,
    `WITH RECURSIVE down(id, parent) AS (SELECT id, parent FROM handling_unit WHERE id = ?
       UNION ALL SELECT h.id, h.parent FROM handling_unit h JOIN down ON h.parent = down.id) SELECT id, parent FROM down`,
  ).all(hu) as { id: string; parent: string | null }[];
}

const key = (l: GenealogyLink) => `${l.via}\u0000${l.hu ?? ''}\u0000${l.material}\u0000${l.batch ?? ''}\u0000${l.of}`;

/**
 * Genealogy both ways (product.md "Final confirmation"): `inputs` are what went into an HU (through
 * the splits it came from, and back through the splits its inputs came from, to the storage HU);
 * `outputs` are the pallets that contain an HU or batch (through the splits made of it).
 */
export function getGenealogy(ctx: TerminalContext, rawInput: unknown): CommandResult<{ inputs: GenealogyLink[]; outputs: GenealogyLink[] }> {
  const parsed = parseInput(getGenealogyInputSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.value;
  const inputs = new Map<string, GenealogyLink>();
  const outputs = new Map<string, GenealogyLink>();
  const addInputsOf = (hu: string) => {
    const chain = ancestors(ctx, hu);
    chain.slice(1).forEach((parent, i) => {
      const child = readHu(ctx.db, chain[i] ?? '');
      const link: GenealogyLink = { hu: parent, material: child?.material ?? '', batch: child?.batch ?? null, via: 'split', of: chain[i] ?? '' };
      inputs.set(key(link), link);
    });
    for (const node of chain) {
      for (const used of readGenealogyInputs(ctx.db, node)) {
        const link: GenealogyLink = { ...used, via: 'consumed', of: node };
        inputs.set(key(link), link);
        if (used.hu) addInputsOf(used.hu);
      }
    }
  };
  const addOutputsOf = (hu: string) => {
    for (const d of descendants(ctx, hu)) {
      if (d.parent !== null && d.id !== hu) {
        const h = readHu(ctx.db, d.id);
        const link: GenealogyLink = { hu: d.id, material: h?.material ?? '', batch: h?.batch ?? null, via: 'split', of: d.parent };
        outputs.set(key(link), link);
      }
      for (const made of readGenealogyOutputs(ctx.db, { hu: d.id })) {
        const link: GenealogyLink = { hu: made.hu, material: made.material, batch: made.batch, via: 'consumed', of: d.id };
        if (!outputs.has(key(link))) {
          outputs.set(key(link), link);
          addOutputsOf(made.hu);
        }
      }
    }
  };

  if (input.hu !== undefined) {
    if (!readHu(ctx.db, input.hu)) return refuse({ code: 'unknown-hu', message: `There is no HU ${input.hu}.` });
    addInputsOf(input.hu);
    addOutputsOf(input.hu);
  } else if (input.batch !== undefined) {
    const withBatch = prepared(ctx.db, 'SELECT id FROM handling_unit WHERE batch = @batch AND (@material IS NULL OR material = @material)').all({
      batch: input.batch, material: input.material ?? null,
    }) as { id: string }[];
    for (const h of withBatch) {
      addInputsOf(h.id);
      addOutputsOf(h.id);
    }
  }
  return { ok: true, value: { inputs: [...inputs.values()], outputs: [...outputs.values()] } };
}
