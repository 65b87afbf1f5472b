import { fixedRequirementMinor, variableRequirementMinor } from './calculate-requirement.js';
import { allocate, orderSources, type Take } from './choose-sources.js';
import { decideBackflush, type DecidedBy } from './decide-backflush.js';
import { fromMinor } from './quantity.js';
import { fail, ok, type Result } from './result.js';
import type {
  InsufficientStockPolicy, Material, OperationProgress, OrderComponent, OrderOperation, Plant, ProductionOrder, StockSource, WorkCenter,
} from './types.js';

export interface LineOverride {
  component: string;
  /** The BOM line, where one component appears twice at the operation. */
  line?: number;
  /** Replaces the calculated quantity for this posting. */
  quantityMinor?: number;
  /** Added on top (splice waste and the like). */
  lineScrapMinor?: number;
}

export interface ConfirmationRequest {
  order: ProductionOrder;
  operation: string;
  goodMinor: number;
  scrapMinor: number;
  final: boolean;
  /** False for a supervisor's correction posting without backflush. */
  postingBackflushes: boolean;
  overrides: readonly LineOverride[];
}

export interface BackflushContext {
  plant: Plant;
  materials: ReadonlyMap<string, Material>;
  workCenters: ReadonlyMap<string, WorkCenter>;
  progress: ReadonlyMap<string, OperationProgress>;
  /** BOM lines of fixed components already issued for this order. */
  fixedIssuedLines: ReadonlySet<number>;
  stockAt(location: string, material: string): readonly StockSource[];
}

export interface PlannedLine {
  line: number;
  component: string;
  uom: string;
  decimals: number;
  location: string;
  backflush: boolean;
  decidedBy: DecidedBy;
  fixed: boolean;
  standardMinor: number;
  overridden: boolean;
  lineScrapMinor: number;
  /** What is issued: the override or the standard, plus line scrap. */
  quantityMinor: number;
  policy: InsufficientStockPolicy;
  takes: Take[];
  shortfallMinor: number;
}

export interface ConfirmationPlan {
  lines: PlannedLine[];
  isLastOperation: boolean;
  output: { material: string; batch: string | null; location: string; quantityMinor: number } | null;
  /** The shortfall went to negative stock under the `negative` policy. */
  negative: boolean;
  /** This confirmation marks the operation done (it was not before), so its reversal reopens it. */
  setsFinal: boolean;
}

/** Operations of an order in sequence. */
export function operationSequence(order: ProductionOrder): OrderOperation[] {
  return [...order.operations].sort((a, b) => (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0));
}

/** The BOM lines consumed at an operation; lines without an operation go to the last one. */
export function componentsAt(order: ProductionOrder, operation: string): OrderComponent[] {
  const last = operationSequence(order).at(-1)?.operation;
  return order.components.filter((c) => (c.operation ?? last) === operation);
}

/** Which lines a confirmation backflushes, how much and from where: product.md "The rules". */
export function calculateBackflush(req: ConfirmationRequest, ctx: BackflushContext): Result<ConfirmationPlan> {
  const { order } = req;
  const operation = order.operations.find((o) => o.operation === req.operation);
  if (!operation) {
    return fail('unknown-operation', `Order ${order.id} has no operation ${req.operation}.`, { order: order.id, operation: req.operation });
  }
  const workCenter = ctx.workCenters.get(operation.workCenter);
  const product = ctx.materials.get(order.material);
  if (!workCenter || !product) return fail('master-data-missing', `Master data for order ${order.id} is incomplete; ask a supervisor.`);
  const isLastOperation = operationSequence(order).at(-1)?.operation === operation.operation;
  const components = componentsAt(order, operation.operation);

  const unknownOverride = req.overrides.find(
    (o) => !components.some((c) => c.component === o.component && (o.line === undefined || o.line === c.line)),
  );
  if (unknownOverride) {
    return fail('unknown-override', `Component ${unknownOverride.component} is not consumed at operation ${operation.operation}.`, {
      component: unknownOverride.component,
    });
  }

  const done = ctx.progress.get(operation.operation);
  const confirmedBeforeMinor = (done?.goodMinor ?? 0) + (done?.scrapMinor ?? 0);
  const remaining = new Map<StockSource, number>();
  const lines: PlannedLine[] = [];
  let negative = false;

  for (const component of components) {
    const material = ctx.materials.get(component.component);
    if (!material) return fail('master-data-missing', `Material ${component.component} of order ${order.id} is unknown; ask a supervisor.`);
    const decision = decideBackflush({ postingBackflushes: req.postingBackflushes, operation, component, material, workCenter });
    const location = component.issueLocation ?? workCenter.machineLocation;
    const policy = material.insufficientStock ?? ctx.plant.insufficientStock;
    const base = {
      line: component.line, component: component.component, uom: material.baseUom, decimals: material.decimals, location,
      backflush: decision.backflush, decidedBy: decision.decidedBy, fixed: component.fixed, policy,
    };
    if (!decision.backflush) {
      lines.push({ ...base, standardMinor: 0, overridden: false, lineScrapMinor: 0, quantityMinor: 0, takes: [], shortfallMinor: 0 });
      continue;
    }
    const standardMinor = component.fixed
      ? ctx.fixedIssuedLines.has(component.line) ? 0 : fixedRequirementMinor(component, material)
      : variableRequirementMinor({
          component, componentMaterial: material, productDecimals: product.decimals, baseQuantity: order.baseQuantity,
          confirmedBeforeMinor, confirmingMinor: req.goodMinor + req.scrapMinor,
        });
    const override = req.overrides.find((o) => o.component === component.component && (o.line === undefined || o.line === component.line));
    const overridden = override?.quantityMinor !== undefined;
    const lineScrapMinor = override?.lineScrapMinor ?? 0;
    const quantityMinor = (override?.quantityMinor ?? standardMinor) + lineScrapMinor;
    const { takes, shortfallMinor } = allocate(orderSources(ctx.stockAt(location, material.id)), quantityMinor, remaining);
    if (shortfallMinor > 0 && policy === 'negative') negative = true;
    lines.push({ ...base, standardMinor, overridden, lineScrapMinor, quantityMinor, takes, shortfallMinor });
  }

  const blocked = lines.filter((l) => l.shortfallMinor > 0 && l.policy === 'block');
  if (blocked.length > 0) {
    const missing = blocked.map((l) => ({ component: l.component, location: l.location, missing: fromMinor(l.shortfallMinor, l.decimals), uom: l.uom }));
    return fail(
      'insufficient-stock',
      `Not enough stock: ${missing.map((m) => `${m.missing} ${m.uom} ${m.component} at ${m.location}`).join('; ')}. Nothing was posted.`,
      { missing },
    );
  }

  const output =
    isLastOperation && req.goodMinor > 0
      ? { material: order.material, batch: order.batch, location: workCenter.outputLocation, quantityMinor: req.goodMinor }
      : null;
  return ok({ lines, isLastOperation, output, negative, setsFinal: req.final && !(done?.final ?? false) });
}
