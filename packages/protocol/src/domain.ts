import type * as core from '@nextup/core';
import {
  CLASS_HISTORY_SIZE,
  ESTIMATE_HISTORY_SIZE,
  OUTCOME_HISTORY_SIZE,
  PAUSE_HISTORY_SIZE,
} from '@nextup/core';
import { z } from 'zod';
import {
  assertType,
  bilingual,
  type Equals,
  epochMs,
  id,
  idRecord,
  longText,
  nonEmptyShort,
  seq,
  shortText,
} from './common.ts';

/**
 * Schemas of the queue domain's data as it travels: configuration, the state snapshot and the events.
 * Each is checked at compile time to be exactly the type `@nextup/core` uses.
 */

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day HH:MM');

export const openingHours = z.object({
  days: z.array(z.number().int().min(1).max(7)).max(7),
  open: hhmm,
  close: hhmm,
});

export const ticketClass = z.enum(['normal', 'vip', 'priority', 'appointment']);
export const ticketSource = z.enum(['kiosk', 'appointment', 'staff']);
export const ticketStatus = z.enum(['waiting', 'called', 'serving', 'done', 'noShow', 'cancelled']);
export const counterStatus = z.enum(['open', 'paused', 'closed']);

export const serviceConfig = z.object({
  id,
  prefix: z.string().regex(/^[A-Z]$/, 'one capital letter A–Z'),
  name: bilingual,
  expectedMinutes: z.number().positive().max(240),
  dailyLimit: z.number().int().positive().max(100_000).nullable(),
  hours: z.array(openingHours).max(14),
  hint: bilingual.nullable(),
  selfServiceSuggested: z.boolean(),
  appointments: z
    .object({ slotMinutes: z.number().int().min(5).max(240), capacity: z.number().int().min(1).max(100) })
    .nullable(),
  enabled: z.boolean(),
});

const busAddress = z.number().int().min(1).max(247).nullable();

/** A break a counter plans every day (lunch 12:00–13:00); `days` absent = every day. */
export const counterBreak = z.object({
  start: hhmm,
  end: hhmm,
  days: z.array(z.number().int().min(1).max(7)).max(7).optional(),
});

export const counterConfig = z.object({
  id,
  number: z.number().int().min(1).max(999),
  name: bilingual,
  services: z.array(id).min(1).max(32),
  ledAddress: busAddress,
  keypadAddress: busAddress,
  /** Optional (configurations saved before planned breaks have none). */
  breaks: z.array(counterBreak).max(8).optional(),
});

export const dispatchSettings = z.object({
  classBoostMinutes: z.object({
    normal: z.number().min(0).max(100_000),
    vip: z.number().min(0).max(100_000),
    priority: z.number().min(0).max(100_000),
    appointment: z.number().min(0).max(100_000),
  }),
  transferBoostMinutes: z.number().min(0).max(100_000),
  serviceRankPenaltyMinutes: z.number().min(0).max(100_000),
  maxOvertakes: z.number().int().min(0).max(1000),
  appointmentLeadMinutes: z.number().int().min(0).max(240),
  checkInEarlyMinutes: z.number().int().min(0).max(240),
  checkInLateMinutes: z.number().int().min(0).max(240),
  numberDigits: z.number().int().min(2).max(4),
});

export const branchSettings = z.object({
  name: bilingual,
  timeZone: z.string().min(1).max(64),
  hours: z.array(openingHours).max(14),
  bookingDaysAhead: z.number().int().min(0).max(365).optional(),
});

export const branchConfig = z.object({
  branch: branchSettings,
  services: idRecord(serviceConfig),
  serviceOrder: z.array(id),
  counters: idRecord(counterConfig),
  counterOrder: z.array(id),
  dispatch: dispatchSettings,
});

const count = z.number().int().min(0);

export const aheadReasons = z.object({
  vip: count,
  priority: count,
  transfer: count,
  appointment: count,
  waitedLong: count,
});

