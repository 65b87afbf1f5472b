// What the terminal tells its screens as it happens (browser mode: GET /api/events; Electron: IPC).
import type { ScanResult } from '../api/command-results.js';
import type { ScannerState } from '../devices/scanner-device.js';
import type { SyncStatus } from '../sync/sync-status.js';

export type TerminalEvent =
  | { type: 'scan'; source: string; location: string; receivedAt: string; result: ScanResult }
  | { type: 'scanner-status'; source: string; location: string; state: ScannerState; reason?: string; at: string }
  | { type: 'stock-changed'; command: string; postingId: string | null; at: string }
  | { type: 'sync-status'; status: SyncStatus }
  /** A badge was scanned while nobody was logged in: the screen asks for the PIN. */
  | { type: 'login-requested'; badge: string; name: string | null; source: string; at: string }
  | { type: 'session-ended'; userId: string; reason: 'inactivity' };

/** Events a screen sees before anyone logs in: nothing about stock or orders. */
export function isPublicEvent(event: TerminalEvent): boolean {
  return event.type === 'scanner-status' || event.type === 'sync-status' || event.type === 'login-requested';
}
