import type { ServiceOffer } from '@nextup/core';
import type { HubOffersResponse, KioskOffer } from '@nextup/protocol';
import { unavailableReason } from './words.ts';

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
