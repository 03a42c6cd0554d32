import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { type Logger, silentLogger } from '@nextup/printer';
import { openPtyPair, type PtyPair } from '@nextup/ptypair';
import { SerialPort } from 'serialport';
import {
  type DecodedTicket,
  type DeviceOptions,
  type ParseIssue,
  READY,
  ticketPng,
  VirtualDevice,
  type VirtualStatus,
} from './device.ts';
import { serveVirtualPrinterHttp, type VirtualPrinterHttp } from './http.ts';

/** A ticket the virtual printer printed, with where it came from and its picture. */
export interface VirtualTicket extends DecodedTicket {
  /** 1, 2, 3… in arrival order. */
  id: number;
  /** When it was cut (epoch ms). */
  receivedAt: number;
  via: 'tcp' | 'pty' | 'direct';
  /** The ticket as the paper would look (PNG, rendered on first use). */
  png(): Buffer;
}

export interface VirtualPrinterOptions {
  /** Paper roll width in mm: 80 (576 dots) or 58 (384 dots). Default 80. */
  paperWidth?: 80 | 58;
  /** Chinese mode at power-on and after ESC @ (a memory switch on real printers). Default false. */
  chineseDefault?: boolean;
  /**
   * Quiet time after which a command left half-sent is abandoned (reported as truncated) so that the
   * next ticket parses afresh, ms. Default 1000.
   */
  idleResetMs?: number;
  /** Tickets kept (oldest dropped first). Default 500. */
  maxTickets?: number;
  logger?: Logger;
}

type StatusPatch = Partial<VirtualStatus>;

/**
 * The hardware twin of an ESC/POS network (and serial) printer: it listens on TCP like a printer's
 * port 9100 and optionally on one end of a pty pair, decodes what it receives into tickets (text,
 * QR payloads, images, a PNG of the paper) and answers DLE EOT and GS r from a status a test or the
 * demo sets. Each connection has its own parser and modes; the status and the tickets are shared.
 */
export class VirtualPrinter {
  private readonly deviceOptions: DeviceOptions;
  private readonly idleResetMs: number;
  private readonly maxTickets: number;
  private readonly logger: Logger;
  private current: VirtualStatus = { ...READY };
  private scheduled: { at: number; patch: StatusPatch }[] = [];
  private bytesIn = 0;
  private nextId = 1;
  private readonly store: VirtualTicket[] = [];
  private readonly recentIssues: (ParseIssue & { via: string })[] = [];
  private readonly ticketListeners = new Set<(t: VirtualTicket) => void>();
  private tcp: Server | null = null;
  private http: Promise<VirtualPrinterHttp> | null = null;
  private readonly sockets = new Set<Socket>();
  private pty: { pair: PtyPair; port: SerialPort } | null = null;

  constructor(options: VirtualPrinterOptions = {}) {
    const width = options.paperWidth ?? 80;
    if (width !== 80 && width !== 58)
      throw new TypeError(`paperWidth must be 80 or 58; got ${String(width)}`);
    this.deviceOptions = {
      paperDots: width === 58 ? 384 : 576,
      chineseDefault: options.chineseDefault ?? false,
    };
    this.idleResetMs = options.idleResetMs ?? 1000;
    this.maxTickets = options.maxTickets ?? 500;
    this.logger = options.logger ?? silentLogger;
  }

  /** The sensors now. */
  get status(): VirtualStatus {
    return { ...this.current };
  }

  /** Sets some sensors (e.g. `{ paperOut: true }`); the rest stay as they are. */
  setStatus(patch: StatusPatch): void {
    this.current = { ...this.current, ...pickStatus(patch) };
    this.logger.info({ status: this.current }, 'virtual printer status set');
  }

  /**
   * Sets sensors once `afterBytes` more bytes have arrived (on any connection), exactly at that
   * byte: to run out of paper in the middle of a ticket.
   */
  setStatusAfter(afterBytes: number, patch: StatusPatch): void {
    this.scheduled.push({ at: this.bytesIn + Math.max(0, Math.floor(afterBytes)), patch: pickStatus(patch) });
    this.scheduled.sort((a, b) => a.at - b.at);
  }

  /** Tickets printed so far, oldest first. */
  get tickets(): readonly VirtualTicket[] {
    return this.store;
  }

  ticket(id: number): VirtualTicket | undefined {
    return this.store.find((t) => t.id === id);
  }

  /** The latest parse issues (outside or inside tickets), newest last. */
  get issues(): readonly (ParseIssue & { via: string })[] {
    return this.recentIssues;
  }

  clear(): void {
    this.store.length = 0;
    this.recentIssues.length = 0;
  }

  /** Calls `fn` for every ticket as it is cut. Returns the unsubscribe function. */
  onTicket(fn: (t: VirtualTicket) => void): () => void {
    this.ticketListeners.add(fn);
    return () => this.ticketListeners.delete(fn);
  }

