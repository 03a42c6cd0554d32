import { emptyBranchConfig } from './config.ts';
import type { QueueEvent } from './events.ts';
import {
  type BranchConfig,
  type CounterState,
  type QueueState,
  SERVICE_HISTORY_SIZE,
  type Ticket,
  type TicketId,
} from './types.ts';

/** The state before any event: a branch with the given configuration and no business day yet. */
export function initialState(config: BranchConfig = emptyBranchConfig()): QueueState {
  return {
    config,
    day: null,
    tickets: {},
    lastSeq: {},
    queueSeq: 0,
    counters: Object.fromEntries(
      config.counterOrder.map((id) => [
        id,
        { id, status: 'closed', pauseReason: null, ticketId: null, since: 0 },
      ]),
    ),
    appointments: {},
    serviceHistory: {},
  };
}

function patchTicket(state: QueueState, id: TicketId, patch: Partial<Ticket>): Record<TicketId, Ticket> {
  const t = state.tickets[id];
  if (!t) return state.tickets;
  return { ...state.tickets, [id]: { ...t, ...patch } };
}

function patchCounter(
  state: QueueState,
  id: string,
  patch: Partial<CounterState>,
): Record<string, CounterState> {
  const c = state.counters[id];
  if (!c) return state.counters;
  return { ...state.counters, [id]: { ...c, ...patch } };
}

/** Frees the counter a ticket is at, if that counter still holds it. */
function releaseCounter(state: QueueState, ticketId: TicketId): Record<string, CounterState> {
  const counterId = state.tickets[ticketId]?.counterId;
  if (!counterId || state.counters[counterId]?.ticketId !== ticketId) return state.counters;
  return patchCounter(state, counterId, { ticketId: null });
}

/**
 * Applies one event. Pure and total: an event refers only to things that existed when it was
 * decided, and an event about something unknown (which a well-formed log never holds) changes nothing.
 */
