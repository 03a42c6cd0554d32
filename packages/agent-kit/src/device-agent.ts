import { join } from 'node:path';
import { type Bilingual, fillBoth } from '@nextup/core';
import { type Logger, silentLogger } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type { DeviceKind, HealthComponent, LocalError, LoggedEvent } from '@nextup/protocol';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { CredentialStore, type DeviceCredentials } from './credentials.ts';
import { hubAddress } from './hub-address.ts';
import { HubLink, type LinkStatus, type ReconnectPolicy } from './hub-link.ts';
import { sendLocalError } from './local-error.ts';
import { type PairOutcome, pairWithHub } from './pair.ts';
import { startUiServer, type UiServer } from './ui-server.ts';
import { KIND_NAMES, LIFECYCLE_WORDS } from './words.ts';

/** How long a pairing code from the command line can still be valid: the hub's codes last 10 min. */
const CODE_LIFETIME_MS = 10 * 60_000;
/** Wait between attempts to pair with a hub that is not answering yet (it may still be starting). */
const PAIR_RETRY_MS = 1000;

/** Where a blank box is in joining its hub, as its pairing screen shows it. */
export interface PairingState {
  /** The hub being (or last) tried, or the one to prefill; null when none is known. */
  hubUrl: string | null;
  /** The name the box pairs under. */
  name: string;
  /** A pairing attempt is under way. */
  busy: boolean;
  /** Why the last attempt failed, or why the box is blank again (revoked). */
  error: { code: string; message: Bilingual } | null;
}

/** A pairing request from the UI, read by the device's own schema. */
export type PairRequestParse =
  | { ok: true; value: { hubUrl: string; code: string; name?: string | undefined } }
  | { ok: false; error: LocalError };

export interface DeviceAgentOptions {
  /** What this box is: a pairing code for another kind of device is refused. */
  kind: DeviceKind;
  /** Folder of `credentials.json`, the one file the lifecycle keeps. */
  dataDir: string;
  /**
   * The hub to pair with at start (with `pairingCode`): nothing then needs to be typed on the box.
   * Saved credentials win, unless they name another hub. Default none: the UI shows the pairing screen.
   */
  hubUrl?: string | null;
  /** The six-digit code an admin created on the hub (with `hubUrl`). Default none. */
  pairingCode?: string | null;
  /** Credentials to use as they are (saved into `dataDir`). Default: those in `dataDir`, if any. */
  credentials?: DeviceCredentials | null;
  /** The name the box pairs under when the request names none. */
  name: string;
  /** The local UI server: the built UI, its interface (default 127.0.0.1) and port (default 0: any free one). */
  ui: { distDir: string; host?: string; port?: number; logger?: FastifyBaseLogger };
  /** The device's own local routes (under `/local/`); `/local/pair` and `/local/stream` are the lifecycle's. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  /** Reads a `POST /local/pair` body (each UI sends its own shape). */
  parsePairRequest: (body: unknown) => PairRequestParse;
  /** What the UI is sent as soon as it connects to `/local/stream` (its current state). */
  message: () => unknown;
  /** The pairing, the credentials or the link's status changed: push the UI's state. */
  onChange?: () => void;
  /** A link to the hub started (after pairing, or at start with saved credentials). */
  onLink?: (link: HubLink) => void;
  /** The link's status changed (before `onChange`). */
  onStatus?: (status: LinkStatus, link: HubLink) => void;
  /** The branch view changed (see `HubLinkOptions.onView`); `link` says whose view (its device id). */
  onView?: (view: BranchView, applied: LoggedEvent[], cause: 'snapshot' | 'events', link: HubLink) => void;
  /** The hub revoked the box: forget what came from it (credentials are already gone). */
  onRevoked?: () => void;
  /** The device's health now; null while there is nothing to say yet. Sent on `reportHealth()`. */
  health?: () => HealthComponent[] | null;
  /** The software version sent with the health. */
  version: string;
  /** The hub stream's reconnect back-off. Defaults 250 and 5000 ms. */
  reconnect?: ReconnectPolicy;
  /** Re-send unchanged health this often (the hub's "alive" signal), ms. Default 30000. */
  heartbeatMs?: number;
  logger?: Logger;
}

