// The demo plant: round paperboard lids made of a printed insert (pallets), rim base and rim
// label (rolls) and hot-melt adhesive (bulk), the example of seeds/003. PINs come from the
// caller because PINs are never committed.
import type { MasterDataBomItem, MasterDataDocument } from '../api/master-data.js';
import { gs1CheckDigit, makeSscc } from '../domain/sscc.js';

export const DEMO_USER_IDS = ['u17', 'u18', 'u19', 'u21', 'u30'] as const;
export type DemoUserId = (typeof DEMO_USER_IDS)[number];

const PREFIX = '4012345';

export interface LidPlantOptions {
  /** The clear PIN of each demo user, by user id. */
  pins: Record<string, string>;
}

/** A GTIN-14 of our company prefix with a correct check digit. */
function gtin(itemReference: string): string {
  const body = `0${PREFIX}${itemReference}`;
  return body + String(gs1CheckDigit(body));
}

/** Warehouse-labelled HUs use extension digit 3, outside every terminal's range. */
const hu = (serial: number): string => makeSscc(PREFIX, 3_000_000_000 + serial);

const item = (
  component: string, quantity: number, operation: string, more: Partial<Omit<MasterDataBomItem, 'component' | 'quantity' | 'operation'>> = {},
): MasterDataBomItem => ({ component, quantity, operation, componentScrapPct: 0, backflush: null, fixed: false, issueLocation: null, ...more });

function lid(size: '090' | '120', line: 'LID1' | 'LID2', rimMetres: number, labelMetres: number, adhesiveKg: number, adhesiveFrom: string | null) {
  const product = `LID-${size}`;
  return {
    material: {
      id: product, description: `Round lid ${Number(size)} mm`, baseUom: 'PC', backflush: 'workCenterDecides' as const, rounding: 'up' as const,
      insufficientStock: null, batchManaged: true, gtin: gtin(size.padStart(5, '0')), alternativeUoms: [],
    },
    bom: {
      material: product,
      baseQuantity: 1000,
      items: [
        item(`INS-${size}`, 1000, '0020'),
        item('RIM-BASE-40', rimMetres, '0010', { componentScrapPct: 2 }),
        item('RIM-LABEL-40', labelMetres, '0010', { componentScrapPct: 1.5 }),
        item('ADH-HM', adhesiveKg, '0020', { issueLocation: adhesiveFrom }),
      ],
    },
    routing: {
      material: product,
      operations: [
        { operation: '0010', workCenter: line, description: 'Form rim', backflush: true },
        { operation: '0020', workCenter: line, description: 'Insert and glue', backflush: true },
      ],
    },
  };
}

