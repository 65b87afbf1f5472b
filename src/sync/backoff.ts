// How long to wait before the next attempt after failures: exponential with full jitter, so
// fifty terminals that lost the central together do not return to it in step.

export interface BackoffOptions {
  /** The cap of the first wait (ms). */
  baseMs: number;
  /** No wait is longer than this (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * The wait after `failures` failures in a row (1 = the first): uniform in [0, cap) where the
 * cap doubles from `baseMs` per failure up to `maxMs`. `random` returns [0, 1) like Math.random.
 */
export function backoffDelay(failures: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  if (failures <= 0) return 0;
  // 2 ** 60 is far past any cap; keeps the exponent from reaching Infinity after days offline.
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(failures - 1, 60));
  return Math.floor(random() * cap);
}
