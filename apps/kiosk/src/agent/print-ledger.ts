import type { HubLink } from '@nextup/agent-kit';
import { own } from '@nextup/core';
import type { Logger } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type {
  CommandResponse,
  HealthComponent,
  KioskAnswer,
  KioskPrint,
  KioskProblem,
  KioskTicket,
} from '@nextup/protocol';
import { notPrinted } from './health-reason.ts';
import type { KioskPrinter } from './kiosk-printer.ts';
import { printJob } from './ticket.ts';
import { AGENT_WORDS, printerProblem, problem } from './words.ts';

/** A print without where its ticket is now (added from the live view when the state is read). */
export type PrintRecord = Omit<KioskPrint, 'ticket'>;

interface Unprinted {
  ticket: KioskTicket;
  lang: 'zh' | 'en';
}

export interface PrintLedgerOptions {
  printer: KioskPrinter;
  view: () => BranchView | null;
  link: () => HubLink | null;
  logger: Logger;
  /** A print changed (push the state). */
  onChange: () => void;
  /** The set of unprinted tickets changed (report the health). */
  onUnprinted: () => void;
}

/**
 * The kiosk's tickets on paper: the latest prints and their outcome, the tickets that did not print
 * (never silently lost: reprint or void them), and the print reports the floor desk reads.
 */
export class PrintLedger {
  readonly #o: PrintLedgerOptions;
  #prints: PrintRecord[] = [];
  readonly #unprinted = new Map<string, Unprinted>();

  constructor(options: PrintLedgerOptions) {
    this.#o = options;
  }

  /** The latest prints as the UI shows them; a failed one can be reprinted when `canReprint`. */
  views(canReprint: boolean): KioskPrint[] {
    return this.#prints.map((p) =>
      this.view(p.status === 'failed' && this.#unprinted.has(p.ticketId) ? { ...p, canReprint } : p),
    );
  }

  find(ticketId: string): PrintRecord | undefined {
    return this.#prints.find((x) => x.ticketId === ticketId);
  }

  /** A print with where its ticket is now: the ticket screen follows the ticket, not the paper. */
  view(p: PrintRecord): KioskPrint {
    const state = this.#o.view()?.state;
    const t = state?.tickets[p.ticketId];
    // Not in the view yet (the hub's answer can arrive before its event): still waiting.
    const status: KioskPrint['ticket']['status'] = !t
      ? 'waiting'
      : t.status === 'waiting' || t.status === 'called' || t.status === 'serving'
        ? t.status
        : 'ended';
    const counter = t?.counterId && status !== 'waiting' ? state?.config.counters[t.counterId] : undefined;
    return {
      ...p,
      // A called or ended ticket needs no paper any more.
      canReprint: p.canReprint && status === 'waiting',
      ticket: {
        status,
        counter: counter && status !== 'ended' ? { number: counter.number, name: counter.name } : null,
      },
    };
  }

  set(t: KioskTicket, status: KioskPrint['status'], why: KioskProblem | null): KioskPrint {
    const p = {
      ticketId: t.ticketId,
      number: t.number,
      status,
      problem: why,
      canReprint: false,
      at: Date.now(),
    };
    this.#prints = [...this.#prints.filter((x) => x.ticketId !== t.ticketId), p].slice(-20);
    this.#o.onChange();
    return this.view(p);
  }

