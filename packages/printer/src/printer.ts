import { PrinterError, type PrintStage } from './errors.ts';
import { concatBytes, realtimeStatus, TRANSMIT_PAPER_STATUS } from './escpos.ts';
import { type Logger, silentLogger } from './logger.ts';
import {
  decodeStatus,
  describeStatus,
  isPaperSensorByte,
  isRealtimeStatusByte,
  type PrinterStatus,
  statusProblem,
} from './status.ts';
import { buildTicket, type TicketLayoutOptions, type TicketPrintJob } from './ticket.ts';
import { SerialTransport } from './transport/serial.ts';
import type { Transport } from './transport/transport.ts';

export interface TicketPrinterOptions extends TicketLayoutOptions {
  /** The link to the printer (see `createTransport(url)`). The printer owns it and closes it. */
  transport: Transport;
  /** How long the printer has to answer DLE EOT, ms. Default 1500. */
  statusTimeoutMs?: number;
  /**
   * When a ticket counts as printed. 'processed' (default): GS r 1 is sent after the ticket and its
   * reply awaited — the printer answers it only once everything before it is printed — while DLE EOT
   * is polled to catch paper out or an open cover on the way. 'sent': the status is read as soon as
   * the bytes are handed over (for printers that do not implement GS r; `nextup printer test` tells).
   */
  completion?: 'processed' | 'sent';
  /** How long a ticket may take to print in 'processed' mode, ms. Default 15000 plus the serial wire time. */
  printTimeoutMs?: number;
  /** How often DLE EOT is polled while a ticket prints, ms. Default 250. */
  pollIntervalMs?: number;
  logger?: Logger;
}

export type PrintWarning =
  /** The roll is nearly empty: printed, but change the roll soon. */
  | 'PAPER_NEAR_END'
  /** The link is one-way (usblp 7/1/1): the bytes went out; nobody can say whether they printed. */
  | 'STATUS_UNKNOWN';

export type PrintResult =
  | {
      ok: true;
      /** Bytes of the ticket. */
      bytes: number;
      /** Time from the call to the answer, ms. */
      ms: number;
      before: PrinterStatus | null;
      after: PrinterStatus | null;
      /**
       * 'processed': the printer confirmed it printed everything (GS r) and its status after is
       * fine. 'status': every byte was handed over and the status after is fine. 'unverified': the
       * link cannot read status (see `warnings`).
       */
      confirmed: 'processed' | 'status' | 'unverified';
      warnings: PrintWarning[];
    }
  | {
      ok: false;
      error: PrinterError;
      stage: PrintStage;
      /** Ticket bytes handed to the link before the failure (0 when refused before sending). */
      bytesWritten: number;
      /** The last status read, when there was one. */
      status: PrinterStatus | null;
      ms: number;
    };

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: PrinterError): void;
}

/**
 * The kiosk's ticket printer: builds a ticket, checks the printer is ready, sends every byte, and
 * reports the ticket printed only when the printer has confirmed it and its status afterwards is
 * fine. Every failure comes back as a result with a PrinterError code, never as silence. Calls are
 * serialised: one ticket or status read at a time.
 */
export class TicketPrinter {
  readonly transport: Transport;
  private readonly layout: TicketLayoutOptions;
  private readonly statusTimeoutMs: number;
  private readonly completion: 'processed' | 'sent';
  private readonly printTimeoutMs: number | undefined;
  private readonly pollIntervalMs: number;
  private readonly logger: Logger;
  private readonly realtime: Waiter<number>[] = [];
  private barrier: Waiter<number> | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | null = null;
  private readonly unsubscribe: (() => void)[];

  constructor(options: TicketPrinterOptions) {
    const { transport, statusTimeoutMs, completion, printTimeoutMs, pollIntervalMs, logger, ...layout } =
      options;
    if (!transport) throw new TypeError('TicketPrinter: transport is required');
    if (completion !== undefined && completion !== 'processed' && completion !== 'sent')
      throw new TypeError(
        `TicketPrinter: completion must be 'processed' or 'sent'; got ${String(completion)}`,
      );
    this.transport = transport;
    this.layout = layout;
    this.statusTimeoutMs = statusTimeoutMs ?? 1500;
    this.completion = completion ?? 'processed';
    this.printTimeoutMs = printTimeoutMs;
    this.pollIntervalMs = pollIntervalMs ?? 250;
    this.logger = logger ?? silentLogger;
    this.unsubscribe = [
      transport.onData((chunk) => this.onBytes(chunk)),
      transport.onClose((err) =>
        this.failWaiters(err ?? new PrinterError('DISCONNECTED', `${transport.target} closed`)),
      ),
    ];
  }

  /** Reads the printer's real-time status (DLE EOT 1, 2, 4, and 3 when there is an error). */
  status(): Promise<PrinterStatus> {
    return this.exclusive(async () => {
      await this.ensureOpen();
      return this.readStatus();
    });
  }

