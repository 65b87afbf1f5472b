import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/domain/rational.js';
import { readOpenBacklog } from '../../src/store/read-stock.js';
import { countLocation } from '../../src/terminal/count-location.js';
import { mountHu } from '../../src/terminal/mount-hu.js';
import { returnHu } from '../../src/terminal/return-hu.js';
import { trueUpHu } from '../../src/terminal/true-up-hu.js';
import { resolveBacklog } from '../../src/terminal/resolve-backlog.js';
import { reversePosting } from '../../src/terminal/reverse-posting.js';
import { transferHu } from '../../src/terminal/transfer-hu.js';
import { aPlant, expectOk, handler, operator, supervisor, type TestTerminal } from '../fixtures/test-plant.js';

// PROPERTY_RUNS raises the number of cases for a deeper local search; CI uses the default.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);
const TIMEOUT_MS = Math.max(30_000, RUNS * 100);
const HUS = ['HU-1', 'HU-2', 'HU-3', 'HU-4', 'HU-5'];
const LOCATIONS = ['WH', 'ML1'];

/** A plant where every rule is in play: two components, partial HUs, bulk stock, backlog or negative stock, two operations. */
function scenarioPlant(policy: 'backlog' | 'negative' | 'block'): TestTerminal {
  return aPlant()
    .plant({ insufficientStock: policy })
    .operations({ operation: '0010' }, { operation: '0020' })
    .component('RIM', 290, { uom: 'M', componentScrapPct: 2 })
    .component('CLIP', 300, { operation: '0020' })
    .material('CLIP', { rounding: 'halfUp' })
    .component('KIT', 3, { fixed: true, operation: '0020' })
    .bomBase(1000)
    .order('1000', 1000)
    .order('2000', 1000)
    .hu('HU-1', 'RIM', 40.5)
    .hu('HU-2', 'RIM', 25, { location: 'WH' })
    .hu('HU-3', 'CLIP', 30)
    .hu('HU-4', 'CLIP', 50, { location: 'WH' })
    .hu('HU-5', 'KIT', 4)
    .stock('RIM', 10)
    .open();
}

