// Who is at the terminal: badge + PIN logins, session tokens, lockout after wrong PINs, logout
// after inactivity. Tokens are kept only as SHA-256 hashes; the clock is injected for tests.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { LoginResult, SessionUser } from '../api/command-results.js';
import type { Actor, Role } from '../domain/types.js';
import { hashPin, verifyPinAsync } from '../store/pin-hash.js';
import { prepared } from '../store/prepared.js';
import { refuse, type CommandResult } from './command-result.js';

export interface SessionOptions {
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Logged out after this long without a command; default 10 minutes. */
  inactivityMs?: number;
  /** Wrong PINs in a row that lock a badge; default 5. */
  maxWrongPins?: number;
  /** How long a badge stays locked; default 5 minutes. */
  lockMs?: number;
}

export interface Session {
  user: SessionUser;
  actor: Actor;
  lastActivity: number;
}

interface BadgeFailures {
  wrong: number;
  lockedUntil: number;
}

const minutes = (ms: number) => Math.round(ms / 60_000);
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
// An unknown badge costs the same scrypt as a known one: the answer time does not tell which badges exist.
let noSuchUserHash: string | undefined;
const noSuchUser = () => (noSuchUserHash ??= hashPin('000000'));

export class Sessions {
  readonly inactivityMs: number;
  private readonly clock: () => number;
  private readonly maxWrongPins: number;
  private readonly lockMs: number;
  private readonly byTokenHash = new Map<string, Session>();
  private readonly failures = new Map<string, BadgeFailures>();

  constructor(options: SessionOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.inactivityMs = options.inactivityMs ?? 10 * 60_000;
    this.maxWrongPins = options.maxWrongPins ?? 5;
    this.lockMs = options.lockMs ?? 5 * 60_000;
  }

  async login(db: Database, badge: string, pin: string): Promise<CommandResult<LoginResult>> {
    const locked = this.lockedUntil(badge);
    if (locked !== null) return this.lockedRefusal(badge, locked);
    const row = prepared(db, 'SELECT id, name, pin_hash, roles, language FROM app_user WHERE badge = ?').get(badge) as
      | { id: string; name: string; pin_hash: string; roles: string; language: string }
      | undefined;
    if (!row && !prepared(db, 'SELECT 1 FROM app_user LIMIT 1').get()) {
      return refuse({ code: 'master-data-missing', message: 'This terminal has no users yet: it loads them from the central as soon as it is online.' });
    }
    const right = await verifyPinAsync(pin, row?.pin_hash ?? noSuchUser());
    // A lock may have started while scrypt ran (parallel attempts): it still holds.
    const lockedMeanwhile = this.lockedUntil(badge);
    if (lockedMeanwhile !== null) return this.lockedRefusal(badge, lockedMeanwhile);
    if (!row || !right) return this.wrongPin(badge);

    this.failures.delete(badge);
    const token = randomBytes(32).toString('base64url');
    const roles = JSON.parse(row.roles) as Role[];
    const user: SessionUser = { id: row.id, name: row.name, roles, language: row.language };
    this.byTokenHash.set(hashToken(token), { user, actor: { userId: row.id, roles }, lastActivity: this.clock() });
    return { ok: true, value: { token, user, expiresAfterIdleMs: this.inactivityMs } };
  }

  /** The session of a token, its inactivity timer restarted; refused when there is none or it timed out. */
  authenticate(token: string | null): CommandResult<Session> {
    if (!token) return refuse({ code: 'not-logged-in', message: 'Log in with your badge and PIN first.' });
    const key = hashToken(token);
    const session = this.byTokenHash.get(key);
    if (!session) return refuse({ code: 'not-logged-in', message: 'This session has ended: log in with your badge and PIN.' });
    const now = this.clock();
    if (now - session.lastActivity > this.inactivityMs) {
      this.byTokenHash.delete(key);
      return refuse({
        code: 'session-expired',
        message: `You were logged out after ${plural(minutes(this.inactivityMs), 'minute')} without activity: log in again.`,
      });
    }
    session.lastActivity = now;
    return { ok: true, value: session };
  }

  /** Whether a token names a live session, without counting as activity (the event stream asks this). */
  isLive(token: string): boolean {
    const session = this.byTokenHash.get(hashToken(token));
    return session !== undefined && this.clock() - session.lastActivity <= this.inactivityMs;
  }

  logout(token: string): void {
    this.byTokenHash.delete(hashToken(token));
  }

  /** Ends the sessions idle too long; returns the users logged out. */
  expireIdle(): SessionUser[] {
    const now = this.clock();
    const ended: SessionUser[] = [];
    for (const [key, session] of this.byTokenHash) {
      if (now - session.lastActivity <= this.inactivityMs) continue;
      this.byTokenHash.delete(key);
      ended.push(session.user);
    }
    return ended;
  }

  /** Somebody is logged in (a badge scan then is a scan, not a login). */
  anyoneLoggedIn(): boolean {
    this.expireIdle();
    return this.byTokenHash.size > 0;
  }

  private lockedUntil(badge: string): number | null {
    const failures = this.failures.get(badge);
    if (!failures || failures.lockedUntil <= this.clock()) return null;
    return failures.lockedUntil;
  }

  private lockedRefusal(badge: string, until: number) {
    const waitMs = until - this.clock();
    return refuse({
      code: 'badge-locked',
      message: `Badge ${badge} is locked after ${this.maxWrongPins} wrong PINs. Try again in ${plural(Math.max(1, Math.ceil(waitMs / 60_000)), 'minute')} or ask a supervisor.`,
      details: { lockedUntil: new Date(until).toISOString(), retryAfterSeconds: Math.ceil(waitMs / 1000) },
    });
  }

  private wrongPin(badge: string) {
    const previous = this.failures.get(badge);
    // After a lock has run out, the count starts again.
    const wrong = (previous && previous.lockedUntil === 0 ? previous.wrong : 0) + 1;
    if (wrong >= this.maxWrongPins) {
      const until = this.clock() + this.lockMs;
      this.failures.set(badge, { wrong, lockedUntil: until });
      return this.lockedRefusal(badge, until);
    }
    this.failures.set(badge, { wrong, lockedUntil: 0 });
    const left = this.maxWrongPins - wrong;
    return refuse({
      code: 'wrong-pin',
      message: `The badge or PIN is not right. ${left} ${left === 1 ? 'try' : 'tries'} left before the badge is locked for ${plural(minutes(this.lockMs), 'minute')}.`,
      details: { attemptsLeft: left },
    });
  }
}
