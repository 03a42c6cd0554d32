import { type DispatchTicket, headStartMs } from './dispatch.ts';
import { MINUTE } from './durations.ts';
import { ticketIndex } from './ticket-index.ts';
import type { AheadReasons, DispatchSettings, QueueState } from './types.ts';

/**
 * "Ahead of you", as the customer understands it: the customers **of the same queue** (the same
 * service) who will be called before you at the counters that serve it, by the branch's own dispatch
 * rule as it stands now. Other services' customers at shared counters are not in your queue and are
 * not counted, though they take counter time (the wait estimate counts them; this number does not).
 *
 * Between two customers of the same queue the rule's order does not change as time passes (both have
 * waited the same extra minutes), so the count can only go down — except when someone goes before you
 * by a right the customer is told about:
 * - a VIP or priority customer (their class has a head start: "a priority customer is served first");
 * - a customer transferred from another counter (they have waited once already);
 * - a customer whose booked appointment slot has come;
 * - a customer passed over too often (ageing: nobody waits for ever).
 * `reasons` counts, among those ahead, the ones ahead by such a right and not by their place: so a
 * count that rises always comes with a reason the kiosk, the ticket, the phone and the TV can say.
 *
 * The same function serves the kiosk's button (a ticket not yet taken: nobody has joined after it),
 * the printed ticket, the follow page and the TV: one definition everywhere.
 */

export interface AheadCount {
  ahead: number;
  reasons: AheadReasons;
}

export function noReasons(): AheadReasons {
  return { vip: 0, priority: 0, transfer: 0, appointment: 0, waitedLong: 0 };
}

/** The dispatch tier (0 handed over, 1 aged, 2 appointment due, 3 by score), as in `dispatch.ts`. */
function tier(t: DispatchTicket, settings: DispatchSettings, at: number): 0 | 1 | 2 | 3 {
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

/** Whether `a` goes before `b` on place alone: score (waited + head start), then who joined first. */
function byPlace(a: DispatchTicket, b: DispatchTicket, settings: DispatchSettings): boolean {
  const ka = headStartMs(a, settings) - a.queuedAt;
  const kb = headStartMs(b, settings) - b.queuedAt;
  return ka !== kb ? ka > kb : a.queueOrder < b.queueOrder;
}

/** Whether `a` is called before `b` when both wait for the same service, at `at`. */
function before(a: DispatchTicket, b: DispatchTicket, settings: DispatchSettings, at: number): boolean {
  const ta = tier(a, settings, at);
  const tb = tier(b, settings, at);
  if (ta !== tb) return ta < tb;
  if (ta === 2 && a.slotStart !== b.slotStart) return (a.slotStart ?? 0) < (b.slotStart ?? 0);
  if (ta === 3) return byPlace(a, b, settings);
  return a.queueOrder < b.queueOrder;
}

/**
 * Customers of `target`'s queue called before it, and why those not there by their place are.
 * `target` may be a ticket not yet issued (the kiosk's button): it then joins now, last.
 */
export function aheadInQueue(state: QueueState, target: DispatchTicket, at: number): AheadCount {
  const settings = state.config.dispatch;
  const reasons = noReasons();
  let ahead = 0;
  for (const t of ticketIndex(state).waiting) {
    if (t.id === target.id || t.serviceId !== target.serviceId) continue;
    if (!before(t, target, settings, at)) continue;
    ahead++;
    const ta = tier(t, settings, at);
    const tt = tier(target, settings, at);
    // Ahead by place: the same standing and joined earlier. Anyone else is ahead by a right.
    if (ta === tt && t.queueOrder < target.queueOrder) continue;
    if (ta === 0 || t.transfers > 0) reasons.transfer++;
    else if (ta === 1) reasons.waitedLong++;
    else if (ta === 2 || t.class === 'appointment') reasons.appointment++;
    else if (t.class === 'vip') reasons.vip++;
    else if (t.class === 'priority') reasons.priority++;
    else reasons.waitedLong++;
  }
  return { ahead, reasons };
}

/** Whether any of `reasons` is non-zero. */
export function anyReason(r: AheadReasons): boolean {
  return r.vip + r.priority + r.transfer + r.appointment + r.waitedLong > 0;
}
