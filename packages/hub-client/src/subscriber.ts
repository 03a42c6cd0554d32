import { applyRun, type BranchView } from '@nextup/hub-view';
import { type LoggedEvent, parseWith, serverMessage } from '@nextup/protocol';

/** The little of a WebSocket the subscriber needs; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface SubscriberOptions {
  /** Opens a socket to the hub's stream (`ws://hub:port/api/v1/stream`), with whatever auth it needs. */
  connect: () => SocketLike;
  /** Resume point from a previous run (e.g. persisted by a device); default none: a snapshot. */
  initial?: BranchView | null;
  /** Called after every change of the view (snapshot or events), with the events just applied. */
  onChange?: (view: BranchView, applied: LoggedEvent[], cause: 'snapshot' | 'events') => void;
  /** Called when the link goes up or down. */
  onStatus?: (connected: boolean) => void;
  /** Called with the close code of every closed socket (4401: the hub refused our credentials). */
  onClose?: (code: number, reason: string) => void;
  /** First reconnect delay, ms. Default 250. */
  minBackoffMs?: number;
  /** Longest reconnect delay, ms. Default 5000. */
  maxBackoffMs?: number;
  /** Ping interval, ms; a link silent for 2.5 intervals is closed and reopened. Default 10000. */
  pingMs?: number;
  logger?: Logger;
}

/**
 * Keeps a branch view in step with the hub over a WebSocket: subscribes from the last applied
 * sequence number, applies the hub's runs of events strictly in order, ignores what it already has,
 * and on a gap or any disconnect resubscribes from where it was. It never misses or applies an event
 * twice.
 *
 * The hub's replay rule (the protocol's, `docs/hub-api.md` "The event stream"): a subscriber up to
 * 5,000 events behind gets the missing events replayed as runs; one further behind, one with no
 * resume point (`lastSeq: null`) and one ahead of the hub's log (a hub restored from a backup) gets a
 * snapshot of the view instead, then the runs after it. The first run after a subscribe (possibly
 * empty) means "caught up".
 *
 * The view is the part of the branch the caller's role may read (a display has no appointments, a
 * kiosk only its own tickets…): the hub cuts snapshots and runs alike, and a run says which range of
 * the log it covers (`after`, `through`), so the sequence numbers it leaves out are not gaps.
 */
/**
 * Drops a subscriber's link as if the network failed; it reconnects by itself. A test-only seam,
 * reached through `dropLink` in `@nextup/hub-client/testing`, not part of the subscriber's API.
 */
export const linkDroppers = new WeakMap<HubSubscriber, () => void>();

export class HubSubscriber {
  #opts: Required<Omit<SubscriberOptions, 'initial' | 'onChange' | 'onStatus' | 'onClose'>> &
    Pick<SubscriberOptions, 'onChange' | 'onStatus' | 'onClose'>;
  #view: BranchView | null;
  #socket: SocketLike | null = null;
  #stopped = false;
  #backoff: number;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #lastHeard = 0;
  #connected = false;
  /** Counters for tests and health: events applied, duplicates ignored, gaps that forced a resync. */
  readonly stats = { applied: 0, duplicates: 0, gaps: 0, snapshots: 0, connects: 0 };

  constructor(options: SubscriberOptions) {
    linkDroppers.set(this, () => this.#socket?.close(4000, 'dropped'));
    this.#opts = {
      minBackoffMs: 250,
      maxBackoffMs: 5000,
      pingMs: 10_000,
      logger: silentLogger,
      ...options,
    };
    this.#view = options.initial ?? null;
    this.#backoff = this.#opts.minBackoffMs;
  }

  get view(): BranchView | null {
    return this.#view;
  }

  get connected(): boolean {
    return this.#connected;
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#reconnectTimer = null;
    this.#pingTimer = null;
    const s = this.#socket;
    this.#socket = null;
    if (s) s.close(1000, 'stopped');
    this.#setConnected(false);
  }

