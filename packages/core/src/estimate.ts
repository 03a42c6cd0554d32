import { localTime, parseHhmm } from './clock.ts';
import { canServe, type DispatchTicket } from './dispatch.ts';
import { ForwardQueue } from './forward-queue.ts';
import { type ArrivalRate, type BranchModel, learnBranch } from './stats.ts';
import type {
  AppointmentId,
  CounterConfig,
  CounterState,
  QueueState,
  ServiceId,
  TicketClass,
  TicketId,
  WaitEstimate,
} from './types.ts';

/**
 * How long until a ticket is called.
 *
 * The estimator runs the branch forward: every counter takes tickets by the very dispatch rule that
 * "call next" uses (classes, appointments, service priorities, ageing). What it knows goes in:
 * - the services in progress: what remains of each, given how long it has already lasted (a lognormal
 *   service that has run long has longer to go, not less);
 * - paused counters come back after a lunch or a short break;
 * - each service lasts the branch's own robust mean for its kind, scaled by the counter's pace today,
 *   plus what a call costs besides (the walk up, the teller's wrap-up);
 * - the customers ahead may give up or not answer their call: each costs its expected counter time;
 * - customers keep arriving at the rates of the last hour, and those who outrank the ticket (VIPs,
 *   priority customers, a counter's main business) go ahead of it as they will;
 * - booked appointments come at their slots (as many as usually show up), and a customer checking in
 *   is called at their own slot.
 * The wait is when a counter first picks the ticket. Ibrahim & Whitt (2009) found such queue-length
 * estimators the best when their model holds; this one carries the model of our own dispatch rule.
 *
 * Closed counters stay closed, except a flexible counter the branch has already opened and closed
 * again today: when the expected wait passes 20 minutes the estimator expects it back, as a manager
 * who has done it once does again.
 *
 * The printed range comes from the uncertainty that remains: the spread of the services in progress
 * and of those ahead, whether customers ahead are still there, whether imagined arrivals come, shared
 * between the counters, and a share of the wait for what no model sees (a teller called away). The
 * wait is taken as lognormal with that mean and spread. The point figure is its median, the figure
 * that minimises the absolute error; the range is a central interval rounded to the nearest 5 or 10
 * minutes, as wide as it must be to hold the actual wait about 4 times in 5.
 *
 * It is a plain function of (state, query, time), so the simulator can measure it and swap it.
 */
export type EstimateQuery =
  | {
      kind: 'new';
      serviceId: ServiceId;
      class: TicketClass;
      /**
       * For a check-in: the appointment being checked in (its slot decides when it is called). When
       * absent for an appointment ticket, the booked appointment of the service whose check-in window
       * holds the time is assumed.
       */
      appointmentId?: AppointmentId;
    }
  | { kind: 'ticket'; ticketId: TicketId };

export type WaitEstimator = (state: QueueState, query: EstimateQuery, at: number) => WaitEstimate | null;

const MINUTE = 60_000;
const NEW_TICKET_ID = '\u0000new';
/** How far ahead arrivals are imagined at most, minutes. */
const ARRIVAL_HORIZON = 240;
/** Imagined customers per stream at most: keeps an estimate cheap whatever the rates. */
const MAX_IMAGINED_PER_STREAM = 40;
/** A lunch break and any other pause, minutes, when nothing better is known. */
const LUNCH_MINUTES = 40;
const OTHER_PAUSE_MINUTES = 15;
/**
 * A branch that has used a flexible counter today will open it again when waits grow: past this many
 * minutes of expected wait the estimator assumes it does.
 */
