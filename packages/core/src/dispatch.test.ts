import { describe, expect, it } from 'vitest';
import { sampleBranchConfig } from './config.ts';
import { queueForCounter } from './dispatch.ts';
import { at, branchWith, callNext, issue, run } from './test-support/branch.ts';

const numbers = (tickets: { number: string }[]) => tickets.map((t) => t.number);

describe('dispatch order', () => {
  it('gives VIPs a head start of minutes, not an absolute jump', () => {
    // A001 waited 20 min when the VIP A002 arrives: 20 > 0 + 10, so A001 still goes first.
    const { state } = run(
      branchWith(['c1']),
      issue('a', 'cash', 0),
      issue('v', 'cash', 20, 'vip'),
      issue('b', 'cash', 21),
    );
    expect(numbers(queueForCounter(state, 'c1', at(21)))).toEqual(['A001', 'A002', 'A003']);
    // A VIP arriving 5 minutes after a normal ticket goes ahead of it.
    const { state: s2 } = run(branchWith(['c1']), issue('a', 'cash', 0), issue('v', 'cash', 5, 'vip'));
    expect(numbers(queueForCounter(s2, 'c1', at(6)))).toEqual(['A002', 'A001']);
  });

  it('serves the counter’s first service first, and its second once those customers waited 30 minutes longer', () => {
    const { state } = run(branchWith(['c3']), issue('cash1', 'cash', 0), issue('p1', 'personal', 20));
    // Counter 3 serves personal first: the cash ticket has waited 20 min more, less than the 30 min penalty.
    expect(numbers(queueForCounter(state, 'c3', at(21)))).toEqual(['B001', 'A001']);
    expect(numbers(queueForCounter(state, 'c3', at(21)))).toEqual(['B001', 'A001']);
    const { state: s2 } = run(branchWith(['c3']), issue('cash1', 'cash', 0), issue('p1', 'personal', 35));
    expect(numbers(queueForCounter(s2, 'c3', at(36)))).toEqual(['A001', 'B001']);
  });

  it('makes the counter order strict with a large rank penalty', () => {
    const config = sampleBranchConfig();
    config.dispatch = { ...config.dispatch, serviceRankPenaltyMinutes: 100_000 };
    const { state } = run(
      branchWith(['c3'], config),
      issue('cash1', 'cash', 0),
      issue('p1', 'personal', 200),
    );
    expect(numbers(queueForCounter(state, 'c3', at(201)))).toEqual(['B001', 'A001']);
  });

  it('puts a ticket overtaken maxOvertakes times first (ageing)', () => {
    const config = sampleBranchConfig();
    config.dispatch = { ...config.dispatch, maxOvertakes: 2 };
    let { state } = run(
      branchWith(['c1'], config),
      issue('n', 'cash', 0),
      issue('v1', 'cash', 1, 'vip'),
      issue('v2', 'cash', 1, 'vip'),
      issue('v3', 'cash', 1, 'vip'),
    );
    state = run(state, callNext('c1', 2), callNext('c1', 3)).state;
    expect(state.tickets.n?.overtaken).toBe(2);
    expect(numbers(queueForCounter(state, 'c1', at(4)))).toEqual(['A001', 'A004']);
  });

  it('with maxOvertakes 0 is first come, first served', () => {
    const config = sampleBranchConfig();
    config.dispatch = { ...config.dispatch, maxOvertakes: 0 };
    const { state } = run(
      branchWith(['c1'], config),
      issue('n', 'cash', 0),
      issue('v', 'cash', 1, 'vip'),
      issue('p', 'cash', 2, 'priority'),
    );
    expect(numbers(queueForCounter(state, 'c1', at(3)))).toEqual(['A001', 'A002', 'A003']);
  });

  it('never offers a counter a ticket of a service it does not serve', () => {
    const { state } = run(branchWith(['c1', 'c4']), issue('b', 'business', 0), issue('c', 'cash', 1));
    expect(numbers(queueForCounter(state, 'c1', at(2)))).toEqual(['A001']);
    expect(numbers(queueForCounter(state, 'c4', at(2)))).toEqual(['C001']);
  });
});
