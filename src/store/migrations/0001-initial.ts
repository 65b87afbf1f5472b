// Master data, the ledger and the balances derived from it. Quantities named *_minor are
// integers in the material's minor units (src/domain/quantity.ts).
export const migration0001 = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE terminal_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  terminal_id TEXT NOT NULL,
  next_sscc_serial INTEGER,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE plant (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  gs1_company_prefix TEXT NOT NULL,
  insufficient_stock TEXT NOT NULL CHECK (insufficient_stock IN ('backlog', 'negative', 'block')),
  over_confirmation_tolerance_pct REAL NOT NULL,
  operator_may_override_lines INTEGER NOT NULL CHECK (operator_may_override_lines IN (0, 1)),
  anomaly_threshold_pct REAL NOT NULL DEFAULT 2,
  labels TEXT NOT NULL
) STRICT;

CREATE TABLE uom (
  id TEXT PRIMARY KEY,
  decimals INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 6)
) STRICT;

CREATE TABLE material (
  id TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  base_uom TEXT NOT NULL REFERENCES uom(id),
  backflush TEXT NOT NULL CHECK (backflush IN ('always', 'never', 'workCenterDecides')),
  rounding TEXT NOT NULL CHECK (rounding IN ('halfUp', 'up')),
  insufficient_stock TEXT CHECK (insufficient_stock IN ('backlog', 'negative', 'block')),
  batch_managed INTEGER NOT NULL CHECK (batch_managed IN (0, 1)),
  gtin TEXT
) STRICT;

CREATE TABLE material_alternative_uom (
  material TEXT NOT NULL REFERENCES material(id),
  uom TEXT NOT NULL REFERENCES uom(id),
  base_uom_per_unit REAL NOT NULL CHECK (base_uom_per_unit > 0),
  PRIMARY KEY (material, uom)
) STRICT;

CREATE TABLE location (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('storage', 'machine')),
  work_center TEXT REFERENCES work_center(id) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE work_center (
  id TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  backflush INTEGER NOT NULL CHECK (backflush IN (0, 1)),
  machine_location TEXT NOT NULL REFERENCES location(id) DEFERRABLE INITIALLY DEFERRED,
  output_location TEXT NOT NULL REFERENCES location(id) DEFERRABLE INITIALLY DEFERRED
) STRICT;

CREATE TABLE bom (
  material TEXT PRIMARY KEY REFERENCES material(id),
  base_quantity REAL NOT NULL CHECK (base_quantity > 0)
) STRICT;

CREATE TABLE bom_item (
  material TEXT NOT NULL REFERENCES bom(material),
  line INTEGER NOT NULL,
  component TEXT NOT NULL REFERENCES material(id),
  quantity REAL NOT NULL,
  operation TEXT,
  component_scrap_pct REAL NOT NULL,
  backflush INTEGER CHECK (backflush IN (0, 1)),
  fixed INTEGER NOT NULL CHECK (fixed IN (0, 1)),
  issue_location TEXT REFERENCES location(id),
  PRIMARY KEY (material, line)
) STRICT;

CREATE TABLE routing_operation (
  material TEXT NOT NULL REFERENCES material(id),
  operation TEXT NOT NULL,
  work_center TEXT NOT NULL REFERENCES work_center(id),
  description TEXT NOT NULL,
  backflush INTEGER NOT NULL CHECK (backflush IN (0, 1)),
  PRIMARY KEY (material, operation)
) STRICT;

-- A released order carries its own snapshot of operations and components.
CREATE TABLE production_order (
  id TEXT PRIMARY KEY,
  material TEXT NOT NULL REFERENCES material(id),
  quantity_minor INTEGER NOT NULL CHECK (quantity_minor > 0),
  base_quantity REAL NOT NULL CHECK (base_quantity > 0),
  batch TEXT,
  status TEXT NOT NULL
) STRICT;

CREATE TABLE order_operation (
  order_id TEXT NOT NULL REFERENCES production_order(id),
  operation TEXT NOT NULL,
  work_center TEXT NOT NULL REFERENCES work_center(id),
  description TEXT NOT NULL,
  backflush INTEGER NOT NULL CHECK (backflush IN (0, 1)),
  PRIMARY KEY (order_id, operation)
) STRICT;

CREATE TABLE order_component (
  order_id TEXT NOT NULL REFERENCES production_order(id),
  line INTEGER NOT NULL,
  component TEXT NOT NULL REFERENCES material(id),
  quantity REAL NOT NULL,
  operation TEXT,
  component_scrap_pct REAL NOT NULL,
  backflush INTEGER CHECK (backflush IN (0, 1)),
  fixed INTEGER NOT NULL CHECK (fixed IN (0, 1)),
  issue_location TEXT REFERENCES location(id),
  PRIMARY KEY (order_id, line)
) STRICT;

