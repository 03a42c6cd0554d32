import { describe, expect, it } from 'vitest';
import { estimateWait, roundRange } from './estimate.ts';
import { at, branchWith, callNext, issue, MINUTE, open, run } from './test-support/branch.ts';
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
    expect(e1.minutes).toBeCloseTo(60, 0); // 6 × 10 min at one counter
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
});
