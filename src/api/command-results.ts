// What each terminal command answers (contracts.md §3), as schemas: the service's handlers are
// typed by them, and clients (the browser, the IPC bridge, tests) can check an answer with them.
// Objects are not strict: a client ignores fields added later.
import { z } from 'zod';

const text = z.string();
const nullableText = z.string().nullable();
const amount = z.number();

const warning = z.object({ code: text, message: text, hu: text.optional() });

/** A preview/posting line (contracts §3), with the sources it takes from. */
export const confirmationLineSchema = z.object({
  line: z.number().int(),
  component: text,
  quantity: amount,
  uom: text,
  location: text,
  hu: nullableText,
  batch: nullableText,
  standardQuantity: amount,
  overridden: z.boolean(),
  lineScrap: amount,
  backflush: z.boolean(),
  decidedBy: z.enum(['posting', 'operation', 'component', 'material', 'workCenter']),
  fixed: z.boolean(),
  shortfall: amount,
  shortfallTo: z.enum(['backlog', 'negative']).nullable(),
  sources: z.array(
    z.object({ hu: nullableText, batch: nullableText, location: text, quantity: amount, emptied: z.boolean(), remaining: amount }),
  ),
});

const output = z.object({ material: text, quantity: amount, uom: text, batch: nullableText, location: text });

export const previewConfirmationResultSchema = z.object({
  lines: z.array(confirmationLineSchema),
  output: output.nullable(),
  warnings: z.array(warning),
});

export const postConfirmationResultSchema = z.object({
  postingId: text,
  lines: z.array(confirmationLineSchema),
  backlog: z.array(z.object({ id: text, material: text, location: text, quantity: amount, uom: text })),
  output: output.extend({ hu: text }).nullable(),
  warnings: z.array(warning),
});

const huView = z.object({ id: text, material: text, batch: nullableText, quantity: amount, uom: text, location: text, state: text });

export const mountHuResultSchema = z.object({ postingId: nullableText, hu: huView });

const retriedBacklog = z.object({ postingId: text, backlog: text, quantity: amount, uom: text });

export const transferHuResultSchema = z.object({
  postingId: text,
  hu: text,
  split: z.boolean(),
  label: z.union([z.object({ svg: text, elementString: text }), z.object({ error: text })]).optional(),
  backlogRetried: z.array(retriedBacklog),
});

export const reversePostingResultSchema = z.object({ postingId: text, warnings: z.array(warning) });

export const trueUpHuResultSchema = z.object({
  postingId: text,
  difference: amount,
  uom: text,
  attributed: z.array(z.object({ order: text, operation: text, quantity: amount })),
  anomaly: z.boolean(),
});

export const countLocationResultSchema = z.object({
  postingId: text,
  differences: z.array(
    z.object({ material: text, hu: nullableText, batch: nullableText, book: amount, found: amount, difference: amount, uom: text }),
  ),
  anomalies: z.array(text),
});

export const listBacklogResultSchema = z.object({
  entries: z.array(
    z.object({
      id: text, order: text, operation: text, material: text, location: text, quantity: amount, uom: text, reason: text, createdAt: text,
    }),
  ),
});

export const resolveBacklogResultSchema = z.object({ postingId: text, settled: amount, open: amount });

export const listReplenishmentResultSchema = z.object({
  tasks: z.array(
    z.object({
      id: text, location: text, material: text, quantity: amount, uom: text, createdAt: text,
      proposedHus: z.array(z.object({ hu: text, location: text, batch: nullableText, quantity: amount, expiry: nullableText })),
    }),
  ),
});

export const listAnomaliesResultSchema = z.object({
  entries: z.array(
    z.object({
      id: text, kind: z.enum(['true-up', 'count']), location: text, material: text, hu: nullableText, difference: amount,
      consumedSince: amount, uom: text, orders: z.array(z.object({ order: text, operation: text })), operators: z.array(text), createdAt: text,
    }),
  ),
});

export const getLocationStockResultSchema = z.object({
  rows: z.array(z.object({ material: text, hu: nullableText, batch: nullableText, quantity: amount, uom: text, mounted: z.boolean() })),
});

export const getVarianceResultSchema = z.object({
  rows: z.array(
    z.object({
      order: text, product: text, material: text, location: text, uom: text, standard: amount, actual: amount, backflushed: amount,
      overridden: amount, lineScrap: amount, attributed: amount, variance: amount,
    }),
  ),
});

const genealogyLink = z.object({ hu: nullableText, material: text, batch: nullableText, via: z.enum(['consumed', 'split']), of: text });

export const getGenealogyResultSchema = z.object({ inputs: z.array(genealogyLink), outputs: z.array(genealogyLink) });

export const getHuLabelResultSchema = z.object({ hu: text, elementString: text, text: z.array(text), svg: text });

export const sessionUserSchema = z.object({
  id: text,
  name: text,
  roles: z.array(z.enum(['operator', 'materialHandler', 'supervisor'])),
  language: text,
});

export const loginResultSchema = z.object({ token: text, user: sessionUserSchema, expiresAfterIdleMs: z.number().int() });

export const emptyResultSchema = z.object({});

export const syncStatusResultSchema = z.object({
  online: z.boolean(),
  pending: z.number().int(),
  lastPushAt: nullableText,
  lastPullAt: nullableText,
  lastError: text.optional(),
});

export const syncNowResultSchema = z.object({ pushed: z.number().int(), pulled: z.number().int() });

const operationView = z.object({
  operation: text,
  workCenter: text,
  description: text,
  plannedGood: amount,
  confirmedGood: amount,
  confirmedScrap: amount,
  final: z.boolean(),
});

export const listOrdersResultSchema = z.object({
  orders: z.array(
    z.object({ id: text, product: text, productName: text, quantity: amount, uom: text, batch: nullableText, status: text, operations: z.array(operationView) }),
  ),
});

/** What a scan names, looked up in this terminal's data; `found: false` says the label names nothing known here. */
export const scanEntitySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hu'), hu: huView.extend({ expiry: nullableText, mounted: z.boolean() }) }),
  z.object({ type: z.literal('location'), location: z.object({ id: text, kind: z.enum(['storage', 'machine']), workCenter: nullableText }) }),
  z.object({ type: z.literal('order'), order: listOrdersResultSchema.shape.orders.element }),
  z.object({ type: z.literal('material'), material: z.object({ id: text, description: text, baseUom: text }) }),
  z.object({ type: z.literal('badge'), user: z.object({ id: text, name: text }) }),
]);

export const scanResultSchema = z.object({
  kind: text,
  decoded: z.object({ ok: z.boolean(), scheme: text, kind: text }),
  entity: scanEntitySchema.optional(),
  /** Why nothing was found, in words for the floor; absent when `entity` is there or the scan is not valid. */
  notFound: text.optional(),
});

export type LoginResult = z.output<typeof loginResultSchema>;
export type ScanResult = z.output<typeof scanResultSchema>;
export type ScanEntity = z.output<typeof scanEntitySchema>;
export type ListOrdersResult = z.output<typeof listOrdersResultSchema>;
export type SessionUser = z.output<typeof sessionUserSchema>;