export interface DeviceAgent {
  /** The UI's address: open it in the Electron shell or Chromium. */
  readonly url: string;
  readonly port: number;
  readonly ui: UiServer;
  /** The box's credentials, or null while it is not paired. */
  readonly credentials: DeviceCredentials | null;
  /** The live hub link, or null while not paired. */
  readonly link: HubLink | null;
  /** The link's status ('connecting' while there is no link). */
  readonly status: LinkStatus;
  readonly pairing: PairingState;
  /** Pairs with the hub (what the pairing screen does). */
  pair(hubUrl: string, code: string, name?: string): Promise<PairOutcome>;
  /** The device's health changed: it reaches the hub now (or with the next heartbeat). */
  reportHealth(): void;
  /** Sends a message to every connected UI. */
  broadcast(message: unknown): void;
  /** Stops the link, then `beforeUiClose` (the device's own hardware), then the UI server. */
  close(beforeUiClose?: () => Promise<void> | void): Promise<void>;
}

/**
 * One device's lifecycle, the same for every kind of box: the local UI server, pairing (at start with
 * a code from the command line, or from the pairing screen via `POST /local/pair`), the credentials
 * file, the hub link with its reconnect policy, health reporting, and revocation (back to a blank
 * box, pairing again with the start's code if it was not used yet). The device adds its own routes,
 * its view of the branch and its health.
 */
