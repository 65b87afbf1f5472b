// What can be checked about a push before touching the database: that every posting is the
// caller's, the seqs run without gaps, each hash covers its posting, each links to the one before,
// and the effects are ones the central understands. Any failure refuses the whole batch.
import { createHash } from 'node:crypto';
import type { PushRequest, WirePosting } from '../api/sync.js';
import { jsonPath } from '../api/json-path.js';
import type { Effect } from '../domain/effects.js';
import { canonicalJson } from '../store/canonical-json.js';
import { CentralError } from './central-error.js';
import { effectsSchema } from './effect-schema.js';

export interface CheckedPosting {
  /** The posting as received, hash included. */
  wire: WirePosting;
  /** What the hash covers, byte for byte: the canonical JSON of the posting without its hash. */
  text: string;
  effects: Effect[];
}

/** The hash a posting must carry: SHA-256 of its canonical JSON without the hash (as src/store/ledger.ts makes it). */
export function postingHash(body: Omit<WirePosting, 'hash'>): string {
  return sha256(canonicalJson(body));
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The text a posting's hash covers. A terminal sends its canonical text, so the parsed body keeps
 * canonical key order below the top level: JSON.stringify with sorted top-level keys usually gives
 * the same bytes at a fraction of canonicalJson's cost, and a matching SHA-256 proves it did.
 */
function hashedText(body: Omit<WirePosting, 'hash'>, hash: string): string | null {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(body).sort()) sorted[key] = body[key as keyof typeof body];
  const quick = JSON.stringify(sorted);
  if (sha256(quick) === hash) return quick;
  const canonical = canonicalJson(body);
  return sha256(canonical) === hash ? canonical : null;
}

export function checkPushBatch(batch: PushRequest, terminalId: string): CheckedPosting[] {
  if (batch.terminal !== terminalId) {
    throw new CentralError(403, 'wrong-terminal', `This token belongs to terminal ${terminalId}; it cannot push for terminal ${batch.terminal}.`);
  }
  const checked: CheckedPosting[] = [];
  batch.postings.forEach((wire, i) => {
    const at = { seq: wire.seq, path: jsonPath(['postings', i]) };
    if (wire.terminal !== terminalId) {
      throw new CentralError(403, 'wrong-terminal', `Posting ${wire.seq} is terminal ${wire.terminal}'s; terminal ${terminalId} can push only its own.`, at);
    }
    const first = batch.postings[0]?.seq ?? wire.seq;
    if (wire.seq !== first + i) {
      throw new CentralError(400, 'not-consecutive', `The postings of a push must have consecutive seqs; ${wire.seq} follows ${first + i - 1}.`, at);
    }
    const { hash, ...body } = wire;
    const text = hashedText(body, hash);
    if (text === null) {
      throw new CentralError(400, 'hash-mismatch', `Posting ${wire.seq} does not match its hash: it was changed after it was posted.`, at);
    }
    const previous = checked[i - 1];
    if (previous && wire.prevHash !== previous.wire.hash) {
      throw new CentralError(400, 'broken-chain', `Posting ${wire.seq} does not link to posting ${previous.wire.seq} (its prevHash differs).`, at);
    }
    const effects = effectsSchema.safeParse(wire.effects);
    if (!effects.success) {
      const issue = effects.error.issues[0];
      const path = jsonPath(['postings', i, 'effects', ...(issue?.path ?? [])]);
      throw new CentralError(400, 'invalid-effect', `Posting ${wire.seq} has an effect the central does not understand at ${path}: ${issue?.message ?? 'invalid'}.`, { ...at, path });
    }
    checked.push({ wire, text, effects: effects.data });
  });
  return checked;
}
