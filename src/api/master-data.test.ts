import { describe, expect, it } from 'vitest';
import { buildLidPlant, DEMO_USER_IDS } from '../demo/lid-plant.js';
import { isValidGs1CheckDigit, makeSscc } from '../domain/sscc.js';
import { masterDataSchema, terminalSsccRange, type MasterDataDocument } from './master-data.js';
import { validateMasterData } from './validate-master-data.js';

const PINS = Object.fromEntries(DEMO_USER_IDS.map((id, i) => [id, String(4711 + i)]));
const demo = (): MasterDataDocument => structuredClone(buildLidPlant({ pins: PINS }));
const pathsOf = (result: ReturnType<typeof validateMasterData>): string[] => (result.ok ? [] : result.errors.map((e) => e.path).sort());
const messageAt = (result: ReturnType<typeof validateMasterData>, path: string): string | undefined =>
  result.ok ? undefined : result.errors.find((e) => e.path === path)?.message;

// The example of contracts.md §1, verbatim: the schema must accept exactly this format.
const CONTRACT_EXAMPLE = {
  format: 'shopfloor-master-data/1',
  plant: { id: 'P100', name: 'Lid plant', gs1CompanyPrefix: '4012345', insufficientStock: 'backlog', overConfirmationTolerancePct: 10, operatorMayOverrideLines: false },
  uoms: [{ id: 'PC', decimals: 0 }, { id: 'M', decimals: 2 }, { id: 'KG', decimals: 3 }],
  materials: [{
    id: 'RIM-BASE-40', description: 'Rim base board 40 mm, roll', baseUom: 'M', backflush: 'workCenterDecides', rounding: 'halfUp',
    insufficientStock: null, batchManaged: true, gtin: '04012345000107', alternativeUoms: [{ uom: 'KG', baseUomPerUnit: 31.25 }],
  }],
  locations: [{ id: 'WH-A-01', kind: 'storage' }, { id: 'ML-LID1', kind: 'machine', workCenter: 'LID1' }],
  workCenters: [{ id: 'LID1', description: 'Lid line 1', backflush: true, machineLocation: 'ML-LID1', outputLocation: 'ML-LID1' }],
  boms: [{ material: 'LID-090', baseQuantity: 1000, items: [
    { component: 'RIM-BASE-40', quantity: 290, operation: '0010', componentScrapPct: 2, backflush: null, fixed: false, issueLocation: null },
  ] }],
  routings: [{ material: 'LID-090', operations: [{ operation: '0010', workCenter: 'LID1', description: 'Form rim', backflush: true }] }],
  productionOrders: [{ id: '1000123', material: 'LID-090', quantity: 50000, batch: 'L2611A', status: 'released', operations: null, components: null }],
  handlingUnits: [{ id: '340123450000000017', material: 'RIM-BASE-40', batch: 'R261103', quantity: 1500, location: 'WH-A-01', expiry: null }],
  stock: [{ location: 'TANK-1', material: 'ADH-HM', batch: null, quantity: 180 }],
  replenishment: [{ location: 'ML-LID1', material: 'RIM-BASE-40', min: 500, max: 3000 }],
  scrapReasons: [{ code: 'SETUP', text: 'Set-up scrap' }],
  users: [{ id: 'u17', name: 'A. Operator', badge: 'B-0017', pin: '4711', roles: ['operator'], language: 'de' }],
  terminals: [{ id: 'T-LID1', locations: ['ML-LID1', 'TANK-1'] }],
  labels: { location: '^LOC:(?<id>.+)$', order: '^ORD:(?<order>[^/]+)/(?<operation>\\d{4})$', badge: '^BADGE:(?<badge>.+)$', hu: null },
};

