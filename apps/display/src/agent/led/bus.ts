import { type Logger, silentLogger } from '@nextup/hub-client';
import {
  BusMaster,
  type BusMasterOptions,
  closeBusPort,
  type DeviceStatus,
  type KeyEvent,
  openBusPort,
} from '@nextup/ledbus';
import { describeDeviceError, type HealthComponent, isDeviceError } from '@nextup/protocol';
import { BoardSync, type ShownRecord } from './boards.ts';

/** The line and what is on it, from the display's settings and the branch configuration. */
export interface BusConfig {
  /** Serial device path, e.g. /dev/ttyUSB0 (or one end of a pty pair). */
  port: string;
  baud: number;
  dialect: string;
  /** The boards' brightness, 0–100 % (the settings' `bus.brightness`, default 100). */
  brightness: number;
  boards: number[];
  keypads: number[];
  /** The dialect can address a board's lines (v1); false = whole-board text only (the line dialect). */
  areas: boolean;
}

export type MasterTuning = Partial<
  Pick<
    BusMasterOptions,
    'timeoutMs' | 'retries' | 'pollIntervalMs' | 'silentPingIntervalMs' | 'broadcastGapMs' | 'quietGapMs'
  >
>;

export interface LedBusOptions {
  logger?: Logger;
  /** Called with every board's and keypad's health whenever one changes. */
  onHealth?: (components: HealthComponent[]) => void;
  /**
   * Called when the boards must be given their targets: the bus (re)started, or a board came back
   * (its size may be known only now). The agent answers with `sync.set(…)`.
   */
  onReady?: () => void;
  /** Every key press from a keypad on this bus, once, in order. */
  onKey?: (e: KeyEvent) => void;
  onShown?: (r: ShownRecord) => void;
  /** The bus master's timing (tests use generous timeouts on a loaded machine). */
  master?: MasterTuning;
  /** Retry opening a missing or failed port this often, ms. Default 5000. */
  reopenMs?: number;
  /**
   * Ask boards that answer for their STATUS this often, ms, so that an unplugged board is reported
   * and one that restarted (power lost for a moment) is set right even when no call is sent to it.
   * Default 10000 (the bus master's `checkIntervalMs`).
   */
  boardCheckMs?: number;
  /** Clock for health timestamps. Default Date.now. */
  now?: () => number;
}

/**
 * The display's RS-485 line: opens the port named in the settings, runs the bus master on it (with
 * the keypads polled and every device's health tracked), and keeps the boards in step through a
 * `BoardSync`. Reconfigures when the settings or the branch's addresses change, reopens the port when
 * it goes away (a USB adapter unplugged), and never takes the rest of the display down with it.
 */
export class LedBus {
  readonly #o: LedBusOptions & { logger: Logger; now: () => number };
  #config: BusConfig | null = null;
  /** The configuration that needs the port reopened: everything but the brightness. */
  #key = 'null';
  #port: Awaited<ReturnType<typeof openBusPort>> | null = null;
  #master: BusMaster | null = null;
  #sync: BoardSync | null = null;
  #health: HealthComponent[] = [];
  #codes = new Map<number, string>();
  #timers: NodeJS.Timeout[] = [];
  #generation = 0;
  #closed = false;

  constructor(options: LedBusOptions = {}) {
    this.#o = { ...options, logger: options.logger ?? silentLogger, now: options.now ?? Date.now };
  }

  /** The board syncer while the bus is up (null when there is no bus, or it is not open yet). */
  get sync(): BoardSync | null {
    return this.#sync;
  }

  get master(): BusMaster | null {
    return this.#master;
  }

  get config(): BusConfig | null {
    return this.#config;
  }

  /** What a board said it is (size), once it has answered a ping. */
  statusOf(address: number): DeviceStatus | null {
    return this.#master?.deviceStatus(address) ?? null;
  }

  health(): HealthComponent[] {
    return this.#health;
  }

