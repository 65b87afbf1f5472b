// The terminal's one entry point for every transport (HTTP in browser mode, IPC in Electron):
// session, then role, then input, then the command; afterwards the sync and the screens are told.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { isCommandName, terminalCommands, type CommandName, type CommandResultOf } from '../api/terminal-commands.js';
import type { DeviceStatusEvent, ScanEvent } from '../devices/device-manager.js';
import type { Actor } from '../domain/types.js';
import { requireRole } from './authorize.js';
import { commandHandlers, type HandlerEnv, type SyncControl } from './command-handlers.js';
import { parseInput, refuse, type CommandResult } from './command-result.js';
import { describeScan } from './describe-scan.js';
import type { Sessions } from './sessions.js';
import type { TerminalContext } from './terminal-context.js';
import { isPublicEvent, type TerminalEvent } from './terminal-events.js';

export interface TerminalServiceOptions {
  ctx: TerminalContext;
  sessions: Sessions;
  sync: SyncControl | null;
  logger: Logger;
}

export class TerminalService extends EventEmitter<{ event: [TerminalEvent] }> {
  private readonly ctx: TerminalContext;
  private readonly sessions: Sessions;
  private readonly sync: SyncControl | null;
  private readonly log: Logger;

  constructor(options: TerminalServiceOptions) {
    super();
    this.ctx = options.ctx;
    this.sessions = options.sessions;
    this.sync = options.sync;
    this.log = options.logger;
  }

  /** Runs a command by name for the holder of `token`; every refusal is a value with its HTTP status. */
  async call<K extends CommandName>(name: K, token: string | null, rawInput: unknown): Promise<CommandResult<CommandResultOf<K>>>;
  async call(name: string, token: string | null, rawInput: unknown): Promise<CommandResult<unknown>>;
  async call(name: string, token: string | null, rawInput: unknown): Promise<CommandResult<unknown>> {
    if (!isCommandName(name)) return refuse({ code: 'unknown-command', message: `There is no command "${name.slice(0, 100)}".` });
    const declaration = terminalCommands[name];
    let actor: Actor | null = null;
    if (declaration.access !== 'public') {
      const session = this.sessions.authenticate(token);
      if (!session.ok) return session;
      actor = session.value.actor;
      if (declaration.access !== 'anyone') {
        const refused = requireRole(actor, declaration.access, declaration.action);
        if (refused) return refused;
      }
    }
    // No body is no input; a body of null is not an object and is refused like any other.
    const input = parseInput(declaration.input, rawInput === undefined ? {} : rawInput);
    if (!input.ok) return input;
    const env: HandlerEnv = { ctx: this.ctx, actor, token, sessions: this.sessions, sync: this.sync };
    const handler = commandHandlers[name] as (env: HandlerEnv, input: unknown) => CommandResult<unknown> | Promise<CommandResult<unknown>>;
    const result = await handler(env, input.value);
    if (result.ok && 'posts' in declaration && declaration.posts) this.posted(name, result.value);
    if (name === 'login') this.log.info({ user: result.ok ? (result.value as { user: { id: string } }).user.id : null, ok: result.ok }, 'login');
    return result;
  }

  /** A scan from a scanner of this terminal: a badge while nobody is logged in starts a login, anything else goes to the screens. */
  receiveScan(event: ScanEvent): void {
    const result = describeScan(this.ctx, event.data);
    if (!this.sessions.anyoneLoggedIn()) {
      if (result.decoded.ok && result.kind === 'badge') {
        const badge = (result.decoded as { badge?: string }).badge ?? '';
        const name = result.entity?.type === 'badge' ? result.entity.user.name : null;
        this.publish({ type: 'login-requested', badge, name, source: event.source, at: event.receivedAt });
      }
      return;
    }
    this.publish({ type: 'scan', source: event.source, location: event.location, receivedAt: event.receivedAt, result });
  }

  receiveScannerStatus(event: DeviceStatusEvent): void {
    this.publish({ type: 'scanner-status', ...event });
  }

  /** Ends idle sessions and tells their screens; the service's owner calls this every few seconds. */
  expireIdleSessions(): void {
    for (const user of this.sessions.expireIdle()) this.publish({ type: 'session-ended', userId: user.id, reason: 'inactivity' });
  }

  get terminalId(): string {
    return this.ctx.terminalId;
  }

  isLive(token: string): boolean {
    return this.sessions.isLive(token);
  }

  isPublicEvent(event: TerminalEvent): boolean {
    return isPublicEvent(event);
  }

  publish(event: TerminalEvent): void {
    this.emit('event', event);
  }

  private posted(command: string, value: unknown): void {
    this.sync?.notifyPosted();
    const postingId = typeof value === 'object' && value !== null && typeof (value as { postingId?: unknown }).postingId === 'string'
      ? (value as { postingId: string }).postingId
      : null;
    this.publish({ type: 'stock-changed', command, postingId, at: this.ctx.now() });
  }
}
