/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method: the ⌈p·n/100⌉-th smallest of
 * n values (the smallest at p = 0). Always one of the values, never a blend of two, so a branch's
 * 90th-percentile wait is a wait some customer had; the daily report, the simulator and the
 * benchmarks all state their percentiles this way. null for no values.
 */
export function percentileNearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}
