import type { EstimateRecord } from './types.ts';

/**
 * The printed figure and range, calibrated on the branch's own recent errors.
 *
 * The forward run's figure is a model; every branch is wrong in its own way (tellers slower after
 * lunch, customers who give up sooner, a generator of days nobody wrote down). So the printed point and
 * range come from what followed the branch's own recent estimates of about the same size: the
 * distribution of r = log((actual + c) / (model + c)) among past estimates near this one (kernels
 * over log(model + c) and the time of day, alike when no counter was open, newer ones weighing more), mixed with a prior — the model's own spread, worth
 * `PRIOR_WEIGHT` estimates — for a branch that has little history. This is split conformal prediction
 * (Vovk, Gammerman & Shafer 2005; Lei et al. 2018) made local in the predicted size (Romano, Patterson
 * & Candès 2019 condition on the prediction in the same spirit): the range holds about 80 % of actual
 * waits for short and long predictions alike, whatever the model's errors are.
 *
 * The point is the median of that distribution (the figure that minimises the absolute error). The
 * range is chosen among ranges rounded to what customers read easily (5-minute steps to 30, then 10)
 * so that it holds the wait 80 % of the time on average (see the randomised rounding below). A range that
 * would be wider than `WIDE_MINUTES` is printed as "more than L", with L the wait exceeded 4 times in
 * 5.
 */

/** Added to both sides of the ratio: keeps short waits from making huge ratios. */
const C = 3;
/** Kernel bandwidth over log(model + C). */
const BANDWIDTH = 0.3;
/**
 * Errors are alike at the same time of day (the lunch hours have theirs) and when no counter was open:
 * kernel width over the minute of day, the floor every other time keeps, and the weight of estimates
 * made with counters open for one made with none (and the reverse).
 */
const TIME_BANDWIDTH = 45;
const TIME_FLOOR = 0.25;
const UNLIKE_WEIGHT = 0.25;
/** An appointment's errors and a walk-in's are another matter: they hardly lend to each other. */
const APPOINTMENT_UNLIKE = 0.03;
/** Half-life of a past estimate's weight, in estimates printed since. */
const HALF_LIFE = 250;
/** How many past estimates the prior is worth. */
const PRIOR_WEIGHT = 3;
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

/**
 * The grid a printed range's ends sit on: 0 and 2 (a wait of a minute or two), every 5 minutes to 30,
 * then every 10, then every 30 past two hours.
 */
const GRID: readonly number[] = [
  0,
  2,
  ...Array.from({ length: 6 }, (_, i) => 5 * (i + 1)),
  ...Array.from({ length: 9 }, (_, i) => 40 + 10 * i),
  ...Array.from({ length: 20 }, (_, i) => 150 + 30 * i),
];
/** The share of waits under the low end. */
const LOW_TAIL = 0.12;

interface Residuals {
  /** Log-ratios, sorted. */
  r: Float64Array;
  /** log(model + C) of each, in the same order. */
  x: Float64Array;
  /** Recency weight of each. */
  age: Float64Array;
  /** Local minute of day it was printed. */
  minute: Float64Array;
  /** Flags: 1 no counter was open, 2 an appointment. */
  flags: Uint8Array;
}

const residualCache = new WeakMap<readonly EstimateRecord[], Residuals>();

function residuals(history: readonly EstimateRecord[]): Residuals {
  const hit = residualCache.get(history);
  if (hit) return hit;
  const n = history.length;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [m, a] = history[i]!;
    r[i] = Math.log((a + C) / (m + C));
  }
  // Sorted by residual: the order, then each column in it.
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => r[i]! - r[j]!);
  const out: Residuals = {
    r: new Float64Array(n),
    x: new Float64Array(n),
    age: new Float64Array(n),
    minute: new Float64Array(n),
    flags: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const [m, , minute, flags] = history[i]!;
    out.r[k] = r[i]!;
    out.x[k] = Math.log(m + C);
    out.age[k] = 0.5 ** ((n - 1 - i) / HALF_LIFE);
    out.minute[k] = minute ?? 720;
    out.flags[k] = flags ?? 0;
  }
  residualCache.set(history, out);
  return out;
}

