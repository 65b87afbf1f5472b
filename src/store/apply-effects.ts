import type { Database, Statement } from 'better-sqlite3';
import type { Effect } from '../domain/effects.js';

// The SQL twin of domain/effects.ts `replayEffects`: `shopfloor check` proves they agree.

function prepare(db: Database) {
  return {
    huCreate: db.prepare(
      `INSERT INTO handling_unit (id, material, batch, expiry, location, quantity_minor, state, arrived_at, parent, since_seq)
       VALUES (@hu, @material, @batch, @expiry, @location, 0, 'available', @at, @parent, @seq)`,
    ),
    huQuantity: db.prepare(
      `UPDATE handling_unit SET quantity_minor = quantity_minor + @delta WHERE id = @hu RETURNING material, batch, location`,
    ),
    huQuantityAndState: db.prepare(
      `UPDATE handling_unit SET quantity_minor = quantity_minor + @delta, state = @to,
         since_seq = CASE WHEN @to = 'mounted' THEN @seq ELSE since_seq END
       WHERE id = @hu AND state = @from RETURNING material, batch, location`,
    ),
    huMove: db.prepare(`UPDATE handling_unit SET location = @to, arrived_at = @at, since_seq = @seq WHERE id = @hu AND location = @from`),
    huState: db.prepare(
      `UPDATE handling_unit SET state = @to, since_seq = CASE WHEN @to = 'mounted' THEN @seq ELSE since_seq END WHERE id = @hu AND state = @from`,
    ),
    bulkQuantity: db.prepare(
      `INSERT INTO bulk_stock (location, material, batch, quantity_minor) VALUES (@location, @material, @batch, @delta)
       ON CONFLICT (location, material, batch) DO UPDATE SET quantity_minor = quantity_minor + excluded.quantity_minor`,
    ),
    consumption: db.prepare(
      `INSERT INTO consumption (posting_id, posting_seq, posted_at, user_id, source, order_id, operation, material, location, hu, batch, quantity_minor)
       VALUES (@posting, @seq, @at, @user, @source, @order, @operation, @material, @location, @hu, @batch, @quantity)`,
    ),
    backlogOpen: db.prepare(
      `INSERT INTO backlog (id, posting_id, order_id, operation, material, location, quantity_minor, open_minor, reason, created_at)
       VALUES (@id, @posting, @order, @operation, @material, @location, @quantity, @quantity, @reason, @at)`,
    ),
    backlogSettle: db.prepare(`UPDATE backlog SET open_minor = open_minor + @delta WHERE id = @id`),
    progress: db.prepare(
      `INSERT INTO operation_progress (order_id, operation, good_minor, scrap_minor, final) VALUES (@order, @operation, @good, @scrap, 0)
       ON CONFLICT (order_id, operation) DO UPDATE SET good_minor = good_minor + excluded.good_minor, scrap_minor = scrap_minor + excluded.scrap_minor`,
    ),
    final: db.prepare(
      `INSERT INTO operation_progress (order_id, operation, good_minor, scrap_minor, final) VALUES (@order, @operation, 0, 0, @final)
       ON CONFLICT (order_id, operation) DO UPDATE SET final = excluded.final`,
    ),
    fixedIssue: db.prepare(`INSERT INTO fixed_issue (order_id, line) VALUES (@order, @line)`),
    fixedUnissue: db.prepare(`DELETE FROM fixed_issue WHERE order_id = @order AND line = @line`),
    reversed: db.prepare(`INSERT INTO posting_reversal (posting_id, reversal_id) VALUES (@posting, @by)`),
    huSet: db.prepare(
      `INSERT INTO handling_unit (id, material, batch, expiry, location, quantity_minor, state, arrived_at, parent, since_seq)
       VALUES (@hu, @material, @batch, @expiry, @location, @quantity, @state, @at, @parent, @seq)
       ON CONFLICT (id) DO UPDATE SET material = excluded.material, batch = excluded.batch, expiry = excluded.expiry,
         quantity_minor = excluded.quantity_minor, state = excluded.state, parent = excluded.parent,
         arrived_at = CASE WHEN location = excluded.location THEN arrived_at ELSE excluded.arrived_at END,
         since_seq = CASE WHEN location = excluded.location THEN since_seq ELSE excluded.since_seq END,
         location = excluded.location`,
    ),
    bulkSet: db.prepare(
      `INSERT INTO bulk_stock (location, material, batch, quantity_minor) VALUES (@location, @material, @batch, @quantity)
       ON CONFLICT (location, material, batch) DO UPDATE SET quantity_minor = excluded.quantity_minor`,
    ),
  } satisfies Record<string, Statement>;
}

