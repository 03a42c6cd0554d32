import {
  type BranchConfig,
  type Catalogue,
  fillBoth,
  localTime,
  own,
  type Ticket,
  waitWords,
} from '@nextup/core';
import type { TicketPrintJob } from '@nextup/printer';
import type { KioskTicket } from '@nextup/protocol';

/** The ticket the hub acknowledged, as the kiosk shows and prints it. Pure. */
export function kioskTicket(ticket: Ticket & { followUrl: string }, config: BranchConfig): KioskTicket {
  const service = own(config.services, ticket.serviceId);
  const tz = config.branch.timeZone;
  const issued = localTime(ticket.issuedAt, tz);
  let slotText: string | null = null;
  if (ticket.slotStart !== null) {
    const slotMinutes = service?.appointments?.slotMinutes ?? 30;
    slotText = `${localTime(ticket.slotStart, tz).hhmm}–${localTime(ticket.slotStart + slotMinutes * 60_000, tz).hhmm}`;
  }
  return {
    ticketId: ticket.id,
    number: ticket.number,
    serviceId: ticket.serviceId,
    service: service?.name ?? { zh: ticket.serviceId, en: ticket.serviceId },
    class: ticket.class,
    ahead: ticket.estimate?.ahead ?? 0,
    estimate: ticket.estimate
      ? {
          lowMinutes: ticket.estimate.lowMinutes,
          highMinutes: ticket.estimate.highMinutes,
          noCounterOpen: ticket.estimate.noCounterOpen,
          words: waitWords(ticket.estimate),
        }
      : null,
    followUrl: ticket.followUrl,
    issuedAt: ticket.issuedAt,
    issuedAtText: `${issued.date} ${issued.hhmm}`,
    hint: service?.hint ?? null,
    slotText,
  };
}

/** The ticket's last line: thanks for a walk-in, the slot for an appointment. */
const FOOTER = {
  thanks: { zh: '感谢您的耐心等候', en: 'Thank you for waiting' },
  appointment: { zh: '预约时段 {slot}，请留意叫号', en: 'Appointment {slot}: listen for your number' },
} as const satisfies Catalogue;

/** What the printer prints for a ticket, in the customer's language first. Pure. */
export function printJob(
  t: KioskTicket,
  branch: BranchConfig['branch'],
  language: 'zh' | 'en',
): TicketPrintJob {
  return {
    branch: branch.name,
    service: t.service,
    number: t.number,
    wait: t.estimate?.words ?? null,
    issuedAt: t.issuedAtText,
    followUrl: t.followUrl,
    hint: t.hint,
    // An appointment ticket says its slot where a walk-in's says thank you.
    footer: t.slotText ? fillBoth(FOOTER.appointment, { slot: t.slotText }) : FOOTER.thanks,
    language,
  };
}
