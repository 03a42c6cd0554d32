import type { Duplex, Transform } from 'node:stream';
import {
  BROADCAST,
  type BusReply,
  type BusRequest,
  type DeviceStatus,
  type Dialect,
  type Effect,
  getDialect,
  type Key,
  type Logger,
  MAX_ADDRESS,
  silentLogger,
} from '@nextup/ledbus';

/** One emulated LED board. */
export interface BoardSpec {
  address: number;
  /** Default 'counterBoard'. */
  type?: 'mainBoard' | 'counterBoard';
  /** Half-width columns per line. Default 16 for a counter board, 64 for the main board. */
  columns?: number;
  /** Lines. Default 1 for a counter board, 4 for the main board. */
  rows?: number;
  /** Default '1.0'. */
  firmware?: string;
}

export interface VirtualBusOptions {
  /** The device end of the line (e.g. end b of a pty pair opened with openBusPort). */
  port: Duplex;
  /** A dialect or its id. Default 'v1'. */
  dialect?: Dialect | string;
  boards?: readonly BoardSpec[];
  /** Keypad addresses. */
  keypads?: readonly number[];
  /**
   * Pace replies as a real line at this baud rate would: a reply leaves after the request's and the
   * reply's wire time (bytes × 10 ÷ baud). A pty delivers bytes at once whatever its baud rate, so
   * without this the bench measures software only. Default: no pacing.
   */
  paceBaud?: number;
  /** A board's own reaction time before it answers, ms. Default 0. */
  turnaroundMs?: number;
  /** A keypad discards a key press nobody collected within this time, ms. Default 10000. */
  keyTtlMs?: number;
  /** Most key presses a keypad queues before it ignores more (and beeps). Default 8. */
  keyQueueSize?: number;
  /** Default Date.now. */
  now?: () => number;
  /** Random source for keypad session bytes. Default Math.random. */
  random?: () => number;
  logger?: Logger;
}

export interface AreaView {
  area: number;
  text: string;
  effect: Effect;
}

export interface BoardView {
  address: number;
  type: 'mainBoard' | 'counterBoard';
  columns: number;
  rows: number;
  firmware: string;
  brightness: number;
  silent: boolean;
  /** What the board shows, by area (area 0 = the whole board). Empty = dark. */
  areas: AreaView[];
  /** Show requests carried out (a retried request counts once). */
  shows: number;
  /** Replies still to be corrupted. */
  corruptNext: number;
  /** Requests still to be refused with NAK BUSY. */
  busyNext: number;
  /** POWER_UP (STATUS FLAGS bit 0): set at power-up, cleared by a STATUS that asks to clear it. */
  poweredUp: boolean;
  lastChangeAt: number | null;
}

export interface KeypadView {
  address: number;
  session: number;
  silent: boolean;
  queued: { n: number; key: Key }[];
  pressed: number;
  /** Presses ignored because the queue was full, or discarded after the TTL. */
  dropped: number;
  corruptNext: number;
  poweredUp: boolean;
}

export interface VirtualBusStats {
  requests: number;
  broadcasts: number;
  replies: number;
  naks: number;
  /** Retries recognised by sequence number and answered without doing the work again. */
  duplicates: number;
  /** Requests refused with NAK BUSY (see `busy`). */
  busy: number;
  /** Requests for addresses nobody here has. */
  ignored: number;
  /** Units of garbage thrown away, by reason (NOISE, BAD_CRC, TRUNCATED…), and their bytes. */
  rejected: Record<string, number>;
  rejectedBytes: number;
  /** Errors inside the twin itself (should stay 0; counted rather than crashing). */
  internalErrors: number;
}

export interface VirtualBusSnapshot {
  dialect: string;
  boards: BoardView[];
  keypads: KeypadView[];
  stats: VirtualBusStats;
}

interface Board extends Omit<BoardView, 'areas'> {
  areas: Map<number, AreaView>;
  last: { fingerprint: string; reply: Uint8Array } | null;
  /** The last broadcast acted on (§4): forgotten once the board acts on a request of its own. */
  lastBroadcast: string | null;
}
interface Keypad {
  address: number;
  session: number;
  silent: boolean;
  nextN: number;
  /** Event numbers issued in this session (to tell our own ACKs from an older session's). */
  issued: number;
  queue: { n: number; key: Key; at: number }[];
  pressed: number;
  dropped: number;
  corruptNext: number;
  busyNext: number;
  poweredUp: boolean;
  last: { fingerprint: string; reply: Uint8Array } | null;
}

const DEFAULTS = {
  mainBoard: { columns: 64, rows: 4 },
  counterBoard: { columns: 16, rows: 1 },
} as const;

/**
 * The hardware twin of the bus: LED boards and keypads at configured addresses, answering per the
 * dialect on a real serial line (one end of a pty pair). It keeps what every board shows, can be
 * told to go silent, corrupt its replies or press a key, and never crashes on garbage: it counts it.
 */
