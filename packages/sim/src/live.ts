import {
  type BranchConfig,
  localTime,
  MINUTE,
  type QueueState,
  sampleBranchConfig,
  type TicketClass,
  zonedEpoch,
} from '@nextup/core';
import { type DayPlan, type PlannedCustomer, type PlanOptions, planDay } from './plan.ts';
import type { DayShapeId } from './shapes.ts';

/**
 * The simulator as a source of live customers for the demo branch: the same drawn day, played out
 * in real time (scaled by a speed factor) as actions a demo script turns into real commands to a
 * running hub. The hub, not the simulator, runs the queue then; so every action carries what the demo
 * needs to play the customer and the teller (how long to serve, whether they answer their call).
 *
 * Customers are named by `customer` (the plan's id, 'w0042'); the demo keeps the ticket the hub gave
 * each one, to cancel it when they give up or to recognise them when called.
 */

/** How a customer behaves once they hold a ticket; the demo's teller bots follow it. */
export interface CustomerAdvice {
  /** From the call to reaching the counter, ms (sim time). */
  walkMs: number;
  /** 'yes': comes when called; 'afterRecall': comes after the first recall; 'never': a no-show. */
  answers: 'yes' | 'afterRecall' | 'never';
  /** How long the teller serves before finishing, ms (sim time, at an average teller's pace). */
  serveMs: number;
  /** Part-way through, the teller transfers the ticket. */
  transfer: {
    toServiceId: string | null;
    toCounterId: string | null;
    /** After this much of the service, ms. */
    afterMs: number;
    /** Service after the transfer, ms. */
    thenServeMs: number;
  } | null;
}

export type LiveAction =
  | {
      kind: 'openCounter';
      counterId: string /** Multiplier on `serveMs` at this counter. */;
      tellerSpeed: number;
    }
  | { kind: 'pauseCounter'; counterId: string; reason: 'lunch' | 'break'; minutes: number }
  | { kind: 'resumeCounter'; counterId: string }
  | { kind: 'closeCounter'; counterId: string /** Leaves even with customers waiting. */; early: boolean }
  | {
      kind: 'bookAppointment';
      customer: string;
      appointmentId: string;
      code: string;
      serviceId: string;
      /**
       * Slot start, ms after the start of the played window (sim time). A hub on the real clock needs
       * a slot on its own 30-minute grid: at speed 1 add this to the start; at higher speeds slots and
       * check-in windows (real minutes in the hub) no longer line up, so a demo may skip bookings.
       */
      slotOffsetMs: number;
    }
  | { kind: 'arrive'; customer: string; serviceId: string; class: TicketClass; advice: CustomerAdvice }
  | { kind: 'checkIn'; customer: string; code: string; serviceId: string; advice: CustomerAdvice }
  /** The customer gives up if still waiting: cancel the ticket (or, when `cancels` is false, just never answer). */
  | { kind: 'giveUp'; customer: string; cancels: boolean };

export interface TimedAction {
  /** Sim time of the action (epoch ms on the plan's date). */
  simAt: number;
  /** Sim ms since the start of the played window; divide by the speed for real time. */
  offsetMs: number;
  action: LiveAction;
}

export interface LiveOptions {
  seed: number;
  shape: DayShapeId;
  /** Local date whose weekday and hours the day follows. Default '2026-03-04' (a Wednesday). */
  date?: string;
  /** The branch. Default `sampleBranchConfig()`. */
  config?: BranchConfig;
  /** Start the played window at this local minute of day (e.g. 600 for 10:00). Default: opening. */
  fromMinute?: number;
  plan?: PlanOptions;
}

function advice(plan: DayPlan, c: PlannedCustomer): CustomerAdvice {
  const m = plan.models[c.serviceId]!;
  const serveMs = m.meanMinutes * Math.exp(m.sigma * c.serviceZ - (m.sigma * m.sigma) / 2) * MINUTE;
  let transfer: CustomerAdvice['transfer'] = null;
  if (c.transfer) {
    const to = plan.models[c.transfer.toServiceId ?? c.serviceId] ?? m;
    transfer = {
      toServiceId: c.transfer.toServiceId,
      toCounterId: c.transfer.toCounterId,
      afterMs: Math.round(serveMs * c.transfer.afterFraction),
      thenServeMs: Math.round(
        to.meanMinutes * Math.exp(to.sigma * c.transfer.serviceZ - (to.sigma * to.sigma) / 2) * MINUTE,
      ),
    };
  }
  return { walkMs: c.walkMs, answers: c.answers, serveMs: Math.round(serveMs), transfer };
}

/**
 * Every action of a drawn day in time order, synchronously: the customers, appointment bookings,
 * check-ins, give-ups and the tellers' shifts. Manager decisions are not planned (they depend on the
 * queue); see `flexAdvice`.
 */
