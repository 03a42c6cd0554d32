/** Where the hub gets the time. Injected so tests (and the demo) can run the branch at 09:00. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that starts at `origin` and runs at real speed from there: the demo's branch opens at
 * 09:00 local whatever the hour on the machine. Never used unless configured.
 */
export function shiftedClock(origin: number, base: Clock = systemClock): Clock {
  const startedAt = base.now();
  return { now: () => origin + (base.now() - startedAt) };
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
