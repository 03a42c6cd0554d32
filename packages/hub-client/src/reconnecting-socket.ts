/**
 * One reconnecting WebSocket for every link in Nextup that must come back by itself: the consoles'
 * and the agents' hub stream (through `HubSubscriber`), and the kiosk's and the display's screens to
 * their local agent. Browser-safe (`@nextup/hub-client/reconnecting-socket` imports nothing): the
 * WebSocket constructor is passed in, the browser's global in a page, `ws` in Node.
 */

/**
 * A handler the socket calls with its event. Written as a method type on purpose: we only ever
 * *assign* handlers (the socket calls them with its richer event, a `MessageEvent` that has `data`),
 * so the parameter may be checked both ways, and the browser's WebSocket and `ws` both fit without a
 * cast.
 */
type Handler<E> = { bivarianceHack(ev: E): void }['bivarianceHack'];

/** The little of a WebSocket the socket needs; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

/**
 * How to open one socket to a URL: `WebSocket` in a browser, `ws`'s `WebSocket` in Node (a subclass
 * of it when the upgrade needs headers, e.g. a device's bearer token).
 */
export type SocketConstructor = new (url: string) => SocketLike;

/** The back-off bounds of a reconnecting link, ms. */
export interface ReconnectPolicy {
  /** The wait before the first retry, ms. Default 250. */
  minMs?: number;
  /** The longest wait between retries, ms. Default 5000. */
  maxMs?: number;
}

/**
 * Where the link is: `connecting` (a socket is opening), `online` (open), `offline` (closed, a retry
 * is scheduled), `stopped` (closed for good: by `close()` or by a close code that stops it).
 */
export type LinkState = 'connecting' | 'online' | 'offline' | 'stopped';

export interface ReconnectingSocketOptions {
  /** The URL to open, or a function giving it at each attempt (for a URL that carries a token). */
  url: string | (() => string);
  /** Opens one socket: the browser's `WebSocket`, or `ws`'s in Node. */
  WebSocket: SocketConstructor;
  /**
   * Retry waits: the first after `minMs`, doubling up to `maxMs`; each wait is drawn from 75–125 %
   * of its nominal value and never above `maxMs` (jitter, so a restarted hub is not met by every
   * device at the same instant). The doubling starts over once the peer speaks after an
   * open: a peer that accepts and closes at once (a refused token) is not hammered at `minMs`.
   * Defaults 250 and 5000 ms.
   */
  reconnect?: ReconnectPolicy;
  /**
   * Detects a dead link the network did not report (a cable pulled between routers): every `pingMs`
   * the socket sends `ping()`, and a link silent for 2.5 × `pingMs` is closed with 4001 ("silent")
   * and reopened. Default: none (a local link, or a peer that closes for us).
   */
  liveness?: { pingMs: number; ping: () => string };
  /** Close codes after which retrying is pointless (e.g. 4401, credentials refused). Default: none. */
  stopOn?: (code: number, reason: string) => boolean;
  /** Called when a socket opens (send a subscribe or a hello here). */
  onOpen?: () => void;
  /** Called with each text message. */
  onMessage?: (text: string) => void;
  /**
   * Called on every change of state; with `offline`, the wait before the next try, ms (else null).
   */
  onState?: (state: LinkState, retryInMs: number | null) => void;
  /**
   * Called when a socket closes (not on `close()`), with its code and reason; a socket that could not
   * even be made reports 1006 (abnormal closure), as a browser reports a failed connection.
   */
  onClose?: (code: number, reason: string) => void;
}

/** WebSocket.OPEN: the same number in browsers and `ws`. */
const OPEN = 1;

/** Nothing heard for this many ping intervals means the link is dead. */
const SILENT_PINGS = 2.5;

/**
 * A WebSocket that reopens itself after any drop, with one back-off policy, until `close()` or a
 * close code that `stopOn` names. `start()` opens it.
 */
export class ReconnectingSocket {
  readonly #o: ReconnectingSocketOptions;
  readonly #minMs: number;
  readonly #maxMs: number;
  #backoff: number;
  #socket: SocketLike | null = null;
  #state: LinkState | null = null;
  #started = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #lastHeard = 0;
  #heardSinceOpen = false;

