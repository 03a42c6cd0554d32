import { connect, type Socket } from 'node:net';
import { PrinterError } from '../errors.ts';
import { fromErrno, Listeners, type Transport } from './transport.ts';

export interface TcpTransportOptions {
  host: string;
  /** Default 9100, the raw printing port (JetDirect / AppSocket) of network printers. */
  port?: number;
  /** How long to wait for the connection, ms. Default 3000. */
  connectTimeoutMs?: number;
  /** How long a write may wait for the socket to take the bytes, ms. Default 10000. */
  writeTimeoutMs?: number;
}

/** A network printer on port 9100: bytes both ways on one TCP connection. */
export class TcpTransport implements Transport {
  readonly kind = 'tcp' as const;
  readonly target: string;
  readonly readable = true;
  private readonly host: string;
  private readonly port: number;
  private readonly connectTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private socket: Socket | null = null;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<PrinterError | null>();

  constructor(options: TcpTransportOptions) {
    if (!options.host) throw new TypeError('TcpTransport: host is required');
    const port = options.port ?? 9100;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new TypeError(`TcpTransport: port must be 1-65535; got ${options.port}`);
    this.host = options.host;
    this.port = port;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.target = `tcp://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  get isOpen(): boolean {
    return this.socket !== null && !this.socket.destroyed;
  }

  open(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(
          new PrinterError('TIMEOUT', `no connection to ${this.target} within ${this.connectTimeoutMs} ms`),
        );
      }, this.connectTimeoutMs);
      socket.once('connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        this.socket = socket;
        resolve();
      });
      socket.on('data', (chunk: Buffer) => this.data.emit(chunk));
      socket.on('error', (e) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(fromErrno(e, this.target, 'cannot connect to'));
        }
        // After connect, 'close' follows and reports it.
        (socket as Socket & { lastError?: unknown }).lastError = e;
      });
      socket.on('close', () => {
        if (this.socket !== socket) return;
        this.socket = null;
        const err = (socket as Socket & { lastError?: unknown }).lastError;
        this.closed.emit(
          err
            ? fromErrno(err, this.target, 'connection lost to')
            : new PrinterError('DISCONNECTED', `${this.target} closed the connection`),
        );
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.destroyed)
      return Promise.reject(new PrinterError('DISCONNECTED', `not connected to ${this.target}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // The printer stopped taking bytes (its buffer is full and it is not printing).
        socket.destroy();
        reject(new PrinterError('TIMEOUT', `${this.target} took no data for ${this.writeTimeoutMs} ms`));
      }, this.writeTimeoutMs);
      socket.write(bytes, (err) => {
        clearTimeout(timer);
        if (err) reject(fromErrno(err, this.target, 'cannot write to'));
        else resolve();
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
    const socket = this.socket;
    this.socket = null;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      // end() lets the bytes already written reach the printer before the FIN.
      socket.end();
    });
  }
}
