import { applyRun, type BranchView } from '@nextup/hub-view';
import { type LoggedEvent, parseWith, serverMessage } from '@nextup/protocol';
import { ReconnectingSocket, type ReconnectPolicy, type SocketConstructor } from './reconnecting-socket.ts';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface SubscriberOptions {
  /** The hub's stream, `ws://hub:port/api/v1/stream` (or a function giving it at each attempt). */
  url: string | (() => string);
  /**
   * Opens one socket: the browser's `WebSocket` (a session cookie goes with it), or in Node `ws`'s,
   * subclassed to add the device's `authorization` header.
   */
  WebSocket: SocketConstructor;
  /** Resume point from a previous run (e.g. persisted by a device); default none: a snapshot. */
  initial?: BranchView | null;
  /** Called after every change of the view (snapshot or events), with the events just applied. */
  onChange?: (view: BranchView, applied: LoggedEvent[], cause: 'snapshot' | 'events') => void;
  /** Called when the link goes up or down. */
  onStatus?: (connected: boolean) => void;
  /** Called with the close code of every closed socket (4401: the hub refused our credentials). */
  onClose?: (code: number, reason: string) => void;
  /** Close codes after which the subscriber stops instead of reconnecting. Default: none. */
  stopOn?: (code: number, reason: string) => boolean;
  /** Reconnect back-off after a drop (see `ReconnectingSocket`). Defaults 250 and 5000 ms. */
  reconnect?: ReconnectPolicy;
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
  readonly #opts: SubscriberOptions;
  readonly #logger: Logger;
  readonly #pingMs: number;
  #view: BranchView | null;
  #socket: ReconnectingSocket | null = null;
  #connected = false;
  /** Counters for tests and health: events applied, duplicates ignored, gaps that forced a resync. */
  readonly stats = { applied: 0, duplicates: 0, gaps: 0, snapshots: 0, connects: 0 };

  constructor(options: SubscriberOptions) {
    linkDroppers.set(this, () => this.#socket?.drop(4000, 'dropped'));
    this.#opts = options;
    this.#logger = options.logger ?? silentLogger;
    this.#pingMs = options.pingMs ?? 10_000;
    this.#view = options.initial ?? null;
  }

  get view(): BranchView | null {
    return this.#view;
  }

  get connected(): boolean {
    return this.#connected;
  }

  start(): void {
    this.#socket?.close();
    const o = this.#opts;
    const socket = new ReconnectingSocket({
      url: o.url,
      WebSocket: o.WebSocket,
      ...(o.reconnect ? { reconnect: o.reconnect } : {}),
      ...(o.stopOn ? { stopOn: o.stopOn } : {}),
      liveness: { pingMs: this.#pingMs, ping: () => JSON.stringify({ v: 1, type: 'ping', t: Date.now() }) },
      onOpen: () => {
        this.stats.connects += 1;
        socket.send(JSON.stringify({ v: 1, type: 'subscribe', lastSeq: this.#view ? this.#view.seq : null }));
      },
      onMessage: (text) => this.#onMessage(socket, text),
      onClose: (code, reason) => {
        this.#setConnected(false);
        if (code === 4001) this.#logger.warn({}, 'hub stream: silent link, reconnecting');
        this.#logger.info({ code, reason }, 'hub stream closed');
        o.onClose?.(code, reason);
      },
    });
    this.#socket = socket;
    socket.start();
  }

  stop(): void {
    const s = this.#socket;
    this.#socket = null;
    s?.close(1000, 'stopped');
    this.#setConnected(false);
  }

  #setConnected(c: boolean) {
    if (c === this.#connected) return;
    this.#connected = c;
    this.#opts.onStatus?.(c);
  }

  #onMessage(socket: ReconnectingSocket, text: string) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#logger.warn({}, 'hub stream: malformed message ignored');
      return;
    }
    const parsed = parseWith(serverMessage, json);
    if (!parsed.ok) {
      this.#logger.warn({ error: parsed.error }, 'hub stream: invalid message ignored');
      return;
    }
    const m = parsed.value;
    switch (m.type) {
      case 'hello':
      case 'pong':
        return;
      case 'error':
        this.#logger.warn({ code: m.code }, 'hub stream: error from hub');
        return;
      case 'snapshot':
        this.#view = { seq: m.seq, state: m.state, hub: m.hub };
        this.stats.snapshots += 1;
        this.#setConnected(true);
        this.#opts.onChange?.(this.#view, [], 'snapshot');
        return;
      case 'events': {
        if (!this.#view) {
          // Events before any snapshot can only follow a subscribe with lastSeq null: impossible.
          socket.drop(4002, 'events before snapshot');
          return;
        }
        const r = applyRun(this.#view, m);
        if (r.kind === 'gap') {
          this.stats.gaps += 1;
          this.#logger.warn({ expected: r.expected, got: r.got }, 'hub stream: gap, resubscribing');
          socket.drop(4003, 'gap');
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
