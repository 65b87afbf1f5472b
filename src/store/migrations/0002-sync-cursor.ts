// Where the pull stands: the central's cursor and epoch, moved only in the transaction that
// applies a page, plus when this terminal last exchanged with the central (for the status after a restart).
export const migration0002 = {
  version: 2,
  name: 'sync-cursor',
  sql: /* sql */ `
CREATE TABLE sync_cursor (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor TEXT NOT NULL,
  -- The central database the cursor belongs to; NULL until the first pull.
  epoch TEXT,
  pulled_at TEXT,
  pushed_at TEXT
) STRICT;
INSERT INTO sync_cursor (id, cursor, epoch, pulled_at, pushed_at) VALUES (1, '0', NULL, NULL, NULL);
`,
} as const;
