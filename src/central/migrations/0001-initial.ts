// The central's first schema. One SQL text for PostgreSQL 15 and PGlite.
export const initialSchema = `
-- One row: the database's identity (a restored server has another epoch) and the counters that
-- order ingest and stock changes. Writers lock this row first, so counters follow commit order.
CREATE TABLE central_state (
  id smallint PRIMARY KEY CHECK (id = 1),
  epoch text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  admin_token_hash text,
  master_data_version integer NOT NULL DEFAULT 0,
  last_ingest_seq bigint NOT NULL DEFAULT 0,
  last_change_seq bigint NOT NULL DEFAULT 0
);
INSERT INTO central_state (id, epoch) VALUES (1, gen_random_uuid()::text);

-- Every imported version of the master data file, validated and with PINs hashed.
CREATE TABLE master_data (
  version integer PRIMARY KEY,
  digest text NOT NULL,
  document jsonb NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);

-- Derived from the current master data: what ingest, scope and the query endpoints need.
CREATE TABLE location (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('storage', 'machine')),
  work_center text
);
CREATE TABLE material (
  id text PRIMARY KEY,
  base_uom text NOT NULL,
  decimals integer NOT NULL CHECK (decimals BETWEEN 0 AND 6)
);
CREATE TABLE production_order (
  id text PRIMARY KEY,
  material text NOT NULL
);

-- A terminal stays once it was in master data: its ledger and chain head outlive the file.
CREATE TABLE terminal (
  id text PRIMARY KEY,
  in_master_data boolean NOT NULL,
  token_hash text UNIQUE,
  provisioned_at timestamptz,
  acknowledged_seq bigint NOT NULL DEFAULT 0 CHECK (acknowledged_seq >= 0),
  last_hash text NOT NULL DEFAULT '${'0'.repeat(64)}'
);
CREATE TABLE terminal_location (
  terminal_id text NOT NULL REFERENCES terminal (id),
  location text NOT NULL,
  PRIMARY KEY (terminal_id, location)
);

-- The ledger as received: append-only, one row per (terminal, seq). body is the canonical JSON
-- the hash covers, byte for byte (sha256(body) = hash), as in the terminal's own ledger.
CREATE TABLE posting (
  terminal_id text NOT NULL REFERENCES terminal (id),
  seq bigint NOT NULL CHECK (seq >= 1),
  id uuid NOT NULL UNIQUE,
  kind text NOT NULL,
  created_at text NOT NULL,
  user_id text NOT NULL,
  body text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  ingest_seq bigint NOT NULL UNIQUE,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, seq)
);
CREATE FUNCTION refuse_posting_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on posting refused', TG_OP;
END $$;
CREATE TRIGGER posting_append_only BEFORE UPDATE OR DELETE ON posting
  FOR EACH ROW EXECUTE FUNCTION refuse_posting_change();

-- The postings that touched each HU, for its history.
CREATE TABLE hu_posting (
  hu text NOT NULL,
  ingest_seq bigint NOT NULL,
  PRIMARY KEY (hu, ingest_seq)
);

-- Stock as the central sees it. change_seq orders the pull feed.
CREATE TABLE handling_unit (
  id text PRIMARY KEY,
  material text NOT NULL,
  batch text,
  expiry text,
  location text NOT NULL,
  quantity_minor bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('available', 'mounted', 'empty', 'cancelled')),
  parent text,
  change_seq bigint NOT NULL
);
CREATE INDEX handling_unit_by_location ON handling_unit (location);

-- Where each HU has been and when it last changed there: a terminal learns that an HU left its
-- scope because the change is filed under the location it left too.
CREATE TABLE hu_scope_change (
  hu text NOT NULL,
  location text NOT NULL,
  change_seq bigint NOT NULL,
  PRIMARY KEY (hu, location)
);
CREATE INDEX hu_scope_change_for_pull ON hu_scope_change (location, change_seq);

CREATE TABLE bulk_stock (
  location text NOT NULL,
  material text NOT NULL,
  batch text NOT NULL, -- '' for none: part of the key
  quantity_minor bigint NOT NULL,
  change_seq bigint NOT NULL,
  PRIMARY KEY (location, material, batch)
);
CREATE INDEX bulk_stock_for_pull ON bulk_stock (location, change_seq);

-- Conflicts that sync accepted and a supervisor should look at.
CREATE TABLE sync_exception (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  terminal_id text NOT NULL,
  seq bigint NOT NULL,
  posting_id uuid NOT NULL,
  hu text,
  location text,
  material text,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;