  /** Builds and prints a ticket. Invalid jobs (a bad follow URL) throw a TypeError at once. */
  print(job: TicketPrintJob): Promise<PrintResult> {
    const { bytes } = buildTicket(job, this.layout);
    return this.printBytes(bytes);
  }

  /** Prints ready-made ESC/POS bytes with the same checks (used by `nextup printer test`). */
  printBytes(bytes: Uint8Array): Promise<PrintResult> {
    return this.exclusive(() => this.send(bytes));
  }

  /**
   * Whether the printer answers GS r 1 on this link, which the 'processed' completion needs (some
   * models answer it on serial only). Waits up to `timeoutMs` (default 2000).
   */
  supportsConfirmation(timeoutMs = 2000): Promise<boolean> {
    return this.exclusive(async () => {
      await this.ensureOpen();
      if (!this.transport.readable) return false;
      const done = this.armBarrier();
      let timer: NodeJS.Timeout | undefined;
      try {
        await this.transport.write(TRANSMIT_PAPER_STATUS);
        const answered = await Promise.race([
          done.then(
            () => true,
            () => false,
          ),
          new Promise<boolean>((r) => {
            timer = setTimeout(() => r(false), timeoutMs);
          }),
        ]);
        // A reply arriving later would be taken for the next ticket's confirmation: start afresh.
        if (!answered) this.resync();
        return answered;
      } finally {
        clearTimeout(timer);
        this.barrier = null;
        done.catch(() => {});
      }
    });
  }

