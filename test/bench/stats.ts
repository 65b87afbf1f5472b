// Shared by the benchmarks: percentiles, medians and formatting of timings.

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000;
export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
export const fmtMs = (x: number) => `${x.toFixed(3)} ms`;
export const fmtInt = (n: number) => n.toLocaleString('en-US');
