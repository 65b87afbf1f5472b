// The master data file `shopfloor-master-data/1` (contracts.md §1): one schema, and the types
// derived from it. Checks that need the whole document live in check-master-data-references.ts.
import { z } from 'zod';
import { ssccCapacity } from '../domain/sscc.js';

export const MASTER_DATA_FORMAT = 'shopfloor-master-data/1';

const id = z.string().min(1, 'must not be empty');
const insufficientStock = z.enum(['backlog', 'negative', 'block']);
const operationNumber = z.string().regex(/^\d{4}$/, 'an operation is four digits, e.g. "0010"');
const nonNegative = z.number().nonnegative();

const pattern = z
  .string()
  .nullable()
  .default(null)
  .refine((source) => source === null || compiles(source), 'not a valid regular expression');

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const plantSchema = z.strictObject({
  id,
  name: z.string().min(1),
  gs1CompanyPrefix: z.string().regex(/^\d{4,12}$/, 'a GS1 company prefix is 4 to 12 digits'),
  insufficientStock: insufficientStock.default('backlog'),
  overConfirmationTolerancePct: nonNegative.default(10),
  operatorMayOverrideLines: z.boolean().default(false),
  /** Not in the contract: a true-up or count difference above this % of what was consumed since is an anomaly. */
  anomalyThresholdPct: nonNegative.default(2),
});

export const uomSchema = z.strictObject({
  id,
  decimals: z.int().min(0).max(6),
});

export const materialSchema = z.strictObject({
  id,
  description: z.string(),
  baseUom: id,
  backflush: z.enum(['always', 'never', 'workCenterDecides']).default('workCenterDecides'),
  rounding: z.enum(['halfUp', 'up']).default('halfUp'),
  insufficientStock: insufficientStock.nullable().default(null),
  batchManaged: z.boolean().default(false),
  gtin: z.string().regex(/^\d{8,14}$/, 'a GTIN is 8 to 14 digits').nullable().default(null),
  alternativeUoms: z.array(z.strictObject({ uom: id, baseUomPerUnit: z.number().positive() })).default([]),
});

export const locationSchema = z.strictObject({
  id,
  kind: z.enum(['storage', 'machine']),
  workCenter: id.nullable().default(null),
});

export const workCenterSchema = z
  .strictObject({
    id,
    description: z.string(),
    backflush: z.boolean().default(true),
    machineLocation: id,
    outputLocation: id.optional(),
  })
  .transform((wc) => ({ ...wc, outputLocation: wc.outputLocation ?? wc.machineLocation }));

export const bomItemSchema = z.strictObject({
  component: id,
  quantity: z.number().positive(),
  operation: operationNumber.nullable().default(null),
  componentScrapPct: nonNegative.default(0),
  backflush: z.boolean().nullable().default(null),
  fixed: z.boolean().default(false),
  issueLocation: id.nullable().default(null),
});

export const bomSchema = z.strictObject({
  material: id,
  baseQuantity: z.number().positive(),
  items: z.array(bomItemSchema),
});

export const routingOperationSchema = z.strictObject({
  operation: operationNumber,
  workCenter: id,
  description: z.string(),
  backflush: z.boolean().default(true),
});

export const routingSchema = z.strictObject({
  material: id,
  operations: z.array(routingOperationSchema).min(1),
});

export const productionOrderSchema = z.strictObject({
  id,
  material: id,
  quantity: z.number().positive(),
  /** Not in the contract: the quantity the component quantities refer to (default: the BOM's, else 1). */
  baseQuantity: z.number().positive().optional(),
  batch: z.string().min(1).nullable().default(null),
  status: z.enum(['released', 'completed', 'closed']).default('released'),
  operations: z.array(routingOperationSchema).min(1).nullable().default(null),
  components: z.array(bomItemSchema).nullable().default(null),
});

export const handlingUnitSchema = z.strictObject({
  id,
  material: id,
  batch: z.string().min(1).nullable().default(null),
  quantity: z.number().positive(),
  location: id,
  expiry: z.iso.date().nullable().default(null),
});

