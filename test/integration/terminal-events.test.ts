// What the screens see on GET /api/events, with a HID POS scanner (fake backend) at lid line 1
// and a central: a badge scanned at the login screen asks for the PIN, a logged-in screen sees
// its scans and stock changes, and a stream without a live session sees nothing private.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSscc } from '../../src/domain/sscc.js';
import { FakeHidBackend, type FakeHidDevice } from '../../src/devices/fake-hid-backend.js';
import { EventStream } from '../fixtures/event-stream.js';
import { FakeCentral } from '../fixtures/fake-central.js';
import { LidTerminal, badges, expectRefusal, lidHu } from '../fixtures/lid-terminal.js';

const SCANNER = { vendorId: 0x0c2e, productId: 0x0901 };
const PUBLIC = ['login-requested', 'sync-status', 'scanner-status'];

const central = new FakeCentral();
const hid = new FakeHidBackend();
let t: LidTerminal;
let scanner: FakeHidDevice;
const streams: EventStream[] = [];

beforeAll(async () => {
  const url = await central.start();
  t = await LidTerminal.start(
    { central: { url, token: central.token }, scanners: [{ type: 'hidpos', ...SCANNER, location: 'ML-LID1' }] },
    { devices: { hidBackend: hid, hidPollIntervalMs: 10 } },
  );
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await t?.close();
  await central.stop();
});

async function open(token: string | null = null): Promise<EventStream> {
  const stream = await EventStream.open(t.url, token);
  streams.push(stream);
  return stream;
}

describe('a shift at the scanner, as the screens see it', () => {
  let loginScreen: EventStream;
  let operatorScreen: EventStream;
  let operator: string;

  it('tells the login screen that the scanner is there, and who scanned a badge', async () => {
    loginScreen = await open();
    expect(loginScreen.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(loginScreen.headers.get('content-security-policy')).toContain("default-src 'self'");
    scanner = hid.plug(SCANNER);
    expect((await loginScreen.next('scanner-status', (e) => e['state'] === 'connected')).data).toMatchObject({ source: 'hidpos:0c2e:0901', location: 'ML-LID1' });

    scanner.scan(']C0', 'BADGE:B-0017');
    expect((await loginScreen.next('login-requested')).data).toMatchObject({ badge: 'B-0017', name: 'Anna Keller', source: 'hidpos:0c2e:0901' });
  });

  it('after the PIN, shows the operator each scan with what it names', async () => {
    operator = await t.login(badges.operator);
    operatorScreen = await open(operator);
    scanner.scan(']C1', `00${lidHu(8)}`);
    const { data } = await operatorScreen.next('scan');
    expect(data).toMatchObject({
      source: 'hidpos:0c2e:0901', location: 'ML-LID1',
      result: { kind: 'hu', entity: { type: 'hu', hu: { id: lidHu(8), material: 'RIM-BASE-40', quantity: 1500, uom: 'M', location: 'ML-LID1' } } },
    });
    // With someone logged in, a badge is a scan like any other, not a new login.
    scanner.scan(']C0', 'BADGE:B-0021');
    expect((await operatorScreen.next('scan', (e) => (e['result'] as { kind: string }).kind === 'badge')).data).toMatchObject({
      result: { entity: { type: 'badge', user: { id: 'u21', name: 'Jonas Weber' } } },
    });
  });

  it('tells the logged-in screen about a posting, and everyone about the sync that follows', async () => {
    const posted = await t.post('postConfirmation', operator, { requestId: randomUUID(), order: '1000123', operation: '0010', good: 100, scrap: 0 });
    const { postingId } = posted.body as { postingId: string };
    expect((await operatorScreen.next('stock-changed', (e) => e['postingId'] === postingId)).data).toMatchObject({ command: 'postConfirmation' });
    expect((await loginScreen.next('sync-status', (e) => (e['status'] as { lastPushAt: unknown }).lastPushAt !== null)).data).toMatchObject({
      status: { online: true },
    });
  });

  it('never shows the login screen a scan, a stock change or anything else private', async () => {
    hid.unplug(scanner);
    await loginScreen.next('scanner-status', (e) => e['state'] === 'disconnected');
    expect(new Set(loginScreen.types())).toEqual(new Set(PUBLIC));
    expect(new Set(operatorScreen.types())).toEqual(new Set(['scan', 'stock-changed', 'sync-status', 'scanner-status']));
  });

  it('stops private events to a screen whose user logged out', async () => {
    expect((await t.post('logout', operator, {})).status).toBe(200);
    const supervisor = await t.login(badges.supervisor);
    await t.post('mountHu', supervisor, { location: 'ML-LID1', hu: lidHu(13) });
    // The stream opened after the first plug-in: this is the first 'connected' it sees, and it comes after the mount.
    scanner = hid.plug(SCANNER);
    await operatorScreen.next('scanner-status', (e) => e['state'] === 'connected');
    expect(operatorScreen.types().filter((type) => type === 'stock-changed')).toHaveLength(1);
  });
});

describe('the event stream and the scan command', () => {
  it('answers 401 to a token that is no live session, in the header or the query', async () => {
    for (const init of [{ path: '/api/events?token=not-a-token', headers: {} }, { path: '/api/events', headers: { authorization: 'Bearer not-a-token' } }]) {
      const answer = await fetch(`${t.url}${init.path}`, { headers: init.headers });
      const text = await answer.text();
      expectRefusal({ status: answer.status, headers: answer.headers, text, body: JSON.parse(text) }, 401, 'not-logged-in');
    }
  });

  it('forgets a screen that went away: no listener is left behind', async () => {
    const listeners = () => t.running.service.listenerCount('event');
    const before = listeners();
    const screens = await Promise.all([open(), open(), open()]);
    expect(listeners()).toBe(before + 3);
    for (const screen of screens) screen.close();
    while (listeners() > before) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it('says what a scan names, and in words what it does not know', async () => {
    const token = await t.login(badges.materialHandler);
    const scan = async (data: string) => (await t.post('scan', token, { data })).body;
    expect(await scan('LOC:ML-LID1')).toMatchObject({ kind: 'location', entity: { type: 'location', location: { id: 'ML-LID1', kind: 'machine', workCenter: 'LID1' } } });
    expect(await scan('PALLET-0815')).toMatchObject({
      kind: 'unknown', notFound: 'This label names nothing this terminal knows: no HU, location, order, badge or material.',
    });
    const unknownHu = makeSscc('4012345', 3_000_000_999);
    expect(await scan(`]C100${unknownHu}`)).toMatchObject({ kind: 'hu', notFound: `HU ${unknownHu} is not known at this terminal.` });
    expect(await scan('LOC:ML-LID9')).toMatchObject({ kind: 'location', notFound: 'Location ML-LID9 is not known at this terminal.' });
    expect(await scan('BADGE:B-9999')).toMatchObject({ kind: 'badge', notFound: 'This badge belongs to nobody at this terminal.' });
  });
});