const cache = new WeakMap<Database, ReturnType<typeof prepare>>();

function mustChange(result: { changes: number }, what: string): void {
  if (result.changes !== 1) throw new Error(`effect could not be applied: ${what}`);
}

/** Where effects come from: a posting of this terminal, or inbound stock facts after a seq. */
export type EffectSource = { id: string; seq: number; user: string } | { id: null; seq: number; user: null };

/** Applies effects to the balance tables. */
export function applyEffects(db: Database, effects: readonly Effect[], source: EffectSource, at: string): void {
  const postingId = source.id;
  const seq = source.seq;
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i] as Effect;
    switch (e.t) {
      case 'hu-create':
        s.huCreate.run({ hu: e.hu, material: e.material, batch: e.batch, expiry: e.expiry, location: e.location, at, parent: e.parent, seq });
        break;
      case 'hu-quantity': {
        // A take that empties an HU is followed by its state change: one UPDATE does both.
        const next = effects[i + 1];
        const andState = next?.t === 'hu-state' && next.hu === e.hu ? next : undefined;
        if (andState) i++;
        const hu = (
          andState
            ? s.huQuantityAndState.get({ hu: e.hu, delta: e.deltaMinor, from: andState.from, to: andState.to, seq })
            : s.huQuantity.get({ hu: e.hu, delta: e.deltaMinor })
        ) as { material: string; batch: string | null; location: string } | undefined;
        if (!hu) throw new Error(`effect could not be applied: HU ${e.hu} unknown${andState ? ` or not ${andState.from}` : ''}`);
        if (e.for && postingId) {
          s.consumption.run({
            posting: postingId, seq, at, user: source.user, source: e.for.source ?? 'backflush', order: e.for.order, operation: e.for.operation, material: hu.material,
            location: hu.location, hu: e.hu, batch: hu.batch, quantity: -e.deltaMinor,
          });
        }
        break;
      }
      case 'hu-move':
        mustChange(s.huMove.run({ hu: e.hu, from: e.from, to: e.to, at, seq }), `move ${e.hu} from ${e.from}`);
        break;
      case 'hu-state':
        mustChange(s.huState.run({ hu: e.hu, from: e.from, to: e.to, seq }), `state of ${e.hu} from ${e.from}`);
        break;
      case 'bulk-quantity':
        s.bulkQuantity.run({ location: e.location, material: e.material, batch: e.batch ?? '', delta: e.deltaMinor });
        if (e.for && postingId) {
          s.consumption.run({
            posting: postingId, seq, at, user: source.user, source: e.for.source ?? 'backflush', order: e.for.order, operation: e.for.operation, material: e.material,
            location: e.location, hu: null, batch: e.batch, quantity: -e.deltaMinor,
          });
        }
        break;
      case 'backlog-open':
        if (!postingId) throw new Error('backlog comes only from postings');
        s.backlogOpen.run({
          id: e.id, posting: postingId, order: e.order, operation: e.operation, material: e.material,
          location: e.location, quantity: e.quantityMinor, reason: e.reason, at,
        });
        break;
      case 'backlog-settle':
        mustChange(s.backlogSettle.run({ id: e.id, delta: e.how === 'reopened' ? e.quantityMinor : -e.quantityMinor }), `backlog ${e.id}`);
        break;
      case 'progress':
        s.progress.run({ order: e.order, operation: e.operation, good: e.goodMinor, scrap: e.scrapMinor });
        break;
      case 'final':
        s.final.run({ order: e.order, operation: e.operation, final: e.final ? 1 : 0 });
        break;
      case 'fixed-issue':
        (e.issued ? s.fixedIssue : s.fixedUnissue).run({ order: e.order, line: e.line });
        break;
      case 'reversed':
        if (!postingId) throw new Error('only postings reverse postings');
        s.reversed.run({ posting: e.posting, by: postingId });
        break;
      case 'hu-set':
        if (postingId) throw new Error('hu-set comes only from the central');
        s.huSet.run({ hu: e.hu, material: e.material, batch: e.batch, expiry: e.expiry, location: e.location, quantity: e.quantityMinor, state: e.state, at, parent: e.parent, seq });
        break;
      case 'bulk-set':
        if (postingId) throw new Error('bulk-set comes only from the central');
        s.bulkSet.run({ location: e.location, material: e.material, batch: e.batch ?? '', quantity: e.quantityMinor });
        break;
    }
  }
}
