/**
 * A sliding-window counter of failures per key (IP, username): after `limit` failures within
 * `windowMs`, the key is blocked until the oldest failure leaves the window. In memory: a restart
 * forgets, which costs an attacker a restart per window, not a bypass.
 */
export class FailureLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  #recent(key: string, now: number): number[] {
    const list = (this.#failures.get(key) ?? []).filter((t) => now - t < this.#windowMs);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedFor(key: string, now: number): number {
    const list = this.#recent(key, now);
    if (list.length < this.#limit) return 0;
    return this.#windowMs - (now - list[list.length - this.#limit]!);
  }

  fail(key: string, now: number): void {
    this.#failures.set(key, [...this.#recent(key, now), now]);
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }
}
