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
  WaitEstimate,
} from './types.ts';

/**
 * Every change to the queue, in the past tense. `at` is when it happened (epoch ms). The hub stores
 * them in an append-only log with a sequence number; `fold(events)` rebuilds the state.
 */
export type QueueEvent =
  | { type: 'BranchConfigured'; data: { branch: BranchSettings; at: number } }
  | { type: 'ServiceUpserted'; data: { service: ServiceConfig; at: number } }
  | { type: 'ServiceRemoved'; data: { serviceId: ServiceId; at: number } }
  | { type: 'CounterUpserted'; data: { counter: CounterConfig; at: number } }
  | { type: 'CounterRemoved'; data: { counterId: CounterId; at: number } }
  | { type: 'DispatchSettingsChanged'; data: { settings: DispatchSettings; at: number } }
  | {
      type: 'BusinessDayRolled';
      data: {
        from: string | null;
        to: string;
        /** Tickets left unfinished when the day closed, with the status they had. */
        unfinished: { ticketId: TicketId; status: 'waiting' | 'called' | 'serving' }[];
        at: number;
      };
    }
  | {
      type: 'TicketIssued';
      data: {
        ticketId: TicketId;
        number: string;
        seq: number;
        serviceId: ServiceId;
        class: TicketClass;
        source: TicketSource;
        appointmentId: AppointmentId | null;
        slotStart: number | null;
        estimate: WaitEstimate;
        at: number;
      };
    }
  | {
      type: 'TicketCalled';
      data: {
        ticketId: TicketId;
        counterId: CounterId;
        /** True when the teller called this number on purpose rather than "next". */
        specific: boolean;
        /** Tickets that had joined earlier and were passed over by this call (ageing). */
        overtaken: TicketId[];
        at: number;
      };
    }
  | {
      type: 'TicketRecalled';
      data: { ticketId: TicketId; counterId: CounterId; recalls: number; at: number };
    }
  | { type: 'TicketServingStarted'; data: { ticketId: TicketId; counterId: CounterId; at: number } }
  | {
      type: 'TicketFinished';
      data: {
        ticketId: TicketId;
        counterId: CounterId;
        /** Time at the counter: from serving start (or the call, if serving was never marked). */
        serviceMs: number;
        at: number;
      };
    }
  | { type: 'TicketNoShow'; data: { ticketId: TicketId; counterId: CounterId; at: number } }
  | {
      type: 'TicketTransferred';
      data: {
        ticketId: TicketId;
        fromCounterId: CounterId;
        toServiceId: ServiceId;
        toCounterId: CounterId | null;
        /** Time spent at the counter before the transfer. */
        serviceMs: number;
        at: number;
      };
    }
  | { type: 'TicketCancelled'; data: { ticketId: TicketId; reason: string; at: number } }
  | { type: 'TicketRated'; data: { ticketId: TicketId; score: number; at: number } }
  | { type: 'CounterOpened'; data: { counterId: CounterId; at: number } }
  | {
      type: 'CounterPaused';
      data: {
        counterId: CounterId;
        reason: string;
        /** When the teller said the counter will be back, epoch ms; absent when not said. */
        expectedBackAt?: number;
        at: number;
      };
    }
  | { type: 'CounterResumed'; data: { counterId: CounterId; at: number } }
  | { type: 'CounterClosed'; data: { counterId: CounterId; at: number } }
  | {
      type: 'AppointmentBooked';
      data: {
        appointmentId: AppointmentId;
        code: string;
        serviceId: ServiceId;
        slotStart: number;
        slotEnd: number;
        customerName: string | null;
        phoneTail: string | null;
        at: number;
      };
    }
  | { type: 'AppointmentCancelled'; data: { appointmentId: AppointmentId; at: number } }
  | {
      type: 'AppointmentCheckedIn';
      data: { appointmentId: AppointmentId; ticketId: TicketId; at: number };
    };

export type QueueEventType = QueueEvent['type'];
export type EventOf<T extends QueueEventType> = Extract<QueueEvent, { type: T }>;

export const QUEUE_EVENT_TYPES = [
  'BranchConfigured',
  'ServiceUpserted',
  'ServiceRemoved',
  'CounterUpserted',
  'CounterRemoved',
  'DispatchSettingsChanged',
  'BusinessDayRolled',
  'TicketIssued',
  'TicketCalled',
  'TicketRecalled',
  'TicketServingStarted',
  'TicketFinished',
  'TicketNoShow',
  'TicketTransferred',
  'TicketCancelled',
  'TicketRated',
  'CounterOpened',
  'CounterPaused',
  'CounterResumed',
  'CounterClosed',
  'AppointmentBooked',
  'AppointmentCancelled',
  'AppointmentCheckedIn',
] as const satisfies readonly QueueEventType[];

// Compile-time check that the list above names every event type.
type _MissingEventType = Exclude<QueueEventType, (typeof QUEUE_EVENT_TYPES)[number]>;
const _allEventTypesListed: _MissingEventType extends never ? true : never = true;
void _allEventTypesListed;
