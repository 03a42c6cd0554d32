import { type CounterOutlook, counterOutlooks } from './availability.ts';
import { MINUTE } from './durations.ts';
import {
  fitPatienceData,
  mergeData,
  type Observation,
  type Patience,
  type PatienceData,
  patienceData,
  SERVICE_PRIOR_EXPOSURE,
} from './survival.ts';
import { ticketIndex } from './ticket-index.ts';
import type { CounterId, QueueState, ServiceId, Ticket, TicketClass, WaitOutcome } from './types.ts';

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
  /** Who is still in the branch after waiting: the service's customers' patience (`survival.ts`). */
  patience: (serviceId: ServiceId) => Patience;
  /** Counter minutes a call that nobody answers costs (the call, the recalls, the no-show). */
  noShowMinutes: number;
  /** Share of booked appointments whose customer checks in. */
  appointmentShowShare: number;
  /** When each open or paused counter calls (`availability.ts`). */
  outlooks: Map<CounterId, CounterOutlook>;
  /** Shares of the classes of the service's recent walk-in customers (normal, VIP, priority). */
  classShares: (serviceId: ServiceId) => Partial<Record<TicketClass, number>>;
}

/** Priors: what a branch looks like before today has shown anything. */
const PRIOR = {
  /** Walk to the counter after the call, minutes. */
  walk: 0.6,
  /** The teller's wrap-up and reaction between finishing and the next call, minutes. */
  gap: 0.4,
  noShowMinutes: 2.5,
  appointmentShow: 0.85,
  /** Observations each prior is worth. */
  weight: 6,
} as const;

/** Window of issues that arrival rates are taken from, minutes. */
const ARRIVAL_WINDOW = 60;
/** Never divide by a window shorter than this: the first tickets of the day are not a rate yet. */
const MIN_ARRIVAL_WINDOW = 25;
/** EM rounds from the history's own fit once today's waiting customers are added. */
const WAITING_ROUNDS = 3;

function shrink(sum: number, n: number, prior: number, weight: number = PRIOR.weight): number {
  return (sum + prior * weight) / (n + weight);
}

const OUTCOME_KINDS = ['served', 'noShow', 'cancelled'] as const;

/** A service's outcomes as observations: no-shows grouped by the half minute (their part is refitted each round). */
function outcomeObservations(list: readonly WaitOutcome[]): Observation[] {
  const out: Observation[] = [];
  const noShows = new Map<number, number>();
  for (const [w, code] of list) {
    if (code === 1) {
      const k = Math.round(w * 2) / 2;
      noShows.set(k, (noShows.get(k) ?? 0) + 1);
    } else out.push({ kind: OUTCOME_KINDS[code], waited: w });
  }
  for (const [waited, count] of noShows) out.push({ kind: 'noShow', waited, count });
  return out;
}

/**
 * The patience fits from the history alone, per outcomes record (the fold replaces it when an outcome
 * is added): the pooled one and each service's, shrunk to the pooled one. Pure: same record, same fit.
 */
const historyFits = new WeakMap<
  object,
  { pooled: Patience; byService: Map<ServiceId, Patience>; data: Map<ServiceId, PatienceData> }
>();
/** Each service's prepared outcomes, per outcomes list (most lists are unchanged from one state to the next). */
const dataCache = new WeakMap<readonly WaitOutcome[], PatienceData>();

