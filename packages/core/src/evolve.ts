import { emptyBranchConfig } from './config.ts';
import type { QueueEvent } from './events.ts';
import {
  type Appointment,
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

type Rec<T> = Record<string, T>;

/**
 * A copy-on-write draft of a state. Applying events never changes the state it started from: each
 * record (tickets, counters…) is copied the first time an event writes to it, and written in place
 * after that. So folding a batch of events costs one copy per record, not one per event — a busy
 * day's tickets record has 1,500 entries, and copying it per event made replays quadratic.
 */
class Draft {
  readonly s: QueueState;
  readonly #copied = new Set<string>();

  constructor(base: QueueState) {
    this.s = { ...base };
  }

  #own<K extends 'tickets' | 'counters' | 'lastSeq' | 'appointments' | 'serviceHistory'>(
    key: K,
  ): QueueState[K] {
    if (!this.#copied.has(key)) {
      (this.s as unknown as Rec<unknown>)[key] = { ...this.s[key] };
      this.#copied.add(key);
    }
    return this.s[key];
  }

  get tickets(): Rec<Ticket> {
    return this.#own('tickets');
  }
  get counters(): Rec<CounterState> {
    return this.#own('counters');
  }
  get lastSeq(): Rec<number> {
    return this.#own('lastSeq');
  }
  get appointments(): Rec<Appointment> {
    return this.#own('appointments');
  }
  get serviceHistory(): Rec<number[]> {
    return this.#own('serviceHistory');
  }

  /** Replaces a whole record (the business-day roll) and marks it owned. */
  replace<K extends 'tickets' | 'counters' | 'lastSeq' | 'appointments'>(key: K, value: QueueState[K]) {
    this.s[key] = value;
    this.#copied.add(key);
  }

  patchTicket(id: TicketId, patch: Partial<Ticket>) {
    const t = this.s.tickets[id];
    if (t) this.tickets[id] = { ...t, ...patch };
  }

  patchCounter(id: string, patch: Partial<CounterState>) {
    const c = this.s.counters[id];
    if (c) this.counters[id] = { ...c, ...patch };
  }

  /** Frees the counter a ticket is at, if that counter still holds it. */
  releaseCounter(ticketId: TicketId) {
    const counterId = this.s.tickets[ticketId]?.counterId;
    if (counterId && this.s.counters[counterId]?.ticketId === ticketId)
      this.patchCounter(counterId, { ticketId: null });
  }
}

/**
 * Applies one event to a draft. Total: an event refers only to things that existed when it was
 * decided, and an event about something unknown (which a well-formed log never holds) changes nothing.
 */
