import type { Bilingual, ServiceOffer } from '@nextup/core';
import type { HubOffersResponse, KioskOffer } from '@nextup/protocol';
import { UNAVAILABLE, unavailableReason } from './words.ts';

/**
 * The start screen's buttons from the hub's offers, in the order and selection the admin set for
 * this kiosk (`services`, empty = all, in the branch's order). Pure.
 */
export function kioskOffers(
  offers: HubOffersResponse['offers'] | ServiceOffer[],
  shown: readonly string[],
): KioskOffer[] {
  const byId = new Map(offers.map((o) => [o.service.id, o]));
  const ids = shown.length > 0 ? shown.filter((id) => byId.has(id)) : offers.map((o) => o.service.id);
  return ids.flatMap((id) => {
    const o = byId.get(id);
    if (!o) return [];
    // The figure for the class this service's customers get (a VIP-only service: a VIP's), with the
    // customer's words for it — the same words the ticket prints and the phone shows.
    const { service, availability, estimate, words } = o;
    return [
      {
        serviceId: service.id,
        prefix: service.prefix,
        name: service.name,
        hint: service.hint,
        selfServiceSuggested: service.selfServiceSuggested,
        waiting: o.waiting,
        ahead: availability.available && estimate ? estimate.ahead : null,
        available: availability.available,
        reason: unavailableReason(availability),
        estimate:
          availability.available && estimate
            ? {
                lowMinutes: estimate.lowMinutes,
                highMinutes: estimate.highMinutes,
                noCounterOpen: estimate.noCounterOpen,
                ...(words ? { words } : {}),
              }
            : null,
      },
    ];
  });
}

/**
 * Why appointment check-in is closed now, or null while it is open: check-in follows the services
 * that take appointments. Open while one of them is issuing, and before opening time too (a customer
 * may check in early; the hub says "too early, come back at 08:30" with the time). Closed once all of
 * them have stopped for the day or are switched off. Pure.
 */
export function checkInClosed(
  offers: HubOffersResponse['offers'] | ServiceOffer[],
  shown: readonly string[],
): Bilingual | null {
  const bookable = offers.filter(
    (o) => o.service.appointments !== null && (shown.length === 0 || shown.includes(o.service.id)),
  );
  if (bookable.length === 0) return null;
  const open = bookable.some(
    (o) =>
      o.availability.available ||
      (o.availability.reason === 'outsideHours' && o.availability.opensAt !== null) ||
      // A sold-out service still takes its booked customers: appointments do not count against the limit.
      o.availability.reason === 'soldOut',
  );
  if (open) return null;
  return bookable.some((o) => !o.availability.available && o.availability.reason === 'outsideHours')
    ? UNAVAILABLE.checkInOver
    : UNAVAILABLE.checkInOff;
}
