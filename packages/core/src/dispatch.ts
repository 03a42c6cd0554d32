import { MINUTE } from './durations.ts';
import { own } from './records.ts';
import type { CounterConfig, CounterId, DispatchSettings, QueueState, Ticket } from './types.ts';

/**
 * Which waiting ticket a counter gets on "call next".
 *
 * The rule, in order (the first difference decides):
 * 1. A ticket transferred to this very counter goes first (it is being handed over), oldest first.
 * 2. Ageing: a ticket that has been overtaken `maxOvertakes` times by tickets that joined after it
 *    goes next, oldest first. This gives every ticket a hard bound: it is called within
 *    (tickets that joined before it) + `maxOvertakes` + 1 calls at the counters that can serve it,
 *    whatever VIPs and appointments keep arriving.
 * 3. Checked-in appointments whose slot has come (from `appointmentLeadMinutes` before its start),
 *    earliest slot first: customers who booked are served on time, ahead of walk-ins.
 * 4. Everyone else by score, highest first: minutes waited + the class's head start (VIP, priority)
 *    + the transfer head start − the counter's rank of the ticket's service × the rank penalty.
 * 5. Ties: who joined the queue first.
 *
 * The ranking is a pure function of the tickets, the counter and the time, so the estimator runs the
 * very same rule forward to predict waits.
 */

/** The fields of a ticket that dispatch looks at (the estimator's virtual tickets have just these). */
export type DispatchTicket = Pick<
  Ticket,
  | 'id'
  | 'serviceId'
  | 'class'
  | 'queuedAt'
  | 'queueOrder'
  | 'overtaken'
  | 'targetCounterId'
  | 'slotStart'
  | 'transfers'
>;

/** Whether `counter` may be handed `ticket` at all. */
export function canServe(
  counter: CounterConfig,
  ticket: Pick<Ticket, 'serviceId' | 'targetCounterId'>,
): boolean {
  if (ticket.targetCounterId !== null) return ticket.targetCounterId === counter.id;
  return counter.services.includes(ticket.serviceId);
}

type Tier = 0 | 1 | 2 | 3;

function tierOf(t: DispatchTicket, settings: DispatchSettings, at: number): Tier {
  if (t.targetCounterId !== null) return 0;
  if (t.overtaken >= settings.maxOvertakes) return 1;
  if (
    t.class === 'appointment' &&
    t.slotStart !== null &&
    at >= t.slotStart - settings.appointmentLeadMinutes * MINUTE
  )
    return 2;
  return 3;
}

/**
 * A ticket's head start in ms: its class's and a transfer's. Whole milliseconds, so that scores are
 * exact integers and the estimator's forward run (which orders by `headStartMs − queuedAt`, the same
 * score without the common `at`) breaks ties exactly as "call next" does.
 */
export function headStartMs(
  t: Pick<DispatchTicket, 'class' | 'transfers'>,
  settings: DispatchSettings,
): number {
  const classBoost = settings.classBoostMinutes[t.class] ?? 0;
  const transferBoost = t.transfers > 0 ? settings.transferBoostMinutes : 0;
  return Math.round((classBoost + transferBoost) * MINUTE);
}

/** What the counter's n-th service (0-based) loses against its first, ms. */
export function rankPenaltyMs(rank: number, settings: DispatchSettings): number {
  return Math.round(rank * settings.serviceRankPenaltyMinutes * MINUTE);
}

/** Score in ms: time waited + head start − the counter's rank penalty for the ticket's service. */
function scoreOf(t: DispatchTicket, counter: CounterConfig, settings: DispatchSettings, at: number): number {
  const rank = Math.max(0, counter.services.indexOf(t.serviceId));
  return at - t.queuedAt + headStartMs(t, settings) - rankPenaltyMs(rank, settings);
}

/**
 * The eligible tickets for `counter` in the order it would call them at time `at`. `tickets` must
 * hold waiting tickets only.
 */
export function rankTickets<T extends DispatchTicket>(
  tickets: readonly T[],
  counter: CounterConfig,
  settings: DispatchSettings,
  at: number,
): T[] {
  const keyed = tickets
    .filter((t) => canServe(counter, t))
    .map((t) => ({ t, tier: tierOf(t, settings, at), score: scoreOf(t, counter, settings, at) }));
  keyed.sort((a, b) => {
    if (a.tier !== b.tier) return a.tier - b.tier;
    if (a.tier === 2 && a.t.slotStart !== b.t.slotStart) return (a.t.slotStart ?? 0) - (b.t.slotStart ?? 0);
    if (a.tier === 3 && a.score !== b.score) return b.score - a.score;
    return a.t.queueOrder - b.t.queueOrder;
  });
  return keyed.map((k) => k.t);
}

/** The first-ranked eligible ticket, without sorting the whole list. */
export function pickTicket<T extends DispatchTicket>(
  tickets: readonly T[],
  counter: CounterConfig,
  settings: DispatchSettings,
  at: number,
): T | null {
  let best: T | null = null;
  let bestTier = 4;
  let bestScore = 0;
  for (const t of tickets) {
    if (!canServe(counter, t)) continue;
    const tier = tierOf(t, settings, at);
    if (tier > bestTier) continue;
    const score = scoreOf(t, counter, settings, at);
    if (best === null || tier < bestTier) {
      best = t;
      bestTier = tier;
      bestScore = score;
      continue;
    }
    let better: boolean;
    if (tier === 2 && t.slotStart !== best.slotStart) better = (t.slotStart ?? 0) < (best.slotStart ?? 0);
    else if (tier === 3 && score !== bestScore) better = score > bestScore;
    else better = t.queueOrder < best.queueOrder;
    if (better) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}

/** Tickets passed over when `chosen` is called at `counter`: eligible there and joined before it. */
export function overtakenBy<T extends DispatchTicket>(
  tickets: readonly T[],
  counter: CounterConfig,
  chosen: DispatchTicket,
): T[] {
  return tickets.filter(
    (t) => t.id !== chosen.id && t.queueOrder < chosen.queueOrder && canServe(counter, t),
  );
}

export function waitingTickets(state: QueueState): Ticket[] {
  return Object.values(state.tickets).filter((t) => t.status === 'waiting');
}

/** The waiting tickets a counter would call, in the order it would call them now. */
export function queueForCounter(state: QueueState, counterId: CounterId, at: number): Ticket[] {
  const counter = own(state.config.counters, counterId);
  if (!counter) return [];
  return rankTickets(waitingTickets(state), counter, state.config.dispatch, at);
}

/** The ticket "call next" would give this counter now, or null. */
export function nextTicketFor(state: QueueState, counterId: CounterId, at: number): Ticket | null {
  const counter = own(state.config.counters, counterId);
  if (!counter) return null;
  return pickTicket(waitingTickets(state), counter, state.config.dispatch, at);
}
