import { describe, expect, it } from 'vitest';
import { MINUTE } from './durations.ts';
import { createEstimator, estimateWait, nearestRange, residualService, roundRange } from './estimate.ts';
import { at, branchWith, callNext, issue, open, run } from './test-support/branch.ts';
import type { QueueState } from './types.ts';

const forNew = (state: QueueState, serviceId: string, minute: number, cls: 'normal' | 'vip' = 'normal') =>
  estimateWait(state, { kind: 'new', serviceId, class: cls }, at(minute))!;

describe('wait estimate', () => {
  it('is about zero with an idle open counter and nobody waiting', () => {
    const e = forNew(branchWith(['c3']), 'personal', 0);
    expect(e).toMatchObject({ minutes: 0, ahead: 0, countersOpen: 1, lowMinutes: 0, noCounterOpen: false });
  });

  it('grows with the people ahead and shrinks with the counters open', () => {
    const one = run(
      branchWith(['c3']),
      ...[0, 1, 2, 3, 4, 5].map((i) => issue(`p${i}`, 'personal', 0)),
    ).state;
    const two = run(one, open('c4', 0)).state;
    const e1 = forNew(one, 'personal', 1);
    const e2 = forNew(two, 'personal', 1);
    expect(e1.ahead).toBe(6);
    // 6 × 10 min at one counter; the printed figure is the median, a little under the mean of 60.
    expect(e1.minutes).toBeGreaterThan(50);
    expect(e1.minutes).toBeLessThanOrEqual(60);
    expect(e1.lowMinutes).toBeLessThan(60);
    expect(e1.highMinutes).toBeGreaterThan(60);
    expect(e2.minutes).toBeLessThan(e1.minutes * 0.6);
    expect(e2.countersOpen).toBe(2);
  });

  it('knows that a VIP goes ahead of normal tickets', () => {
    const s = run(branchWith(['c1']), ...[0, 1, 2, 3].map((i) => issue(`a${i}`, 'cash', 0))).state;
    expect(forNew(s, 'cash', 1, 'vip').minutes).toBeLessThan(forNew(s, 'cash', 1).minutes);
  });

  it('learns the branch’s own service times and says so', () => {
    let s = run(branchWith(['c1']), ...Array.from({ length: 40 }, (_, i) => issue(`a${i}`, 'cash', 0))).state;
    for (let i = 0; i < 40; i++) s = run(s, callNext('c1', 1 + i * 6)).state; // 6-minute services, prior 3
    const e = forNew(s, 'cash', 241);
    expect(e.basis).toBe('history');
    expect(e.serviceMinutes).toBeGreaterThan(5);
    expect(e.historyCount).toBe(39);
  });

  it('is not thrown by one service that ran for hours', () => {
    let s = run(branchWith(['c1']), ...Array.from({ length: 20 }, (_, i) => issue(`a${i}`, 'cash', 0))).state;
    let t = 1;
    for (let i = 0; i < 20; i++) {
      s = run(s, callNext('c1', t)).state;
      t += i === 5 ? 180 : 3;
    }
    expect(forNew(s, 'cash', t).serviceMinutes).toBeLessThan(4.5);
  });

  it('assumes a counter opens when none serving the service is open, and says so', () => {
    const e = forNew(branchWith(['c1']), 'business', 30);
    expect(e.noCounterOpen).toBe(true);
    expect(e.countersOpen).toBe(0);
  });

  it('counts booked appointments that will arrive at their slot', () => {
    const base = run(branchWith(['c3']), ...[0, 1, 2].map((i) => issue(`p${i}`, 'personal', 0))).state;
    const booked = run(base, {
      type: 'BookAppointment',
      data: {
        appointmentId: 'a',
        code: '1',
        serviceId: 'personal',
        slotStart: at(30),
        customerName: null,
        phoneTail: null,
        at: at(0),
      },
    }).state;
    expect(forNew(booked, 'personal', 1).minutes).toBeGreaterThan(forNew(base, 'personal', 1).minutes);
  });

  it('gives a range in 5- or 10-minute steps that contains the point estimate', () => {
    for (const [lo, hi] of [
      [-1, 2],
      [7, 13],
      [12, 26],
      [33, 58],
    ] as const) {
      const r = roundRange(lo, hi);
      expect(r.low).toBeLessThanOrEqual(Math.max(0, lo));
      expect(r.high).toBeGreaterThanOrEqual(hi);
      expect(r.high - r.low).toBeGreaterThanOrEqual(5);
      expect(r.low % 5).toBe(0);
    }
    const s = run(branchWith(['c3']), ...[0, 1, 2, 3].map((i) => issue(`p${i}`, 'personal', 0))).state;
    const e = forNew(s, 'personal', 0);
    expect(e.lowMinutes).toBeLessThanOrEqual(e.minutes);
    expect(e.highMinutes).toBeGreaterThanOrEqual(e.minutes);
    expect(MINUTE).toBe(60_000);
  });

  it('estimates a waiting ticket and nothing for one already called', () => {
    const s = run(branchWith(['c1']), issue('a', 'cash', 0), issue('b', 'cash', 0), callNext('c1', 1)).state;
    expect(estimateWait(s, { kind: 'ticket', ticketId: 'b' }, at(2))?.ahead).toBe(0);
    expect(estimateWait(s, { kind: 'ticket', ticketId: 'a' }, at(2))).toBeNull();
  });

  it('expects a paused counter back after its lunch, not never', () => {
    const s = run(branchWith(['c3']), ...[0, 1, 2].map((i) => issue(`p${i}`, 'personal', 0)), {
      type: 'PauseCounter',
      data: { counterId: 'c3', reason: 'lunch', at: at(0) },
    }).state;
    const e = forNew(s, 'personal', 10);
    // Back at 40 minutes (30 from now), then three 10-minute services ahead.
    expect(e.noCounterOpen).toBe(true);
    expect(e.minutes).toBeGreaterThan(45);
    expect(e.minutes).toBeLessThan(75);
  });

  it('calls a checking-in appointment at its own slot, not behind the walk-ins', () => {
    const s = run(branchWith(['c3']), ...[0, 1, 2, 3, 4].map((i) => issue(`p${i}`, 'personal', 0)), {
      type: 'BookAppointment',
      data: {
        appointmentId: 'a',
        code: '123456',
        serviceId: 'personal',
        slotStart: at(30),
        customerName: null,
        phoneTail: null,
        at: at(-50),
      },
    }).state;
    const appt = estimateWait(s, { kind: 'new', serviceId: 'personal', class: 'appointment' }, at(15))!;
    const walkIn = forNew(s, 'personal', 15);
    // Due from 5 minutes before the slot (minute 25), then the current service's end.
    expect(appt.minutes).toBeGreaterThanOrEqual(9);
    expect(appt.minutes).toBeLessThan(22);
    expect(walkIn.minutes).toBeGreaterThan(45);
    // Named explicitly, the same.
    const named = estimateWait(
      s,
      { kind: 'new', serviceId: 'personal', class: 'appointment', appointmentId: 'a' },
      at(15),
    )!;
    expect(named).toEqual(appt);
  });

  it('counts the VIPs the last hour says will keep coming ahead of a normal ticket', () => {
    // A VIP every two minutes since opening, each called at once.
    const vips = Array.from({ length: 12 }, (_, i) => issue(`v${i}`, 'cash', -25 + i * 2, 'vip'));
    const calls = Array.from({ length: 12 }, (_, i) => callNext('c1', -24 + i * 2));
    const busy = run(branchWith(['c1']), ...vips.flatMap((v, i) => [v, calls[i]!])).state;
    const queued = run(busy, ...[0, 1, 2].map((i) => issue(`a${i}`, 'cash', 0))).state;
    const withArrivals = forNew(queued, 'cash', 1);
    const without = createEstimator({ arrivals: false })(
      queued,
      { kind: 'new', serviceId: 'cash', class: 'normal' },
      at(1),
    )!;
    expect(withArrivals.minutes).toBeGreaterThan(without.minutes);
  });

  it('expects a flexible counter back only once the branch has used it today', () => {
    const base = run(
      branchWith(['c1']),
      ...Array.from({ length: 10 }, (_, i) => issue(`a${i}`, 'cash', 0)),
    ).state;
    const used = run(base, open('c2', 1), {
      type: 'CloseCounter',
      data: { counterId: 'c2', at: at(2) },
    }).state;
    const never = forNew(base, 'cash', 3);
    const flexible = forNew(used, 'cash', 3);
    expect(never.minutes).toBeGreaterThan(20);
    expect(flexible.minutes).toBeLessThan(never.minutes);
  });

  it('knows that a service that has run long has longer to go', () => {
    // Lognormal, mean 10, cv 0.6: fresh, the whole mean remains; past the mean, more than mean − elapsed.
    expect(residualService(10, 0.6, 0)).toBe(10);
    expect(residualService(10, 0.6, 8)).toBeGreaterThan(2);
    expect(residualService(10, 0.6, 8)).toBeLessThanOrEqual(10);
    expect(residualService(10, 0.6, 300)).toBeLessThanOrEqual(10);
  });

  it('rounds the range to the nearest steps, keeping the point inside', () => {
    expect(nearestRange(6, 13, 9)).toEqual({ low: 5, high: 15 });
    expect(nearestRange(1, 2, 1.5)).toEqual({ low: 0, high: 5 });
    expect(nearestRange(34, 56, 44)).toEqual({ low: 30, high: 60 });
    expect(nearestRange(12, 14, 17)).toEqual({ low: 10, high: 20 });
  });
});
