import {
  type CommandAccepted,
  type DeskIssueResponse,
  deskIssueRequest,
  deskPrintRequest,
  printReport,
} from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { errorBody, refusalOutcome } from '../hub.ts';
import { printKioskRefusal } from '../hub-decide.ts';
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
 *
 * What is refused and which events are written is decided in `hub-decide.ts`; the desk's view of the
 * day (who issued, voided and printed what) is `desk-index.ts`.
 * Voiding is the ordinary `CancelTicket` command (reasons `staffVoid`, `duplicate`, `customerLeft`).
 */
export function registerDeskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { hub } = ctx;

  const requestPrint = (p: Principal, ticketId: string, deviceId: string, lang: 'zh' | 'en') => {
    const d = hub.decideHub({
      type: 'RequestTicketPrint',
      data: { ticketId, deviceId, lang, followUrl: hub.followUrl(ticketId), at: hub.clock.now() },
    });
    if (d.ok) hub.record(actorOf(p), d.events);
    return d;
  };

  app.post('/api/v1/desk/tickets', async (req, reply) => {
    const p = ctx.require(req, reply, 'teller', 'manager', 'admin');
    if (!p) return reply;
    const b = ctx.body(req, reply, deskIssueRequest);
    if (!b) return reply;
    // An unknown kiosk to print on issues nothing.
    const noKiosk = b.printAt === null ? null : printKioskRefusal(hub.view.hub.devices, b.printAt);
    if (noKiosk) return ctx.send(reply, refusalOutcome(noKiosk));
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
    const d = requestPrint(p, req.params.id, b.printAt, b.lang);
    if (!d.ok) return ctx.send(reply, refusalOutcome(d.refusal));
    return { ok: true };
  });

  app.get('/api/v1/desk/tickets', async (req, reply) => {
    if (!ctx.require(req, reply, 'teller', 'manager', 'admin')) return reply;
    return hub.desk.list();
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
    const d = hub.decideHub({
      type: 'ReportTicketPrint',
      data: {
        ticketId: b.ticketId,
        deviceId: p.device.id,
        ok: b.ok,
        problem: b.problem,
        at: hub.clock.now(),
      },
    });
    if (!d.ok) return ctx.send(reply, refusalOutcome(d.refusal));
    hub.record({ kind: 'device', id: p.device.id }, d.events);
    return { ok: true };
  });
}
