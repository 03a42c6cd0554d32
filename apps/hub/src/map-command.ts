import type { QueueCommand, QueueState } from '@nextup/core';
import type { ClientCommand } from '@nextup/protocol';

export interface MapContext {
  at: number;
  /** A fresh unguessable id (ticket ids name the customer's follow page). */
  newId: () => string;
  /** A fresh appointment check-in code. */
  newCode: () => string;
  source: 'kiosk' | 'staff';
  state: QueueState;
}

/**
 * Turns what a client asked into a domain command: stamps the hub's clock and makes the ids, which
 * clients never choose.
 */
export function toQueueCommand(c: ClientCommand, ctx: MapContext): QueueCommand {
  const { at } = ctx;
  switch (c.type) {
    case 'IssueTicket':
      return {
        type: 'IssueTicket',
        data: {
          ticketId: ctx.newId(),
          serviceId: c.data.serviceId,
          class: c.data.class,
          source: ctx.source,
          at,
        },
      };
    case 'CheckInAppointment':
      return { type: 'CheckInAppointment', data: { code: c.data.code, ticketId: ctx.newId(), at } };
    case 'BookAppointment': {
      const codes = new Set(Object.values(ctx.state.appointments).map((a) => a.code));
      let code = ctx.newCode();
      while (codes.has(code)) code = ctx.newCode();
      return {
        type: 'BookAppointment',
        data: {
          appointmentId: ctx.newId(),
          code,
          serviceId: c.data.serviceId,
          slotStart: c.data.slotStart,
          customerName: c.data.customerName,
          phoneTail: c.data.phoneTail,
          at,
        },
      };
    }
    case 'RollBusinessDay':
      return { type: 'RollBusinessDay', data: { at } };
    // Every other command carries exactly the domain command's data plus the hub's time.
    case 'ConfigureBranch':
      return { type: c.type, data: { ...c.data, at } };
    case 'UpsertService':
      return { type: c.type, data: { ...c.data, at } };
    case 'RemoveService':
      return { type: c.type, data: { ...c.data, at } };
    case 'UpsertCounter':
      return { type: c.type, data: { ...c.data, at } };
    case 'RemoveCounter':
      return { type: c.type, data: { ...c.data, at } };
    case 'SetDispatchSettings':
      return { type: c.type, data: { ...c.data, at } };
    case 'CancelTicket':
      return { type: c.type, data: { ...c.data, at } };
    case 'RateTicket':
      return { type: c.type, data: { ...c.data, at } };
    case 'CallTicket':
      return { type: c.type, data: { ...c.data, at } };
    case 'TransferTicket':
      return { type: c.type, data: { ...c.data, at } };
    case 'PauseCounter':
      return { type: c.type, data: { ...c.data, at } };
    case 'CancelAppointment':
      return { type: c.type, data: { ...c.data, at } };
    case 'CallNext':
    case 'Recall':
    case 'MarkNoShow':
    case 'StartServing':
    case 'FinishTicket':
    case 'OpenCounter':
    case 'ResumeCounter':
    case 'CloseCounter':
      return { type: c.type, data: { counterId: c.data.counterId, at } };
    default: {
      // A client command added to the protocol without a mapping here fails to compile.
      const _exhaustive: never = c;
      return _exhaustive;
    }
  }
}
