import type { QueueState, Ticket } from './types.ts';

/**
 * Today's tickets read once per state: the estimator asks for the waiting ones many times for one
 * state (every service and class of the kiosk's offers), and `Object.values` over a busy day's record
 * is not free. The fold replaces the tickets record whenever a ticket changes, so the record's
 * identity is the key: same record, same lists.
 */
export interface TicketIndex {
  all: readonly Ticket[];
  waiting: readonly Ticket[];
  /** The first issue of the day (epoch ms), +∞ with no ticket. */
  dayStart: number;
}

const cache = new WeakMap<object, TicketIndex>();

export function ticketIndex(state: QueueState): TicketIndex {
  const hit = cache.get(state.tickets);
  if (hit) return hit;
  const all = Object.values(state.tickets);
  let dayStart = Number.POSITIVE_INFINITY;
  const waiting: Ticket[] = [];
  for (const t of all) {
    if (t.issuedAt < dayStart) dayStart = t.issuedAt;
    if (t.status === 'waiting') waiting.push(t);
  }
  const index = { all, waiting, dayStart };
  cache.set(state.tickets, index);
  return index;
}
