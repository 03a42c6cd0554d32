import {
  decide,
  evolve,
  initialState,
  type QueueCommand,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { holEstimator, lesEstimator, naiveEstimator } from './references.ts';

/** Monday 2026-11-23 09:00 in Shanghai. */
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const at = (min: number) => T0 + min * 60_000;

function run(...commands: QueueCommand[]): QueueState {
  let s = initialState(sampleBranchConfig());
  for (const c of commands) {
    const d = decide(c, s);
    if (!d.ok) throw new Error(`${c.type}: ${d.error.code}`);
    for (const e of d.events) s = evolve(s, e);
  }
  return s;
}
const open = (counterId: string, min: number): QueueCommand => ({
  type: 'OpenCounter',
  data: { counterId, at: at(min) },
});
const issue = (ticketId: string, serviceId: string, min: number): QueueCommand => ({
  type: 'IssueTicket',
  data: { ticketId, serviceId, class: 'normal', source: 'kiosk', at: at(min) },
});
const next = (counterId: string, min: number): QueueCommand => ({
  type: 'CallNext',
  data: { counterId, at: at(min) },
});
const newCash = { kind: 'new', serviceId: 'cash', class: 'normal' } as const;

describe('reference predictors', () => {
  // Counters 1 and 2 serve cash first; counter 3 serves it second. Cash is configured at 3 minutes.
  const state = run(
    open('c1', 0),
    open('c2', 0),
    issue('a', 'cash', 0),
    issue('b', 'cash', 2),
    issue('c', 'cash', 4),
    issue('d', 'cash', 6),
    next('c1', 7), // a waited 7
    next('c2', 10), // b waited 8
  );

  it('naive: people waiting × configured time ÷ counters open serving the service', () => {
    // c and d wait; c1 and c2 are open and serve cash: 2 × 3 ÷ 2.
    const e = naiveEstimator(state, newCash, at(12))!;
    expect(e.minutes).toBe(3);
    expect(e.ahead).toBe(2);
    expect(e.countersOpen).toBe(2);
    expect([e.lowMinutes, e.highMinutes]).toEqual([0, 5]);
  });

  it('LES: the wait of the last ticket called for the service', () => {
    expect(lesEstimator(state, newCash, at(12))!.minutes).toBe(8);
  });

  it('HOL: how long the oldest waiting ticket has waited', () => {
    // c has waited since minute 4.
    expect(holEstimator(state, newCash, at(12))!.minutes).toBe(8);
    expect(
      holEstimator(state, { kind: 'new', serviceId: 'business', class: 'normal' }, at(12))!.minutes,
    ).toBe(0);
  });

  it('LES falls back to the naive figure before the first call of the day', () => {
    const early = run(open('c1', 0), issue('a', 'cash', 0), issue('b', 'cash', 1));
    expect(lesEstimator(early, newCash, at(2))!.minutes).toBe(6);
  });

  it('know nothing of an unknown service', () => {
    expect(naiveEstimator(state, { kind: 'new', serviceId: 'nope', class: 'normal' }, at(12))).toBeNull();
  });
});
