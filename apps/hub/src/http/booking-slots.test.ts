import { decide, evolve, initialState, type QueueState, sampleBranchConfig } from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { slotsFor } from './booking-slots.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);

describe('slotsFor', () => {
  const state = (): QueueState => initialState(sampleBranchConfig());

  it('lists aligned future slots inside the hours, as the domain would accept them', () => {
    const r = slotsFor(state(), 'business', '2026-11-24', MONDAY_0900);
    if (!r.ok) throw new Error(r.code);
    // Business banking: its own hours 09:00–16:30, 30-minute slots, one place each.
    expect(r.slots[0]!.time).toBe('09:00');
    expect(r.slots.at(-1)!.time).toBe('16:00');
    expect(r.slots).toHaveLength(15);
    // Every listed slot is one the domain books.
    let s = state();
    for (const slot of r.slots) {
      const d = decide(
        {
          type: 'BookAppointment',
          data: {
            appointmentId: `a${slot.start}`,
            code: `c${slot.start}`,
            serviceId: 'business',
            slotStart: slot.start,
            customerName: null,
            phoneTail: null,
            at: MONDAY_0900,
          },
        },
        s,
      );
      expect(d.ok).toBe(true);
      if (d.ok) for (const e of d.events) s = evolve(s, e);
    }
    const after = slotsFor(s, 'business', '2026-11-24', MONDAY_0900);
    expect(after.ok && after.slots.every((x) => x.free === 0 && x.booked === 1)).toBe(true);
  });

  it('offers nothing on a closed day, nothing in the past, and says why when it cannot list', () => {
    const sunday = slotsFor(state(), 'business', '2026-11-29', MONDAY_0900);
    expect(sunday.ok && sunday.slots).toEqual([]);
    const today = slotsFor(state(), 'personal', '2026-11-23', MONDAY_0900);
    expect(today.ok && today.slots[0]!.time).toBe('09:30');
    expect(slotsFor(state(), 'cash', '2026-11-24', MONDAY_0900)).toEqual({ ok: false, code: 'NOT_BOOKABLE' });
    expect(slotsFor(state(), 'nope', '2026-11-24', MONDAY_0900)).toEqual({
      ok: false,
      code: 'UNKNOWN_SERVICE',
    });
    expect(slotsFor(state(), 'personal', '2026-13-45', MONDAY_0900)).toEqual({ ok: false, code: 'BAD_DATE' });
  });
});
