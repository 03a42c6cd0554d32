import {
  createTransport,
  type Logger,
  PrinterError,
  type PrinterStatus,
  type PrintResult,
  printerHealth,
  silentLogger,
  statusProblem,
  TicketPrinter,
  type TicketPrintJob,
} from '@nextup/printer';
import type { HealthComponent, KioskProblem, KioskSettings } from '@nextup/protocol';
import { NO_PRINTER, printerReason } from './health-reason.ts';
import { printerProblem, problem } from './words.ts';

export type PrinterSettings = NonNullable<KioskSettings['printer']>;

export interface KioskPrinterOptions {
  logger?: Logger;
  /** How often the printer's status is read while no ticket prints, ms. Default 3000. */
  pollMs?: number;
  /** How long the printer has to answer a status request, ms. Default 1500. */
  statusTimeoutMs?: number;
  /** How long a TCP printer has to accept the connection, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** Called whenever what the customer must be told about the printer changes. */
  onChange?: () => void;
  /** The clock for health `since` stamps. Default `Date.now`. */
  now?: () => number;
}

/** What the kiosk knows about its printer now. */
export interface PrinterSummary {
  level: 'ok' | 'warning' | 'error';
  /** Why tickets cannot print, or null. */
  problem: KioskProblem | null;
  paperNearEnd: boolean;
}

/**
 * The kiosk's ticket printer, as its admin set it on the hub: builds the `TicketPrinter` for the
 * configured URL (rebuilt when the settings change), reads its status every few seconds while idle
 * so that paper out or an open cover disables issuing before the customer taps, and keeps the health
 * line the hub shows.
 */
