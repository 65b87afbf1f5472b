// What the sync reports to the terminal's API (contracts.md §3 getSyncStatus, syncNow).

export interface SyncStatus {
  /** The last exchange with the central got an answer. */
  online: boolean;
  /** Postings the central has not acknowledged. */
  pending: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  /** Why the last exchange failed; absent after a success. */
  lastError?: string;
}

export interface SyncNowResult {
  /** Postings the central acknowledged in this round. */
  pushed: number;
  /** Changes received from the central in this round. */
  pulled: number;
}
