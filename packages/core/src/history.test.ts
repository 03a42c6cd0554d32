import { describe, expect, it } from 'vitest';
import { sampleBranchConfig } from './config.ts';
import { MINUTE } from './durations.ts';
import { evolveAll, fold, initialState } from './evolve.ts';
import { at, branchWith, callNext, expectRefused, issue, run } from './test-support/branch.ts';
import type { QueueState } from './types.ts';
import { OUTCOME_HISTORY_SIZE, PAUSE_HISTORY_SIZE } from './types.ts';

const pause = (counterId: string, minute: number, backInMinutes?: number, reason = 'lunch') =>
  ({
    type: 'PauseCounter',
    data: { counterId, reason, at: at(minute), ...(backInMinutes !== undefined ? { backInMinutes } : {}) },
  }) as const;
const resume = (counterId: string, minute: number) =>
  ({ type: 'ResumeCounter', data: { counterId, at: at(minute) } }) as const;

describe('a pause with the teller’s word', () => {
  it('keeps when the teller said the counter is back, and forgets it on resume', () => {
    const { state, events } = run(branchWith(['c1']), pause('c1', 0, 30));
    expect(events).toEqual([
      {
        type: 'CounterPaused',
        data: { counterId: 'c1', reason: 'lunch', expectedBackAt: at(30), at: at(0) },
      },
    ]);
    expect(state.counters.c1?.expectedBackAt).toBe(at(30));
    const back = run(state, resume('c1', 41)).state;
    expect(back.counters.c1?.status).toBe('open');
    expect(back.counters.c1?.expectedBackAt).toBeUndefined();
  });

  it('refuses a return that is not 1–480 minutes away', () => {
    expectRefused(branchWith(['c1']), pause('c1', 0, 0), 'INVALID_BACK_IN');
    expectRefused(branchWith(['c1']), pause('c1', 0, 600), 'INVALID_BACK_IN');
  });

  it('without a word, writes the event as before', () => {
    const { events } = run(branchWith(['c1']), pause('c1', 0));
    expect(events[0]?.data).toEqual({ counterId: 'c1', reason: 'lunch', at: at(0) });
  });
});

describe('planned breaks in a counter’s configuration', () => {
  const withBreaks = (breaks: { start: string; end: string; days?: number[] }[]) => ({
    type: 'UpsertCounter' as const,
    data: { counter: { ...sampleBranchConfig().counters.c1!, breaks }, at: at(0) },
  });

  it('are kept in the configuration', () => {
    const s = run(branchWith(), withBreaks([{ start: '12:00', end: '13:00' }])).state;
    expect(s.config.counters.c1?.breaks).toEqual([{ start: '12:00', end: '13:00' }]);
  });

  it('must start before they end, in HH:MM, on weekdays 1–7', () => {
    expectRefused(branchWith(), withBreaks([{ start: '13:00', end: '12:00' }]), 'INVALID_CONFIG');
    expectRefused(branchWith(), withBreaks([{ start: '12', end: '13:00' }]), 'INVALID_CONFIG');
    expectRefused(branchWith(), withBreaks([{ start: '12:00', end: '13:00', days: [8] }]), 'INVALID_CONFIG');
  });
});

describe('the estimator’s history, kept across business days', () => {
  it('records each finished pause of a counter: when, how long, what was said', () => {
    const s = run(
      branchWith(['c1']),
      pause('c1', 0, 30),
      resume('c1', 42),
      pause('c1', 100, undefined, '暂离'),
      resume('c1', 110),
    ).state;
    expect(s.history?.pauses.c1).toEqual([
      { at: at(0), minutes: 42, saidMinutes: 30, reason: 'lunch' },
      { at: at(100), minutes: 10, saidMinutes: null, reason: '暂离' },
    ]);
    // The next morning the counters are closed, the history stays.
    const next = run(s, { type: 'RollBusinessDay', data: { at: at(24 * 60) } }).state;
    expect(next.history?.pauses.c1).toHaveLength(2);
  });

  it('keeps at most the latest pauses per counter', () => {
    let s = branchWith(['c1']);
    for (let i = 0; i < PAUSE_HISTORY_SIZE + 5; i++)
      s = run(s, pause('c1', 2 * i), resume('c1', 2 * i + 1)).state;
    const pauses = s.history?.pauses.c1 ?? [];
    expect(pauses).toHaveLength(PAUSE_HISTORY_SIZE);
    expect(pauses.at(-1)?.at).toBe(at(2 * (PAUSE_HISTORY_SIZE + 4)));
  });

  it('records what became of waiting customers: served, no-show or cancelled, after how long', () => {
    const s = run(
      branchWith(['c1']),
      issue('a', 'cash', 0),
      issue('b', 'cash', 0),
      issue('c', 'cash', 0),
      callNext('c1', 4), // a called after 4 min
      { type: 'StartServing', data: { counterId: 'c1', at: at(5) } },
      { type: 'FinishTicket', data: { counterId: 'c1', at: at(8) } },
      { type: 'CancelTicket', data: { ticketId: 'c', reason: 'customerLeft', at: at(9) } },
      callNext('c1', 10), // b called after 10 min, never comes
      { type: 'MarkNoShow', data: { counterId: 'c1', at: at(12) } },
    ).state;
    expect(s.history?.outcomes.cash).toEqual([
      [4, 0],
      [9, 2],
      [10, 1],
    ]);
  });

  it('counts a keypad teller’s customer as served when "next" ends the service', () => {
    const s = run(
      branchWith(['c1']),
      issue('a', 'cash', 0),
      issue('b', 'cash', 0),
      callNext('c1', 3),
      callNext('c1', 6),
    ).state;
    expect(s.history?.outcomes.cash).toEqual([[3, 0]]);
  });

  it('keeps at most the latest outcomes per service', () => {
    let s = branchWith(['c1']);
    for (let i = 0; i < OUTCOME_HISTORY_SIZE + 3; i++)
      s = run(s, issue(`t${i}`, 'cash', i), {
        type: 'CancelTicket',
        data: { ticketId: `t${i}`, reason: 'customerLeft', at: at(i) + MINUTE / 2 },
      }).state;
    expect(s.history?.outcomes.cash).toHaveLength(OUTCOME_HISTORY_SIZE);
  });

  it('records the classes of each service’s customers', () => {
    const s = run(branchWith(['c5']), issue('v1', 'wealth', 0, 'vip'), issue('v2', 'wealth', 1, 'vip')).state;
    expect(s.history?.classes.wealth).toEqual(['vip', 'vip']);
  });

  it('still folds a state saved before the history existed', () => {
    const { state, events } = run(
      branchWith(['c1']),
      issue('a', 'cash', 0),
      pause('c1', 1),
      resume('c1', 20),
    );
    const old: QueueState = { ...branchWith(['c1']) };
    delete old.history;
    const folded = evolveAll(old, events);
    expect(folded.history?.pauses.c1).toEqual(state.history?.pauses.c1);
    expect(folded.tickets).toEqual(state.tickets);
    // And a log folded from the start gives the same as step by step.
    expect(fold(events, old)).toEqual(folded);
    expect(initialState().history).toEqual({ pauses: {}, outcomes: {}, estimates: [], classes: {} });
  });
});
