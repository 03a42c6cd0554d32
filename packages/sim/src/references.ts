import {
  type EstimateQuery,
  MINUTE,
  type QueueState,
  roundRange,
  serviceTime,
  type Ticket,
  type WaitEstimate,
  type WaitEstimator,
} from '@nextup/core';

/**
 * The three reference predictors our estimator is measured against, written as `WaitEstimator`s so
 * that they are asked at exactly the same instants, on exactly the same state, as the printed one.
 *
 * - naive: people waiting for the service × its mean service time (the branch's own, robust) ÷
 *   counters open that serve it (what most queue systems print, with a learned mean).
 * - LES, last-to-enter-service: the wait of the last ticket of the service that was called.
 * - HOL, head-of-line: how long the oldest ticket still waiting for the service has waited.
 *
 * Ibrahim & Whitt (2009, "Real-time delay estimation based on delay history", MSOM 11(3)) found the
 * queue-length estimator best when its model holds, with LES and HOL close behind in many-server
 * queues; with time-varying arrivals (Ibrahim & Whitt 2011, "Wait-time predictors for customer service
 * systems with time-varying demand and capacity", OR 59(5)) the delay-history ones lag and are biased.
 * Their printed range is the 5- or 10-minute step that holds the point, like a kiosk that rounds.
 */

function serviceOf(state: QueueState, query: EstimateQuery): string | null {
  if (query.kind === 'new') return state.config.services[query.serviceId] ? query.serviceId : null;
  const t = state.tickets[query.ticketId];
  return t?.status === 'waiting' ? t.serviceId : null;
}

function countersServing(state: QueueState, serviceId: string): number {
  let n = 0;
  for (const id of state.config.counterOrder)
    if (state.counters[id]?.status === 'open' && state.config.counters[id]?.services.includes(serviceId)) n++;
  return n;
}

function waitingFor(state: QueueState, serviceId: string, except: string | null): Ticket[] {
  return Object.values(state.tickets).filter(
    (t) => t.status === 'waiting' && t.serviceId === serviceId && t.id !== except,
  );
}

function asEstimate(
  state: QueueState,
  serviceId: string,
  minutes: number,
  ahead: number,
  open: number,
): WaitEstimate {
  const m = Math.max(0, minutes);
  const r = roundRange(m, m);
  return {
    minutes: Math.round(m * 10) / 10,
    lowMinutes: r.low,
    highMinutes: r.high,
    ahead,
    countersOpen: open,
    serviceMinutes: state.config.services[serviceId]?.expectedMinutes ?? 0,
    basis: 'prior',
    historyCount: 0,
    noCounterOpen: open === 0,
  };
}

function naiveMinutes(state: QueueState, serviceId: string, except: string | null) {
  const ahead = waitingFor(state, serviceId, except).length;
  const open = countersServing(state, serviceId);
  // The branch's own mean service time (what the estimator learns too), not the configured guess.
  const mean = serviceTime(state, serviceId).minutes;
  return { minutes: (ahead * mean) / Math.max(1, open), ahead, open };
}

/** Queue length × the branch's mean service time ÷ counters open serving the service. */
export const naiveEstimator: WaitEstimator = (state, query) => {
  const serviceId = serviceOf(state, query);
  if (serviceId === null) return null;
  const except = query.kind === 'ticket' ? query.ticketId : null;
  const { minutes, ahead, open } = naiveMinutes(state, serviceId, except);
  return asEstimate(state, serviceId, minutes, ahead, open);
};

/**
 * Last-to-enter-service: the wait (call − queued) of the service's most recently called ticket. Before
 * the first call of the day there is no delay history; it falls back to the naive figure.
 */
export const lesEstimator: WaitEstimator = (state, query) => {
  const serviceId = serviceOf(state, query);
  if (serviceId === null) return null;
  const except = query.kind === 'ticket' ? query.ticketId : null;
  let last: Ticket | null = null;
  for (const t of Object.values(state.tickets))
    if (t.serviceId === serviceId && t.calledAt !== null && (last === null || t.calledAt > last.calledAt!))
      last = t;
  const naive = naiveMinutes(state, serviceId, except);
  const minutes = last ? (last.calledAt! - last.queuedAt) / MINUTE : naive.minutes;
  return asEstimate(state, serviceId, minutes, naive.ahead, naive.open);
};

/** Head-of-line: how long the oldest ticket still waiting for the service has waited (0 if none). */
export const holEstimator: WaitEstimator = (state, query, at) => {
  const serviceId = serviceOf(state, query);
  if (serviceId === null) return null;
  const except = query.kind === 'ticket' ? query.ticketId : null;
  const waiting = waitingFor(state, serviceId, except);
  let oldest = at;
  for (const t of waiting) oldest = Math.min(oldest, t.queuedAt);
  return asEstimate(
    state,
    serviceId,
    (at - oldest) / MINUTE,
    waiting.length,
    countersServing(state, serviceId),
  );
};

/** The references by the names the tables use. */
export const REFERENCE_ESTIMATORS: Record<'naive' | 'LES' | 'HOL', WaitEstimator> = {
  naive: naiveEstimator,
  LES: lesEstimator,
  HOL: holEstimator,
};
