import type * as core from '@nextup/core';
import { z } from 'zod';
import { assertType, bilingual, type Equals, epochMs, id, lang, nonEmptyShort, shortText } from './common.ts';
import { serviceConfig, ticketClass, waitEstimate, waitWords } from './domain.ts';
import { localError } from './local.ts';

/**
 * The kiosk's local messages: its React UI ↔ its agent on the same box (`/local/*` REST and the
 * `/local/stream` push). The agent validates every request with these, and the UI validates every
 * answer and push, so neither side trusts the other's bytes blindly.
 */

/** The hub's `GET /api/v1/offers`: the start screen's figures, computed on the hub's clock. */
export const hubOffersResponse = z.object({
  seq: z.number().int().nonnegative(),
  serverTime: epochMs,
  offers: z.array(
    z.object({
      service: serviceConfig,
      waiting: z.number().int().nonnegative(),
      availability: z.union([
        z.object({ available: z.literal(true) }),
        z.object({ available: z.literal(false), reason: z.literal('disabled') }),
        z.object({
          available: z.literal(false),
          reason: z.literal('outsideHours'),
          opensAt: z.string().nullable(),
        }),
        z.object({ available: z.literal(false), reason: z.literal('soldOut') }),
      ]),
      class: z.enum(['normal', 'vip', 'priority']),
      estimate: waitEstimate.nullable(),
      words: waitWords.nullable(),
      byClass: z.partialRecord(
        z.enum(['normal', 'vip', 'priority']),
        z.object({ estimate: waitEstimate, words: waitWords }),
      ),
    }),
  ),
});
export type HubOffersResponse = z.infer<typeof hubOffersResponse>;
// The hub sends `serviceOffers(...)` as it is: the schema must not drift from the core's type.
assertType<Equals<HubOffersResponse['offers'][number], core.ServiceOffer>>();

/** A request id the UI makes per tap: a retry of the same tap gets the same ticket, never a second. */
export const kioskRequestId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** The wait as the kiosk shows and prints it: a range, never one fake-precise number. */
export const kioskEstimate = z.object({
  lowMinutes: z.number().int().nonnegative(),
  highMinutes: z.number().int().nonnegative(),
  /** No open counter serves this service now: the range assumes one opens. */
  noCounterOpen: z.boolean(),
  /** The customer's words for it (core's `waitWords`): what the screen and the ticket say. */
  words: waitWords.optional(),
});
export type KioskEstimate = z.infer<typeof kioskEstimate>;

/** One service button on the start screen. */
export const kioskOffer = z.object({
  serviceId: id,
  prefix: z.string().max(2),
  name: bilingual,
  hint: bilingual.nullable(),
  /** A self-service machine is faster for this business: said on the button, before the tap. */
  selfServiceSuggested: z.boolean(),
  waiting: z.number().int().nonnegative(),
  /**
   * People a ticket taken now would have ahead of it in its own queue: the customers of this service
   * the counters will call first (core's `aheadInQueue`; other services' customers at shared counters
   * are not counted). This, not `waiting`, is what the button shows, so that it matches the "people
   * ahead of you" printed on the ticket. Null when the service cannot issue.
   */
  ahead: z.number().int().nonnegative().nullable(),
  available: z.boolean(),
  /** Why the button is disabled, in both languages; null when available. */
  reason: bilingual.nullable(),
  estimate: kioskEstimate.nullable(),
});
export type KioskOffer = z.infer<typeof kioskOffer>;

/** Why the kiosk cannot issue a ticket now (or a print failed), with a code and words. */
export const kioskProblemCode = z.enum([
  'HUB_OFFLINE',
  'CONNECTING',
  'NOT_PAIRED',
  'NO_PRINTER',
  'PAPER_OUT',
  'COVER_OPEN',
  'PRINTER_OFFLINE',
  'PRINTER_ERROR',
]);
export type KioskProblemCode = z.infer<typeof kioskProblemCode>;
export const kioskProblem = z.object({ code: kioskProblemCode, message: bilingual });
export type KioskProblem = z.infer<typeof kioskProblem>;

/** A ticket as the kiosk shows it after the tap (and prints it). */
export const kioskTicket = z.object({
  ticketId: id,
  number: nonEmptyShort,
  serviceId: id,
  service: bilingual,
  class: ticketClass,
  /** People called before this ticket. */
  ahead: z.number().int().nonnegative(),
  estimate: kioskEstimate.nullable(),
  /** The hub's follow page of this ticket (the QR code). */
  followUrl: z.string().url().max(300),
  issuedAt: epochMs,
  /** Local time of issue in the branch's time zone, 'YYYY-MM-DD HH:MM'. */
  issuedAtText: z.string().max(32),
  hint: bilingual.nullable(),
  /** Appointment tickets: the booked slot, local 'HH:MM–HH:MM'. */
  slotText: z.string().max(32).nullable(),
});
export type KioskTicket = z.infer<typeof kioskTicket>;

/**
 * Where a ticket's print is. `failed`: not (fully) printed — the ticket keeps its place in the queue,
 * the screen keeps showing its number and QR code, and it can be reprinted once the printer is fine.
 */
