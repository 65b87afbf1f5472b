// The terminal's command table: one handler per command of the contract (src/api/terminal-commands.ts),
// typed by it, so a command missing here or answering the wrong shape does not compile.
import type { CommandInput, CommandName, CommandOutput } from '../api/terminal-commands.js';
import type { Actor } from '../domain/types.js';
import type { SyncNowResult, SyncStatus } from '../sync/sync-status.js';
import { refuse, type CommandResult } from './command-result.js';
import { countLocation } from './count-location.js';
import { scan } from './describe-scan.js';
import { getGenealogy } from './get-genealogy.js';
import { getLocationStock } from './get-location-stock.js';
import { getVariance } from './get-variance.js';
import { listAnomalies } from './list-anomalies.js';
import { listBacklog } from './list-backlog.js';
import { listOrders } from './list-orders.js';
import { listReplenishment } from './list-replenishment.js';
import { mountHu } from './mount-hu.js';
import { postConfirmation } from './post-confirmation.js';
import { previewConfirmation } from './preview-confirmation.js';
import { renderHuLabel } from './render-hu-label.js';
import { resolveBacklog } from './resolve-backlog.js';
import { returnHu } from './return-hu.js';
import { reversePosting } from './reverse-posting.js';
import type { Sessions } from './sessions.js';
import type { TerminalContext } from './terminal-context.js';
import { transferHu } from './transfer-hu.js';
import { trueUpHu } from './true-up-hu.js';

/** The terminal's side of the sync as the commands see it (SyncHandle, or null without a central). */
export interface SyncControl {
  status(): SyncStatus;
  syncNow(): Promise<SyncNowResult>;
  notifyPosted(): void;
}

export interface HandlerEnv {
  ctx: TerminalContext;
  /** null only for `login`. */
  actor: Actor | null;
  token: string | null;
  sessions: Sessions;
  sync: SyncControl | null;
}

type Handler<K extends CommandName> = (env: HandlerEnv, input: CommandInput<K>) => CommandResult<CommandOutput<K>> | Promise<CommandResult<CommandOutput<K>>>;

const NO_CENTRAL: SyncStatus = { online: false, pending: 0, lastPushAt: null, lastPullAt: null, lastError: 'no central is configured for this terminal' };

// Commands already parse their input (they are also called directly); a second parse of the same small object is cheap.
const actorOf = (env: HandlerEnv): Actor => {
  if (!env.actor) throw new Error('a command that needs a session ran without one');
  return env.actor;
};

export const commandHandlers: { [K in CommandName]: Handler<K> } = {
  login: (env, input) => env.sessions.login(env.ctx.db, input.badge, input.pin),
  logout: (env) => {
    if (env.token) env.sessions.logout(env.token);
    return { ok: true, value: {} };
  },
  scan: (env, input) => scan(env.ctx, input),
  listOrders: (env, input) => listOrders(env.ctx, input),
  mountHu: (env, input) => mountHu(env.ctx, actorOf(env), input),
  previewConfirmation: (env, input) => previewConfirmation(env.ctx, actorOf(env), input),
  postConfirmation: (env, input) => postConfirmation(env.ctx, actorOf(env), input),
  reversePosting: (env, input) => reversePosting(env.ctx, actorOf(env), input),
  transferHu: (env, input) => transferHu(env.ctx, actorOf(env), input),
  returnHu: (env, input) => returnHu(env.ctx, actorOf(env), input),
  trueUpHu: (env, input) => trueUpHu(env.ctx, actorOf(env), input),
  countLocation: (env, input) => countLocation(env.ctx, actorOf(env), input),
  listBacklog: (env, input) => listBacklog(env.ctx, input),
  resolveBacklog: (env, input) => resolveBacklog(env.ctx, actorOf(env), input),
  listReplenishment: (env) => listReplenishment(env.ctx),
  listAnomalies: (env, input) => listAnomalies(env.ctx, input),
  getLocationStock: (env, input) => getLocationStock(env.ctx, input),
  getVariance: (env, input) => getVariance(env.ctx, input),
  getGenealogy: (env, input) => getGenealogy(env.ctx, input),
  getHuLabel: (env, input) => renderHuLabel(env.ctx, input.hu, input.symbology),
  getSyncStatus: (env) => ({ ok: true, value: env.sync?.status() ?? NO_CENTRAL }),
  syncNow: async (env) => {
    if (!env.sync) return refuse({ code: 'sync-unavailable', message: 'This terminal has no central to sync with.' });
    try {
      return { ok: true, value: await env.sync.syncNow() };
    } catch (error) {
      return refuse({ code: 'sync-unavailable', message: `Sync did not get through: ${error instanceof Error ? error.message : String(error)}` });
    }
  },
};
