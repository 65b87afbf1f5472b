// Push: the postings above the acknowledged seq, batch after batch, until the outbox is empty.
// The acknowledged seq moves only to what the central answers, up or down.
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { PushResponse } from '../api/sync.js';
import { terminalIdOf } from '../store/ledger.js';
import { prepared } from '../store/prepared.js';
import { CentralError, type CentralClient, type StoredPosting } from './central-client.js';
import { readSyncState } from './read-sync-state.js';
import { syncLogger } from './sync-logger.js';

export interface PushOptions {
  now: () => string;
  /** Postings per request (the wire allows up to 1000); default 500. */
  batchSize?: number;
  logger?: Logger;
}

export interface PushResult {
  /** How far the acknowledged seq advanced in this round. */
  pushed: number;
  /** Requests that got an answer. */
  batches: number;
  acknowledgedSeq: number;
}

type OutboxRow = StoredPosting & { seq: number };

/** A batch read and encoded ahead, to send as soon as the answer before it says it follows. */
interface Prepared {
  rows: OutboxRow[];
  body: Promise<Buffer>;
}

export async function pushOnce(db: Database, client: CentralClient, options: PushOptions): Promise<PushResult> {
  const log = options.logger ?? syncLogger();
  const terminal = terminalIdOf(db);
  let batchSize = Math.min(options.batchSize ?? 500, 1000);
  let pushed = 0;
  let batches = 0;
  let stalled = 0;
  const readAfter = (seq: number) => prepared(db, 'SELECT seq, body, hash FROM posting WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, batchSize) as OutboxRow[];
  const prepare = (rows: OutboxRow[]): Prepared => {
    const body = client.encodePush({ terminal, postings: rows });
    body.catch(() => undefined); // a batch prepared ahead may be dropped unsent; its failure is seen where it is sent
    return { rows, body };
  };
  let ahead: Prepared | null = null;
  for (;;) {
    const { acknowledgedSeq: acknowledged, lastSeq } = readSyncState(db);
    const current: Prepared | null = ahead?.rows[0]?.seq === acknowledged + 1 ? ahead : null;
    ahead = null;
    const batch = current ?? prepare(readAfter(acknowledged));
    const first = batch.rows[0];
    const last = batch.rows.at(-1);
    if (!first || !last) return { pushed, batches, acknowledgedSeq: acknowledged };

    const sending = batch.body.then((body) => client.sendPush(body));
    sending.catch(() => undefined); // awaited below, after the next batch is prepared
    // While the central works on this batch, the next one is read and compressed.
    const next = readAfter(last.seq);
    if (next.length > 0) ahead = prepare(next);
    let answer: PushResponse;
    try {
      answer = await sending;
    } catch (error) {
      ahead = null;
      // A body over the central's limit: smaller batches get it through, down to one posting.
      if (error instanceof CentralError && error.status === 413 && batchSize > 1) {
        batchSize = Math.max(1, Math.floor(batch.rows.length / 2));
        log.warn({ batchSize }, 'push batch too large for the central; halving it');
        continue;
      }
      throw error;
    }
    batches++;
    if (answer.acknowledgedSeq > lastSeq) {
      throw new Error(
        `the central holds seq ${answer.acknowledgedSeq} of terminal ${terminal} but this ledger ends at ${lastSeq}: ` +
          'this database is older than what the central has (restored from a backup?)',
      );
    }
    recordAnswer(db, answer.acknowledgedSeq, options.now());
    if (answer.acknowledgedSeq >= first.seq) {
      pushed += answer.acknowledgedSeq - acknowledged;
      stalled = 0;
      continue;
    }
    // Nothing of the batch was taken. It started right after what the central acknowledged
    // before; if that still holds, repeating the same batch will not move anything.
    if (answer.acknowledgedSeq === acknowledged) {
      throw new CentralError(`central took nothing of postings ${first.seq}..${last.seq} and still acknowledges seq ${acknowledged}`, null);
    }
    if (answer.expectedSeq !== answer.acknowledgedSeq + 1) log.warn({ answer }, 'central answered an expected seq that does not follow its acknowledged seq');
    // The central holds less than it said before (restored from a backup): those postings go again.
    log.warn({ before: acknowledged, now: answer.acknowledgedSeq }, 'central acknowledges less than before; resending from there');
    if (++stalled > 3) throw new CentralError(`central keeps moving its acknowledged seq back (now ${answer.acknowledgedSeq})`, null);
  }
}

function recordAnswer(db: Database, acknowledgedSeq: number, at: string): void {
  db.transaction(() => {
    prepared(db, 'UPDATE sync_state SET acknowledged_seq = ? WHERE id = 1').run(acknowledgedSeq);
    prepared(db, 'UPDATE sync_cursor SET pushed_at = ? WHERE id = 1').run(at);
  })();
}
