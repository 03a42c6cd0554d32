import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CredentialStore,
  type DeviceCredentials,
  HubLink,
  type LinkStatus,
  pairWithHub,
  startUiServer,
  type UiServer,
} from '@nextup/agent-kit';
import { type Bilingual, own, type Ticket } from '@nextup/core';
import type { BranchView } from '@nextup/hub-view';
import type { HealthComponent, LoggedEvent } from '@nextup/protocol';
import {
  type ClientCommand,
  type CommandResponse,
  hubOffersResponse,
  type KioskAnswer,
  type KioskCheckInRequest,
  type KioskError,
  type KioskIssueRequest,
  type KioskOffer,
  type KioskPrint,
  type KioskProblem,
  type KioskSettings,
  type KioskState,
  type KioskTicket,
  type KioskTicketAnswer,
  kioskCheckInRequest,
  kioskIssueRequest,
  kioskPairRequest,
  kioskTicketRequest,
  parseWith,
} from '@nextup/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { notPrinted } from './health-reason.ts';
import { KioskPrinter } from './kiosk-printer.ts';
import { checkInClosed, kioskOffers } from './offers.ts';
import { kioskTicket, printJob } from './ticket.ts';
import { AGENT_WORDS, printerProblem, problem } from './words.ts';

/** This package's version, reported to the hub with the device health. */
export const KIOSK_VERSION = 'nextup-kiosk 0.1.0';

/** Where the built UI is: `apps/kiosk/ui/dist`. */
export const UI_DIST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui', 'dist');

/** The kiosk's own data folder by default (credentials only): `apps/kiosk/data`. */
export const DEFAULT_DATA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data');

/** The CLI's local port for the UI; `startKioskAgent` defaults to a free port. */
export const DEFAULT_UI_PORT = 8310;

/** A desk print request older than this (hub time) when it reaches the kiosk is not printed, ms. */
const DESK_PRINT_FRESH_MS = 2 * 60_000;

/** The hub's port when a pairing address gives none. */
const DEFAULT_HUB_PORT = 8300;

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
  uiDir?: string;
  /** A pino logger (structured JSON). Default none: the agent logs nothing. */
  logger?: PinoLogger;
  /** How often the printer status is read while idle, ms. Default 3000. */
  printerPollMs?: number;
  /** How long the printer has to answer a status request, ms. Default 1500. */
  printerStatusTimeoutMs?: number;
  /** Refresh of the start screen's figures when nothing happens (opening hours pass), ms. Default 15000. */
  offersRefreshMs?: number;
  /** The hub stream's reconnect back-off bounds, ms. Defaults 250 and 5000. */
  reconnect?: { minMs: number; maxMs: number };
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

interface Unprinted {
  ticket: KioskTicket;
  lang: 'zh' | 'en';
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Normalises what branch IT typed as the hub's address: scheme and port added when left out. */
export function hubAddress(typed: string): string | null {
  let text = typed.trim();
  if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (!u.hostname || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
  if (!u.port && !/^https?:\/\/[^/]+:\d+/i.test(text) && u.protocol === 'http:')
    u.port = String(DEFAULT_HUB_PORT);
  return `${u.protocol}//${u.host}`;
}

/**
 * Starts the kiosk's agent: its local UI server, its link to the hub (pairing first when needed) and
 * its printer. Nothing has to be typed on the box when `hubUrl` + `pairingCode` or `credentials`
 * are given.
 */
export async function startKioskAgent(options: StartKioskAgentOptions = {}): Promise<KioskAgent> {
  const agent = new Agent(options);
  await agent.start();
  return agent;
}

class Agent implements KioskAgent {
  readonly #o: StartKioskAgentOptions;
  readonly #log: PinoLogger | typeof silent;
  readonly #store: CredentialStore;
  readonly #printer: KioskPrinter;
  #ui: UiServer | null = null;
  #link: HubLink | null = null;
  #credentials: DeviceCredentials | null = null;
  #phase: KioskState['phase'] = 'unpaired';
  #linkStatus: LinkStatus = 'connecting';
  #pairingError: Bilingual | null = null;
  #pairingHub: string | null = null;
  #view: BranchView | null = null;
  #settings: KioskSettings | null = null;
  #offers: KioskOffer[] = [];
  #checkInClosed: Bilingual | null = null;
  #serverTime: number | null = null;
  /** The latest prints, without `ticket` (added from the live view when the state is read). */
  #prints: Omit<KioskPrint, 'ticket'>[] = [];
  readonly #unprinted = new Map<string, Unprinted>();
  readonly #answers = new Map<string, Promise<KioskTicketAnswer>>();
  readonly #listeners = new Set<(s: KioskState) => void>();
  #offersTimer: ReturnType<typeof setInterval> | null = null;
  #offersDebounce: ReturnType<typeof setTimeout> | null = null;
  #offersInFlight = false;
  #offersAgain = false;
  #pushQueued = false;
  #healthJson = '';
  #closed = false;
  #pairRetry: ReturnType<typeof setTimeout> | null = null;
  /** Whether the pairing code from the options was tried in this run (a code works once). */
  #optionCodeUsed = false;

  constructor(options: StartKioskAgentOptions) {
    this.#o = options;
    this.#log = options.logger ?? silent;
    this.#store = new CredentialStore(join(options.dataDir ?? DEFAULT_DATA_DIR, 'credentials.json'));
    this.#printer = new KioskPrinter({
      logger: this.#log,
      pollMs: options.printerPollMs ?? 3000,
      statusTimeoutMs: options.printerStatusTimeoutMs ?? 1500,
      onChange: () => {
        this.#reportHealth();
        this.#changed();
      },
    });
  }

