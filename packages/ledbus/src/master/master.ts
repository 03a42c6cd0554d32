import { randomBytes } from 'node:crypto';
import type { Duplex, Transform } from 'node:stream';
import type { HealthComponent } from '@nextup/protocol';
import { getDialect } from '../dialects/index.ts';
import type { Dialect, ReplyMatch } from '../dialects/types.ts';
import { DeviceError } from '../errors.ts';
import { KeypadTracker } from '../keypad/tracker.ts';
import { type Logger, silentLogger } from '../logger.ts';
import {
  BROADCAST,
  type BusReply,
  type BusRequest,
  checkRequest,
  type DeviceStatus,
  type Effect,
  KEYS,
  type Key,
  type KeyEvent,
  MAX_ADDRESS,
} from '../model.ts';

/**
 * The serial line as the master needs it: a duplex byte stream, plus serialport's `drain` and `set`
 * when it has them. A `SerialPortStream` (any binding) is one; so is a plain Duplex in a unit test.
 */
export type BusPort = Duplex & {
  drain?(callback: (err: Error | null) => void): void;
  set?(options: { rts?: boolean; dtr?: boolean }, callback: (err: Error | null) => void): void;
};

export interface BusMasterOptions {
  /** The open serial line. The master never opens or closes it: the caller owns it. */
  port: BusPort;
  /** A dialect or its id in the registry. Default 'v1'. */
  dialect?: Dialect | string;
  /** How long to wait for a reply after the request has left the port, ms. Default 150. */
  timeoutMs?: number;
  /** Extra attempts after the first when a device does not answer (or answers garbage). Default 2. */
  retries?: number;
  /** LED boards on this bus (addresses), reported in `health()`. Default none. */
  boards?: readonly number[];
  /** Caller keypads on this bus (addresses), polled once `start()` is called. Default none. */
  keypads?: readonly number[];
  /** Pause between two rounds of keypad polls, ms. Default 200. */
  pollIntervalMs?: number;
  /** How often a silent device is pinged to notice it is back, ms. Default 5000. */
  silentPingIntervalMs?: number;
  /** Quiet time after a broadcast (nobody answers; boards need a moment to act), ms. Default 30. */
  broadcastGapMs?: number;
  /** Quiet time on the line after the last byte received before the master sends again, ms. Default 3. */
  quietGapMs?: number;
  /** Wait before repeating a request a device refused as BUSY, ms. Default 50. */
  busyDelayMs?: number;
  /**
   * 'auto' (default): the RS-485 adapter switches the driver direction by itself (most USB adapters
   * do). 'rts': raise RTS while sending; if the port cannot (a pty has no modem lines), the master
   * warns once and carries on as 'auto'.
   */
  direction?: 'auto' | 'rts';
  /** Re-send what a board last showed (and its brightness) when it answers again after silence. Default true. */
  restoreOnRecovery?: boolean;
  /** Default: no logging. */
  logger?: Logger;
  /** Clock for health timestamps and key events, ms since epoch. Default Date.now. */
  now?: () => number;
  /** Prefix of key event ids, unique per master run. Default 8 random base-36 characters. */
  runId?: string;
}

export interface TransactOptions {
  /** Override the master's retries for this request. */
  retries?: number;
  /** Override the master's timeout for this request, ms. */
  timeoutMs?: number;
  /** Background work (polls, health pings) yields to 'high' (default for calls from outside). */
  priority?: 'high' | 'low';
}

export interface ShowOptions extends TransactOptions {
  /** 0 = whole board (default); 1…rows = that line. */
  area?: number;
  /** Default static. */
  effect?: Effect;
}

export interface ScanResult {
  address: number;
  status: DeviceStatus;
}

export interface BusStats {
  transactions: number;
  retries: number;
  timeouts: number;
  naks: number;
  /** Units that answered nothing we asked (late replies, echoes). */
  stray: number;
  /** Bytes thrown away by the parser, by reason. */
  rejected: Record<string, number>;
}

interface Job {
  req: BusRequest;
  opts: TransactOptions;
  resolve: (r: BusReply | null) => void;
  reject: (e: Error) => void;
}

