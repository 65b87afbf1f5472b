// Badge + PIN logins on a real terminal database (the test plant's users, PIN 2580 as a scrypt
// hash), lockout after wrong PINs and logout after inactivity, on an injected clock.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aPlant, type TestTerminal } from '../../test/fixtures/test-plant.js';
import { Sessions } from './sessions.js';

const PIN = '2580';
const MINUTE = 60_000;
// The stored hash names its own cost: a low one keeps the 60-odd logins here fast; production's is tested in pin-hash.test.ts.
const salt = randomBytes(16);
const cheapPinHash = `scrypt$1024$8$1$${salt.toString('base64')}$${scryptSync(PIN, salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64')}`;

let terminal: TestTerminal;
let now: number;
let sessions: Sessions;
const wait = (ms: number) => void (now += ms);

beforeEach(() => {
  const plant = aPlant();
  for (const user of plant.doc.users) user.pinHash = cheapPinHash;
  terminal = plant.open();
  now = Date.parse('2026-11-21T06:00:00Z');
  sessions = new Sessions({ clock: () => now });
});
afterEach(() => terminal.close());

const login = (badge: string, pin: string) => sessions.login(terminal.db, badge, pin);

async function loginOk(badge: string) {
  const result = await login(badge, PIN);
  if (!result.ok) throw new Error(`login refused: ${result.error.message}`);
  return result.value;
}

async function wrongPins(badge: string, count: number) {
  for (let i = 0; i < count; i++) await login(badge, '9999');
}

