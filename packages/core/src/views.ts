import { type Availability, serviceAvailability } from './decide.ts';
import { estimateWait, type WaitEstimator } from './estimate.ts';
import { own, put } from './records.ts';
import type { QueueState, ServiceConfig, ServiceId, Ticket, WaitEstimate } from './types.ts';

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

export interface ServiceOffer {
  service: ServiceConfig;
  waiting: number;
  availability: Availability;
  /** What a new normal ticket would wait; null when the service cannot issue. */
  estimate: WaitEstimate | null;
}

/** What the kiosk shows on its start screen: every service, its queue, its estimate, or why not. */
export function serviceOffers(
  state: QueueState,
  at: number,
  estimator: WaitEstimator = estimateWait,
): ServiceOffer[] {
  const waiting = waitingCountByService(state);
  return state.config.serviceOrder.flatMap((id) => {
    const service = own(state.config.services, id);
    if (!service) return [];
    const availability = serviceAvailability(state, id, at);
    const estimate = availability.available
      ? estimator(state, { kind: 'new', serviceId: id, class: 'normal' }, at)
      : null;
    return [{ service, waiting: own(waiting, id) ?? 0, availability, estimate }];
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