  /** The printer's health, marked as an error while some customer holds no paper ticket. */
  health(printer: HealthComponent): HealthComponent {
    if (this.#unprinted.size === 0) return printer;
    // Staff see at once which customers hold no paper ticket.
    const numbers = [...this.#unprinted.values()].map((u) => u.ticket.number);
    const detail = `${printer.detail ?? printer.code}; not printed: ${numbers.join(' ')}`;
    return { ...printer, level: 'error', detail: detail.slice(0, 64), reason: notPrinted(numbers) };
  }

  /** A ticket no longer waiting (called, cancelled, a new day) needs no reprint any more. */
  forgetNotWaiting(view: BranchView): void {
    for (const id of [...this.#unprinted.keys()]) {
      const t = own(view.state.tickets, id);
      if (t?.status !== 'waiting') {
        this.#unprinted.delete(id);
        this.#o.onUnprinted();
      }
    }
  }

  async print(ticket: KioskTicket, lang: 'zh' | 'en'): Promise<void> {
    const config = this.#o.view()?.state.config;
    if (!config) return;
    const r = await this.#o.printer.print(printJob(ticket, config.branch, lang));
    if (r.ok) {
      this.#unprinted.delete(ticket.ticketId);
      this.set(ticket, 'printed', null);
    } else {
      // Never silently lost: the ticket keeps its place, the screen keeps its number and QR code,
      // staff see it in the device health, and it can be reprinted once the printer is fine.
      this.#o.logger.warn(
        { number: ticket.number, code: r.error.code, stage: r.stage, bytesWritten: r.bytesWritten },
        'ticket not printed',
      );
      this.#unprinted.set(ticket.ticketId, { ticket, lang });
      this.set(ticket, 'failed', printerProblem(r.error));
    }
    this.#o.onUnprinted();
  }

  async reprint(ticketId: string): Promise<KioskAnswer> {
    const u = this.#unprinted.get(ticketId);
    if (!u)
      return { ok: false, error: { kind: 'input', code: 'NOT_FAILED', message: AGENT_WORDS.notFailed } };
    const why = await this.#o.printer.ready(0);
    if (why) return { ok: false, error: { kind: 'printer', code: why.code, message: why.message } };
    this.set(u.ticket, 'printing', null);
    await this.print(u.ticket, u.lang);
    const p = this.find(ticketId);
    return p ? { ok: true, print: this.view(p) } : { ok: true };
  }

  /** The customer gives up a ticket that did not print: the hub cancels it (`printFailed`). */
  async void(ticketId: string): Promise<KioskAnswer> {
    const u = this.#unprinted.get(ticketId);
    const link = this.#o.link();
    if (!u)
      return { ok: false, error: { kind: 'input', code: 'NOT_FAILED', message: AGENT_WORDS.notFailed } };
    if (!link)
      return {
        ok: false,
        error: { kind: 'offline', code: 'NOT_PAIRED', message: problem('NOT_PAIRED').message },
      };
    let r: CommandResponse;
    try {
      r = await link.command(
        { type: 'CancelTicket', data: { ticketId, reason: 'printFailed' } },
        `void-${ticketId}`.slice(0, 64),
      );
    } catch {
      return {
        ok: false,
        error: { kind: 'offline', code: 'HUB_UNREACHABLE', message: AGENT_WORDS.hubUnreachable },
      };
    }
    if (!r.ok) {
      return {
        ok: false,
        error: {
          kind: r.error.kind === 'domain' ? 'domain' : 'refused',
          code: r.error.code,
          message: r.error.message,
        },
      };
    }
    this.#unprinted.delete(ticketId);
    this.#o.logger.info({ number: u.ticket.number }, 'unprinted ticket voided (printFailed)');
    const p = this.set(u.ticket, 'voided', null);
    this.#o.onUnprinted();
    return { ok: true, print: p };
  }

  /** Tells the hub how a print it asked for went (the floor desk sees it). */
  async report(ticketId: string, ok: boolean, problem: string | null): Promise<void> {
    const link = this.#o.link();
    if (!link) return;
    try {
      const r = await link.http.send('POST', '/api/v1/devices/print-report', {
        v: 1,
        ticketId,
        ok,
        problem: ok ? null : (problem ?? 'PRINTER_ERROR'),
      });
      if (r.status !== 200) this.#o.logger.warn({ status: r.status, body: r.body }, 'print report refused');
    } catch (e) {
      this.#o.logger.warn({ err: String(e), ticketId }, 'print report not sent (hub unreachable)');
    }
  }
}