CREATE TABLE replenishment_rule (
  location TEXT NOT NULL REFERENCES location(id),
  material TEXT NOT NULL REFERENCES material(id),
  min_minor INTEGER NOT NULL,
  max_minor INTEGER NOT NULL,
  PRIMARY KEY (location, material)
) STRICT;

CREATE TABLE scrap_reason (
  code TEXT PRIMARY KEY,
  text TEXT NOT NULL
) STRICT;

CREATE TABLE app_user (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  badge TEXT NOT NULL UNIQUE,
  pin_hash TEXT NOT NULL,
  roles TEXT NOT NULL,
  language TEXT NOT NULL
) STRICT;

-- Each terminal owns a range of SSCC serials, so two offline terminals never make the same HU id.
CREATE TABLE terminal (
  id TEXT PRIMARY KEY,
  sscc_first INTEGER NOT NULL,
  sscc_last INTEGER NOT NULL,
  CHECK (sscc_first <= sscc_last)
) STRICT;

CREATE TABLE terminal_location (
  terminal TEXT NOT NULL REFERENCES terminal(id),
  location TEXT NOT NULL REFERENCES location(id),
  PRIMARY KEY (terminal, location)
) STRICT;

-- The ledger: this terminal's postings, immutable, gap-free seq, each hashing the one before.
CREATE TABLE posting (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  seq INTEGER NOT NULL UNIQUE CHECK (seq >= 1),
  kind TEXT NOT NULL,
  request_id TEXT UNIQUE,
  created_at TEXT NOT NULL,
  user_id TEXT NOT NULL,
  scan TEXT,
  body TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

CREATE TRIGGER posting_is_immutable_update BEFORE UPDATE ON posting
BEGIN SELECT RAISE(ABORT, 'postings are immutable: post a reversal instead'); END;
CREATE TRIGGER posting_is_immutable_delete BEFORE DELETE ON posting
BEGIN SELECT RAISE(ABORT, 'postings are immutable: post a reversal instead'); END;

-- Stock facts from outside this terminal (master data load, later sync), replayed after posting after_seq.
CREATE TABLE inbound (
  id INTEGER PRIMARY KEY,
  after_seq INTEGER NOT NULL,
  source TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TRIGGER inbound_is_immutable_update BEFORE UPDATE ON inbound
BEGIN SELECT RAISE(ABORT, 'inbound stock facts are immutable'); END;
CREATE TRIGGER inbound_is_immutable_delete BEFORE DELETE ON inbound
BEGIN SELECT RAISE(ABORT, 'inbound stock facts are immutable'); END;

-- The outbox is every posting above the last seq the central acknowledged.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  acknowledged_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sync_state (id, acknowledged_seq) VALUES (1, 0);

-- Balances derived from the ledger, written in the posting's transaction.
CREATE TABLE handling_unit (
  id TEXT PRIMARY KEY,
  material TEXT NOT NULL REFERENCES material(id),
  batch TEXT,
  expiry TEXT,
  location TEXT NOT NULL REFERENCES location(id),
  quantity_minor INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('available', 'mounted', 'empty', 'cancelled')),
  arrived_at TEXT NOT NULL,
  parent TEXT REFERENCES handling_unit(id),
  -- The seq after which its consumption counts for a true-up: its last mount, else its arrival.
  since_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX handling_unit_by_parent ON handling_unit (parent) WHERE parent IS NOT NULL;
CREATE INDEX handling_unit_in_storage_by_material ON handling_unit (material, location) WHERE state = 'available';
CREATE INDEX handling_unit_by_location_material ON handling_unit (location, material) WHERE state IN ('available', 'mounted');

-- Stock without an HU (bulk, tanks, negative stock). batch '' stands for "no batch" so the key is unique.
CREATE TABLE bulk_stock (
  location TEXT NOT NULL REFERENCES location(id),
  material TEXT NOT NULL REFERENCES material(id),
  batch TEXT NOT NULL,
  quantity_minor INTEGER NOT NULL,
  PRIMARY KEY (location, material, batch)
) STRICT;

CREATE TABLE backlog (
  id TEXT PRIMARY KEY,
  posting_id TEXT NOT NULL REFERENCES posting(id),
  order_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  material TEXT NOT NULL,
  location TEXT NOT NULL,
  quantity_minor INTEGER NOT NULL,
  open_minor INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX backlog_open_by_location_material ON backlog (location, material, created_at) WHERE open_minor > 0;
CREATE INDEX backlog_by_posting ON backlog (posting_id);

CREATE TABLE operation_progress (
  order_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  good_minor INTEGER NOT NULL,
  scrap_minor INTEGER NOT NULL,
  final INTEGER NOT NULL CHECK (final IN (0, 1)),
  PRIMARY KEY (order_id, operation)
) STRICT;

CREATE TABLE fixed_issue (
  order_id TEXT NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY (order_id, line)
) STRICT;

-- Consumption booked to orders (negative rows from reversals), for genealogy and variance.
CREATE TABLE consumption (
  posting_id TEXT NOT NULL REFERENCES posting(id),
  posting_seq INTEGER NOT NULL,
  posted_at TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- backflush (with retries and resolutions), or a count or true-up difference attributed to the order.
  source TEXT NOT NULL CHECK (source IN ('backflush', 'true-up', 'count')),
  order_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  material TEXT NOT NULL,
  location TEXT NOT NULL,
  hu TEXT,
  batch TEXT,
  quantity_minor INTEGER NOT NULL
) STRICT;
CREATE INDEX consumption_by_order ON consumption (order_id, posting_seq);
CREATE INDEX consumption_by_hu ON consumption (hu, posting_seq) WHERE hu IS NOT NULL;
CREATE INDEX consumption_by_location_material ON consumption (location, material, posting_seq);
CREATE INDEX consumption_by_batch ON consumption (material, batch) WHERE batch IS NOT NULL;

-- Output HUs of an order. Their inputs are what the order consumed up to the posting that made
-- them, read from consumption: one row per output, however long the order's history.
CREATE TABLE order_output (
  hu TEXT PRIMARY KEY REFERENCES handling_unit(id),
  order_id TEXT NOT NULL,
  posting_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX order_output_by_order ON order_output (order_id);

-- Each backflushed line of a confirmation (negative from its reversal): standard, override and
-- line scrap kept apart, so variance can tell standard from actual.
CREATE TABLE confirmation_line (
  posting_id TEXT NOT NULL REFERENCES posting(id),
  posted_at TEXT NOT NULL,
  order_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  line INTEGER NOT NULL,
  product TEXT NOT NULL,
  -- The posting's good quantity of the product, for the standard of the good quantity.
  good_minor INTEGER NOT NULL,
  material TEXT NOT NULL,
  location TEXT NOT NULL,
  standard_minor INTEGER NOT NULL,
  override_minor INTEGER NOT NULL,
  line_scrap_minor INTEGER NOT NULL
) STRICT;
CREATE INDEX confirmation_line_by_order ON confirmation_line (order_id);

-- A true-up or count difference beyond the plant's threshold: a reporting error to look at.
CREATE TABLE anomaly (
  id TEXT PRIMARY KEY,
  posting_id TEXT NOT NULL REFERENCES posting(id),
  kind TEXT NOT NULL CHECK (kind IN ('true-up', 'count')),
  location TEXT NOT NULL,
  material TEXT NOT NULL,
  hu TEXT,
  difference_minor INTEGER NOT NULL,
  consumed_since_minor INTEGER NOT NULL,
  orders TEXT NOT NULL,
  operators TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- The last count of a material at a location: attribution of the next count starts after it.
CREATE TABLE location_count (
  location TEXT NOT NULL,
  material TEXT NOT NULL,
  posting_seq INTEGER NOT NULL,
  PRIMARY KEY (location, material)
) STRICT;

CREATE TABLE replenishment_task (
  id TEXT PRIMARY KEY,
  location TEXT NOT NULL REFERENCES location(id),
  material TEXT NOT NULL REFERENCES material(id),
  quantity_minor INTEGER NOT NULL,
  open_minor INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  closed_at TEXT
) STRICT;
CREATE UNIQUE INDEX replenishment_task_open ON replenishment_task (location, material) WHERE closed_at IS NULL;

CREATE TABLE posting_reversal (
  posting_id TEXT PRIMARY KEY REFERENCES posting(id),
  reversal_id TEXT NOT NULL REFERENCES posting(id)
) STRICT;

-- Postings that settled a posting's backlog (automatic retries, a supervisor's resolutions) and
-- the posting that triggered them; reversing either one reverses the settlement along with it.
CREATE TABLE backlog_retry (
  retry_posting_id TEXT PRIMARY KEY REFERENCES posting(id),
  original_posting_id TEXT NOT NULL REFERENCES posting(id),
  trigger_posting_id TEXT NOT NULL REFERENCES posting(id)
) STRICT;
CREATE INDEX backlog_retry_by_original ON backlog_retry (original_posting_id);
CREATE INDEX backlog_retry_by_trigger ON backlog_retry (trigger_posting_id);
`,
} as const;