const FLEX_AFTER_MINUTES = 20;
/** Minutes until a closed counter opens when the estimator assumes the manager opens it. */
const FLEX_OPENS_MINUTES = 5;
/** Spread of when a pause ends, minutes. */
const PAUSE_SD = 8;
/** A pause that has already run over its usual length ends soon. */
const OVERRUN_MINUTES = 3;
/** Uncertainty no queue model sees, as a share of the wait (a teller called away, a complex case). */
const MODEL_SHARE = 0.2;
/** Minutes of spread every estimate has (reaction times, the customer's own walk). */
const BASE_SD = 0.75;
/**
 * z of the range ends. The 10th/90th percentiles would be 1.28; the range is rounded to the nearest
 * 5 or 10 minutes, and 1.5 is what holds about 80 % of actual waits after rounding (measured with the
 * simulator, `packages/sim`).
 */
const Z = 1.5;

interface SimTicket extends DispatchTicket {
  appearAt: number;
  /** Expected share of the booked / imagined customers who come: appointments that may not. */
  weight: number;
  /** Someone already waiting now (not imagined). */
  real: boolean;
}

/** The fields dispatch looks at, in one shape for every simulated ticket (a copy: the run mutates it). */
function simTicket(t: DispatchTicket, at: number): SimTicket {
  return {
    id: t.id,
    serviceId: t.serviceId,
    class: t.class,
    queuedAt: t.queuedAt,
    queueOrder: t.queueOrder,
    overtaken: t.overtaken,
    targetCounterId: t.targetCounterId,
    slotStart: t.slotStart,
    transfers: t.transfers,
    appearAt: at,
    weight: 1,
    real: true,
  };
}

/** A stream of imagined walk-ins: the k-th (k = 0.5, 1.5, …) comes k gaps after now. */
interface Stream {
  rate: ArrivalRate;
  /** Minutes between two. */
  gap: number;
  k: number;
  /** Minutes after now past which they no longer matter. */
  horizon: number;
}

interface SimCounter {
  config: CounterConfig;
  freeAt: number;
  order: number;
  /** Variance of when it first becomes free, minutes². */
  variance: number;
}

/** Rounds a range outwards to steps customers read easily: "5–10 min", "20–30 min". */
export function roundRange(lowMin: number, highMin: number): { low: number; high: number } {
  const step = highMin <= 30 ? 5 : 10;
  let low = Math.max(0, Math.floor(lowMin / step) * step);
  let high = Math.max(step, Math.ceil(highMin / step) * step);
  if (high - low < step) high = low + step;
  if (low >= high) low = Math.max(0, high - step);
  return { low, high };
}

/**
 * Rounds a range to the nearest steps customers read easily, keeping `point` inside and at least one
 * step wide. Unlike `roundRange` it does not always widen: the ends are quantiles chosen so that the
 * rounded range holds the actual wait about as often as the range says.
 */
export function nearestRange(lowMin: number, highMin: number, point: number): { low: number; high: number } {
  const step = highMin <= 30 ? 5 : 10;
  let low = Math.max(0, Math.round(lowMin / step) * step);
  let high = Math.max(step, Math.round(highMin / step) * step);
  if (low > point) low = Math.max(0, Math.floor(point / step) * step);
  if (high < point) high = Math.ceil(point / step) * step;
  if (high - low < step) {
    // One step: the one the point falls in.
    low = Math.max(0, Math.floor(point / step) * step);
    high = low + step;
  }
  return { low, high };
}

