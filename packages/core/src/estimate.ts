import { canServe, type DispatchTicket, overtakenBy, pickTicket } from './dispatch.ts';
import { serviceTime } from './stats.ts';
import type { CounterConfig, QueueState, ServiceId, TicketClass, TicketId, WaitEstimate } from './types.ts';

/**
 * How long until a ticket is called.
 *
 * The estimator runs the branch forward: every open counter takes tickets by the very dispatch rule
 * that "call next" uses (classes, appointments, service priorities, ageing), each service lasting the
 * branch's own robust mean for its kind (`stats.ts`). Booked appointments that are not checked in yet
 * are assumed to arrive at their slot and jump ahead as they will. The ticket's wait is when a counter
 * first picks it. That is a queue-length estimator (Ibrahim & Whitt 2009) that knows our priorities;
 * the range around it comes from the spread of service times: the n-th departure from m counters has
 * a standard deviation of about cv·μ/m·√n.
 *
 * It is a plain function of (state, query, time), so the simulator can measure it and swap it.
 */
export type EstimateQuery =
  | { kind: 'new'; serviceId: ServiceId; class: TicketClass }
  | { kind: 'ticket'; ticketId: TicketId };

export type WaitEstimator = (state: QueueState, query: EstimateQuery, at: number) => WaitEstimate | null;

const MINUTE = 60_000;
const NEW_TICKET_ID = '\u0000new';

interface SimTicket extends DispatchTicket {
  appearAt: number;
}

interface SimCounter {
  config: CounterConfig;
  freeAt: number;
  order: number;
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

export const estimateWait: WaitEstimator = (state, query, at) => {
  const { config } = state;
  const settings = config.dispatch;

  let target: SimTicket;
  if (query.kind === 'new') {
    if (!config.services[query.serviceId]) return null;
    target = {
      id: NEW_TICKET_ID,
      serviceId: query.serviceId,
      class: query.class,
      queuedAt: at,
      queueOrder: state.queueSeq + 1,
      overtaken: 0,
      targetCounterId: null,
      slotStart: null,
      transfers: 0,
      appearAt: at,
    };
  } else {
    const t = state.tickets[query.ticketId];
    if (t?.status !== 'waiting') return null;
    target = { ...t, appearAt: at };
  }

  const serviceMs = (serviceId: ServiceId) => serviceTime(state, serviceId).minutes * MINUTE;

  // Counters taking tickets from now on.
  const open: SimCounter[] = [];
  config.counterOrder.forEach((id, order) => {
    const cfg = config.counters[id];
    const rt = state.counters[id];
    if (!cfg || !rt || rt.status !== 'open') return;
    let freeAt = at;
    const current = rt.ticketId ? state.tickets[rt.ticketId] : undefined;
    if (current) {
      const mean = serviceMs(current.serviceId);
      const started = current.servingAt ?? current.calledAt ?? at;
      // A service already longer than the mean is not over now: assume a fifth of a service remains.
      freeAt = at + Math.max(mean - (at - started), mean * 0.2);
    }
    open.push({ config: cfg, freeAt, order });
  });
  let serving = open.filter((c) => canServe(c.config, target));
  const noCounterOpen = serving.length === 0;
  if (noCounterOpen) {
    // Assume the first counter that could serve it opens now.
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
    const virtual: SimCounter = { config: cfg, freeAt: at, order: -1 };
    open.push(virtual);
    serving = [virtual];
  }

  // Tickets in play: everyone waiting now, the target, and booked appointments still to come.
  const remaining: SimTicket[] = Object.values(state.tickets)
    .filter((t) => t.status === 'waiting' && t.id !== target.id)
    .map((t) => ({ ...t, appearAt: at }));
  remaining.push(target);
  let futureOrder = state.queueSeq + 2;
  for (const a of Object.values(state.appointments)) {
    if (a.status !== 'booked') continue;
    const lateBy = at - a.slotStart;
    if (lateBy > settings.checkInLateMinutes * MINUTE) continue;
    remaining.push({
      id: `\u0000appt:${a.id}`,
      serviceId: a.serviceId,
      class: 'appointment',
      queuedAt: Math.max(at, a.slotStart - settings.appointmentLeadMinutes * MINUTE),
      queueOrder: futureOrder++,
      overtaken: 0,
      targetCounterId: null,
      slotStart: a.slotStart,
      transfers: 0,
      appearAt: Math.max(at, a.slotStart - settings.appointmentLeadMinutes * MINUTE),
    });
  }

  let pool = [...open];
  let ahead = 0;
  let waitMs: number | null = null;
  const servingIds = new Set(serving.map((c) => c.config.id));
  const maxSteps = (remaining.length + 1) * (pool.length + 1) * 4;
  for (let step = 0; step < maxSteps && pool.length > 0; step++) {
    let c = pool[0]!;
    for (const o of pool) if (o.freeAt < c.freeAt || (o.freeAt === c.freeAt && o.order < c.order)) c = o;
    const now = c.freeAt;
    const present = remaining.filter((t) => t.appearAt <= now);
    const pick = pickTicket(present, c.config, settings, now);
    if (!pick) {
      let nextAppear = Number.POSITIVE_INFINITY;
      for (const t of remaining)
        if (t.appearAt > now && canServe(c.config, t)) nextAppear = Math.min(nextAppear, t.appearAt);
      if (Number.isFinite(nextAppear)) c.freeAt = nextAppear;
      else pool = pool.filter((o) => o !== c);
      continue;
    }
    for (const t of overtakenBy(present, c.config, pick)) t.overtaken += 1;
    remaining.splice(remaining.indexOf(pick), 1);
    if (pick === target) {
      waitMs = now - at;
      break;
    }
    if (servingIds.has(c.config.id)) ahead += 1;
    c.freeAt = now + serviceMs(pick.serviceId);
  }

  const st = serviceTime(state, target.serviceId);
  const m = Math.max(1, serving.length);
  if (waitMs === null) waitMs = ((ahead + 1) * st.minutes * MINUTE) / m;
  const minutes = waitMs / MINUTE;
  const sd = ((st.cv * st.minutes) / m) * Math.sqrt(ahead + 1);
  const range = roundRange(minutes - sd, minutes + 1.25 * sd + 0.1 * minutes);
  return {
    minutes: Math.round(minutes * 10) / 10,
    lowMinutes: range.low,
    highMinutes: range.high,
    ahead,
    countersOpen: noCounterOpen ? 0 : serving.length,
    serviceMinutes: Math.round(st.minutes * 10) / 10,
    basis: st.basis,
    historyCount: st.n,
    noCounterOpen,
  };
};