export async function startDeviceAgent(options: DeviceAgentOptions): Promise<DeviceAgent> {
  const log = options.logger ?? silentLogger;
  const store = new CredentialStore(join(options.dataDir, 'credentials.json'));
  const wanted =
    options.hubUrl && options.pairingCode ? (hubAddress(options.hubUrl) ?? options.hubUrl) : null;
  let credentials: DeviceCredentials | null = null;
  let link: HubLink | null = null;
  let pairing: PairingState = {
    hubUrl: options.hubUrl ?? null,
    name: options.name,
    busy: false,
    error: null,
  };
  let closed = false;
  let pairRetry: ReturnType<typeof setTimeout> | null = null;
  /** Whether the start's pairing code was tried in this run (a code works once). */
  let startCodeUsed = false;
  const changed = () => {
    if (!closed) options.onChange?.();
  };

  function reportHealth() {
    const components = options.health?.();
    if (!link || !components) return;
    link.reportHealth({ components: components.slice(0, 64), version: options.version });
  }

  function startLink(c: DeviceCredentials) {
    credentials = c;
    const started: HubLink = new HubLink({
      credentials: c,
      logger: log,
      ...(options.reconnect ? { reconnect: options.reconnect } : {}),
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      onView: (view, applied, cause) => options.onView?.(view, applied, cause, started),
      onStatus: (status) => {
        if (started !== link) return;
        if (status === 'revoked') forget();
        options.onStatus?.(status, started);
        changed();
      },
    });
    link = started;
    started.start();
    options.onLink?.(started);
    reportHealth();
    changed();
  }

  /** The hub revoked this box: its token is useless; back to the pairing screen. */
  function forget() {
    log.warn({ deviceId: credentials?.deviceId }, 'revoked by the hub: pairing again is needed');
    link?.stop();
    link = null;
    store.clear();
    credentials = null;
    pairing = {
      ...pairing,
      busy: false,
      error: {
        code: 'REVOKED',
        message: fillBoth(LIFECYCLE_WORDS.revoked, { kind: KIND_NAMES[options.kind] }),
      },
    };
    options.onRevoked?.();
    // Started with a code (the demo, automation): the hub no longer knows the saved credentials (its
    // data was reset, or an admin revoked them and made a new code), so pair again with it.
    if (wanted !== null && !startCodeUsed && !closed) void pairFromStart(Date.now());
  }

  async function pair(hubUrl: string, code: string, name?: string): Promise<PairOutcome> {
    const deviceName = name ?? options.name;
    if (credentials)
      return {
        ok: false,
        code: 'ALREADY_PAIRED',
        message: fillBoth(LIFECYCLE_WORDS.alreadyPaired, { kind: KIND_NAMES[options.kind] }),
      };
    pairing = { hubUrl, name: deviceName, busy: true, error: null };
    changed();
    const r = await pairWithHub(hubUrl, code, deviceName, options.kind);
    if (closed) return { ok: false, code: 'CLOSED', message: LIFECYCLE_WORDS.closed };
    if (!r.ok) {
      log.warn({ hubUrl, code: r.code }, 'pairing refused');
      pairing = { ...pairing, busy: false, error: { code: r.code, message: r.message } };
      changed();
      return r;
    }
    store.save(r.credentials);
    log.info({ hubUrl, deviceId: r.credentials.deviceId }, 'paired with the hub');
    pairing = { ...pairing, busy: false, error: null };
    startLink(r.credentials);
    return r;
  }

  /** Pairs with the start's hub and code; retries while the hub does not answer and the code can be valid. */
  async function pairFromStart(startedAt: number): Promise<void> {
    startCodeUsed = true;
    const r = await pair(wanted ?? '', options.pairingCode ?? '');
    if (r.ok || closed) return;
    // The hub may still be starting (the demo starts everything at once): keep trying while the
    // code can still be valid, unless the hub said the code is wrong.
    if (r.code === 'HUB_UNREACHABLE' && Date.now() - startedAt < CODE_LIFETIME_MS) {
      pairRetry = setTimeout(() => void pairFromStart(startedAt), PAIR_RETRY_MS);
      pairRetry.unref?.();
    }
  }

  const ui = await startUiServer({
    distDir: options.ui.distDir,
    host: options.ui.host ?? '127.0.0.1',
    port: options.ui.port ?? 0,
    ...(options.ui.logger ? { logger: options.ui.logger } : {}),
    initialMessage: options.message,
    routes: async (app) => {
      app.post('/local/pair', async (req, reply) => {
        const b = options.parsePairRequest(req.body);
        if (!b.ok) return sendLocalError(reply, 400, b.error);
        if (credentials)
          return sendLocalError(reply, 409, {
            kind: 'refused',
            code: 'ALREADY_PAIRED',
            message: fillBoth(LIFECYCLE_WORDS.alreadyPaired, { kind: KIND_NAMES[options.kind] }),
          });
        const r = await pair(b.value.hubUrl, b.value.code, b.value.name);
        if (r.ok) return { ok: true };
        const kind = r.code === 'HUB_UNREACHABLE' ? 'offline' : r.code === 'CLOSED' ? 'internal' : 'refused';
        return { ok: false, error: { kind, code: r.code, message: r.message } };
      });
      await options.routes?.(app);
    },
  });
  log.info({ url: ui.url, kind: options.kind }, 'UI served');

  if (options.credentials) {
    store.save(options.credentials);
    startLink(options.credentials);
  } else {
    const saved = store.load();
    // Saved credentials win, unless the command line names another hub with a fresh code.
    if (saved && (wanted === null || saved.hubUrl === wanted)) startLink(saved);
    else if (wanted !== null) {
      pairing = { ...pairing, hubUrl: wanted };
      // The first attempt is awaited: a reachable hub has paired the box when the start resolves.
      await pairFromStart(Date.now());
    } else log.info({}, 'not paired: waiting for the pairing screen');
  }

  return {
    url: ui.url,
    port: ui.port,
    ui,
    get credentials() {
      return credentials;
    },
    get link() {
      return link;
    },
    get status() {
      return link?.status ?? 'connecting';
    },
    get pairing() {
      return pairing;
    },
    pair,
    reportHealth,
    broadcast: (message) => ui.broadcast(message),
    async close(beforeUiClose) {
      if (closed) return;
      closed = true;
      if (pairRetry) clearTimeout(pairRetry);
      link?.stop();
      await beforeUiClose?.();
      await ui.close();
    },
  };
}