/**
 * Calibrates a model figure of `model` minutes whose own spread is `modelSd` minutes, on the branch's
 * past estimates and the waits that followed them.
 */
export function calibrate(
  model: number,
  modelSd: number,
  history: readonly EstimateRecord[],
  /**
   * Where and when: the local minute of day, whether no counter serving the service is open, and
   * whether it is an appointment (whose wait its slot decides).
   */
  situation: { minute: number; closed: boolean; appointment?: boolean } = { minute: 720, closed: false },
  /** A number in [0, 1) fixed for the ticket: the randomised rounding's draw. */
  draw = 0.5,
): Calibrated {
  const m = Math.max(0, model);
  const x0 = Math.log(m + C);
  const res = residuals(history);
  const n = res.r.length;
  // cum[i]: the weight of the i smallest residuals (kernel × recency).
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const d = (res.x[i]! - x0) / BANDWIDTH;
    const t = (res.minute[i]! - situation.minute) / TIME_BANDWIDTH;
    const f = res.flags[i]!;
    const alike =
      (((f & 1) === 1) === situation.closed ? 1 : UNLIKE_WEIGHT) *
      (((f & 2) === 2) === (situation.appointment ?? false) ? 1 : APPOINTMENT_UNLIKE);
    cum[i + 1] =
      cum[i]! +
      res.age[i]! * alike * Math.exp(-0.5 * d * d) * (TIME_FLOOR + (1 - TIME_FLOOR) * Math.exp(-0.5 * t * t));
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

  // The ends: the low end at the wait undercut 1 time in 10, the high end so that the range holds 80 %
  // of the distribution (a low end at 0 leaves no lower tail: the high end then sits lower). Each end is
  // rounded to the grid at random in proportion (randomised rounding, with draws fixed per ticket), so
  // that the printed ranges hold 80 % on average where always rounding one way would over- or undershoot
  // ("0–5" for a wait that is almost always under 2 minutes).
  const grid = GRID.filter((g) => g < Math.max(60, quantileA(0.995) * 1.2 + 20));
  const cdfAt = grid.map(cdfA);
  const u1 = draw;
  const u2 = (draw * 7919.123) % 1;
  const roundAt = (p: number, u: number) => {
    // Grid points either side of the p-quantile, the upper one with the chance that keeps E[F] = p.
    let i = 0;
    while (i + 1 < grid.length && cdfAt[i + 1]! <= p) i++;
    if (i + 1 >= grid.length) return grid[i]!;
    const lo = cdfAt[i]!;
    const hi = cdfAt[i + 1]!;
    if (p <= lo || hi <= lo) return grid[i]!;
    return u < (p - lo) / (hi - lo) ? grid[i + 1]! : grid[i]!;
  };
  const fAt = (v: number) => cdfAt[grid.indexOf(v)] ?? cdfA(v);
  const floorGrid = (v: number) => [...grid].reverse().find((g) => g <= v) ?? 0;
  const ceilGrid = (v: number) => grid.find((g) => g >= v) ?? grid[grid.length - 1]!;
  let low = Math.min(roundAt(LOW_TAIL, u1), floorGrid(point));
  // Below a low end of 0 nothing is missed (no wait is shorter than none): the high end alone holds 80 %.
  const below = low === 0 ? 0 : fAt(low);
  let high = Math.max(roundAt(Math.min(0.995, below + TARGET_COVERAGE), u2), ceilGrid(point));
  if (high <= low) high = grid.find((g) => g > low) ?? low + 5;
  let moreThan = false;
  if (high - low > WIDE_MINUTES) {
    // "More than L": L the rounded wait exceeded about 4 times in 5; the high end for the record only.
    moreThan = true;
    low = Math.min(roundAt(1 - TARGET_COVERAGE, u1), floorGrid(point));
    high = Math.max(high, ceilGrid(quantileA(0.97)));
  }
  return { point, low, high, moreThan };
}