export const counterReturn = z.object({
  counterId: id,
  name: bilingual,
  at: epochMs,
  hhmm: z.string().regex(/^\d{2}:\d{2}$/),
  basis: z.enum(['said', 'planned', 'learned', 'opens']),
});

export const waitEstimate = z.object({
  minutes: z.number().min(0),
  lowMinutes: z.number().min(0),
  highMinutes: z.number().min(0),
  ahead: count,
  countersOpen: count,
  serviceMinutes: z.number().min(0),
  basis: z.enum(['prior', 'history', 'blend']),
  historyCount: count,
  noCounterOpen: z.boolean(),
  // Optional: estimates printed before the calibrated estimator lack them.
  class: ticketClass.optional(),
  modelMinutes: z.number().min(0).optional(),
  moreThan: z.boolean().optional(),
  unknown: z.boolean().optional(),
  reopen: counterReturn.optional(),
  aheadReasons: aheadReasons.optional(),
});

/** The customer's words for an estimate (`waitWords` in core): the same on every screen and ticket. */
export const waitWords = z.object({ ahead: bilingual, wait: bilingual, note: bilingual.nullable() });

export const ticket = z.object({
  id,
  number: nonEmptyShort,
  seq: z.number().int().positive(),
  serviceId: id,
  class: ticketClass,
  source: ticketSource,
  status: ticketStatus,
  issuedAt: epochMs,
  queuedAt: epochMs,
  queueOrder: z.number().int().nonnegative(),
  calledAt: epochMs.nullable(),
  servingAt: epochMs.nullable(),
  endedAt: epochMs.nullable(),
  counterId: id.nullable(),
  targetCounterId: id.nullable(),
  recalls: z.number().int().nonnegative(),
  overtaken: z.number().int().nonnegative(),
  transfers: z.number().int().nonnegative(),
  appointmentId: id.nullable(),
  slotStart: epochMs.nullable(),
  estimate: waitEstimate.nullable(),
  rating: z.number().int().min(1).max(5).nullable(),
});

export const counterState = z.object({
  id,
  status: counterStatus,
  pauseReason: shortText.nullable(),
  ticketId: id.nullable(),
  since: epochMs,
  expectedBackAt: epochMs.optional(),
});

export const appointment = z.object({
  id,
  code: nonEmptyShort,
  serviceId: id,
  slotStart: epochMs,
  slotEnd: epochMs,
  customerName: shortText.nullable(),
  phoneTail: z
    .string()
    .regex(/^\d{4}$/)
    .nullable(),
  status: z.enum(['booked', 'checkedIn', 'cancelled']),
  bookedAt: epochMs,
  ticketId: id.nullable(),
});

export const queueState = z.object({
  config: branchConfig,
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  tickets: idRecord(ticket),
  lastSeq: idRecord(z.number().int().nonnegative()),
  queueSeq: z.number().int().nonnegative(),
  counters: idRecord(counterState),
  appointments: idRecord(appointment),
  serviceHistory: idRecord(z.array(z.number().nonnegative())),
  history: z
    .object({
      pauses: idRecord(
        z
          .array(
            z.object({
              at: epochMs,
              minutes: z.number().nonnegative(),
              saidMinutes: z.number().nonnegative().nullable(),
              reason: shortText,
            }),
          )
          .max(PAUSE_HISTORY_SIZE),
      ),
      outcomes: idRecord(
        z
          .array(z.tuple([z.number().nonnegative(), z.union([z.literal(0), z.literal(1), z.literal(2)])]))
          .max(OUTCOME_HISTORY_SIZE),
      ),
      estimates: z
        .array(
          z.tuple([
            z.number().nonnegative(),
            z.number().nonnegative(),
            z.number().int().min(0).max(1439),
            z.number().int().min(0).max(3),
          ]),
        )
        .max(ESTIMATE_HISTORY_SIZE),
      classes: idRecord(z.array(ticketClass).max(CLASS_HISTORY_SIZE)),
    })
    .optional(),
});

