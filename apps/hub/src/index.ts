import { join } from 'node:path';
import type { BranchConfig } from '@nextup/core';
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { type Clock, notBefore, shiftedClock, systemClock } from './clock.ts';
import { DEFAULT_DATA_DIR, lanAddress } from './config.ts';
import { type AppOptions, buildApp } from './http/app.ts';
import { HubService } from './hub.ts';
import { IdentityService } from './identity.ts';
import { createLogger } from './logger.ts';
import { registerShipperRoutes } from './shipper/routes.ts';
import { Shipper, type ShipperTuning } from './shipper/shipper.ts';
import { openDatabase } from './store/db.ts';
import { EventLog } from './store/event-log.ts';

export type { Clock } from './clock.ts';
export { ManualClock, notBefore, shiftedClock, systemClock } from './clock.ts';
export type { HubConfig } from './config.ts';
export { ConfigError, DEFAULT_DATA_DIR, DEFAULT_PORT, loadHubConfig } from './config.ts';
export type { RouteContext } from './http/app.ts';
export { SESSION_COOKIE } from './http/app.ts';
export { errorBody, HubService, REPLAY_LIMIT } from './hub.ts';
export { IdentityService } from './identity.ts';
export { createLogger } from './logger.ts';
export type { Principal } from './principal.ts';
export type { ShipperOptions, ShipperTuning } from './shipper/shipper.ts';
export { Shipper } from './shipper/shipper.ts';
export { openDatabase } from './store/db.ts';
export { EventLog } from './store/event-log.ts';

export interface StartHubOptions {
  /** Data folder (SQLite file `hub.sqlite` inside). Default apps/hub/data. */
  dataDir?: string;
  /** Port; 0 picks a free one. Default 8300. */
  port?: number;
  /** Default 0.0.0.0. */
  host?: string;
  /** Default http://<LAN address>:<port>. */
  publicUrl?: string | null;
  /** Default the system clock (or `timeOrigin`). */
  clock?: Clock;
  /**
   * ISO instant the hub's clock starts at (demo). A restart continues from the log's last time when
   * that is later: the clock never runs backwards over the log.
   */
  timeOrigin?: string | null;
  /** With `timeOrigin`: hub seconds per real second. Default 1. */
  timeRate?: number;
  logger?: pino.Logger;
  logLevel?: string;
  initialConfig?: BranchConfig;
  setupTokenFile?: string | null;
  snapshotEvery?: number;
  sessionHours?: number;
  pairingCodeMinutes?: number;
  secureCookies?: boolean;
  offlineAfterSeconds?: number;
  extend?: AppOptions['extend'];
  /** PostgreSQL URL of the bank's central store; with `branchId`, the hub ships its log there. Default none: off. */
  centralUrl?: string | null;
  /** This branch's id in the central store. Default none: off. */
  branchId?: string | null;
  /** The shipper's pacing (batch size, back-off, thresholds); defaults in `ShipperTuning`. */
  shipper?: ShipperTuning;
}

export interface RunningHub {
  url: string;
  port: number;
  hub: HubService;
  identity: IdentityService;
  app: FastifyInstance;
  /** The first-run setup token, when the hub has no staff yet. */
  setupToken: string | null;
  /** The central shipper, when `centralUrl` and `branchId` are set. */
  shipper: Shipper | null;
  close(): Promise<void>;
}

/** Opens the data folder, loads the log, and serves the API. */
export async function startHub(options: StartHubOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const db = openDatabase(join(dataDir, 'hub.sqlite'));
  // The hub's own clock (not an injected one) never runs behind its log: a demo clock started again
  // continues from the log's last time, and a system clock set back holds until it catches up.
  const lastAt = new EventLog(db).lastAt() ?? Number.NEGATIVE_INFINITY;
  const clock =
    options.clock ??
    notBefore(
      options.timeOrigin
        ? shiftedClock(Math.max(Date.parse(options.timeOrigin), lastAt), systemClock, options.timeRate ?? 1)
        : systemClock,
      lastAt,
    );
  if (!options.clock && !options.timeOrigin && systemClock.now() < lastAt)
    logger.warn(
      { lastEventAt: new Date(lastAt).toISOString() },
      "the system clock is behind the hub's log: times hold at the log's last event until it catches up",
    );
  const port = options.port ?? 8300;
  // The public URL may need the bound port (port 0): fixed up after listen.
  let publicUrl = options.publicUrl ?? null;
  const hub = new HubService({
    db,
    clock,
    logger,
    publicUrl: publicUrl ?? `http://${lanAddress()}:${port}`,
    ...(options.initialConfig ? { initialConfig: options.initialConfig } : {}),
    ...(options.snapshotEvery ? { snapshotEvery: options.snapshotEvery } : {}),
  });
  const identity = new IdentityService(hub, {
    ...(options.sessionHours ? { sessionHours: options.sessionHours } : {}),
    ...(options.pairingCodeMinutes ? { pairingCodeMinutes: options.pairingCodeMinutes } : {}),
    setupTokenFile: options.setupTokenFile ?? null,
  });
  let shipper: Shipper | null = null;
  const app = await buildApp({
    hub,
    identity,
    logger,
    ...(options.secureCookies !== undefined ? { secureCookies: options.secureCookies } : {}),
    ...(options.offlineAfterSeconds !== undefined
      ? { offlineAfterSeconds: options.offlineAfterSeconds }
      : {}),
    extend: async (a, ctx) => {
      registerShipperRoutes(a, ctx, () => shipper);
      await options.extend?.(a, ctx);
    },
  });
  const address = await app.listen({ port, host: options.host ?? '0.0.0.0' });
  const boundPort = Number(new URL(address).port);
  if (!publicUrl) {
    publicUrl = `http://${lanAddress()}:${boundPort}`;
    hub.setPublicUrl(publicUrl);
  }
  hub.rollIfNewDay();
  const setupToken = identity.issueSetupToken();
  const timer = setInterval(() => {
    try {
      hub.rollIfNewDay();
      hub.identities.pruneSessions(clock.now());
      hub.identities.pruneResponses(clock.now() - 7 * 24 * 3600_000);
    } catch (e) {
      logger.error({ err: e }, 'housekeeping failed');
    }
  }, 30_000);
  timer.unref();
  if (options.centralUrl && options.branchId) {
    shipper = new Shipper({
      hub,
      centralUrl: options.centralUrl,
      branchId: options.branchId,
      ...options.shipper,
    });
    shipper.start();
  }
  logger.info(
    { port: boundPort, publicUrl, dataDir, hubId: hub.hubId, seq: hub.head },
    `hub listening on ${publicUrl}`,
  );
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    hub,
    identity,
    app,
    setupToken,
    shipper,
    close() {
      closed ??= (async () => {
        clearInterval(timer);
        await shipper?.stop();
        await app.close();
        hub.snapshot();
        db.close();
      })();
      return closed;
    },
  };
}