export class KioskPrinter {
  readonly #o: Required<Omit<KioskPrinterOptions, 'onChange'>> & Pick<KioskPrinterOptions, 'onChange'>;
  #key: string | null = null;
  #url: string | null = null;
  #configured = false;
  #printer: TicketPrinter | null = null;
  #health: HealthComponent;
  #summary: PrinterSummary;
  #lastRead = 0;
  #busy = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(options: KioskPrinterOptions = {}) {
    this.#o = {
      logger: options.logger ?? silentLogger,
      pollMs: options.pollMs ?? 3000,
      statusTimeoutMs: options.statusTimeoutMs ?? 1500,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      now: options.now ?? Date.now,
      onChange: options.onChange,
    };
    this.#health = this.#notConfiguredHealth();
    this.#summary = { level: 'error', problem: problem('NO_PRINTER'), paperNearEnd: false };
  }

  get summary(): PrinterSummary {
    return this.#summary;
  }

  /** The printer's line in the device health reported to the hub. */
  get health(): HealthComponent {
    return this.#health;
  }

  /** Whether a printer is configured and answered at least once. */
  get configured(): boolean {
    return this.#configured;
  }

  /** Applies the printer settings from the hub (null: none). Unchanged settings change nothing. */
  configure(settings: PrinterSettings | null): void {
    if (this.#closed) return;
    const key = settings ? JSON.stringify(settings) : null;
    if (this.#configured && key === this.#key) return;
    this.#configured = true;
    this.#key = key;
    this.#url = settings?.url ?? null;
    const old = this.#printer;
    this.#printer = null;
    if (old) void old.dispose().catch(() => {});
    if (!settings) {
      this.#stopPolling();
      this.#set(this.#notConfiguredHealth(), {
        level: 'error',
        problem: problem('NO_PRINTER'),
        paperNearEnd: false,
      });
      return;
    }
    try {
      this.#printer = new TicketPrinter({
        transport: createTransport(settings.url, {
          logger: this.#o.logger,
          connectTimeoutMs: this.#o.connectTimeoutMs,
        }),
        paperWidth: settings.paperWidth,
        chinese: settings.chinese,
        qr: settings.qr,
        statusTimeoutMs: this.#o.statusTimeoutMs,
        logger: this.#o.logger,
      });
    } catch (e) {
      const err = e instanceof PrinterError ? e : new PrinterError('BAD_URL', String((e as Error).message));
      this.#o.logger.error({ url: settings.url, code: err.code }, 'printer settings unusable');
      this.#stopPolling();
      this.#apply(err);
      return;
    }
    this.#o.logger.info({ url: settings.url, paperWidth: settings.paperWidth }, 'printer configured');
    this.#startPolling();
    void this.refresh();
  }

  /** Reads the status now (skipped while a ticket prints: the print reads it itself). */
  async refresh(): Promise<void> {
    if (this.#busy > 0) return;
    await this.#read();
  }

  /**
   * Whether a ticket can print now: the status read within `maxAgeMs` (default 1000), else read
   * again first (unless a ticket is printing). Null when fine, else the problem to tell the customer.
   */
  async ready(maxAgeMs = 1000): Promise<KioskProblem | null> {
    if (!this.#printer) return this.#summary.problem ?? problem('NO_PRINTER');
    // While a ticket prints, its own status reads keep the summary fresh: asking again would only
    // queue behind it and keep the next customer's number off the screen until it is done.
    if (this.#o.now() - this.#lastRead > maxAgeMs && this.#busy === 0) {
      // A poll may be in flight; wait for the printer's queue rather than skipping.
      await this.#read();
    }
    return this.#summary.problem;
  }

  /** Prints a ticket; the result says whether every byte printed (see `TicketPrinter.print`). */
  async print(job: TicketPrintJob): Promise<PrintResult> {
    const printer = this.#printer;
    if (!printer)
      return {
        ok: false,
        error: new PrinterError('OFFLINE', 'no printer is configured', { stage: 'connect' }),
        stage: 'connect',
        bytesWritten: 0,
        status: null,
        ms: 0,
      };
    this.#busy++;
    try {
      const r = await printer.print(job);
      if (printer === this.#printer) {
        if (r.ok) {
          if (r.after) this.#apply(r.after);
        } else this.#apply(r.error);
      }
      return r;
    } finally {
      this.#busy--;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopPolling();
    const p = this.#printer;
    this.#printer = null;
    await p?.dispose().catch(() => {});
  }

  async #read(): Promise<void> {
    const printer = this.#printer;
    if (!printer) return;
    this.#busy++;
    try {
      const s = await printer.status();
      if (printer === this.#printer) this.#apply(s);
    } catch (e) {
      if (printer === this.#printer)
        this.#apply(e instanceof PrinterError ? e : new PrinterError('DISCONNECTED', String(e)));
    } finally {
      this.#busy--;
    }
  }

  #startPolling() {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.refresh(), this.#o.pollMs);
    this.#timer.unref?.();
  }

  #stopPolling() {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #apply(input: PrinterStatus | PrinterError) {
    const now = this.#o.now();
    this.#lastRead = now;
    const health = { ...printerHealth(input, now, this.#health), reason: printerReason(input, this.#url) };
    let summary: PrinterSummary;
    if (input instanceof PrinterError) {
      summary = { level: 'error', problem: printerProblem(input), paperNearEnd: false };
    } else {
      const p = statusProblem(input);
      summary = p
        ? { level: 'error', problem: printerProblem({ code: p }), paperNearEnd: input.paperNearEnd }
        : { level: input.paperNearEnd ? 'warning' : 'ok', problem: null, paperNearEnd: input.paperNearEnd };
    }
    this.#set(health, summary);
  }

  #set(health: HealthComponent, summary: PrinterSummary) {
    const changed =
      JSON.stringify(summary) !== JSON.stringify(this.#summary) ||
      health.code !== this.#health.code ||
      health.level !== this.#health.level;
    if (summary.problem?.code !== this.#summary.problem?.code)
      this.#o.logger.info(
        { problem: summary.problem?.code ?? null, health: health.code },
        summary.problem ? 'printer not ready' : 'printer ready',
      );
    this.#health = health;
    this.#summary = summary;
    if (changed) this.#o.onChange?.();
  }

  #notConfiguredHealth(): HealthComponent {
    const prev = this.#health as HealthComponent | undefined;
    return {
      component: 'printer',
      address: null,
      level: 'error',
      code: 'ERROR',
      detail: 'no printer set up for this kiosk',
      reason: NO_PRINTER,
      since: prev?.code === 'ERROR' ? prev.since : this.#o.now(),
    };
  }
}