describe('login', () => {
  it('answers a token and the user with roles and language for the right badge and PIN', async () => {
    const { token, user, expiresAfterIdleMs } = await loginOk('B-1');
    expect(user).toEqual({ id: 'op', name: 'Olga Operator', roles: ['operator'], language: 'en' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAfterIdleMs).toBe(10 * MINUTE);
    expect(sessions.authenticate(token)).toMatchObject({ ok: true, value: { actor: { userId: 'op', roles: ['operator'] } } });
  });

  it('gives every login its own token', async () => {
    const first = await loginOk('B-3');
    const second = await loginOk('B-3');
    expect(first.token).not.toBe(second.token);
    sessions.logout(first.token);
    expect(sessions.authenticate(first.token)).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    expect(sessions.authenticate(second.token).ok).toBe(true);
  });

  it('refuses a wrong PIN with 401 wrong-pin and the tries left', async () => {
    const first = await login('B-1', '1111');
    expect(first).toEqual({
      ok: false,
      error: {
        status: 401, code: 'wrong-pin', details: { attemptsLeft: 4 },
        message: 'The badge or PIN is not right. 4 tries left before the badge is locked for 5 minutes.',
      },
    });
    await wrongPins('B-1', 2);
    const fourth = await login('B-1', '1111');
    expect(fourth).toMatchObject({ ok: false, error: { code: 'wrong-pin', details: { attemptsLeft: 1 } } });
    expect(!fourth.ok && fourth.error.message).toContain('1 try left');
  });

  it('answers an unknown badge exactly like a wrong PIN, so badges cannot be guessed', async () => {
    const unknown = await login('B-404', PIN);
    const wrong = await login('B-1', '1111');
    expect(unknown).toEqual(wrong);
  });

  it('starts the count again after a right PIN', async () => {
    await wrongPins('B-1', 4);
    await loginOk('B-1');
    expect(await login('B-1', '1111')).toMatchObject({ ok: false, error: { code: 'wrong-pin', details: { attemptsLeft: 4 } } });
  });
});

describe('lockout', () => {
  it('locks a badge after 5 wrong PINs for 5 minutes, even against the right PIN, and says so', async () => {
    await wrongPins('B-1', 4);
    const fifth = await login('B-1', '1111');
    expect(fifth).toEqual({
      ok: false,
      error: {
        status: 401, code: 'badge-locked',
        message: 'Badge B-1 is locked after 5 wrong PINs. Try again in 5 minutes or ask a supervisor.',
        details: { lockedUntil: '2026-11-21T06:05:00.000Z', retryAfterSeconds: 300 },
      },
    });
    wait(2 * MINUTE);
    expect(await login('B-1', PIN)).toMatchObject({ ok: false, error: { status: 401, code: 'badge-locked', details: { retryAfterSeconds: 180 } } });
    // Another badge is not affected.
    expect((await login('B-2', PIN)).ok).toBe(true);
  });

  it('counts the last minute as "1 minute" and unlocks once the 5 minutes are over', async () => {
    await wrongPins('B-1', 5);
    wait(5 * MINUTE - 10_000);
    const almost = await login('B-1', PIN);
    expect(almost).toMatchObject({ ok: false, error: { code: 'badge-locked', details: { retryAfterSeconds: 10 } } });
    expect(!almost.ok && almost.error.message).toContain('Try again in 1 minute or ask a supervisor.');
    wait(10_000);
    expect((await loginOk('B-1')).user.id).toBe('op');
  });

  it('gives a full 5 tries again after a lock ran out', async () => {
    await wrongPins('B-1', 5);
    wait(5 * MINUTE);
    expect(await login('B-1', '1111')).toMatchObject({ ok: false, error: { code: 'wrong-pin', details: { attemptsLeft: 4 } } });
  });

  it('follows the configured limits and says them in words', async () => {
    sessions = new Sessions({ clock: () => now, maxWrongPins: 2, lockMs: MINUTE, inactivityMs: MINUTE });
    const first = await login('B-1', '1111');
    expect(!first.ok && first.error.message).toBe('The badge or PIN is not right. 1 try left before the badge is locked for 1 minute.');
    expect(await login('B-1', '1111')).toMatchObject({ ok: false, error: { code: 'badge-locked', details: { retryAfterSeconds: 60 } } });
    wait(MINUTE);
    const { token } = await loginOk('B-1');
    wait(MINUTE + 1);
    const expired = sessions.authenticate(token);
    expect(!expired.ok && expired.error.message).toBe('You were logged out after 1 minute without activity: log in again.');
  });

  it('locks an unknown badge like a known one', async () => {
    await wrongPins('B-404', 4);
    expect(await login('B-404', PIN)).toMatchObject({ ok: false, error: { status: 401, code: 'badge-locked' } });
  });
});

describe('inactivity', () => {
  it('keeps a session alive while it is used and ends it 10 minutes after the last command', async () => {
    const { token } = await loginOk('B-1');
    for (let i = 0; i < 3; i++) {
      wait(9 * MINUTE);
      expect(sessions.authenticate(token).ok).toBe(true);
    }
    wait(10 * MINUTE + 1);
    expect(sessions.authenticate(token)).toEqual({
      ok: false,
      error: { status: 401, code: 'session-expired', message: 'You were logged out after 10 minutes without activity: log in again.' },
    });
    // The session is gone, not only late.
    expect(sessions.authenticate(token)).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
  });

  it('does not count the event stream asking isLive as activity', async () => {
    const { token } = await loginOk('B-1');
    wait(6 * MINUTE);
    expect(sessions.isLive(token)).toBe(true);
    wait(6 * MINUTE);
    expect(sessions.isLive(token)).toBe(false);
  });

  it('expireIdle ends the idle sessions and returns their users, leaving the active ones', async () => {
    const idle = await loginOk('B-1');
    wait(5 * MINUTE);
    const active = await loginOk('B-3');
    wait(5 * MINUTE + 1);
    expect(sessions.expireIdle()).toEqual([idle.user]);
    expect(sessions.expireIdle()).toEqual([]);
    expect(sessions.anyoneLoggedIn()).toBe(true);
    expect(sessions.authenticate(idle.token)).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
    wait(10 * MINUTE + 1);
    expect(sessions.anyoneLoggedIn()).toBe(false);
    expect(sessions.authenticate(active.token)).toMatchObject({ ok: false, error: { code: 'not-logged-in' } });
  });

  it('asks for a login when there is no token', () => {
    expect(sessions.authenticate(null)).toEqual({ ok: false, error: { status: 401, code: 'not-logged-in', message: 'Log in with your badge and PIN first.' } });
  });
});
