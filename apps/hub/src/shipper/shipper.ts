import { readFileSync } from 'node:fs';
import {
  branchMark,
  CentralError,
  classifyError,
  connectCentral,
  encodeBatch,
  redactUrl,
  SCHEMA_VERSION,
  schemaVersion,
  shipBatch,
} from '@nextup/central';
import type { Bilingual } from '@nextup/core';
import type { ShipperCode, ShipperStatus } from '@nextup/protocol';
import type { HubService } from '../hub.ts';
import { SHIPPER_LEVEL, shipperHealthCode } from '../hub-decide.ts';
import type { Logger } from '../logger.ts';

const HUB_VERSION = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return `nextup-hub ${pkg.version ?? '?'}`;
  } catch {
    return 'nextup-hub';
  }
})();

/** How the shipper paces itself. Every field is optional; the defaults suit a branch on a WAN link. */
export interface ShipperTuning {
  /**
   * Events per batch (one round trip). Default 250: about 1.5 ms of SQLite and JSON on the hub's
   * thread per batch (measured in `scripts/bench/central.bench.ts`); a week's backlog of a busy
   * branch is still only ~60 batches.
   */
  batchSize?: number;
  /** While caught up, look for new events this often, ms. Default 1000. */
  pollMs?: number;
  /** While caught up and quiet, tell the store we are alive this often, ms. Default 60 000. */
  heartbeatMs?: number;
  /** First back-off after a failure, ms; it doubles per failure, with jitter. Default 1000. */
  backoffInitialMs?: number;
  /** Back-off cap, ms; also the retry interval for errors a person must fix. Default 60 000. */
  backoffMaxMs?: number;
  /** LAGGING when the oldest unshipped event is older than this, seconds; OK again below half. Default 120. */
  laggingAfterSeconds?: number;
  /** OFFLINE once the store has been unreachable this long, ms (a blip does not flap the health). Default 15 000. */
  offlineAfterMs?: number;
  /** Connect timeout, ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** One batch's timeout (client side and statement_timeout), ms. Default 60 000. */
  queryTimeoutMs?: number;
  /** Record a `DeviceHealthReported` event when the code changes. Default true. */
  recordHealth?: boolean;
  /** Jitter source, [0, 1). Default Math.random. */
  random?: () => number;
}

export interface ShipperOptions extends ShipperTuning {
  hub: HubService;
  /** postgres://… of the central store. */
  centralUrl: string;
  /** This branch's id in the store. */
  branchId: string;
  /** Default the hub's logger. */
  logger?: Logger;
}

const MESSAGES: Record<ShipperCode, Bilingual> = {
  OK: { zh: '事件已同步到中央库', en: 'Events are reaching the central store' },
  LAGGING: { zh: '正在补传积压的事件', en: 'Catching up on a backlog of events' },
  OFFLINE: {
    zh: '无法连接中央库（网点业务不受影响）',
    en: 'Central store unreachable (the branch works on)',
  },
  ERROR: { zh: '中央库拒绝了事件，需要处理', en: 'The central store refused the events: needs attention' },
};

const ERROR_MESSAGES: Partial<Record<CentralError['code'], Bilingual>> = {
  AUTH: {
    zh: '中央库登录失败：请检查地址中的用户名和密码',
    en: 'Central store login failed: check the URL’s user and password',
  },
  SCHEMA_MISSING: {
    zh: '中央库尚未初始化：请运行 central migrate',
    en: 'Central store not set up: run central migrate',
  },
  SCHEMA_OUTDATED: {
    zh: '中央库结构过旧：请运行 central migrate',
    en: 'Central store schema is old: run central migrate',
  },
  SCHEMA_NEWER: {
    zh: '中央库结构比本枢纽新：请升级枢纽',
    en: 'Central store schema is newer: upgrade the hub',
  },
  BRANCH_CLAIMED: { zh: '此网点编号已被另一台枢纽使用', en: 'This branch id is used by another hub' },
  DIVERGED: {
    zh: '中央库中的记录与本枢纽日志不一致',
    en: 'The central store’s copy differs from this hub’s log',
  },
};

