import { randomBytes } from 'node:crypto';
import type { Duplex, Transform } from 'node:stream';
import type { HealthComponent } from '@nextup/protocol';
import { getDialect } from '../dialects/index.ts';
import type { Dialect, ReplyMatch } from '../dialects/types.ts';
import { LedBusError } from '../errors.ts';
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
  /**
   * How often each configured board that answers is asked its STATUS, to notice one that restarted
   * (POWER_UP, hardware/led-bus.md §5.2) or went silent while nothing was sent to it, ms. 0 = never.
   * Default 10000.
   */
  checkIntervalMs?: number;
  /** Quiet time after a broadcast (nobody answers; boards need a moment to act), ms. Default 30. */
  broadcastGapMs?: number;
  /**
   * Quiet time on the line after the last byte received (a reply, or anything else) before the
   * master sends again, ms: the replying device's RS-485 driver must have let go of the line.
   * Default 3 (hardware/led-bus.md §3).
   */
  quietGapMs?: number;
  /** Wait before repeating a request a device refused as BUSY, ms. Default 50. */
  busyDelayMs?: number;
  /**
   * 'auto' (default): the RS-485 adapter switches the driver direction by itself (most USB adapters
   * do). 'rts': raise RTS while sending; if the port cannot (a pty has no modem lines), the master
   * warns once and carries on as 'auto'.
   */
  direction?: 'auto' | 'rts';
  /**
   * Re-send what a board last acknowledged when it answers again after a silence or reports that it
   * restarted (POWER_UP). Brightness is restored either way. Default true; the display agent turns it
   * off because it knows what a board should show *now*, and listens to `onRestore` instead.
   */
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

/** What a scan found at one address (hardware/led-bus.md §3.1). */
export interface ScanResult {
  address: number;
  /** What the device said it is; null when it answered but never readably (see `problem`). */
  status: DeviceStatus | null;
  /** The try that got the answer (1 = the first). */
  tries: number;
  /** The answer came after the reply window of the try it answered (still within the scan). */
  late: boolean;
  /** Why the answer was not a plain STATUS: a NAK, a malformed or damaged reply. Null when it was. */
  problem: string | null;
}

export interface ScanOptions {
  /** First address. Default 1. */
  from?: number;
  /** Last address. Default 247. */
  to?: number;
  /** Reply window of each try, ms. Default 150 (the master's timeout). */
  timeoutMs?: number;
  /** Tries per address when something was heard without a usable reply. Default 3. */
  tries?: number;
  onProgress?: (address: number) => void;
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
  /** Builds the request when the job runs (a keypad poll carries the latest acknowledgement). */
  rebuild?: () => BusRequest;
  /** Instead of one request: holds the line for this (one scan step). */
  run?: () => Promise<unknown>;
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

/** Why the master re-sends a board its brightness (and, with restoreOnRecovery, its text). */
export type RestoreReason = 'powerUp' | 'back';

/**
 * One master on a half-duplex bus: one transaction on the line at a time, from a queue where calls
 * (show, clear…) go before background polls; per-request timeout and retries with the same sequence
 * number; health per configured device (silent after the retries, back when it answers); keypads
 * polled on an interval with each key delivered once; boards that restarted given back their
 * brightness and text. hardware/led-bus.md says what the devices do.
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
      | 'checkIntervalMs'
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
  private readonly restoreListeners = new Set<(address: number, reason: RestoreReason) => void>();
  /** What each board last acknowledged, by area, to restore after a silence or a restart. */
  private readonly shown = new Map<number, Map<number, BusRequest>>();
  /** The brightness each board should have (what was last asked, answered or not). */
  private readonly brightnessOf = new Map<number, number>();
  private keyCount = 0;
  /** When the last byte arrived from the line (performance.now()), for the quiet time before sending. */
  private lastRxAt = Number.NEGATIVE_INFINITY;
  /**
   * Bytes, readable units and rejected units received so far: a scan tells an address where nothing
   * answered from one where something did (see `heardSomething`).
   */
  private rxBytes = 0;
  private rxUnits = 0;
  private rxRejects = 0;
  /** Units no transaction wanted (late replies): a scan claims the ones that answer its pings. */
  private strayHook: ((unit: unknown) => void) | null = null;
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
  private readonly onBytes = (chunk: Buffer) => {
    this.lastRxAt = performance.now();
    this.rxBytes += chunk.length;
  };
  private readonly onClose = () => this.shutdown(new LedBusError('OFFLINE', 'the serial port closed'));
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
      checkIntervalMs: options.checkIntervalMs ?? 10_000,
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
    checkCount('checkIntervalMs', this.o.checkIntervalMs, 0);
    checkCount('quietGapMs', this.o.quietGapMs, 0);
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
    // Every byte counts for the quiet time, not only whole replies: noise and a half frame too.
    this.port.on('data', this.onBytes);
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

