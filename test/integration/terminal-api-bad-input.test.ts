// Bad input for every command of the contract, generated from it (a command added later is covered
// by adding its sample input below): malformed JSON, wrong types, unknown and missing fields,
// hostile strings, deep nesting, huge bodies, wrong content types. Each is answered 4xx in the
// error shape of contracts §3, and nothing is written; the ledger still passes `shopfloor check`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonPath } from '../../src/api/json-path.js';
import { commandNames, terminalCommands, type CommandName } from '../../src/api/terminal-commands.js';
import { checkDatabase } from '../../src/store/check-database.js';
import { LidTerminal, STACK_TRACE, badges, expectRefusal, lidHu, type ApiAnswer } from '../fixtures/lid-terminal.js';

let t: LidTerminal;
let token: string;
/** The database after the setup: every bad request must leave it exactly so. */
let untouched: string;
/** Made in beforeAll: a posting to reverse and a backlog entry to resolve. The cases are built before, with these stand-ins. */
const made = { postingId: '', backlogId: '' };
const POSTING = 'posting-made-in-beforeAll';
const BACKLOG = 'backlog-made-in-beforeAll';

beforeAll(async () => {
  t = await LidTerminal.start();
  token = await t.login(badges.supervisor);
  // 6,000 lids need more rim base than the 1,500 m at the line: a posting and a backlog entry.
  const posted = await t.post('postConfirmation', token, { requestId: randomUUID(), order: '1000123', operation: '0010', good: 6000, scrap: 0 });
  made.postingId = (posted.body as { postingId: string }).postingId;
  made.backlogId = ((await t.post('listBacklog', token, {})).body as { entries: { id: string }[] }).entries[0]?.id ?? '';
  untouched = t.digest();
});
afterAll(async () => {
  await t?.close();
});

/** A valid input of each command (every optional field given), as the supervisor could send it; the cases below break it one way at a time. */
const samples: Record<CommandName, () => Record<string, unknown>> = {
  login: () => ({ badge: badges.supervisor, pin: '2468' }),
  logout: () => ({}),
  scan: () => ({ data: `]C100${lidHu(1)}`, source: 'serial:/dev/ttyACM0' }),
  listOrders: () => ({ workCenter: 'LID1' }),
  mountHu: () => ({ location: 'ML-LID1', hu: lidHu(8), scan: `]C100${lidHu(8)}` }),
  previewConfirmation: () => confirmation(),
  postConfirmation: () => ({ ...confirmation(), requestId: randomUUID() }),
  reversePosting: () => ({ postingId: POSTING, reason: 'posted on the wrong order' }),
  transferHu: () => ({ hu: lidHu(2), to: 'ML-LID1', quantity: 10, scan: 'LOC:ML-LID1' }),
  returnHu: () => ({ hu: lidHu(1), to: 'WH-A-01', scan: 'LOC:WH-A-01' }),
  trueUpHu: () => ({ hu: lidHu(13), remaining: 10, uom: 'KG' }),
  countLocation: () => ({ location: 'ML-LID1', counts: [{ material: 'INS-090', hu: lidHu(1), batch: 'I2609A', quantity: 19990 }] }),
  listBacklog: () => ({ location: 'ML-LID1' }),
  resolveBacklog: () => ({ id: BACKLOG, action: 'retry', hu: lidHu(8) }),
  listReplenishment: () => ({}),
  listAnomalies: () => ({ location: 'ML-LID1' }),
  getLocationStock: () => ({ location: 'ML-LID1' }),
  getVariance: () => ({ order: '1000123', location: 'ML-LID1', material: 'RIM-BASE-40', from: '2026-01-01T00:00:00Z', to: '2036-01-01T00:00:00Z' }),
  getGenealogy: () => ({ hu: lidHu(8), material: 'RIM-BASE-40' }),
  getHuLabel: () => ({ hu: lidHu(1), symbology: 'gs1-128' }),
  getSyncStatus: () => ({}),
  syncNow: () => ({}),
};

function confirmation() {
  return {
    order: '1000123', operation: '0010', good: 100, scrap: 1, scrapReason: 'SETUP', final: false, backflush: true, allowOverLimits: false,
    overrides: [{ component: 'RIM-BASE-40', line: 2, quantity: 30, lineScrap: 0.5 }], scan: 'ORD:1000123/0010',
  };
}

// Text a posting keeps as given (a reason, the raw scan, a batch found at a count): only its length is bad input; see 'free text'.
const KEPT_AS_GIVEN = new Set(['reason', 'scan', 'batch']);

