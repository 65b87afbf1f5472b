// Every command of the terminal API over a real socket, as the browser calls it: a shift at lid
// line 1 where each command answers 200 with the contract's result, every role product.md
// excludes is refused, no session is 401, and no answer carries a stack trace.
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, terminalCommands, type CommandName } from '../../src/api/terminal-commands.js';
import { buildTerminalHttp, type TerminalApiBackend } from '../../src/api/terminal-http.js';
import type { Role } from '../../src/domain/types.js';
import { checkDatabase } from '../../src/store/check-database.js';
import { FakeCentral } from '../fixtures/fake-central.js';
import { LidTerminal, PIN, STACK_TRACE, badges, expectRefusal, lidHu, type DemoRole } from '../fixtures/lid-terminal.js';

const central = new FakeCentral();
let t: LidTerminal;
const tokens = {} as Record<DemoRole, string>;
/** Everything the terminal logs, at every level. */
const logLines: string[] = [];

beforeAll(async () => {
  const url = await central.start();
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  t = await LidTerminal.start({ central: { url, token: central.token } }, { logger });
  for (const role of Object.keys(badges) as DemoRole[]) tokens[role] = await t.login(badges[role]);
});
afterAll(async () => {
  await t?.close();
  await central.stop();
});

/** Calls a command as a demo user; the answer must be 200 and parse with the command's result schema. */
const call = (name: CommandName, as: DemoRole | null, input: unknown) => callWith(name, as === null ? null : tokens[as], input);

async function callWith(name: CommandName, token: string | null, input: unknown): Promise<Record<string, unknown>> {
  const answer = await t.post(name, token, input);
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200 });
  expect(answer.text).not.toMatch(STACK_TRACE);
  return terminalCommands[name].result.parse(answer.body);
}

const stockAt = async (location: string) => (await call('getLocationStock', 'operator', { location })).rows as { material: string; hu: string | null; quantity: number }[];
const huQuantity = async (location: string, hu: string) => (await stockAt(location)).find((r) => r.hu === hu)?.quantity;

/** What the shift remembers from one step to the next. */
const shift = { postingId: '', splitHu: '', backlogId: '', outputHu: '' };
const confirm = (input: Record<string, unknown>) => ({ requestId: randomUUID(), order: '1000123', operation: '0010', scrap: 0, ...input });