export class VirtualBus {
  readonly dialect: Dialect;
  private readonly port: Duplex;
  private readonly parser: Transform;
  private readonly boards = new Map<number, Board>();
  private readonly keypads = new Map<number, Keypad>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly o: {
    paceBaud: number | null;
    turnaroundMs: number;
    keyTtlMs: number;
    keyQueueSize: number;
  };
  private readonly random: () => number;
  private readonly s: VirtualBusStats = {
    requests: 0,
    broadcasts: 0,
    replies: 0,
    naks: 0,
    duplicates: 0,
    busy: 0,
    ignored: 0,
    rejected: {},
    rejectedBytes: 0,
    internalErrors: 0,
  };
  private closed = false;
  private readonly onUnit = (u: unknown) => {
    try {
      this.handle(u);
    } catch (e) {
      this.s.internalErrors += 1;
      this.logger.error({ err: (e as Error).message }, 'virtual led bus: internal error');
    }
  };

  constructor(options: VirtualBusOptions) {
    this.port = options.port;
    this.dialect =
      typeof options.dialect === 'string'
        ? getDialect(options.dialect)
        : (options.dialect ?? getDialect('v1'));
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.o = {
      paceBaud: options.paceBaud ?? null,
      turnaroundMs: options.turnaroundMs ?? 0,
      keyTtlMs: options.keyTtlMs ?? 10_000,
      keyQueueSize: options.keyQueueSize ?? 8,
    };
    const random = options.random ?? Math.random;
    const taken = (a: number) => {
      if (!Number.isInteger(a) || a < 1 || a > MAX_ADDRESS)
        throw new TypeError(`device address must be 1–${MAX_ADDRESS}, got ${a}`);
      if (this.boards.has(a) || this.keypads.has(a)) throw new TypeError(`address ${a} is used twice`);
    };
    for (const b of options.boards ?? []) {
      taken(b.address);
      const type = b.type ?? 'counterBoard';
      this.boards.set(b.address, {
        address: b.address,
        type,
        columns: b.columns ?? DEFAULTS[type].columns,
        rows: b.rows ?? DEFAULTS[type].rows,
        firmware: b.firmware ?? '1.0',
        brightness: 100,
        silent: false,
        areas: new Map(),
        shows: 0,
        corruptNext: 0,
        busyNext: 0,
        // A board that has just been switched on says so until the master has seen it.
        poweredUp: true,
        lastChangeAt: null,
        last: null,
        lastBroadcast: null,
      });
    }
    for (const address of options.keypads ?? []) {
      taken(address);
      this.keypads.set(address, {
        address,
        // Never 0: a master's session 0 means "I know nothing yet" (led-bus.md, "Keypad poll").
        session: 1 + Math.floor(random() * 255),
        silent: false,
        nextN: 1,
        issued: 0,
        queue: [],
        pressed: 0,
        dropped: 0,
        corruptNext: 0,
        busyNext: 0,
        poweredUp: true,
        last: null,
      });
    }
    this.random = random;
    this.parser = this.dialect.createParser();
    this.parser.on('data', this.onUnit);
    this.port.pipe(this.parser);
  }

  // ── what tests, the HTTP view and the terminal view use ──────────────────────────────────────────

  snapshot(): VirtualBusSnapshot {
    return {
      dialect: this.dialect.id,
      boards: [...this.boards.values()]
        .sort((a, b) => a.address - b.address)
        .map(({ last: _l, lastBroadcast: _b, areas, ...b }) => ({
          ...b,
          areas: [...areas.values()].sort((x, y) => x.area - y.area).map((a) => ({ ...a })),
        })),
      keypads: [...this.keypads.values()]
        .sort((a, b) => a.address - b.address)
        .map((k) => ({
          address: k.address,
          session: k.session,
          silent: k.silent,
          queued: k.queue.map(({ n, key }) => ({ n, key })),
          pressed: k.pressed,
          dropped: k.dropped,
          corruptNext: k.corruptNext,
          poweredUp: k.poweredUp,
        })),
      stats: { ...this.s, rejected: { ...this.s.rejected } },
    };
  }

  /** The text a board shows on an area (0 = whole board), or null when dark/unknown. */
  textOf(address: number, area = 0): string | null {
    return this.boards.get(address)?.areas.get(area)?.text ?? null;
  }

  /** A silent device neither acts nor answers, like one unplugged. Returns false for an unknown address. */
  setSilent(address: number, silent: boolean): boolean {
    const d = this.boards.get(address) ?? this.keypads.get(address);
    if (!d) return false;
    d.silent = silent;
    this.changed();
    return true;
  }

