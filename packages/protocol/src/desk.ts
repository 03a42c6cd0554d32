import { z } from 'zod';
import { cancelReason, commandAccepted } from './commands.ts';
import { epochMs, id, lang, nonEmptyShort, shortText } from './common.ts';
import { healthComponent } from './devices.ts';
import { ticketClass, ticketSource, ticketStatus } from './domain.ts';

/**
 * The floor desk (大堂): staff issue VIP and priority (老弱病残孕) tickets — or a normal one for a
 * customer who needs help — and void tickets issued by mistake. A desk ticket prints on a kiosk the
 * staff member picks (the one beside the customer), through the kiosk's own printer: the hub records
 * `TicketPrintRequested`, the kiosk prints it and answers with `TicketPrintReported`.
 */

const requestId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** `POST /api/v1/desk/tickets` (staff). */
export const deskIssueRequest = z.strictObject({
  v: z.literal(1),
  /** A retry of the same press gets the same ticket (and no second print). */
  requestId: requestId.optional(),
  serviceId: id,
  class: z.enum(['normal', 'vip', 'priority']),
  /** The kiosk whose printer prints it; null = no paper (the customer is told the number). */
  printAt: id.nullable(),
  /** The language printed first on the ticket. */
  lang,
});
export type DeskIssueRequest = z.infer<typeof deskIssueRequest>;

/** `POST /api/v1/desk/tickets/:id/print` (staff): print a waiting ticket (again) on a kiosk. */
export const deskPrintRequest = z.strictObject({ v: z.literal(1), printAt: id, lang });
export type DeskPrintRequest = z.infer<typeof deskPrintRequest>;

/** `POST /api/v1/devices/print-report` (the kiosk that was asked to print). */
export const printReport = z.strictObject({
  v: z.literal(1),
  ticketId: id,
  ok: z.boolean(),
  /** Why it did not print (the kiosk's problem code: `PAPER_OUT`, `NOT_WAITING`…); null when printed. */
  problem: shortText.nullable(),
});
export type PrintReport = z.infer<typeof printReport>;

const who = z.object({ kind: z.enum(['staff', 'device', 'system', 'apiKey', 'public']), name: shortText });

/** One ticket as the desk page lists it: issued at the desk, or voided, today. */
export const deskTicket = z.object({
  ticketId: id,
  number: nonEmptyShort,
  serviceId: id,
  class: ticketClass,
  source: ticketSource,
  /** Where the ticket is now (null: it is not in today's state any more). */
  status: ticketStatus.nullable(),
  issuedAt: epochMs,
  issuedBy: who.nullable(),
  cancelled: z
    .object({ reason: z.union([cancelReason, shortText]), at: epochMs, by: who.nullable() })
    .nullable(),
  prints: z.array(
    z.object({
      deviceId: id,
      deviceName: shortText,
      requestedAt: epochMs,
      requestedBy: who.nullable(),
      outcome: z.enum(['requested', 'printed', 'failed']),
      problem: shortText.nullable(),
      at: epochMs,
    }),
  ),
});
export type DeskTicket = z.infer<typeof deskTicket>;

/** A kiosk the desk can print on, with its printer's state (so that a kiosk out of paper is not picked). */
export const deskKiosk = z.object({
  deviceId: id,
  name: shortText,
  online: z.boolean(),
  printer: healthComponent.nullable(),
});
export type DeskKiosk = z.infer<typeof deskKiosk>;

/** `GET /api/v1/desk/tickets` (staff). */
export const deskTicketsResponse = z.object({
  day: z.string().nullable(),
  tickets: z.array(deskTicket),
  kiosks: z.array(deskKiosk),
});
export type DeskTicketsResponse = z.infer<typeof deskTicketsResponse>;

/** `POST /api/v1/desk/tickets`: the command's answer, and the kiosk asked to print (or null). */
export const deskIssueResponse = commandAccepted.extend({ printAt: id.nullable() });
export type DeskIssueResponse = z.infer<typeof deskIssueResponse>;