const ev = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.object({ type: z.literal(type), data: z.object({ ...data, at: epochMs }) });

export const queueEvent = z.discriminatedUnion('type', [
  ev('BranchConfigured', { branch: branchSettings }),
  ev('ServiceUpserted', { service: serviceConfig }),
  ev('ServiceRemoved', { serviceId: id }),
  ev('CounterUpserted', { counter: counterConfig }),
  ev('CounterRemoved', { counterId: id }),
  ev('DispatchSettingsChanged', { settings: dispatchSettings }),
  ev('BusinessDayRolled', {
    from: z.string().nullable(),
    to: z.string(),
    unfinished: z.array(z.object({ ticketId: id, status: z.enum(['waiting', 'called', 'serving']) })),
  }),
  ev('TicketIssued', {
    ticketId: id,
    number: nonEmptyShort,
    seq: z.number().int().positive(),
    serviceId: id,
    class: ticketClass,
    source: ticketSource,
    appointmentId: id.nullable(),
    slotStart: epochMs.nullable(),
    estimate: waitEstimate,
  }),
  ev('TicketCalled', { ticketId: id, counterId: id, specific: z.boolean(), overtaken: z.array(id) }),
  ev('TicketRecalled', { ticketId: id, counterId: id, recalls: z.number().int().positive() }),
  ev('TicketServingStarted', { ticketId: id, counterId: id }),
  ev('TicketFinished', { ticketId: id, counterId: id, serviceMs: z.number().nonnegative() }),
  ev('TicketNoShow', { ticketId: id, counterId: id }),
  ev('TicketTransferred', {
    ticketId: id,
    fromCounterId: id,
    toServiceId: id,
    toCounterId: id.nullable(),
    serviceMs: z.number().nonnegative(),
  }),
  ev('TicketCancelled', { ticketId: id, reason: shortText }),
  ev('TicketRated', { ticketId: id, score: z.number().int().min(1).max(5) }),
  ev('CounterOpened', { counterId: id }),
  ev('CounterPaused', { counterId: id, reason: shortText, expectedBackAt: epochMs.optional() }),
  ev('CounterResumed', { counterId: id }),
  ev('CounterClosed', { counterId: id }),
  ev('AppointmentBooked', {
    appointmentId: id,
    code: nonEmptyShort,
    serviceId: id,
    slotStart: epochMs,
    slotEnd: epochMs,
    customerName: shortText.nullable(),
    phoneTail: z
      .string()
      .regex(/^\d{4}$/)
      .nullable(),
  }),
  ev('AppointmentCancelled', { appointmentId: id }),
  ev('AppointmentCheckedIn', { appointmentId: id, ticketId: id }),
]);

export const domainErrorBody = z.object({
  code: z.string(),
  messageKey: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), bilingual])),
  /** The refusal in words, both languages. */
  message: bilingual,
});

export { longText, seq };

// The schemas and the domain's types must not drift apart.
assertType<Equals<z.infer<typeof serviceConfig>, core.ServiceConfig>>();
assertType<Equals<z.infer<typeof counterConfig>, core.CounterConfig>>();
assertType<Equals<z.infer<typeof dispatchSettings>, core.DispatchSettings>>();
assertType<Equals<z.infer<typeof branchSettings>, core.BranchSettings>>();
assertType<Equals<z.infer<typeof branchConfig>, core.BranchConfig>>();
assertType<Equals<z.infer<typeof waitEstimate>, core.WaitEstimate>>();
assertType<Equals<z.infer<typeof waitWords>, core.WaitWords>>();
assertType<Equals<z.infer<typeof ticket>, core.Ticket>>();
assertType<Equals<z.infer<typeof counterState>, core.CounterState>>();
assertType<Equals<z.infer<typeof appointment>, core.Appointment>>();
assertType<Equals<z.infer<typeof queueState>, core.QueueState>>();
assertType<Equals<z.infer<typeof queueEvent>, core.QueueEvent>>();
