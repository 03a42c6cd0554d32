import { own } from '@nextup/core';
import {
  type Actor,
  type CommandAccepted,
  type DeskIssueResponse,
  type DeskKiosk,
  type DeskTicket,
  type DeskTicketsResponse,
  deskIssueRequest,
  deskPrintRequest,
  type HubEvent,
  printReport,
} from '@nextup/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorBody, type HubService } from '../hub.ts';
import { actorOf, type Principal } from '../principal.ts';
import type { RouteContext } from './route-context.ts';

/**
 * The floor desk (大堂经理's page, `/desk` in the console). Why a console page and not a staff mode on
 * the kiosk: the floor manager already carries a signed-in tablet (or stands at a desk PC), so no new
 * credential (staff cards, PINs typed on a public touch screen) is needed and nothing of a staff
 * session is ever left open on the public kiosk; every issue and void is an ordinary command with the
 * staff member as its audited actor; and the ticket still comes out of the kiosk next to the customer,
 * because the desk names the kiosk to print on.
 *
 * - `POST /api/v1/desk/tickets` issues a ticket of any walk-in class (`IssueTicket` with the staff
 *   member as actor, `source: 'staff'`) and, with `printAt`, asks that kiosk to print it
 *   (`TicketPrintRequested`); a repeated `requestId` neither issues nor prints twice.
 * - `POST /api/v1/desk/tickets/:id/print` prints a waiting ticket (again) on a kiosk.
 * - `GET /api/v1/desk/tickets` lists today's desk tickets and voids, who did them, where each printed,
 *   and the kiosks to print on with their printer's state.
 * - `POST /api/v1/devices/print-report` is the kiosk's answer (`TicketPrintReported`).
 * Voiding is the ordinary `CancelTicket` command (reasons `staffVoid`, `duplicate`, `customerLeft`).
 */
export function registerDeskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { hub } = ctx;
  const index = new DeskIndex(hub);

  const kioskOrRefuse = (reply: FastifyReply, deviceId: string) => {
    const kiosk = hub.view.hub.devices.find((d) => d.deviceId === deviceId);
    if (kiosk && kiosk.kind === 'kiosk' && !kiosk.revoked) return kiosk;
    reply
      .code(400)
      .send(errorBody('input', 'UNKNOWN_KIOSK', '没有此取号机', `No kiosk ${deviceId} to print on`));
    return null;
  };

  const requestPrint = (p: Principal, ticketId: string, deviceId: string, lang: 'zh' | 'en') =>
    hub.record(actorOf(p), [
      {
        type: 'TicketPrintRequested',
        data: { ticketId, deviceId, lang, followUrl: hub.followUrl(ticketId), at: hub.clock.now() },
      },
    ]);

  app.post('/api/v1/desk/tickets', async (req, reply) => {
    const p = ctx.require(req, reply, 'teller', 'manager', 'admin');
    if (!p) return reply;
    const b = ctx.body(req, reply, deskIssueRequest);
    if (!b) return reply;
    if (b.printAt !== null && !kioskOrRefuse(reply, b.printAt)) return reply;
    const before = hub.head;
    const out = hub.execute(
      p,
      { type: 'IssueTicket', data: { serviceId: b.serviceId, class: b.class } },
      b.requestId,
    );
    if (out.status !== 200) return ctx.send(reply, out);
    const accepted = out.body as CommandAccepted;
    const ticketId = accepted.ticket?.id;
    // A repeat of the request got the first answer: that ticket was sent to the printer already.
    if (ticketId && b.printAt !== null && accepted.seq > before) requestPrint(p, ticketId, b.printAt, b.lang);
    return { ...accepted, printAt: b.printAt } satisfies DeskIssueResponse;
  });

  app.post<{ Params: { id: string } }>('/api/v1/desk/tickets/:id/print', async (req, reply) => {
    const p = ctx.require(req, reply, 'teller', 'manager', 'admin');
    if (!p) return reply;
    const b = ctx.body(req, reply, deskPrintRequest);
    if (!b) return reply;
    // An own-property lookup: an id such as `constructor` is an unknown ticket, not Object's member.
    const t = own(hub.view.state.tickets, req.params.id);
    if (!t)
      return reply
        .code(404)
        .send(errorBody('notFound', 'UNKNOWN_TICKET', '今天没有此号', 'No such ticket today'));
    if (t.status !== 'waiting')
      return reply
        .code(409)
        .send(
          errorBody(
            'conflict',
            'TICKET_NOT_WAITING',
            `${t.number} 号已不在等候，无需打印`,
            `Ticket ${t.number} is no longer waiting: nothing to print`,
          ),
        );
    if (!kioskOrRefuse(reply, b.printAt)) return reply;
    requestPrint(p, t.id, b.printAt, b.lang);
    return { ok: true };
  });

  app.get('/api/v1/desk/tickets', async (req, reply) => {
    if (!ctx.require(req, reply, 'teller', 'manager', 'admin')) return reply;
    return index.list();
  });

  app.post('/api/v1/devices/print-report', async (req, reply) => {
    const p = ctx.principal(req);
    if (p?.kind !== 'device' || p.device.kind !== 'kiosk')
      return reply
        .code(403)
        .send(
          errorBody('forbidden', 'FORBIDDEN', '只有取号机可以报告打印结果', 'Only a kiosk reports prints'),
        );
    const b = ctx.body(req, reply, printReport);
    if (!b) return reply;
    if (!index.printRequested(b.ticketId, p.device.id))
      return reply
        .code(409)
        .send(
          errorBody(
            'conflict',
            'NOT_REQUESTED',
            '没有请本机打印此号',
            'This kiosk was not asked to print it',
          ),
        );
    hub.record({ kind: 'device', id: p.device.id }, [
      {
        type: 'TicketPrintReported',
        data: {
          ticketId: b.ticketId,
          deviceId: p.device.id,
          ok: b.ok,
          problem: b.ok ? null : b.problem,
          at: hub.clock.now(),
        },
      },
    ]);
    return { ok: true };
  });
}

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
 * Today's tickets with what the desk needs beyond the state (who issued and voided them, where they
 * printed), read from the log once and then only the new events on each request. Starts again at
 * each business day.
 */
class DeskIndex {
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
