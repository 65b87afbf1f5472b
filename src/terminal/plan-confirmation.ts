import { calculateBackflush, type ConfirmationPlan, type ConfirmationRequest, type LineOverride, type PlannedLine } from '../domain/calculate-backflush.js';
import { checkConfirmationQuantities } from '../domain/check-quantities.js';
import { fromMinor, toMinor } from '../domain/quantity.js';
import type { Actor, Material, ProductionOrder } from '../domain/types.js';
import type { ConfirmationInput } from '../api/commands.js';
import { readMaterial, readOrder, readPlant, readWorkCenter } from '../store/read-master-data.js';
import { readFixedIssuedLines, readProgress, readStockSources } from '../store/read-stock.js';
import { prepared } from '../store/prepared.js';
import { requireRole } from './authorize.js';
import { refuse, type CommandResult } from './command-result.js';
import type { TerminalContext } from './terminal-context.js';

export interface PlannedConfirmation {
  order: ProductionOrder;
  product: Material;
  request: ConfirmationRequest;
  plan: ConfirmationPlan;
}

function invalidQuantity(field: string, value: number, decimals: number, uom: string) {
  return refuse({
    code: 'invalid-quantity',
    message: `${field} ${value} is not a valid quantity: it must be a number of at least 0 with at most ${decimals} decimals (${uom}).`,
    details: { field, value, decimals },
  });
}

/** Checks rights and quantities and calculates the backflush of a confirmation, writing nothing. */
export function planConfirmation(ctx: TerminalContext, actor: Actor, input: ConfirmationInput): CommandResult<PlannedConfirmation> {
  const { db } = ctx;
  const plant = readPlant(db);
  const refused =
    requireRole(actor, ['operator', 'supervisor'], 'confirm production') ??
    (input.backflush === false ? requireRole(actor, ['supervisor'], 'post without backflush') : null) ??
    (input.allowOverLimits ? requireRole(actor, ['supervisor'], 'confirm beyond the tolerance or the operation before') : null) ??
    (input.overrides?.length && !plant.operatorMayOverrideLines ? requireRole(actor, ['supervisor'], 'change a component line') : null);
  if (refused) return refused;

  const order = readOrder(db, input.order);
  if (!order) return refuse({ code: 'unknown-order', message: `There is no order ${input.order}.` });
  if (order.status !== 'released') {
    return refuse({ code: 'order-not-released', message: `Order ${order.id} is ${order.status}, not released: it cannot be confirmed.` });
  }
  const product = readMaterial(db, order.material);
  if (!product) return refuse({ code: 'master-data-missing', message: `Material ${order.material} of order ${order.id} is unknown.` });

  const goodMinor = input.good >= 0 ? toMinor(input.good, product.decimals) : null;
  if (goodMinor === null) return invalidQuantity('Good', input.good, product.decimals, product.baseUom);
  const scrapMinor = input.scrap >= 0 ? toMinor(input.scrap, product.decimals) : null;
  if (scrapMinor === null) return invalidQuantity('Scrap', input.scrap, product.decimals, product.baseUom);
  if (scrapMinor > 0 && input.scrapReason === undefined) {
    return refuse({ code: 'scrap-reason-required', message: 'Scrap needs a reason: choose one.' });
  }
  if (input.scrapReason !== undefined && !prepared(db, 'SELECT 1 FROM scrap_reason WHERE code = ?').get(input.scrapReason)) {
    return refuse({ code: 'unknown-scrap-reason', message: `${input.scrapReason} is not a scrap reason of this plant.` });
  }

  const overrides: LineOverride[] = [];
  for (const o of input.overrides ?? []) {
    const material = readMaterial(db, o.component);
    if (!material) return refuse({ code: 'unknown-override', message: `Component ${o.component} is not part of order ${order.id}.` });
    const quantityMinor = o.quantity === undefined ? undefined : o.quantity >= 0 ? toMinor(o.quantity, material.decimals) : null;
    const lineScrapMinor = o.lineScrap === undefined ? undefined : o.lineScrap >= 0 ? toMinor(o.lineScrap, material.decimals) : null;
    if (quantityMinor === null) return invalidQuantity(`Quantity of ${o.component}`, o.quantity ?? NaN, material.decimals, material.baseUom);
    if (lineScrapMinor === null) return invalidQuantity(`Line scrap of ${o.component}`, o.lineScrap ?? NaN, material.decimals, material.baseUom);
    overrides.push({ component: o.component, ...(o.line !== undefined && { line: o.line }), ...(quantityMinor !== undefined && { quantityMinor }), ...(lineScrapMinor !== undefined && { lineScrapMinor }) });
  }

  const progress = readProgress(db, order.id);
  const mayExceedLimits = input.allowOverLimits === true;
  if (order.operations.some((o) => o.operation === input.operation)) {
    const checked = checkConfirmationQuantities({
      order, operation: input.operation, goodMinor, scrapMinor, productDecimals: product.decimals, productUom: product.baseUom,
      progress, tolerancePct: plant.overConfirmationTolerancePct, mayExceedLimits,
    });
    if (!checked.ok) return refuse(checked.error);
  }

  const request: ConfirmationRequest = {
    order, operation: input.operation, goodMinor, scrapMinor, final: input.final === true, postingBackflushes: input.backflush !== false, overrides,
  };
  const materials = new Map<string, Material>([[product.id, product]]);
  for (const c of order.components) {
    const m = readMaterial(db, c.component);
    if (m) materials.set(m.id, m);
  }
  const workCenters = new Map(order.operations.flatMap((o) => {
    const wc = readWorkCenter(db, o.workCenter);
    return wc ? [[wc.id, wc] as const] : [];
  }));
  const planned = calculateBackflush(request, {
    plant, materials, workCenters, progress, fixedIssuedLines: readFixedIssuedLines(db, order.id),
    stockAt: (location, material) => readStockSources(db, location, material),
  });
  if (!planned.ok) return refuse(planned.error);
  return { ok: true, value: { order, product, request, plan: planned.value } };
}

