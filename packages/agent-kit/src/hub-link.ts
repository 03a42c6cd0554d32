import {
  HubHttp,
  HubSubscriber,
  HubUnreachableError,
  type Logger,
  type ReconnectPolicy,
  silentLogger,
} from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type { ClientCommand, CommandResponse, DeviceHealth, LoggedEvent } from '@nextup/protocol';
import WebSocket from 'ws';
import type { DeviceCredentials } from './credentials.ts';

/** How the device's link to the hub is doing, as its UI shows it. */
export type LinkStatus = 'connecting' | 'online' | 'offline' | 'revoked';

export interface HubLinkOptions {
  credentials: DeviceCredentials;
  logger?: Logger;
  /**
   * Called after every change of the branch view, with the events just applied and whether they came
   * as a snapshot or as events (a catch-up after a reconnect arrives as events too).
   */
  onView?: (view: BranchView, applied: LoggedEvent[], cause: 'snapshot' | 'events') => void;
  /** Per-attempt timeout of a command, ms. Default 4000. */
  commandTimeoutMs?: number;
  /** Attempts of a command on a network failure (same request id each time). Default 2. */
  commandAttempts?: number;
  onStatus?: (status: LinkStatus) => void;
  /** Re-send unchanged health this often so the hub knows the device is alive, ms. Default 30000. */
  heartbeatMs?: number;
  /**
   * How the stream comes back after a drop: the first retry after `minMs`, doubling up to `maxMs`
   * between tries. Defaults 250 and 5000 ms.
   */
  reconnect?: ReconnectPolicy;
}

/** The back-off bounds of a reconnecting link, ms: hub-client's one policy, for every link. */
export type { ReconnectPolicy };

/** 4401: the hub refused the device's credentials (revoked or unknown); retrying cannot help. */
const REFUSED = 4401;

/**
 * `ws`'s WebSocket with the device's bearer token on the upgrade request. Node can set headers on
 * it, unlike a browser; this is why the device's link passes its own constructor.
 */
function webSocketWithToken(token: string) {
  return class DeviceWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { authorization: `Bearer ${token}` } });
    }
  };
}

/**
 * A paired device's live link to its hub: the branch view kept in step over the WebSocket (resuming
 * from the last sequence number after any drop), commands over HTTP with safe retries, and health
 * reports sent when they change (and as a heartbeat). A revoked device stops and says so.
 */
/**
 * Each link's subscriber, for the test-only `dropLink` in `@nextup/agent-kit/testing`; not part of
 * the link's API.
 */
export const linkSubscribers = new WeakMap<HubLink, HubSubscriber>();

export class HubLink {
  readonly http: HubHttp;
  readonly #subscriber: HubSubscriber;
  readonly #o: HubLinkOptions;
  readonly #logger: Logger;
  #status: LinkStatus = 'connecting';
  #health: DeviceHealth | null = null;
  #sentHealth: string | null = null;
  #healthTimer: ReturnType<typeof setInterval> | null = null;
  #sending = false;

  constructor(options: HubLinkOptions) {
    this.#o = options;
    this.#logger = options.logger ?? silentLogger;
    const { credentials } = options;
    // A customer is waiting at a kiosk: give up on a silent network in seconds, not tens of seconds.
    this.http = new HubHttp({
      baseUrl: credentials.hubUrl,
      token: credentials.token,
      timeoutMs: options.commandTimeoutMs ?? 4000,
      attempts: options.commandAttempts ?? 2,
    });
    this.#subscriber = new HubSubscriber({
      url: `${credentials.hubUrl.replace(/^http/, 'ws')}/api/v1/stream`,
      WebSocket: webSocketWithToken(credentials.token),
      onChange: (view, applied, cause) => options.onView?.(view, applied, cause),
      onStatus: (connected) => {
        if (this.#status === 'revoked') return;
        this.#setStatus(connected ? 'online' : 'offline');
        if (connected) void this.#flushHealth(true);
      },
      stopOn: (code) => code === REFUSED,
      onClose: (code) => {
        if (code === REFUSED) this.#revoked();
      },
      logger: this.#logger,
      ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    });
    linkSubscribers.set(this, this.#subscriber);
  }

  get status(): LinkStatus {
    return this.#status;
  }

  get view(): BranchView | null {
    return this.#subscriber.view;
  }

  get deviceId(): string {
    return this.#o.credentials.deviceId;
  }

  start(): void {
    this.#subscriber.start();
    this.#healthTimer = setInterval(() => void this.#flushHealth(true), this.#o.heartbeatMs ?? 30_000);
    this.#healthTimer.unref?.();
  }

  stop(): void {
    this.#subscriber.stop();
    if (this.#healthTimer) clearInterval(this.#healthTimer);
    this.#healthTimer = null;
  }

  #setStatus(s: LinkStatus) {
    if (s === this.#status) return;
    this.#status = s;
    this.#logger.info({ status: s }, 'hub link');
    this.#o.onStatus?.(s);
  }

  #revoked() {
    this.#logger.warn({}, 'the hub revoked this device; pair it again');
    this.#setStatus('revoked');
    this.stop();
  }

  /**
   * Sends a command. Resolves with the hub's answer; throws `HubUnreachableError` when the hub cannot
   * be reached (the caller must then not act as if it happened).
   */
  async command(command: ClientCommand, requestId?: string): Promise<CommandResponse> {
    if (this.#status === 'revoked') throw new HubUnreachableError('this device has been revoked');
    const r = await this.http.command(command, requestId);
    if (!r.ok && r.error.kind === 'auth') this.#revoked();
    return r;
  }

  /** Records the device's health; it reaches the hub now if it changed, else with the heartbeat. */
  reportHealth(health: DeviceHealth): void {
    this.#health = health;
    void this.#flushHealth(false);
  }

  async #flushHealth(heartbeat: boolean) {
    if (!this.#health || this.#sending || this.#status === 'revoked') return;
    const json = JSON.stringify(this.#health);
    if (!heartbeat && json === this.#sentHealth) return;
    this.#sending = true;
    try {
      const r = await this.http.send('POST', '/api/v1/devices/health', { v: 1, health: this.#health });
      if (r.status === 200) this.#sentHealth = json;
      else if (r.status === 401) this.#revoked();
      else this.#logger.warn({ status: r.status, body: r.body }, 'health report refused');
    } catch (e) {
      this.#logger.debug({ err: String(e) }, 'health report not sent (hub unreachable)');
    } finally {
      this.#sending = false;
    }
    // A change that arrived while sending goes out now.
    if (this.#health && JSON.stringify(this.#health) !== this.#sentHealth && this.#status === 'online')
      void this.#flushHealth(false);
  }
}