export function evolve(state: QueueState, event: QueueEvent): QueueState {
  switch (event.type) {
    case 'BranchConfigured':
      return { ...state, config: { ...state.config, branch: event.data.branch } };
    case 'ServiceUpserted': {
      const { service } = event.data;
      const { config } = state;
      return {
        ...state,
        config: {
          ...config,
          services: { ...config.services, [service.id]: service },
          serviceOrder: config.serviceOrder.includes(service.id)
            ? config.serviceOrder
            : [...config.serviceOrder, service.id],
        },
      };
    }
    case 'ServiceRemoved': {
      const { serviceId } = event.data;
      const { [serviceId]: _, ...services } = state.config.services;
      return {
        ...state,
        config: {
          ...state.config,
          services,
          serviceOrder: state.config.serviceOrder.filter((id) => id !== serviceId),
        },
      };
    }
    case 'CounterUpserted': {
      const { counter } = event.data;
      const { config } = state;
      return {
        ...state,
        config: {
          ...config,
          counters: { ...config.counters, [counter.id]: counter },
          counterOrder: config.counterOrder.includes(counter.id)
            ? config.counterOrder
            : [...config.counterOrder, counter.id],
        },
        counters: state.counters[counter.id]
          ? state.counters
          : {
              ...state.counters,
              [counter.id]: {
                id: counter.id,
                status: 'closed',
                pauseReason: null,
                ticketId: null,
                since: event.data.at,
              },
            },
      };
    }
    case 'CounterRemoved': {
      const { counterId } = event.data;
      const { [counterId]: _c, ...counterConfigs } = state.config.counters;
      const { [counterId]: _s, ...counters } = state.counters;
      return {
        ...state,
        config: {
          ...state.config,
          counters: counterConfigs,
          counterOrder: state.config.counterOrder.filter((id) => id !== counterId),
        },
        counters,
      };
    }
    case 'DispatchSettingsChanged':
      return { ...state, config: { ...state.config, dispatch: event.data.settings } };
    case 'BusinessDayRolled': {
      const { at } = event.data;
      // A new day starts with no tickets and every counter closed: tellers open their counters when
      // they sit down. Appointments that can no longer be checked in are dropped from the state (the
      // log keeps them).
      const appointments = Object.fromEntries(
        Object.entries(state.appointments).filter(([, a]) => a.status === 'booked' && a.slotEnd > at),
      );
      const counters = Object.fromEntries(
        Object.entries(state.counters).map(([id, c]) => [
          id,
          { ...c, status: 'closed' as const, pauseReason: null, ticketId: null, since: at },
        ]),
      );
      return { ...state, day: event.data.to, tickets: {}, lastSeq: {}, queueSeq: 0, counters, appointments };
    }
    case 'TicketIssued': {
      const d = event.data;
      const queueSeq = state.queueSeq + 1;
      const ticket: Ticket = {
        id: d.ticketId,
        number: d.number,
        seq: d.seq,
        serviceId: d.serviceId,
        class: d.class,
        source: d.source,
        status: 'waiting',
        issuedAt: d.at,
        queuedAt: d.at,
        queueOrder: queueSeq,
        calledAt: null,
        servingAt: null,
        endedAt: null,
        counterId: null,
        targetCounterId: null,
        recalls: 0,
        overtaken: 0,
        transfers: 0,
        appointmentId: d.appointmentId,
        slotStart: d.slotStart,
        estimate: d.estimate,
        rating: null,
      };
      return {
        ...state,
        tickets: { ...state.tickets, [d.ticketId]: ticket },
        lastSeq: { ...state.lastSeq, [d.serviceId]: Math.max(d.seq, state.lastSeq[d.serviceId] ?? 0) },
        queueSeq,
      };
    }
    case 'TicketCalled': {
      const d = event.data;
      let tickets = patchTicket(state, d.ticketId, {
        status: 'called',
        calledAt: d.at,
        servingAt: null,
        endedAt: null,
        counterId: d.counterId,
        targetCounterId: null,
      });
      if (d.overtaken.length > 0) {
        tickets = { ...tickets };
        for (const id of d.overtaken) {
          const t = tickets[id];
          if (t) tickets[id] = { ...t, overtaken: t.overtaken + 1 };
        }
      }
      return { ...state, tickets, counters: patchCounter(state, d.counterId, { ticketId: d.ticketId }) };
    }
    case 'TicketRecalled':
      return { ...state, tickets: patchTicket(state, event.data.ticketId, { recalls: event.data.recalls }) };
    case 'TicketServingStarted':
      return {
        ...state,
        tickets: patchTicket(state, event.data.ticketId, { status: 'serving', servingAt: event.data.at }),
      };
    case 'TicketFinished': {
      const d = event.data;
      const serviceId = state.tickets[d.ticketId]?.serviceId;
      const history = serviceId ? [...(state.serviceHistory[serviceId] ?? []), d.serviceMs] : [];
      return {
        ...state,
        tickets: patchTicket(state, d.ticketId, { status: 'done', endedAt: d.at }),
        counters: releaseCounter(state, d.ticketId),
        serviceHistory: serviceId
          ? { ...state.serviceHistory, [serviceId]: history.slice(-SERVICE_HISTORY_SIZE) }
          : state.serviceHistory,
      };
    }
    case 'TicketNoShow':
      return {
        ...state,
        tickets: patchTicket(state, event.data.ticketId, { status: 'noShow', endedAt: event.data.at }),
        counters: releaseCounter(state, event.data.ticketId),
      };
    case 'TicketTransferred': {
      const d = event.data;
      const queueSeq = state.queueSeq + 1;
      const t = state.tickets[d.ticketId];
      return {
        ...state,
        tickets: patchTicket(state, d.ticketId, {
          status: 'waiting',
          serviceId: d.toServiceId,
          targetCounterId: d.toCounterId,
          queuedAt: d.at,
          queueOrder: queueSeq,
          calledAt: null,
          servingAt: null,
          overtaken: 0,
          transfers: (t?.transfers ?? 0) + 1,
        }),
        counters: releaseCounter(state, d.ticketId),
        queueSeq,
      };
    }
    case 'TicketCancelled':
      return {
        ...state,
        tickets: patchTicket(state, event.data.ticketId, { status: 'cancelled', endedAt: event.data.at }),
        counters: releaseCounter(state, event.data.ticketId),
      };
    case 'TicketRated':
      return { ...state, tickets: patchTicket(state, event.data.ticketId, { rating: event.data.score }) };
    case 'CounterOpened':
      return {
        ...state,
        counters: patchCounter(state, event.data.counterId, {
          status: 'open',
          pauseReason: null,
          since: event.data.at,
        }),
      };
    case 'CounterPaused':
      return {
        ...state,
        counters: patchCounter(state, event.data.counterId, {
          status: 'paused',
          pauseReason: event.data.reason,
          since: event.data.at,
        }),
      };
    case 'CounterResumed':
      return {
        ...state,
        counters: patchCounter(state, event.data.counterId, {
          status: 'open',
          pauseReason: null,
          since: event.data.at,
        }),
      };
    case 'CounterClosed':
      return {
        ...state,
        counters: patchCounter(state, event.data.counterId, {
          status: 'closed',
          pauseReason: null,
          ticketId: null,
          since: event.data.at,
        }),
      };
    case 'AppointmentBooked': {
      const d = event.data;
      return {
        ...state,
        appointments: {
          ...state.appointments,
          [d.appointmentId]: {
            id: d.appointmentId,
            code: d.code,
            serviceId: d.serviceId,
            slotStart: d.slotStart,
            slotEnd: d.slotEnd,
            customerName: d.customerName,
            phoneTail: d.phoneTail,
            status: 'booked',
            bookedAt: d.at,
            ticketId: null,
          },
        },
      };
    }
    case 'AppointmentCancelled': {
      const a = state.appointments[event.data.appointmentId];
      if (!a) return state;
      return { ...state, appointments: { ...state.appointments, [a.id]: { ...a, status: 'cancelled' } } };
    }
    case 'AppointmentCheckedIn': {
      const a = state.appointments[event.data.appointmentId];
      if (!a) return state;
      return {
        ...state,
        appointments: {
          ...state.appointments,
          [a.id]: { ...a, status: 'checkedIn', ticketId: event.data.ticketId },
        },
      };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The state after a sequence of events, from `initialState(config)`. */
export function fold(events: Iterable<QueueEvent>, from: QueueState = initialState()): QueueState {
  let state = from;
  for (const e of events) state = evolve(state, e);
  return state;
}
