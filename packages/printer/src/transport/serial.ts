import type { SerialFlowControl } from '@nextup/protocol';
import { SerialPort } from 'serialport';
import { PrinterError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { fromErrno, Listeners, type Transport } from './transport.ts';

export interface SerialTransportOptions {
  /** The port, e.g. /dev/ttyUSB0 (USB adapter) or /dev/ttyS0. */
  path: string;
  /** Baud rate. Default 19200 (the factory setting of most ESC/POS serial printers is 9600 or 19200). */
  baudRate?: number;
  /**
   * Flow control. 'rtscts' (hardware, the default on Epson's serial models: the printer drops its
   * busy line when its buffer fills), 'xonxoff' (software), or 'none'. Default 'rtscts'.
   */
  flowControl?: SerialFlowControl;
  /** How long a write may take beyond the time the bytes need at this baud rate, ms. Default 10000. */
  writeTimeoutMs?: number;
  logger?: Logger;
}

const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];

/** An ESC/POS printer on a serial line (RS-232, or a USB serial adapter). 8 data bits, no parity, 1 stop bit. */
export class SerialTransport implements Transport {
  readonly kind = 'serial' as const;
  readonly target: string;
  readonly readable = true;
  readonly baudRate: number;
  private readonly path: string;
  private readonly flow: SerialFlowControl;
  private readonly writeTimeoutMs: number;
  private readonly logger: Logger;
  private port: SerialPort | null = null;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<PrinterError | null>();

  constructor(options: SerialTransportOptions) {
    if (!options.path) throw new TypeError('SerialTransport: path is required');
    const baud = options.baudRate ?? 19200;
    if (!BAUD_RATES.includes(baud))
      throw new TypeError(
        `SerialTransport: baudRate must be one of ${BAUD_RATES.join(', ')}; got ${options.baudRate}`,
      );
    const flow = options.flowControl ?? 'rtscts';
    if (!['none', 'rtscts', 'xonxoff'].includes(flow))
      throw new TypeError(
        `SerialTransport: flowControl must be none, rtscts or xonxoff; got ${String(flow)}`,
      );
    this.path = options.path;
    this.baudRate = baud;
    this.flow = flow;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.logger = options.logger ?? silentLogger;
    this.target = `serial:${this.path}?baud=${baud}&flow=${flow}`;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const port = new SerialPort({
      path: this.path,
      baudRate: this.baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: this.flow === 'rtscts',
      xon: this.flow === 'xonxoff',
      xoff: this.flow === 'xonxoff',
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((err) => (err ? reject(serialError(err, this.target, 'cannot open')) : resolve())),
    );
    // Raise DTR/RTS so a printer that watches them sees a host. A pty (the virtual printer) and some
    // adapters have no modem lines: that is fine, so a failure here is only logged.
    await new Promise<void>((resolve) =>
      port.set({ dtr: true, rts: true }, (err) => {
        if (err) this.logger.debug({ target: this.target, err: err.message }, 'modem lines not settable');
        resolve();
      }),
    );
    port.on('data', (chunk: Buffer) => this.data.emit(chunk));
    port.on('close', (err?: Error | null) => {
      if (this.port !== port) return;
      this.port = null;
      this.closed.emit(
        err
          ? new PrinterError('DISCONNECTED', `${this.target} closed: ${err.message}`)
          : new PrinterError('DISCONNECTED', `${this.target} closed`),
      );
    });
    port.on('error', (err) =>
      this.logger.warn({ target: this.target, err: err.message }, 'serial port error'),
    );
    this.port = port;
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new PrinterError('DISCONNECTED', `${this.target} is not open`));
    // 10 bits a byte on the wire (start, 8 data, stop).
    const wireMs = Math.ceil((bytes.length * 10 * 1000) / this.baudRate);
    const limit = wireMs + this.writeTimeoutMs;
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        reject(
          new PrinterError(
            'TIMEOUT',
            `${this.target} did not take ${bytes.length} bytes in ${limit} ms (flow control held?)`,
          ),
        );
      }, limit);
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) => {
        if (err) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          reject(serialError(err, this.target, 'cannot write to'));
          return;
        }
        // drain = tcdrain: resolved once the UART has sent the bytes.
        port.drain((derr) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (derr) reject(serialError(derr, this.target, 'cannot write to'));
          else resolve();
        });
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: PrinterError | null) => void): () => void {
    return this.closed.add(listener);
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (!port?.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}

/** serialport's errors carry the errno text in the message, not always a code. */
function serialError(err: Error, target: string, doing: string): PrinterError {
  const m = err.message;
  if (/Cannot lock port|Resource temporarily unavailable|EBUSY/i.test(m))
    return new PrinterError('BUSY', `${doing} ${target}: ${m}`, { cause: err });
  if (/Permission denied|EACCES/i.test(m))
    return new PrinterError('PERMISSION_DENIED', `${doing} ${target}: ${m}`, { cause: err });
  return fromErrno(err, target, doing);
}
