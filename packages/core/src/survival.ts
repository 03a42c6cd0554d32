/**
 * Who is still in the branch: a survival curve of "still waiting after w minutes", learned from what
 * became of the branch's waiting customers.
 *
 * What the branch sees is not what happened. A customer who gives up either cancels on the phone page
 * (seen, at the minute it happens) or just walks out (unseen: the hub learns of it only when they are
 * called and do not come — and a customer who did not hear the call looks the same). A ticket still
 * waiting may already be empty. So the data are censored three ways:
 * - served after waiting w: still there at w (right-censored);
 * - cancelled at w: left at w, and is one who cancels;
 * - no-show at w: left silently some time before w, or was there and did not answer;
 * - still waiting at w: there now, or left silently before w.
 *
 * The model: patience T with a piecewise-constant hazard over bins of minutes waited; a share π of
 * leavers cancel (the rest walk out); a share q of customers present at their call do not answer.
 * Fitted by EM (Dempster, Laird & Rubin 1977; for interval-censored survival Turnbull 1976): each
 * no-show and each waiting ticket is split, in expectation, between its explanations, and the hazards,
 * π and q are re-estimated from the expected events and exposure. Each service's curve starts from
 * the branch's pooled one (worth `SERVICE_PRIOR_EXPOSURE` minutes per bin), which starts from a prior.
 */

/** Bin edges, minutes waited. Patience is not memoryless: few leave in the first minutes. */
export const SURVIVAL_BINS = [0, 5, 10, 15, 20, 30, 45, 60, 90, 120, Number.POSITIVE_INFINITY] as const;
const NB = SURVIVAL_BINS.length - 1;
/** Past the last finite edge the hazard is that of the last bin. */

/** Prior: about one customer in 250 waiting minutes gives up, at every wait; half of them cancel. */
const PRIOR_HAZARD = 1 / 250;
const PRIOR_EXPOSURE = 300;
const PRIOR_PI = 0.5;
const PRIOR_PI_WEIGHT = 6;
const PRIOR_Q = 0.03;
const PRIOR_Q_WEIGHT = 60;
/** Minutes of exposure per bin that the branch's pooled curve is worth in each service's fit. */
const SERVICE_PRIOR_EXPOSURE = 240;
const EM_ROUNDS = 25;

/** What became of waiting customers (`count` of them, 1 when absent), as the survival fit reads it. */
export interface Observation {
  kind: 'served' | 'noShow' | 'cancelled' | 'waiting';
  /** Minutes waited: to the call, to the cancellation, or until now. */
  waited: number;
  count?: number;
}

export interface Patience {
  /** Hazard per minute in each bin. */
  hazard: number[];
  /** Share of leavers who cancel (the others walk out unseen). */
  pi: number;
  /** Share of customers present at their call who do not answer. */
  q: number;
  /** Observations it was learned from. */
  n: number;
}

/** Cumulative hazard up to `w` minutes. */
function cumulative(hazard: readonly number[], w: number): number {
  let h = 0;
  for (let b = 0; b < NB && w > SURVIVAL_BINS[b]!; b++)
    h += hazard[b]! * (Math.min(w, SURVIVAL_BINS[b + 1]!) - SURVIVAL_BINS[b]!);
  return h;
}

/** P(T > w): still patient after waiting `w` minutes. */
export function survives(p: { readonly hazard: readonly number[] }, w: number): number {
  return w <= 0 ? 1 : Math.exp(-cumulative(p.hazard, w));
}

/**
 * Chance that a customer seen waiting `from` minutes without cancelling is still in the branch after
 * `to` minutes of waiting — they may already have walked out unseen.
 */
export function stillThere(p: Patience, from: number, to: number): number {
  const s0 = survives(p, from);
  const seenWaiting = s0 + (1 - s0) * (1 - p.pi);
  return seenWaiting > 0 ? survives(p, Math.max(from, to)) / seenWaiting : 0;
}

/**
 * What a ticket seen waiting `from` minutes will be when called at `to` minutes of waiting:
 * `answers` (there and answers), `noShow` (called, nobody comes: left unseen or did not hear), and the
 * rest cancel before their call (cost the counter nothing).
 */
export function atCall(p: Patience, from: number, to: number): { answers: number; noShow: number } {
  const s0 = survives(p, from);
  const s1 = survives(p, Math.max(from, to));
  const seenWaiting = s0 + (1 - s0) * (1 - p.pi);
  if (seenWaiting <= 0) return { answers: 0, noShow: 1 };
  const here = s1 / seenWaiting;
  const goneBefore = ((1 - s0) * (1 - p.pi)) / seenWaiting;
  const leaveBetween = (s0 - s1) / seenWaiting;
  return {
    answers: here * (1 - p.q),
    noShow: here * p.q + goneBefore + leaveBetween * (1 - p.pi),
  };
}