interface Tracked {
  component: 'ledBoard' | 'keypad';
  address: number;
  code: 'OK' | 'SILENT' | 'ERROR';
  detail: string | null;
  since: number;
  status: DeviceStatus | null;
}

type Waiter = { req: BusRequest; seq: number; settle: (m: ReplyMatch | 'timeout') => void };

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function checkCount(name: string, v: number, min: number) {
  if (!Number.isFinite(v) || v < min) throw new TypeError(`${name} must be a number ≥ ${min}, got ${v}`);
}

/**
 * One master on a half-duplex bus: one transaction on the line at a time, from a queue where calls
 * (show, clear…) go before background polls; per-request timeout and retries with the same sequence
 * number; health per configured device (silent after the retries, back when it answers); keypads
 * polled on an interval with each key delivered once. hardware/led-bus.md says what the devices do.
 */
export class BusMaster {
  readonly dialect: Dialect;
  private readonly port: BusPort;
  private readonly parser: Transform;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly o: Required<
    Pick<
      BusMasterOptions,
      | 'timeoutMs'
      | 'retries'
      | 'pollIntervalMs'
      | 'silentPingIntervalMs'
      | 'broadcastGapMs'
      | 'busyDelayMs'
      | 'quietGapMs'
      | 'restoreOnRecovery'
      | 'runId'
    >
  >;
  private rts: boolean;
  private readonly high: Job[] = [];
  private readonly low: Job[] = [];
  private running = false;
  private closed = false;
  private waiter: Waiter | null = null;
  private readonly seqs = new Map<number, number>();
  private readonly devices = new Map<number, Tracked>();
  private readonly trackers = new Map<number, KeypadTracker>();
  private readonly keyListeners = new Set<(e: KeyEvent) => void>();
  private readonly healthListeners = new Set<(h: HealthComponent[]) => void>();
  /** What each board should show, by area, to restore after a silence. */
  private readonly shown = new Map<number, Map<number, BusRequest>>();
  private readonly brightnessOf = new Map<number, number>();
  private keyCount = 0;
  /** When the last unit arrived (performance.now()), for the quiet gap before the next request. */
  private lastRxAt = Number.NEGATIVE_INFINITY;
  private timers: NodeJS.Timeout[] = [];
  private readonly s: BusStats = {
    transactions: 0,
    retries: 0,
    timeouts: 0,
    naks: 0,
    stray: 0,
    rejected: {},
  };
  private readonly onUnit = (unit: unknown) => this.handleUnit(unit);
  private readonly onClose = () => this.shutdown(new DeviceError('OFFLINE', 'the serial port closed'));
  private readonly onError = (e: Error) => this.logger.error({ err: e.message }, 'led bus: port error');

