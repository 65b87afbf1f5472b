import type { Database } from 'better-sqlite3';
import type { Material, OrderComponent, OrderOperation, Plant, ProductionOrder, WorkCenter } from '../domain/types.js';
import { prepared } from './prepared.js';

export interface LocationRecord {
  id: string;
  kind: 'storage' | 'machine';
  workCenter: string | null;
}

export function readPlant(db: Database): Plant {
  const row = prepared(db, 'SELECT * FROM plant LIMIT 1').get() as
    | { id: string; gs1_company_prefix: string; insufficient_stock: Plant['insufficientStock']; over_confirmation_tolerance_pct: number; operator_may_override_lines: number; anomaly_threshold_pct: number }
    | undefined;
  if (!row) throw new Error('no plant: load master data first');
  return {
    id: row.id,
    gs1CompanyPrefix: row.gs1_company_prefix,
    insufficientStock: row.insufficient_stock,
    overConfirmationTolerancePct: row.over_confirmation_tolerance_pct,
    operatorMayOverrideLines: row.operator_may_override_lines === 1,
    anomalyThresholdPct: row.anomaly_threshold_pct,
  };
}

export function readMaterial(db: Database, id: string): Material | undefined {
  const row = prepared(
    db,
    `SELECT m.id, m.base_uom, u.decimals, m.backflush, m.rounding, m.insufficient_stock
     FROM material m JOIN uom u ON u.id = m.base_uom WHERE m.id = ?`,
  ).get(id) as
    | { id: string; base_uom: string; decimals: number; backflush: Material['backflush']; rounding: Material['rounding']; insufficient_stock: Material['insufficientStock'] }
    | undefined;
  return row && {
    id: row.id, baseUom: row.base_uom, decimals: row.decimals, backflush: row.backflush, rounding: row.rounding, insufficientStock: row.insufficient_stock,
  };
}

export function readWorkCenter(db: Database, id: string): WorkCenter | undefined {
  const row = prepared(db, 'SELECT id, backflush, machine_location, output_location FROM work_center WHERE id = ?').get(id) as
    | { id: string; backflush: number; machine_location: string; output_location: string }
    | undefined;
  return row && { id: row.id, backflush: row.backflush === 1, machineLocation: row.machine_location, outputLocation: row.output_location };
}

export function readLocation(db: Database, id: string): LocationRecord | undefined {
  const row = prepared(db, 'SELECT id, kind, work_center FROM location WHERE id = ?').get(id) as
    | { id: string; kind: LocationRecord['kind']; work_center: string | null }
    | undefined;
  return row && { id: row.id, kind: row.kind, workCenter: row.work_center };
}

export function readOrder(db: Database, id: string): ProductionOrder | undefined {
  const order = prepared(db, 'SELECT id, material, quantity_minor, base_quantity, batch, status FROM production_order WHERE id = ?').get(id) as
    | { id: string; material: string; quantity_minor: number; base_quantity: number; batch: string | null; status: string }
    | undefined;
  if (!order) return undefined;
  const operations = (
    prepared(db, 'SELECT operation, work_center, backflush FROM order_operation WHERE order_id = ? ORDER BY operation').all(id) as {
      operation: string; work_center: string; backflush: number;
    }[]
  ).map((o): OrderOperation => ({ operation: o.operation, workCenter: o.work_center, backflush: o.backflush === 1 }));
  const components = (
    prepared(
      db,
      `SELECT line, component, quantity, operation, component_scrap_pct, backflush, fixed, issue_location
       FROM order_component WHERE order_id = ? ORDER BY line`,
    ).all(id) as {
      line: number; component: string; quantity: number; operation: string | null; component_scrap_pct: number;
      backflush: number | null; fixed: number; issue_location: string | null;
    }[]
  ).map(
    (c): OrderComponent => ({
      line: c.line, component: c.component, quantity: c.quantity, operation: c.operation, componentScrapPct: c.component_scrap_pct,
      backflush: c.backflush === null ? null : c.backflush === 1, fixed: c.fixed === 1, issueLocation: c.issue_location,
    }),
  );
  return {
    id: order.id, material: order.material, quantityMinor: order.quantity_minor, baseQuantity: order.base_quantity,
    batch: order.batch, status: order.status, operations, components,
  };
}
