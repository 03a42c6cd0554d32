import { checkHours, type QueueState } from '@nextup/core';
import type { DisplayCall, DisplayHall } from '@nextup/protocol';

/**
 * What the hall's screens follow besides the calls: whether any counter is serving, and if none,
 * why (the branch's hours on the hub's clock). Pure.
 *
 * Every screen follows it: the TV shows no call and says "closed for today" once the last counter
 * has closed, the main board stops showing the last call, each counter board says its counter is
 * closed. A paused counter still counts as serving (its teller is there; the customer at it is
 * still being served).
 */
export function hallState(
  state: QueueState,
  counters: readonly string[],
  hubNow: number | null,
): DisplayHall {
  const serving = counters.some((id) => {
    const s = state.counters[id]?.status;
    return s === 'open' || s === 'paused';
  });
  if (serving) return { state: 'open', opensAt: null };
  const branch = state.config.branch;
  const hours = branch?.hours ?? [];
  if (hubNow === null || hours.length === 0) return { state: 'noCounterOpen', opensAt: null };
  const h = checkHours(hours, hubNow, branch.timeZone);
  if (h.open) return { state: 'noCounterOpen', opensAt: null };
  return h.opensAt ? { state: 'beforeHours', opensAt: h.opensAt } : { state: 'afterHours', opensAt: null };
}

/**
 * Whether a call is still being made: its ticket is still called to that counter and its customer has
 * not come yet. The TV's large panel and the main board show only such calls: once the customer is
 * being served, or the counter has moved on (a no-show, a transfer, the next call, closing), the call
 * is history (the TV's recent list) and telling the hall to go there would be false. The counter's
 * own board still shows the number at the counter while it is served.
 */
export function isBeingCalled(state: QueueState, call: Pick<DisplayCall, 'ticketId' | 'counterId'>): boolean {
  const t = state.tickets[call.ticketId];
  return (
    t?.status === 'called' &&
    t.counterId === call.counterId &&
    state.counters[call.counterId]?.ticketId === call.ticketId
  );
}