export function plannedActions(options: LiveOptions): { plan: DayPlan; actions: TimedAction[] } {
  const config = options.config ?? sampleBranchConfig();
  const date = options.date ?? '2026-03-04';
  const plan = planDay(config, { date, shape: options.shape, seed: options.seed >>> 0 }, options.plan);
  const tz = config.branch.timeZone;
  const start =
    options.fromMinute !== undefined
      ? zonedEpoch(date, options.fromMinute, tz)
      : Math.min(plan.openAt, ...plan.tellers.map((t) => t.openAt ?? plan.openAt));
  const out: { simAt: number; action: LiveAction }[] = [];
  for (const c of plan.customers) {
    if (c.appointment) {
      out.push({
        simAt: Math.max(start, c.appointment.bookedAt),
        action: {
          kind: 'bookAppointment',
          customer: c.id,
          appointmentId: c.appointment.appointmentId,
          code: c.appointment.code,
          serviceId: c.serviceId,
          slotOffsetMs: c.appointment.slotStart - start,
        },
      });
    }
    if (c.arriveAt === null) continue;
    const a = advice(plan, c);
    out.push({
      simAt: c.arriveAt,
      action: c.appointment
        ? { kind: 'checkIn', customer: c.id, code: c.appointment.code, serviceId: c.serviceId, advice: a }
        : { kind: 'arrive', customer: c.id, serviceId: c.serviceId, class: c.class, advice: a },
    });
    out.push({
      simAt: c.arriveAt + Math.round(c.patienceMs),
      action: { kind: 'giveUp', customer: c.id, cancels: c.cancelsOnLeave },
    });
  }
  for (const t of plan.tellers) {
    if (t.openAt !== null)
      out.push({
        simAt: t.openAt,
        action: { kind: 'openCounter', counterId: t.counterId, tellerSpeed: t.speed },
      });
    for (const b of t.breaks) {
      out.push({
        simAt: b.at,
        action: { kind: 'pauseCounter', counterId: t.counterId, reason: b.reason, minutes: b.minutes },
      });
      out.push({
        simAt: Math.round(b.at + b.minutes * MINUTE),
        action: { kind: 'resumeCounter', counterId: t.counterId },
      });
    }
    if (t.openAt !== null)
      out.push({
        simAt: t.closeAt,
        action: { kind: 'closeCounter', counterId: t.counterId, early: t.leavesEarly },
      });
  }
  // A window that starts late leaves out whoever came before it, and so their giving up too.
  const came = new Set(
    out
      .filter((a) => a.simAt >= start && (a.action.kind === 'arrive' || a.action.kind === 'checkIn'))
      .map((a) => ('customer' in a.action ? a.action.customer : '')),
  );
  const kept = out
    .filter(
      (a) =>
        a.action.kind === 'bookAppointment' ||
        (a.simAt >= start && (a.action.kind !== 'giveUp' || came.has(a.action.customer))),
    )
    .map((a, i) => ({ ...a, i }))
    .sort((a, b) => a.simAt - b.simAt || a.i - b.i)
    .map(({ simAt, action }) => ({ simAt, offsetMs: Math.max(0, simAt - start), action }));
  return { plan, actions: kept };
}

/** A clock the live player waits on; the default is the real one. Tests pass a fake that does not wait. */
export interface LiveClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: LiveClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface LivePlayOptions extends LiveOptions {
  /** Sim seconds per real second: 60 plays an hour in a minute. Must be > 0. */
  speed: number;
  /** Stops the player (the generator ends). */
  signal?: AbortSignal;
  clock?: LiveClock;
}

/**
 * Yields the day's actions in real time: each when its sim offset, divided by `speed`, has elapsed
 * since the first `next()`. `realAt` is when it was due on the clock (`clock.now()` units, ms): a
 * slow consumer gets the late ones at once, in order, without skipping any.
 */
export async function* liveActions(
  options: LivePlayOptions,
): AsyncGenerator<TimedAction & { realAt: number; speed: number }> {
  if (!(options.speed > 0)) throw new TypeError(`speed must be a positive number, got ${options.speed}`);
  const clock = options.clock ?? realClock;
  const { actions } = plannedActions(options);
  const t0 = clock.now();
  for (const a of actions) {
    if (options.signal?.aborted) return;
    const due = t0 + a.offsetMs / options.speed;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait, options.signal);
    if (options.signal?.aborted) return;
    yield { ...a, realAt: due, speed: options.speed };
  }
}

/** What the manager would do about a flexible counter now. */
export interface FlexAdvice {
  action: 'open' | 'close' | 'none';
  /** Carry to the next call: consecutive calm checks. */
  calm: number;
}

/**
 * The manager's flexible-counter rule, checked every 5 minutes: open the closed flexible counter when
 * its main service has 8 or more waiting or someone has waited 15 minutes; close it after three calm
 * checks in a row (at most 2 waiting, nobody over 5 minutes). The simulator uses it and so can a demo.
 */
export function flexAdvice(state: QueueState, counterId: string, at: number, calm: number): FlexAdvice {
  const cfg = state.config.counters[counterId];
  const rt = state.counters[counterId];
  const main = cfg?.services[0];
  if (!cfg || !rt || main === undefined) return { action: 'none', calm: 0 };
  let waiting = 0;
  let oldest = at;
  for (const k of Object.values(state.tickets))
    if (k.status === 'waiting' && k.serviceId === main) {
      waiting++;
      oldest = Math.min(oldest, k.queuedAt);
    }
  const hol = (at - oldest) / MINUTE;
  if (rt.status === 'closed') return { action: waiting >= 8 || hol >= 15 ? 'open' : 'none', calm: 0 };
  if (rt.status !== 'open') return { action: 'none', calm };
  const next = waiting <= 2 && hol < 5 ? calm + 1 : 0;
  return { action: next >= 3 ? 'close' : 'none', calm: next };
}

/** Local 'HH:MM' of a sim time, for logs. */
export function simClock(simAt: number, timeZone = 'Asia/Shanghai'): string {
  return localTime(simAt, timeZone).hhmm;
}