/**
 * Ships the hub's event log to the central PostgreSQL store, off the request path.
 *
 * - Idempotent: every batch goes through `nextup.ship_batch`, which skips what is stored and refuses
 *   a gap, so a retried or replayed batch adds nothing.
 * - Resumes from the store: on every (re)connection the cursor is the store's high-water mark for
 *   this branch, never a local cursor alone; every batch's answer moves it.
 * - Never blocks the branch: one batch (`batchSize` events, read from SQLite and encoded in a few ms)
 *   per turn of the event loop, the network wait is asynchronous, and a connection error only ever
 *   reaches this loop (the pg client's `error` event is handled).
 * - Backs off while the WAN is down: exponential with equal jitter, capped; errors a person must fix
 *   (login, schema, branch id taken) are retried at the cap.
 * - Reports lag as health: `status()` for `GET /api/v1/admin/shipper`, and a `DeviceHealthReported`
 *   event (the hub's id as the device, one `shipper` component) whenever the code changes.
 */
export class Shipper {
  readonly #hub: HubService;
  readonly #url: string;
  readonly #branchId: string;
  readonly #logger: Logger;
  readonly #t: Required<ShipperTuning>;

  #client: Awaited<ReturnType<typeof connectCentral>> | null = null;
  #cursor: number | null = null;
  #loop: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;

  #code: ShipperCode | null = null;
  #since: number | null = null;
  #error: CentralError | null = null;
  #failures = 0;
  #failingSince: number | null = null;
  #nextAttemptAt: number | null = null;
  #lastContactAt: number | null = null;
  #lastContactWall = 0;
  #shipped = 0;
  #batches = 0;
  #maxSyncMs = 0;
  readonly #syncMs: number[] = [];

