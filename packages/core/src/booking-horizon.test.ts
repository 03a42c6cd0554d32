import { describe, expect, it } from 'vitest';
import type { QueueCommand } from './commands.ts';
import { DEFAULT_BOOKING_DAYS_AHEAD, sampleBranchConfig } from './config.ts';
import { decide } from './decide.ts';
import { DAY, HOUR } from './durations.ts';
import { evolve } from './evolve.ts';
import { branchWith, expectRefused, MONDAY_0900 } from './test-support/branch.ts';
import type { QueueState } from './types.ts';

/** Issue 15, defect 6: bookings reach no further ahead than the branch says (default 30 days). */

const book = (slotStart: number, id = 'ap1'): QueueCommand => ({
  type: 'BookAppointment',
  data: {
    appointmentId: id,
    code: `${id}-code`,
    serviceId: 'personal',
    slotStart,
    customerName: null,
    phoneTail: null,
    at: MONDAY_0900,
  },
});
/** 10:00 on a weekday `days` after Monday 23 November 2026 (Shanghai). */
const tenOclock = (days: number) => MONDAY_0900 + days * DAY + HOUR;

describe('the booking horizon', () => {
  it('takes a slot on the last bookable day and refuses one a day later, by default 30 days', () => {
    const state = branchWith();
    expect(DEFAULT_BOOKING_DAYS_AHEAD).toBe(30);
    // 23 Nov + 30 days = Wed 23 Dec (bookable); 24 Dec is a day too far.
    expect(decide(book(tenOclock(30)), state).ok).toBe(true);
    const params = expectRefused(state, book(tenOclock(31)), 'SLOT_TOO_FAR');
    expect(params).toEqual({ days: 30 });
    // The request from the issue: a booking on 9999-12-31.
    expectRefused(state, book(Date.UTC(9999, 11, 31, 2, 0)), 'SLOT_TOO_FAR');
  });

  it('follows the branch setting, and a branch configured before it existed books 30 days ahead', () => {
    let state: QueueState = branchWith();
    const branch = { ...sampleBranchConfig().branch, bookingDaysAhead: 7 };
    const configured = decide({ type: 'ConfigureBranch', data: { branch, at: MONDAY_0900 } }, state);
    if (!configured.ok) throw new Error(configured.error.code);
    for (const e of configured.events) state = evolve(state, e);
    expect(decide(book(tenOclock(7)), state).ok).toBe(true);
    expect(expectRefused(state, book(tenOclock(8)), 'SLOT_TOO_FAR')).toEqual({ days: 7 });
    const { bookingDaysAhead: _, ...older } = branch;
    const old = evolve(state, { type: 'BranchConfigured', data: { branch: older, at: MONDAY_0900 } });
    expect(decide(book(tenOclock(30)), old).ok).toBe(true);
    expectRefused(old, book(tenOclock(31)), 'SLOT_TOO_FAR');
  });

  it('refuses a horizon outside 0–365 days', () => {
    const state = branchWith();
    for (const days of [-1, 366, 2.5]) {
      const branch = { ...sampleBranchConfig().branch, bookingDaysAhead: days };
      expectRefused(state, { type: 'ConfigureBranch', data: { branch, at: MONDAY_0900 } }, 'INVALID_CONFIG');
    }
  });
});
