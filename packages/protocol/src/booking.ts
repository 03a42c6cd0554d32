import { z } from 'zod';
import { bilingual, epochMs, id, nonEmptyShort, shortText } from './common.ts';
import { appointment } from './domain.ts';

/**
 * The booking API's answers (`/api/v1/appointments…`, for the bank's app with an API key and for
 * the console's booking page), described in `docs/hub-api.md`.
 */

/** `GET /api/v1/appointments/services`: the services that take bookings. */
export const bookableServicesResponse = z.object({
  services: z.array(
    z.object({
      serviceId: id,
      prefix: z.string().max(4),
      name: bilingual,
      slotMinutes: z.number().int().positive(),
      capacity: z.number().int().nonnegative(),
    }),
  ),
  timeZone: shortText,
});
export type BookableServicesResponse = z.infer<typeof bookableServicesResponse>;

/** One slot of a day: its start and end, local `HH:MM`, and its places. */
export const bookingSlot = z.object({
  start: epochMs,
  end: epochMs,
  time: z.string().max(5),
  capacity: z.number().int().nonnegative(),
  /** Bookings that hold a place (booked or checked in; cancelled ones free theirs). */
  booked: z.number().int().nonnegative(),
  free: z.number().int().nonnegative(),
});
export type BookingSlot = z.infer<typeof bookingSlot>;

/** `GET /api/v1/appointments/slots?serviceId&date`. */
export const slotsResponse = z.object({
  ok: z.literal(true),
  serviceId: id,
  date: z.string().max(10),
  timeZone: shortText,
  slotMinutes: z.number().int().positive(),
  capacity: z.number().int().nonnegative(),
  /** The last local date the branch takes bookings for. */
  bookableUntil: z.string().max(10),
  slots: z.array(bookingSlot),
});
export type SlotsResponse = z.infer<typeof slotsResponse>;

/** A booking as the API shows it: its check-in code and when check-in opens and closes. */
export const bookingView = z.object({
  appointmentId: id,
  code: nonEmptyShort,
  serviceId: id,
  slotStart: epochMs,
  slotEnd: epochMs,
  checkIn: z.object({ opensAt: z.number().int(), closesAt: epochMs }),
});

/** `POST /api/v1/appointments`: the booking, with its code as a QR image (a data: URL). */
export const bookingResponse = bookingView.extend({ ok: z.literal(true), qr: z.string() });
export type BookingResponse = z.infer<typeof bookingResponse>;

/** `GET /api/v1/appointments/:id`. */
export const appointmentResponse = bookingView.extend({
  status: appointment.shape.status,
  customerName: appointment.shape.customerName,
  phoneTail: appointment.shape.phoneTail,
});
export type AppointmentResponse = z.infer<typeof appointmentResponse>;

/** `DELETE /api/v1/appointments/:id`. */
export const bookingCancelledResponse = z.object({
  ok: z.literal(true),
  appointmentId: id,
  status: z.literal('cancelled'),
});
export type BookingCancelledResponse = z.infer<typeof bookingCancelledResponse>;