  get url(): string {
    return this.#ui?.url ?? '';
  }

  get port(): number {
    return this.#ui?.port ?? 0;
  }

  get deviceId(): string | null {
    return this.#credentials?.deviceId ?? null;
  }

  get link(): HubLink | null {
    return this.#link;
  }

  async start(): Promise<void> {
    this.#ui = await startUiServer({
      distDir: this.#o.uiDir ?? UI_DIST_DIR,
      host: this.#o.host ?? '127.0.0.1',
      port: this.#o.port ?? 0,
      ...(this.#o.logger ? { logger: this.#o.logger } : {}),
      initialMessage: () => ({ type: 'state', state: this.state }),
      routes: (app) => this.#routes(app),
    });
    this.#log.info({ url: this.#ui.url }, 'kiosk UI served');
    const wanted =
      this.#o.hubUrl && this.#o.pairingCode ? (hubAddress(this.#o.hubUrl) ?? this.#o.hubUrl) : null;
    if (this.#o.credentials) {
      this.#store.save(this.#o.credentials);
      this.#startLink(this.#o.credentials);
    } else {
      const saved = this.#store.load();
      // Saved credentials win, unless the command line names another hub with a fresh code.
      if (saved && (wanted === null || saved.hubUrl === wanted)) this.#startLink(saved);
      else if (wanted !== null) void this.#pairFromOptions(Date.now());
      else this.#log.info({}, 'not paired: waiting for the pairing screen');
    }
  }

  // ── state ──

  get state(): KioskState {
    const printer = this.#printer.summary;
    const canReprint = printer.problem === null && this.#linkStatus !== 'revoked';
    const services = this.#settings?.services ?? [];
    const config = this.#view?.state.config;
    const shownIds = services.length > 0 ? services : (config?.serviceOrder ?? []);
    return {
      v: 1,
      phase: this.#phase,
      link: this.#linkStatus,
      hubUrl: this.#credentials?.hubUrl ?? this.#pairingHub,
      device: this.#credentials
        ? {
            deviceId: this.#credentials.deviceId,
            // The hub's name for it (an admin may have renamed it since pairing).
            name:
              this.#view?.hub.devices.find((d) => d.deviceId === this.#credentials?.deviceId)?.name ??
              this.#credentials.name,
          }
        : null,
      pairingError: this.#pairingError,
      branch: config?.branch.name ?? null,
      offers: this.#offers,
      appointments: shownIds.some((id) => {
        const s = config ? own(config.services, id) : undefined;
        return Boolean(s?.appointments && s.enabled);
      }),
      appointmentsClosed: this.#checkInClosed,
      blocked: this.#blocked(),
      printer: { level: printer.level, problem: printer.problem, paperNearEnd: printer.paperNearEnd },
      idleSeconds: this.#settings?.idleSeconds ?? 20,
      prints: this.#prints.map((p) =>
        this.#printView(p.status === 'failed' && this.#unprinted.has(p.ticketId) ? { ...p, canReprint } : p),
      ),
      serverTime: this.#serverTime,
    };
  }

  /** A print with where its ticket is now: the ticket screen follows the ticket, not the paper. */
  #printView(p: Omit<KioskPrint, 'ticket'>): KioskPrint {
    const state = this.#view?.state;
    const t = state?.tickets[p.ticketId];
    // Not in the view yet (the hub's answer can arrive before its event): still waiting.
    const status: KioskPrint['ticket']['status'] = !t
      ? 'waiting'
      : t.status === 'waiting' || t.status === 'called' || t.status === 'serving'
        ? t.status
        : 'ended';
    const counter = t?.counterId && status !== 'waiting' ? state?.config.counters[t.counterId] : undefined;
    return {
      ...p,
      // A called or ended ticket needs no paper any more.
      canReprint: p.canReprint && status === 'waiting',
      ticket: {
        status,
        counter: counter && status !== 'ended' ? { number: counter.number, name: counter.name } : null,
      },
    };
  }

  #blocked(): KioskProblem | null {
    if (this.#phase !== 'ready' || this.#linkStatus === 'revoked') return problem('NOT_PAIRED');
    if (this.#linkStatus === 'offline') return problem('HUB_OFFLINE');
    if (this.#linkStatus === 'connecting' || !this.#view) return problem('CONNECTING');
    return this.#printer.summary.problem;
  }

  /** Pushes the state to the UI once per turn of the event loop, however many things changed. */
  #changed() {
    if (this.#pushQueued || this.#closed) return;
    this.#pushQueued = true;
    queueMicrotask(() => {
      this.#pushQueued = false;
      const state = this.state;
      this.#ui?.broadcast({ type: 'state', state });
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

  // ── pairing and the hub link ──

  async #pairFromOptions(startedAt: number): Promise<void> {
    this.#optionCodeUsed = true;
    const hubUrl = hubAddress(this.#o.hubUrl ?? '') ?? this.#o.hubUrl ?? '';
    const r = await this.#pair(hubUrl, this.#o.pairingCode ?? '', this.#o.name);
    if (r.ok || this.#closed) return;
    // The hub may still be starting (the demo starts everything at once): keep trying while the
    // code can still be valid (10 minutes), unless the hub said the code is wrong.
    if (r.error.code === 'HUB_UNREACHABLE' && Date.now() - startedAt < 10 * 60_000) {
      this.#pairRetry = setTimeout(() => void this.#pairFromOptions(startedAt), 1000);
      this.#pairRetry.unref?.();
    }
  }

  async #pair(hubUrl: string, code: string, name?: string): Promise<KioskAnswer & { ok: boolean }> {
    if (this.#credentials)
      return {
        ok: false,
        error: { kind: 'refused', code: 'ALREADY_PAIRED', message: AGENT_WORDS.alreadyPaired },
      };
    this.#phase = 'pairing';
    this.#pairingHub = hubUrl;
    this.#changed();
    const r = await pairWithHub(hubUrl, code, name ?? this.#o.name ?? `Kiosk ${hostname()}`.slice(0, 64));
    if (this.#closed)
      return { ok: false, error: { kind: 'internal', code: 'CLOSED', message: AGENT_WORDS.internal } };
    if (!r.ok) {
      this.#log.warn({ hubUrl, code: r.code }, 'pairing refused');
      this.#phase = 'unpaired';
      this.#pairingError = r.message;
      this.#changed();
      const kind = r.code === 'HUB_UNREACHABLE' ? 'offline' : 'refused';
      return { ok: false, error: { kind, code: r.code, message: r.message } };
    }
    if (r.credentials.kind !== 'kiosk') {
      this.#phase = 'unpaired';
      this.#pairingError = {
        zh: `此配对码用于${r.credentials.kind}，不是取号机`,
        en: `This pairing code is for a ${r.credentials.kind}, not a kiosk`,
      };
      this.#changed();
      return { ok: false, error: { kind: 'refused', code: 'WRONG_KIND', message: this.#pairingError } };
    }
    this.#store.save(r.credentials);
    this.#log.info({ hubUrl, deviceId: r.credentials.deviceId }, 'paired with the hub');
    this.#pairingError = null;
    this.#startLink(r.credentials);
    return { ok: true };
  }

  #startLink(credentials: DeviceCredentials) {
    this.#credentials = credentials;
    this.#phase = 'ready';
    this.#linkStatus = 'connecting';
    const link = new HubLink({
      credentials,
      logger: this.#log,
      ...(this.#o.reconnect
        ? { minBackoffMs: this.#o.reconnect.minMs, maxBackoffMs: this.#o.reconnect.maxMs }
        : {}),
      ...(this.#o.heartbeatMs ? { heartbeatMs: this.#o.heartbeatMs } : {}),
      onView: (view, applied, cause) => this.#onView(view, applied, cause),
      onStatus: (status) => this.#onStatus(link, status),
    });
    this.#link = link;
    link.start();
    this.#offersTimer = setInterval(() => void this.#refreshOffers(), this.#o.offersRefreshMs ?? 15_000);
    this.#offersTimer.unref?.();
    this.#changed();
  }

  #onStatus(link: HubLink, status: LinkStatus) {
    if (link !== this.#link) return;
    this.#linkStatus = status;
    if (status === 'online') this.#scheduleOffers(0);
    if (status === 'revoked') this.#forget();
    this.#changed();
  }

  /** The hub revoked this kiosk: its token is useless; back to the pairing screen. */
  #forget() {
    this.#log.warn({ deviceId: this.#credentials?.deviceId }, 'revoked by the hub: pairing again is needed');
    this.#link?.stop();
    this.#link = null;
    this.#store.clear();
    this.#credentials = null;
    this.#view = null;
    this.#settings = null;
    this.#offers = [];
    this.#phase = 'unpaired';
    this.#linkStatus = 'connecting';
    this.#pairingError = AGENT_WORDS.revoked;
    if (this.#offersTimer) clearInterval(this.#offersTimer);
    this.#offersTimer = null;
    this.#printer.configure(null);
    // Started with a code (the demo, automation): the hub no longer knows the saved credentials (its
    // data was reset, or an admin revoked them and made a new code), so pair again with it.
    if (this.#o.hubUrl && this.#o.pairingCode && !this.#optionCodeUsed && !this.#closed)
      void this.#pairFromOptions(Date.now());
  }

  #onView(view: BranchView, applied: readonly LoggedEvent[] = [], cause: 'snapshot' | 'events' = 'snapshot') {
    this.#view = view;
    const me = view.hub.devices.find((d) => d.deviceId === this.#credentials?.deviceId);
    const settings = me?.settings.kind === 'kiosk' ? me.settings : null;
    if (settings) {
      const first = this.#settings === null;
      this.#settings = settings;
      this.#printer.configure(settings.printer);
      if (first) this.#reportHealth();
    }
    // A ticket no longer waiting (called, cancelled, a new day) needs no reprint any more.
    for (const id of [...this.#unprinted.keys()]) {
      const t = own(view.state.tickets, id);
      if (t?.status !== 'waiting') {
        this.#unprinted.delete(id);
        this.#reportHealth();
      }
    }
    this.#scheduleOffers(30);
    this.#changed();
    // A snapshot (a fresh start) carries no requests: only those that arrive as events are printed.
    if (cause === 'events') this.#deskPrints(view, applied);
  }

  /**
   * Tickets the floor desk asked this kiosk to print (a VIP or priority customer standing beside it).
   * Printed when the ticket still waits and the request is fresh: a request caught up after a long
   * outage would print for nobody. The outcome goes back to the hub, where the desk sees it.
   */
  #deskPrints(view: BranchView, applied: readonly LoggedEvent[]) {
    const me = this.#credentials?.deviceId;
    const newest = (applied.at(-1)?.event.data as { at?: number } | undefined)?.at ?? 0;
    for (const e of applied) {
      if (e.event.type !== 'TicketPrintRequested' || e.event.data.deviceId !== me) continue;
      const d = e.event.data;
      if (newest - d.at > DESK_PRINT_FRESH_MS) continue;
      const t = view.state.tickets[d.ticketId];
      if (t?.status !== 'waiting') {
        void this.#reportPrint(d.ticketId, false, 'NOT_WAITING');
        continue;
      }
      void this.#printForDesk({ ...t, followUrl: d.followUrl }, d.lang);
    }
  }

  async #printForDesk(t: Ticket & { followUrl: string }, lang: 'zh' | 'en'): Promise<void> {
    const config = this.#view?.state.config;
    if (!config) return;
    const ticket = kioskTicket(t, config);
    const why = await this.#printer.ready();
    if (why) {
      this.#log.warn({ number: ticket.number, code: why.code }, 'desk ticket not printed: printer not ready');
      await this.#reportPrint(ticket.ticketId, false, why.code);
      return;
    }
    this.#log.info({ number: ticket.number }, 'printing a ticket for the desk');
    this.#setPrint(ticket, 'printing', null);
    await this.#print(ticket, lang);
    const p = this.#prints.find((x) => x.ticketId === ticket.ticketId);
    await this.#reportPrint(ticket.ticketId, p?.status === 'printed', p?.problem?.code ?? null);
  }

  async #reportPrint(ticketId: string, ok: boolean, problem: string | null): Promise<void> {
    const link = this.#link;
    if (!link) return;
    try {
      const r = await link.http.send('POST', '/api/v1/devices/print-report', {
        v: 1,
        ticketId,
        ok,
        problem: ok ? null : (problem ?? 'PRINTER_ERROR'),
      });
      if (r.status !== 200) this.#log.warn({ status: r.status, body: r.body }, 'print report refused');
    } catch (e) {
      this.#log.warn({ err: String(e), ticketId }, 'print report not sent (hub unreachable)');
    }
  }

  #scheduleOffers(delayMs: number) {
    if (this.#offersDebounce) return;
    this.#offersDebounce = setTimeout(() => {
      this.#offersDebounce = null;
      void this.#refreshOffers();
    }, delayMs);
  }

  /** The start screen's figures from the hub (its clock decides opening hours). */
  async #refreshOffers(): Promise<void> {
    const link = this.#link;
    if (!link || this.#closed) return;
    if (this.#offersInFlight) {
      this.#offersAgain = true;
      return;
    }
    this.#offersInFlight = true;
    try {
      const r = await link.http.get('/api/v1/offers');
      if (r.status !== 200) {
        this.#log.warn({ status: r.status }, 'offers refused');
        return;
      }
      const parsed = parseWith(hubOffersResponse, r.body);
      if (!parsed.ok) {
        this.#log.warn({ error: parsed.error }, 'offers: unexpected answer');
        return;
      }
      if (link !== this.#link) return;
      this.#offers = kioskOffers(parsed.value.offers, this.#settings?.services ?? []);
      this.#checkInClosed = checkInClosed(parsed.value.offers, this.#settings?.services ?? []);
      this.#serverTime = parsed.value.serverTime;
      this.#changed();
    } catch (e) {
      this.#log.debug({ err: String(e) }, 'offers not refreshed (hub unreachable)');
    } finally {
      this.#offersInFlight = false;
      if (this.#offersAgain) {
        this.#offersAgain = false;
        void this.#refreshOffers();
      }
    }
  }

  #reportHealth() {
    const link = this.#link;
    // Nothing to say before the hub's settings arrived (the printer is not set up yet).
    if (!link || !this.#settings) return;
    let printer: HealthComponent = this.#printer.health;
    if (this.#unprinted.size > 0) {
      // Staff see at once which customers hold no paper ticket.
      const numbers = [...this.#unprinted.values()].map((u) => u.ticket.number);
      const detail = `${printer.detail ?? printer.code}; not printed: ${numbers.join(' ')}`;
      printer = { ...printer, level: 'error', detail: detail.slice(0, 64), reason: notPrinted(numbers) };
    }
    const health = { components: [printer], version: KIOSK_VERSION };
    const json = JSON.stringify(health);
    if (json === this.#healthJson) return;
    this.#healthJson = json;
    link.reportHealth(health);
  }

  // ── tickets ──

  issue(request: Omit<KioskIssueRequest, 'v'>): Promise<KioskTicketAnswer> {
    return this.#once(request.requestId, () =>
      this.#issueTicket(
        { type: 'IssueTicket', data: { serviceId: request.serviceId, class: 'normal' } },
        request.requestId,
        request.lang,
        request.serviceId,
      ),
    );
  }

  checkIn(request: Omit<KioskCheckInRequest, 'v'>): Promise<KioskTicketAnswer> {
    this.#log.info({ via: request.via }, 'appointment check-in');
    return this.#once(request.requestId, () =>
      this.#issueTicket(
        { type: 'CheckInAppointment', data: { code: request.code } },
        request.requestId,
        request.lang,
        null,
      ),
    );
  }

  /** The same request id (a double tap, a UI retry) gets the same answer and never a second ticket. */
  #once(requestId: string, run: () => Promise<KioskTicketAnswer>): Promise<KioskTicketAnswer> {
    const known = this.#answers.get(requestId);
    if (known) return known;
    const p = run();
    this.#answers.set(requestId, p);
    // A refusal before the hub was asked (printer, offline) may be tried again with the same id.
    void p.then((a) => {
      if (!a.ok && a.error.kind !== 'domain') this.#answers.delete(requestId);
    });
    if (this.#answers.size > 500) {
      const oldest = this.#answers.keys().next().value;
      if (oldest !== undefined) this.#answers.delete(oldest);
    }
    return p;
  }

  async #issueTicket(
    command: ClientCommand,
    requestId: string,
    lang: 'zh' | 'en',
    serviceId: string | null,
  ): Promise<KioskTicketAnswer> {
    const link = this.#link;
    const refuse = (error: KioskError): KioskTicketAnswer => ({ ok: false, error });
    const blocked = this.#blocked();
    if (!link || blocked)
      return refuse({
        kind: blocked?.code === 'HUB_OFFLINE' || blocked?.code === 'CONNECTING' ? 'offline' : 'printer',
        code: blocked?.code ?? 'NOT_PAIRED',
        message: (blocked ?? problem('NOT_PAIRED')).message,
      });
    if (serviceId !== null && !this.#offers.some((o) => o.serviceId === serviceId))
      return refuse({ kind: 'input', code: 'UNKNOWN_SERVICE', message: AGENT_WORDS.unknownService });
    // Ask the printer first: a ticket is only issued when it can be printed (as far as anyone can know).
    const printerProblem = await this.#printer.ready();
    if (printerProblem)
      return refuse({ kind: 'printer', code: printerProblem.code, message: printerProblem.message });

    let r: CommandResponse;
    try {
      r = await link.command(command, requestId);
    } catch (e) {
      // Unreachable after the retries (same request id each time): the hub may or may not have it;
      // the customer gets no ticket from us, and a retry of this tap gets the hub's first answer.
      this.#log.warn({ err: String(e), requestId }, 'hub unreachable: no ticket issued');
      return refuse({ kind: 'offline', code: 'HUB_UNREACHABLE', message: AGENT_WORDS.hubUnreachable });
    }
    if (!r.ok) {
      const kind = r.error.kind === 'domain' ? 'domain' : r.error.kind === 'input' ? 'input' : 'refused';
      this.#log.info({ code: r.error.code, requestId }, 'hub refused');
      return refuse({ kind, code: r.error.code, message: r.error.message });
    }
    if (!r.ticket) return refuse({ kind: 'internal', code: 'NO_TICKET', message: AGENT_WORDS.internal });
    const config = this.#view?.state.config;
    if (!config) return refuse({ kind: 'internal', code: 'NO_VIEW', message: AGENT_WORDS.internal });
    const ticket = kioskTicket(r.ticket as Ticket & { followUrl: string }, config);
    this.#log.info({ number: ticket.number, ticketId: ticket.ticketId, requestId }, 'ticket issued');
    const print = this.#setPrint(ticket, 'printing', null);
    void this.#print(ticket, lang);
    return { ok: true, ticket, print };
  }

  #setPrint(t: KioskTicket, status: KioskPrint['status'], why: KioskProblem | null): KioskPrint {
    const p = {
      ticketId: t.ticketId,
      number: t.number,
      status,
      problem: why,
      canReprint: false,
      at: Date.now(),
    };
    this.#prints = [...this.#prints.filter((x) => x.ticketId !== t.ticketId), p].slice(-20);
    this.#changed();
    return this.#printView(p);
  }

  async #print(ticket: KioskTicket, lang: 'zh' | 'en'): Promise<void> {
    const config = this.#view?.state.config;
    if (!config) return;
    const r = await this.#printer.print(printJob(ticket, config.branch, lang));
    if (r.ok) {
      this.#unprinted.delete(ticket.ticketId);
      this.#setPrint(ticket, 'printed', null);
    } else {
      // Never silently lost: the ticket keeps its place, the screen keeps its number and QR code,
      // staff see it in the device health, and it can be reprinted once the printer is fine.
      this.#log.warn(
        { number: ticket.number, code: r.error.code, stage: r.stage, bytesWritten: r.bytesWritten },
        'ticket not printed',
      );
      this.#unprinted.set(ticket.ticketId, { ticket, lang });
      this.#setPrint(ticket, 'failed', printerProblem(r.error));
    }
    this.#reportHealth();
  }

  async reprint(ticketId: string): Promise<KioskAnswer> {
    const u = this.#unprinted.get(ticketId);
    if (!u)
      return { ok: false, error: { kind: 'input', code: 'NOT_FAILED', message: AGENT_WORDS.notFailed } };
    const why = await this.#printer.ready(0);
    if (why) return { ok: false, error: { kind: 'printer', code: why.code, message: why.message } };
    this.#setPrint(u.ticket, 'printing', null);
    await this.#print(u.ticket, u.lang);
    const p = this.#prints.find((x) => x.ticketId === ticketId);
    return p ? { ok: true, print: this.#printView(p) } : { ok: true };
  }

  /** The customer gives up a ticket that did not print: the hub cancels it (`printFailed`). */
  async void(ticketId: string): Promise<KioskAnswer> {
    const u = this.#unprinted.get(ticketId);
    const link = this.#link;
    if (!u)
      return { ok: false, error: { kind: 'input', code: 'NOT_FAILED', message: AGENT_WORDS.notFailed } };
    if (!link)
      return {
        ok: false,
        error: { kind: 'offline', code: 'NOT_PAIRED', message: problem('NOT_PAIRED').message },
      };
    let r: CommandResponse;
    try {
      r = await link.command(
        { type: 'CancelTicket', data: { ticketId, reason: 'printFailed' } },
        `void-${ticketId}`.slice(0, 64),
      );
    } catch {
      return {
        ok: false,
        error: { kind: 'offline', code: 'HUB_UNREACHABLE', message: AGENT_WORDS.hubUnreachable },
      };
    }
    if (!r.ok) {
      return {
        ok: false,
        error: {
          kind: r.error.kind === 'domain' ? 'domain' : 'refused',
          code: r.error.code,
          message: r.error.message,
        },
      };
    }
    this.#unprinted.delete(ticketId);
    this.#log.info({ number: u.ticket.number }, 'unprinted ticket voided (printFailed)');
    const p = this.#setPrint(u.ticket, 'voided', null);
    this.#reportHealth();
    return { ok: true, print: p };
  }

  // ── the UI's local API ──

  #routes(app: FastifyInstance) {
    const bad = (reply: FastifyReply, detail: string) =>
      reply.code(400).send({
        ok: false,
        error: {
          kind: 'input',
          code: 'INVALID_MESSAGE',
          message: { zh: AGENT_WORDS.badRequest.zh, en: detail.slice(0, 300) },
        },
      });
    app.get('/local/state', async () => this.state);
    app.post('/local/issue', async (req, reply) => {
      const b = parseWith(kioskIssueRequest, req.body);
      if (!b.ok) return bad(reply, b.error);
      return this.issue(b.value);
    });
    app.post('/local/check-in', async (req, reply) => {
      const b = parseWith(kioskCheckInRequest, req.body);
      if (!b.ok) return bad(reply, b.error);
      return this.checkIn(b.value);
    });
    app.post('/local/reprint', async (req, reply) => {
      const b = parseWith(kioskTicketRequest, req.body);
      if (!b.ok) return bad(reply, b.error);
      return this.reprint(b.value.ticketId);
    });
    app.post('/local/void', async (req, reply) => {
      const b = parseWith(kioskTicketRequest, req.body);
      if (!b.ok) return bad(reply, b.error);
      return this.void(b.value.ticketId);
    });
    app.post('/local/pair', async (req, reply) => {
      const b = parseWith(kioskPairRequest, req.body);
      if (!b.ok) return bad(reply, b.error);
      const hubUrl = hubAddress(b.value.hubAddress);
      if (!hubUrl)
        return reply.code(400).send({
          ok: false,
          error: {
            kind: 'input',
            code: 'BAD_HUB_ADDRESS',
            message: {
              zh: '服务器地址格式不对，例如 192.168.1.10:8300',
              en: 'Bad hub address, e.g. 192.168.1.10:8300',
            },
          },
        });
      const r = await this.#pair(hubUrl, b.value.code, b.value.name);
      return r.ok ? { ok: true } : r;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pairRetry) clearTimeout(this.#pairRetry);
    if (this.#offersTimer) clearInterval(this.#offersTimer);
    if (this.#offersDebounce) clearTimeout(this.#offersDebounce);
    this.#link?.stop();
    await this.#printer.close();
    await this.#ui?.close();
  }
}