export const kioskPrint = z.object({
  ticketId: id,
  number: nonEmptyShort,
  status: z.enum(['printing', 'printed', 'failed', 'voided']),
  problem: kioskProblem.nullable(),
  /** A failed ticket can be reprinted now (the printer is fine again). */
  canReprint: z.boolean(),
  at: epochMs,
  /**
   * Where the ticket itself is now, so that the screen follows it rather than the print: `waiting`,
   * `called` or `serving` (with the counter), `ended` (done, no-show, cancelled, or a past day). A
   * ticket that was called or has ended needs no reprint and cannot be voided.
   */
  ticket: z.object({
    status: z.enum(['waiting', 'called', 'serving', 'ended']),
    counter: z.object({ number: z.number().int().min(1).max(999), name: bilingual }).nullable(),
  }),
});
export type KioskPrint = z.infer<typeof kioskPrint>;

/** Everything the UI shows, pushed on `/local/stream` after every change. */
export const kioskState = z.object({
  v: z.literal(1),
  /** `unpaired`: the pairing screen. `ready`: paired (whether or not the hub is reachable). */
  phase: z.enum(['unpaired', 'pairing', 'ready']),
  link: z.enum(['connecting', 'online', 'offline', 'revoked']),
  /** The hub this kiosk is paired with (or was last asked to pair with). */
  hubUrl: z.string().max(200).nullable(),
  device: z.object({ deviceId: id, name: shortText }).nullable(),
  /** The last pairing attempt's refusal, in both languages; null when none. */
  pairingError: bilingual.nullable(),
  branch: bilingual.nullable(),
  offers: z.array(kioskOffer).max(64),
  /** Whether check-in is offered (a shown service takes appointments). */
  appointments: z.boolean(),
  /**
   * Why check-in cannot be done now, in both languages (the services that take appointments have
   * closed for the day, or are stopped); null while it can (before opening too: early check-in is the
   * hub's to judge).
   */
  appointmentsClosed: bilingual.nullable(),
  /** Why no ticket can be issued now, or null when tickets can be issued. */
  blocked: kioskProblem.nullable(),
  printer: z.object({
    level: z.enum(['ok', 'warning', 'error']),
    problem: kioskProblem.nullable(),
    /** The roll is nearly empty (tickets still print). */
    paperNearEnd: z.boolean(),
  }),
  /** Seconds without a touch before the UI returns to its start screen (the admin's setting). */
  idleSeconds: z.number().int().min(5).max(600),
  /** The latest prints, newest last (the ticket screen follows its ticket here). */
  prints: z.array(kioskPrint).max(50),
  /** The hub's time at the last offers refresh (the screen's clock), or null. */
  serverTime: epochMs.nullable(),
});
export type KioskState = z.infer<typeof kioskState>;

/** Agent → UI on `/local/stream`. */
export const kioskStreamMessage = z.object({ type: z.literal('state'), state: kioskState });
export type KioskStreamMessage = z.infer<typeof kioskStreamMessage>;

// ── UI → agent ──

/** `POST /local/issue`: a walk-in ticket for a service. */
export const kioskIssueRequest = z.strictObject({
  v: z.literal(1),
  requestId: kioskRequestId,
  serviceId: id,
  /** The customer's language: printed first on the ticket. */
  lang,
});
export type KioskIssueRequest = z.infer<typeof kioskIssueRequest>;

/** `POST /local/check-in`: an appointment code typed on the keypad or scanned. */
export const kioskCheckInRequest = z.strictObject({
  v: z.literal(1),
  requestId: kioskRequestId,
  code: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9-]+$/, 'letters and digits'),
  /** Typed on the keypad or read by the scanner (for the log). */
  via: z.enum(['keypad', 'scanner']),
  lang,
});
export type KioskCheckInRequest = z.infer<typeof kioskCheckInRequest>;

/** `POST /local/reprint` and `POST /local/void`: a ticket whose print failed. */
export const kioskTicketRequest = z.strictObject({ v: z.literal(1), ticketId: id });
export type KioskTicketRequest = z.infer<typeof kioskTicketRequest>;

/** `POST /local/pair`: the pairing screen (only while the kiosk is not paired). */
export const kioskPairRequest = z.strictObject({
  v: z.literal(1),
  /** `192.168.1.10:8300` or `http://192.168.1.10:8300`. */
  hubAddress: z.string().trim().min(1).max(200),
  code: z.string().regex(/^\d{6}$/, 'a 6-digit pairing code'),
  name: shortText.min(1).optional(),
});
export type KioskPairRequest = z.infer<typeof kioskPairRequest>;

/** Why the agent refused a local request: the shape every device agent's local routes share. */
export const kioskError = localError;
export type KioskError = z.infer<typeof kioskError>;

/** The agent's answer to issue and check-in: the ticket (printing has begun), or why not. */
export const kioskTicketAnswer = z.union([
  z.object({ ok: z.literal(true), ticket: kioskTicket, print: kioskPrint }),
  z.object({ ok: z.literal(false), error: kioskError }),
]);
export type KioskTicketAnswer = z.infer<typeof kioskTicketAnswer>;

/** The agent's answer to pair, reprint and void. */
export const kioskAnswer = z.union([
  z.object({ ok: z.literal(true), print: kioskPrint.optional() }),
  z.object({ ok: z.literal(false), error: kioskError }),
]);
export type KioskAnswer = z.infer<typeof kioskAnswer>;
