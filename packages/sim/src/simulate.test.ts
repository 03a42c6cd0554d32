import { fold, initialState, type QueueEvent, sampleBranchConfig } from '@nextup/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DaySpec } from './shapes.ts';
import { type SimDay, simulateDay, simulateDays } from './simulate.ts';

const NORMAL: DaySpec = { date: '2026-03-04', shape: 'normal', seed: 20260304 };

/** Refusals a well-played day may meet: an idle teller finds nobody, a customer comes too early or late. */
const EXPECTED_REFUSALS = new Set([
  'NO_WAITING_TICKET',
  'APPOINTMENT_TOO_EARLY',
  'APPOINTMENT_EXPIRED',
  'OUTSIDE_HOURS',
]);

function eventsOf<T extends QueueEvent['type']>(day: SimDay, type: T) {
  return day.events.filter((e): e is Extract<QueueEvent, { type: T }> => e.type === type);
}

describe('a simulated branch day', () => {
  let day: SimDay;
  let ms: number;
  beforeAll(() => {
    const t = performance.now();
    day = simulateDay(NORMAL);
    ms = performance.now() - t;
  });

  it('repeats exactly for the same seed, and differs for another', () => {
    const again = simulateDay(NORMAL);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(day.events));
    const other = simulateDay({ ...NORMAL, seed: NORMAL.seed + 1 });
    expect(JSON.stringify(other.events)).not.toBe(JSON.stringify(day.events));
  });

  it('runs a whole day in well under the loose bound of 5 s (the bench has the real figure)', () => {
    expect(day.events.length).toBeGreaterThan(500);
    expect(ms).toBeLessThan(5000);
  });

  it('brings no-shows, give-ups, appointments, pauses, recalls and transfers on a normal day', () => {
    expect(eventsOf(day, 'TicketNoShow').length).toBeGreaterThan(0);
    expect(eventsOf(day, 'TicketRecalled').length).toBeGreaterThan(0);
    const left = eventsOf(day, 'TicketCancelled').filter((e) => e.data.reason === 'customerLeft');
    expect(left.length).toBeGreaterThan(0);
    expect(eventsOf(day, 'AppointmentBooked').length).toBeGreaterThan(5);
    expect(eventsOf(day, 'AppointmentCheckedIn').length).toBeGreaterThan(5);
    expect(eventsOf(day, 'CounterPaused').some((e) => e.data.reason === 'lunch')).toBe(true);
    expect(eventsOf(day, 'CounterResumed').length).toBeGreaterThan(0);
    expect(eventsOf(day, 'TicketTransferred').length).toBeGreaterThan(0);
    const classes = new Set(eventsOf(day, 'TicketIssued').map((e) => e.data.class));
    expect([...classes].sort()).toEqual(['appointment', 'normal', 'priority', 'vip']);
    expect(day.counts.gaveUp).toBeGreaterThan(0);
    for (const code of Object.keys(day.refusals)) expect(EXPECTED_REFUSALS, code).toContain(code);
  });

  it('keeps records that agree with the event log', () => {
    // The log is a real log: folding it from the start state gives the state the day ended in.
    expect(fold(day.events, day.startState)).toEqual(day.endState);
    const issued = eventsOf(day, 'TicketIssued');
    expect(day.records.map((r) => r.ticketId)).toEqual(issued.map((e) => e.data.ticketId));
    const firstCall = new Map<string, number>();
    for (const e of eventsOf(day, 'TicketCalled'))
      if (!firstCall.has(e.data.ticketId)) firstCall.set(e.data.ticketId, e.data.at);
    const status = { done: 'done', noShow: 'noShow', cancelled: 'cancelled' } as const;
    for (const [i, r] of day.records.entries()) {
      const e = issued[i]!.data;
      expect(r.estimate).toEqual(e.estimate);
      expect(r.issuedAt).toBe(e.at);
      const called = firstCall.get(r.ticketId);
      expect(r.waitMinutes).toBe(called === undefined ? null : (called - e.at) / 60_000);
      const t = day.endState.tickets[r.ticketId]!;
      expect(r.outcome).toBe(status[t.status as keyof typeof status] ?? 'unfinished');
      expect(r.predictions).toEqual({});
    }
    const cancelledByCustomer = day.records.filter((r) => r.cancelReason === 'customerLeft').length;
    expect(cancelledByCustomer).toBe(day.counts.cancelledByCustomer);
    expect(day.records.filter((r) => r.outcome === 'noShow').length).toBe(day.counts.noShows);
  });

  it('serves everyone who waited and closes every counter by the end of the day', () => {
    expect(day.records.filter((r) => r.outcome === 'unfinished')).toEqual([]);
    for (const c of Object.values(day.endState.counters)) expect(c.status).toBe('closed');
  });

  it('asks the given predictors at every issue, on the state the printed estimate saw', () => {
    const seen: number[] = [];
    const d = simulateDay(NORMAL, {
      predictors: {
        queued: (state, query, at) => {
          seen.push(at);
          const waiting = Object.values(state.tickets).filter((t) => t.status === 'waiting').length;
          if (query.kind !== 'new') return null;
          return {
            minutes: waiting,
            lowMinutes: 0,
            highMinutes: 5,
            ahead: waiting,
            countersOpen: 0,
            serviceMinutes: 0,
            basis: 'prior',
            historyCount: 0,
            noCounterOpen: false,
          };
        },
      },
    });
    expect(seen.length).toBe(d.records.length);
    // The same trajectory: predictors look, they do not change the day.
    expect(d.events.length).toBe(day.events.length);
    for (const r of d.records) expect(r.predictions.queued).toBeDefined();
  });
});

describe('days in a row', () => {
  it('carry the service history over to the next morning, as the hub does', () => {
    const [first, second] = simulateDays([
      { date: '2026-03-04', shape: 'quiet', seed: 1 },
      { date: '2026-03-05', shape: 'quiet', seed: 2 },
    ]);
    expect(first!.startState.serviceHistory).toEqual({});
    expect(second!.startState).toBe(first!.endState);
    expect(second!.startState.serviceHistory.cash?.length).toBeGreaterThan(10);
    // The first issue of the second day already knows yesterday's cash times.
    const cash = second!.records.find((r) => r.serviceId === 'cash')!;
    expect(cash.estimate.historyCount).toBeGreaterThan(10);
  });

  it('takes any branch configuration passed in', () => {
    const config = sampleBranchConfig();
    // A branch without the VIP room and with a slower configured cash service.
    const { c5: _, ...counters } = config.counters;
    const small = {
      ...config,
      counters,
      counterOrder: config.counterOrder.filter((id) => id !== 'c5'),
      services: { ...config.services, cash: { ...config.services.cash!, expectedMinutes: 4 } },
    };
    const d = simulateDay(
      { date: '2026-03-04', shape: 'quiet', seed: 5 },
      { startState: initialState(small) },
    );
    expect(d.records.length).toBeGreaterThan(50);
    expect(d.events.some((e) => e.type === 'TicketCalled' && e.data.counterId === 'c5')).toBe(false);
  });
});