/** Standard normal distribution function (erfc after Numerical Recipes, |error| < 1.2e-7). */
function normalCdf(x: number): number {
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
 * Expected remaining time of a lognormal service (mean `mean`, coefficient of variation `cv`) that has
 * already lasted `elapsed`: E[S − e | S > e]. Longer than mean − e: a service that has run long is
 * likely one of the long ones. Capped at one mean: past three means it is more likely a forgotten
 * "finish" than a service still going.
 */
export function residualService(mean: number, cv: number, elapsed: number): number {
  if (elapsed <= 0) return mean;
  const s2 = Math.log(1 + cv * cv);
  const s = Math.sqrt(s2);
  const m = Math.log(mean) - s2 / 2;
  const le = Math.log(elapsed);
  const tail = normalCdf((m - le) / s);
  if (tail < 1e-6) return Math.min(mean, Math.max(0.1 * mean, elapsed * s2));
  const partial = mean * normalCdf((m + s2 - le) / s);
  return Math.min(mean, Math.max(0, partial / tail - elapsed));
}

function pauseMinutes(reason: string | null): number {
  return reason !== null && /lunch|午|饭|餐|meal/i.test(reason) ? LUNCH_MINUTES : OTHER_PAUSE_MINUTES;
}

/**
 * When a counter will next take a ticket, from now: after the current service, or after the pause;
 * with the variance of that time (minutes²).
 */
function counterFreeAt(
  state: QueueState,
  model: BranchModel,
  cfg: CounterConfig,
  rt: CounterState,
  at: number,
): { at: number; variance: number } {
  if (rt.status === 'paused') {
    const back = rt.since + pauseMinutes(rt.pauseReason) * MINUTE;
    return { at: Math.max(back, at + OVERRUN_MINUTES * MINUTE), variance: PAUSE_SD ** 2 };
  }
  const current = rt.ticketId ? state.tickets[rt.ticketId] : undefined;
  if (!current || (current.status !== 'called' && current.status !== 'serving')) return { at, variance: 0 };
  const st = model.service(current.serviceId);
  const mean = st.minutes * model.speed(cfg.id);
  const overhead = model.overhead(cfg.id);
  const sinceCall = (at - (current.calledAt ?? at)) / MINUTE;
  let left: number;
  if (current.status === 'serving') {
    const elapsed = (at - (current.servingAt ?? at)) / MINUTE;
    left = residualService(mean, st.cv, elapsed) + overhead * 0.4;
  } else if (current.recalls > 0) {
    // Recalled: most likely a no-show in progress.
    left = Math.max(0.5, model.noShowMinutes - sinceCall);
  } else if (overhead === 0) {
    // A keypad counter: the service runs from the call to the next call.
    left = residualService(mean, st.cv, sinceCall);
  } else {
    // Just called at a console counter: the customer is on the way.
    left = Math.max(0, overhead * 0.6 - sinceCall) + mean + overhead * 0.4;
  }
  // What remains of a lognormal service is about as spread as it is long.
  return { at: at + left * MINUTE, variance: (st.cv * left) ** 2 };
}

/**
 * Minutes after `at` within which a newcomer of stream `r` could still be called before `target` at
 * some counter serving both (the dispatch score: minutes waited + class head start − rank penalty);
 * 0 or less when it never could.
 */
function precedenceWindow(
  settings: QueueState['config']['dispatch'],
  counters: readonly SimCounter[],
  target: SimTicket,
  r: ArrivalRate,
  at: number,
): number {
  const head = (cls: TicketClass, transfers: number, rank: number) =>
    (settings.classBoostMinutes[cls] ?? 0) +
    (transfers > 0 ? settings.transferBoostMinutes : 0) -
    rank * settings.serviceRankPenaltyMinutes;
  const waited = (at - target.queuedAt) / MINUTE;
  let window = Number.NEGATIVE_INFINITY;
  for (const c of counters) {
    if (!canServe(c.config, target) || !c.config.services.includes(r.serviceId)) continue;
    const mine = head(
      target.class,
      target.transfers,
      Math.max(0, c.config.services.indexOf(target.serviceId)),
    );
    const theirs = head(r.class, 0, c.config.services.indexOf(r.serviceId));
    window = Math.max(window, theirs - mine - waited);
  }
  return window;
}

/** When the service's hours (or the branch's) next open today, or `at` when they are open now. */
function opensAt(state: QueueState, serviceId: ServiceId, at: number): number {
  const { config } = state;
  const s = config.services[serviceId];
  const hours = s && s.hours.length > 0 ? s.hours : config.branch.hours;
  // One clock reading (Intl is the slow part), then the same test as `checkHours`.
  const t = localTime(at, config.branch.timeZone);
  let next: number | null = null;
  for (const h of hours) {
    if (!h.days.includes(t.weekday)) continue;
    const open = parseHhmm(h.open);
    if (t.minuteOfDay >= open && t.minuteOfDay < parseHhmm(h.close)) return at;
    if (open > t.minuteOfDay && (next === null || open < next)) next = open;
  }
  return next === null ? at : at + (next - t.minuteOfDay) * MINUTE;
}

/** The booked appointment a new appointment ticket is being checked in for (its slot decides its call). */
function appointmentBeingCheckedIn(state: QueueState, serviceId: ServiceId, at: number) {
  const { checkInEarlyMinutes, checkInLateMinutes } = state.config.dispatch;
  let best: { id: string; slotStart: number } | null = null;
  for (const a of Object.values(state.appointments)) {
    if (a.status !== 'booked' || a.serviceId !== serviceId) continue;
    if (at < a.slotStart - checkInEarlyMinutes * MINUTE || at > a.slotStart + checkInLateMinutes * MINUTE)
      continue;
    if (!best || Math.abs(a.slotStart - at) < Math.abs(best.slotStart - at))
      best = { id: a.id, slotStart: a.slotStart };
  }
  return best;
}

/** The estimator's own constants, for measuring variants against the simulator. */
export interface EstimatorTuning {
  /** Imagine the walk-ins the last hour says will keep coming. Default true. */
  arrivals: boolean;
  /**
   * Expect a closed counter that serves the ticket to open when the wait is this long (minutes);
   * 0 = never. Default 20.
   */
  flexAfter: number;
  /** Only counters opened and closed again today count as flexible. Default true. */
  flexEvidence: boolean;
  /** Model customers giving up and not answering. Default true. */
  attrition: boolean;
  /** Share of the wait no model sees, as a standard deviation. Default `MODEL_SHARE`. */
  modelShare: number;
  /** Minutes of spread every estimate has. Default `BASE_SD`. */
  baseSd: number;
  /** z of the range ends. Default 1.5 (see `Z`). */
  z: number;
  /** Round the range ends to the nearest step (true) or outwards (false). Default true. */
  nearest: boolean;
  /** Print the median (true) or the mean (false) of the predicted wait. Default true. */
  median: boolean;
}

const DEFAULT_TUNING: EstimatorTuning = {
  arrivals: true,
  flexAfter: FLEX_AFTER_MINUTES,
  flexEvidence: true,
  attrition: true,
  modelShare: MODEL_SHARE,
  baseSd: BASE_SD,
  z: Z,
  median: true,
  nearest: true,
};

export const estimateWait: WaitEstimator = (state, query, at) =>
  estimateWith(DEFAULT_TUNING, state, query, at);

/** An estimator with some constants changed (for the simulator's studies). */
export function createEstimator(tuning: Partial<EstimatorTuning> = {}): WaitEstimator {
  const t = { ...DEFAULT_TUNING, ...tuning };
  return (state, query, at) => estimateWith(t, state, query, at);
}

function estimateWith(
  tuning: EstimatorTuning,
  state: QueueState,
  query: EstimateQuery,
  at: number,
): WaitEstimate | null {
  const { config } = state;
  let target: SimTicket;
  let checkingIn: string | null = null;
  if (query.kind === 'new') {
    if (!config.services[query.serviceId]) return null;
    const named = query.appointmentId !== undefined ? state.appointments[query.appointmentId] : undefined;
    const appt = named
      ? { id: named.id, slotStart: named.slotStart }
      : query.class === 'appointment'
        ? appointmentBeingCheckedIn(state, query.serviceId, at)
        : null;
    checkingIn = appt?.id ?? null;
    target = {
      id: NEW_TICKET_ID,
      serviceId: query.serviceId,
      class: query.class,
      queuedAt: at,
      queueOrder: state.queueSeq + 1,
      overtaken: 0,
      targetCounterId: null,
      slotStart: appt?.slotStart ?? null,
      transfers: 0,
      appearAt: at,
      weight: 1,
      real: true,
    };
  } else {
    const t = state.tickets[query.ticketId];
    if (t?.status !== 'waiting') return null;
    target = simTicket(t, at);
  }
  const model = learnBranch(state, at);
  let run = runForward(tuning, state, model, target, checkingIn, at, []);
  if (tuning.flexAfter > 0 && run.waitMinutes > tuning.flexAfter) {
    // Only a counter the branch has already opened and closed again today: a flexible window in use.
    let dayStart = Number.POSITIVE_INFINITY;
    for (const t of Object.values(state.tickets)) dayStart = Math.min(dayStart, t.issuedAt);
    const closed = config.counterOrder.filter((id) => {
      const cfg = config.counters[id];
      const rt = state.counters[id];
      return (
        cfg !== undefined &&
        rt?.status === 'closed' &&
        (!tuning.flexEvidence || rt.since > dayStart) &&
        canServe(cfg, target)
      );
    });
    if (closed.length > 0) run = runForward(tuning, state, model, target, checkingIn, at, closed);
  }

  const st = model.service(target.serviceId);
  const mean = run.waitMinutes;
  const sd = Math.sqrt(run.variance + (tuning.modelShare * mean) ** 2 + tuning.baseSd ** 2);
  // The wait as a lognormal with this mean and spread: its median is the point, its deciles the range.
  const m = Math.max(mean, 0.05);
  const s2 = Math.log(1 + (sd * sd) / (m * m));
  const mu = Math.log(m) - s2 / 2;
  const s = Math.sqrt(s2);
  const minutes = mean < 0.05 ? 0 : tuning.median ? Math.exp(mu) : mean;
  const lowQ = mean < 0.05 ? 0 : Math.exp(mu - tuning.z * s);
  const highQ = Math.exp(mu + tuning.z * s);
  const range = tuning.nearest ? nearestRange(lowQ, highQ, minutes) : roundRange(lowQ, highQ);
  return {
    minutes: Math.round(minutes * 10) / 10,
    lowMinutes: range.low,
    highMinutes: range.high,
    ahead: run.ahead,
    countersOpen: run.openServing,
    serviceMinutes: Math.round(st.minutes * 10) / 10,
    basis: st.basis,
    historyCount: st.n,
    noCounterOpen: run.openServing === 0,
  };
}

interface ForwardRun {
  /** Expected minutes until a counter picks the ticket. */
  waitMinutes: number;
  /** Variance of that, minutes². */
  variance: number;
  /** Customers called before it at the counters that serve it. */
  ahead: number;
  /** Counters open now that serve it. */
  openServing: number;
}

/** Runs the branch forward from `at` until a counter picks `target`. */
function runForward(
  tuning: EstimatorTuning,
  state: QueueState,
  model: BranchModel,
  targetIn: SimTicket,
  checkingIn: string | null,
  at: number,
  /** Closed counters assumed to open a few minutes from now. */
  opening: readonly string[],
): ForwardRun {
  const { config } = state;
  const settings = config.dispatch;
  const target: SimTicket = simTicket(targetIn, at);

  // Counters that will take tickets: open ones when their current service ends, paused ones when
  // they come back. Closed counters stay closed.
  const counters: SimCounter[] = [];
  let openServing = 0;
  config.counterOrder.forEach((id, order) => {
    const cfg = config.counters[id];
    const rt = state.counters[id];
    if (!cfg || !rt) return;
    if (rt.status === 'closed') {
      if (opening.includes(id))
        counters.push({
          config: cfg,
          freeAt: at + FLEX_OPENS_MINUTES * MINUTE,
          order,
          variance: PAUSE_SD ** 2,
        });
      return;
    }
    if (rt.status === 'open' && canServe(cfg, target)) openServing++;
    const free = counterFreeAt(state, model, cfg, rt, at);
    counters.push({ config: cfg, freeAt: free.at, order, variance: free.variance });
  });
  let serving = counters.filter((c) => canServe(c.config, target));
  if (serving.length === 0) {
    // Assume the first counter that could serve it opens now, or when the branch opens.
    const cfgId = config.counterOrder.find((id) => {
      const c = config.counters[id];
      return c !== undefined && canServe(c, target);
    });
    const cfg: CounterConfig = (cfgId ? config.counters[cfgId] : undefined) ?? {
      id: '\u0000virtual',
      number: 0,
      name: { zh: '', en: '' },
      services: [target.serviceId],
      ledAddress: null,
      keypadAddress: null,
    };
    const virtual: SimCounter = {
      config: cfg,
      freeAt: opensAt(state, target.serviceId, at),
      order: -1,
      variance: 0,
    };
    counters.push(virtual);
    serving = [virtual];
  }
  const servingIds = new Set(serving.map((c) => c.config.id));
  let variance = 0;
  for (const c of serving) variance += c.variance;

  // Tickets in play: everyone waiting now, the target, booked appointments still to come, and the
  // walk-ins the last hour says will keep coming.
  const present: SimTicket[] = [];
  for (const t of Object.values(state.tickets))
    if (t.status === 'waiting' && t.id !== target.id) present.push(simTicket(t, at));
  present.push(target);
  const appointments: SimTicket[] = [];
  for (const a of Object.values(state.appointments)) {
    if (a.status !== 'booked' || a.id === checkingIn) continue;
    if (at - a.slotStart > settings.checkInLateMinutes * MINUTE) continue;
    const due = Math.max(at, a.slotStart - settings.appointmentLeadMinutes * MINUTE);
    appointments.push({
      id: `\u0000appt:${a.id}`,
      serviceId: a.serviceId,
      class: 'appointment',
      queuedAt: due,
      queueOrder: 0,
      overtaken: 0,
      targetCounterId: null,
      slotStart: a.slotStart,
      transfers: 0,
      appearAt: due,
      weight: model.appointmentShowShare,
      real: false,
    });
  }
  appointments.sort((a, b) => a.appearAt - b.appearAt);
  const streams: Stream[] = [];
  for (const r of tuning.arrivals ? model.arrivals : []) {
    // Only a newcomer who can be called before the ticket changes its wait: one whose head start
    // (class, service rank) at a counter serving both beats the minutes the ticket has over it. That
    // bounds how far ahead arrivals matter: a VIP arriving more than 10 minutes after a normal ticket
    // of the same service never goes first.
    const horizon = Math.min(ARRIVAL_HORIZON, precedenceWindow(settings, counters, target, r, at));
    if (r.perMinute <= 0 || horizon <= 0) continue;
    streams.push({ rate: r, gap: 1 / r.perMinute, k: 0.5, horizon });
  }
  // Arrivals are made as the run reaches their time: most runs end long before the horizon.
  let nextOrder = state.queueSeq + 2;
  let ai = 0;
  const nextOf = (st: Stream) =>
    st.k * st.gap <= st.horizon && st.k < MAX_IMAGINED_PER_STREAM
      ? at + st.k * st.gap * MINUTE
      : Number.POSITIVE_INFINITY;
  // The queue as "call next" would work through it, built once: O(log n) a call.
  const imaginedPer = new Map<string, number>();
  for (const a of appointments) imaginedPer.set(a.serviceId, (imaginedPer.get(a.serviceId) ?? 0) + 1);
  for (const st of streams)
    imaginedPer.set(st.rate.serviceId, (imaginedPer.get(st.rate.serviceId) ?? 0) + MAX_IMAGINED_PER_STREAM);
  const queue = new ForwardQueue<SimTicket>(settings, present, (id) => imaginedPer.get(id) ?? 0);
  const admit = (now: number) => {
    const batch: SimTicket[] = [];
    while (ai < appointments.length && appointments[ai]!.appearAt <= now) batch.push(appointments[ai++]!);
    for (const st of streams) {
      for (let when = nextOf(st); when <= now; when = nextOf(st)) {
        batch.push({
          id: `\u0000arr:${st.rate.serviceId}:${st.rate.class}:${st.k}`,
          serviceId: st.rate.serviceId,
          class: st.rate.class,
          queuedAt: when,
          queueOrder: 0,
          overtaken: 0,
          targetCounterId: null,
          slotStart: null,
          transfers: 0,
          appearAt: when,
          weight: 1,
          real: false,
        });
        st.k++;
      }
    }
    if (batch.length > 1) batch.sort((a, b) => a.appearAt - b.appearAt);
    for (const t of batch) {
      t.queueOrder = nextOrder++;
      queue.add(t);
    }
  };
  /** When the next imagined customer this counter could serve arrives. */
  const nextFor = (c: SimCounter) => {
    let next = Number.POSITIVE_INFINITY;
    for (let j = ai; j < appointments.length; j++)
      if (canServe(c.config, appointments[j]!)) {
        next = appointments[j]!.appearAt;
        break;
      }
    for (const st of streams)
      if (c.config.services.includes(st.rate.serviceId)) next = Math.min(next, nextOf(st));
    return next;
  };
  const imagined = appointments.length + streams.length * MAX_IMAGINED_PER_STREAM;

  const expectedCost = (t: SimTicket, c: SimCounter, now: number) => {
    const st = model.service(t.serviceId);
    const mean = st.minutes * model.speed(c.config.id);
    const waitedNow = (at - t.queuedAt) / MINUTE;
    const waitedThen = (now - t.queuedAt) / MINUTE;
    // A transferred customer is already at the counters and answers.
    const ns = t.transfers > 0 || !tuning.attrition ? 0 : model.noShowShare(Math.max(0, waitedThen));
    const stays = t.real && tuning.attrition ? model.stays(Math.max(0, waitedNow), waitedThen) : 1;
    const p = t.weight * stays;
    const served = (1 - ns) * mean + ns * model.noShowMinutes + model.overhead(c.config.id);
    // Spread of this ticket's counter time: the service's own, whether the customer is there, and for
    // imagined arrivals whether they come at all (a Poisson count has variance = mean).
    const variance =
      p * (1 - ns) * (st.cv * mean) ** 2 + p * (1 - p) * served ** 2 + (t.real ? 0 : p * served ** 2);
    return { minutes: p * served, variance };
  };

  let ahead = 0;
  let waitMs: number | null = null;
  let pool = [...counters];
  const maxSteps = (present.length + imagined + 2) * (pool.length + 1) * 2;
  for (let step = 0; step < maxSteps && pool.length > 0; step++) {
    let c = pool[0]!;
    for (const o of pool) if (o.freeAt < c.freeAt || (o.freeAt === c.freeAt && o.order < c.order)) c = o;
    const now = c.freeAt;
    admit(now);
    const pick = queue.pick(c.config, now);
    if (!pick) {
      const nextAppear = nextFor(c);
      if (Number.isFinite(nextAppear)) c.freeAt = nextAppear;
      else pool = pool.filter((o) => o !== c);
      continue;
    }
    queue.take(pick, c.config);
    if (pick === target) {
      waitMs = now - at;
      break;
    }
    const cost = expectedCost(pick, c, now);
    if (servingIds.has(c.config.id)) {
      if (pick.real) ahead += 1;
      variance += cost.variance;
    }
    c.freeAt = now + cost.minutes * MINUTE;
  }
  const m = Math.max(1, serving.length);
  if (waitMs === null) waitMs = ((ahead + 1) * model.service(target.serviceId).minutes * MINUTE) / m;
  return { waitMinutes: waitMs / MINUTE, variance: variance / (m * m), ahead, openServing };
}
