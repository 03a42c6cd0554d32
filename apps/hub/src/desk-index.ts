import { own } from '@nextup/core';
import type { Actor, DeskKiosk, DeskTicket, DeskTicketsResponse, HubEvent } from '@nextup/protocol';
import type { HubService } from './hub.ts';

interface Issued {
  ticketId: string;
  number: string;
  serviceId: string;
  class: DeskTicket['class'];
  source: DeskTicket['source'];
  issuedAt: number;
  actor: Actor;
}

type Print = Omit<DeskTicket['prints'][number], 'deviceName' | 'requestedBy'> & { requestedBy: Actor };

/**
 * Today's tickets with what the floor desk needs beyond the state (who issued and voided them, where
 * they printed, which print requests a kiosk has yet to answer), read from the log once and then only
 * the new events on each question. Starts again at each business day. `GET /api/v1/desk/tickets`
 * lists it; `hub-decide.ts` asks it whether a kiosk's print report answers a request.
 */
export class DeskIndex {
  readonly #hub: HubService;
  #scanned = 0;
  #day: string | null = null;
  #issued = new Map<string, Issued>();
  #cancelled = new Map<string, { reason: string; at: number; actor: Actor }>();
  #prints = new Map<string, Print[]>();

  constructor(hub: HubService) {
    this.#hub = hub;
  }

  #update() {
    for (const e of this.#hub.log.iterateAfter(this.#scanned)) {
      this.#scanned = e.seq;
      const ev = e.event;
      switch (ev.type) {
        case 'BusinessDayRolled':
          this.#day = ev.data.to;
          this.#issued = new Map();
          this.#cancelled = new Map();
          this.#prints = new Map();
          break;
        case 'TicketIssued':
          this.#issued.set(ev.data.ticketId, {
            ticketId: ev.data.ticketId,
            number: ev.data.number,
            serviceId: ev.data.serviceId,
            class: ev.data.class,
            source: ev.data.source,
            issuedAt: ev.data.at,
            actor: e.actor,
          });
          break;
        case 'TicketCancelled':
          this.#cancelled.set(ev.data.ticketId, { reason: ev.data.reason, at: ev.data.at, actor: e.actor });
          break;
        case 'TicketPrintRequested':
        case 'TicketPrintReported':
          this.#print(ev, e.actor);
          break;
      }
    }
  }

  #print(ev: Extract<HubEvent, { type: 'TicketPrintRequested' | 'TicketPrintReported' }>, actor: Actor) {
    const list = this.#prints.get(ev.data.ticketId) ?? [];
    if (ev.type === 'TicketPrintRequested') {
      list.push({
        deviceId: ev.data.deviceId,
        requestedAt: ev.data.at,
        requestedBy: actor,
        outcome: 'requested',
        problem: null,
        at: ev.data.at,
      });
    } else {
      // The kiosk answers its latest request for this ticket.
      const open = list.findLast((x) => x.deviceId === ev.data.deviceId && x.outcome === 'requested');
      if (open) {
        open.outcome = ev.data.ok ? 'printed' : 'failed';
        open.problem = ev.data.problem;
        open.at = ev.data.at;
      }
    }
    this.#prints.set(ev.data.ticketId, list);
  }

  /** Whether this kiosk has an unanswered request to print this ticket. */
  printRequested(ticketId: string, deviceId: string): boolean {
    this.#update();
    return (this.#prints.get(ticketId) ?? []).some(
      (x) => x.deviceId === deviceId && x.outcome === 'requested',
    );
  }

  list(): DeskTicketsResponse {
    this.#update();
    const { state, hub: view } = this.#hub.view;
    const deviceName = (id: string) => view.devices.find((d) => d.deviceId === id)?.name ?? id;
    const who = (a: Actor | undefined): DeskTicket['issuedBy'] => {
      if (!a) return null;
      if (a.kind === 'staff')
        return { kind: 'staff', name: this.#hub.identities.staffById(a.id)?.displayName ?? a.id };
      if (a.kind === 'device') return { kind: 'device', name: deviceName(a.id) };
      return { kind: a.kind, name: a.kind === 'apiKey' ? a.id : a.kind };
    };
    const tickets: DeskTicket[] = [];
    for (const t of this.#issued.values()) {
      const cancelled = this.#cancelled.get(t.ticketId);
      // The desk's own tickets, and every void of the day (whoever issued the ticket).
      if (t.source !== 'staff' && !cancelled) continue;
      tickets.push({
        ticketId: t.ticketId,
        number: t.number,
        serviceId: t.serviceId,
        class: t.class,
        source: t.source,
        status: own(state.tickets, t.ticketId)?.status ?? null,
        issuedAt: t.issuedAt,
        issuedBy: who(t.actor),
        cancelled: cancelled
          ? { reason: cancelled.reason, at: cancelled.at, by: who(cancelled.actor) }
          : null,
        prints: (this.#prints.get(t.ticketId) ?? []).map((x) => ({
          ...x,
          deviceName: deviceName(x.deviceId),
          requestedBy: who(x.requestedBy),
        })),
      });
    }
    tickets.sort((a, b) => b.issuedAt - a.issuedAt);
    const kiosks: DeskKiosk[] = view.devices
      .filter((d) => d.kind === 'kiosk' && !d.revoked)
      .map((d) => ({
        deviceId: d.deviceId,
        name: d.name,
        online: d.online,
        printer: d.health?.components.find((c) => c.component === 'printer') ?? null,
      }));
    return { day: this.#day ?? state.day, tickets, kiosks };
  }
}
