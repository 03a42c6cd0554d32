import type { EstimateRecord } from './types.ts';

/**
 * The printed figure and range, calibrated on the branch's own recent errors.
 *
 * The forward run's figure is a model; every branch is wrong in its own way (tellers slower after
 * lunch, customers who give up sooner, a generator of days nobody wrote down). So the printed point and
 * range come from what followed the branch's own recent estimates of about the same size: the
 * distribution of r = log((actual + c) / (model + c)) among past estimates near this one (a kernel
 * over log(model + c), newer ones weighing more), mixed with a prior — the model's own spread, worth
 * `PRIOR_WEIGHT` estimates — for a branch that has little history. This is split conformal prediction
 * (Vovk, Gammerman & Shafer 2005; Lei et al. 2018) made local in the predicted size (Romano, Patterson
 * & Candès 2019 condition on the prediction in the same spirit): the range holds about 80 % of actual
 * waits for short and long predictions alike, whatever the model's errors are.
 *
 * The point is the median of that distribution (the figure that minimises the absolute error). The
 * range is chosen among ranges rounded to what customers read easily (5-minute steps to 30, then 10)
 * as the one whose chance of holding the wait is closest to 80 %, the narrower at a tie. A range that
 * would be wider than `WIDE_MINUTES` is printed as "more than L", with L the wait exceeded 4 times in
 * 5.
 */

/** Added to both sides of the ratio: keeps short waits from making huge ratios. */
const C = 3;
/** Kernel bandwidth over log(model + C). */
const BANDWIDTH = 0.3;
/** Half-life of a past estimate's weight, in estimates printed since. */
const HALF_LIFE = 250;
/** How many past estimates the prior is worth. */
const PRIOR_WEIGHT = 15;
/** The share of actual waits the printed range aims to hold. */
export const TARGET_COVERAGE = 0.8;
/** Ranges wider than this are printed as "more than L". */
export const WIDE_MINUTES = 40;

export interface Calibrated {
  point: number;
  low: number;
  high: number;
  /** The range is printed as "more than `low`". */
  moreThan: boolean;
}

/** Standard normal distribution function (erfc after Numerical Recipes, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r / 2 : r / 2;
}

/** The grid a printed range's ends sit on: every 5 minutes to 30, then every 10. */
function gridAround(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let v = 0; v <= 30; v += 5) out.push(v);
  for (let v = 40; v <= Math.max(60, hi * 1.5 + 20); v += 10) out.push(v);
  return out.filter((v) => v >= Math.max(0, lo - 20) || v === 0);
}

interface Residuals {
  /** Log-ratios, sorted. */
  r: Float64Array;
  /** log(model + C) of each, in the same order. */
  x: Float64Array;
  /** Recency weight of each. */
  age: Float64Array;
}

const residualCache = new WeakMap<readonly EstimateRecord[], Residuals>();

function residuals(history: readonly EstimateRecord[]): Residuals {
  const hit = residualCache.get(history);
  if (hit) return hit;
  const n = history.length;
  const items = history.map(([m, a], i) => ({
    r: Math.log((a + C) / (m + C)),
    x: Math.log(m + C),
    age: 0.5 ** ((n - 1 - i) / HALF_LIFE),
  }));
  items.sort((p, q) => p.r - q.r);
  const out: Residuals = {
    r: Float64Array.from(items, (i) => i.r),
    x: Float64Array.from(items, (i) => i.x),
    age: Float64Array.from(items, (i) => i.age),
  };
  residualCache.set(history, out);
  return out;
}

/**
 * Calibrates a model figure of `model` minutes whose own spread is `modelSd` minutes, on the branch's
 * past estimates and the waits that followed them.
 */
export function calibrate(model: number, modelSd: number, history: readonly EstimateRecord[]): Calibrated {
  const m = Math.max(0, model);
  const x0 = Math.log(m + C);
  const res = residuals(history);
  const n = res.r.length;
  // cum[i]: the weight of the i smallest residuals (kernel × recency).
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const d = (res.x[i]! - x0) / BANDWIDTH;
    cum[i + 1] = cum[i]! + res.age[i]! * Math.exp(-0.5 * d * d);
  }
  const total = cum[n]!;
  // The prior: the model's own spread, centred on the model.
  const s0 = Math.max(0.12, Math.sqrt(Math.log(1 + (modelSd / (m + C)) ** 2)));
  const cdfR = (r: number) => {
    // Weighted empirical CDF at r (residuals are sorted), mixed with the prior.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (res.r[mid]! <= r) lo = mid + 1;
      else hi = mid;
    }
    return (cum[lo]! + PRIOR_WEIGHT * normalCdf(r / s0)) / (total + PRIOR_WEIGHT);
  };
  // The distribution of the actual wait a, through r = log((a + C) / (m + C)).
  const cdfA = (a: number) => (a < 0 ? 0 : cdfR(Math.log((a + C) / (m + C))));
  const quantileA = (p: number) => {
    let lo = 0;
    let hi = Math.max(60, m * 4 + 60);
    while (cdfA(hi) < p && hi < 1e5) hi *= 2;
    for (let k = 0; k < 40; k++) {
      const mid = (lo + hi) / 2;
      if (cdfA(mid) < p) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };
  const point = m < 0.05 && total === 0 ? 0 : quantileA(0.5);
  const qLo = quantileA(0.1);
  const qHi = quantileA(0.9);

  // The rounded range closest to holding 80 %, the narrower at a tie, holding the point.
  const grid = gridAround(qLo, qHi);
  const cdfAt = grid.map(cdfA);
  let best: { low: number; high: number; score: number } | null = null;
  for (let i = 0; i < grid.length; i++) {
    if (grid[i]! > point) break;
    for (let j = i + 1; j < grid.length; j++) {
      if (grid[j]! < point) continue;
      const cover = cdfAt[j]! - cdfAt[i]!;
      const width = grid[j]! - grid[i]!;
      const score = Math.abs(cover - TARGET_COVERAGE) + width * 1e-4;
      if (!best || score < best.score) best = { low: grid[i]!, high: grid[j]!, score };
      if (cover > TARGET_COVERAGE + 0.1) break;
    }
  }
  let low = best?.low ?? 0;
  let high = best?.high ?? 5;
  let moreThan = false;
  if (high - low > WIDE_MINUTES) {
    // "More than L": L the rounded wait exceeded about 4 times in 5.
    moreThan = true;
    let l = 0;
    for (let i = 0; i < grid.length; i++)
      if (
        grid[i]! <= point &&
        Math.abs(1 - cdfAt[i]! - TARGET_COVERAGE) < Math.abs(1 - cdfA(l) - TARGET_COVERAGE)
      )
        l = grid[i]!;
    low = l;
    const q97 = quantileA(0.97);
    high = grid.find((g) => g >= q97) ?? Math.ceil(q97 / 10) * 10;
  }
  return { point, low, high, moreThan };
}
