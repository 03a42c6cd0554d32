import { hostname } from 'node:os';
import {
  type DeviceAgent,
  type DeviceCredentials,
  type HubLink,
  type ReconnectPolicy,
  startDeviceAgent,
} from '@nextup/agent-kit';
import { type Logger, silentLogger } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type {
  KioskAnswer,
  KioskCheckInRequest,
  KioskIssueRequest,
  KioskPrint,
  KioskSettings,
  KioskState,
  KioskTicketAnswer,
  LoggedEvent,
} from '@nextup/protocol';
import type { Logger as PinoLogger } from 'pino';
import { printDeskRequests } from './desk-prints.ts';
import { Issuing } from './issuing.ts';
import { KioskPrinter } from './kiosk-printer.ts';
import { blockedBy, type KioskStateInputs, kioskState } from './kiosk-state.ts';
import { kioskRoutes, parseKioskPairRequest } from './local-routes.ts';
import { OffersFeed } from './offers-feed.ts';
import { DEFAULT_DATA_DIR, KIOSK_VERSION, UI_DIST_DIR } from './paths.ts';
import { PrintLedger } from './print-ledger.ts';

export interface StartKioskAgentOptions {
  /** Folder for `credentials.json` (the only file the kiosk keeps). Default `apps/kiosk/data`. */
  dataDir?: string;
  /**
   * The hub to pair with when the kiosk is not paired yet (with `pairingCode`): nothing then needs to
   * be typed on the box. Ignored when credentials exist. Default none: the UI shows the pairing screen.
   */
  hubUrl?: string;
  /** The 6-digit code an admin created on the hub (with `hubUrl`). Default none. */
  pairingCode?: string;
  /** Credentials to use as they are (saved into `dataDir`). Default: those in `dataDir`, if any. */
  credentials?: DeviceCredentials;
  /** The name the kiosk pairs under. Default `Kiosk <hostname>`. */
  name?: string;
  /** Port of the local UI server. Default 0 (a free port); the CLI uses 8310. */
  port?: number;
  /** Interface of the local UI server. Default 127.0.0.1: only this box's screen talks to it. */
  host?: string;
  /** The built UI. Default `apps/kiosk/ui/dist`. */
  uiDistDir?: string;
  /** A pino logger (structured JSON). Default none: the agent logs nothing. */
  logger?: PinoLogger;
  /** How often the printer status is read while idle, ms. Default 3000. */
  printerPollMs?: number;
  /** How long the printer has to answer a status request, ms. Default 1500. */
  printerStatusTimeoutMs?: number;
  /** Refresh of the start screen's figures when nothing happens (opening hours pass), ms. Default 15000. */
  offersRefreshMs?: number;
  /** The hub stream's reconnect back-off, ms. Defaults 250 and 5000. */
  reconnect?: ReconnectPolicy;
  /** Re-send unchanged health this often (the hub's "alive" signal), ms. Default 30000. */
  heartbeatMs?: number;
}

export interface KioskAgent {
  /** The UI's address: open it in Chromium or the Electron shell. */
  readonly url: string;
  readonly port: number;
  /** Everything the UI shows, now. */
  readonly state: KioskState;
  /** The paired device id, or null while not paired. */
  readonly deviceId: string | null;
  /** The live hub link (null while not paired). */
  readonly link: HubLink | null;
  /** Issues a walk-in ticket exactly as a tap does (the bench's baseline and tests use it). */
  issue(request: Omit<KioskIssueRequest, 'v'>): Promise<KioskTicketAnswer>;
  /** Checks an appointment in exactly as the keypad or scanner does. */
  checkIn(request: Omit<KioskCheckInRequest, 'v'>): Promise<KioskTicketAnswer>;
  /** Resolves when the state satisfies `pred` (rejects after `timeoutMs`, default 10000). */
  waitFor(pred: (s: KioskState) => boolean, timeoutMs?: number): Promise<KioskState>;
  /** Resolves with the ticket's print once it has printed, failed or been voided. */
  printOutcome(ticketId: string, timeoutMs?: number): Promise<KioskPrint>;
  close(): Promise<void>;
}

