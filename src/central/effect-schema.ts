// A posting's effects checked in depth on receipt (the wire schema leaves them open): the central
// applies stock effects to its own tables, so it must understand each one it is sent.
import { z } from 'zod';
import type { Effect } from '../domain/effects.js';

const id = z.string().min(1).max(200);
const minor = z.int();
const huState = z.enum(['available', 'mounted', 'empty', 'cancelled']);
const consumedFor = z.strictObject({ order: id, operation: id, source: z.enum(['true-up', 'count']).optional() });

export const effectSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('hu-create'), hu: id, material: id, batch: z.string().nullable(), expiry: z.string().nullable(), location: id, parent: z.string().nullable() }),
  z.strictObject({ t: z.literal('hu-quantity'), hu: id, deltaMinor: minor, for: consumedFor.optional(), location: id.optional() }),
  z.strictObject({ t: z.literal('hu-move'), hu: id, from: id, to: id }),
  z.strictObject({ t: z.literal('hu-state'), hu: id, from: huState, to: huState }),
  z.strictObject({ t: z.literal('bulk-quantity'), location: id, material: id, batch: z.string().nullable(), deltaMinor: minor, for: consumedFor.optional() }),
  z.strictObject({
    t: z.literal('backlog-open'), id, order: id, operation: id, material: id, location: id, quantityMinor: minor, reason: z.string(),
  }),
  z.strictObject({ t: z.literal('backlog-settle'), id, quantityMinor: minor, how: z.enum(['retried', 'negative', 'writtenOff', 'cancelled', 'reopened']) }),
  z.strictObject({ t: z.literal('progress'), order: id, operation: id, goodMinor: minor, scrapMinor: minor }),
  z.strictObject({ t: z.literal('final'), order: id, operation: id, final: z.boolean() }),
  z.strictObject({ t: z.literal('fixed-issue'), order: id, line: z.int(), issued: z.boolean() }),
  z.strictObject({ t: z.literal('reversed'), posting: id }),
]) satisfies z.ZodType<Effect>;

export const effectsSchema = z.array(effectSchema);