const hostileStrings: Record<string, string> = {
  'an SQL injection': "'; DROP TABLE posting; --",
  'a script tag': '<script>alert(1)</script>',
  'a NUL character': 'ML-LID1\u0000',
  '"__proto__"': '__proto__',
  'a lone surrogate': '\ud800',
  'right-to-left override and emoji': '\u202eLID1\u{1F600}',
};
const TEN_KB = 'x'.repeat(10 * 1024);
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

type Path = (string | number)[];
interface Case {
  name: CommandName;
  what: string;
  input?: unknown;
  raw?: string;
  contentType?: string | null;
  status: number;
  code?: string;
  /** A command that writes nothing may answer a strange but well-formed question (an empty list); it must still be the contract's result. */
  queryMayAnswer?: boolean;
  /** The problem must be reported at this JSON path. */
  at?: string;
}

/** Every path to a value that is not an object or array (into the first element of arrays), and every object's path. */
function walk(value: unknown, path: Path = [], out = { leaves: [] as Path[], objects: [] as Path[] }) {
  if (Array.isArray(value)) {
    if (value.length > 0) walk(value[0], [...path, 0], out);
  } else if (typeof value === 'object' && value !== null) {
    out.objects.push(path);
    for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key], out);
  } else {
    out.leaves.push(path);
  }
  return out;
}

const REMOVE = Symbol('remove');
function change(value: unknown, path: Path, to: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let at = copy;
  for (const segment of path.slice(0, -1)) at = at[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (to === REMOVE) delete at[last];
  else at[last] = to;
  return copy;
}
const get = (value: unknown, path: Path): unknown => path.reduce<unknown>((v, s) => (v as Record<string | number, unknown>)[s], value);
const wrongType = (value: unknown): unknown[] => (typeof value === 'string' ? [42, { $gt: '' }] : typeof value === 'number' ? ['12', true] : ['true', 1]);

function casesOf(name: CommandName): Case[] {
  const sample = samples[name]();
  const body = JSON.stringify(sample);
  const withKey = (raw: string) => (body === '{}' ? `{${raw}}` : `{${raw},${body.slice(1)}`);
  const posts = 'posts' in terminalCommands[name];
  const invalid = (what: string, input: unknown, at?: string): Case => ({ name, what, input, status: 400, code: 'invalid-input', ...(at === undefined ? {} : { at }) });
  const cases: Case[] = [
    ...['{"', '{"a":1,}', "{'badge':1}", 'undefined', '{}}', 'NaN'].map((raw) => ({ name, what: `malformed JSON ${raw}`, raw, status: 400, code: 'invalid-json' })),
    ...['[]', '"text"', '42', 'true', 'null'].map((raw) => ({ name, what: `a body of ${raw}`, raw, status: 400, code: 'invalid-input' })),
    { name, what: 'a __proto__ key', raw: withKey('"__proto__":{"polluted":true}'), status: 400, code: 'invalid-json' },
    { name, what: 'a constructor.prototype key', raw: withKey('"constructor":{"prototype":{"polluted":true}}'), status: 400, code: 'invalid-json' },
    { name, what: 'a constructor key', raw: withKey('"constructor":{"name":"x"}'), status: 400, code: 'invalid-input', at: '$.constructor' },
    { name, what: 'arrays nested 20,000 deep', raw: withKey(`"deep":${deepArray(20_000)}`), status: 400, code: 'invalid-input' },
    { name, what: 'objects nested 20,000 deep', raw: withKey(`"deep":${deepObject(20_000)}`), status: 400, code: 'invalid-input' },
    { name, what: 'a 2 MB body', input: { ...sample, padding: 'x'.repeat(2 * 1024 * 1024) }, status: 413, code: 'too-large' },
    ...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', null].map((contentType) => ({
      name, what: `content-type ${contentType ?? 'missing'}`, raw: body, contentType, status: 415, code: 'unsupported-media-type',
    })),
  ];
  const { leaves, objects } = walk(sample);
  for (const path of objects) cases.push(invalid(`an unknown field at ${jsonPath(path)}`, change(sample, [...path, 'unexpected'], 1), jsonPath([...path, 'unexpected'])));
  for (const path of leaves) {
    const field = jsonPath(path);
    const value = get(sample, path);
    for (const wrong of [...wrongType(value), null]) cases.push(invalid(`${field} as ${JSON.stringify(wrong)}`, change(sample, path, wrong), field));
    if (!terminalCommands[name].input.safeParse(change(sample, path, REMOVE)).success) cases.push(invalid(`${field} missing`, change(sample, path, REMOVE)));
    if (typeof value === 'number') {
      for (const number of [-1, 1e308, 0.000001]) cases.push({ name, what: `${field} as ${number}`, input: change(sample, path, number), status: 400, queryMayAnswer: !posts });
    }
    if (typeof value !== 'string') continue;
    cases.push(invalid(`${field} of 10 KB`, change(sample, path, TEN_KB), field));
    const deep = JSON.stringify(change(sample, path, 'DEEP')).replace('"DEEP"', deepArray(5_000));
    cases.push({ name, what: `${field} as arrays nested 5,000 deep`, raw: deep, status: 400, code: 'invalid-input', at: field });
    if (posts && KEPT_AS_GIVEN.has(String(path[path.length - 1]))) continue;
    for (const [what, hostile] of Object.entries(hostileStrings)) {
      cases.push({ name, what: `${field} as ${what}`, input: change(sample, path, hostile), status: 400, queryMayAnswer: !posts });
    }
  }
  return cases;
}

