import {
  bookingDaysAhead,
  businessDayOf,
  checkHours,
  daysBetween,
  localTime,
  MINUTE,
  own,
  type QueueState,
  zonedEpoch,
} from '@nextup/core';
import { isCalendarDate } from './calendar-date.ts';

export interface Slot {
  start: number;
  end: number;
  /** Local 'HH:MM' of the start. */
  time: string;
  capacity: number;
  /** Bookings that hold a place (booked or checked in; cancelled ones free theirs). */
  booked: number;
  free: number;
}

export type SlotsResult =
  | {
      ok: true;
      slotMinutes: number;
      capacity: number;
      /** The last local date the branch takes bookings for (its `bookingDaysAhead` from today). */
      bookableUntil: string;
      slots: Slot[];
    }
  | { ok: false; code: 'UNKNOWN_SERVICE' | 'NOT_BOOKABLE' | 'BAD_DATE' };

/**
 * The bookable slots of a service on a local date, with their free places, by the domain's own rules
 * (`BookAppointment`): aligned to the slot length, wholly inside the service's hours (or the
 * branch's), in the future, and no further ahead than the branch books. The domain still decides
 * each booking; this only lists.
 */
export function slotsFor(state: QueueState, serviceId: string, date: string, now: number): SlotsResult {
  const service = own(state.config.services, serviceId);
  if (!service) return { ok: false, code: 'UNKNOWN_SERVICE' };
  if (!service.appointments || !service.enabled) return { ok: false, code: 'NOT_BOOKABLE' };
  if (!isCalendarDate(date)) return { ok: false, code: 'BAD_DATE' };
  const tz = state.config.branch.timeZone;
  const { slotMinutes, capacity } = service.appointments;
  const today = businessDayOf(now, tz);
  const horizon = bookingDaysAhead(state.config.branch);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const bookableUntil = new Date(Date.UTC(y, m - 1, d + horizon)).toISOString().slice(0, 10);
  if (daysBetween(today, date) > horizon)
    return { ok: true, slotMinutes, capacity, bookableUntil, slots: [] };
  const hours = service.hours.length > 0 ? service.hours : state.config.branch.hours;
  const taken = new Map<number, number>();
  for (const a of Object.values(state.appointments))
    if (a.serviceId === serviceId && a.status !== 'cancelled')
      taken.set(a.slotStart, (taken.get(a.slotStart) ?? 0) + 1);
  const slots: Slot[] = [];
  for (let minute = 0; minute < 1440; minute += slotMinutes) {
    const start = zonedEpoch(date, minute, tz);
    const end = start + slotMinutes * MINUTE;
    const local = localTime(start, tz);
    if (local.date !== date || local.minuteOfDay % slotMinutes !== 0) continue;
    if (start <= now) continue;
    if (!checkHours(hours, start, tz).open || !checkHours(hours, end - MINUTE, tz).open) continue;
    const booked = taken.get(start) ?? 0;
    slots.push({ start, end, time: local.hhmm, capacity, booked, free: Math.max(0, capacity - booked) });
  }
  return { ok: true, slotMinutes, capacity, bookableUntil, slots };
}
