import type { CounterId, QueueState, ServiceId, Ticket, TicketClass } from './types.ts';

/**
 * What the wait estimator learns from the branch: service times (robust, from the service history the
 * state keeps across days) and, from today's tickets, each counter's pace, the time a call costs
 * besides the service itself, how many customers are arriving, how many do not answer their call or
 * give up, and how many booked customers actually come. Everything is a pure function of the state
 * and the time asked about; every figure starts from a prior and moves towards what the branch shows.
 */

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

/**
 * Service times by history array: the state replaces a service's array when it changes, so an array
 * seen before gives the same answer (with the same prior). Only a cache: results are identical.
 */
const serviceTimeCache = new WeakMap<readonly number[], { prior: number; result: ServiceTime }>();

export function serviceTime(state: QueueState, serviceId: ServiceId): ServiceTime {
  const prior = state.config.services[serviceId]?.expectedMinutes ?? 5;
  const raw = state.serviceHistory[serviceId];
  if (!raw) return serviceTimeOf(prior, []);
  const hit = serviceTimeCache.get(raw);
  if (hit && hit.prior === prior) return hit.result;
  const result = serviceTimeOf(prior, raw);
  serviceTimeCache.set(raw, { prior, result });
  return result;
}

function serviceTimeOf(prior: number, raw: readonly number[]): ServiceTime {
  // A duration under 5 seconds is a start pressed together with finish (a keypad teller closing the
  // counter), not a service: it would drag the mean down.
  const history = raw.filter((ms) => ms >= 5_000).map((ms) => ms / MINUTE);
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

const MINUTE = 60_000;

/** A stream of customers the estimator expects to keep arriving, per minute. */
export interface ArrivalRate {
  serviceId: ServiceId;
  class: TicketClass;
  perMinute: number;
}

/** Everything the estimator learns from the state, computed once per estimate. */
export interface BranchModel {
  /** Service time per service (history and prior). */
  service: (serviceId: ServiceId) => ServiceTime;
  /** Multiplier on service times at a counter today (1 = the branch's pace). */
  speed: (counterId: CounterId) => number;
  /** Minutes a call costs at a counter besides the service: the walk up, the teller's wrap-up. */
  overhead: (counterId: CounterId) => number;
  /** Walk-in arrivals expected to continue, from the last hour's tickets. */
  arrivals: ArrivalRate[];
  /** Share of customers called after waiting `waited` minutes who never come (no-show). */
  noShowShare: (waited: number) => number;
  /** Counter minutes a no-show costs (the call, the recalls). */
  noShowMinutes: number;
  /**
   * Chance that a customer who has waited `from` minutes is still there (has not given up) after
   * `to` minutes of waiting.
   */
  stays: (from: number, to: number) => number;
  /** Share of booked appointments whose customer checks in. */
  appointmentShowShare: number;
}

/** Priors: what a branch looks like before today has shown anything. */
const PRIOR = {
  /** Walk to the counter after the call, minutes. */
  walk: 0.6,
  /** The teller's wrap-up and reaction between finishing and the next call, minutes. */
  gap: 0.4,
  noShowShare: 0.05,
  noShowMinutes: 2.5,
  /** About 1 customer in 400 waiting minutes gives up. */
  leaveEvents: 1,
  leaveExposure: 400,
  /** Waiting minutes each bin's prior (the day's overall rate) is worth. */
  hazardExposure: 150,
  appointmentShow: 0.85,
  /** Observations each prior is worth. */
  weight: 6,
} as const;

/**
 * Bins of minutes waited. Customers' patience is not memoryless: few give up in the first ten minutes,
 * many after half an hour, and those who left without cancelling are the no-shows of long queues. So
 * both the rate of giving up and the no-show share are learned per bin.
 */
const WAIT_BINS = [0, 10, 20, 30, 45, 60, Number.POSITIVE_INFINITY] as const;

function binOf(waited: number): number {
  let b = 0;
  while (b < WAIT_BINS.length - 2 && waited >= WAIT_BINS[b + 1]!) b++;
  return b;
}

/** Window of issues that arrival rates are taken from, minutes. */
const ARRIVAL_WINDOW = 60;
/** Never divide by a window shorter than this: the first tickets of the day are not a rate yet. */
const MIN_ARRIVAL_WINDOW = 25;

function shrink(sum: number, n: number, prior: number, weight: number = PRIOR.weight): number {
  return (sum + prior * weight) / (n + weight);
}

/** The last model learned per state (a kiosk screen asks for every service at the same instant). */
const modelCache = new WeakMap<QueueState, { at: number; model: BranchModel }>();

/** Learns the branch model from the state as it is at `at`. */
export function learnBranch(state: QueueState, at: number): BranchModel {
  const hit = modelCache.get(state);
  if (hit && hit.at === at) return hit.model;
  const model = learn(state, at);
  modelCache.set(state, { at, model });
  return model;
}

function learn(state: QueueState, at: number): BranchModel {
  const serviceCache = new Map<ServiceId, ServiceTime>();
  const service = (id: ServiceId) => {
    let s = serviceCache.get(id);
    if (!s) {
      s = serviceTime(state, id);
      serviceCache.set(id, s);
    }
    return s;
  };

  const tickets = Object.values(state.tickets);
  const byCounter = new Map<CounterId, Ticket[]>();
  const nbins = WAIT_BINS.length - 1;
  const calledByBin = new Array<number>(nbins).fill(0);
  const noShowByBin = new Array<number>(nbins).fill(0);
  const leftByBin = new Array<number>(nbins).fill(0);
  const exposureByBin = new Array<number>(nbins).fill(0);
  let noShows = 0;
  let noShowSum = 0;
  let firstIssue = Number.POSITIVE_INFINITY;
  const recent = new Map<string, ArrivalRate>();
  for (const t of tickets) {
    firstIssue = Math.min(firstIssue, t.issuedAt);
    if (t.calledAt !== null) {
      const b = binOf((t.calledAt - t.queuedAt) / MINUTE);
      calledByBin[b]!++;
      if (t.status === 'noShow') {
        noShowByBin[b]!++;
        if (t.endedAt !== null) {
          noShows++;
          noShowSum += (t.endedAt - t.calledAt) / MINUTE;
        }
      }
    }
    // Exposure to giving up: the minutes each ticket spent waiting, spread over the bins.
    const waitedUntil =
      t.status === 'waiting'
        ? at
        : t.status === 'cancelled'
          ? (t.endedAt ?? at)
          : (t.calledAt ?? t.endedAt ?? at);
    const waited = Math.max(0, waitedUntil - t.queuedAt) / MINUTE;
    for (let b = 0; b < nbins && waited > WAIT_BINS[b]!; b++)
      exposureByBin[b]! += Math.min(waited, WAIT_BINS[b + 1]!) - WAIT_BINS[b]!;
    if (t.status === 'cancelled' && t.calledAt === null) leftByBin[binOf(waited)]!++;
    if (t.counterId !== null && t.calledAt !== null) {
      const list = byCounter.get(t.counterId);
      if (list) list.push(t);
      else byCounter.set(t.counterId, [t]);
    }
    if (t.source === 'kiosk' && t.issuedAt >= at - ARRIVAL_WINDOW * MINUTE && t.issuedAt < at) {
      const key = `${t.serviceId}\u0000${t.class}`;
      const r = recent.get(key);
      if (r) r.perMinute += 1;
      else recent.set(key, { serviceId: t.serviceId, class: t.class, perMinute: 1 });
    }
  }
  const window = Math.max(MIN_ARRIVAL_WINDOW, Math.min(ARRIVAL_WINDOW, (at - firstIssue) / MINUTE));
  const arrivals = [...recent.values()].map((r) => ({ ...r, perMinute: r.perMinute / window }));

  // Each counter's pace and the cost of a call, from its calls today in order.
  const speeds = new Map<CounterId, number>();
  const overheads = new Map<CounterId, number>();
  const walks: number[] = [];
  const gaps: number[] = [];
  const perCounter = new Map<
    CounterId,
    { walks: number[]; gaps: number[]; keypad: number; console: number }
  >();
  for (const [counterId, list] of byCounter) {
    list.sort((a, b) => a.calledAt! - b.calledAt!);
    let durSum = 0;
    let meanSum = 0;
    let n = 0;
    const mine = { walks: [] as number[], gaps: [] as number[], keypad: 0, console: 0 };
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (t.status !== 'done' || t.endedAt === null) continue;
      const mean = service(t.serviceId).minutes;
      const started = t.servingAt ?? t.calledAt!;
      const dur = (t.endedAt - started) / MINUTE;
      if (dur < 5 / 60) continue; // start and finish pressed together: not a service
      durSum += Math.min(dur, 3 * mean);
      meanSum += mean;
      n++;
      if (t.servingAt !== null) {
        mine.console++;
        mine.walks.push((t.servingAt - t.calledAt!) / MINUTE);
        const next = list[i + 1];
        if (next && next.queuedAt <= t.endedAt) {
          const gap = (next.calledAt! - t.endedAt) / MINUTE;
          // A longer gap is a pause or a chat, not the teller's normal rhythm.
          if (gap >= 0 && gap <= 3) mine.gaps.push(gap);
        }
      } else mine.keypad++;
    }
    if (n > 0) speeds.set(counterId, shrink(durSum, meanSum, 1, PRIOR.weight * 4));
    perCounter.set(counterId, mine);
    walks.push(...mine.walks);
    gaps.push(...mine.gaps);
  }
  const sortedMedian = (xs: number[]) => median([...xs].sort((a, b) => a - b));
  const branchWalk = walks.length
    ? shrink(sortedMedian(walks) * walks.length, walks.length, PRIOR.walk)
    : PRIOR.walk;
  const branchGap = gaps.length
    ? shrink(sortedMedian(gaps) * gaps.length, gaps.length, PRIOR.gap)
    : PRIOR.gap;
  for (const [counterId, m] of perCounter) {
    // A keypad teller's "next" ends the service: the walk and the wrap-up are already in its durations.
    if (m.keypad > m.console) {
      overheads.set(counterId, 0);
      continue;
    }
    const walk = m.walks.length
      ? shrink(sortedMedian(m.walks) * m.walks.length, m.walks.length, branchWalk)
      : branchWalk;
    const gap = m.gaps.length
      ? shrink(sortedMedian(m.gaps) * m.gaps.length, m.gaps.length, branchGap)
      : branchGap;
    overheads.set(counterId, walk + gap);
  }

  let booked = 0;
  let came = 0;
  const lateMs = state.config.dispatch.checkInLateMinutes * MINUTE;
  for (const a of Object.values(state.appointments)) {
    if (a.status === 'checkedIn') {
      came++;
      booked++;
    } else if (a.status === 'booked' && a.slotStart + lateMs < at) booked++;
  }

  // Each bin borrows strength from the whole day: its prior is the day's overall figure.
  const sum = (xs: number[]) => xs.reduce((a, v) => a + v, 0);
  const dayHazard = (sum(leftByBin) + PRIOR.leaveEvents) / (sum(exposureByBin) + PRIOR.leaveExposure);
  const hazard = leftByBin.map(
    (l, b) => (l + dayHazard * PRIOR.hazardExposure) / (exposureByBin[b]! + PRIOR.hazardExposure),
  );
  const dayNoShow = shrink(sum(noShowByBin), sum(calledByBin), PRIOR.noShowShare, PRIOR.weight * 4);
  const noShowShares = noShowByBin.map((n, b) => shrink(n, calledByBin[b]!, dayNoShow, PRIOR.weight * 2));
  const cumulative = (w: number) => {
    let h = 0;
    for (let b = 0; b < nbins && w > WAIT_BINS[b]!; b++)
      h += hazard[b]! * (Math.min(w, WAIT_BINS[b + 1]!) - WAIT_BINS[b]!);
    return h;
  };

  return {
    service,
    speed: (counterId) => speeds.get(counterId) ?? 1,
    overhead: (counterId) => overheads.get(counterId) ?? branchWalk + branchGap,
    arrivals,
    noShowShare: (w) => noShowShares[binOf(w)]!,
    noShowMinutes: shrink(noShowSum, noShows, PRIOR.noShowMinutes),
    stays: (from, to) => (to <= from ? 1 : Math.exp(cumulative(from) - cumulative(to))),
    appointmentShowShare: shrink(came, booked, PRIOR.appointmentShow, 10),
  };
}