const allCases = commandNames.flatMap(casesOf);

async function send(c: Case): Promise<ApiAnswer> {
  const raw = (c.raw ?? JSON.stringify(c.input)).replaceAll(POSTING, made.postingId).replaceAll(BACKLOG, made.backlogId);
  return t.post(c.name, c.name === 'login' ? null : token, undefined, { raw, ...(c.contentType === undefined ? {} : { contentType: c.contentType }) });
}

describe('bad input', () => {
  it('starts from samples that are valid, so each case is bad in exactly the way it says', async () => {
    for (const name of commandNames) expect({ name, ok: terminalCommands[name].input.safeParse(samples[name]()).success }).toEqual({ name, ok: true });
    // Those that write nothing are answered as they stand (logout would end the session; syncNow has no central here).
    for (const name of commandNames.filter((n) => !('posts' in terminalCommands[n]) && n !== 'logout' && n !== 'syncNow')) {
      expect({ name, status: (await send({ name, what: 'the sample', input: samples[name](), status: 200 })).status }).toEqual({ name, status: 200 });
    }
    expect(t.digest()).toBe(untouched);
  });

  it.each(allCases.map((c) => [`${c.name}: ${c.what}`, c] as const))('%s', async (_, c) => {
    const answer = await send(c);
    if (c.queryMayAnswer && answer.status === 200) {
      terminalCommands[c.name].result.parse(answer.body);
      expect(answer.text).not.toMatch(STACK_TRACE);
    } else if (c.code === undefined) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expectRefusal(answer, answer.status < 500 ? answer.status : 400);
    } else {
      const error = expectRefusal(answer, c.status, c.code);
      if (c.at !== undefined) expect(error.message).toContain(`${c.at}: `);
    }
    expect(t.digest()).toBe(untouched);
    // A bad request never ends the session it came with.
    expect(t.running.service.isLive(token)).toBe(true);
  });

  it('leaves the ledger and the stock whole: shopfloor check passes, nothing was polluted', () => {
    expect(checkDatabase(t.db)).toMatchObject({ ok: true, problems: [], postings: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('free text', () => {
  it('keeps a hostile reason and raw scan exactly as written, and the ledger still checks', async () => {
    const hostile = Object.values(hostileStrings).join(' ');
    expect((await t.post('mountHu', token, { location: 'ML-LID1', hu: lidHu(13), scan: hostile })).status).toBe(200);
    expect((await t.post('reversePosting', token, { postingId: made.postingId, reason: hostile })).status).toBe(200);
    const bodies = (t.db.prepare('SELECT body FROM posting ORDER BY seq').pluck().all() as string[]).map((b) => JSON.parse(b) as Record<string, unknown>);
    expect(JSON.stringify(bodies.slice(-2))).toContain(JSON.stringify(hostile).slice(1, -1));
    expect(checkDatabase(t.db)).toMatchObject({ ok: true, problems: [], postings: 3 });
  });
});

describe('hostile headers', () => {
  it('answers a 20 KB bearer token with 4xx in the error shape', async () => {
    const answer = await fetch(`${t.url}/api/listOrders`, { method: 'POST', headers: { authorization: `Bearer ${'x'.repeat(20_000)}`, 'content-type': 'application/json' }, body: '{}' });
    expect({ status: answer.status, body: await answer.json() }).toEqual({
      status: 431, body: { error: { code: 'headers-too-large', message: 'The request headers are too large.' } },
    });
  });

  it('refuses a token that is not a live session on the event stream', async () => {
    const answer = await fetch(`${t.url}/api/events?token=${encodeURIComponent("'; DROP TABLE posting; --")}`);
    expectRefusal({ status: answer.status, headers: answer.headers, text: await answer.clone().text(), body: await answer.json() }, 401, 'not-logged-in');
  });
});
