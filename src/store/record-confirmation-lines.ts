import type { Database } from 'better-sqlite3';
import { prepared } from './prepared.js';

export interface ConfirmationLineRecord {
  line: number;
  material: string;
  location: string;
  standardMinor: number;
  overrideMinor: number;
  lineScrapMinor: number;
}

/** Indexes a confirmation's backflushed lines for variance; a reversal records them again negated (`sign` −1). */
export function recordConfirmationLines(
  db: Database,
  posting: { id: string; at: string; order: string; operation: string; product: string; goodMinor: number },
  lines: readonly ConfirmationLineRecord[],
  sign: 1 | -1,
): void {
  const insert = prepared(
    db,
    `INSERT INTO confirmation_line (posting_id, posted_at, order_id, operation, line, product, good_minor, material, location, standard_minor, override_minor, line_scrap_minor)
     VALUES (@id, @at, @order, @operation, @line, @product, @good, @material, @location, @standard, @override, @lineScrap)`,
  );
  for (const l of lines) {
    insert.run({
      ...posting, good: sign * posting.goodMinor, line: l.line, material: l.material, location: l.location,
      standard: sign * l.standardMinor, override: sign * l.overrideMinor, lineScrap: sign * l.lineScrapMinor,
    });
  }
}

/** Records the lines of a reversed confirmation again, negated. */
export function negateConfirmationLines(db: Database, original: string, reversal: { id: string; at: string }): void {
  prepared(
    db,
    `INSERT INTO confirmation_line (posting_id, posted_at, order_id, operation, line, product, good_minor, material, location, standard_minor, override_minor, line_scrap_minor)
     SELECT @id, @at, order_id, operation, line, product, -good_minor, material, location, -standard_minor, -override_minor, -line_scrap_minor
     FROM confirmation_line WHERE posting_id = @original`,
  ).run({ ...reversal, original });
}