// In this order: each step works on the stock the steps before it left.
const happyPaths: Record<CommandName, () => Promise<void>> = {
  login: async () => {
    const result = await call('login', null, { badge: 'B-0030', pin: '2468' });
    expect(result.user).toEqual({ id: 'u30', name: 'Sofia Rossi', roles: ['supervisor', 'operator'], language: 'en' });
  },
  scan: async () => {
    const result = await call('scan', 'materialHandler', { data: `]C100${lidHu(1)}` });
    expect(result).toMatchObject({ kind: 'hu', entity: { type: 'hu', hu: { id: lidHu(1), material: 'INS-090', quantity: 20000, uom: 'PC', location: 'ML-LID1' } } });
  },
  listOrders: async () => {
    const { orders } = await call('listOrders', 'operator', { workCenter: 'LID1' }) as { orders: { id: string; operations: { confirmedGood: number }[] }[] };
    expect(orders.map((o) => o.id)).toEqual(['1000123', '1000124']);
    expect(orders[0]?.operations.map((op) => op.confirmedGood)).toEqual([0, 0]);
  },
  mountHu: async () => {
    const result = await call('mountHu', 'operator', { location: 'ML-LID1', hu: lidHu(8) });
    expect(result.hu).toMatchObject({ id: lidHu(8), location: 'ML-LID1', state: 'mounted' });
  },
  previewConfirmation: async () => {
    const before = t.digest();
    const { lines } = await call('previewConfirmation', 'operator', { order: '1000123', operation: '0010', good: 1000, scrap: 0 }) as { lines: unknown[] };
    expect(lines).toContainEqual(expect.objectContaining({ component: 'RIM-BASE-40', quantity: 295.8, uom: 'M', hu: lidHu(8) }));
    expect(t.digest()).toBe(before);
  },
  postConfirmation: async () => {
    const input = confirm({ good: 1000 });
    const result = await call('postConfirmation', 'operator', input);
    shift.postingId = result.postingId as string;
    expect(await huQuantity('ML-LID1', lidHu(8))).toBe(1204.2);
    // The same request id twice posts once.
    expect((await call('postConfirmation', 'operator', input)).postingId).toBe(shift.postingId);
    expect(await huQuantity('ML-LID1', lidHu(8))).toBe(1204.2);
  },
  reversePosting: async () => {
    const result = await call('reversePosting', 'supervisor', { postingId: shift.postingId, reason: 'posted on the wrong order' });
    expect(result.postingId).not.toBe(shift.postingId);
    expect(await huQuantity('ML-LID1', lidHu(8))).toBe(1500);
  },
  transferHu: async () => {
    const result = await call('transferHu', 'materialHandler', { hu: lidHu(2), to: 'ML-LID1', quantity: 5000 });
    expect(result).toMatchObject({ split: true, label: { svg: expect.stringMatching(/^<svg/) as unknown } });
    shift.splitHu = result.hu as string;
    expect(await huQuantity('ML-LID1', shift.splitHu)).toBe(5000);
    expect(await huQuantity('WH-A-01', lidHu(2))).toBe(55000);
  },
  returnHu: async () => {
    await call('returnHu', 'materialHandler', { hu: shift.splitHu, to: 'WH-A-01' });
    expect(await huQuantity('WH-A-01', shift.splitHu)).toBe(5000);
    expect(await huQuantity('ML-LID1', shift.splitHu)).toBeUndefined();
  },
  trueUpHu: async () => {
    const result = await call('trueUpHu', 'operator', { hu: lidHu(13), remaining: 1900 });
    // Book minus found: 100 m less than the books said.
    expect(result).toMatchObject({ difference: 100, uom: 'M', anomaly: true });
    expect(await huQuantity('ML-LID1', lidHu(13))).toBe(1900);
  },
  listAnomalies: async () => {
    const { entries } = await call('listAnomalies', 'supervisor', { location: 'ML-LID1' });
    expect(entries).toEqual([expect.objectContaining({ kind: 'true-up', hu: lidHu(13), material: 'RIM-LABEL-40', difference: 100 })]);
  },
  countLocation: async () => {
    const { differences } = await call('countLocation', 'supervisor', { location: 'TANK-1', counts: [{ material: 'ADH-HM', quantity: 175 }] });
    expect(differences).toEqual([expect.objectContaining({ material: 'ADH-HM', hu: null, book: 180, found: 175, uom: 'KG' })]);
  },
  getLocationStock: async () => {
    const { rows } = await call('getLocationStock', 'materialHandler', { location: 'TANK-1' });
    expect(rows).toEqual([{ material: 'ADH-HM', hu: null, batch: null, quantity: 175, uom: 'KG', mounted: false }]);
  },
  listBacklog: async () => {
    // 6,000 lids need 1,774.8 m of rim base; the mounted roll has 1,500 m.
    await call('postConfirmation', 'operator', confirm({ good: 6000 }));
    const { entries } = await call('listBacklog', 'operator', { location: 'ML-LID1' }) as { entries: { id: string }[] };
    expect(entries).toEqual([expect.objectContaining({ order: '1000123', operation: '0010', material: 'RIM-BASE-40', quantity: 274.8, uom: 'M' })]);
    shift.backlogId = entries[0]?.id ?? '';
  },
  resolveBacklog: async () => {
    const result = await call('resolveBacklog', 'supervisor', { id: shift.backlogId, action: 'writeOff' });
    expect(result).toMatchObject({ settled: 274.8, open: 0 });
    expect((await call('listBacklog', 'operator', {})).entries).toEqual([]);
  },
  listReplenishment: async () => {
    const { tasks } = await call('listReplenishment', 'materialHandler', {});
    expect(tasks).toContainEqual(expect.objectContaining({ location: 'ML-LID1', material: 'RIM-BASE-40', proposedHus: expect.arrayContaining([expect.objectContaining({ hu: lidHu(10) })]) as unknown }));
  },
  getVariance: async () => {
    const { rows } = await call('getVariance', 'supervisor', { order: '1000123' }) as { rows: Record<string, number>[] };
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row['actual']).toBeCloseTo((row['backflushed'] ?? 0) + (row['overridden'] ?? 0) + (row['lineScrap'] ?? 0) + (row['attributed'] ?? 0), 6);
      expect(row['variance']).toBeCloseTo((row['actual'] ?? 0) - (row['standard'] ?? 0), 6);
    }
  },
  getGenealogy: async () => {
    const posted = await call('postConfirmation', 'operator', confirm({ operation: '0020', good: 1000, final: true }));
    shift.outputHu = (posted.output as { hu: string }).hu;
    const { inputs } = await call('getGenealogy', 'materialHandler', { hu: shift.outputHu });
    expect(inputs).toContainEqual(expect.objectContaining({ hu: lidHu(1), material: 'INS-090' }));
  },
  getHuLabel: async () => {
    const result = await call('getHuLabel', 'operator', { hu: shift.outputHu });
    expect(result).toMatchObject({ hu: shift.outputHu, elementString: expect.stringContaining(`(00)${shift.outputHu}`) as unknown, svg: expect.stringMatching(/^<svg/) as unknown });
  },
  syncNow: async () => {
    await call('syncNow', 'operator', {});
    expect(central.received).toEqual(Array.from({ length: t.postingCount() }, (_, i) => i + 1));
  },
  getSyncStatus: async () => {
    const result = await call('getSyncStatus', 'materialHandler', {});
    expect(result).toMatchObject({ online: true, pending: 0, lastPushAt: expect.any(String) as unknown });
  },
  logout: async () => {
    const token = await t.login(badges.operator);
    expect(await callWith('logout', token, {})).toEqual({});
    expectRefusal(await t.post('listOrders', token, {}), 401, 'not-logged-in');
    // Only that session ended: the operator's other one goes on.
    await call('listOrders', 'operator', {});
  },
};