  constructor(options: BusMasterOptions) {
    if (!options.port) throw new TypeError('BusMaster needs an open port');
    this.port = options.port;
    this.dialect =
      typeof options.dialect === 'string'
        ? getDialect(options.dialect)
        : (options.dialect ?? getDialect('v1'));
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.o = {
      timeoutMs: options.timeoutMs ?? 150,
      retries: options.retries ?? 2,
      pollIntervalMs: options.pollIntervalMs ?? 200,
      silentPingIntervalMs: options.silentPingIntervalMs ?? 5000,
      broadcastGapMs: options.broadcastGapMs ?? 30,
      busyDelayMs: options.busyDelayMs ?? 50,
      quietGapMs: options.quietGapMs ?? 3,
      restoreOnRecovery: options.restoreOnRecovery ?? true,
      runId: options.runId ?? randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8),
    };
    checkCount('timeoutMs', this.o.timeoutMs, 1);
    checkCount('retries', this.o.retries, 0);
    checkCount('pollIntervalMs', this.o.pollIntervalMs, 0);
    checkCount('silentPingIntervalMs', this.o.silentPingIntervalMs, 1);
    if (options.direction !== undefined && options.direction !== 'auto' && options.direction !== 'rts')
      throw new TypeError(`direction must be 'auto' or 'rts', got ${String(options.direction)}`);
    this.rts = options.direction === 'rts';
    const t = this.now();
    for (const [list, component] of [
      [options.boards ?? [], 'ledBoard'],
      [options.keypads ?? [], 'keypad'],
    ] as const)
      for (const address of list) {
        if (!Number.isInteger(address) || address < 1 || address > MAX_ADDRESS)
          throw new TypeError(`${component} address must be 1–${MAX_ADDRESS}, got ${address}`);
        if (this.devices.has(address)) throw new TypeError(`address ${address} is configured twice`);
        this.devices.set(address, { component, address, code: 'OK', detail: null, since: t, status: null });
        if (component === 'keypad') this.trackers.set(address, new KeypadTracker(address));
      }
    this.parser = this.dialect.createParser();
    this.parser.on('data', this.onUnit);
    this.port.pipe(this.parser);
    this.port.on('close', this.onClose);
    this.port.on('error', this.onError);
  }

  // ── the calls ──────────────────────────────────────────────────────────────────────────────────

  /** Shows text on a board (or every board, address 0). Resolves on the board's ACK. */
  async show(address: number, text: string, opts: ShowOptions = {}): Promise<void> {
    const req: BusRequest = {
      kind: 'show',
      address,
      area: opts.area ?? 0,
      effect: opts.effect ?? { kind: 'static' },
      text,
    };
    await this.request(req, opts);
  }

  async clear(address: number, area = 0, opts: TransactOptions = {}): Promise<void> {
    await this.request({ kind: 'clear', address, area }, opts);
  }

  async brightness(address: number, level: number, opts: TransactOptions = {}): Promise<void> {
    await this.request({ kind: 'brightness', address, level }, opts);
  }

  /** What the device at `address` is (type, firmware, size). */
  async ping(address: number, opts: TransactOptions = {}): Promise<DeviceStatus> {
    if (address === BROADCAST) throw new TypeError('cannot ping the broadcast address');
    const r = await this.request({ kind: 'ping', address }, opts);
    if (r?.kind !== 'status')
      throw new DeviceError('NAK', 'status expected', { address, nak: r?.kind ?? 'none' });
    return r.status;
  }

  /** Polls one keypad now; delivers (to `onKey` listeners) and returns the events not seen before. */
  async pollKeypad(address: number, opts: TransactOptions = {}): Promise<KeyEvent[]> {
    let tracker = this.trackers.get(address);
    if (!tracker) {
      tracker = new KeypadTracker(address);
      this.trackers.set(address, tracker);
    }
    // The poll request is built when the job runs, so it carries the latest acknowledgement.
    const r = await this.request(tracker.pollRequest(), opts, () => tracker.pollRequest());
    if (r?.kind !== 'keys') throw new DeviceError('NAK', 'key events expected', { address });
    const out: KeyEvent[] = [];
    for (const e of tracker.accept(r)) {
      if (typeof e.key !== 'string') {
        this.logger.warn({ address, code: e.key.unknown }, 'led bus: unknown key code ignored');
        continue;
      }
      this.keyCount += 1;
      out.push({ address, key: e.key, id: `kp-${this.o.runId}-${address}-${this.keyCount}`, at: this.now() });
    }
    for (const ev of out)
      for (const l of this.keyListeners)
        try {
          l(ev);
        } catch (err) {
          this.logger.error({ err: (err as Error).message, address }, 'led bus: key listener threw');
        }
    return out;
  }

  /**
   * Pings every address in [from, to] once (no retries) and lists those that answer. At the default
   * 60 ms per silent address a full 1–247 scan takes about 15 s.
   */
  async scan(
    opts: { from?: number; to?: number; timeoutMs?: number; onProgress?: (address: number) => void } = {},
  ): Promise<ScanResult[]> {
    const from = opts.from ?? 1;
    const to = opts.to ?? MAX_ADDRESS;
    const found: ScanResult[] = [];
    for (let address = from; address <= to; address++) {
      opts.onProgress?.(address);
      try {
        found.push({
          address,
          status: await this.ping(address, { retries: 0, timeoutMs: opts.timeoutMs ?? 60 }),
        });
      } catch (e) {
        if (!(e instanceof DeviceError) || e.code === 'OFFLINE') throw e;
      }
    }
    return found;
  }

  /**
   * Any request, through the queue. Resolves with the device's reply (null for a broadcast); rejects
   * with a DeviceError: TIMEOUT after the retries, NAK for a refusal, UNSUPPORTED, OFFLINE.
   */
  request(req: BusRequest, opts: TransactOptions = {}, rebuild?: () => BusRequest): Promise<BusReply | null> {
    checkRequest(req);
    if (this.closed) return Promise.reject(new DeviceError('OFFLINE', 'the bus master is closed'));
    if (!this.dialect.supports.has(req.kind))
      return Promise.reject(
        new DeviceError('UNSUPPORTED', `dialect ${this.dialect.id} cannot ${req.kind}`, {
          address: req.address,
        }),
      );
    return new Promise((resolve, reject) => {
      const job: Job & { rebuild?: () => BusRequest } = { req, opts, resolve, reject };
      if (rebuild) job.rebuild = rebuild;
      (opts.priority === 'low' ? this.low : this.high).push(job);
      void this.pump();
    });
  }

  // ── background: keypad polls and silent pings ──────────────────────────────────────────────────

  /**
   * Starts polling the keypads and watching silent devices. Resolves after a first ping of every
   * configured device, so `health()` then says what is really there.
   */
  async start(): Promise<void> {
    await Promise.all([...this.devices.keys()].map((a) => this.ping(a, { priority: 'low' }).catch(() => {})));
    if (this.closed) return;
    if (this.trackers.size > 0) this.schedulePoll(0);
    const watch = () => {
      for (const d of this.devices.values())
        if (d.code === 'SILENT') void this.ping(d.address, { priority: 'low', retries: 0 }).catch(() => {});
      if (!this.closed) this.timers.push(setTimeout(watch, this.o.silentPingIntervalMs));
    };
    this.timers.push(setTimeout(watch, this.o.silentPingIntervalMs));
  }

  private schedulePoll(ms: number) {
    const t = setTimeout(async () => {
      this.timers = this.timers.filter((x) => x !== t);
      const live = [...this.trackers.keys()].filter((a) => this.devices.get(a)?.code !== 'SILENT');
      await Promise.all(live.map((a) => this.pollKeypad(a, { priority: 'low' }).catch(() => {})));
      if (!this.closed) this.schedulePoll(this.o.pollIntervalMs);
    }, ms);
    this.timers.push(t);
  }

  /** Called once per key, in order, per keypad. Returns an unsubscribe function. */
  onKey(listener: (e: KeyEvent) => void): () => void {
    this.keyListeners.add(listener);
    return () => this.keyListeners.delete(listener);
  }

  /** Called with the full health list whenever a device changes code. */
  onHealth(listener: (h: HealthComponent[]) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** One line per configured board and keypad, in `@nextup/protocol`'s shape. */
  health(): HealthComponent[] {
    return [...this.devices.values()]
      .sort((a, b) => a.address - b.address)
      .map((d) => ({
        component: d.component,
        address: d.address,
        level: d.code === 'OK' ? 'ok' : d.code === 'ERROR' ? 'warning' : 'error',
        code: d.code,
        detail: d.detail,
        since: d.since,
      }));
  }

  /** The last status each configured device gave (null until it answered a ping). */
  deviceStatus(address: number): DeviceStatus | null {
    return this.devices.get(address)?.status ?? null;
  }

  stats(): BusStats {
    return { ...this.s, rejected: { ...this.s.rejected } };
  }

  /** Stops polling and fails queued requests with OFFLINE. Leaves the port open (the caller owns it). */
  async close(): Promise<void> {
    this.shutdown(new DeviceError('OFFLINE', 'the bus master is closed'));
    while (this.running) await delay(5);
  }

  // ── the line ────────────────────────────────────────────────────────────────────────────────────

  private shutdown(err: DeviceError) {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    for (const j of [...this.high.splice(0), ...this.low.splice(0)]) j.reject(err);
    this.waiter?.settle('timeout');
    this.port.unpipe(this.parser);
    this.parser.off('data', this.onUnit);
    this.port.off('close', this.onClose);
    this.port.off('error', this.onError);
  }

  private async pump() {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const job = this.high.shift() ?? this.low.shift();
        if (!job) break;
        if (this.closed) {
          job.reject(new DeviceError('OFFLINE', 'the bus master is closed'));
          continue;
        }
        const req = (job as Job & { rebuild?: () => BusRequest }).rebuild?.() ?? job.req;
        try {
          job.resolve(await this.transact(req, job.opts));
        } catch (e) {
          job.reject(e as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private nextSeq(address: number): number {
    // Per address, so each device sees consecutive numbers and a repeat means a retry (led-bus.md).
    const s = ((this.seqs.get(address) ?? 0) % 255) + 1;
    this.seqs.set(address, s);
    return s;
  }

  private async transact(req: BusRequest, opts: TransactOptions): Promise<BusReply | null> {
    const dev = this.devices.get(req.address);
    // A device already known silent gets one try, so a dead board does not hold up the whole line.
    const retries = opts.retries ?? (dev?.code === 'SILENT' ? 0 : this.o.retries);
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    const seq = this.nextSeq(req.address);
    const bytes = this.dialect.encodeRequest(req, seq);
    this.s.transactions += 1;
    let problem = 'no answer';
    let gotMalformed = false;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.closed) throw new DeviceError('OFFLINE', 'the bus master is closed', { address: req.address });
      if (attempt > 0) this.s.retries += 1;
      if (req.address === BROADCAST) {
        await this.send(bytes);
        await delay(this.o.broadcastGapMs);
        this.remember(req);
        return null;
      }
      const answer = await this.exchange(req, seq, bytes, timeoutMs);
      if (answer === 'timeout') {
        this.s.timeouts += 1;
        problem = `no answer after ${attempt + 1} tries`;
        continue;
      }
      if (answer.match === 'malformed') {
        gotMalformed = true;
        problem = answer.detail;
        continue;
      }
      if (answer.match === 'none') continue;
      const reply = answer.reply;
      if (reply.kind === 'nak') {
        this.s.naks += 1;
        // BAD_CRC: the request was damaged on the way; BUSY: the board asks us to come back.
        if (reply.reason === 'BAD_CRC' || reply.reason === 'BUSY') {
          problem = `NAK ${reply.reason}`;
          if (reply.reason === 'BUSY') await delay(this.o.busyDelayMs);
          continue;
        }
        this.mark(req.address, 'ERROR', `NAK ${reply.reason}`);
        throw new DeviceError('NAK', `address ${req.address} refused ${req.kind}`, {
          address: req.address,
          nak: reply.reason,
        });
      }
      const wasSilent = dev?.code === 'SILENT';
      if (dev && reply.kind === 'status') dev.status = reply.status;
      this.mark(req.address, 'OK', null);
      this.remember(req);
      if (wasSilent && this.o.restoreOnRecovery) this.restore(req.address);
      return reply;
    }
    if (gotMalformed || problem.startsWith('NAK')) {
      this.mark(req.address, 'ERROR', problem.slice(0, 64));
      throw new DeviceError('NAK', `address ${req.address}: ${problem}`, {
        address: req.address,
        nak: problem,
      });
    }
    this.mark(req.address, 'SILENT', `no answer after ${retries + 1} tries`);
    throw new DeviceError('TIMEOUT', `address ${req.address}: ${problem}`, { address: req.address });
  }

  /** Sends one request and waits for what answers it (or the timeout, counted from the last byte out). */
  private exchange(req: BusRequest, seq: number, bytes: Uint8Array, timeoutMs: number) {
    return new Promise<ReplyMatch | 'timeout'>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        req,
        seq,
        settle: (m) => {
          if (this.waiter !== waiter) return;
          this.waiter = null;
          clearTimeout(timer);
          resolve(m);
        },
      };
      this.waiter = waiter;
      this.send(bytes).then(
        () => {
          if (this.waiter === waiter) timer = setTimeout(() => waiter.settle('timeout'), timeoutMs);
        },
        () => waiter.settle('timeout'),
      );
    });
  }

  private handleUnit(unit: unknown) {
    this.lastRxAt = performance.now();
    const rej = this.dialect.rejection(unit);
    if (rej) {
      this.s.rejected[rej.reason] = (this.s.rejected[rej.reason] ?? 0) + rej.bytes;
      return;
    }
    const w = this.waiter;
    const m = w ? this.dialect.matchReply(unit, w.req, w.seq) : ({ match: 'none' } as const);
    if (m.match === 'none' || !w) {
      this.s.stray += 1;
      return;
    }
    w.settle(m);
  }

  private async send(bytes: Uint8Array) {
    // Give the device that just answered time to release the line (RS-485 driver turn-around).
    const quiet = this.o.quietGapMs - (performance.now() - this.lastRxAt);
    if (quiet > 0) await delay(quiet);
    if (this.rts) await this.setLines({ rts: true });
    await new Promise<void>((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (err) => (err ? reject(err) : undefined));
      // drain() waits until the bytes have left the UART (tcdrain), so the timeout starts then.
      if (this.port.drain) this.port.drain((err) => (err ? reject(err) : resolve()));
      else this.port.write(Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
    });
    if (this.rts) await this.setLines({ rts: false });
  }

  private async setLines(lines: { rts: boolean }) {
    const set = this.port.set;
    const err = await new Promise<Error | null>((resolve) =>
      set ? set.call(this.port, lines, resolve) : resolve(new Error('port has no set()')),
    );
    if (err) {
      // A pty, or an adapter without modem lines: it switches direction itself, or not at all.
      this.rts = false;
      this.logger.warn(
        { err: err.message },
        'led bus: cannot drive RTS; carrying on without direction control',
      );
    }
  }

  // ── health ──────────────────────────────────────────────────────────────────────────────────────

  private mark(address: number, code: Tracked['code'], detail: string | null) {
    const d = this.devices.get(address);
    if (!d || (d.code === code && d.detail === detail)) return;
    const from = d.code;
    d.code = code;
    d.detail = detail;
    d.since = this.now();
    const log = { address, component: d.component, from, to: code, detail };
    if (code === 'OK') this.logger.info(log, 'led bus: device answers');
    else this.logger.warn(log, 'led bus: device fault');
    const h = this.health();
    for (const l of this.healthListeners) l(h);
  }

  private remember(req: BusRequest) {
    if (req.kind === 'brightness') this.brightnessOf.set(req.address, req.level);
    if (req.kind !== 'show' && req.kind !== 'clear') return;
    const targets =
      req.address === BROADCAST
        ? [...this.devices.values()].filter((d) => d.component === 'ledBoard').map((d) => d.address)
        : [req.address];
    for (const a of targets) {
      const areas = this.shown.get(a) ?? new Map<number, BusRequest>();
      this.shown.set(a, areas);
      if (req.area === 0) areas.clear();
      if (req.kind === 'show') areas.set(req.area, { ...req, address: a });
      else areas.delete(req.area);
    }
  }

  private restore(address: number) {
    const level = this.brightnessOf.get(address);
    const again: BusRequest[] = [
      ...(level === undefined ? [] : [{ kind: 'brightness', address, level } as const]),
      ...[...(this.shown.get(address)?.values() ?? [])].sort((a, b) =>
        a.kind === 'show' && b.kind === 'show' ? a.area - b.area : 0,
      ),
    ];
    if (again.length > 0) this.logger.info({ address, requests: again.length }, 'led bus: restoring board');
    for (const r of again) void this.request(r, { priority: 'low' }).catch(() => {});
  }
}

/** The keys a keypad has, for validation at the edges. */
export function isKey(x: unknown): x is Key {
  return typeof x === 'string' && (KEYS as readonly string[]).includes(x);
}
