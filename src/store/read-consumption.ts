import type { Database } from 'better-sqlite3';
import type { ConsumptionShare } from '../domain/attribute-difference.js';
import { prepared } from './prepared.js';

export interface ConsumedSince {
  shares: ConsumptionShare[];
  totalMinor: number;
  operators: string[];
}

function summarize(rows: (ConsumptionShare & { users: string })[]): ConsumedSince {
  const shares = rows.map(({ users: _users, ...share }) => share);
  return {
    shares,
    totalMinor: shares.reduce((sum, s) => sum + Math.max(0, s.quantityMinor), 0),
    operators: [...new Set(rows.flatMap((r) => r.users.split(',')))].filter((u) => u !== '').sort(),
  };
}

/** What each order consumed (net of reversals) from an HU since the seq it was mounted or arrived. */
export function readConsumedFromHuSince(db: Database, hu: string, sinceSeq: number): ConsumedSince {
  return summarize(
    prepared(
      db,
      `SELECT order_id AS "order", operation, sum(quantity_minor) AS quantityMinor, group_concat(DISTINCT user_id) AS users
       FROM consumption WHERE hu = ? AND posting_seq > ? AND source = 'backflush'
       GROUP BY order_id, operation HAVING sum(quantity_minor) > 0 ORDER BY order_id, operation`,
    ).all(hu, sinceSeq) as (ConsumptionShare & { users: string })[],
  );
}

/** What each order consumed of a material at a location since its last count there. */
export function readConsumedAtLocationSinceCount(db: Database, location: string, material: string): ConsumedSince {
  return summarize(
    prepared(
      db,
      `SELECT order_id AS "order", operation, sum(quantity_minor) AS quantityMinor, group_concat(DISTINCT user_id) AS users
       FROM consumption WHERE location = @location AND material = @material AND source = 'backflush'
         AND posting_seq > coalesce((SELECT posting_seq FROM location_count WHERE location = @location AND material = @material), 0)
       GROUP BY order_id, operation HAVING sum(quantity_minor) > 0 ORDER BY order_id, operation`,
    ).all({ location, material }) as (ConsumptionShare & { users: string })[],
  );
}
