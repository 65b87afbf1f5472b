// The domain's view of master data and stock. Quantities named `...Minor` are integers in the
// material's minor units (see quantity.ts); BOM ratios and percentages stay as given.

export type InsufficientStockPolicy = 'backlog' | 'negative' | 'block';
export type MaterialBackflush = 'always' | 'never' | 'workCenterDecides';
export type Role = 'operator' | 'materialHandler' | 'supervisor';
export type HuState = 'available' | 'mounted' | 'empty' | 'cancelled';

export interface Plant {
  id: string;
  gs1CompanyPrefix: string;
  insufficientStock: InsufficientStockPolicy;
  overConfirmationTolerancePct: number;
  operatorMayOverrideLines: boolean;
  anomalyThresholdPct: number;
}

export interface Material {
  id: string;
  baseUom: string;
  decimals: number;
  backflush: MaterialBackflush;
  rounding: 'halfUp' | 'up';
  insufficientStock: InsufficientStockPolicy | null;
}

export interface WorkCenter {
  id: string;
  backflush: boolean;
  machineLocation: string;
  outputLocation: string;
}

export interface OrderOperation {
  operation: string;
  workCenter: string;
  backflush: boolean;
}

export interface OrderComponent {
  line: number;
  component: string;
  quantity: number;
  operation: string | null;
  componentScrapPct: number;
  backflush: boolean | null;
  fixed: boolean;
  issueLocation: string | null;
}

export interface ProductionOrder {
  id: string;
  material: string;
  quantityMinor: number;
  baseQuantity: number;
  batch: string | null;
  status: string;
  operations: OrderOperation[];
  components: OrderComponent[];
}

/** Confirmed so far per operation of an order, reversals already taken out. */
export interface OperationProgress {
  operation: string;
  goodMinor: number;
  scrapMinor: number;
  final: boolean;
}

/** One place stock can be taken from: an HU, or bulk stock (hu null) at a location. */
export interface StockSource {
  location: string;
  material: string;
  hu: string | null;
  batch: string | null;
  quantityMinor: number;
  mounted: boolean;
  arrivedAt: string | null;
  expiry: string | null;
}

export interface Actor {
  userId: string;
  roles: readonly Role[];
}
