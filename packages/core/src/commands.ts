import type {
  AppointmentId,
  BranchSettings,
  CounterConfig,
  CounterId,
  DispatchSettings,
  ServiceConfig,
  ServiceId,
  TicketClass,
  TicketId,
  TicketSource,
} from './types.ts';

/**
 * What someone asks the queue to do, in the imperative. The clock (`at`, epoch ms) and any new id
 * (`ticketId`, `appointmentId`, `code`) come in on the command: the decider never reads a clock and
 * never makes up an id.
 */
export type QueueCommand =
  // Branch configuration (admin console).
  | { type: 'ConfigureBranch'; data: { branch: BranchSettings; at: number } }
  | { type: 'UpsertService'; data: { service: ServiceConfig; at: number } }
  | { type: 'RemoveService'; data: { serviceId: ServiceId; at: number } }
  | { type: 'UpsertCounter'; data: { counter: CounterConfig; at: number } }
  | { type: 'RemoveCounter'; data: { counterId: CounterId; at: number } }
  | { type: 'SetDispatchSettings'; data: { settings: DispatchSettings; at: number } }
  // The business day.
  | { type: 'RollBusinessDay'; data: { at: number } }
  // Tickets (kiosk, staff).
  | {
      type: 'IssueTicket';
      data: {
        ticketId: TicketId;
        serviceId: ServiceId;
        class: TicketClass;
        source: TicketSource;
        at: number;
      };
    }
  | { type: 'CancelTicket'; data: { ticketId: TicketId; reason: string; at: number } }
  | { type: 'RateTicket'; data: { ticketId: TicketId; score: number; at: number } }
  // Counter actions (counter console, caller keypad).
  | { type: 'CallNext'; data: { counterId: CounterId; at: number } }
  | { type: 'CallTicket'; data: { counterId: CounterId; number: string; at: number } }
  | { type: 'Recall'; data: { counterId: CounterId; at: number } }
  | { type: 'MarkNoShow'; data: { counterId: CounterId; at: number } }
  | { type: 'StartServing'; data: { counterId: CounterId; at: number } }
  | { type: 'FinishTicket'; data: { counterId: CounterId; at: number } }
  | {
      type: 'TransferTicket';
      data: {
        counterId: CounterId;
        toServiceId: ServiceId | null;
        toCounterId: CounterId | null;
        at: number;
      };
    }
  | { type: 'OpenCounter'; data: { counterId: CounterId; at: number } }
  | {
      type: 'PauseCounter';
      data: {
        counterId: CounterId;
        reason: string;
        /** What the teller said ("back in 15 / 30 / 60 min"); absent when nothing was said. */
        backInMinutes?: number;
        at: number;
      };
    }
  | { type: 'ResumeCounter'; data: { counterId: CounterId; at: number } }
  | { type: 'CloseCounter'; data: { counterId: CounterId; at: number } }
  // Appointments (booking API, kiosk check-in).
  | {
      type: 'BookAppointment';
      data: {
        appointmentId: AppointmentId;
        code: string;
        serviceId: ServiceId;
        slotStart: number;
        customerName: string | null;
        phoneTail: string | null;
        at: number;
      };
    }
  | { type: 'CancelAppointment'; data: { appointmentId: AppointmentId; at: number } }
  | { type: 'CheckInAppointment'; data: { code: string; ticketId: TicketId; at: number } };

export type QueueCommandType = QueueCommand['type'];
export type CommandOf<T extends QueueCommandType> = Extract<QueueCommand, { type: T }>;

export const QUEUE_COMMAND_TYPES = [
  'ConfigureBranch',
  'UpsertService',
  'RemoveService',
  'UpsertCounter',
  'RemoveCounter',
  'SetDispatchSettings',
  'RollBusinessDay',
  'IssueTicket',
  'CancelTicket',
  'RateTicket',
  'CallNext',
  'CallTicket',
  'Recall',
  'MarkNoShow',
  'StartServing',
  'FinishTicket',
  'TransferTicket',
  'OpenCounter',
  'PauseCounter',
  'ResumeCounter',
  'CloseCounter',
  'BookAppointment',
  'CancelAppointment',
  'CheckInAppointment',
] as const satisfies readonly QueueCommandType[];

type _MissingCommandType = Exclude<QueueCommandType, (typeof QUEUE_COMMAND_TYPES)[number]>;
const _allCommandTypesListed: _MissingCommandType extends never ? true : never = true;
void _allCommandTypesListed;

/** Commands a counter's caller keypad or console may send for its own counter. */
export const COUNTER_COMMAND_TYPES = [
  'CallNext',
  'CallTicket',
  'Recall',
  'MarkNoShow',
  'StartServing',
  'FinishTicket',
  'TransferTicket',
  'OpenCounter',
  'PauseCounter',
  'ResumeCounter',
  'CloseCounter',
] as const satisfies readonly QueueCommandType[];

/** Commands that change the branch's configuration (IT admin only). */
export const CONFIG_COMMAND_TYPES = [
  'ConfigureBranch',
  'UpsertService',
  'RemoveService',
  'UpsertCounter',
  'RemoveCounter',
  'SetDispatchSettings',
] as const satisfies readonly QueueCommandType[];
