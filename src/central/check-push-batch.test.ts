import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WirePosting } from '../api/sync.js';
import { CentralError } from './central-error.js';
import { checkPushBatch, postingHash } from './check-push-batch.js';

const GENESIS_HASH = '0'.repeat(64);

function chain(count: number, terminal = 'T1'): WirePosting[] {
  const out: WirePosting[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const body = {
      id: randomUUID(), terminal, seq, kind: 'confirmation' as const, requestId: null, createdAt: '2026-11-21T06:00:00.000Z', user: 'op', scan: null, prevHash,
      data: { order: '1000' }, effects: [{ t: 'progress', order: '1000', operation: '0010', goodMinor: seq, scrapMinor: 0 }],
    };
    prevHash = postingHash(body);
    out.push({ ...body, hash: prevHash });
  }
  return out;
}

const unhashed = ({ hash: _hash, ...body }: WirePosting): Omit<WirePosting, 'hash'> => body;

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof CentralError) return { status: error.statusCode, code: error.code, details: error.details };
    throw error;
  }
  return null;
};

describe('checkPushBatch', () => {
  it('accepts a consecutive, linked, correctly hashed batch of the caller', () => {
    expect(checkPushBatch({ terminal: 'T1', postings: chain(3) }, 'T1').map((p) => p.wire.seq)).toEqual([1, 2, 3]);
  });

  it('refuses another terminal\'s batch or posting with 403', () => {
    expect(refusal(() => checkPushBatch({ terminal: 'T2', postings: chain(1, 'T2') }, 'T1'))).toMatchObject({ status: 403, code: 'wrong-terminal' });
    expect(refusal(() => checkPushBatch({ terminal: 'T1', postings: [...chain(1), ...chain(2, 'T2').slice(1)] }, 'T1'))).toMatchObject({ status: 403, details: { path: '$.postings[1]' } });
  });

  it('refuses gaps inside a batch, changed postings and broken links with 400', () => {
    const postings = chain(3);
    expect(refusal(() => checkPushBatch({ terminal: 'T1', postings: [postings[0] as WirePosting, postings[2] as WirePosting] }, 'T1'))).toMatchObject({ status: 400, code: 'not-consecutive' });
    const changed = postings.map((p, i) => (i === 1 ? { ...p, user: 'someone-else' } : p));
    expect(refusal(() => checkPushBatch({ terminal: 'T1', postings: changed }, 'T1'))).toMatchObject({ status: 400, code: 'hash-mismatch', details: { seq: 2 } });
    // Rehashed after the change: the hash fits, but the next posting no longer links to it.
    const body = unhashed({ ...(postings[1] as WirePosting), user: 'someone-else' });
    const rehashed = postings.map((p, i) => (i === 1 ? { ...body, hash: postingHash(body) } : p));
    expect(refusal(() => checkPushBatch({ terminal: 'T1', postings: rehashed }, 'T1'))).toMatchObject({ status: 400, code: 'broken-chain', details: { seq: 3 } });
  });
});