describe('validateMasterData', () => {
  it('accepts the demo lid plant, also after a trip through JSON', () => {
    const result = validateMasterData(JSON.parse(JSON.stringify(demo())));
    expect(result).toEqual({ ok: true, value: demo() });
  });

  it('the demo HUs carry SSCCs with valid check digits, the first one being the contract example', () => {
    const { handlingUnits } = demo();
    expect(handlingUnits[0]?.id).toBe('340123450000000017');
    expect(handlingUnits.every((h) => h.id.length === 18 && isValidGs1CheckDigit(h.id))).toBe(true);
  });

  it('the demo refuses to run without a PIN for every user', () => {
    expect(() => buildLidPlant({ pins: { u17: '4711' } })).toThrow(/no PIN given for demo user u18/);
  });

  it('the schema takes the contract example as written; its references to materials it leaves out are reported', () => {
    expect(masterDataSchema.safeParse(CONTRACT_EXAMPLE).success).toBe(true);
    const result = validateMasterData(CONTRACT_EXAMPLE);
    expect(pathsOf(result)).toEqual([
      '$.boms[0].material', '$.productionOrders[0].material', '$.routings[0].material',
      '$.stock[0].location', '$.stock[0].material', '$.terminals[0].locations[1]',
    ]);
    expect(messageAt(result, '$.stock[0].location')).toBe('unknown location "TANK-1"');
  });

  it('reports every schema error at once, each with its JSON path', () => {
    const doc = demo() as unknown as Record<string, unknown> & MasterDataDocument;
    doc.format = 'shopfloor-master-data/2' as MasterDataDocument['format'];
    doc.plant.gs1CompanyPrefix = '12';
    (doc.materials[2] as { rounding: string }).rounding = 'down';
    delete (doc.workCenters[0] as { machineLocation?: string }).machineLocation;
    (doc.handlingUnits[1] as Record<string, unknown>).colour = 'red';
    doc.users[0] = { ...doc.users[0]!, pinHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==' };
    doc.labels.order = '^ORD:(';
    const result = validateMasterData(doc);
    expect(pathsOf(result)).toEqual([
      '$.format', '$.handlingUnits[1].colour', '$.labels.order', '$.materials[2].rounding',
      '$.plant.gs1CompanyPrefix', '$.users[0]', '$.workCenters[0].machineLocation',
    ]);
    expect(messageAt(result, '$.workCenters[0].machineLocation')).toBe('required');
    expect(messageAt(result, '$.handlingUnits[1].colour')).toBe('unknown field "colour"');
    expect(messageAt(result, '$.users[0]')).toBe('give exactly one of pin and pinHash');
    expect(messageAt(result, '$.labels.order')).toBe('not a valid regular expression');
  });

  it('reports every reference and quantity error at once, each with its JSON path', () => {
    const doc = demo();
    doc.materials[3]!.baseUom = 'FT';
    doc.users[1]!.badge = 'B-0017';
    doc.handlingUnits[8]!.quantity = 1200.755;
    doc.handlingUnits[0]!.batch = null;
    doc.boms[0]!.items[1]!.operation = '0030';
    doc.replenishment[0]!.min = 200000;
    doc.terminals[1]!.ssccRange = { first: 1_500_000_000, last: 2_999_999_999 };
    doc.terminals[0]!.locations.push('ML-LID9');
    doc.productionOrders[2]!.quantity = 10.5;
    doc.productionOrders.push({ id: '1000126', material: 'INS-090', quantity: 5, batch: null, status: 'released', operations: null, components: null });
    doc.stock[0]!.location = 'TANK-9';
    doc.handlingUnits.push({ id: makeSscc('4012345', 1_000_000_005), material: 'ADH-HM', batch: null, quantity: 20, location: 'WH-A-02', expiry: null });
    doc.productionOrders.push({
      id: '1000127', material: 'LID-120', quantity: 100, batch: null, status: 'released', components: null,
      operations: [{ operation: '0010', workCenter: 'LID2', description: 'Form rim', backflush: true }],
    });
    const result = validateMasterData(doc);
    expect(pathsOf(result)).toEqual([
      '$.boms[0].items[1].operation',
      '$.handlingUnits[0].batch',
      '$.handlingUnits[18].id',
      '$.handlingUnits[8].quantity',
      '$.materials[3].baseUom',
      '$.productionOrders[2].quantity',
      '$.productionOrders[3].operations',
      '$.productionOrders[4].components',
      '$.replenishment[0].max',
      '$.stock[0].location',
      '$.terminals[0].locations[2]',
      '$.terminals[1].ssccRange',
      '$.users[1].badge',
    ]);
    expect(messageAt(result, '$.materials[3].baseUom')).toBe('unknown UoM "FT"');
    expect(messageAt(result, '$.handlingUnits[8].quantity')).toBe('1200.755 has more decimals than M allows (2)');
    expect(messageAt(result, '$.users[1].badge')).toBe('duplicate badge (first at $.users[0].badge)');
    expect(messageAt(result, '$.boms[0].items[1].operation')).toBe('the routing of LID-090 has no operation 0030');
    expect(messageAt(result, '$.terminals[1].ssccRange')).toBe('SSCC range overlaps the one of terminal T-LID1');
    expect(messageAt(result, '$.handlingUnits[18].id')).toBe('SSCC serial 1000000005 lies in the range of terminal T-LID1');
    expect(messageAt(result, '$.productionOrders[3].operations')).toBe("INS-090 has no routing: give the order's operations");
  });

  it('fills the documented defaults', () => {
    const result = validateMasterData({
      format: 'shopfloor-master-data/1',
      plant: { id: 'P1', name: 'Plant', gs1CompanyPrefix: '4012345' },
      uoms: [{ id: 'PC', decimals: 0 }],
      materials: [{ id: 'A', description: 'Product', baseUom: 'PC' }, { id: 'B', description: 'Part', baseUom: 'PC' }],
      locations: [{ id: 'ML', kind: 'machine', workCenter: 'W' }],
      workCenters: [{ id: 'W', description: 'Line', machineLocation: 'ML' }],
      boms: [{ material: 'A', baseQuantity: 1, items: [{ component: 'B', quantity: 2 }] }],
      routings: [{ material: 'A', operations: [{ operation: '0010', workCenter: 'W', description: 'Make' }] }],
      productionOrders: [{ id: '1', material: 'A', quantity: 5 }],
      handlingUnits: [{ id: 'H1', material: 'B', quantity: 3, location: 'ML' }],
      users: [{ id: 'u1', name: 'U', badge: 'B1', pin: '1234', roles: ['operator'] }],
      terminals: [{ id: 'T1', locations: ['ML'] }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const v = result.value;
    expect(v.plant).toEqual({ id: 'P1', name: 'Plant', gs1CompanyPrefix: '4012345', insufficientStock: 'backlog', overConfirmationTolerancePct: 10, operatorMayOverrideLines: false, anomalyThresholdPct: 2 });
    expect(v.materials[0]).toEqual({
      id: 'A', description: 'Product', baseUom: 'PC', backflush: 'workCenterDecides', rounding: 'halfUp',
      insufficientStock: null, batchManaged: false, gtin: null, alternativeUoms: [],
    });
    expect(v.locations[0]?.workCenter).toBe('W');
    expect(v.workCenters[0]).toEqual({ id: 'W', description: 'Line', backflush: true, machineLocation: 'ML', outputLocation: 'ML' });
    expect(v.boms[0]?.items[0]).toEqual({ component: 'B', quantity: 2, operation: null, componentScrapPct: 0, backflush: null, fixed: false, issueLocation: null });
    expect(v.routings[0]?.operations[0]?.backflush).toBe(true);
    expect(v.productionOrders[0]).toEqual({ id: '1', material: 'A', quantity: 5, batch: null, status: 'released', operations: null, components: null });
    expect(v.handlingUnits[0]).toMatchObject({ batch: null, expiry: null });
    expect(v.users[0]?.language).toBe('en');
    expect(v.labels).toEqual({ location: null, order: null, badge: null, hu: null });
    expect([v.stock, v.replenishment, v.scrapReasons]).toEqual([[], [], []]);
  });

  it('cuts the serial capacity into 1000 blocks for terminals without an ssccRange', () => {
    const doc = demo();
    delete doc.terminals[1]!.ssccRange;
    // Prefix 4012345 leaves 10 digits: 10^10 serials, blocks of 10^7.
    expect(terminalSsccRange(doc, 1)).toEqual({ first: 10_000_000, last: 19_999_999 });
    expect(terminalSsccRange(doc, 0)).toEqual({ first: 1_000_000_000, last: 1_999_999_999 });
  });
});
