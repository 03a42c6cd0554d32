import { type Logger, silentLogger } from '@nextup/hub-client';
import type { BusMaster, Effect } from '@nextup/ledbus';

/** What one area of a board should show. */
export interface AreaTarget {
  /** 0 = the whole board; 1…rows = a line. */
  area: number;
  /** `''` = dark (CLEAR). */
  text: string;
  /**
   * The call this text announces, when it arrived live: the board blinks once per token. A board
   * brought back after a silence or a restart shows the same text without blinking (it is no longer new).
   */
  flash: string | null;
}

export interface BoardTarget {
  address: number;
  areas: AreaTarget[];
}

/** A request a board acknowledged. */
export interface ShownRecord {
  address: number;
  area: number;
  text: string;
  effect: 'static' | 'blink' | 'clear';
  /** performance.now() when the ACK came back. */
  ackAt: number;
}

export interface BoardSyncOptions {
  /** Blinks of a new call before the text stays lit. Default 3. */
  blinkTimes?: number;
  logger?: Logger;
  onShown?: (r: ShownRecord) => void;
}

interface BoardState {
  desired: Map<number, AreaTarget>;
  /** What the board acknowledged, by area; missing = unknown (send it). */
  confirmed: Map<number, string>;
  /** Flash tokens already tried on each area (delivered or not: a call is blinked once or never). */
  flashed: Map<number, string>;
  running: boolean;
  /** The desired state that failed last; not tried again until it changes or the board is back. */
  failedKey: string | null;
}

type Master = Pick<BusMaster, 'show' | 'clear'>;

/**
 * Keeps every board showing what it should: given the targets (computed from the branch state), it
 * sends each board only the areas that differ from what that board last acknowledged, one request at
 * a time per board, always catching up to the latest target (ten calls in a burst cost the boards
 * what changed, not ten full rewrites). A board that does not answer is left alone until its target
 * changes or `invalidate` says it is back, so one dead board does not fill the line with timeouts.
 *
 * This, not the bus master's own re-show, restores a board that comes back: the master knows what
 * the board last acknowledged, but a call made while the board was dark never reached it; we know
 * what it should show now.
 */
export class BoardSync {
  readonly #master: Master;
  readonly #o: { blinkTimes: number; logger: Logger; onShown: ((r: ShownRecord) => void) | undefined };
  readonly #boards = new Map<number, BoardState>();
  readonly #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(master: Master, options: BoardSyncOptions = {}) {
    this.#master = master;
    this.#o = {
      blinkTimes: options.blinkTimes ?? 3,
      logger: options.logger ?? silentLogger,
      onShown: options.onShown,
    };
  }

  #board(address: number): BoardState {
    let b = this.#boards.get(address);
    if (!b) {
      b = { desired: new Map(), confirmed: new Map(), flashed: new Map(), running: false, failedKey: null };
      this.#boards.set(address, b);
    }
    return b;
  }

  /** Sets every board's target and brings the boards in line, in the order given. */
  set(targets: readonly BoardTarget[]): void {
    for (const t of targets) {
      const b = this.#board(t.address);
      b.desired = new Map(t.areas.map((a) => [a.area, a]));
      if (b.failedKey !== null && b.failedKey !== keyOf(b)) b.failedKey = null;
    }
    for (const t of targets) void this.#sync(t.address);
  }

  /**
   * Forgets what a board shows (it lost power, or the box restarted): it is sent its whole target
   * again, without blinking calls it already had.
   */
  invalidate(address: number): void {
    const b = this.#board(address);
    b.confirmed.clear();
    b.failedKey = null;
    for (const a of b.desired.values()) if (a.flash !== null) b.flashed.set(a.area, a.flash);
    void this.#sync(address);
  }

  /** What the board acknowledged on each area (for tests and the health view). */
  confirmed(address: number): ReadonlyMap<number, string> {
    return this.#boards.get(address)?.confirmed ?? new Map();
  }

  /** Resolves when no board has anything left to send (or is waiting for a silent board). */
  idle(): Promise<void> {
    if ([...this.#boards.values()].every((b) => !b.running)) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  close(): void {
    this.#closed = true;
  }

  #next(b: BoardState): AreaTarget | null {
    for (const area of [...b.desired.keys()].sort((x, y) => x - y)) {
      const t = b.desired.get(area)!;
      if (b.confirmed.get(area) !== t.text) return t;
      if (t.flash !== null && b.flashed.get(area) !== t.flash) return t;
    }
    return null;
  }

  async #sync(address: number): Promise<void> {
    const b = this.#board(address);
    if (b.running) return;
    b.running = true;
    try {
      for (;;) {
        if (this.#closed || b.failedKey !== null) break;
        const t = this.#next(b);
        if (!t) break;
        const blink = t.flash !== null && b.flashed.get(t.area) !== t.flash;
        if (t.flash !== null) b.flashed.set(t.area, t.flash);
        const effect: Effect = blink ? { kind: 'blink', times: this.#o.blinkTimes } : { kind: 'static' };
        try {
          if (t.text === '') await this.#master.clear(address, t.area);
          else await this.#master.show(address, t.text, { area: t.area, effect });
        } catch (e) {
          b.confirmed.delete(t.area);
          b.failedKey = keyOf(b);
          this.#o.logger.warn(
            { address, area: t.area, err: (e as Error).message },
            'led: board did not take its text; waiting for it to come back',
          );
          break;
        }
        // Mirror what the board does (led-bus.md §5): the whole area replaces every line; a line
        // replaces a whole-board text.
        if (t.area === 0) b.confirmed.clear();
        else b.confirmed.delete(0);
        b.confirmed.set(t.area, t.text);
        this.#o.onShown?.({
          address,
          area: t.area,
          text: t.text,
          effect: t.text === '' ? 'clear' : blink ? 'blink' : 'static',
          ackAt: performance.now(),
        });
      }
    } finally {
      b.running = false;
      if ([...this.#boards.values()].every((x) => !x.running))
        for (const w of this.#idleWaiters.splice(0)) w();
    }
  }
}

function keyOf(b: BoardState): string {
  return JSON.stringify([...b.desired.values()].map((a) => [a.area, a.text, a.flash]));
}
