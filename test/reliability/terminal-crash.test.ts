// quality.md "Reliability: Crash": the real `shopfloor terminal` is killed with SIGKILL at random
// moments while an operator confirms and a material handler moves HUs over its HTTP API (≥ 50
// kills). After each restart every posting the API acknowledged is in the ledger exactly once and
// in the outbox, a confirmation or move whose answer was lost posts once when retried with its requestId,
// and `shopfloor check` passes. CRASH_SEED=n replays the same decisions (the kill timing is real
// time, so only approximately); CRASH_KILLS=n changes the number of kills.
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLidPlant } from '../../src/demo/lid-plant.js';
import { findMove, readLedger, type LedgerSnapshot } from './read-ledger.js';
import { callApi, login, runCheck, startTerminalProcess, type ApiAnswer, type TerminalProcess } from './terminal-process.js';

const KILLS = Number(process.env['CRASH_KILLS'] ?? 50);
const SEED = process.env['CRASH_SEED'] === undefined ? randomInt(2 ** 31) : Number(process.env['CRASH_SEED']);
/** `shopfloor check` costs a process start: every few cycles, and after the last restart. */
const CHECK_EVERY = 5;
const MAX_KILL_DELAY_MS = 150;

const PINS = { u17: '1717', u18: '1818', u19: '1919', u21: '2121', u30: '3030' };
const ORDER = '1000123';
const MACHINE = 'ML-LID1';
const STORAGE = 'WH-A-02';
// The handler moves materials that order 1000123 does not take from ML-LID1, so operator and
// handler never compete for one HU and every refusal the test sees is a finding.
const MOVED_MATERIALS = ['INS-120', 'ADH-HM'];
/** Largest split, in minor units: 500 pieces of inserts, 5 kg of adhesive. */
const SPLIT_CAP_MINOR: Record<string, number> = { 'INS-120': 500, 'ADH-HM': 5000 };

/** mulberry32: small, seedable, good enough to pick actions and kill moments. */
function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

type Confirmation = { requestId: string; order: string; operation: string; good: number; scrap: number; scrapReason?: string };
type Move = { command: 'transferHu' | 'returnHu'; kind: 'transfer' | 'return'; input: { hu: string; to: string; quantity?: number; requestId: string } };
/** A request whose answer never came: it may or may not have been committed. */
type Unanswered = { what: 'confirmation'; body: Confirmation } | { what: 'move'; move: Move; afterSeq: number };