export const stockSchema = z.strictObject({
  location: id,
  material: id,
  batch: z.string().min(1).nullable().default(null),
  quantity: nonNegative,
});

export const replenishmentSchema = z.strictObject({
  location: id,
  material: id,
  min: nonNegative,
  max: nonNegative,
});

export const scrapReasonSchema = z.strictObject({ code: id, text: z.string().min(1) });

export const userSchema = z
  .strictObject({
    id,
    name: z.string().min(1),
    badge: id,
    pin: z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits').optional(),
    pinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'not a pin hash made by shopfloor').optional(),
    roles: z.array(z.enum(['operator', 'materialHandler', 'supervisor'])).min(1),
    language: z.string().min(2).default('en'),
  })
  .superRefine((user, ctx) => {
    if ((user.pin === undefined) === (user.pinHash === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of pin and pinHash' });
    }
  });

export const ssccRangeSchema = z.strictObject({ first: z.int().min(0), last: z.int().min(0) });

export const terminalSchema = z.strictObject({
  id,
  locations: z.array(id),
  /** Not in the contract: the SSCC serials this terminal may use for the HUs it makes. */
  ssccRange: ssccRangeSchema.optional(),
});

export const labelsSchema = z.strictObject({
  location: pattern,
  order: pattern,
  badge: pattern,
  hu: pattern,
});

export const masterDataSchema = z.strictObject({
  format: z.literal(MASTER_DATA_FORMAT),
  plant: plantSchema,
  uoms: z.array(uomSchema),
  materials: z.array(materialSchema),
  locations: z.array(locationSchema),
  workCenters: z.array(workCenterSchema),
  boms: z.array(bomSchema).default([]),
  routings: z.array(routingSchema).default([]),
  productionOrders: z.array(productionOrderSchema).default([]),
  handlingUnits: z.array(handlingUnitSchema).default([]),
  stock: z.array(stockSchema).default([]),
  replenishment: z.array(replenishmentSchema).default([]),
  scrapReasons: z.array(scrapReasonSchema).default([]),
  users: z.array(userSchema),
  terminals: z.array(terminalSchema),
  labels: labelsSchema.prefault({}),
});

/** A validated document with every default filled in. */
export type MasterDataDocument = z.infer<typeof masterDataSchema>;
/** A document as written in the file (defaults may be left out). */
export type MasterDataInput = z.input<typeof masterDataSchema>;
export type MasterDataMaterial = MasterDataDocument['materials'][number];
export type MasterDataBomItem = z.infer<typeof bomItemSchema>;
export type MasterDataRoutingOperation = z.infer<typeof routingOperationSchema>;
export type MasterDataOrder = z.infer<typeof productionOrderSchema>;
export type MasterDataUser = z.infer<typeof userSchema>;
export type MasterDataTerminal = z.infer<typeof terminalSchema>;
export type MasterDataLabels = z.infer<typeof labelsSchema>;
export type SsccRange = z.infer<typeof ssccRangeSchema>;

/** How many terminals the default SSCC ranges are cut for. */
export const DEFAULT_SSCC_BLOCKS = 1000;

/**
 * The SSCC serials of the terminal at `index`: its ssccRange, else block `index` of the capacity
 * cut into DEFAULT_SSCC_BLOCKS. In practice the central assigns ranges; the default serves the
 * demo and small plants. Null when the default has no block for that index.
 */
export function terminalSsccRange(doc: MasterDataDocument, index: number): SsccRange | null {
  const given = doc.terminals[index]?.ssccRange;
  if (given) return given;
  const block = Math.floor(ssccCapacity(doc.plant.gs1CompanyPrefix) / DEFAULT_SSCC_BLOCKS);
  if (index < 0 || index >= DEFAULT_SSCC_BLOCKS || block < 1) return null;
  return { first: index * block, last: (index + 1) * block - 1 };
}

/** One problem in a master data file, at a JSON path such as `$.materials[3].baseUom`. */
export interface MasterDataError {
  path: string;
  message: string;
}