  #setConnected(c: boolean) {
    if (c === this.#connected) return;
    this.#connected = c;
    this.#opts.onStatus?.(c);
  }

  #open() {
    if (this.#stopped) return;
    let socket: SocketLike;
    try {
      socket = this.#opts.connect();
    } catch (e) {
      this.#opts.logger.warn({ err: String(e) }, 'hub stream: cannot open');
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.stats.connects += 1;
      this.#lastHeard = Date.now();
      socket.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: this.#view ? this.#view.seq : null }));
      if (this.#pingTimer) clearInterval(this.#pingTimer);
      this.#pingTimer = setInterval(() => {
        if (this.#socket !== socket) return;
        if (Date.now() - this.#lastHeard > this.#opts.pingMs * 2.5) {
          this.#opts.logger.warn({}, 'hub stream: silent link, reconnecting');
          socket.close(4001, 'silent');
          return;
        }
        try {
          socket.send(JSON.stringify({ v: 1, type: 'ping', t: Date.now() }));
        } catch {
          /* the close handler reconnects */
        }
      }, this.#opts.pingMs);
    };
    socket.onmessage = (ev) => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      this.#onMessage(socket, ev.data);
    };
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = (ev) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#pingTimer) clearInterval(this.#pingTimer);
      this.#pingTimer = null;
      this.#setConnected(false);
      this.#opts.logger.info({ code: ev.code, reason: ev.reason }, 'hub stream closed');
      this.#opts.onClose?.(ev.code, ev.reason);
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect() {
    if (this.#stopped || this.#reconnectTimer) return;
    const delay = this.#backoff * (0.75 + Math.random() * 0.5);
    this.#backoff = Math.min(this.#backoff * 2, this.#opts.maxBackoffMs);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#open();
    }, delay);
  }

  #onMessage(socket: SocketLike, data: unknown) {
    const text = typeof data === 'string' ? data : String(data);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#opts.logger.warn({}, 'hub stream: malformed message ignored');
      return;
    }
    const parsed = parseWith(serverMessage, json);
    if (!parsed.ok) {
      this.#opts.logger.warn({ error: parsed.error }, 'hub stream: invalid message ignored');
      return;
    }
    const m = parsed.value;
    switch (m.type) {
      case 'hello':
      case 'pong':
        return;
      case 'error':
        this.#opts.logger.warn({ code: m.code }, 'hub stream: error from hub');
        return;
      case 'snapshot':
        this.#view = { seq: m.seq, state: m.state, hub: m.hub };
        this.stats.snapshots += 1;
        this.#backoff = this.#opts.minBackoffMs;
        this.#setConnected(true);
        this.#opts.onChange?.(this.#view, [], 'snapshot');
        return;
      case 'events': {
        if (!this.#view) {
          // Events before any snapshot can only follow a subscribe with lastSeq null: impossible.
          socket.close(4002, 'events before snapshot');
          return;
        }
        const r = applyRun(this.#view, m);
        if (r.kind === 'gap') {
          this.stats.gaps += 1;
          this.#opts.logger.warn({ expected: r.expected, got: r.got }, 'hub stream: gap, resubscribing');
          socket.close(4003, 'gap');
          return;
        }
        const wasConnected = this.#connected;
        if (r.kind === 'duplicate') {
          this.stats.duplicates += m.events.length;
        } else {
          this.#view = r.view;
          this.stats.applied += r.applied.length;
          this.stats.duplicates += r.skipped;
        }
        this.#backoff = this.#opts.minBackoffMs;
        // The first run after a subscribe (possibly empty) means "caught up".
        this.#setConnected(true);
        // Every run that moves the view is a change, even one with nothing this role reads: the
        // branch moved on (a kiosk refreshes its offers then, as it did on every event).
        if (r.kind === 'applied' || !wasConnected)
          this.#opts.onChange?.(this.#view, r.kind === 'applied' ? r.applied : [], 'events');
        return;
      }
    }
  }
}