export interface Stats {
  events: Float64Array;
  exposure: Float64Array;
  cancels: number;
  silent: number;
  deaf: number;
  present: number;
}

function emptyStats(): Stats {
  return {
    events: new Float64Array(NB),
    exposure: new Float64Array(NB),
    cancels: 0,
    silent: 0,
    deaf: 0,
    present: 0,
  };
}

/** Adds the exposure of someone present over [0, w], times `weight`. */
function addExposure(st: Stats, w: number, weight: number): void {
  for (let b = 0; b < NB && w > SURVIVAL_BINS[b]!; b++)
    st.exposure[b]! += weight * (Math.min(w, SURVIVAL_BINS[b + 1]!) - SURVIVAL_BINS[b]!);
}

/**
 * The current hazards read off once per EM round: survival at the bin edges and, for someone who
 * leaves within a whole bin, the mean time they spent in it.
 */
class Curve {
  readonly edge = new Float64Array(NB + 1);
  readonly meanIn = new Float64Array(NB);

  constructor(readonly hazard: readonly number[]) {
    this.edge[0] = 1;
    for (let b = 0; b < NB; b++) {
      const width = SURVIVAL_BINS[b + 1]! - SURVIVAL_BINS[b]!;
      const lam = hazard[b]!;
      this.edge[b + 1] = Number.isFinite(width) ? this.edge[b]! * Math.exp(-lam * width) : 0;
      this.meanIn[b] = Number.isFinite(width) ? meanInBin(lam, width) : lam > 0 ? 1 / lam : 0;
    }
  }

  /** The bin `w` falls in. */
  bin(w: number): number {
    let b = 0;
    while (b < NB - 1 && w >= SURVIVAL_BINS[b + 1]!) b++;
    return b;
  }

  survives(w: number): number {
    if (w <= 0) return 1;
    const b = this.bin(w);
    return this.edge[b]! * Math.exp(-this.hazard[b]! * (w - SURVIVAL_BINS[b]!));
  }
}

/** E[T − lo | lo ≤ T < lo + width] for a constant hazard `lam` over the bin. */
function meanInBin(lam: number, width: number): number {
  if (lam * width <= 1e-9) return width / 2;
  const e = Math.exp(-lam * width);
  return 1 / lam - (width * e) / (1 - e);
}

/**
 * Adds, times `weight`, the expected events and exposure of someone known to have left before `w`
 * (T ≤ w), under the current hazards.
 */
function addLeftBefore(st: Stats, curve: Curve, w: number, weight: number): void {
  const k = curve.bin(w);
  const sw = curve.survives(w);
  const total = 1 - sw;
  if (total <= 1e-12) {
    // Nothing in the model explains it yet: count it as leaving at once.
    st.events[0]! += weight;
    return;
  }
  const f = weight / total;
  // Whole bins before w: those leaving in bin b spent meanIn[b] in it; later leavers all of it.
  for (let b = 0; b < k; b++) {
    const width = SURVIVAL_BINS[b + 1]! - SURVIVAL_BINS[b]!;
    const inBin = curve.edge[b]! - curve.edge[b + 1]!;
    const beyond = Math.max(0, curve.edge[b + 1]! - sw);
    st.events[b]! += f * inBin;
    st.exposure[b]! += f * (inBin * curve.meanIn[b]! + beyond * width);
  }
  // The bin w falls in, up to w.
  const width = w - SURVIVAL_BINS[k]!;
  const inBin = curve.edge[k]! - sw;
  st.events[k]! += f * inBin;
  st.exposure[k]! += f * inBin * meanInBin(curve.hazard[k]!, width);
}

/** Served and cancelled customers say the same whatever the parameters: their part is summed once. */
function fixedStats(obs: readonly Observation[]): Stats {
  const st = emptyStats();
  for (const o of obs) {
    const w = Math.max(0, o.waited);
    const n = o.count ?? 1;
    if (o.kind === 'served') {
      addExposure(st, w, n);
      st.present += n;
    } else if (o.kind === 'cancelled') {
      addExposure(st, w, n);
      let b = 0;
      while (b < NB - 1 && w >= SURVIVAL_BINS[b + 1]!) b++;
      st.events[b]! += n;
      st.cancels += n;
    }
  }
  return st;
}

