import { PrinterError } from '../errors.ts';

export type TransportKind = 'tcp' | 'serial' | 'file';

/**
 * A byte pipe to a printer. The driver (TicketPrinter) is written against this and nothing else:
 * TCP, serial and the USB device file implement it, and so can anything a test or a future printer
 * needs. Opening is explicit; after a failure the driver closes and opens again.
 */
export interface Transport {
  readonly kind: TransportKind;
  /** Where it goes, for logs and messages, e.g. "tcp://192.168.1.50:9100". */
  readonly target: string;
  /**
   * Whether the printer's replies (DLE EOT) can be read back. Known after `open()`; false for a
   * one-way USB printer (usblp protocol 7/1/1) or a plain file.
   */
  readonly readable: boolean;
  readonly isOpen: boolean;
  /** Connects; rejects with a PrinterError (CONNECT_FAILED, PERMISSION_DENIED, BUSY, TIMEOUT). */
  open(): Promise<void>;
  /**
   * Writes every byte; resolves once the operating system has taken them (TCP: in the socket
   * buffer; serial: drained to the wire; file: written to the device). Rejects with a PrinterError.
   */
  write(bytes: Uint8Array): Promise<void>;
  /** Bytes from the printer as they arrive. Returns the unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** The link closed by itself (the printer hung up, the cable was pulled). */
  onClose(listener: (error: PrinterError | null) => void): () => void;
  /** Closes; never rejects. Idempotent. */
  close(): Promise<void>;
}

/** Listener sets shared by the transports. */
export class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();
  add(fn: (v: T) => void): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }
  emit(v: T): void {
    for (const fn of [...this.set]) {
      try {
        fn(v);
      } catch {
        // A listener's fault is not the transport's.
      }
    }
  }
}

/** Turns an errno from the OS into a PrinterError with a code and the target named. */
export function fromErrno(e: unknown, target: string, doing: string): PrinterError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const msg = `${doing} ${target}: ${(e as Error)?.message ?? String(e)}`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new PrinterError('PERMISSION_DENIED', msg, { cause: e });
    case 'EBUSY':
      return new PrinterError('BUSY', msg, { cause: e });
    case 'ETIMEDOUT':
      return new PrinterError('TIMEOUT', msg, { cause: e });
    case 'EPIPE':
    case 'ECONNRESET':
    case 'ENODEV':
    case 'EIO':
      return new PrinterError('DISCONNECTED', msg, { cause: e });
    default:
      return new PrinterError('CONNECT_FAILED', msg, { cause: e });
  }
}
