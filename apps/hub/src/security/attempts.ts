/**
 * Failed attempts per key (a source address, an account, an account from one address) with
 * exponential backoff. In memory: a restart forgets, which costs an attacker a restart per window, not
 * a bypass.
 *
 * Two rules make it hold under attack:
 * - An attempt is **reserved before** the slow check it guards (scrypt takes tens of milliseconds):
 *   it counts as a failure from the moment it starts, and is released only if it succeeds. Parallel
 *   requests therefore cannot all pass the check before any failure is counted (issue 15, defect 3).
 * - Keys are narrow: a caller that fails blocks its own key, so one attacker cannot lock out
 *   someone else (issue 15, defect 8). Wider keys get a bounded backoff, never a lockout.
 */

export interface AttemptRule {
  /** Failures within the window that cost nothing. */
  free: number;
  /** How long a failure is remembered, ms. */
  windowMs: number;
  /** The wait after the first failure beyond `free`, ms; it doubles with each further failure. */
  baseMs: number;
  /** The longest wait, ms. */
  maxMs: number;
}

/** A reserved attempt: release it when the attempt succeeded (it was counted as a failure meanwhile). */
export interface Reservation {
  release(): void;
}

export class AttemptLimiter {
  readonly #rule: AttemptRule;
  /** Times of failures (and attempts in flight) per key, oldest first. */
  readonly #failures = new Map<string, number[]>();

  constructor(rule: AttemptRule) {
    this.#rule = rule;
  }

  #recent(key: string, now: number): number[] {
    const list = (this.#failures.get(key) ?? []).filter((t) => now - t < this.#rule.windowMs);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitFor(key: string, now: number): number {
    const list = this.#recent(key, now);
    const beyond = list.length - this.#rule.free;
    if (beyond < 0) return 0;
    const block = Math.min(this.#rule.maxMs, this.#rule.baseMs * 2 ** Math.min(beyond, 30));
    return Math.max(0, list.at(-1)! + block - now);
  }

  /** Counts an attempt for `key` as a failure now; `release` takes it back. */
  reserve(key: string, now: number): Reservation {
    const list = this.#recent(key, now);
    list.push(now);
    this.#failures.set(key, list);
    return {
      release: () => {
        const l = this.#failures.get(key);
        const i = l?.lastIndexOf(now) ?? -1;
        if (l && i >= 0) l.splice(i, 1);
      },
    };
  }

  /** Forgets every failure of `key` (a success where earlier failures should no longer count). */
  reset(key: string): void {
    this.#failures.delete(key);
  }
}

/**
 * Checks every (limiter, key) pair and, when none is blocked, reserves the attempt on all of them at
 * once (synchronously: no other request can slip in between). Returns the milliseconds to wait when
 * one is blocked (nothing reserved), or the attempt, to be released if it succeeds.
 */
export function beginAttempt(
  checks: readonly (readonly [AttemptLimiter, string])[],
  now: number,
): { waitMs: number; attempt: null } | { waitMs: 0; attempt: Reservation } {
  const waitMs = Math.max(0, ...checks.map(([limiter, key]) => limiter.waitFor(key, now)));
  if (waitMs > 0) return { waitMs, attempt: null };
  const held = checks.map(([limiter, key]) => limiter.reserve(key, now));
  return {
    waitMs: 0,
    attempt: {
      release: () => {
        for (const r of held) r.release();
      },
    },
  };
}
