import { percentileNearestRank } from '@nextup/core';

/**
 * The shape every benchmark suite in `scripts/bench/*.bench.ts` has, and the statistics they share.
 * Figures are printed, never asserted: these machines are shared and noisy. Every figure is quoted
 * with a baseline measured in the same run, so the ratio means something on any machine.
 */

export interface BenchRow {
  /** What was measured, e.g. "hub: acknowledged IssueTicket (synchronous=FULL)". */
  name: string;
  /** Unit of median, p99 and baseline, e.g. "ms", "commands/s", "MiB". */
  unit: string;
  median: number;
  p99: number | null;
  /** The same work done the plainest possible way in the same run; null when there is none. */
  baseline: number | null;
  /** What the baseline is, e.g. "bare better-sqlite3 insert loop". */
  baselineLabel: string | null;
  /** median ÷ baseline. */
  ratio: number | null;
  /** Anything a reader needs to interpret the figure (sample size, settings). */
  note?: string;
}

export interface BenchContext {
  /** A short run (fewer samples) for smoke-testing the suites; the figures are then rough. */
  quick: boolean;
  /** A folder for plots and other artefacts of this run. */
  outDir: string;
  log: (line: string) => void;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/**
 * The p-th percentile (0–100) of samples by core's one rule (nearest rank, as the daily report
 * states its figures), as a number to print: NaN when there were no samples.
 */
export function samplePercentile(values: readonly number[], p: number): number {
  return percentileNearestRank(values, p) ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return samplePercentile(values, 50);
}

/** A row from samples and an optional baseline sample set (compared by median). */
export function rowFromSamples(
  name: string,
  unit: string,
  samples: readonly number[],
  baseline?: { label: string; samples: readonly number[] } | { label: string; value: number },
  note?: string,
): BenchRow {
  const med = median(samples);
  const base = baseline ? ('value' in baseline ? baseline.value : median(baseline.samples)) : null;
  return {
    name,
    unit,
    median: med,
    p99: samplePercentile(samples, 99),
    baseline: base,
    baselineLabel: baseline?.label ?? null,
    ratio: base !== null && base !== 0 ? med / base : null,
    ...(note ? { note } : {}),
  };
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