  constructor(options: ShipperOptions) {
    if (!/^postgres(ql)?:\/\//.test(options.centralUrl))
      throw new TypeError(
        `centralUrl must be a postgres:// URL, got ${JSON.stringify(redactUrl(options.centralUrl))}`,
      );
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(options.branchId))
      throw new TypeError(
        `branchId must be 1–64 of letters, digits, _ . : -; got ${JSON.stringify(options.branchId)}`,
      );
    this.#hub = options.hub;
    this.#url = options.centralUrl;
    this.#branchId = options.branchId;
    this.#logger = options.logger ?? options.hub.logger;
    this.#t = {
      batchSize: options.batchSize ?? 250,
      pollMs: options.pollMs ?? 1000,
      heartbeatMs: options.heartbeatMs ?? 60_000,
      backoffInitialMs: options.backoffInitialMs ?? 1000,
      backoffMaxMs: options.backoffMaxMs ?? 60_000,
      laggingAfterSeconds: options.laggingAfterSeconds ?? 120,
      offlineAfterMs: options.offlineAfterMs ?? 15_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      queryTimeoutMs: options.queryTimeoutMs ?? 60_000,
      recordHealth: options.recordHealth ?? true,
      random: options.random ?? Math.random,
    };
    if (!(this.#t.batchSize >= 1 && this.#t.batchSize <= 5000))
      throw new TypeError(`batchSize must be 1–5000, got ${this.#t.batchSize}`);
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#cursor = null; // learnt from the store at the first contact, never assumed
    this.#logger.info({ branchId: this.#branchId, central: redactUrl(this.#url) }, 'central shipper started');
    this.#loop = this.#run();
  }

  /** Stops the loop, cutting an in-flight batch (it is idempotent: the next start resends it). */
  async stop(): Promise<void> {
    if (!this.#loop) return;
    this.#stopping = true;
    this.#wake?.();
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
    await this.#loop;
    this.#loop = null;
  }

  /** Shipped up to here according to the store, as last heard; null before the first contact. */
  get highWater(): number | null {
    return this.#cursor;
  }

  status(): ShipperStatus {
    const { lagEvents, lagSeconds } = this.#lag();
    const message =
      this.#code === null
        ? null
        : this.#code === 'ERROR' && this.#error && ERROR_MESSAGES[this.#error.code]
          ? ERROR_MESSAGES[this.#error.code]!
          : MESSAGES[this.#code];
    return {
      enabled: true,
      branchId: this.#branchId,
      central: redactUrl(this.#url),
      code: this.#code,
      level: this.#code ? SHIPPER_LEVEL[this.#code] : null,
      message,
      errorCode: this.#error?.code ?? null,
      since: this.#since,
      head: this.#hub.head,
      highWater: this.#cursor,
      lagEvents,
      lagSeconds,
      lastContactAt: this.#lastContactAt,
      nextAttemptAt: this.#nextAttemptAt,
      failures: this.#failures,
      shipped: this.#shipped,
      batches: this.#batches,
    };
  }

  /** The longest synchronous stretch one batch took on the hub's thread (read + encode), ms. */
  get maxSyncMs(): number {
    return this.#maxSyncMs;
  }

  /** The synchronous stretch of each of the last 1000 batches, ms (benchmarks). */
  get syncTimesMs(): readonly number[] {
    return this.#syncMs;
  }

  #lag(): { lagEvents: number; lagSeconds: number } {
    const head = this.#hub.head;
    const cursor = this.#cursor ?? 0;
    if (cursor >= head) return { lagEvents: 0, lagSeconds: 0 };
    const oldest = this.#hub.log.readAfter(cursor, 1)[0];
    const at = oldest ? (oldest.event.data as { at: number }).at : this.#hub.clock.now();
    return { lagEvents: head - cursor, lagSeconds: Math.max(0, (this.#hub.clock.now() - at) / 1000) };
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        if (!this.#client) await this.#connect();
        const moved = await this.#step();
        this.#failures = 0;
        this.#failingSince = null;
        this.#nextAttemptAt = null;
        this.#error = null;
        this.#assess();
        // Caught up: wait for events. Otherwise give the hub's requests a turn before the next batch.
        await (moved ? new Promise<void>((r) => setImmediate(r)) : this.#sleep(this.#t.pollMs));
      } catch (e) {
        if (this.#stopping) break;
        const err = classifyError(e);
        const client = this.#client;
        this.#client = null;
        client?.end().catch(() => {});
        this.#failures++;
        this.#failingSince ??= Date.now();
        this.#error = err;
        const delay = this.#backoff(err);
        this.#nextAttemptAt = this.#hub.clock.now() + delay;
        this.#assess();
        const log = this.#failures === 1 || this.#failures % 10 === 0 ? 'warn' : 'debug';
        this.#logger[log](
          { code: err.code, failures: this.#failures, retryInMs: Math.round(delay), err: err.message },
          'central shipper: attempt failed',
        );
        await this.#sleep(delay);
      }
    }
  }

  /** Connects, checks the schema, and takes the cursor from the store's high-water mark. */
  async #connect(): Promise<void> {
    const client = await connectCentral(this.#url, {
      connectTimeoutMs: this.#t.connectTimeoutMs,
      queryTimeoutMs: this.#t.queryTimeoutMs,
      applicationName: `nextup-hub ${this.#branchId}`,
    });
    this.#client = client;
    const version = await schemaVersion(client);
    if (version === 0)
      throw new CentralError('SCHEMA_MISSING', 'the central store has no Nextup schema: run central migrate');
    if (version < SCHEMA_VERSION)
      throw new CentralError(
        'SCHEMA_OUTDATED',
        `the central store is at version ${version}, the hub needs ${SCHEMA_VERSION}`,
      );
    const mark = await branchMark(client, this.#branchId);
    if (mark && mark.hubId !== this.#hub.hubId)
      throw new CentralError('BRANCH_CLAIMED', `branch ${this.#branchId} is shipped by hub ${mark.hubId}`);
    const highWater = mark?.highWater ?? 0;
    // The store must hold a prefix of *this* log: the same event at its high-water mark.
    if (highWater > this.#hub.head)
      throw new CentralError(
        'DIVERGED',
        `the store holds ${highWater} events of branch ${this.#branchId}, this hub's log only ${this.#hub.head}`,
      );
    if (mark && highWater > 0) {
      const local = this.#hub.log.readAfter(highWater - 1, 1)[0];
      const localAt = local ? (local.event.data as { at: number }).at : null;
      if (local?.seq !== highWater || localAt !== mark.highWaterAt)
        throw new CentralError(
          'DIVERGED',
          `event ${highWater} in the store is not this hub's event ${highWater}`,
        );
    }
    this.#cursor = highWater;
    this.#contact();
    this.#logger.info(
      { branchId: this.#branchId, highWater, head: this.#hub.head },
      'central shipper connected',
    );
  }

  /** Sends one batch (or a heartbeat when due). Returns whether events moved. */
  async #step(): Promise<boolean> {
    const client = this.#client!;
    const head = this.#hub.head;
    const cursor = this.#cursor ?? 0;
    const timeZone = this.#hub.view.state.config.branch.timeZone;
    const base = { branchId: this.#branchId, hubId: this.#hub.hubId, timeZone, hubHead: head };
    if (cursor < head) {
      const t0 = performance.now();
      const events = this.#hub.log.readAfter(cursor, this.#t.batchSize);
      const encoded = encodeBatch(events);
      const took = performance.now() - t0;
      this.#maxSyncMs = Math.max(this.#maxSyncMs, took);
      if (this.#syncMs.push(took) > 1000) this.#syncMs.shift();
      const r = await shipBatch(client, { ...base, events }, encoded);
      this.#cursor = r.highWater;
      this.#shipped += r.inserted;
      this.#batches++;
      this.#contact();
      return true;
    }
    if (Date.now() - this.#lastContactWall >= this.#t.heartbeatMs) {
      const r = await shipBatch(client, { ...base, events: [] }, { json: '[]', months: [] });
      this.#cursor = r.highWater;
      this.#contact();
    }
    return false;
  }

  #contact() {
    this.#lastContactAt = this.#hub.clock.now();
    this.#lastContactWall = Date.now();
  }

  #backoff(err: CentralError): number {
    const { backoffInitialMs: initial, backoffMaxMs: max } = this.#t;
    if (err.code === 'GAP') return Math.min(initial, max) / 2; // our cursor was stale: re-read the mark
    if (err.code !== 'UNREACHABLE' && err.code !== 'QUERY') return max;
    const ceiling = Math.min(max, initial * 2 ** Math.min(this.#failures - 1, 30));
    return ceiling / 2 + (this.#t.random() * ceiling) / 2;
  }

  /** Judges the health code from the last outcome and the lag (`hub-decide.ts`); records a change. */
  #assess(): void {
    const err = this.#error;
    const code = shipperHealthCode({
      previous: this.#code,
      errorCode: err?.code ?? null,
      // The wall clock: how long the WAN has been down is real time, whatever the hub's clock says.
      failingForMs: this.#failingSince === null ? null : Date.now() - this.#failingSince,
      lagSeconds: this.#lag().lagSeconds,
      laggingAfterSeconds: this.#t.laggingAfterSeconds,
      offlineAfterMs: this.#t.offlineAfterMs,
    });
    if (code === null || code === this.#code) return;
    const previous = this.#code;
    this.#code = code;
    this.#since = this.#hub.clock.now();
    const { lagEvents, lagSeconds } = this.#lag();
    this.#logger[code === 'OK' ? 'info' : 'warn'](
      { from: previous, to: code, lagEvents, lagSeconds: Math.round(lagSeconds), error: err?.code },
      'central shipper health changed',
    );
    if (!this.#t.recordHealth) return;
    const d = this.#hub.decideHub({
      type: 'ReportShipperHealth',
      data: {
        hubId: this.#hub.hubId,
        previous,
        code,
        errorCode: err?.code ?? null,
        lagEvents,
        lagSeconds,
        version: HUB_VERSION,
        at: this.#since,
      },
    });
    if (!d.ok) return;
    try {
      this.#hub.record({ kind: 'system' }, d.events);
    } catch (e) {
      // The hub's disk refused the event: the hub reports that itself; the shipper goes on.
      this.#logger.error({ err: e }, 'central shipper: cannot record its health');
    }
  }

  /** Waits `ms` or until stop() wakes it. */
  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}

/** What `GET /api/v1/admin/shipper` answers when shipping is not configured. */
export function disabledShipperStatus(head: number): ShipperStatus {
  return {
    enabled: false,
    branchId: null,
    central: null,
    code: null,
    level: null,
    message: null,
    errorCode: null,
    since: null,
    head,
    highWater: null,
    lagEvents: 0,
    lagSeconds: 0,
    lastContactAt: null,
    nextAttemptAt: null,
    failures: 0,
    shipped: 0,
    batches: 0,
  };
}
