import { type Availability, serviceAvailability } from './decide.ts';
import { estimateNew, estimateWait, type WaitEstimator } from './estimate.ts';
import { own, put } from './records.ts';
import type { QueueState, ServiceConfig, ServiceId, Ticket, TicketClass, WaitEstimate } from './types.ts';
import { type WaitWords, waitWords } from './words.ts';

/**
 * Read-only views of the state that screens and consoles show. Pure, like the rest of the core.
 */

export function waitingCountByService(state: QueueState): Record<ServiceId, number> {
  const counts: Record<ServiceId, number> = Object.fromEntries(
    state.config.serviceOrder.map((id) => [id, 0]),
  );
  for (const t of Object.values(state.tickets))
    if (t.status === 'waiting') put(counts, t.serviceId, (own(counts, t.serviceId) ?? 0) + 1);
  return counts;
}

/** A class's figure on the kiosk's button: the estimate and the customer's words for it. */
export interface ClassOffer {
  estimate: WaitEstimate;
  words: WaitWords;
}

export type WalkInClass = Exclude<TicketClass, 'appointment'>;
const WALK_IN_CLASSES: readonly WalkInClass[] = ['normal', 'vip', 'priority'];
/** A class counts as one the service's customers come in once it is this share of them. */
const CLASS_SHARE = 0.05;

export interface ServiceOffer {
  service: ServiceConfig;
  waiting: number;
  availability: Availability;
  /**
   * The class the figure is for: the class this service's customers get (a VIP-only service's
   * customers are VIPs, so its figure is a VIP's), learned from the service's recent tickets.
   */
  class: WalkInClass;
  /** What a new ticket of `class` would wait; null when the service cannot issue. */
  estimate: WaitEstimate | null;
  /** The customer's words for `estimate` (`waitWords`); null when the service cannot issue. */
  words: WaitWords | null;
  /**
   * The figure for every class the service's customers come in: what a new ticket of that class would
   * be printed, at this state and time — the very computation `decide` prints on the ticket.
   */
  byClass: Partial<Record<WalkInClass, ClassOffer>>;
}

/** The classes a service's customers come in, most common first (normal when nothing is known). */
export function serviceClasses(state: QueueState, serviceId: ServiceId): WalkInClass[] {
  const recent = state.history?.classes ?? {};
  const list = Object.hasOwn(recent, serviceId) ? recent[serviceId]! : [];
  const counts = new Map<WalkInClass, number>();
  let total = 0;
  for (const c of list)
    if (c !== 'appointment') {
      counts.set(c, (counts.get(c) ?? 0) + 1);
      total++;
    }
  if (total === 0) return ['normal'];
  return WALK_IN_CLASSES.filter((c) => (counts.get(c) ?? 0) >= CLASS_SHARE * total).sort(
    (a, b) =>
      (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || WALK_IN_CLASSES.indexOf(a) - WALK_IN_CLASSES.indexOf(b),
  );
}

/**
 * What the kiosk shows on its start screen: every service, its queue, its estimate for the class its
 * customers get (and for each class they come in), or why it cannot issue.
 */
export function serviceOffers(
  state: QueueState,
  at: number,
  estimator: WaitEstimator = estimateWait,
): ServiceOffer[] {
  const waiting = waitingCountByService(state);
  // Every (service, class) the kiosk may show, estimated in one forward run when the estimator is the
  // printed one (the same figures as one run each, `estimateNew`).
  const wanted: { serviceId: ServiceId; class: WalkInClass }[] = [];
  for (const id of state.config.serviceOrder) {
    if (!Object.hasOwn(state.config.services, id) || !serviceAvailability(state, id, at).available) continue;
    for (const cls of serviceClasses(state, id)) wanted.push({ serviceId: id, class: cls });
  }
  const figures =
    estimator === estimateWait
      ? estimateNew(state, wanted, at)
      : wanted.map((q) => estimator(state, { kind: 'new', ...q }, at));
  const figureOf = new Map(wanted.map((q, i) => [`${q.serviceId}\u0000${q.class}`, figures[i] ?? null]));
  return state.config.serviceOrder.flatMap((id) => {
    const service = own(state.config.services, id);
    if (!service) return [];
    const availability = serviceAvailability(state, id, at);
    const classes = serviceClasses(state, id);
    const byClass: Partial<Record<WalkInClass, ClassOffer>> = {};
    if (availability.available)
      for (const cls of classes) {
        const estimate = figureOf.get(`${id}\u0000${cls}`) ?? null;
        if (estimate) byClass[cls] = { estimate, words: waitWords(estimate) };
      }
    const main = classes[0] ?? 'normal';
    return [
      {
        service,
        waiting: own(waiting, id) ?? 0,
        availability,
        class: main,
        estimate: byClass[main]?.estimate ?? null,
        words: byClass[main]?.words ?? null,
        byClass,
      },
    ];
  });
}

export function ticketByNumber(state: QueueState, number: string): Ticket | undefined {
  const wanted = number.trim().toUpperCase();
  return Object.values(state.tickets).find((t) => t.number === wanted);
}

/** Today's tickets in issue order. */
export function ticketsInIssueOrder(state: QueueState): Ticket[] {
  return Object.values(state.tickets).sort((a, b) => a.issuedAt - b.issuedAt || a.queueOrder - b.queueOrder);
}
