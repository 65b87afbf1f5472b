// The checks a schema cannot make: ids unique, references resolved, quantities within their
// UoM's decimals, SSCC ranges apart. Runs on a document that already passed the schema.
import { toMinor } from '../domain/quantity.js';
import { ssccCapacity } from '../domain/sscc.js';
import { jsonPath } from './json-path.js';
import { DEFAULT_SSCC_BLOCKS, terminalSsccRange, type MasterDataDocument, type MasterDataError, type SsccRange } from './master-data.js';

type Segments = readonly PropertyKey[];

export function checkMasterDataReferences(doc: MasterDataDocument): MasterDataError[] {
  const errors: MasterDataError[] = [];
  const report = (segments: Segments, message: string): void => {
    errors.push({ path: jsonPath(segments), message });
  };

  /** The first item per key; each later one with the same key is reported as a duplicate. */
  function unique<T>(items: readonly T[], keyOf: (item: T) => string, at: (index: number) => Segments, what: string): Map<string, T> {
    const firstIndex = new Map<string, number>();
    const byKey = new Map<string, T>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      const first = firstIndex.get(key);
      if (first === undefined) {
        firstIndex.set(key, index);
        byKey.set(key, item);
      } else {
        report(at(index), `duplicate ${what} (first at ${jsonPath(at(first))})`);
      }
    });
    return byKey;
  }

  function known(map: ReadonlyMap<string, unknown>, key: string | null, at: Segments, what: string): void {
    if (key !== null && !map.has(key)) report(at, `unknown ${what} "${key}"`);
  }

  const uoms = unique(doc.uoms, (u) => u.id, (i) => ['uoms', i, 'id'], 'UoM id');
  const materials = unique(doc.materials, (m) => m.id, (i) => ['materials', i, 'id'], 'material id');
  const locations = unique(doc.locations, (l) => l.id, (i) => ['locations', i, 'id'], 'location id');
  const workCenters = unique(doc.workCenters, (w) => w.id, (i) => ['workCenters', i, 'id'], 'work center id');
  const routings = unique(doc.routings, (r) => r.material, (i) => ['routings', i, 'material'], 'routing for this material');
  unique(doc.boms, (b) => b.material, (i) => ['boms', i, 'material'], 'BOM for this material');
  unique(doc.productionOrders, (o) => o.id, (i) => ['productionOrders', i, 'id'], 'production order id');
  unique(doc.handlingUnits, (h) => h.id, (i) => ['handlingUnits', i, 'id'], 'HU id');
  unique(doc.stock, (s) => `${s.location}\u0000${s.material}\u0000${s.batch ?? ''}`, (i) => ['stock', i], 'stock row for this location, material and batch');
  unique(doc.replenishment, (r) => `${r.location}\u0000${r.material}`, (i) => ['replenishment', i], 'replenishment rule for this location and material');
  unique(doc.scrapReasons, (s) => s.code, (i) => ['scrapReasons', i, 'code'], 'scrap reason code');
  unique(doc.users, (u) => u.id, (i) => ['users', i, 'id'], 'user id');
  unique(doc.users, (u) => u.badge, (i) => ['users', i, 'badge'], 'badge');
  unique(doc.terminals, (t) => t.id, (i) => ['terminals', i, 'id'], 'terminal id');

  const routingOperations = (material: string): Set<string> | undefined => {
    const routing = routings.get(material);
    return routing && new Set(routing.operations.map((o) => o.operation));
  };

  /** Checks a quantity against the decimals of its material's base UoM (when both are known). */
  function quantity(material: string, value: number, at: Segments): void {
    const uomId = materials.get(material)?.baseUom;
    const uom = uomId === undefined ? undefined : uoms.get(uomId);
    if (uom && toMinor(value, uom.decimals) === null) {
      report(at, `${value} has more decimals than ${uom.id} allows (${uom.decimals})`);
    }
  }

  function batchRequired(material: string, batch: string | null, at: Segments): void {
    if (batch === null && materials.get(material)?.batchManaged === true) report(at, `material ${material} is batch-managed: give its batch`);
  }

  doc.materials.forEach((m, i) => {
    known(uoms, m.baseUom, ['materials', i, 'baseUom'], 'UoM');
    unique(m.alternativeUoms, (a) => a.uom, (j) => ['materials', i, 'alternativeUoms', j, 'uom'], 'alternative UoM');
    m.alternativeUoms.forEach((a, j) => {
      known(uoms, a.uom, ['materials', i, 'alternativeUoms', j, 'uom'], 'UoM');
      if (a.uom === m.baseUom) report(['materials', i, 'alternativeUoms', j, 'uom'], `${a.uom} is the base UoM of ${m.id}`);
    });
  });

  doc.locations.forEach((l, i) => known(workCenters, l.workCenter, ['locations', i, 'workCenter'], 'work center'));

  doc.workCenters.forEach((w, i) => {
    known(locations, w.machineLocation, ['workCenters', i, 'machineLocation'], 'location');
    if (locations.get(w.machineLocation)?.kind === 'storage') report(['workCenters', i, 'machineLocation'], `${w.machineLocation} is a storage location, not a machine location`);
    known(locations, w.outputLocation, ['workCenters', i, 'outputLocation'], 'location');
  });

  doc.routings.forEach((r, i) => {
    known(materials, r.material, ['routings', i, 'material'], 'material');
    unique(r.operations, (o) => o.operation, (j) => ['routings', i, 'operations', j, 'operation'], 'operation');
    r.operations.forEach((o, j) => known(workCenters, o.workCenter, ['routings', i, 'operations', j, 'workCenter'], 'work center'));
  });

  doc.boms.forEach((b, i) => {
    known(materials, b.material, ['boms', i, 'material'], 'material');
    const operations = routingOperations(b.material);
    b.items.forEach((item, j) => {
      const at = ['boms', i, 'items', j];
      known(materials, item.component, [...at, 'component'], 'material');
      if (item.component === b.material) report([...at, 'component'], `${b.material} cannot be a component of itself`);
      known(locations, item.issueLocation, [...at, 'issueLocation'], 'location');
      if (item.operation !== null && !operations?.has(item.operation)) {
        report([...at, 'operation'], operations ? `the routing of ${b.material} has no operation ${item.operation}` : `${b.material} has no routing`);
      }
    });
  });

  doc.productionOrders.forEach((o, i) => {
    const at = ['productionOrders', i];
    known(materials, o.material, [...at, 'material'], 'material');
    quantity(o.material, o.quantity, [...at, 'quantity']);
    let operations: Set<string> | undefined;
    if (o.operations === null) {
      operations = routingOperations(o.material);
      if (!operations && materials.has(o.material)) report([...at, 'operations'], `${o.material} has no routing: give the order's operations`);
    } else {
      operations = new Set(o.operations.map((op) => op.operation));
      unique(o.operations, (op) => op.operation, (j) => [...at, 'operations', j, 'operation'], 'operation');
      o.operations.forEach((op, j) => known(workCenters, op.workCenter, [...at, 'operations', j, 'workCenter'], 'work center'));
    }
    const bom = o.components === null && o.operations !== null ? doc.boms.find((b) => b.material === o.material) : undefined;
    const missing = bom?.items.find((item) => item.operation !== null && !operations?.has(item.operation));
    if (missing) report([...at, 'components'], `the BOM of ${o.material} consumes at operation ${missing.operation}, which this order does not have: give the order's components`);
    o.components?.forEach((c, j) => {
      known(materials, c.component, [...at, 'components', j, 'component'], 'material');
      known(locations, c.issueLocation, [...at, 'components', j, 'issueLocation'], 'location');
      if (c.operation !== null && operations && !operations.has(c.operation)) {
        report([...at, 'components', j, 'operation'], `order ${o.id} has no operation ${c.operation}`);
      }
    });
  });

  doc.handlingUnits.forEach((h, i) => {
    known(materials, h.material, ['handlingUnits', i, 'material'], 'material');
    known(locations, h.location, ['handlingUnits', i, 'location'], 'location');
    quantity(h.material, h.quantity, ['handlingUnits', i, 'quantity']);
    batchRequired(h.material, h.batch, ['handlingUnits', i, 'batch']);
  });

  doc.stock.forEach((s, i) => {
    known(locations, s.location, ['stock', i, 'location'], 'location');
    known(materials, s.material, ['stock', i, 'material'], 'material');
    quantity(s.material, s.quantity, ['stock', i, 'quantity']);
    batchRequired(s.material, s.batch, ['stock', i, 'batch']);
  });

  doc.replenishment.forEach((r, i) => {
    known(locations, r.location, ['replenishment', i, 'location'], 'location');
    known(materials, r.material, ['replenishment', i, 'material'], 'material');
    quantity(r.material, r.min, ['replenishment', i, 'min']);
    quantity(r.material, r.max, ['replenishment', i, 'max']);
    if (r.min > r.max) report(['replenishment', i, 'max'], `max ${r.max} is below min ${r.min}`);
  });

  checkTerminals(doc, locations, report);
  return errors;
}

