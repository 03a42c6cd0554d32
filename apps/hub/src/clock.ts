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
