import { own, type QueueState, serviceOffers, waitBrief, waitingCountByService } from '@nextup/core';
import type { BranchView } from '@nextup/hub-view';
import type { DisplayCall, DisplayLinkStatus, DisplayScreen, LoggedEvent } from '@nextup/protocol';
import { hallState, isBeingCalled } from './hall.ts';

/** A call the display has to make heard and seen: it arrived live from the hub. */
export interface FreshCall {
  key: string;
  ticketId: string;
  number: string;
  counterId: string;
  counterNumber: number;
  recall: boolean;
  /** Hub time of the call. */
  at: number;
}

interface Entry {
  key: string;
  ticketId: string;
  counterId: string;
  at: number;
  recall: boolean;
  newUntil: number | null;
}

export interface CallBoardOptions {
  /** How long a live call stays highlighted on the screen, ms. Default 12000. */
  newForMs?: number;
  /**
   * A call event older than this (hub time, against the hub clock's estimate) is never treated as
   * live, even when it arrives after the catch-up: a long outage can be replayed in several batches.
   * Default 60000.
   */
  liveWindowMs?: number;
  /** Calls remembered for the screen (newest first). Default 16. */
  keep?: number;
}

/**
 * The calls the screen lists, newest first, and which of them are new. Pure: no I/O, no clock (the
 * agent passes its local time and its estimate of the hub's time).
 *
 * "New" is the whole point of a call screen, and the one thing a restart or a reconnect must not fake:
 * a call is new only when its event arrives live. Calls found in a snapshot (the box just started) or
 * in the replay after a reconnect (the link was down when they happened) are listed, and the LED
 * boards show them, but they are not highlighted, blinked or announced: the customer called while
 * the screen was dark has been called; announcing it minutes later would send a second customer
 * to a counter that has moved on.
 */
export class CallBoard {
  readonly #o: Required<CallBoardOptions>;
  #entries: Entry[] = [];

  constructor(options: CallBoardOptions = {}) {
    this.#o = { newForMs: 12_000, liveWindowMs: 60_000, keep: 16, ...options };
  }