  /** Damages the device's next `count` replies (one bit flipped), as noise on the line would. */
  corrupt(address: number, count = 1): boolean {
    const d = this.boards.get(address) ?? this.keypads.get(address);
    if (!d) return false;
    d.corruptNext += Math.max(0, Math.floor(count));
    this.changed();
    return true;
  }

  /** Refuses the device's next `count` requests other than STATUS with NAK BUSY (writing its flash). */
  busy(address: number, count = 1): boolean {
    const d = this.boards.get(address) ?? this.keypads.get(address);
    if (!d) return false;
    d.busyNext += Math.max(0, Math.floor(count));
    this.changed();
    return true;
  }

  /**
   * The device loses power for a moment and starts again: a board goes dark at its default
   * brightness (100 %), a keypad forgets its queue and picks a new SESSION; both forget the last
   * request and raise POWER_UP (hardware/led-bus.md §5.2).
   */
  powerCycle(address: number): boolean {
    const b = this.boards.get(address);
    const k = this.keypads.get(address);
    if (b) {
      b.areas.clear();
      b.brightness = 100;
      b.lastChangeAt = this.now();
    } else if (k) {
      // §7: a new SESSION, never the last one and never 0.
      k.session = ((k.session + Math.floor(this.random() * 254)) % 255) + 1;
      k.queue = [];
      k.nextN = 1;
      k.issued = 0;
    } else return false;
    const d = (b ?? k)!;
    d.poweredUp = true;
    d.last = null;
    d.busyNext = 0;
    if (b) b.lastBroadcast = null;
    this.changed();
    return true;
  }

  /** A teller presses a key. Returns false when there is no such keypad or its queue is full. */
  press(address: number, key: Key): boolean {
    const k = this.keypads.get(address);
    if (!k) return false;
    this.expire(k);
    k.pressed += 1;
    if (k.queue.length >= this.o.keyQueueSize) {
      k.dropped += 1;
      this.changed();
      return false;
    }
    k.queue.push({ n: k.nextN, key, at: this.now() });
    k.nextN = (k.nextN + 1) & 0xff;
    k.issued += 1;
    this.changed();
    return true;
  }