const command = fc.oneof(
  fc.record({ t: fc.constant('confirm' as const), order: fc.constantFrom('1000', '2000'), operation: fc.constantFrom('0010', '0020'), good: fc.integer({ min: 0, max: 60 }), scrap: fc.integer({ min: 0, max: 5 }), final: fc.boolean() }),
  fc.record({ t: fc.constant('transfer' as const), hu: fc.constantFrom(...HUS), to: fc.constantFrom(...LOCATIONS), part: fc.option(fc.integer({ min: 1, max: 30 })) }),
  fc.record({ t: fc.constant('return' as const), hu: fc.constantFrom(...HUS) }),
  fc.record({ t: fc.constant('true-up' as const), hu: fc.constantFrom(...HUS), remaining: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ t: fc.constant('count' as const), hu: fc.constantFrom(...HUS), found: fc.integer({ min: 0, max: 40 }), rim: fc.integer({ min: 0, max: 20 }) }),
  fc.record({ t: fc.constant('mount' as const), hu: fc.constantFrom(...HUS) }),
  fc.record({ t: fc.constant('reverse' as const), pick: fc.nat() }),
  fc.record({ t: fc.constant('resolve' as const), pick: fc.nat(), action: fc.constantFrom('retry' as const, 'negative' as const, 'writeOff' as const) }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

/** Runs a command; refusals (no stock, wrong place, limits) are part of the game. Returns the posting id if one was made. */
function run(t: TestTerminal, c: Command, postings: string[]): string | null {
  switch (c.t) {
    case 'confirm': {
      const r = t.confirm({ order: c.order, operation: c.operation, good: c.good, scrap: c.scrap, ...(c.scrap > 0 && { scrapReason: 'SETUP' }), final: c.final, allowOverLimits: true }, supervisor);
      return r.ok ? r.value.postingId : null;
    }
    case 'transfer': {
      const r = transferHu(t.ctx, handler, { hu: c.hu, to: c.to, ...(c.part !== null && { quantity: c.part }) });
      return r.ok ? r.value.postingId : null;
    }
    case 'return': {
      const r = returnHu(t.ctx, handler, { hu: c.hu, to: 'WH' });
      return r.ok ? r.value.postingId : null;
    }
    case 'true-up': {
      const r = trueUpHu(t.ctx, operator, { hu: c.hu, remaining: c.remaining });
      return r.ok ? r.value.postingId : null;
    }
    case 'count': {
      const hu = t.db.prepare('SELECT material, location FROM handling_unit WHERE id = ?').get(c.hu) as { material: string; location: string };
      const counts = [{ material: hu.material, hu: c.hu, quantity: c.found }, ...(hu.material === 'RIM' ? [] : [{ material: 'RIM', quantity: c.rim }])];
      const r = countLocation(t.ctx, supervisor, { location: hu.location, counts });
      return r.ok ? r.value.postingId : null;
    }
    case 'mount': {
      const r = mountHu(t.ctx, operator, { location: 'ML1', hu: c.hu });
      return r.ok ? r.value.postingId : null;
    }
    case 'resolve': {
      const open = readOpenBacklog(t.db);
      const entry = open[c.pick % Math.max(1, open.length)];
      if (!entry) return null;
      const r = resolveBacklog(t.ctx, supervisor, { id: entry.id, action: c.action });
      return r.ok ? r.value.postingId : null;
    }
    case 'reverse': {
      const target = postings[c.pick % Math.max(1, postings.length)];
      if (!target) return null;
      const r = reversePosting(t.ctx, supervisor, { postingId: target, reason: 'property test' });
      return r.ok ? r.value.postingId : null;
    }
  }
}

describe('properties', () => {
  it('for any sequence of confirmations, the total consumed per component equals the rounded total requirement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ good: fc.integer({ min: 0, max: 40 }), scrap: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 25 }),
        fc.constantFrom(0.3, 0.29, 1.7, 2.125),
        fc.constantFrom<'halfUp' | 'up'>('halfUp', 'up'),
        fc.constantFrom(0, 2.5, 10),
        (confirmations, perPiece, rounding, scrapPct) => {
          const t = aPlant().plant({ insufficientStock: 'negative' }).component('C', perPiece, { uom: 'M', componentScrapPct: scrapPct }).material('C', { rounding }).order('1000', 100_000).open();
          try {
            let consumed = 0;
            let total = 0;
            for (const c of confirmations) {
              if (c.good + c.scrap === 0) continue;
              const posted = expectOk(t.confirm({ order: '1000', operation: '0010', good: c.good, scrap: c.scrap, ...(c.scrap > 0 && { scrapReason: 'SETUP' }) }));
              consumed += Math.round((posted.lines[0]?.quantity ?? 0) * 100);
              total += c.good + c.scrap;
            }
            const expected = Rational.fromNumber(total).mul(Rational.fromNumber(perPiece)).mul(Rational.of(1).add(Rational.fromNumber(scrapPct).div(Rational.of(100)))).mul(Rational.of(100)).round(rounding);
            expect(consumed).toBe(Number(expected));
            expect(-t.bulk('ML1', 'C') * 100).toBeCloseTo(consumed, 6);
          } finally {
            t.close();
          }
        },
      ),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, TIMEOUT_MS);

  it('reversing any posting restores every balance exactly', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 15 }), command.filter((c) => c.t !== 'reverse'), fc.constantFrom<'backlog' | 'negative'>('backlog', 'negative'), (before, target, policy) => {
        const t = scenarioPlant(policy);
        try {
          const postings: string[] = [];
          for (const c of before) {
            const id = run(t, c, postings);
            if (id) postings.push(id);
          }
          const snapshot = t.balances();
          const husBefore = new Set(snapshot.hus.map((h) => (h as { id: string }).id));
          const id = run(t, target, postings);
          if (!id) return;
          expectOk(reversePosting(t.ctx, supervisor, { postingId: id, reason: 'property test' }));
          const after = t.balances();
          // An output HU the posting made stays on record, cancelled and empty.
          const made = after.hus.filter((h) => !husBefore.has((h as { id: string }).id));
          for (const h of made) expect(h).toMatchObject({ quantity_minor: 0, state: 'cancelled' });
          expect({ ...after, hus: after.hus.filter((h) => husBefore.has((h as { id: string }).id)) }).toEqual(snapshot);
        } finally {
          t.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it('splits and returns never change the total stock of a material', () => {
    fc.assert(
      fc.property(fc.array(command.filter((c) => c.t === 'transfer' || c.t === 'return' || c.t === 'mount'), { maxLength: 25 }), (moves) => {
        const t = scenarioPlant('backlog');
        try {
          const totals = () => t.db.prepare(`SELECT material, sum(quantity_minor) AS q FROM handling_unit GROUP BY material ORDER BY material`).all();
          const before = totals();
          for (const c of moves) run(t, c, []);
          expect(totals()).toEqual(before);
        } finally {
          t.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it('every count and true-up difference is attributed in full where orders consumed', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 30 }), (commands) => {
        const t = scenarioPlant('negative');
        try {
          const postings: string[] = [];
          for (const c of commands) {
            const id = run(t, c, postings);
            if (id) postings.push(id);
          }
          // Each difference posting books to orders exactly what it took or gave, unless nobody consumed.
          const rows = t.db.prepare(`SELECT body FROM posting WHERE kind IN ('true-up', 'count')`).all() as { body: string }[];
          for (const { body } of rows) {
            const posting = JSON.parse(body) as {
              data: { bookMinor?: number; actualMinor?: number; counts?: { bookMinor: number; foundMinor: number }[] };
              effects: { t: string; deltaMinor?: number; for?: unknown }[];
            };
            const effects = posting.effects.filter((e) => e.deltaMinor !== undefined) as { hu?: string; location?: string; material?: string; deltaMinor: number; for?: unknown }[];
            const change = posting.data.counts
              ? posting.data.counts.reduce((s, c) => s + c.foundMinor - c.bookMinor, 0)
              : (posting.data.actualMinor ?? 0) - (posting.data.bookMinor ?? 0);
            expect(effects.reduce((s, e) => s + e.deltaMinor, 0)).toBe(change);
            // Per counted HU or stock: once anything is booked to orders, all of its difference is.
            const targets = new Map<string, { attributed: number; unattributed: number }>();
            for (const e of effects) {
              const key = e.hu ?? `${e.location ?? ''}/${e.material ?? ''}`;
              const sum = targets.get(key) ?? { attributed: 0, unattributed: 0 };
              if (e.for) sum.attributed += e.deltaMinor;
              else sum.unattributed += e.deltaMinor;
              targets.set(key, sum);
            }
            for (const sum of targets.values()) if (sum.attributed !== 0) expect(sum.unattributed).toBe(0);
          }
        } finally {
          t.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);

  it('replaying the ledger always gives the balances, whatever was posted', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 40 }), fc.constantFrom<'backlog' | 'negative' | 'block'>('backlog', 'negative', 'block'), (commands, policy) => {
        const t = scenarioPlant(policy);
        try {
          const postings: string[] = [];
          for (const c of commands) {
            const id = run(t, c, postings);
            if (id) postings.push(id);
          }
          expect(t.check()).toMatchObject({ ok: true, problems: [] });
        } finally {
          t.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT_MS);
});