function checkTerminals(doc: MasterDataDocument, locations: ReadonlyMap<string, unknown>, report: (segments: Segments, message: string) => void): void {
  const capacity = ssccCapacity(doc.plant.gs1CompanyPrefix);
  const ranges: { index: number; range: SsccRange }[] = [];
  doc.terminals.forEach((t, i) => {
    const seen = new Set<string>();
    t.locations.forEach((location, j) => {
      if (!locations.has(location)) report(['terminals', i, 'locations', j], `unknown location "${location}"`);
      if (seen.has(location)) report(['terminals', i, 'locations', j], `${location} is listed twice`);
      seen.add(location);
    });
    const range = terminalSsccRange(doc, i);
    if (t.ssccRange && t.ssccRange.first > t.ssccRange.last) {
      report(['terminals', i, 'ssccRange'], `first ${t.ssccRange.first} is after last ${t.ssccRange.last}`);
    } else if (t.ssccRange && t.ssccRange.last >= capacity) {
      report(['terminals', i, 'ssccRange', 'last'], `the company prefix leaves serials up to ${capacity - 1}`);
    } else if (!range) {
      report(['terminals', i], `only the first ${DEFAULT_SSCC_BLOCKS} terminals get a default SSCC range: give an ssccRange`);
    } else {
      ranges.push({ index: i, range });
    }
  });
  // A terminal numbers its output HUs from its range: an HU already holding such a serial would be made twice.
  doc.handlingUnits.forEach((h, i) => {
    const serial = ssccSerial(h.id, doc.plant.gs1CompanyPrefix);
    const owner = serial === null ? undefined : ranges.find(({ range }) => range.first <= serial && serial <= range.last);
    if (owner) report(['handlingUnits', i, 'id'], `SSCC serial ${serial} lies in the range of terminal ${doc.terminals[owner.index]?.id ?? owner.index}`);
  });
  for (const [k, a] of ranges.entries()) {
    for (const b of ranges.slice(k + 1)) {
      if (a.range.first <= b.range.last && b.range.first <= a.range.last) {
        // Blame an explicit range: a default one moves only when the terminals are reordered.
        const [blamed, other] = doc.terminals[b.index]?.ssccRange || !doc.terminals[a.index]?.ssccRange ? [b, a] : [a, b];
        const at = doc.terminals[blamed.index]?.ssccRange ? ['terminals', blamed.index, 'ssccRange'] : ['terminals', blamed.index];
        report(at, `SSCC range overlaps the one of terminal ${doc.terminals[other.index]?.id ?? other.index}`);
      }
    }
  }
}

/** The serial of an SSCC of our company prefix (the inverse of makeSscc), else null. */
function ssccSerial(id: string, companyPrefix: string): number | null {
  if (!/^\d{18}$/.test(id) || id.slice(1, 1 + companyPrefix.length) !== companyPrefix) return null;
  return Number(id.slice(0, 1) + id.slice(1 + companyPrefix.length, 17));
}
