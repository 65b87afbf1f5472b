// The terminal commands' inputs (contracts.md §3), declared once; their types derive from here.
import { z } from 'zod';

const id = z.string().trim().min(1).max(200);
const quantity = z.number();

export const lineOverrideSchema = z.strictObject({
  component: id,
  line: z.number().int().positive().optional(),
  quantity: quantity.optional(),
  lineScrap: quantity.optional(),
});

export const confirmationInputSchema = z.strictObject({
  order: id,
  operation: z.string().regex(/^\d{4}$/, 'an operation is four digits, e.g. 0010'),
  good: quantity,
  scrap: quantity,
  scrapReason: id.optional(),
  final: z.boolean().optional(),
  overrides: z.array(lineOverrideSchema).max(200).optional(),
  /** false: a supervisor's correction posting without backflush. */
  backflush: z.boolean().optional(),
  /** A supervisor confirms beyond the tolerance or the operation before. */
  allowOverLimits: z.boolean().optional(),
  scan: z.string().max(4096).optional(),
});

export const postConfirmationInputSchema = confirmationInputSchema.extend({ requestId: z.uuid() });

export const reversePostingInputSchema = z.strictObject({ postingId: id, reason: z.string().trim().min(1).max(500) });

/** A move sent again after a lost answer must not split the HU twice: the same requestId moves once. */
const moveRequestId = z.uuid().optional();

export const transferHuInputSchema = z.strictObject({
  hu: id, to: id, quantity: quantity.optional(), scan: z.string().max(4096).optional(), requestId: moveRequestId,
});

export const returnHuInputSchema = z.strictObject({ hu: id, to: id, scan: z.string().max(4096).optional(), requestId: moveRequestId });

export const trueUpHuInputSchema = z.strictObject({
  hu: id,
  /** What is left: 0 = empty, or a weighed or measured rest. */
  remaining: quantity,
  /** The unit `remaining` is in: the base UoM (default) or one of the material's alternative UoMs. */
  uom: id.optional(),
});

export const countLocationInputSchema = z.strictObject({
  location: id,
  counts: z
    .array(z.strictObject({ material: id, hu: id.optional(), batch: id.optional(), quantity }))
    .min(1)
    .max(1000),
});

export const listAnomaliesInputSchema = z.strictObject({ location: id.optional() });

export const getVarianceInputSchema = z.strictObject({
  order: id.optional(),
  location: id.optional(),
  material: id.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

export const getGenealogyInputSchema = z
  .strictObject({ hu: id.optional(), batch: id.optional(), material: id.optional() })
  .refine((g) => (g.hu === undefined) !== (g.batch === undefined), 'give either hu or batch');

export const mountHuInputSchema = z.strictObject({ location: id, hu: id, scan: z.string().max(4096).optional() });

export const resolveBacklogInputSchema = z.strictObject({
  id,
  action: z.enum(['retry', 'negative', 'writeOff']),
  /** With `retry`: take from this HU only. */
  hu: id.optional(),
});

/** A row of `getLocationStock` (contracts §3), the same at the terminal and at the central. */
export interface LocationStockRow {
  material: string;
  hu: string | null;
  batch: string | null;
  quantity: number;
  uom: string;
  mounted: boolean;
}

export const getLocationStockInputSchema = z.strictObject({ location: id });

export const listBacklogInputSchema = z.strictObject({ location: id.optional() });

export type ConfirmationInput = z.infer<typeof confirmationInputSchema>;
export type PostConfirmationInput = z.infer<typeof postConfirmationInputSchema>;
export type ReversePostingInput = z.infer<typeof reversePostingInputSchema>;
export type TransferHuInput = z.infer<typeof transferHuInputSchema>;
export type ResolveBacklogInput = z.infer<typeof resolveBacklogInputSchema>;
export type MountHuInput = z.infer<typeof mountHuInputSchema>;