  /** Called after anything changes (a board's text, a key press, silence). Returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening; leaves the port to its owner. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.unpipe(this.parser);
    this.parser.off('data', this.onUnit);
  }

  // ── the device side of the protocol ──────────────────────────────────────────────────────────────

  private changed() {
    for (const l of this.listeners)
      try {
        l();
      } catch {
        this.s.internalErrors += 1;
      }
  }

  private handle(unit: unknown) {
    if (this.closed) return;
    const input = this.dialect.device.decodeRequest(unit);
    switch (input.type) {
      case 'reject':
        this.s.rejected[input.reason] = (this.s.rejected[input.reason] ?? 0) + 1;
        this.s.rejectedBytes += input.bytes;
        return;
      case 'reply':
        return;
      case 'invalid': {
        this.s.rejected[input.reason] = (this.s.rejected[input.reason] ?? 0) + 1;
        const d = this.boards.get(input.address) ?? this.keypads.get(input.address);
        if (!d || d.silent) return;
        // Not remembered (§4.1): what the device remembered before stays, for the master's repeat.
        this.reply(d, { kind: 'nak', reason: input.reason }, input.seq, null, 'keep');
        return;
      }
      case 'request':
        this.request(input.request, input.seq, input.fingerprint);
        return;
      default: {
        const _: never = input;
        return _;
      }
    }
  }

  private request(req: BusRequest, seq: number, fingerprint: string | null) {
    if (req.address === BROADCAST) {
      this.s.broadcasts += 1;
      let repeated = false;
      for (const b of this.boards.values()) {
        if (b.silent) continue;
        if (fingerprint !== null && fingerprint === b.lastBroadcast) {
          repeated = true;
          continue;
        }
        b.lastBroadcast = fingerprint;
        this.boardDo(b, req);
      }
      if (repeated) this.s.duplicates += 1;
      this.changed();
      return;
    }
    const d = this.boards.get(req.address) ?? this.keypads.get(req.address);
    if (!d) {
      this.s.ignored += 1;
      return;
    }
    if (d.silent) return;
    this.s.requests += 1;
    if (fingerprint !== null && d.last?.fingerprint === fingerprint) {
      // The master repeated a request we did: our reply was lost. Answer again, do nothing twice.
      this.s.duplicates += 1;
      this.send(d, d.last.reply, req);
      return;
    }
    if (d.busyNext > 0 && req.kind !== 'ping') {
      // Busy: nothing done and nothing remembered, so the master's repeat is carried out (§4.1).
      d.busyNext -= 1;
      this.s.busy += 1;
      this.reply(d, { kind: 'nak', reason: 'BUSY' }, seq, req, 'keep');
      this.changed();
      return;
    }
    const reply = 'areas' in d ? this.boardDo(d, req) : this.keypadDo(d, req);
    // What it shows may have changed since the last broadcast: the same broadcast again is new.
    if ('areas' in d) d.lastBroadcast = null;
    this.reply(d, reply, seq, req, fingerprint);
    this.changed();
  }

  private boardDo(b: Board, req: BusRequest): BusReply {
    switch (req.kind) {
      case 'ping': {
        const status = this.statusOf(b);
        // Read and clear: the reply shows the flag as it was.
        if (req.clearPowerUp) b.poweredUp = false;
        return { kind: 'status', status };
      }
      case 'show':
        if (req.area > b.rows) return { kind: 'nak', reason: 'BAD_PAYLOAD' };
        if (req.area === 0) b.areas.clear();
        else b.areas.delete(0);
        b.areas.set(req.area, { area: req.area, text: req.text, effect: req.effect });
        b.shows += 1;
        b.lastChangeAt = this.now();
        return { kind: 'ack' };
      case 'clear':
        if (req.area > b.rows) return { kind: 'nak', reason: 'BAD_PAYLOAD' };
        if (req.area === 0) b.areas.clear();
        else b.areas.delete(req.area);
        b.lastChangeAt = this.now();
        return { kind: 'ack' };
      case 'brightness':
        b.brightness = req.level;
        return { kind: 'ack' };
      case 'poll':
        return { kind: 'nak', reason: 'UNKNOWN_COMMAND' };
      default: {
        const _: never = req;
        return _;
      }
    }
  }

  private keypadDo(k: Keypad, req: BusRequest): BusReply {
    switch (req.kind) {
      case 'ping': {
        const poweredUp = k.poweredUp;
        if (req.clearPowerUp) k.poweredUp = false;
        return {
          kind: 'status',
          status: { type: 'keypad', firmware: '1.0', columns: 0, rows: 0, poweredUp },
        };
      }
      case 'poll': {
        // The ack only counts for our own session, and only for a number we issued in it: after a
        // restart an old ack (even with the same SESSION byte) must not drop new keys (§7.1).
        const newest = (k.nextN - 1) & 0xff;
        const ahead = (req.ack - newest) & 0xff;
        const ours = k.issued > 0 && !(ahead >= 1 && ahead <= 127);
        if (req.session === k.session && ours)
          k.queue = k.queue.filter((e) => ((req.ack - e.n) & 0xff) >= 128);
        this.expire(k);
        return {
          kind: 'keys',
          session: k.session,
          events: k.queue.slice(0, 8).map(({ n, key }) => ({ n, key })),
        };
      }
      default:
        return { kind: 'nak', reason: 'UNKNOWN_COMMAND' };
    }
  }

  private expire(k: Keypad) {
    const before = k.queue.length;
    const t = this.now();
    k.queue = k.queue.filter((e) => t - e.at <= this.o.keyTtlMs);
    k.dropped += before - k.queue.length;
  }

  private statusOf(b: Board): DeviceStatus {
    return {
      type: b.type,
      firmware: b.firmware,
      columns: b.columns,
      rows: b.rows,
      poweredUp: b.poweredUp,
    };
  }

  private reply(
    d: Board | Keypad,
    reply: BusReply,
    seq: number,
    req: BusRequest | null,
    /** What to remember for the repeat rule; 'keep' leaves the last remembered request as it was. */
    fingerprint: string | null | 'keep',
  ) {
    let bytes: Uint8Array;
    try {
      bytes = this.dialect.device.encodeReply(reply, { address: d.address, seq, kind: req?.kind ?? null });
    } catch {
      bytes = this.dialect.device.encodeReply(
        { kind: 'nak', reason: 'UNKNOWN_COMMAND' },
        {
          address: d.address,
          seq,
          kind: null,
        },
      );
    }
    if (reply.kind === 'nak') this.s.naks += 1;
    if (fingerprint !== 'keep') d.last = fingerprint === null ? null : { fingerprint, reply: bytes };
    this.send(d, bytes, req);
  }

  private send(d: Board | Keypad, bytes: Uint8Array, req: BusRequest | null) {
    let out = Buffer.from(bytes);
    if (d.corruptNext > 0) {
      d.corruptNext -= 1;
      out = Buffer.from(out);
      // One flipped bit just after the start: the CRC (v1) or the OK word (line) no longer holds.
      if (out.length > 1) out[1] = out[1]! ^ 0x01;
    }
    this.s.replies += 1;
    let wait = this.o.turnaroundMs;
    if (this.o.paceBaud !== null) {
      const reqBytes = req ? this.dialect.encodeRequest(req, 0).length : 0;
      wait += ((reqBytes + out.length) * 10 * 1000) / this.o.paceBaud;
    }
    if (wait <= 0) this.port.write(out);
    else setTimeout(() => !this.closed && this.port.write(out), wait);
  }
}
