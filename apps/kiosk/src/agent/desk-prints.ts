import type { Ticket } from '@nextup/core';
import type { Logger } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type { LoggedEvent } from '@nextup/protocol';
import type { KioskPrinter } from './kiosk-printer.ts';
import type { PrintLedger } from './print-ledger.ts';
import { kioskTicket } from './ticket.ts';

/** A desk print request older than this (hub time) when it reaches the kiosk is not printed, ms. */
const DESK_PRINT_FRESH_MS = 2 * 60_000;

export interface DeskPrintsContext {
  /** This kiosk's device id. */
  deviceId: string | null;
  printer: KioskPrinter;
  ledger: PrintLedger;
  logger: Logger;
}

/**
 * Tickets the floor desk asked this kiosk to print (a VIP or priority customer standing beside it),
 * from events that arrived live (a snapshot carries no requests). Printed when the ticket still waits
 * and the request is fresh: a request caught up after a long outage would print for nobody. The
 * outcome goes back to the hub, where the desk sees it.
 */
export function printDeskRequests(view: BranchView, applied: readonly LoggedEvent[], ctx: DeskPrintsContext) {
  const newest = (applied.at(-1)?.event.data as { at?: number } | undefined)?.at ?? 0;
  for (const e of applied) {
    if (e.event.type !== 'TicketPrintRequested' || e.event.data.deviceId !== ctx.deviceId) continue;
    const d = e.event.data;
    if (newest - d.at > DESK_PRINT_FRESH_MS) continue;
    const t = view.state.tickets[d.ticketId];
    if (t?.status !== 'waiting') {
      void ctx.ledger.report(d.ticketId, false, 'NOT_WAITING');
      continue;
    }
    void printForDesk({ ...t, followUrl: d.followUrl }, d.lang, view, ctx);
  }
}

async function printForDesk(
  t: Ticket & { followUrl: string },
  lang: 'zh' | 'en',
  view: BranchView,
  ctx: DeskPrintsContext,
): Promise<void> {
  const ticket = kioskTicket(t, view.state.config);
  const why = await ctx.printer.ready();
  if (why) {
    ctx.logger.warn({ number: ticket.number, code: why.code }, 'desk ticket not printed: printer not ready');
    await ctx.ledger.report(ticket.ticketId, false, why.code);
    return;
  }
  ctx.logger.info({ number: ticket.number }, 'printing a ticket for the desk');
  ctx.ledger.set(ticket, 'printing', null);
  await ctx.ledger.print(ticket, lang);
  const p = ctx.ledger.find(ticket.ticketId);
  await ctx.ledger.report(ticket.ticketId, p?.status === 'printed', p?.problem?.code ?? null);
}