/**
 * Starts the kiosk's agent: the device lifecycle (`@nextup/agent-kit`: UI server, pairing, hub link,
 * health), and the kiosk's own jobs on it: the start screen's offers, issuing, and the printer.
 * Nothing has to be typed on the box when `hubUrl` + `pairingCode` or `credentials` are given.
 */
export async function startKioskAgent(options: StartKioskAgentOptions = {}): Promise<KioskAgent> {
  const agent = new Kiosk(options);
  await agent.start();
  return agent;
}

/** The kiosk's parts wired together; each job lives in its own module. */
class Kiosk implements KioskAgent {
  readonly #o: StartKioskAgentOptions;
  readonly #log: Logger;
  readonly #printer: KioskPrinter;
  readonly #ledger: PrintLedger;
  readonly #offers: OffersFeed;
  readonly #issuing: Issuing;
  #device: DeviceAgent | null = null;
  #view: BranchView | null = null;
  #settings: KioskSettings | null = null;
  readonly #listeners = new Set<(s: KioskState) => void>();
  #pushQueued = false;
  #closed = false;

  constructor(options: StartKioskAgentOptions) {
    this.#o = options;
    this.#log = options.logger ?? silentLogger;
    const link = () => this.link;
    const view = () => this.#view;
    this.#printer = new KioskPrinter({
      logger: this.#log,
      pollMs: options.printerPollMs ?? 3000,
      statusTimeoutMs: options.printerStatusTimeoutMs ?? 1500,
      onChange: () => {
        this.#device?.reportHealth();
        this.#changed();
      },
    });
    this.#ledger = new PrintLedger({
      printer: this.#printer,
      view,
      link,
      logger: this.#log,
      onChange: () => this.#changed(),
      onUnprinted: () => this.#device?.reportHealth(),
    });
    this.#offers = new OffersFeed({
      link,
      services: () => this.#settings?.services ?? [],
      logger: this.#log,
      refreshMs: options.offersRefreshMs ?? 15_000,
      onChange: () => this.#changed(),
    });
    this.#issuing = new Issuing({
      link,
      view,
      offers: () => this.#offers.offers,
      blocked: () => blockedBy(this.#inputs()),
      printer: this.#printer,
      ledger: this.#ledger,
      logger: this.#log,
    });
  }

  async start(): Promise<void> {
    const o = this.#o;
    this.#device = await startDeviceAgent({
      kind: 'kiosk',
      dataDir: o.dataDir ?? DEFAULT_DATA_DIR,
      // The hub from the options is only for pairing with its code: no code, no hub.
      ...(o.hubUrl && o.pairingCode ? { hubUrl: o.hubUrl, pairingCode: o.pairingCode } : {}),
      ...(o.credentials ? { credentials: o.credentials } : {}),
      name: o.name ?? `Kiosk ${hostname()}`.slice(0, 64),
      ui: {
        distDir: o.uiDistDir ?? UI_DIST_DIR,
        host: o.host ?? '127.0.0.1',
        port: o.port ?? 0,
        ...(o.logger ? { logger: o.logger } : {}),
      },
      routes: (app) => kioskRoutes(app, this),
      parsePairRequest: parseKioskPairRequest,
      message: () => ({ type: 'state', state: this.state }),
      onChange: () => this.#changed(),
      onLink: () => this.#offers.start(),
      onStatus: (status) => {
        if (status === 'online') this.#offers.schedule(0);
      },
      onView: (view, applied, cause, link) => this.#onView(view, applied, cause, link.deviceId),
      onRevoked: () => this.#forget(),
      health: () => this.#health(),
      version: KIOSK_VERSION,
      ...(o.reconnect ? { reconnect: o.reconnect } : {}),
      ...(o.heartbeatMs ? { heartbeatMs: o.heartbeatMs } : {}),
      logger: this.#log,
    });
  }

  get url(): string {
    return this.#device?.url ?? '';
  }

  get port(): number {
    return this.#device?.port ?? 0;
  }

  get deviceId(): string | null {
    return this.#device?.credentials?.deviceId ?? null;
  }

  get link(): HubLink | null {
    return this.#device?.link ?? null;
  }

  // ── state ──

  #inputs(): KioskStateInputs {
    const d = this.#device;
    return {
      credentials: d?.credentials ?? null,
      pairing: d?.pairing ?? { hubUrl: null, name: '', busy: false, error: null },
      link: d?.status ?? 'connecting',
      view: this.#view,
      settings: this.#settings,
      offers: this.#offers.offers,
      checkInClosed: this.#offers.checkInClosed,
      serverTime: this.#offers.serverTime,
      printer: this.#printer.summary,
      prints: (canReprint) => this.#ledger.views(canReprint),
    };
  }

  get state(): KioskState {
    return kioskState(this.#inputs());
  }

  /** Pushes the state to the UI once per turn of the event loop, however many things changed. */
  #changed() {
    if (this.#pushQueued || this.#closed) return;
    this.#pushQueued = true;
    queueMicrotask(() => {
      this.#pushQueued = false;
      const state = this.state;
      this.#device?.broadcast({ type: 'state', state });
      for (const fn of [...this.#listeners]) fn(state);
    });
  }

  waitFor(pred: (s: KioskState) => boolean, timeoutMs = 10_000): Promise<KioskState> {
    const now = this.state;
    if (pred(now)) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(fn);
        reject(new Error(`kiosk state: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const fn = (s: KioskState) => {
        if (!pred(s)) return;
        clearTimeout(timer);
        this.#listeners.delete(fn);
        resolve(s);
      };
      this.#listeners.add(fn);
    });
  }

  async printOutcome(ticketId: string, timeoutMs = 20_000): Promise<KioskPrint> {
    const done = (s: KioskState) => s.prints.some((p) => p.ticketId === ticketId && p.status !== 'printing');
    const s = await this.waitFor(done, timeoutMs);
    return s.prints.find((p) => p.ticketId === ticketId && p.status !== 'printing')!;
  }

  // ── the branch, as the hub link brings it ──

  #onView(view: BranchView, applied: readonly LoggedEvent[], cause: 'snapshot' | 'events', deviceId: string) {
    this.#view = view;
    const me = view.hub.devices.find((d) => d.deviceId === deviceId);
    const settings = me?.settings.kind === 'kiosk' ? me.settings : null;
    if (settings) {
      const first = this.#settings === null;
      this.#settings = settings;
      this.#printer.configure(settings.printer);
      if (first) this.#device?.reportHealth();
    }
    this.#ledger.forgetNotWaiting(view);
    this.#offers.schedule(30);
    this.#changed();
    // A snapshot (a fresh start) carries no requests: only those that arrive as events are printed.
    if (cause === 'events')
      printDeskRequests(view, applied, {
        deviceId,
        printer: this.#printer,
        ledger: this.#ledger,
        logger: this.#log,
      });
  }

  /** The hub revoked this kiosk: forget the branch; the lifecycle shows the pairing screen. */
  #forget() {
    this.#view = null;
    this.#settings = null;
    this.#offers.stop();
    this.#printer.configure(null);
  }

  /** The printer's health (with the tickets that did not print); nothing before the hub's settings. */
  #health() {
    if (!this.#settings) return null;
    return [this.#ledger.health(this.#printer.health)];
  }

  // ── tickets ──

  issue(request: Omit<KioskIssueRequest, 'v'>): Promise<KioskTicketAnswer> {
    return this.#issuing.issue(request);
  }

  checkIn(request: Omit<KioskCheckInRequest, 'v'>): Promise<KioskTicketAnswer> {
    return this.#issuing.checkIn(request);
  }

  reprint(ticketId: string): Promise<KioskAnswer> {
    return this.#ledger.reprint(ticketId);
  }

  void(ticketId: string): Promise<KioskAnswer> {
    return this.#ledger.void(ticketId);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#offers.close();
    await this.#device?.close(() => this.#printer.close());
  }
}
