// The PouchDB side of the `sync` benchmark: express-pouchdb (on pouchdb-node, LevelDB in a temp
// dir) listening on loopback, and a local pouchdb-node database holding a terminal's postings as
// documents (_id = terminal:seq zero-padded, the posting's JSON body and its hash). Both packages
// are devDependencies used by this benchmark only, and have no types: the few calls are typed here.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';

interface PouchDatabase {
  bulkDocs(docs: object[]): Promise<({ ok?: boolean; error?: string })[]>;
  info(): Promise<{ doc_count: number }>;
  close(): Promise<void>;
}
interface PouchConstructor {
  new (name: string): PouchDatabase;
  defaults(options: { prefix: string }): PouchConstructor;
}
type ExpressPouchDb = (pouch: PouchConstructor, options: { mode: string; inMemoryConfig: boolean; logPath: string }) => {
  listen(port: number, host: string, ready: () => void): Server;
};

const require = createRequire(import.meta.url);
const pouchDb = () => require('pouchdb-node') as PouchConstructor;

export interface PouchServer {
  /** Base URL; a database is `${url}/name`. */
  url: string;
  close(): Promise<void>;
}

/** express-pouchdb in its "minimumForPouchDB" mode (what replication needs), databases under `dir`. */
export async function startPouchServer(dir: string): Promise<PouchServer> {
  const expressPouchDb = require('express-pouchdb') as ExpressPouchDb;
  const app = expressPouchDb(pouchDb().defaults({ prefix: `${dir}/` }), { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: `${dir}/log.txt` });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Copies the postings of the terminal database `terminalFile` into a new local PouchDB at `dir`; returns how many. */
export async function writePostingsToPouch(terminalFile: string, dir: string): Promise<number> {
  const PouchDB = pouchDb();
  const local = new PouchDB(dir);
  // Read-write, though it only reads: a read-only connection to a WAL database leaves -wal and -shm files behind.
  const terminal = new BetterSqlite3(terminalFile, { fileMustExist: true });
  try {
    const page = terminal.prepare('SELECT terminal_id, seq, body, hash FROM posting WHERE seq > ? ORDER BY seq LIMIT 1000');
    let after = 0;
    for (;;) {
      const rows = page.all(after) as { terminal_id: string; seq: number; body: string; hash: string }[];
      const last = rows.at(-1);
      if (!last) break;
      const docs = rows.map((r) => ({ _id: `${r.terminal_id}:${String(r.seq).padStart(9, '0')}`, ...(JSON.parse(r.body) as object), hash: r.hash }));
      const written = await local.bulkDocs(docs);
      const failed = written.find((w) => w.error !== undefined);
      if (failed) throw new Error(`PouchDB refused a posting document: ${failed.error}`);
      after = last.seq;
    }
    return (await local.info()).doc_count;
  } finally {
    terminal.close();
    await local.close();
  }
}

/** How many documents the database at `url` holds (over HTTP, as any CouchDB client asks). */
export async function remoteDocCount(url: string): Promise<number> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { doc_count: number }).doc_count;
}