function fitOnce(
  fixed: Stats,
  open: readonly Observation[],
  hazard: number[],
  pi: number,
  q: number,
  prior: { hazard: readonly number[]; exposure: number; pi: number; q: number },
): { hazard: number[]; pi: number; q: number } {
  const st: Stats = {
    events: Float64Array.from(fixed.events),
    exposure: Float64Array.from(fixed.exposure),
    cancels: fixed.cancels,
    silent: fixed.silent,
    deaf: fixed.deaf,
    present: fixed.present,
  };
  const curve = new Curve(hazard);
  for (const o of open) {
    const w = Math.max(0, o.waited);
    const n = o.count ?? 1;
    const s = curve.survives(w);
    if (o.kind === 'noShow') {
      // Left unseen before the call, or there and did not answer.
      const left = (1 - s) * (1 - pi);
      const deaf = s * q;
      const r = left + deaf > 0 ? left / (left + deaf) : 1;
      addLeftBefore(st, curve, w, n * r);
      st.silent += n * r;
      addExposure(st, w, n * (1 - r));
      st.deaf += n * (1 - r);
      st.present += n * (1 - r);
    } else {
      // Still waiting: there now, or left unseen already.
      const gone = (1 - s) * (1 - pi);
      const r = gone + s > 0 ? gone / (gone + s) : 0;
      if (r > 0) {
        addLeftBefore(st, curve, w, n * r);
        st.silent += n * r;
      }
      addExposure(st, w, n * (1 - r));
    }
  }
  const next = hazard.map(
    (_, b) => (st.events[b]! + prior.hazard[b]! * prior.exposure) / (st.exposure[b]! + prior.exposure),
  );
  return {
    hazard: next,
    pi: (st.cancels + prior.pi * PRIOR_PI_WEIGHT) / (st.cancels + st.silent + PRIOR_PI_WEIGHT),
    q: (st.deaf + prior.q * PRIOR_Q_WEIGHT) / (st.present + PRIOR_Q_WEIGHT),
  };
}

/** The prior a branch starts from before it has seen anyone give up. */
export function priorPatience(): Patience {
  return { hazard: new Array<number>(NB).fill(PRIOR_HAZARD), pi: PRIOR_PI, q: PRIOR_Q, n: 0 };
}

/** Observations prepared for fitting: the parameter-free part summed once, the rest kept. */
export interface PatienceData {
  fixed: Stats;
  open: Observation[];
  n: number;
}

export function patienceData(obs: readonly Observation[]): PatienceData {
  let n = 0;
  for (const o of obs) n += o.count ?? 1;
  return {
    fixed: fixedStats(obs),
    open: obs.filter((o) => o.kind === 'noShow' || o.kind === 'waiting'),
    n,
  };
}

/**
 * Fits the patience of customers from what became of them (`data`, plus `more` customers to add).
 * `prior` is what the fit shrinks to (the branch's pooled curve for one service's fit); `start`
 * warm-starts the rounds.
 */
export function fitPatienceData(
  data: PatienceData,
  prior: Patience = priorPatience(),
  options: { exposure?: number; rounds?: number; start?: Patience; more?: readonly Observation[] } = {},
): Patience {
  const p = {
    hazard: prior.hazard,
    exposure: options.exposure ?? PRIOR_EXPOSURE,
    pi: prior.pi,
    q: prior.q,
  };
  const start = options.start ?? prior;
  let hazard = [...start.hazard];
  let pi = start.pi;
  let q = start.q;
  let { fixed, open, n } = data;
  if (options.more && options.more.length > 0) {
    const extra = patienceData(options.more);
    fixed = addStats(fixed, extra.fixed);
    open = [...open, ...extra.open];
    n += extra.n;
  }
  const rounds = n === 0 ? 0 : (options.rounds ?? EM_ROUNDS);
  for (let i = 0; i < rounds; i++) ({ hazard, pi, q } = fitOnce(fixed, open, hazard, pi, q, p));
  return { hazard, pi, q, n };
}

/** Fits the patience of customers from what became of them. */
export function fitPatience(
  obs: readonly Observation[],
  prior: Patience = priorPatience(),
  options: { exposure?: number; rounds?: number; start?: Patience } = {},
): Patience {
  return fitPatienceData(patienceData(obs), prior, options);
}

/** The sum of two prepared sets. */
export function mergeData(a: PatienceData, b: PatienceData): PatienceData {
  return { fixed: addStats(a.fixed, b.fixed), open: [...a.open, ...b.open], n: a.n + b.n };
}

function addStats(a: Stats, b: Stats): Stats {
  return {
    events: a.events.map((v, i) => v + b.events[i]!),
    exposure: a.exposure.map((v, i) => v + b.exposure[i]!),
    cancels: a.cancels + b.cancels,
    silent: a.silent + b.silent,
    deaf: a.deaf + b.deaf,
    present: a.present + b.present,
  };
}

export { SERVICE_PRIOR_EXPOSURE };