describe('the happy path of every command, over HTTP', () => {
  it.each(Object.keys(happyPaths) as CommandName[])('%s', async (name) => {
    await happyPaths[name]();
  });

  it('leaves a ledger that shopfloor check passes', () => {
    expect(checkDatabase(t.db)).toMatchObject({ ok: true, problems: [] });
  });
});

const OPERATE: readonly Role[] = ['operator', 'supervisor'];
const MOVE: readonly Role[] = ['materialHandler', 'supervisor'];
const SUPERVISE: readonly Role[] = ['supervisor'];

/** product.md "People and rights" (and the supervisor's reports); the rest is for anyone logged in. */
const rights: Record<CommandName, { may: 'public' | 'anyone' } | { may: readonly Role[]; refusal: string }> = {
  login: { may: 'public' },
  logout: { may: 'anyone' },
  scan: { may: 'anyone' },
  listOrders: { may: 'anyone' },
  mountHu: { may: OPERATE, refusal: 'Only an operator or supervisor may mount an HU.' },
  previewConfirmation: { may: OPERATE, refusal: 'Only an operator or supervisor may confirm production.' },
  postConfirmation: { may: OPERATE, refusal: 'Only an operator or supervisor may confirm production.' },
  reversePosting: { may: SUPERVISE, refusal: 'Only a supervisor may reverse a posting.' },
  transferHu: { may: MOVE, refusal: 'Only a material handler or supervisor may transfer stock.' },
  returnHu: { may: MOVE, refusal: 'Only a material handler or supervisor may return HUs.' },
  trueUpHu: { may: OPERATE, refusal: 'Only an operator or supervisor may true up an HU.' },
  countLocation: { may: SUPERVISE, refusal: 'Only a supervisor may count a location.' },
  listBacklog: { may: 'anyone' },
  resolveBacklog: { may: SUPERVISE, refusal: 'Only a supervisor may resolve backlog.' },
  listReplenishment: { may: 'anyone' },
  listAnomalies: { may: SUPERVISE, refusal: 'Only a supervisor may see anomalies.' },
  getLocationStock: { may: 'anyone' },
  getVariance: { may: SUPERVISE, refusal: 'Only a supervisor may see usage variance.' },
  getGenealogy: { may: 'anyone' },
  getHuLabel: { may: OPERATE, refusal: 'Only an operator or supervisor may print a label.' },
  getSyncStatus: { may: 'anyone' },
  syncNow: { may: 'anyone' },
};

// The demo users that hold exactly one role (the supervisor is an operator too, so refused nothing).
const singleRole = [['operator', 'operator'], ['materialHandler', 'materialHandler']] as const;
const refusals = commandNames.flatMap((name) => {
  const right = rights[name];
  if (!('refusal' in right)) return [];
  return singleRole.filter(([, role]) => !right.may.includes(role)).map(([user, role]) => ({ name, user, role, refusal: right.refusal }));
});

