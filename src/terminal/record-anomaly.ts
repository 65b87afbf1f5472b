import type { Database } from 'better-sqlite3';
import { isAnomaly } from '../domain/attribute-difference.js';
import { prepared } from '../store/prepared.js';
import { readPlant } from '../store/read-master-data.js';
import type { ConsumedSince } from '../store/read-consumption.js';

/** Records a true-up or count difference as an anomaly when it is beyond the plant's threshold. */
export function recordAnomalyIfAny(
  db: Database,
  a: { id: string; postingId: string; kind: 'true-up' | 'count'; location: string; material: string; hu: string | null; differenceMinor: number; decimals: number; at: string },
  consumed: ConsumedSince,
): boolean {
  if (!isAnomaly(a.differenceMinor, consumed.totalMinor, readPlant(db).anomalyThresholdPct, a.decimals)) return false;
  prepared(
    db,
    `INSERT INTO anomaly (id, posting_id, kind, location, material, hu, difference_minor, consumed_since_minor, orders, operators, created_at)
     VALUES (@id, @postingId, @kind, @location, @material, @hu, @differenceMinor, @consumedSince, @orders, @operators, @at)`,
  ).run({
    ...a,
    consumedSince: consumed.totalMinor,
    orders: JSON.stringify(consumed.shares.map((s) => ({ order: s.order, operation: s.operation }))),
    operators: JSON.stringify(consumed.operators),
  });
  return true;
}
