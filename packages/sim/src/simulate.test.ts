import { fold, initialState, localTime, type QueueEvent, sampleBranchConfig } from '@nextup/core';
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
    // Lunches: a pause of half an hour or more for every staffed counter (whatever the teller types).
    const lunches = eventsOf(day, 'CounterResumed').filter((e) => {
      const paused = eventsOf(day, 'CounterPaused').filter(
        (p) => p.data.counterId === e.data.counterId && p.data.at < e.data.at,
      );
      return e.data.at - paused.at(-1)!.data.at >= 25 * 60_000;
    });
    expect(new Set(lunches.map((e) => e.data.counterId)).size).toBeGreaterThanOrEqual(4);
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

  it('runs the other branch layouts: a business desk and a VIP room that are the only counters of their service', () => {
    const d = simulateDay({ date: '2026-03-04', shape: 'normal', seed: 9, layout: 'six' });
    expect(d.startState.config.counterOrder).toHaveLength(6);
    // The VIP room's walk-ins are all VIPs.
    const wealth = d.records.filter((r) => r.serviceId === 'wealth' && r.source === 'kiosk');
    expect(wealth.length).toBeGreaterThan(5);
    expect(new Set(wealth.map((r) => r.class))).toEqual(new Set(['vip']));
    // The business desk takes its lunch, leaving business banking with no counter for a while.
    const paused = eventsOf(d, 'CounterPaused').filter((e) => e.data.counterId === 'c5');
    expect(paused.length).toBeGreaterThan(0);
    expect(d.records.some((r) => r.serviceId === 'business' && r.estimate.noCounterOpen)).toBe(true);
    expect(d.records.every((r) => r.layout === 'six')).toBe(true);
  });

  it('has silent walk-outs (no-shows when called), lunches of different lengths, and tellers who say when they are back', () => {
    const d = simulateDay({ date: '2026-03-04', shape: 'impatient', seed: 3 });
    expect(d.counts.gaveUp).toBeGreaterThan(d.counts.cancelledByCustomer);
    const pauses = eventsOf(d, 'CounterPaused');
    expect(pauses.some((p) => p.data.expectedBackAt !== undefined)).toBe(true);
    const lengths = d.plan.tellers.flatMap((t) =>
      t.breaks.filter((b) => b.reason === 'lunch').map((b) => b.minutes),
    );
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeGreaterThan(8);
    // The compact branch's tellers keep to the lunches in their configuration, give or take.
    const compact = simulateDay({ date: '2026-03-04', shape: 'normal', seed: 3, layout: 'compact' });
    const c1Lunch = eventsOf(compact, 'CounterPaused').find((p) => p.data.counterId === 'c1')!;
    // Planned 11:30: the teller pauses after the customer at the counter then.
    const minute = localTime(c1Lunch.data.at, 'Asia/Shanghai').minuteOfDay;
    expect(minute).toBeGreaterThanOrEqual(11 * 60 + 27);
    expect(minute).toBeLessThanOrEqual(11 * 60 + 30 + 20);
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