function apply(d: Draft, event: QueueEvent): void {
  const s = d.s;
  switch (event.type) {
    case 'BranchConfigured':
      s.config = { ...s.config, branch: event.data.branch };
      return;
    case 'ServiceUpserted': {
      const { service } = event.data;
      s.config = {
        ...s.config,
        services: { ...s.config.services, [service.id]: service },
        serviceOrder: s.config.serviceOrder.includes(service.id)
          ? s.config.serviceOrder
          : [...s.config.serviceOrder, service.id],
      };
      return;
    }
    case 'ServiceRemoved': {
      const { serviceId } = event.data;
      const { [serviceId]: _, ...services } = s.config.services;
      s.config = {
        ...s.config,
        services,
        serviceOrder: s.config.serviceOrder.filter((id) => id !== serviceId),
      };
      return;
    }
    case 'CounterUpserted': {
      const { counter } = event.data;
      s.config = {
        ...s.config,
        counters: { ...s.config.counters, [counter.id]: counter },
        counterOrder: s.config.counterOrder.includes(counter.id)
          ? s.config.counterOrder
          : [...s.config.counterOrder, counter.id],
      };
      if (!s.counters[counter.id])
        d.counters[counter.id] = {
          id: counter.id,
          status: 'closed',
          pauseReason: null,
          ticketId: null,
          since: event.data.at,
        };
      return;
    }
    case 'CounterRemoved': {
      const { counterId } = event.data;
      const { [counterId]: _c, ...counterConfigs } = s.config.counters;
      s.config = {
        ...s.config,
        counters: counterConfigs,
        counterOrder: s.config.counterOrder.filter((id) => id !== counterId),
      };
      delete d.counters[counterId];
      return;
    }
    case 'DispatchSettingsChanged':
      s.config = { ...s.config, dispatch: event.data.settings };
      return;
    case 'BusinessDayRolled': {
      const { at } = event.data;
      // A new day starts with no tickets and every counter closed: tellers open their counters when
      // they sit down. Appointments that can no longer be checked in are dropped from the state (the
      // log keeps them).
      d.replace(
        'appointments',
        Object.fromEntries(
          Object.entries(s.appointments).filter(([, a]) => a.status === 'booked' && a.slotEnd > at),
        ),
      );
      d.replace(
        'counters',
        Object.fromEntries(
          Object.entries(s.counters).map(([id, c]) => [
            id,
            { ...c, status: 'closed' as const, pauseReason: null, ticketId: null, since: at },
          ]),
        ),
      );
      d.replace('tickets', {});
      d.replace('lastSeq', {});
      s.day = event.data.to;
      s.queueSeq = 0;
      return;
    }
    case 'TicketIssued': {
      const e = event.data;
      s.queueSeq += 1;
      d.tickets[e.ticketId] = {
        id: e.ticketId,
        number: e.number,
        seq: e.seq,
        serviceId: e.serviceId,
        class: e.class,
        source: e.source,
        status: 'waiting',
        issuedAt: e.at,
        queuedAt: e.at,
        queueOrder: s.queueSeq,
        calledAt: null,
        servingAt: null,
        endedAt: null,
        counterId: null,
        targetCounterId: null,
        recalls: 0,
        overtaken: 0,
        transfers: 0,
        appointmentId: e.appointmentId,
        slotStart: e.slotStart,
        estimate: e.estimate,
        rating: null,
      };
      d.lastSeq[e.serviceId] = Math.max(e.seq, s.lastSeq[e.serviceId] ?? 0);
      return;
    }
    case 'TicketCalled': {
      const e = event.data;
      d.patchTicket(e.ticketId, {
        status: 'called',
        calledAt: e.at,
        servingAt: null,
        endedAt: null,
        counterId: e.counterId,
        targetCounterId: null,
      });
      for (const id of e.overtaken) {
        const t = s.tickets[id];
        if (t) d.tickets[id] = { ...t, overtaken: t.overtaken + 1 };
      }
      d.patchCounter(e.counterId, { ticketId: e.ticketId });
      return;
    }
    case 'TicketRecalled':
      d.patchTicket(event.data.ticketId, { recalls: event.data.recalls });
      return;
    case 'TicketServingStarted':
      d.patchTicket(event.data.ticketId, { status: 'serving', servingAt: event.data.at });
      return;
    case 'TicketFinished': {
      const e = event.data;
      const serviceId = s.tickets[e.ticketId]?.serviceId;
      d.releaseCounter(e.ticketId);
      d.patchTicket(e.ticketId, { status: 'done', endedAt: e.at });
      if (serviceId)
        d.serviceHistory[serviceId] = [...(s.serviceHistory[serviceId] ?? []), e.serviceMs].slice(
          -SERVICE_HISTORY_SIZE,
        );
      return;
    }
    case 'TicketNoShow':
      d.releaseCounter(event.data.ticketId);
      d.patchTicket(event.data.ticketId, { status: 'noShow', endedAt: event.data.at });
      return;
    case 'TicketTransferred': {
      const e = event.data;
      const t = s.tickets[e.ticketId];
      s.queueSeq += 1;
      d.releaseCounter(e.ticketId);
      d.patchTicket(e.ticketId, {
        status: 'waiting',
        serviceId: e.toServiceId,
        targetCounterId: e.toCounterId,
        queuedAt: e.at,
        queueOrder: s.queueSeq,
        calledAt: null,
        servingAt: null,
        overtaken: 0,
        transfers: (t?.transfers ?? 0) + 1,
      });
      return;
    }
    case 'TicketCancelled':
      d.releaseCounter(event.data.ticketId);
      d.patchTicket(event.data.ticketId, { status: 'cancelled', endedAt: event.data.at });
      return;
    case 'TicketRated':
      d.patchTicket(event.data.ticketId, { rating: event.data.score });
      return;
    case 'CounterOpened':
      d.patchCounter(event.data.counterId, { status: 'open', pauseReason: null, since: event.data.at });
      return;
    case 'CounterPaused':
      d.patchCounter(event.data.counterId, {
        status: 'paused',
        pauseReason: event.data.reason,
        since: event.data.at,
      });
      return;
    case 'CounterResumed':
      d.patchCounter(event.data.counterId, { status: 'open', pauseReason: null, since: event.data.at });
      return;
    case 'CounterClosed':
      d.patchCounter(event.data.counterId, {
        status: 'closed',
        pauseReason: null,
        ticketId: null,
        since: event.data.at,
      });
      return;
    case 'AppointmentBooked': {
      const e = event.data;
      d.appointments[e.appointmentId] = {
        id: e.appointmentId,
        code: e.code,
        serviceId: e.serviceId,
        slotStart: e.slotStart,
        slotEnd: e.slotEnd,
        customerName: e.customerName,
        phoneTail: e.phoneTail,
        status: 'booked',
        bookedAt: e.at,
        ticketId: null,
      };
      return;
    }
    case 'AppointmentCancelled': {
      const a = s.appointments[event.data.appointmentId];
      if (a) d.appointments[a.id] = { ...a, status: 'cancelled' };
      return;
    }
    case 'AppointmentCheckedIn': {
      const a = s.appointments[event.data.appointmentId];
      if (a) d.appointments[a.id] = { ...a, status: 'checkedIn', ticketId: event.data.ticketId };
      return;
    }
    default: {
      const _exhaustive: never = event;
      void _exhaustive;
    }
  }
}

/** Applies one event: a new state; the given one is left as it was. */
export function evolve(state: QueueState, event: QueueEvent): QueueState {
  const d = new Draft(state);
  apply(d, event);
  return d.s;
}

/**
 * Applies many events at once: the same result as applying them one by one with `evolve`, at the cost
 * of one copy of each record instead of one per event. The given state is left as it was.
 */
export function evolveAll(state: QueueState, events: Iterable<QueueEvent>): QueueState {
  const d = new Draft(state);
  for (const e of events) apply(d, e);
  return d.s;
}

/** The state after a sequence of events, from `initialState(config)`. */
export function fold(events: Iterable<QueueEvent>, from: QueueState = initialState()): QueueState {
  return evolveAll(from, events);
}