  /**
   * Switches to this configuration (null = no bus); does nothing when it is the same. A new
   * brightness alone is sent to the boards on the open line, without reopening it.
   */
  async configure(config: BusConfig | null): Promise<void> {
    if (this.#closed) return;
    const key = JSON.stringify(config && { ...config, brightness: undefined });
    if (key === this.#key) {
      if (config && this.#config && config.brightness !== this.#config.brightness) {
        this.#config = config;
        this.#sendBrightness();
      }
      return;
    }
    this.#key = key;
    this.#config = config;
    await this.#teardown();
    const generation = ++this.#generation;
    if (!config) {
      this.#setHealth([]);
      return;
    }
    await this.#open(config, generation);
  }

  async #open(config: BusConfig, generation: number): Promise<void> {
    if (generation !== this.#generation || this.#closed) return;
    let port: Awaited<ReturnType<typeof openBusPort>>;
    try {
      port = await openBusPort({ path: config.port, baudRate: config.baud });
    } catch (e) {
      const detail = isDeviceError(e) ? describeDeviceError(e, 'en') : (e as Error).message;
      this.#o.logger.warn({ port: config.port, err: detail }, 'led bus: cannot open the port; retrying');
      const since = this.#o.now();
      this.#setHealth([
        ...config.boards.map((address) => offline('ledBoard', address, detail, since)),
        ...config.keypads.map((address) => offline('keypad', address, detail, since)),
      ]);
      this.#later(() => void this.#open(config, generation), this.#o.reopenMs ?? 5000);
      return;
    }
    if (generation !== this.#generation || this.#closed) {
      await closeBusPort(port);
      return;
    }
    this.#port = port;
    const master = new BusMaster({
      port,
      dialect: config.dialect,
      boards: config.boards,
      keypads: config.keypads,
      // BoardSync re-sends what a board should show now, which the master cannot know (see
      // boards.ts); the master gives a restarted board back its brightness itself.
      restoreOnRecovery: false,
      checkIntervalMs: this.#o.boardCheckMs ?? 10_000,
      logger: this.#o.logger,
      now: this.#o.now,
      ...this.#o.master,
    });
    this.#master = master;
    master.onHealth((h) => this.#onMasterHealth(h));
    // A board that lost power for a moment and says so (POWER_UP) without ever going silent: it is
    // dark, so it gets its whole target again (a board back from SILENT is handled in the health).
    master.onRestore((address, reason) => {
      if (reason !== 'powerUp' || !this.#sync) return;
      this.#o.logger.info({ board: address }, 'led bus: a board restarted; showing it the current state');
      this.#o.onReady?.();
      this.#sync.invalidate(address);
    });
    if (this.#o.onKey) master.onKey(this.#o.onKey);
    port.once('close', () => {
      if (generation !== this.#generation || this.#closed) return;
      this.#o.logger.warn({ port: config.port }, 'led bus: the port closed; reopening');
      void this.#teardown().then(() => this.#open(config, generation));
    });
    this.#o.logger.info(
      {
        port: config.port,
        baud: config.baud,
        dialect: config.dialect,
        boards: config.boards,
        keypads: config.keypads,
      },
      'led bus: open',
    );
    await master.start();
    if (generation !== this.#generation || this.#closed) return;
    this.#sync = new BoardSync(master, {
      logger: this.#o.logger,
      ...(this.#o.onShown ? { onShown: this.#o.onShown } : {}),
    });
    this.#sendBrightness();
    this.#onMasterHealth(master.health());
    this.#o.onReady?.();
  }

  /**
   * The settings' brightness to every board. The master keeps the level even for a board that does
   * not answer now, and gives it back to one that comes back or restarts.
   */
  #sendBrightness() {
    const master = this.#master;
    const config = this.#config;
    if (!master || !config || !master.dialect.supports.has('brightness')) return;
    for (const address of config.boards)
      void master.brightness(address, config.brightness).catch((e) => {
        this.#o.logger.warn({ address, err: (e as Error).message }, 'led bus: brightness not taken');
      });
  }

  #onMasterHealth(h: HealthComponent[]) {
    const back: number[] = [];
    for (const c of h) {
      if (c.address === null) continue;
      const before = this.#codes.get(c.address);
      if (c.component === 'ledBoard' && c.code === 'OK' && before !== undefined && before !== 'OK')
        back.push(c.address);
      this.#codes.set(c.address, c.code);
    }
    this.#setHealth(h);
    if (back.length > 0 && this.#sync) {
      this.#o.logger.info({ boards: back }, 'led bus: boards back; showing them the current state');
      // The board's size may be known only now: let the agent recompute the targets first.
      this.#o.onReady?.();
      for (const a of back) this.#sync.invalidate(a);
    }
  }

  #setHealth(h: HealthComponent[]) {
    const before = JSON.stringify(this.#health);
    this.#health = h;
    if (JSON.stringify(h) !== before) this.#o.onHealth?.(h);
  }

  #later(fn: () => void, ms: number) {
    const t = setTimeout(() => {
      this.#timers = this.#timers.filter((x) => x !== t);
      fn();
    }, ms);
    this.#timers.push(t);
  }

  async #teardown() {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    this.#sync?.close();
    this.#sync = null;
    const master = this.#master;
    const port = this.#port;
    this.#master = null;
    this.#port = null;
    this.#codes.clear();
    if (master) await master.close();
    if (port) await closeBusPort(port);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#generation++;
    await this.#teardown();
  }
}

function offline(
  component: 'ledBoard' | 'keypad',
  address: number,
  detail: string,
  since: number,
): HealthComponent {
  return { component, address, level: 'error', code: 'OFFLINE', detail: detail.slice(0, 64), since };
}
