import { constants, promises as fsp } from 'node:fs';
import { PrinterError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import { fromErrno, Listeners, type Transport } from './transport.ts';

export interface FileTransportOptions {
  /** The device file, e.g. /dev/usb/lp0 (Linux usblp). A plain file works too (write only). */
  path: string;
  /** How long a write may take, ms. Default 10000. */
  writeTimeoutMs?: number;
  /** How often replies are polled for while one may be coming, ms. Default 5. */
  pollMs?: number;
  /** How long after a write replies are polled for, ms. Default 5000. */
  listenMs?: number;
  logger?: Logger;
}

/**
 * A USB printer through the kernel's usblp driver (/dev/usb/lp0). usblp allows one open at a time,
 * so reads and writes share one descriptor, opened non-blocking: a read with nothing to read
 * returns EAGAIN at once instead of holding a thread. usblp answers reads only for bidirectional
 * printers (USB printer class protocol 7/1/2); for a one-way printer (7/1/1) read() fails with
 * EINVAL, and then the status is unknown and this transport says so (`readable` false).
 *
 * An ESC/POS printer without automatic status back speaks only when asked, so replies are polled
 * for a few seconds after each write, not all day.
 */
export class FileTransport implements Transport {
  readonly kind = 'file' as const;
  readonly target: string;
  private readonly path: string;
  private readonly writeTimeoutMs: number;
  private readonly pollMs: number;
  private readonly listenMs: number;
  private readonly logger: Logger;
  private handle: fsp.FileHandle | null = null;
  private canRead = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private listenUntil = 0;
  private reading = false;
  private readonly data = new Listeners<Uint8Array>();
  private readonly closed = new Listeners<PrinterError | null>();

  constructor(options: FileTransportOptions) {
    if (!options.path) throw new TypeError('FileTransport: path is required');
    this.path = options.path;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
    this.pollMs = options.pollMs ?? 5;
    this.listenMs = options.listenMs ?? 5000;
    this.logger = options.logger ?? silentLogger;
    this.target = `file:${this.path}`;
  }

  get readable(): boolean {
    return this.canRead;
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  async open(): Promise<void> {
    if (this.handle) return;
    let handle: fsp.FileHandle;
    let info: Awaited<ReturnType<fsp.FileHandle['stat']>>;
    try {
      // Never created: a missing /dev/usb/lp0 means the printer is unplugged, not "make a file".
      // A regular file (a capture for tests) is appended to; a device is opened read-write.
      const st = await fsp.stat(this.path);
      handle = st.isFile()
        ? await fsp.open(this.path, constants.O_WRONLY | constants.O_APPEND)
        : await fsp.open(this.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
      info = await handle.stat();
    } catch (e) {
      throw fromErrno(e, this.target, 'cannot open');
    }
    this.handle = handle;
    this.canRead = false;
    if (info.isCharacterDevice()) {
      // Probe: EAGAIN (nothing to read yet) or data means the kernel passes the printer's replies.
      const probe = Buffer.alloc(64);
      try {
        const { bytesRead } = await handle.read(probe, 0, probe.length, null);
        this.canRead = true;
        if (bytesRead > 0)
          this.logger.debug({ target: this.target, bytesRead }, 'discarded stale reply bytes');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        this.canRead = code === 'EAGAIN' || code === 'EWOULDBLOCK';
        if (!this.canRead)
          this.logger.info(
            { target: this.target, code },
            'device file is write-only: printer status unknown',
          );
      }
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new PrinterError('DISCONNECTED', `${this.target} is not open`);
    const deadline = Date.now() + this.writeTimeoutMs;
    let off = 0;
    while (off < bytes.length) {
      try {
        const { bytesWritten } = await handle.write(bytes, off, bytes.length - off, null);
        off += bytesWritten;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Non-blocking usblp: the previous USB transfer is still going. Wait a little and retry.
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw fromErrno(e, this.target, 'cannot write to');
        if (Date.now() > deadline)
          throw new PrinterError('TIMEOUT', `${this.target} took no data for ${this.writeTimeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    if (this.canRead) this.listen();
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.data.add(listener);
  }

  onClose(listener: (error: PrinterError | null) => void): () => void {
    return this.closed.add(listener);
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    if (handle) await handle.close().catch(() => {});
  }

  /** Polls for replies for `listenMs` after the latest write. */
  private listen(): void {
    this.listenUntil = Date.now() + this.listenMs;
    if (this.pollTimer === null && !this.reading) this.schedule(0);
  }

  private schedule(ms: number): void {
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.poll();
    }, ms);
  }

  private async poll(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.reading = true;
    const buf = Buffer.alloc(256);
    try {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead > 0) this.data.emit(buf.subarray(0, bytesRead));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') {
        this.reading = false;
        if (this.handle === handle) {
          this.handle = null;
          await handle.close().catch(() => {});
          this.closed.emit(fromErrno(e, this.target, 'lost'));
        }
        return;
      }
    }
    this.reading = false;
    if (this.handle === handle && Date.now() < this.listenUntil) this.schedule(this.pollMs);
  }
}
