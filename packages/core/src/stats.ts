import type { QueueState, ServiceId } from './types.ts';

/**
 * The branch's own service time for a service, robust to outliers.
 *
 * Service times are right-skewed (most cash deposits take 2–4 minutes, a few take 15), so the mean is
 * what predicts throughput, but one teller who forgot to press "finish" for an hour must not double
 * it. We winsorise: every duration above median + 5 × MAD·1.4826 (about 3.4 standard deviations for a
 * normal law, well into a lognormal's tail) counts as that bound, then take the mean. With little
 * history the configured expected time is the prior, weighted as `PRIOR_WEIGHT` observations.
 */
export const PRIOR_WEIGHT = 8;
/** Coefficient of variation assumed before there is history (lognormal service, σ ≈ 0.55). */
export const PRIOR_CV = 0.6;

export interface ServiceTime {
  /** Mean service time, minutes. */
  minutes: number;
  /** Coefficient of variation (sd / mean) of one service. */
  cv: number;
  basis: 'prior' | 'history' | 'blend';
  /** Durations learned from. */
  n: number;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Winsorised mean and coefficient of variation of durations (any unit). */
export function robustMeanCv(values: readonly number[]): { mean: number; cv: number } {
  if (values.length === 0) return { mean: 0, cv: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const med = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - med)).sort((a, b) => a - b)) * 1.4826;
  const cap = med + 5 * Math.max(mad, med * 0.1);
  const clipped = sorted.map((v) => Math.min(Math.max(v, 0), cap));
  const mean = clipped.reduce((s, v) => s + v, 0) / clipped.length;
  const variance = clipped.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, clipped.length - 1);
  return { mean, cv: mean > 0 ? Math.sqrt(variance) / mean : 0 };
}

export function serviceTime(state: QueueState, serviceId: ServiceId): ServiceTime {
  const prior = state.config.services[serviceId]?.expectedMinutes ?? 5;
  const history = (state.serviceHistory[serviceId] ?? []).map((ms) => ms / 60_000);
  const n = history.length;
  if (n === 0) return { minutes: prior, cv: PRIOR_CV, basis: 'prior', n: 0 };
  const { mean, cv } = robustMeanCv(history);
  const minutes = (PRIOR_WEIGHT * prior + n * mean) / (PRIOR_WEIGHT + n);
  const blendedCv = (PRIOR_WEIGHT * PRIOR_CV + n * Math.min(Math.max(cv, 0.2), 1.5)) / (PRIOR_WEIGHT + n);
  return {
    minutes: Math.max(0.25, minutes),
    cv: blendedCv,
    basis: n >= 4 * PRIOR_WEIGHT ? 'history' : 'blend',
    n,
  };
}
