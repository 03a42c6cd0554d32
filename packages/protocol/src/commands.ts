import { z } from 'zod';
import { bilingual, epochMs, id, label, nonEmptyShort, PROTOCOL_VERSION, seq } from './common.ts';
import {
  branchSettings,
  counterConfig,
  dispatchSettings,
  domainErrorBody,
  serviceConfig,
  ticket,
} from './domain.ts';
import { loggedEvent } from './events.ts';

/**
 * Commands as clients send them to the hub (`POST /api/v1/commands`). They carry neither a time nor
 * new ids: the hub stamps its own clock, makes the ids (ticket ids are unguessable, they name the
 * follow page) and knows who is asking from the session or device token. Objects are strict: a
 * misspelt field is an error, not silently dropped.
 */
const cmd = <T extends string, D extends z.ZodRawShape>(type: T, data: D) =>
  z.strictObject({ type: z.literal(type), data: z.strictObject(data) });

const counterId = { counterId: id };

export const cancelReason = z.enum(['printFailed', 'customerLeft', 'staffVoid', 'duplicate']);

export const clientCommand = z.discriminatedUnion('type', [
  cmd('ConfigureBranch', { branch: branchSettings }),
  cmd('UpsertService', { service: serviceConfig }),
  cmd('RemoveService', { serviceId: id }),
  cmd('UpsertCounter', { counter: counterConfig }),
  cmd('RemoveCounter', { counterId: id }),
  cmd('SetDispatchSettings', { settings: dispatchSettings }),
  cmd('RollBusinessDay', {}),
  cmd('IssueTicket', { serviceId: id, class: z.enum(['normal', 'vip', 'priority']) }),
  cmd('CancelTicket', { ticketId: id, reason: cancelReason }),
  cmd('RateTicket', { ticketId: id, score: z.number().int().min(1).max(5) }),
  cmd('CallNext', counterId),
  cmd('CallTicket', { counterId: id, number: z.string().min(1).max(12) }),
  cmd('Recall', counterId),
  cmd('MarkNoShow', counterId),
  cmd('StartServing', counterId),
  cmd('FinishTicket', counterId),
  cmd('TransferTicket', { counterId: id, toServiceId: id.nullable(), toCounterId: id.nullable() }),
  cmd('OpenCounter', counterId),
  cmd('PauseCounter', {
    counterId: id,
    reason: label(),
    /** What the teller says ("back in 15 / 30 / 60 min"); optional. */
    backInMinutes: z.number().int().min(1).max(480).optional(),
  }),
  cmd('ResumeCounter', counterId),
  cmd('CloseCounter', counterId),
  cmd('BookAppointment', {
    serviceId: id,
    slotStart: epochMs,
    customerName: label().nullable(),
    phoneTail: z
      .string()
      .regex(/^\d{4}$/, 'the last 4 digits of a phone number')
      .nullable(),
  }),
  cmd('CancelAppointment', { appointmentId: id }),
  cmd('CheckInAppointment', {
    code: z
      .string()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9-]+$/, 'letters and digits'),
  }),
]);
export type ClientCommand = z.infer<typeof clientCommand>;
export type ClientCommandType = ClientCommand['type'];

/** The envelope of a command. `requestId` makes retries safe: the same id gets the same answer. */
export const commandRequest = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  requestId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  command: clientCommand,
});
export type CommandRequest = z.infer<typeof commandRequest>;

/** What the hub answers once the command's events are durably committed. */
export const commandAccepted = z.object({
  ok: z.literal(true),
  /** Sequence number of the last event written. */
  seq,
  events: z.array(loggedEvent),
  /** For IssueTicket and CheckInAppointment: the ticket as issued, and its follow-page address. */
  ticket: ticket.extend({ followUrl: z.string().max(300) }).optional(),
  /** For BookAppointment: the booking and its check-in code. */
  appointment: z
    .object({ appointmentId: id, code: nonEmptyShort, slotStart: epochMs, slotEnd: epochMs })
    .optional(),
});

/** Any error the hub answers with: a domain refusal, bad input, or no right to do it. */
export const errorBody = z.object({
  ok: z.literal(false),
  error: z.union([
    domainErrorBody.extend({ kind: z.literal('domain') }),
    z.object({
      kind: z.enum([
        'input',
        'auth',
        'forbidden',
        'notFound',
        'conflict',
        'rateLimited',
        'unavailable',
        'internal',
      ]),
      code: z.string(),
      message: bilingual,
      detail: z.string().max(4000).optional(),
    }),
  ]),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const commandResponse = z.union([commandAccepted, errorBody]);
export type CommandAccepted = z.infer<typeof commandAccepted>;
export type CommandResponse = z.infer<typeof commandResponse>;