describe('rights', () => {
  it('the contract grants each command to the roles product.md names', () => {
    const granted = (name: CommandName) => {
      const access = terminalCommands[name].access;
      return typeof access === 'string' ? access : [...access].sort();
    };
    expect(Object.fromEntries(commandNames.map((name) => [name, granted(name)]))).toEqual(
      Object.fromEntries(commandNames.map((name) => {
        const { may } = rights[name];
        return [name, typeof may === 'string' ? may : [...may].sort()];
      })),
    );
  });

  it.each(refusals)('$name refuses the $role with 403 and says who may', async ({ name, user, refusal }) => {
    const before = t.digest();
    const error = expectRefusal(await t.post(name, tokens[user], {}), 403, 'forbidden');
    expect(error).toEqual({ code: 'forbidden', message: refusal, details: { rolesNeeded: terminalCommands[name].access } });
    expect(t.digest()).toBe(before);
  });

  it.each(commandNames.filter((name) => rights[name].may !== 'public'))('%s without a session answers 401 and asks for a login', async (name) => {
    const before = t.digest();
    const answer = await t.post(name, null, {});
    expect(expectRefusal(answer, 401, 'not-logged-in').message).toBe('Log in with your badge and PIN first.');
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expectRefusal(await t.post(name, 'not-a-session-token', {}), 401, 'not-logged-in');
    expect(t.digest()).toBe(before);
  });
});

describe('the HTTP surface', () => {
  const headersOf = (answer: { headers: Headers }) => ({
    csp: answer.headers.get('content-security-policy'),
    nosniff: answer.headers.get('x-content-type-options'),
    referrer: answer.headers.get('referrer-policy'),
  });
  const secure = { csp: expect.stringMatching(/default-src 'self'.*frame-ancestors 'none'/) as unknown, nosniff: 'nosniff', referrer: 'no-referrer' };

  it('sends the security headers with answers, refusals, pages and the health check', async () => {
    expect(headersOf(await t.post('listOrders', tokens.operator, {}))).toEqual(secure);
    expect(headersOf(await t.post('reversePosting', tokens.operator, {}))).toEqual(secure);
    expect(headersOf(await t.post('noSuchCommand', tokens.operator, {}))).toEqual(secure);
    for (const path of ['/', '/healthz']) expect(headersOf(await fetch(`${t.url}${path}`))).toEqual(secure);
  });

  it('answers the health check with the terminal id', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ ok: true, terminalId: 'T-LID1' });
  });

  it('names an unknown command or path with 404 in the error shape', async () => {
    expect(expectRefusal(await t.post('dropTables', tokens.supervisor, {}), 404, 'not-found').message).toBe('There is no POST /api/dropTables here.');
    const get = await fetch(`${t.url}/api/listOrders`, { headers: { authorization: `Bearer ${tokens.operator}` } });
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  it('answers a failure inside a command with 500 and a plain message, never the stack', async () => {
    const failing: TerminalApiBackend = {
      call: () => Promise.reject(new Error('SQLITE_CORRUPT at /work/main/src/store/ledger.ts:10:3')),
      on: () => undefined, off: () => undefined, isLive: () => false, isPublicEvent: () => true, terminalId: 'T-X',
    };
    const app = await buildTerminalHttp({ backend: failing, logger: pino({ level: 'silent' }) });
    try {
      const answer = await app.inject({ method: 'POST', url: '/api/listOrders', payload: {} });
      expect({ status: answer.statusCode, body: answer.json<unknown>() }).toEqual({
        status: 500, body: { error: { code: 'internal', message: 'The terminal failed to handle this request; the failure is logged.' } },
      });
      expect(answer.body).not.toMatch(STACK_TRACE);
    } finally {
      await app.close();
    }
  });
});

describe('logs', () => {
  it('hold no PIN and no session token, even for wrong PINs and event streams opened with ?token=', async () => {
    expect((await t.post('login', null, { badge: badges.operator, pin: '9753' })).status).toBe(401);
    const token = await t.login(badges.operator);
    const stream = await fetch(`${t.url}/api/events?token=${token}`);
    await stream.body?.cancel();
    const logged = logLines.join('');
    expect(logged).toContain('"msg":"login"');
    for (const secret of [...Object.values(tokens), token, `"${PIN}"`, '"9753"']) expect(logged).not.toContain(secret);
  });
});
