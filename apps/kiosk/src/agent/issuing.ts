import type { HubLink } from '@nextup/agent-kit';
import type { Ticket } from '@nextup/core';
import type { Logger } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type {
  ClientCommand,
  CommandResponse,
  KioskCheckInRequest,
  KioskError,
  KioskIssueRequest,
  KioskOffer,
  KioskProblem,
  KioskTicketAnswer,
} from '@nextup/protocol';
import type { KioskPrinter } from './kiosk-printer.ts';
import type { PrintLedger } from './print-ledger.ts';
import { kioskTicket } from './ticket.ts';
import { AGENT_WORDS, problem } from './words.ts';

export interface IssuingOptions {
  link: () => HubLink | null;
  view: () => BranchView | null;
  offers: () => readonly KioskOffer[];
  /** Why no ticket can be issued now (not paired, offline, the printer), or null. */
  blocked: () => KioskProblem | null;
  printer: KioskPrinter;
  ledger: PrintLedger;
  logger: Logger;
}

/** Answers kept for repeats of a request id (a double tap, a UI retry). */
const ANSWERS_KEPT = 500;

/**
 * Walk-in tickets and appointment check-ins: a ticket is only issued when it can be printed (as far as
 * anyone can know), printing starts at once, and a repeat of the same request id gets the first answer.
 */
export class Issuing {
  readonly #o: IssuingOptions;
  readonly #answers = new Map<string, Promise<KioskTicketAnswer>>();

  constructor(options: IssuingOptions) {
    this.#o = options;
  }

  issue(request: Omit<KioskIssueRequest, 'v'>): Promise<KioskTicketAnswer> {
    return this.#once(request.requestId, () =>
      this.#issueTicket(
        { type: 'IssueTicket', data: { serviceId: request.serviceId, class: 'normal' } },
        request.requestId,
        request.lang,
        request.serviceId,
      ),
    );
  }

  checkIn(request: Omit<KioskCheckInRequest, 'v'>): Promise<KioskTicketAnswer> {
    this.#o.logger.info({ via: request.via }, 'appointment check-in');
    return this.#once(request.requestId, () =>
      this.#issueTicket(
        { type: 'CheckInAppointment', data: { code: request.code } },
        request.requestId,
        request.lang,
        null,
      ),
    );
  }

  /** The same request id (a double tap, a UI retry) gets the same answer and never a second ticket. */
  #once(requestId: string, run: () => Promise<KioskTicketAnswer>): Promise<KioskTicketAnswer> {
    const known = this.#answers.get(requestId);
    if (known) return known;
    const p = run();
    this.#answers.set(requestId, p);
    // A refusal before the hub was asked (printer, offline) may be tried again with the same id.
    void p.then((a) => {
      if (!a.ok && a.error.kind !== 'domain') this.#answers.delete(requestId);
    });
    if (this.#answers.size > ANSWERS_KEPT) {
      const oldest = this.#answers.keys().next().value;
      if (oldest !== undefined) this.#answers.delete(oldest);
    }
    return p;
  }

  async #issueTicket(
    command: ClientCommand,
    requestId: string,
    lang: 'zh' | 'en',
    serviceId: string | null,
  ): Promise<KioskTicketAnswer> {
    const { logger, ledger } = this.#o;
    const link = this.#o.link();
    const refuse = (error: KioskError): KioskTicketAnswer => ({ ok: false, error });
    const blocked = this.#o.blocked();
    if (!link || blocked)
      return refuse({
        kind: blocked?.code === 'HUB_OFFLINE' || blocked?.code === 'CONNECTING' ? 'offline' : 'printer',
        code: blocked?.code ?? 'NOT_PAIRED',
        message: (blocked ?? problem('NOT_PAIRED')).message,
      });
    if (serviceId !== null && !this.#o.offers().some((o) => o.serviceId === serviceId))
      return refuse({ kind: 'input', code: 'UNKNOWN_SERVICE', message: AGENT_WORDS.unknownService });
    // Ask the printer first: a ticket is only issued when it can be printed (as far as anyone can know).
    const printerProblem = await this.#o.printer.ready();
    if (printerProblem)
      return refuse({ kind: 'printer', code: printerProblem.code, message: printerProblem.message });

    let r: CommandResponse;
    try {
      r = await link.command(command, requestId);
    } catch (e) {
      // Unreachable after the retries (same request id each time): the hub may or may not have it;
      // the customer gets no ticket from us, and a retry of this tap gets the hub's first answer.
      logger.warn({ err: String(e), requestId }, 'hub unreachable: no ticket issued');
      return refuse({ kind: 'offline', code: 'HUB_UNREACHABLE', message: AGENT_WORDS.hubUnreachable });
    }
    if (!r.ok) {
      const kind = r.error.kind === 'domain' ? 'domain' : r.error.kind === 'input' ? 'input' : 'refused';
      logger.info({ code: r.error.code, requestId }, 'hub refused');
      return refuse({ kind, code: r.error.code, message: r.error.message });
    }
    if (!r.ticket) return refuse({ kind: 'internal', code: 'NO_TICKET', message: AGENT_WORDS.internal });
    const config = this.#o.view()?.state.config;
    if (!config) return refuse({ kind: 'internal', code: 'NO_VIEW', message: AGENT_WORDS.internal });
    const ticket = kioskTicket(r.ticket as Ticket & { followUrl: string }, config);
    logger.info({ number: ticket.number, ticketId: ticket.ticketId, requestId }, 'ticket issued');
    const print = ledger.set(ticket, 'printing', null);
    void ledger.print(ticket, lang);
    return { ok: true, ticket, print };
  }
}