  /** Closes the link. The printer can be used again afterwards (it reconnects). */
  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.failWaiters(new PrinterError('DISCONNECTED', 'printer closed'));
      await this.transport.close();
    });
  }

  /** Closes the link and stops listening to it for good. */
  async dispose(): Promise<void> {
    await this.close();
    for (const u of this.unsubscribe) u();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async ensureOpen(): Promise<void> {
    // A close started by a timeout must finish first: a serial port cannot be opened twice.
    if (this.closing) await this.closing;
    if (this.transport.isOpen) return;
    await this.transport.open();
  }

  /** Closes the link after a timeout, so that a late reply is never taken for a later answer. */
  private resync(): void {
    const closing = this.transport.close().finally(() => {
      if (this.closing === closing) this.closing = null;
    });
    this.closing = closing;
  }

  private async send(bytes: Uint8Array): Promise<PrintResult> {
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    let last: PrinterStatus | null = null;
    let written = 0;
    const fail = (e: unknown, stage: PrintStage): PrintResult => {
      const error =
        e instanceof PrinterError
          ? e.at(stage)
          : new PrinterError('DISCONNECTED', (e as Error)?.message ?? String(e), { stage, cause: e });
      this.logger.warn(
        { target: this.transport.target, code: error.code, stage, bytesWritten: written, status: last?.raw },
        'ticket not printed',
      );
      return { ok: false, error, stage, bytesWritten: written, status: last, ms: ms() };
    };
    const notReady = (s: PrinterStatus, stage: PrintStage): PrintResult | null => {
      const problem = statusProblem(s);
      if (problem === null) return null;
      return fail(new PrinterError(problem, `printer ${describeStatus(s, 'en')}`), stage);
    };

    try {
      await this.ensureOpen();
    } catch (e) {
      return fail(e, 'connect');
    }
    const warnings: PrintWarning[] = [];
    const readable = this.transport.readable;
    let before: PrinterStatus | null = null;
    if (readable) {
      try {
        before = last = await this.readStatus();
      } catch (e) {
        return fail(e, 'before');
      }
      const refused = notReady(before, 'before');
      if (refused) return refused;
      if (before.paperNearEnd) warnings.push('PAPER_NEAR_END');
    } else warnings.push('STATUS_UNKNOWN');

    const confirm = readable && this.completion === 'processed';
    // Armed before writing: a fast printer answers GS r before write() resolves.
    const done = confirm ? this.armBarrier() : null;
    try {
      await this.transport.write(confirm ? concatBytes([bytes, TRANSMIT_PAPER_STATUS]) : bytes);
      written = bytes.length;
    } catch (e) {
      this.barrier = null;
      done?.catch(() => {});
      // How much got through is unknown; the link is in an unknown state: start afresh next time.
      this.resync();
      return fail(e, 'during');
    }
    if (!readable) {
      this.logger.info(
        { target: this.transport.target, bytes: bytes.length },
        'ticket sent (status unknown)',
      );
      return {
        ok: true,
        bytes: bytes.length,
        ms: ms(),
        before,
        after: null,
        confirmed: 'unverified',
        warnings,
      };
    }

    if (done) {
      const limit = this.printTimeoutMs ?? 15_000 + this.wireMs(bytes.length);
      const deadline = performance.now() + limit;
      let confirmed = false;
      done.then(
        () => {
          confirmed = true;
        },
        () => {},
      );
      while (!confirmed) {
        const left = deadline - performance.now();
        if (left <= 0) {
          this.barrier = null;
          return fail(
            new PrinterError(
              'TIMEOUT',
              `the printer did not confirm the ticket (GS r 1) within ${limit} ms although its status is fine; ` +
                `if it does not support GS r, set completion to 'sent'`,
            ),
            'during',
          );
        }
        const tick = await Promise.race([
          done.then(
            () => 'done' as const,
            (e: PrinterError) => e,
          ),
          new Promise<'poll'>((r) => setTimeout(() => r('poll'), Math.min(this.pollIntervalMs, left))),
        ]);
        if (tick === 'done') break;
        if (tick instanceof PrinterError) return fail(tick, 'during');
        // Still printing: ask how it is going (DLE EOT is answered even when printing has stopped).
        try {
          last = await this.readStatus();
        } catch (e) {
          this.barrier = null;
          return fail(e, 'during');
        }
        const stopped = notReady(last, 'during');
        if (stopped) {
          this.barrier = null;
          return stopped;
        }
      }
    }

    let after: PrinterStatus;
    try {
      after = last = await this.readStatus();
    } catch (e) {
      return fail(e, 'during');
    }
    const bad = notReady(after, 'during');
    if (bad) return bad;
    if (after.paperNearEnd && !warnings.includes('PAPER_NEAR_END')) warnings.push('PAPER_NEAR_END');
    const result: PrintResult = {
      ok: true,
      bytes: bytes.length,
      ms: ms(),
      before,
      after,
      confirmed: confirm ? 'processed' : 'status',
      warnings,
    };
    this.logger.info(
      { target: this.transport.target, bytes: bytes.length, ms: result.ms, warnings },
      'ticket printed',
    );
    return result;
  }

  /** Milliseconds the bytes need on a serial line (0 for TCP and USB). */
  private wireMs(n: number): number {
    return this.transport instanceof SerialTransport
      ? Math.ceil((n * 10 * 1000) / this.transport.baudRate)
      : 0;
  }

  private armBarrier(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.barrier = { resolve, reject };
    });
  }

  /**
   * DLE EOT 1 and 4 in one write (every ESC/POS printer answers those two; some cheap models answer
   * nothing else); then, only when n = 1 says offline, 2 for the cause and 3 when 2 reports an
   * error. A printer that does not answer 2 or 3 is reported offline (or out of paper, from n = 4)
   * with no named cause rather than as a timeout.
   */
  private async readStatus(): Promise<PrinterStatus> {
    if (!this.transport.readable)
      throw new PrinterError(
        'NO_STATUS',
        `${this.transport.target} is write-only: the printer status cannot be read`,
      );
    const [printer, paper] = (await this.ask([1, 4])) as [number, number];
    let offline: number | null = null;
    let error: number | null = null;
    if (printer & 0x08) {
      // DLE EOT 1 bit 3: offline. Why?
      offline = await this.askOptional(2);
      if (offline !== null && offline & 0x40) error = await this.askOptional(3); // DLE EOT 2 bit 6
    }
    return decodeStatus(printer, offline, paper, error);
  }

  /** Asks DLE EOT n of a printer that may not implement it: null when it does not answer. */
  private async askOptional(n: 2 | 3): Promise<number | null> {
    try {
      return (await this.ask([n]))[0] ?? null;
    } catch (e) {
      if (e instanceof PrinterError && e.code === 'TIMEOUT') {
        this.logger.info({ target: this.transport.target, n }, 'printer does not answer this DLE EOT');
        // ask() closed the link on the timeout; the caller's next write opens it again.
        await this.ensureOpen();
        return null;
      }
      throw e;
    }
  }

  private async ask(ns: (1 | 2 | 3 | 4)[]): Promise<number[]> {
    const replies = ns.map(
      () =>
        new Promise<number>((resolve, reject) => {
          this.realtime.push({ resolve, reject });
        }),
    );
    const timer = setTimeout(() => {
      const e = new PrinterError(
        'TIMEOUT',
        `${this.transport.target} did not answer DLE EOT ${ns.join('/')} within ${this.statusTimeoutMs} ms`,
      );
      this.failWaiters(e);
      // A late reply would be taken for the answer to a later question: start the link afresh.
      this.resync();
    }, this.statusTimeoutMs);
    try {
      await this.transport.write(concatBytes(ns.map((n) => realtimeStatus(n))));
      return await Promise.all(replies);
    } catch (e) {
      this.failWaiters(e instanceof PrinterError ? e : new PrinterError('DISCONNECTED', String(e)));
      for (const r of replies) r.catch(() => {});
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private onBytes(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (isRealtimeStatusByte(b)) {
        const w = this.realtime.shift();
        if (w) w.resolve(b);
        else this.logger.debug({ byte: b }, 'unexpected DLE EOT reply ignored');
      } else if (isPaperSensorByte(b) && this.barrier) {
        const w = this.barrier;
        this.barrier = null;
        w.resolve(b);
      } else {
        this.logger.debug({ byte: b }, 'unexpected byte from printer ignored');
      }
    }
  }

  private failWaiters(e: PrinterError): void {
    for (const w of this.realtime.splice(0)) w.reject(e);
    const b = this.barrier;
    this.barrier = null;
    b?.reject(e);
  }
}