  /** Rebuilds the list from a state alone (a snapshot): every call is old. */
  seed(state: QueueState): void {
    this.#entries = Object.values(state.tickets)
      .filter((t) => t.calledAt !== null && t.counterId !== null)
      .sort((a, b) => b.calledAt! - a.calledAt! || b.queueOrder - a.queueOrder)
      .slice(0, this.#o.keep)
      .map((t) => ({
        key: `${t.id}:seed${t.calledAt}:${t.recalls}`,
        ticketId: t.id,
        counterId: t.counterId!,
        at: t.calledAt!,
        // The state keeps how often a ticket was recalled, not when: the latest call was a recall.
        recall: t.recalls > 0,
        newUntil: null,
      }));
  }

  /**
   * Folds events in. `live` says whether they arrived live (not in a snapshot's or a reconnect's
   * catch-up); `state` is the state after them. Returns the live calls, oldest first.
   */
  apply(
    events: readonly LoggedEvent[],
    state: QueueState,
    ctx: { live: boolean; localNow: number; hubNow: number | null },
  ): FreshCall[] {
    const fresh: FreshCall[] = [];
    for (const { event, seq } of events) {
      switch (event.type) {
        case 'TicketCalled':
        case 'TicketRecalled': {
          const d = event.data;
          const recall = event.type === 'TicketRecalled';
          // The event's sequence number makes every call and recall its own key.
          const key = `${d.ticketId}:${seq}`;
          const live = ctx.live && (ctx.hubNow === null || ctx.hubNow - d.at <= this.#o.liveWindowMs);
          this.#entries = [
            {
              key,
              ticketId: d.ticketId,
              counterId: d.counterId,
              at: d.at,
              recall,
              newUntil: live ? ctx.localNow + this.#o.newForMs : null,
            },
            ...this.#entries.filter((e) => e.ticketId !== d.ticketId),
          ].slice(0, this.#o.keep);
          const t = own(state.tickets, d.ticketId);
          const c = own(state.config.counters, d.counterId);
          if (live && t && c)
            fresh.push({
              key,
              ticketId: d.ticketId,
              number: t.number,
              counterId: d.counterId,
              counterNumber: c.number,
              recall,
              at: d.at,
            });
          break;
        }
        case 'BusinessDayRolled':
          this.#entries = [];
          fresh.length = 0;
          break;
        default:
          break;
      }
    }
    return fresh;
  }

  /** The calls, newest first, as the screen shows them; `counters` limits them (empty = all). */
  calls(state: QueueState, counters: readonly string[] = []): DisplayCall[] {
    const out: DisplayCall[] = [];
    for (const e of this.#entries) {
      if (counters.length > 0 && !counters.includes(e.counterId)) continue;
      const t = own(state.tickets, e.ticketId);
      const c = own(state.config.counters, e.counterId);
      if (!t || !c) continue;
      out.push({
        key: e.key,
        ticketId: e.ticketId,
        number: t.number,
        counterId: e.counterId,
        counterNumber: c.number,
        counterName: c.name,
        at: e.at,
        recall: e.recall,
        newUntil: e.newUntil,
      });
    }
    return out;
  }
}

/**
 * The screen's whole model from the branch view and the call board. Pure: `hubNow` is the agent's
 * estimate of the hub's clock (null before the first sample), for the hall's hours.
 *
 * The current call is the newest one still being made (`isBeingCalled`); the screen shows none once
 * nobody is being called, and no call at all while the hall is not open (after the last counter
 * closed, the recent calls are yesterday's news to whoever walks in).
 */
export function buildScreen(
  view: BranchView,
  board: CallBoard,
  opts: {
    link: DisplayLinkStatus;
    counters: readonly string[];
    clock: { hubTime: number; localTime: number } | null;
    hubNow?: number | null;
    recent?: number;
  },
): DisplayScreen {
  const { state } = view;
  const shownIds =
    opts.counters.length > 0
      ? opts.counters
      : state.config.counterOrder.filter((id) => state.config.counters[id]);
  const hall = hallState(state, shownIds, opts.hubNow ?? null);
  const calls = hall.state === 'open' ? board.calls(state, opts.counters) : [];
  // The newest call still being made: a call whose customer came leaves the large panel (an older
  // one still waiting for its customer takes it back, not highlighted: it is still true).
  const current = calls.find((c) => isBeingCalled(state, c)) ?? null;
  const waiting = waitingCountByService(state);
  // The figure the kiosk's button shows for each service, in brief: computed by the same core
  // function on the same state at the hub's time (none before the first clock sample; none for a
  // service that cannot issue now, outside its hours included).
  const now = opts.hubNow ?? null;
  const offers = now !== null ? serviceOffers(state, now) : [];
  const waitOf = new Map(offers.map((o) => [o.service.id, o.estimate ? waitBrief(o.estimate) : null]));
  const shown = (id: string) => opts.counters.length === 0 || opts.counters.includes(id);
  return {
    seq: view.seq,
    link: opts.link,
    branch: state.config.branch.name,
    timeZone: state.config.branch.timeZone,
    notice: view.hub.notice,
    clock: opts.clock,
    hall,
    current,
    recent: calls.filter((c) => c !== current).slice(0, opts.recent ?? 8),
    services: state.config.serviceOrder.flatMap((id) => {
      const s = state.config.services[id];
      if (!s?.enabled) return [];
      return [
        {
          serviceId: id,
          prefix: s.prefix,
          name: s.name,
          waiting: waiting[id] ?? 0,
          wait: waitOf.get(id) ?? null,
        },
      ];
    }),
    counters: state.config.counterOrder.flatMap((id) => {
      const c = state.config.counters[id];
      if (!c || !shown(id)) return [];
      const cs = state.counters[id];
      const ticket = cs?.ticketId ? own(state.tickets, cs.ticketId) : undefined;
      return [
        {
          counterId: id,
          number: c.number,
          name: c.name,
          status: cs?.status ?? 'closed',
          ticketNumber: ticket?.number ?? null,
        },
      ];
    }),
  };
}