  /**
   * Sets a board's brightness (or every board's, address 0), 0–100 %. The master keeps the level
   * even if the board does not answer, and gives it back to a board that restarted or came back.
   */
  async brightness(address: number, level: number, opts: TransactOptions = {}): Promise<void> {
    const req: BusRequest = { kind: 'brightness', address, level };
    checkRequest(req);
    for (const a of address === BROADCAST ? this.boardAddresses() : [address])
      this.brightnessOf.set(a, level);
    await this.request(req, opts);
  }

  /**
   * What the device at `address` is (type, firmware, size, whether it restarted). For a configured
   * device the STATUS also clears its POWER_UP flag (read and clear), and a board that reports a
   * restart is given back its brightness and text; for any other address the STATUS only reads.
   */
  async ping(
    address: number,
    opts: TransactOptions & { clearPowerUp?: boolean } = {},
  ): Promise<DeviceStatus> {
    if (address === BROADCAST) throw new TypeError('cannot ping the broadcast address');
    const clearPowerUp = opts.clearPowerUp ?? this.devices.has(address);
    const r = await this.request({ kind: 'ping', address, ...(clearPowerUp ? { clearPowerUp } : {}) }, opts);
    if (r?.kind !== 'status')
      throw new LedBusError('NAK', 'status expected', { address, nak: r?.kind ?? 'none' });
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
    let sent = tracker.pollRequest();
    const r = await this.request(sent, opts, () => {
      sent = tracker.pollRequest();
      return sent;
    });
    if (r?.kind !== 'keys') throw new LedBusError('NAK', 'key events expected', { address });
    const out: KeyEvent[] = [];
    for (const e of tracker.accept(r, sent)) {
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
   * Asks every address in [from, to] for its STATUS (read only) and lists what answers
   * (hardware/led-bus.md §3.1). Each address gets one try of `timeoutMs`; when anything at all was
   * heard in that window without a usable reply (a damaged frame, noise, a reply for someone else)
   * it is asked again, up to `tries` times, with the same SEQ. A reply with the address's ADDR and
   * SEQ counts whenever it arrives before the scan ends, so a board that answers late is found (and
   * said to be late); one that answers with a TYPE we do not know is found with `{ unknown }`; one
   * that only ever answers unreadably is listed with the problem, never dropped. At the defaults a
   * silent address costs 150 ms: a full 1–247 scan of an empty line takes about 40 s.
   */
  async scan(opts: ScanOptions = {}): Promise<ScanResult[]> {
    const from = opts.from ?? 1;
    const to = opts.to ?? MAX_ADDRESS;
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs;
    const tries = opts.tries ?? 3;
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > MAX_ADDRESS || from > to)
      throw new TypeError(`scan range must be within 1–${MAX_ADDRESS}, got ${from}–${to}`);
    checkCount('timeoutMs', timeoutMs, 1);
    if (!Number.isInteger(tries) || tries < 1)
      throw new TypeError(`tries must be a whole number ≥ 1, got ${tries}`);
    const found = new Map<number, ScanResult>();
    /** The ping each address was sent, so a late reply can be recognised by its ADDR and SEQ. */
    const sent = new Map<number, { req: BusRequest; seq: number }>();
    this.strayHook = (unit) => {
      if (!this.dialect.sequenced) return; // replies carry no address: a late one cannot be placed
      for (const [address, p] of sent) {
        if (found.get(address)?.status) continue;
        const m = this.dialect.matchReply(unit, p.req, p.seq);
        if (m.match === 'reply' && m.reply.kind === 'status')
          found.set(address, {
            address,
            status: m.reply.status,
            tries: found.get(address)?.tries ?? 1,
            late: true,
            problem: null,
          });
      }
    };
    try {
      for (let address = from; address <= to; address++) {
        opts.onProgress?.(address);
        await this.exclusive(async () => {
          const req: BusRequest = { kind: 'ping', address };
          const seq = this.nextSeq(address);
          sent.set(address, { req, seq });
          const bytes = this.dialect.encodeRequest(req, seq);
          let problem: string | null = null;
          for (let attempt = 1; attempt <= tries; attempt++) {
            if (this.closed) throw new LedBusError('OFFLINE', 'the bus master is closed');
            this.s.transactions += attempt === 1 ? 1 : 0;
            if (attempt > 1) this.s.retries += 1;
            const before = this.hearing();
            const answer = await this.exchange(req, seq, bytes, timeoutMs);
            if (found.get(address)?.status) return; // a late reply to an earlier try came in meanwhile
            if (answer !== 'timeout' && answer.match === 'reply') {
              const r = answer.reply;
              if (r.kind === 'status')
                found.set(address, { address, status: r.status, tries: attempt, late: false, problem: null });
              else
                found.set(address, {
                  address,
                  status: null,
                  tries: attempt,
                  late: false,
                  problem: r.kind === 'nak' ? `NAK ${r.reason}` : `unexpected ${r.kind} reply`,
                });
              return;
            }
            if (answer !== 'timeout' && answer.match === 'malformed') problem = answer.detail;
            else if (!this.heardSomething(before)) {
              // Dead quiet for a whole window: nobody is here (or it answers later than the window,
              // which the stray hook still catches while the scan goes on).
              this.s.timeouts += 1;
              break;
            } else problem ??= 'unreadable reply';
          }
          if (problem !== null && !found.get(address)?.status)
            found.set(address, { address, status: null, tries, late: false, problem });
        });
      }
      // A very late reply to the last address: give it one more window before the scan ends.
      await delay(timeoutMs);
    } finally {
      this.strayHook = null;
    }
    return [...found.values()].sort((a, b) => a.address - b.address);
  }

  /**
   * Any request, through the queue. Resolves with the device's reply (null for a broadcast); rejects
   * with a LedBusError: TIMEOUT after the retries, NAK for a refusal, UNSUPPORTED, OFFLINE.
   */
  request(req: BusRequest, opts: TransactOptions = {}, rebuild?: () => BusRequest): Promise<BusReply | null> {
    checkRequest(req);
    if (this.closed) return Promise.reject(new LedBusError('OFFLINE', 'the bus master is closed'));
    if (!this.dialect.supports.has(req.kind))
      return Promise.reject(
        new LedBusError('UNSUPPORTED', `dialect ${this.dialect.id} cannot ${req.kind}`, {
          address: req.address,
        }),
      );
    return new Promise((resolve, reject) => {
      const job: Job = { req, opts, resolve, reject };
      if (rebuild) job.rebuild = rebuild;
      (opts.priority === 'low' ? this.low : this.high).push(job);
      void this.pump();
    });
  }

  private hearing() {
    return { bytes: this.rxBytes, units: this.rxUnits, rejects: this.rxRejects };
  }

  /**
   * Whether something that could be a device's damaged answer arrived since `before`: a rejected
   * unit (bad CRC, bad length, noise), or bytes that made no unit yet (a frame that lost its end).
   * Readable frames alone do not count: they are the echo of our own request on adapters that hear
   * themselves, or another device's late reply, which the scan places by its ADDR and SEQ.
   */
  private heardSomething(before: ReturnType<BusMaster['hearing']>): boolean {
    const now = this.hearing();
    if (now.rejects > before.rejects) return true;
    return now.bytes > before.bytes && now.units === before.units;
  }

  /** Runs `fn` with the line to itself, in the queue like a request. */
  private exclusive<T>(fn: () => Promise<T>, priority: 'high' | 'low' = 'high'): Promise<T> {
    if (this.closed) return Promise.reject(new LedBusError('OFFLINE', 'the bus master is closed'));
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        req: { kind: 'ping', address: 1 },
        opts: {},
        resolve: resolve as (r: unknown) => void,
        reject,
        run: fn,
      };
      (priority === 'low' ? this.low : this.high).push(job);
      void this.pump();
    });
  }

  // ── background: keypad polls, silent pings, status checks ──────────────────────────────────────

  /**
   * Starts polling the keypads, watching silent devices and checking boards' STATUS. Resolves after
   * a first STATUS of every configured device, so `health()` then says what is really there (and a
   * board that restarted has been given back its brightness).
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
    if (this.o.checkIntervalMs > 0 && this.dialect.supports.has('ping')) {
      const check = () => {
        for (const d of this.devices.values())
          if (d.component === 'ledBoard' && d.code !== 'SILENT')
            void this.ping(d.address, { priority: 'low' }).catch(() => {});
        if (!this.closed) this.timers.push(setTimeout(check, this.o.checkIntervalMs));
      };
      this.timers.push(setTimeout(check, this.o.checkIntervalMs));
    }
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

  /**
   * Called when a configured board must be given its content again: it reported a restart
   * (`powerUp`) or answered after a silence (`back`). The master has already queued its brightness
   * (and, with restoreOnRecovery, what it last acknowledged). Returns an unsubscribe function.
   */
  onRestore(listener: (address: number, reason: RestoreReason) => void): () => void {
    this.restoreListeners.add(listener);
    return () => this.restoreListeners.delete(listener);
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
    this.shutdown(new LedBusError('OFFLINE', 'the bus master is closed'));
    while (this.running) await delay(5);
  }

  // ── the line ────────────────────────────────────────────────────────────────────────────────────

  private shutdown(err: LedBusError) {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    for (const j of [...this.high.splice(0), ...this.low.splice(0)]) j.reject(err);
    this.waiter?.settle('timeout');
    this.port.unpipe(this.parser);
    this.parser.off('data', this.onUnit);
    this.port.off('data', this.onBytes);
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
          job.reject(new LedBusError('OFFLINE', 'the bus master is closed'));
          continue;
        }
        try {
          if (job.run) {
            (job.resolve as (v: unknown) => void)(await job.run());
            continue;
          }
          const req = job.rebuild?.() ?? job.req;
          await this.firstContact(req);
          job.resolve(await this.transact(req, job.opts));
        } catch (e) {
          job.reject(e as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * SEQ after a restart (hardware/led-bus.md §4.2): this master counts from 1 again, and a device may
   * still remember a request with that SEQ from before. The first request to each address is
   * therefore a read-only STATUS, which is safe to answer from memory; after it, no request of this
   * master can be mistaken for a repeat of an older one.
   */
  private async firstContact(req: BusRequest) {
    if (!this.dialect.sequenced || req.address === BROADCAST || req.kind === 'ping') return;
    if (this.seqs.has(req.address) || !this.dialect.supports.has('ping')) return;
    await this.transact({ kind: 'ping', address: req.address }, { retries: 0 }).catch(() => {});
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
      if (this.closed) throw new LedBusError('OFFLINE', 'the bus master is closed', { address: req.address });
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
        // BAD_CRC: the request was damaged on the way: repeat at once. BUSY: the device did nothing
        // and remembers nothing (§4.1), so the same bytes again are carried out once it is ready.
        if (reply.reason === 'BAD_CRC' || reply.reason === 'BUSY') {
          problem = `NAK ${reply.reason}`;
          if (reply.reason === 'BUSY') await delay(this.o.busyDelayMs);
          continue;
        }
        this.mark(req.address, 'ERROR', `NAK ${reply.reason}`);
        throw new LedBusError('NAK', `address ${req.address} refused ${req.kind}`, {
          address: req.address,
          nak: reply.reason,
        });
      }
      const wasSilent = dev?.code === 'SILENT';
      const restarted =
        reply.kind === 'status' && reply.status.poweredUp && req.kind === 'ping' && req.clearPowerUp === true;
      if (dev && reply.kind === 'status') dev.status = reply.status;
      this.mark(req.address, 'OK', null);
      this.remember(req);
      if (dev?.component === 'ledBoard' && (wasSilent || restarted))
        this.restore(req.address, restarted ? 'powerUp' : 'back');
      return reply;
    }
    if (gotMalformed || problem.startsWith('NAK')) {
      this.mark(req.address, 'ERROR', problem.slice(0, 64));
      throw new LedBusError('NAK', `address ${req.address}: ${problem}`, {
        address: req.address,
        nak: problem,
      });
    }
    this.mark(req.address, 'SILENT', `no answer after ${retries + 1} tries`);
    throw new LedBusError('TIMEOUT', `address ${req.address}: ${problem}`, { address: req.address });
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
    const rej = this.dialect.rejection(unit);
    if (rej) this.rxRejects += 1;
    else this.rxUnits += 1;
    if (rej) {
      this.s.rejected[rej.reason] = (this.s.rejected[rej.reason] ?? 0) + rej.bytes;
      return;
    }
    const w = this.waiter;
    const m = w ? this.dialect.matchReply(unit, w.req, w.seq) : ({ match: 'none' } as const);
    if (m.match === 'none' || !w) {
      this.s.stray += 1;
      this.strayHook?.(unit);
      return;
    }
    w.settle(m);
  }

  /**
   * Waits until the line has been quiet for quietGapMs since the last byte received. Timers are
   * coarse (Node rounds to the millisecond and may fire early against performance.now()), so the
   * clock is checked again after each wait rather than trusted.
   */
  private async quiet() {
    for (;;) {
      const left = this.o.quietGapMs - (performance.now() - this.lastRxAt);
      if (left <= 0) return;
      await delay(Math.ceil(left));
    }
  }

  private async send(bytes: Uint8Array) {
    // Give the device that just answered time to release the line (RS-485 driver turn-around).
    await this.quiet();
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

  private boardAddresses(): number[] {
    return [...this.devices.values()].filter((d) => d.component === 'ledBoard').map((d) => d.address);
  }

  private remember(req: BusRequest) {
    if (req.kind !== 'show' && req.kind !== 'clear') return;
    const targets = req.address === BROADCAST ? this.boardAddresses() : [req.address];
    for (const a of targets) {
      const areas = this.shown.get(a) ?? new Map<number, BusRequest>();
      this.shown.set(a, areas);
      if (req.area === 0) areas.clear();
      else areas.delete(0);
      if (req.kind === 'show') areas.set(req.area, { ...req, address: a });
      else areas.delete(req.area);
    }
  }

  /**
   * A board restarted or came back: brightness first (a board comes up at its own default), then,
   * with restoreOnRecovery, what it last acknowledged, line by line; then the listeners.
   */
  private restore(address: number, reason: RestoreReason) {
    const level = this.brightnessOf.get(address);
    const again: BusRequest[] = [
      ...(level === undefined ? [] : [{ kind: 'brightness', address, level } as const]),
      ...(this.o.restoreOnRecovery
        ? [...(this.shown.get(address)?.values() ?? [])].sort((a, b) =>
            a.kind === 'show' && b.kind === 'show' ? a.area - b.area : 0,
          )
        : []),
    ];
    this.logger.info({ address, reason, requests: again.length }, 'led bus: restoring board');
    for (const r of again) void this.request(r, { priority: 'low' }).catch(() => {});
    for (const l of this.restoreListeners)
      try {
        l(address, reason);
      } catch (err) {
        this.logger.error({ err: (err as Error).message, address }, 'led bus: restore listener threw');
      }
  }
}

/** The keys a keypad has, for validation at the edges. */
export function isKey(x: unknown): x is Key {
  return typeof x === 'string' && (KEYS as readonly string[]).includes(x);
}
