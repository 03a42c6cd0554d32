import { aheadInQueue, anyReason } from './ahead.ts';
import type { CounterOutlook } from './availability.ts';
import { calibrate, normalCdf } from './calibrate.ts';
import { localTime, parseHhmm } from './clock.ts';
import { canServe, type DispatchTicket } from './dispatch.ts';
import { MINUTE } from './durations.ts';
import { ForwardQueue } from './forward-queue.ts';
import { type ArrivalRate, type BranchModel, learnBranch } from './stats.ts';
import { atCall } from './survival.ts';
import { ticketIndex } from './ticket-index.ts';
import type {
  AppointmentId,
  CounterConfig,
  CounterReturn,
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
 * "call next" uses (classes, appointments, service priorities, ageing — `forward-queue.ts` does it in
 * O(log n) a call). What it knows goes in:
 * - the services in progress: what remains of each, given how long it has already lasted (a lognormal
 *   service that has run long has longer to go, not less);
 * - when each counter calls (`availability.ts`): a paused counter comes back when its teller said, when
 *   its planned break ends, or when pauses like it have ended before; an open counter that has its lunch
 *   still to take is away then (planned), or thinned by the chance its past lunches say;
 * - each service lasts the branch's own robust mean for its kind, scaled by the counter's pace today,
 *   plus what a call costs besides (the walk up, the teller's wrap-up);
 * - who is still there (`survival.ts`): a customer ahead may have walked out unseen or may still give
 *   up; one who cancels costs the counter nothing, one who walked out costs a call nobody answers;
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
 * The model's figure is then calibrated on the branch's own recent errors (`calibrate.ts`): the printed
 * point is the median of what followed estimates of about this size, and the range the rounded one
 * most likely to hold the wait 4 times in 5 — "more than L" when it would be too wide to help.
 *
 * With no counter open for the service, the estimate says which counter is expected back first and
 * when; when nothing says that (every counter closed), it says the wait is unknown (`unknown`) — the
 * minutes are then only the model's guess, for measuring, and no screen shows them.
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

const NEW_TICKET_ID = '\u0000new';
/** How far ahead arrivals are imagined at most, minutes. */
const ARRIVAL_HORIZON = 240;
/** Imagined customers per stream at most: keeps an estimate cheap whatever the rates. */
const MAX_IMAGINED_PER_STREAM = 40;
/**
 * A branch that has used a flexible counter today will open it again when waits grow: past this many
 * minutes of expected wait the estimator assumes it does.
 */
const FLEX_AFTER_MINUTES = 20;
/** Minutes until a closed counter opens when the estimator assumes the manager opens it. */
const FLEX_OPENS_MINUTES = 5;
/** Spread of when a flexible counter opens, minutes. */
const FLEX_SD = 8;
/** Closed counters are expected to open this long after the service's hours begin (tellers sitting down). */
const OPENING_MINUTES = 3;
/** After opening, for this long a service with every counter closed is expected to open; later: unknown. */
const OPENING_GRACE_MINUTES = 30;
/** With every counter closed and nothing known: the guess the figures carry (never shown). */
const UNKNOWN_GUESS_MINUTES = 30;
/** Uncertainty no queue model sees, as a share of the wait (a teller called away, a complex case). */
const MODEL_SHARE = 0.2;
/** Minutes of spread every estimate has (reaction times, the customer's own walk). */
const BASE_SD = 0.75;
/** Share of booked customers present when called (they come for their slot). */
const APPOINTMENT_ANSWERS = 0.97;

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
  /** Minutes after `at` when it next takes a ticket. */
  freeAt: number;
  order: number;
  /** Variance of when it first becomes free, minutes². */
  variance: number;
  outlook: CounterOutlook | null;
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
 * step wide. Unlike `roundRange` it does not always widen.
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

/**
 * Minutes of counter work left on the customer at the counter now, and its variance (min²); 0 when
 * the counter is free.
 */
function workInHand(
  state: QueueState,
  model: BranchModel,
  cfg: CounterConfig,
  rt: CounterState,
  at: number,
): { left: number; variance: number } {
  const current =
    rt.ticketId !== null && Object.hasOwn(state.tickets, rt.ticketId)
      ? state.tickets[rt.ticketId]
      : undefined;
  if (!current || (current.status !== 'called' && current.status !== 'serving'))
    return { left: 0, variance: 0 };
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
  return { left, variance: (st.cv * left) ** 2 };
}

/** Minutes after `at` until the service's hours (or the branch's) next open today; 0 when open now. */
function opensIn(state: QueueState, serviceId: ServiceId, at: number): { in: number; since: number | null } {
  const { config } = state;
  const s = Object.hasOwn(config.services, serviceId) ? config.services[serviceId] : undefined;
  const hours = s && s.hours.length > 0 ? s.hours : config.branch.hours;
  const t = localTime(at, config.branch.timeZone);
  let next: number | null = null;
  for (const h of hours) {
    if (!h.days.includes(t.weekday)) continue;
    const open = parseHhmm(h.open);
    if (t.minuteOfDay >= open && t.minuteOfDay < parseHhmm(h.close))
      return { in: 0, since: t.minuteOfDay - open };
    if (open > t.minuteOfDay && (next === null || open < next)) next = open;
  }
  return next === null ? { in: 0, since: null } : { in: next - t.minuteOfDay, since: null };
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
  /** Expect open counters to take the breaks they still have to take today. Default true. */
  breaks: boolean;
  /** Calibrate the point and the range on the branch's own recent errors. Default true. */
  calibrate: boolean;
  /** Share of the wait no model sees, as a standard deviation. Default `MODEL_SHARE`. */
  modelShare: number;
  /** Minutes of spread every estimate has. Default `BASE_SD`. */
  baseSd: number;
}

const DEFAULT_TUNING: EstimatorTuning = {
  arrivals: true,
  flexAfter: FLEX_AFTER_MINUTES,
  flexEvidence: true,
  attrition: true,
  breaks: true,
  calibrate: true,
  modelShare: MODEL_SHARE,
  baseSd: BASE_SD,
};

export const estimateWait: WaitEstimator = (state, query, at) =>
  estimateWith(DEFAULT_TUNING, state, query, at);

/** An estimator with some constants changed (for the simulator's studies). */
export function createEstimator(tuning: Partial<EstimatorTuning> = {}): WaitEstimator {
  const t = { ...DEFAULT_TUNING, ...tuning };
  return (state, query, at) => estimateWith(t, state, query, at);
}

/** Where the figure's counters come from when none serving the ticket is open now. */
interface Return {
  counterId: string;
  in: number;
  basis: CounterReturn['basis'];
}

/** The ticket a query is about, and the appointment being checked in (null when none). */
function targetOf(
  state: QueueState,
  query: EstimateQuery,
  at: number,
): { target: SimTicket; checkingIn: string | null } | null {
  const { config } = state;
  if (query.kind === 'new') {
    if (!Object.hasOwn(config.services, query.serviceId)) return null;
    const named =
      query.appointmentId !== undefined && Object.hasOwn(state.appointments, query.appointmentId)
        ? state.appointments[query.appointmentId]
        : undefined;
    const appt = named
      ? { id: named.id, slotStart: named.slotStart }
      : query.class === 'appointment'
        ? appointmentBeingCheckedIn(state, query.serviceId, at)
        : null;
    return {
      checkingIn: appt?.id ?? null,
      target: {
        id: `${NEW_TICKET_ID}:${query.serviceId}:${query.class}`,
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
      },
    };
  }
  const t = Object.hasOwn(state.tickets, query.ticketId) ? state.tickets[query.ticketId] : undefined;
  if (t?.status !== 'waiting') return null;
  return { target: simTicket(t, at), checkingIn: null };
}

/** Whether an open or paused counter serves the ticket (else the run would need a virtual one). */
function hasCounter(state: QueueState, target: SimTicket): boolean {
  return state.config.counterOrder.some(
    (id) =>
      Object.hasOwn(state.config.counters, id) &&
      Object.hasOwn(state.counters, id) &&
      state.counters[id]!.status !== 'closed' &&
      canServe(state.config.counters[id]!, target),
  );
}

function estimateWith(
  tuning: EstimatorTuning,
  state: QueueState,
  query: EstimateQuery,
  at: number,
): WaitEstimate | null {
  const t = targetOf(state, query, at);
  if (!t) return null;
  const model = learnBranch(state, at);
  const [run] = runForward(tuning, state, model, [t.target], t.checkingIn, at, []);
  return finish(tuning, state, model, t.target, t.checkingIn, at, run!);
}

/**
 * Estimates for several new walk-in tickets at once (the kiosk's offers: every service, every class),
 * from one forward run: each ticket rides along without taking a counter's time or passing anyone, so
 * its figure is exactly the one a run for it alone gives (`estimateWait`) — the printed one — at the
 * cost of one run instead of one per ticket.
 */
export function estimateNew(
  state: QueueState,
  queries: readonly { serviceId: ServiceId; class: TicketClass }[],
  at: number,
  tuning: Partial<EstimatorTuning> = {},
): (WaitEstimate | null)[] {
  const tn = { ...DEFAULT_TUNING, ...tuning };
  const model = learnBranch(state, at);
  const targets = queries.map((q) => targetOf(state, { kind: 'new', ...q }, at));
  const out: (WaitEstimate | null)[] = targets.map(() => null);
  const together: number[] = [];
  targets.forEach((t, i) => {
    if (!t) return;
    // Appointments and tickets with no counter at all run on their own (their runs differ).
    if (t.checkingIn !== null || t.target.class === 'appointment' || !hasCounter(state, t.target)) {
      out[i] = estimateWith(tn, state, { kind: 'new', ...queries[i]! }, at);
    } else together.push(i);
  });
  if (together.length > 0) {
    const runs = runForward(
      tn,
      state,
      model,
      together.map((i) => targets[i]!.target),
      null,
      at,
      [],
    );
    together.forEach((i, k) => {
      out[i] = finish(tn, state, model, targets[i]!.target, null, at, runs[k]!);
    });
  }
  return out;
}

/** From the forward run to the printed estimate: the flexible counter, the calibration, the words' facts. */
function finish(
  tuning: EstimatorTuning,
  state: QueueState,
  model: BranchModel,
  target: SimTicket,
  checkingIn: string | null,
  at: number,
  first: ForwardRun,
): WaitEstimate {
  const { config } = state;
  let run = first;
  if (tuning.flexAfter > 0 && run.waitMinutes > tuning.flexAfter) {
    // Only a counter the branch has already opened and closed again today: a flexible window in use.
    const { dayStart } = ticketIndex(state);
    const closed = config.counterOrder.filter((id) => {
      if (!Object.hasOwn(config.counters, id) || !Object.hasOwn(state.counters, id)) return false;
      const cfg = config.counters[id]!;
      const rt = state.counters[id]!;
      return rt.status === 'closed' && (!tuning.flexEvidence || rt.since > dayStart) && canServe(cfg, target);
    });
    if (closed.length > 0) run = runForward(tuning, state, model, [target], checkingIn, at, closed)[0]!;
  }
  const st = model.service(target.serviceId);
  const mean = run.waitMinutes;
  const sd = Math.sqrt(run.variance + (tuning.modelShare * mean) ** 2 + tuning.baseSd ** 2);
  // The wait as a floor it cannot beat (the first moment a counter could call it: a paused counter's
  // return, an appointment's slot) plus a lognormal with the rest of the mean and this spread: its
  // median is the model's point.
  const floor = Math.min(run.floor, mean);
  const m = Math.max(mean - floor, 0.05);
  const s2 = Math.log(1 + (sd * sd) / (m * m));
  const modelPoint = mean < 0.05 ? 0 : floor + Math.exp(Math.log(m) - s2 / 2);
  // Walk-in estimates learn from the walk-ins' errors, appointments from the appointments'.
  const history = tuning.calibrate ? (state.history?.estimates ?? []) : [];
  // A draw fixed for the ticket (its place in today's queue), for the range's rounding.
  const draw = ((target.queueOrder * 2654435761) >>> 0) / 2 ** 32;
  const minute = localTime(at, config.branch.timeZone).minuteOfDay;
  const c = calibrate(
    modelPoint,
    sd,
    history,
    { minute, closed: run.openServing === 0, appointment: target.class === 'appointment' },
    draw,
  );
  const ahead = aheadInQueue(state, target, at);
  const estimate: WaitEstimate = {
    minutes: Math.round(c.point * 10) / 10,
    lowMinutes: c.low,
    highMinutes: c.high,
    ahead: ahead.ahead,
    countersOpen: run.openServing,
    serviceMinutes: Math.round(st.minutes * 10) / 10,
    basis: st.basis,
    historyCount: st.n,
    noCounterOpen: run.openServing === 0,
    class: target.class,
    modelMinutes: Math.round(modelPoint * 100) / 100,
  };
  if (c.moreThan) estimate.moreThan = true;
  if (anyReason(ahead.reasons)) estimate.aheadReasons = ahead.reasons;
  if (run.openServing === 0) {
    if (run.back === null) estimate.unknown = true;
    else {
      const when = at + Math.round(run.back.in * MINUTE);
      const cfg = config.counters[run.back.counterId];
      estimate.reopen = {
        counterId: run.back.counterId,
        name: cfg?.name ?? { zh: run.back.counterId, en: run.back.counterId },
        at: when,
        hhmm: localTime(when, config.branch.timeZone).hhmm,
        basis: run.back.basis,
      };
    }
  }
  return estimate;
}

interface ForwardRun {
  /** Expected minutes until a counter picks the ticket. */
  waitMinutes: number;
  /** Variance of that, minutes². */
  variance: number;
  /** Counters open now that serve it. */
  openServing: number;
  /** With none open: the counter expected to call first for it, or null when nothing says. */
  back: Return | null;
  /** Minutes before which no counter can call it. */
  floor: number;
}

/**
 * Runs the branch forward from `at` until a counter has picked every one of `targets`. Times in
 * minutes after `at`. With several targets, each rides along: when one is picked it leaves without
 * taking the counter's time or passing anyone, so the run is the same as each target's alone.
 */
function runForward(
  tuning: EstimatorTuning,
  state: QueueState,
  model: BranchModel,
  targetsIn: readonly SimTicket[],
  checkingIn: string | null,
  at: number,
  /** Closed counters assumed to open a few minutes from now. */
  opening: readonly string[],
): ForwardRun[] {
  const { config } = state;
  const settings = config.dispatch;
  const targets = targetsIn.map((t) => simTicket(t, at));
  const targetIndex = new Map<SimTicket, number>(targets.map((t, i) => [t, i]));
  const targetIds = new Set(targets.map((t) => t.id));
  const ms = (minutes: number) => at + minutes * MINUTE;

  // Counters that will take tickets: open ones when their current customer is done, paused ones when
  // they come back. Closed counters stay closed.
  const counters: SimCounter[] = [];
  config.counterOrder.forEach((id, order) => {
    if (!Object.hasOwn(config.counters, id) || !Object.hasOwn(state.counters, id)) return;
    const cfg = config.counters[id]!;
    const rt = state.counters[id]!;
    if (rt.status === 'closed') {
      if (opening.includes(id))
        counters.push({
          config: cfg,
          freeAt: FLEX_OPENS_MINUTES,
          order,
          variance: FLEX_SD ** 2,
          outlook: null,
        });
      return;
    }
    const outlook = (tuning.breaks ? model.outlooks.get(id) : undefined) ?? null;
    const held = workInHand(state, model, cfg, rt, at);
    let freeAt: number;
    let variance: number;
    if (rt.status === 'paused') {
      // Paused "after this one": the customer at the counter is finished first.
      freeAt = Math.max(model.outlooks.get(id)?.backIn ?? 0, held.left);
      variance = (model.outlooks.get(id)?.backVariance ?? 0) + held.variance;
    } else {
      freeAt = outlook ? outlook.finish(0, held.left) : held.left;
      variance = held.variance;
    }
    counters.push({ config: cfg, freeAt, order, variance, outlook });
  });

  // Per target: the counters that serve it, whether any is open, the one expected back first.
  const facts = targets.map((target) => {
    let openServing = 0;
    let back: Return | null = null;
    for (const c of counters) {
      if (!canServe(c.config, target) || opening.includes(c.config.id)) continue;
      const rt = state.counters[c.config.id]!;
      if (rt.status === 'open') openServing++;
      else if (rt.status === 'paused') {
        const o = model.outlooks.get(c.config.id);
        const backIn = o?.backIn ?? 0;
        if (back === null || backIn < back.in)
          back = { counterId: c.config.id, in: backIn, basis: o?.basis ?? 'learned' };
      }
    }
    return { openServing, back, serving: counters.filter((c) => canServe(c.config, target)) };
  });
  if (targets.length === 1 && facts[0]!.serving.length === 0) {
    // Every counter that could serve it is closed: one is expected when the service opens (before
    // opening, or in the first minutes after), otherwise nothing says when — the figure is a guess.
    const target = targets[0]!;
    const cfgId = config.counterOrder.find(
      (id) => Object.hasOwn(config.counters, id) && canServe(config.counters[id]!, target),
    );
    const cfg: CounterConfig = (cfgId ? config.counters[cfgId] : undefined) ?? {
      id: '\u0000virtual',
      number: 0,
      name: { zh: '', en: '' },
      services: [target.serviceId],
      ledAddress: null,
      keypadAddress: null,
    };
    const opens = opensIn(state, target.serviceId, at);
    const expected = opens.in > 0 || (opens.since !== null && opens.since < OPENING_GRACE_MINUTES);
    const freeAt = expected ? opens.in + OPENING_MINUTES : UNKNOWN_GUESS_MINUTES;
    if (expected && cfgId) facts[0]!.back = { counterId: cfgId, in: freeAt, basis: 'opens' };
    const virtual: SimCounter = { config: cfg, freeAt, order: -1, variance: 0, outlook: null };
    counters.push(virtual);
    facts[0]!.serving = [virtual];
  }
  const floors = targets.map((target, i) => {
    let floor = Number.POSITIVE_INFINITY;
    for (const c of facts[i]!.serving) {
      // When it is free is itself uncertain (a pause's end): one standard deviation earlier is the floor.
      const free = c.outlook ? c.outlook.nextThere(c.freeAt) : c.freeAt;
      floor = Math.min(floor, free - Math.sqrt(c.variance));
    }
    if (target.class === 'appointment' && target.slotStart !== null)
      floor = Math.max(floor, (target.slotStart - settings.appointmentLeadMinutes * MINUTE - at) / MINUTE);
    return Math.max(0, floor);
  });

  // Tickets in play: everyone waiting now, the targets, booked appointments still to come, and the
  // walk-ins the last hour says will keep coming.
  const present: SimTicket[] = [];
  for (const t of ticketIndex(state).waiting) if (!targetIds.has(t.id)) present.push(simTicket(t, at));
  present.push(...targets);
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
  // Every stream of walk-ins: those who outrank a target are called before it; the others still take
  // the time of counters it shares with them.
  const streams: Stream[] = [];
  for (const r of tuning.arrivals ? model.arrivals : [])
    if (r.perMinute > 0) streams.push({ rate: r, gap: 1 / r.perMinute, k: 0.5, horizon: ARRIVAL_HORIZON });
  // The queue as "call next" would work through it, built once: O(log n) a call.
  const imaginedPer = new Map<string, number>();
  for (const a of appointments) imaginedPer.set(a.serviceId, (imaginedPer.get(a.serviceId) ?? 0) + 1);
  for (const st of streams)
    imaginedPer.set(st.rate.serviceId, (imaginedPer.get(st.rate.serviceId) ?? 0) + MAX_IMAGINED_PER_STREAM);
  const queue = new ForwardQueue<SimTicket>(settings, present, (id) => imaginedPer.get(id) ?? 0);
  // Arrivals are made as the run reaches their time: most runs end long before the horizon.
  let nextOrder = state.queueSeq + 2;
  let ai = 0;
  const nextOf = (st: Stream) =>
    st.k * st.gap <= st.horizon && st.k < MAX_IMAGINED_PER_STREAM ? st.k * st.gap : Number.POSITIVE_INFINITY;
  const admit = (now: number) => {
    const batch: SimTicket[] = [];
    while (ai < appointments.length && appointments[ai]!.appearAt <= ms(now)) batch.push(appointments[ai++]!);
    for (const st of streams) {
      for (let when = nextOf(st); when <= now; when = nextOf(st)) {
        batch.push({
          id: `\u0000arr:${st.rate.serviceId}:${st.rate.class}:${st.k}`,
          serviceId: st.rate.serviceId,
          class: st.rate.class,
          queuedAt: ms(when),
          queueOrder: 0,
          overtaken: 0,
          targetCounterId: null,
          slotStart: null,
          transfers: 0,
          appearAt: ms(when),
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
  /** When the next imagined customer this counter could serve arrives, minutes after `at`. */
  const nextFor = (c: SimCounter) => {
    let next = Number.POSITIVE_INFINITY;
    for (let j = ai; j < appointments.length; j++)
      if (canServe(c.config, appointments[j]!)) {
        next = (appointments[j]!.appearAt - at) / MINUTE;
        break;
      }
    for (const st of streams)
      if (c.config.services.includes(st.rate.serviceId)) next = Math.min(next, nextOf(st));
    return next;
  };
  const imagined = appointments.length + streams.length * MAX_IMAGINED_PER_STREAM;

  /** Expected counter minutes of calling `t` at `c` at `now`, and their variance. */
  const expectedCost = (t: SimTicket, c: SimCounter, now: number) => {
    const st = model.service(t.serviceId);
    const service = st.minutes * model.speed(c.config.id) + model.overhead(c.config.id);
    const waitedNow = t.real ? Math.max(0, (at - t.queuedAt) / MINUTE) : 0;
    const waitedThen = Math.max(waitedNow, (ms(now) - t.queuedAt) / MINUTE);
    // Who answers: a transferred customer is at the counters already; a booked one comes for the slot.
    let answers = 1;
    let noShow = 0;
    if (tuning.attrition && t.transfers === 0) {
      if (t.class === 'appointment') {
        answers = APPOINTMENT_ANSWERS;
        noShow = 1 - APPOINTMENT_ANSWERS;
      } else ({ answers, noShow } = atCall(model.patience(t.serviceId), waitedNow, waitedThen));
    }
    const a = t.weight * answers;
    const b = t.weight * noShow;
    const N = model.noShowMinutes;
    const minutes = a * service + b * N;
    // Spread: the service's own, whether they are there at all, and for imagined arrivals whether they
    // come (a Poisson count has variance = mean).
    let v = a * (st.cv * st.minutes) ** 2 + a * service * service + b * N * N - minutes * minutes;
    if (!t.real) v += a * service * service + b * N * N;
    return { minutes, variance: Math.max(0, v) };
  };

  // Each counter's spread of its work so far, per counter (summed per target at the end, in the
  // counters' order: the same sums whatever else rides along).
  const spread = new Map<SimCounter, number>(counters.map((c) => [c, 0]));
  const picked: (number | null)[] = targets.map(() => null);
  const spreadAt: number[] = targets.map(() => 0);
  let left = targets.length;
  let pool = [...counters];
  const maxSteps = (present.length + imagined + 2) * (pool.length + 1) * 2;
  for (let step = 0; step < maxSteps && pool.length > 0 && left > 0; step++) {
    let c = pool[0]!;
    for (const o of pool) if (o.freeAt < c.freeAt || (o.freeAt === c.freeAt && o.order < c.order)) c = o;
    // A planned break: the counter calls again when it ends.
    const there = c.outlook ? c.outlook.nextThere(c.freeAt) : c.freeAt;
    if (there > c.freeAt) {
      c.freeAt = there;
      continue;
    }
    const now = c.freeAt;
    admit(now);
    const pick = queue.pick(c.config, ms(now));
    if (!pick) {
      const nextAppear = nextFor(c);
      if (Number.isFinite(nextAppear)) c.freeAt = Math.max(now, nextAppear);
      else pool = pool.filter((o) => o !== c);
      continue;
    }
    const ti = targetIndex.get(pick);
    if (ti !== undefined) {
      // A target: called now. It leaves as if it had never been there.
      queue.take(pick, c.config, false);
      picked[ti] = now;
      let v = 0;
      for (const s of facts[ti]!.serving) v += s.variance + (spread.get(s) ?? 0);
      spreadAt[ti] = v;
      left--;
      continue;
    }
    queue.take(pick, c.config);
    const cost = expectedCost(pick, c, now);
    spread.set(c, (spread.get(c) ?? 0) + cost.variance);
    c.freeAt = c.outlook ? c.outlook.finish(now, cost.minutes) : now + cost.minutes;
  }
  return targets.map((target, i) => {
    const m = Math.max(1, facts[i]!.serving.length);
    let waitMinutes = picked[i];
    if (waitMinutes === null || waitMinutes === undefined) {
      let waiting = 0;
      for (const t of present) if (t.serviceId === target.serviceId) waiting++;
      waitMinutes = (waiting * model.service(target.serviceId).minutes) / m;
    }
    return {
      waitMinutes,
      variance: spreadAt[i]! / (m * m),
      openServing: facts[i]!.openServing,
      back: facts[i]!.back,
      floor: floors[i]!,
    };
  });
}
