/** Where the hub gets the time. Injected so tests (and the demo) can run the branch at 09:00. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that starts at `origin` and runs at `rate` times real speed from there: the demo's branch
 * opens at 08:30 local whatever the hour on the machine, and with `--simulate` a day can pass in an
 * hour. Never used unless configured.
 */
export function shiftedClock(origin: number, base: Clock = systemClock, rate = 1): Clock {
  const startedAt = base.now();
  return { now: () => Math.round(origin + (base.now() - startedAt) * rate) };
}

/**
 * A clock that never reads earlier than `floor`: the time of the log's last event. A hub restarted
 * with a clock behind its own log (a demo clock started again at 08:30, a box whose clock was set
 * back) would stamp new events before old ones, show an old call as the newest and could roll the
 * business day backwards; it holds at the log's last time until its clock catches up instead.
 */
export function notBefore(base: Clock, floor: number): Clock {
  return { now: () => Math.max(base.now(), floor) };
}

/** A clock that only moves when told to (tests). */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: number) {
    this.#t = start;
  }
  now() {
    return this.#t;
  }
  set(t: number) {
    this.#t = t;
  }
  advance(ms: number) {
    this.#t += ms;
  }
}