export function buildLidPlant(options: LidPlantOptions): MasterDataDocument {
  const pin = (id: DemoUserId): string => {
    const value = options.pins[id];
    if (value === undefined) throw new Error(`no PIN given for demo user ${id}`);
    return value;
  };
  // LID2 has no tank: its adhesive sits as bulk stock at the line itself.
  const lid090 = lid('090', 'LID1', 290, 285, 1.8, 'TANK-1');
  const lid120 = lid('120', 'LID2', 385, 380, 2.4, null);
  const component = (id: string, description: string, baseUom: string, alternativeUoms: { uom: string; baseUomPerUnit: number }[], batchManaged: boolean) => ({
    id, description, baseUom, backflush: 'workCenterDecides' as const, rounding: 'halfUp' as const, insufficientStock: null,
    batchManaged, gtin: null, alternativeUoms,
  });
  const pallet = (serial: number, material: string, batch: string, quantity: number, location: string) =>
    ({ id: hu(serial), material, batch, quantity, location, expiry: null });
  const roll = (serial: number, material: string, batch: string, quantity: number, location: string, expiry: string | null = null) =>
    ({ id: hu(serial), material, batch, quantity, location, expiry });
  const user = (id: DemoUserId, name: string, badge: string, roles: ('operator' | 'materialHandler' | 'supervisor')[], language: string) =>
    ({ id, name, badge, pin: pin(id), roles, language });

  return {
    format: 'shopfloor-master-data/1',
    plant: {
      id: 'P100', name: 'Lid plant', gs1CompanyPrefix: PREFIX, insufficientStock: 'backlog',
      overConfirmationTolerancePct: 10, operatorMayOverrideLines: false, anomalyThresholdPct: 2,
    },
    uoms: [{ id: 'PC', decimals: 0 }, { id: 'M', decimals: 2 }, { id: 'KG', decimals: 3 }],
    materials: [
      lid090.material,
      lid120.material,
      component('INS-090', 'Printed insert 90 mm', 'PC', [], true),
      component('INS-120', 'Printed insert 120 mm', 'PC', [], true),
      component('RIM-BASE-40', 'Rim base board 40 mm, roll', 'M', [{ uom: 'KG', baseUomPerUnit: 31.25 }], true),
      component('RIM-LABEL-40', 'Rim label 40 mm, roll', 'M', [{ uom: 'KG', baseUomPerUnit: 52.5 }], true),
      component('ADH-HM', 'Hot-melt adhesive', 'KG', [], false),
    ],
    locations: [
      { id: 'WH-A-01', kind: 'storage', workCenter: null },
      { id: 'WH-A-02', kind: 'storage', workCenter: null },
      { id: 'WH-B-01', kind: 'storage', workCenter: null },
      { id: 'ML-LID1', kind: 'machine', workCenter: 'LID1' },
      { id: 'TANK-1', kind: 'machine', workCenter: 'LID1' },
      { id: 'ML-LID2', kind: 'machine', workCenter: 'LID2' },
    ],
    workCenters: [
      { id: 'LID1', description: 'Lid line 1', backflush: true, machineLocation: 'ML-LID1', outputLocation: 'ML-LID1' },
      { id: 'LID2', description: 'Lid line 2', backflush: true, machineLocation: 'ML-LID2', outputLocation: 'ML-LID2' },
    ],
    boms: [lid090.bom, lid120.bom],
    routings: [lid090.routing, lid120.routing],
    productionOrders: [
      { id: '1000123', material: 'LID-090', quantity: 50000, batch: 'L2611A', status: 'released', operations: null, components: null },
      { id: '1000124', material: 'LID-090', quantity: 20000, batch: 'L2611B', status: 'released', operations: null, components: null },
      { id: '1000125', material: 'LID-120', quantity: 30000, batch: 'L2611C', status: 'released', operations: null, components: null },
    ],
    // Oldest arrival first within each material: the file's order is the arrival order.
    handlingUnits: [
      pallet(1, 'INS-090', 'I2609A', 20000, 'ML-LID1'),
      pallet(2, 'INS-090', 'I2610A', 60000, 'WH-A-01'),
      pallet(3, 'INS-090', 'I2610B', 120000, 'WH-A-01'),
      pallet(4, 'INS-090', 'I2611A', 200000, 'WH-A-01'),
      pallet(5, 'INS-120', 'I2610C', 25000, 'ML-LID2'),
      pallet(6, 'INS-120', 'I2610D', 80000, 'WH-A-02'),
      pallet(7, 'INS-120', 'I2611B', 150000, 'WH-A-02'),
      roll(8, 'RIM-BASE-40', 'R261101', 1500, 'ML-LID1'),
      roll(9, 'RIM-BASE-40', 'R261102', 1200.75, 'ML-LID2'),
      roll(10, 'RIM-BASE-40', 'R261103', 1500, 'WH-B-01'),
      roll(11, 'RIM-BASE-40', 'R261104', 1480.5, 'WH-B-01'),
      roll(12, 'RIM-BASE-40', 'R261105', 1500, 'WH-B-01'),
      roll(13, 'RIM-LABEL-40', 'S261101', 2000, 'ML-LID1', '2027-03-31'),
      roll(14, 'RIM-LABEL-40', 'S261102', 1850.25, 'ML-LID2', '2027-03-31'),
      roll(15, 'RIM-LABEL-40', 'S261103', 2000, 'WH-B-01', '2027-06-30'),
      roll(16, 'RIM-LABEL-40', 'S261104', 2000, 'WH-B-01', '2027-02-28'),
      { id: hu(17), material: 'ADH-HM', batch: null, quantity: 500, location: 'WH-A-02', expiry: '2027-01-31' },
      { id: hu(18), material: 'ADH-HM', batch: null, quantity: 487.25, location: 'WH-A-02', expiry: '2027-04-30' },
    ],
    stock: [
      { location: 'TANK-1', material: 'ADH-HM', batch: null, quantity: 180 },
      { location: 'ML-LID2', material: 'ADH-HM', batch: null, quantity: 42.5 },
    ],
    replenishment: [
      { location: 'ML-LID1', material: 'INS-090', min: 20000, max: 120000 },
      { location: 'ML-LID1', material: 'RIM-BASE-40', min: 500, max: 3000 },
      { location: 'ML-LID1', material: 'RIM-LABEL-40', min: 500, max: 4000 },
      { location: 'TANK-1', material: 'ADH-HM', min: 50, max: 200 },
      { location: 'ML-LID2', material: 'INS-120', min: 20000, max: 100000 },
      { location: 'ML-LID2', material: 'RIM-BASE-40', min: 500, max: 3000 },
      { location: 'ML-LID2', material: 'RIM-LABEL-40', min: 500, max: 4000 },
      { location: 'ML-LID2', material: 'ADH-HM', min: 10, max: 60 },
    ],
    scrapReasons: [
      { code: 'SETUP', text: 'Set-up scrap' },
      { code: 'MISPRINT', text: 'Misprinted insert' },
      { code: 'TEAR', text: 'Torn rim' },
      { code: 'GLUE', text: 'Glue fault' },
      { code: 'JAM', text: 'Machine jam' },
    ],
    users: [
      user('u17', 'Anna Keller', 'B-0017', ['operator'], 'de'),
      user('u18', 'Mehmet Yilmaz', 'B-0018', ['operator'], 'en'),
      user('u19', 'Lena Brandt', 'B-0019', ['operator'], 'de'),
      user('u21', 'Jonas Weber', 'B-0021', ['materialHandler'], 'de'),
      user('u30', 'Sofia Rossi', 'B-0030', ['supervisor', 'operator'], 'en'),
    ],
    terminals: [
      { id: 'T-LID1', locations: ['ML-LID1', 'TANK-1'], ssccRange: { first: 1_000_000_000, last: 1_999_999_999 } },
      { id: 'T-LID2', locations: ['ML-LID2'], ssccRange: { first: 2_000_000_000, last: 2_999_999_999 } },
    ],
    labels: {
      location: '^LOC:(?<id>.+)$',
      order: '^ORD:(?<order>[^/]+)/(?<operation>\\d{4})$',
      badge: '^BADGE:(?<badge>.+)$',
      hu: null,
    },
  };
}