function fitsFromHistory(outcomes: Record<ServiceId, WaitOutcome[]>) {
  const hit = historyFits.get(outcomes);
  if (hit) return hit;
  const data = new Map<ServiceId, PatienceData>();
  for (const id of Object.keys(outcomes)) {
    const list = outcomes[id]!;
    let d = dataCache.get(list);
    if (!d) {
      d = patienceData(outcomeObservations(list));
      dataCache.set(list, d);
    }
    data.set(id, d);
  }
  const all = [...data.values()];
  const pooled = fitPatienceData(all.reduce(mergeData, patienceData([])));
  const byService = new Map<ServiceId, Patience>();
  for (const [id, d] of data)
    byService.set(id, fitPatienceData(d, pooled, { exposure: SERVICE_PRIOR_EXPOSURE, start: pooled }));
  const result = { pooled, byService, data };
  historyFits.set(outcomes, result);
  return result;
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

const EMPTY_OUTCOMES: Record<ServiceId, WaitOutcome[]> = {};

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

  // Tickets issued at this very instant are not yet part of what the branch shows: so the ticket being
  // issued and the same ticket asked about a moment later (same state otherwise) get the same figure.
  const tickets = ticketIndex(state).all.filter((t) => t.issuedAt < at);
  const byCounter = new Map<CounterId, Ticket[]>();
  let noShows = 0;
  let noShowSum = 0;
  let firstIssue = Number.POSITIVE_INFINITY;
  const recent = new Map<string, ArrivalRate>();
  const waitingByService = new Map<ServiceId, Map<number, number>>();
  const classCounts = new Map<ServiceId, Partial<Record<TicketClass, number>>>();
  for (const t of tickets) {
    firstIssue = Math.min(firstIssue, t.issuedAt);
    if (t.status === 'noShow' && t.calledAt !== null && t.endedAt !== null) {
      noShows++;
      noShowSum += (t.endedAt - t.calledAt) / MINUTE;
    }
    // Today's waiting customers: still there, or already gone unseen (the first minutes say little).
    if (
      t.status === 'waiting' &&
      t.transfers === 0 &&
      t.class !== 'appointment' &&
      at - t.queuedAt >= 5 * MINUTE
    ) {
      const w = Math.round(Math.max(0, at - t.queuedAt) / MINUTE);
      let m = waitingByService.get(t.serviceId);
      if (!m) {
        m = new Map();
        waitingByService.set(t.serviceId, m);
      }
      m.set(w, (m.get(w) ?? 0) + 1);
    }
    if (t.counterId !== null && t.calledAt !== null) {
      const list = byCounter.get(t.counterId);
      if (list) list.push(t);
      else byCounter.set(t.counterId, [t]);
    }
    if (t.source === 'kiosk' && t.issuedAt >= at - ARRIVAL_WINDOW * MINUTE) {
      const key = `${t.serviceId}\u0000${t.class}`;
      const r = recent.get(key);
      if (r) r.perMinute += 1;
      else recent.set(key, { serviceId: t.serviceId, class: t.class, perMinute: 1 });
    }
  }
  const window = Math.max(MIN_ARRIVAL_WINDOW, Math.min(ARRIVAL_WINDOW, (at - firstIssue) / MINUTE));
  const arrivals = [...recent.values()].map((r) => ({ ...r, perMinute: r.perMinute / window }));

  // The classes a service's customers come in: the recent history (kept across days, today's included).
  const classes = state.history?.classes ?? {};
  for (const id of Object.keys(classes)) {
    const counts: Partial<Record<TicketClass, number>> = {};
    for (const c of classes[id]!) if (c !== 'appointment') counts[c] = (counts[c] ?? 0) + 1;
    classCounts.set(id, counts);
  }
  const classShares = (serviceId: ServiceId) => {
    const counts = classCounts.get(serviceId) ?? {};
    const total = Object.values(counts).reduce((a, v) => a + v, 0);
    if (total === 0) return { normal: 1 };
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total])) as Partial<
      Record<TicketClass, number>
    >;
  };

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

  // Patience: the history's fits, then today's waiting customers (censored, possibly gone) on top.
  const fromHistory = fitsFromHistory(state.history?.outcomes ?? EMPTY_OUTCOMES);
  const patienceCache = new Map<ServiceId, Patience>();
  const patience = (serviceId: ServiceId) => {
    let p = patienceCache.get(serviceId);
    if (p) return p;
    const base = fromHistory.byService.get(serviceId) ?? fromHistory.pooled;
    const waiting = waitingByService.get(serviceId);
    if (!waiting) p = base;
    else {
      const more: Observation[] = [];
      for (const [waited, count] of waiting) more.push({ kind: 'waiting', waited, count });
      p = fitPatienceData(fromHistory.data.get(serviceId) ?? patienceData([]), fromHistory.pooled, {
        exposure: SERVICE_PRIOR_EXPOSURE,
        start: base,
        rounds: WAITING_ROUNDS,
        more,
      });
    }
    patienceCache.set(serviceId, p);
    return p;
  };

  return {
    service,
    speed: (counterId) => speeds.get(counterId) ?? 1,
    overhead: (counterId) => overheads.get(counterId) ?? branchWalk + branchGap,
    arrivals,
    patience,
    noShowMinutes: shrink(noShowSum, noShows, PRIOR.noShowMinutes),
    appointmentShowShare: shrink(came, booked, PRIOR.appointmentShow, 10),
    outlooks: counterOutlooks(state, at),
    classShares,
  };
}