  constructor(options: ReconnectingSocketOptions) {
    const minMs = options.reconnect?.minMs ?? 250;
    const maxMs = options.reconnect?.maxMs ?? 5000;
    if (!(minMs > 0) || !(maxMs >= minMs))
      throw new TypeError(`reconnect: expected 0 < minMs <= maxMs, got minMs ${minMs}, maxMs ${maxMs}`);
    if (options.liveness && !(options.liveness.pingMs > 0))
      throw new TypeError(`liveness.pingMs: expected > 0, got ${options.liveness.pingMs}`);
    this.#o = options;
    this.#minMs = minMs;
    this.#maxMs = maxMs;
    this.#backoff = minMs;
  }

  get state(): LinkState | null {
    return this.#state;
  }

  /** Opens the link. Once only: a socket closed for good stays closed (make a new one). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#open();
  }

  /** Sends a text message if the link is open; says whether it went. */
  send(text: string): boolean {
    const s = this.#socket;
    if (!s || s.readyState !== OPEN) return false;
    try {
      s.send(text);
      return true;
    } catch {
      return false; // the close that follows reconnects
    }
  }

  /**
   * Closes the current socket with `code` (4000–4999 for an application's reason) and reconnects
   * as after any drop: for a peer that said something impossible (a gap in a sequence). Messages
   * still arriving on the dropped socket are ignored.
   */
  drop(code: number, reason: string): void {
    const s = this.#socket;
    if (!s) return;
    this.#detachMessages(s);
    s.close(code, reason);
  }

  /**
   * Closes the link for good: no retry, no timer left behind. `code` and `reason` go to the peer as
   * given (none by default, as a bare `WebSocket.close()`).
   */
  close(code?: number, reason?: string): void {
    this.#started = true;
    this.#clearTimers();
    const s = this.#socket;
    this.#socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = null;
      s.close(code, reason);
    }
    this.#setState('stopped', null);
  }

  #open() {
    this.#setState('connecting', null);
    let socket: SocketLike;
    try {
      const { url } = this.#o;
      socket = new this.#o.WebSocket(typeof url === 'function' ? url() : url);
    } catch (e) {
      this.#closed(1006, String(e));
      return;
    }
    this.#socket = socket;
    this.#heardSinceOpen = false;
    socket.onopen = () => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      this.#startLiveness(socket);
      this.#setState('online', null);
      this.#o.onOpen?.();
    };
    socket.onmessage = (ev) => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      if (!this.#heardSinceOpen) {
        this.#heardSinceOpen = true;
        this.#backoff = this.#minMs;
      }
      this.#o.onMessage?.(typeof ev.data === 'string' ? ev.data : String(ev.data));
    };
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = (ev) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#closed(ev.code, ev.reason);
    };
  }

  #closed(code: number, reason: string) {
    this.#clearTimers();
    if (this.#o.stopOn?.(code, reason)) {
      this.#setState('stopped', null);
      this.#o.onClose?.(code, reason);
      return;
    }
    const nominal = this.#backoff;
    this.#backoff = Math.min(nominal * 2, this.#maxMs);
    const delay = Math.round(Math.min(this.#maxMs, nominal * (0.75 + Math.random() * 0.5)));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, delay);
    this.#setState('offline', delay);
    this.#o.onClose?.(code, reason);
  }

  #startLiveness(socket: SocketLike) {
    const liveness = this.#o.liveness;
    if (!liveness) return;
    this.#pingTimer = setInterval(() => {
      if (this.#socket !== socket) return;
      if (Date.now() - this.#lastHeard > liveness.pingMs * SILENT_PINGS) {
        this.drop(4001, 'silent');
        return;
      }
      this.send(liveness.ping());
    }, liveness.pingMs);
  }

  /** Stops delivering a socket's messages (it is being dropped); its close still reconnects. */
  #detachMessages(s: SocketLike) {
    s.onmessage = null;
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #clearTimers() {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#retryTimer = null;
    this.#pingTimer = null;
  }

  #setState(state: LinkState, retryInMs: number | null) {
    if (state === this.#state) return;
    this.#state = state;
    this.#o.onState?.(state, retryInMs);
  }
}