/** A line as contracts.md §3 shows it, quantities in base units, with every source it takes from. */
export function describeLine(line: PlannedLine) {
  const q = (minor: number) => fromMinor(minor, line.decimals);
  const negative = line.policy === 'negative' && line.shortfallMinor > 0;
  const sources = line.takes.map((t) => ({
    hu: t.source.hu, batch: t.source.batch, location: t.source.location, quantity: q(t.quantityMinor), emptied: t.emptiesHu, remaining: q(t.remainingMinor),
  }));
  if (negative) sources.push({ hu: null, batch: null, location: line.location, quantity: q(line.shortfallMinor), emptied: false, remaining: -q(line.shortfallMinor) });
  return {
    line: line.line, component: line.component, quantity: q(line.quantityMinor), uom: line.uom, location: line.location,
    hu: line.takes[0]?.source.hu ?? null, batch: line.takes[0]?.source.batch ?? null,
    standardQuantity: q(line.standardMinor), overridden: line.overridden, lineScrap: q(line.lineScrapMinor),
    backflush: line.backflush, decidedBy: line.decidedBy, fixed: line.fixed,
    shortfall: q(line.shortfallMinor), shortfallTo: line.shortfallMinor > 0 ? (negative ? ('negative' as const) : ('backlog' as const)) : null, sources,
  };
}

export type DescribedLine = ReturnType<typeof describeLine>;

/** What the operator should know before and after posting: HUs to take off, backlog, negative stock. */
export function describeWarnings(lines: readonly DescribedLine[]) {
  const warnings: { code: string; message: string; hu?: string }[] = [];
  for (const line of lines) {
    for (const s of line.sources) {
      if (s.emptied && s.hu) warnings.push({ code: 'hu-empty', hu: s.hu, message: `HU ${s.hu} (${line.component}) will be empty: take it off.` });
    }
    if (line.shortfall > 0) {
      const what = `${line.shortfall} ${line.uom} ${line.component} at ${line.location}`;
      warnings.push(
        line.shortfallTo === 'negative'
          ? { code: 'negative-stock', message: `Not enough stock: ${what} taken into negative stock.` }
          : { code: 'backlog', message: `Not enough stock: ${what} goes to the backlog.` },
      );
    }
  }
  return warnings;
}