describe('terminal service killed with SIGKILL while it posts', () => {
  let dir: string;
  let passed = false;
  let terminal: TerminalProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shopfloor-crash-'));
    writeFileSync(join(dir, 'plant.json'), JSON.stringify(buildLidPlant({ pins: PINS })));
    // Port 0: each start gets a free port, so no restart waits for the old socket to be released.
    writeFileSync(join(dir, 'terminal.json'), JSON.stringify({ terminalId: 'T-LID1', database: 'T-LID1.sqlite', masterData: 'plant.json', http: { port: 0, host: '127.0.0.1' } }));
  });

  afterAll(async () => {
    await terminal?.kill();
    if (passed) rmSync(dir, { recursive: true, force: true });
    else console.log(`terminal-crash: the databases are kept in ${dir}`);
  });

  it(`keeps every acknowledged posting exactly once across ${KILLS} kills (seed ${SEED})`, async () => {
    console.log(`terminal-crash: seed ${SEED} (CRASH_SEED=${SEED} repeats its decisions)`);
    const started = Date.now();
    const random = seededRandom(SEED);
    const database = join(dir, 'T-LID1.sqlite');
    const configFile = join(dir, 'terminal.json');
    const why = (text: string) => `${text} (seed ${SEED})`;
    /** Acknowledged postings (HTTP 200 with a postingId) and the requestId they answered. */
    const acknowledged = new Map<string, string | null>();
    /** Postings of lost answers that the ledger shows were committed. */
    let unanswered: Unanswered[] = [];
    const stats = { kills: 0, killsInFlight: 0, lostConfirmations: 0, lostCommitted: 0, lostMoves: 0, lostMovesCommitted: 0, checks: 0 };

    const acknowledge = (answer: ApiAnswer, requestId: string | null, what: string): string => {
      expect(answer.status, why(`${what}: ${JSON.stringify(answer)}`)).toBe(200);
      const postingId = (answer as { body: { postingId?: unknown } }).body.postingId;
      expect(typeof postingId, why(`${what} answered without a postingId`)).toBe('string');
      acknowledged.set(postingId as string, requestId);
      return postingId as string;
    };

    /** Every acknowledged posting is in the ledger once and in the outbox; nothing else was posted. */
    const verify = (ledger: LedgerSnapshot) => {
      ledger.postings.forEach((p, i) => expect(p.seq, why('seqs are gap-free')).toBe(i + 1));
      const byId = new Map(ledger.postings.map((p) => [p.id, p]));
      const perRequest = new Map<string, number>();
      for (const p of ledger.postings) if (p.requestId !== null) perRequest.set(p.requestId, (perRequest.get(p.requestId) ?? 0) + 1);
      for (const [id, requestId] of acknowledged) {
        const posting = byId.get(id);
        expect(posting, why(`acknowledged posting ${id} is in the ledger`)).toBeDefined();
        expect(posting?.seq ?? 0, why(`acknowledged posting ${id} is in the outbox`)).toBeGreaterThan(ledger.acknowledgedSeq);
        if (requestId !== null) expect(perRequest.get(requestId), why(`request ${requestId} is posted exactly once`)).toBe(1);
      }
      const unexplained = ledger.postings.filter((p) => !acknowledged.has(p.id));
      expect(unexplained, why('the ledger holds only postings that were asked for')).toEqual([]);
    };

    /** Retries what lost its answer: the ledger says whether it was committed, the retry must agree. */
    const settleUnanswered = async (url: string, operatorToken: string, handlerToken: string, ledger: LedgerSnapshot) => {
      for (const request of unanswered) {
        if (request.what === 'confirmation') {
          const committed = ledger.postings.find((p) => p.requestId === request.body.requestId)?.id;
          const postingId = acknowledge(await callApi(url, 'postConfirmation', request.body, operatorToken), request.body.requestId, 'retried confirmation');
          if (committed !== undefined) expect(postingId, why('a retried confirmation answers the postingId it committed')).toBe(committed);
          stats.lostConfirmations++;
          if (committed !== undefined) stats.lostCommitted++;
          continue;
        }
        const { move, afterSeq } = request;
        stats.lostMoves++;
        const committed = findMove(database, afterSeq, { hu: move.input.hu, to: move.input.to, kind: move.kind });
        if (committed !== null) stats.lostMovesCommitted++;
        // Sent again with its requestId: a committed move (a split above all) is answered, not repeated.
        const postingId = acknowledge(await callApi(url, move.command, move.input, handlerToken), move.input.requestId, `retried ${move.command}`);
        if (committed !== null) expect(postingId, why(`a retried ${move.command} answers the posting it committed`)).toBe(committed);
      }
      unanswered = [];
    };

    /** The operator confirms order 1000123 at 0010 and 0020 (never more at 0020 than 0010 made). */
    const operatorLoop = async (url: string, token: string, ledger: LedgerSnapshot, run: { killed: boolean; inFlight: number }) => {
      let made10 = ledger.progress.get(`${ORDER}/0010`) ?? 0;
      let made20 = ledger.progress.get(`${ORDER}/0020`) ?? 0;
      while (!run.killed) {
        const operation = made10 > made20 && random.next() < 0.5 ? '0020' : '0010';
        const good = operation === '0020' ? random.int(1, Math.min(20, made10 - made20)) : random.int(1, 20);
        const scrap = random.next() < 0.2 ? random.int(1, 3) : 0;
        const body: Confirmation = { requestId: randomUUID(), order: ORDER, operation, good, scrap, ...(scrap > 0 && { scrapReason: 'SETUP' }) };
        run.inFlight++;
        const answer = await callApi(url, 'postConfirmation', body, token);
        run.inFlight--;
        if (answer.status === 'lost') {
          unanswered.push({ what: 'confirmation', body });
          return;
        }
        acknowledge(answer, body.requestId, `confirmation ${operation} of ${good}`);
        if (operation === '0010') made10 += good;
        else made20 += good;
      }
    };

    /** The material handler brings HUs from storage to the machine (whole or split) and returns them. */
    const handlerLoop = async (url: string, token: string, ledger: LedgerSnapshot, run: { killed: boolean; inFlight: number }) => {
      const afterSeq = ledger.postings.at(-1)?.seq ?? 0;
      const hus = [...ledger.hus];
      while (!run.killed && hus.length > 0) {
        const hu = hus.splice(random.int(0, hus.length - 1), 1)[0];
        if (!hu) break;
        const splitMinor = random.int(1, Math.min(hu.quantityMinor - 1, SPLIT_CAP_MINOR[hu.material] ?? 1));
        const move: Move = hu.kind === 'machine'
          ? { command: 'returnHu', kind: 'return', input: { hu: hu.id, to: STORAGE, requestId: randomUUID() } }
          : random.next() < 0.5 && hu.quantityMinor > 1
            ? { command: 'transferHu', kind: 'transfer', input: { hu: hu.id, to: MACHINE, quantity: splitMinor / 10 ** hu.decimals, requestId: randomUUID() } }
            : { command: 'transferHu', kind: 'transfer', input: { hu: hu.id, to: MACHINE, requestId: randomUUID() } };
        run.inFlight++;
        const answer = await callApi(url, move.command, move.input, token);
        run.inFlight--;
        if (answer.status === 'lost') {
          unanswered.push({ what: 'move', move, afterSeq });
          return;
        }
        acknowledge(answer, move.input.requestId, `${move.command} ${JSON.stringify(move.input)}`);
      }
    };

    /** Start, log in, settle what lost its answer, verify; then post until the kill. */
    const cycle = async (kill: boolean, check: boolean) => {
      terminal = await startTerminalProcess(configFile);
      const { url } = terminal;
      const [operatorToken, handlerToken] = await Promise.all([login(url, 'B-0017', PINS.u17), login(url, 'B-0021', PINS.u21)]);
      await settleUnanswered(url, operatorToken, handlerToken, readLedger(database, MOVED_MATERIALS));
      const ledger = readLedger(database, MOVED_MATERIALS);
      verify(ledger);
      if (check) {
        const result = await runCheck(database);
        expect(result.code, why(`shopfloor check after ${stats.kills} kills: ${result.output}`)).toBe(0);
        stats.checks++;
      }
      if (!kill) return;
      const run = { killed: false, inFlight: 0 };
      const victim = terminal;
      const killed = new Promise<void>((resolve) => setTimeout(() => {
        run.killed = true;
        if (run.inFlight > 0) stats.killsInFlight++;
        resolve(victim.kill());
      }, random.int(0, MAX_KILL_DELAY_MS)));
      await Promise.all([operatorLoop(url, operatorToken, ledger, run), handlerLoop(url, handlerToken, ledger, run), killed]);
      stats.kills++;
    };

    for (let n = 0; n < KILLS; n++) await cycle(true, n % CHECK_EVERY === 0);
    await cycle(false, true);
    await terminal?.stop();
    const final = await runCheck(database);
    expect(final.code, why(`shopfloor check after a clean stop: ${final.output}`)).toBe(0);

    const postings = readLedger(database, []).postings.length;
    console.log(
      `terminal-crash: ${stats.kills} kills (${stats.killsInFlight} with a request in flight) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${acknowledged.size} postings acknowledged, ${postings} in the ledger; ${stats.lostConfirmations} confirmations lost their answer ` +
        `(${stats.lostCommitted} of them had been committed; the retry answered the same postingId); ` +
        `${stats.lostMoves} moves lost their answer (${stats.lostMovesCommitted} of them had been committed; the retry with the same requestId ` +
        `answered the same postingId); ${stats.checks + 1} checks passed`,
    );
    expect(stats.kills).toBe(KILLS);
    passed = true;
  }, 600_000);
});