  /** The next ticket to arrive (rejects after `timeoutMs`, default 10000). */
  nextTicket(timeoutMs = 10_000): Promise<VirtualTicket> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no ticket within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.onTicket((t) => {
        clearTimeout(timer);
        off();
        resolve(t);
      });
    });
  }

  /** Decodes bytes as if they had arrived on a connection of their own that then closed. */
  feed(bytes: Uint8Array): VirtualTicket[] {
    const got: VirtualTicket[] = [];
    const off = this.onTicket((t) => got.push(t));
    const device = this.device('direct', () => {});
    this.deliver(device, bytes);
    device.finish();
    off();
    return got;
  }

  /** Listens on TCP like a network printer. Port 0 picks a free port. Resolves to the port. */
  listen(options: { port?: number; host?: string } = {}): Promise<number> {
    if (this.tcp) throw new Error('VirtualPrinter: already listening on TCP');
    const server = createServer((socket) => this.accept(socket));
    this.tcp = server;
    return new Promise((resolve, reject) => {
      server.once('error', (e) => {
        // A port in use leaves the printer able to listen elsewhere.
        this.tcp = null;
        reject(e);
      });
      server.listen(options.port ?? 9100, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  /** The TCP port, once listening. */
  get port(): number | null {
    const a = this.tcp?.address();
    return a && typeof a === 'object' ? a.port : null;
  }

  /**
   * Opens a pty pair (socat) and listens on one end as a serial printer. Resolves to the path of the
   * other end, for the driver: `serial:<path>?baud=…`.
   */
  async openPty(options: { baudRate?: number } = {}): Promise<string> {
    if (this.pty) return this.pty.pair.a;
    const pair = await openPtyPair();
    const port = new SerialPort({ path: pair.b, baudRate: options.baudRate ?? 19200, autoOpen: false });
    try {
      await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    } catch (e) {
      await pair.close();
      throw e;
    }
    const device = this.device('pty', (bytes) => port.write(Buffer.from(bytes)));
    let idle: NodeJS.Timeout | null = null;
    port.on('data', (chunk: Buffer) => {
      this.deliver(device, chunk);
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => device.idle(), this.idleResetMs);
      idle.unref();
    });
    port.on('error', (e) => this.logger.warn({ err: e.message }, 'virtual printer pty error'));
    this.pty = { pair, port };
    return pair.a;
  }

  /** The HTTP side for the demo and browser tests (hardware/escpos.md §7, `http.ts`). Resolves to the port. */
  listenHttp(options: { port?: number; host?: string } = {}): Promise<number> {
    if (this.http) throw new Error('VirtualPrinter: already listening on HTTP');
    const http = serveVirtualPrinterHttp(this, { ...options, logger: this.logger });
    this.http = http;
    return http.then(
      (h) => h.port,
      (e: unknown) => {
        // A port in use leaves the printer able to listen elsewhere.
        if (this.http === http) this.http = null;
        throw e;
      },
    );
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const tcp = this.tcp;
    const http = this.http;
    this.tcp = null;
    this.http = null;
    await Promise.all([
      tcp ? new Promise<void>((r) => tcp.close(() => r())) : null,
      http?.then(
        (h) => h.close(),
        () => {},
      ),
    ]);
    if (this.pty) {
      const { pair, port } = this.pty;
      this.pty = null;
      if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
      await pair.close();
    }
  }

  private device(via: VirtualTicket['via'], reply: (bytes: Uint8Array) => void): VirtualDevice {
    return new VirtualDevice({
      options: this.deviceOptions,
      status: () => this.current,
      reply,
      onTicket: (t) => this.keep(t, via),
      onIssue: (i) => {
        this.recentIssues.push({ ...i, via });
        if (this.recentIssues.length > 200) this.recentIssues.splice(0, this.recentIssues.length - 200);
        this.logger.debug({ via, ...i }, 'virtual printer could not parse');
      },
    });
  }

  /** Hands bytes to a device, applying scheduled status changes at their exact byte. */
  private deliver(device: VirtualDevice, chunk: Uint8Array): void {
    let rest = chunk;
    while (rest.length > 0) {
      const next = this.scheduled[0];
      if (next && next.at < this.bytesIn + rest.length) {
        const k = Math.max(0, next.at - this.bytesIn);
        if (k > 0) device.push(rest.subarray(0, k));
        this.bytesIn += k;
        rest = rest.subarray(k);
        this.scheduled.shift();
        this.setStatus(next.patch);
        continue;
      }
      device.push(rest);
      this.bytesIn += rest.length;
      rest = rest.subarray(rest.length);
    }
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const device = this.device('tcp', (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    let idle: NodeJS.Timeout | null = null;
    socket.on('data', (chunk: Buffer) => {
      this.deliver(device, chunk);
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => device.idle(), this.idleResetMs);
      idle.unref();
    });
    socket.on('error', (e) => this.logger.debug({ err: e.message }, 'virtual printer socket error'));
    socket.on('close', () => {
      if (idle) clearTimeout(idle);
      this.sockets.delete(socket);
      device.finish();
    });
  }

  private keep(t: DecodedTicket, via: VirtualTicket['via']): void {
    let png: Buffer | null = null;
    const ticket: VirtualTicket = {
      ...t,
      id: this.nextId++,
      receivedAt: Date.now(),
      via,
      png: () => {
        png ??= ticketPng(t);
        return png;
      },
    };
    this.store.push(ticket);
    if (this.store.length > this.maxTickets) this.store.splice(0, this.store.length - this.maxTickets);
    this.logger.info(
      { id: ticket.id, via, bytes: t.bytes, issues: t.issues.length },
      'virtual printer ticket',
    );
    for (const fn of [...this.ticketListeners]) {
      try {
        fn(ticket);
      } catch (e) {
        this.logger.warn({ err: (e as Error).message }, 'ticket listener failed');
      }
    }
  }
}

function pickStatus(p: StatusPatch): StatusPatch {
  const out: StatusPatch = {};
  for (const k of ['paperOut', 'paperNearEnd', 'coverOpen', 'error', 'offline'] as const)
    if (typeof p[k] === 'boolean') out[k] = p[k];
  return out;
}
