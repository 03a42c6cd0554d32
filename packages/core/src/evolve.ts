import { localTime } from './clock.ts';
import { emptyBranchConfig } from './config.ts';
import { MINUTE } from './durations.ts';
import type { QueueEvent } from './events.ts';
import { has, isId, own, put } from './records.ts';
import {
  type Appointment,
  type BranchConfig,
  type BranchHistory,
  CLASS_HISTORY_SIZE,
  type CounterState,
  ESTIMATE_HISTORY_SIZE,
  OUTCOME_HISTORY_SIZE,
  PAUSE_HISTORY_SIZE,
  type QueueState,
  SERVICE_HISTORY_SIZE,
  type Ticket,
  type TicketId,
} from './types.ts';

export function emptyHistory(): BranchHistory {
  return { pauses: {}, outcomes: {}, estimates: [], classes: {} };
}

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
    history: emptyHistory(),
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

  #writable<K extends 'tickets' | 'counters' | 'lastSeq' | 'appointments' | 'serviceHistory'>(
    key: K,
  ): QueueState[K] {
    if (!this.#copied.has(key)) {
      (this.s as unknown as Rec<unknown>)[key] = { ...this.s[key] };
      this.#copied.add(key);
    }
    return this.s[key];
  }

  get tickets(): Rec<Ticket> {
    return this.#writable('tickets');
  }
  get counters(): Rec<CounterState> {
    return this.#writable('counters');
  }
  get lastSeq(): Rec<number> {
    return this.#writable('lastSeq');
  }
  get appointments(): Rec<Appointment> {
    return this.#writable('appointments');
  }
  get serviceHistory(): Rec<number[]> {
    return this.#writable('serviceHistory');
  }

  #history: BranchHistory | null = null;

  /**
   * Appends to one of the estimator's bounded histories (copy-on-write like the rest: the history and
   * the list written are copied once per draft).
   */
  remember<K extends 'pauses' | 'outcomes' | 'classes'>(
    kind: K,
    key: string,
    item: BranchHistory[K][string][number],
    max: number,
  ): void {
    const h = this.#ownHistory();
    const copied = `${kind}\u0000${key}`;
    const lists = h[kind] as Rec<unknown[]>;
    if (!this.#copied.has(kind)) {
      (h as unknown as Rec<unknown>)[kind] = { ...lists };
      this.#copied.add(kind);
    }
    const own = h[kind] as Rec<unknown[]>;
    const before = Object.hasOwn(own, key) ? own[key]! : [];
    if (!this.#copied.has(copied)) {
      // An own property even for a key like "__proto__".
      Object.defineProperty(own, key, {
        value: [...before, item].slice(-max),
        writable: true,
        enumerable: true,
        configurable: true,
      });
      this.#copied.add(copied);
    } else {
      before.push(item);
      if (before.length > max) before.splice(0, before.length - max);
    }
  }

  rememberEstimate(item: BranchHistory['estimates'][number]): void {
    const h = this.#ownHistory();
    if (!this.#copied.has('estimates')) {
      h.estimates = [...h.estimates, item].slice(-ESTIMATE_HISTORY_SIZE);
      this.#copied.add('estimates');
    } else {
      h.estimates.push(item);
      if (h.estimates.length > ESTIMATE_HISTORY_SIZE) h.estimates.splice(0, 1);
    }
  }

  #ownHistory(): BranchHistory {
    if (!this.#history) {
      this.#history = { ...emptyHistory(), ...this.s.history };
      this.s.history = this.#history;
    }
    return this.#history;
  }

  /** Replaces a whole record (the business-day roll) and marks it owned. */
  replace<K extends 'tickets' | 'counters' | 'lastSeq' | 'appointments'>(key: K, value: QueueState[K]) {
    this.s[key] = value;
    this.#copied.add(key);
  }

  patchTicket(id: TicketId, patch: Partial<Ticket>) {
    const t = own(this.s.tickets, id);
    if (t) put(this.tickets, id, { ...t, ...patch });
  }

  patchCounter(id: string, patch: Partial<CounterState>) {
    const c = own(this.s.counters, id);
    if (c) put(this.counters, id, { ...c, ...patch });
  }

  /** Frees the counter a ticket is at, if that counter still holds it. */
  releaseCounter(ticketId: TicketId) {
    const counterId = own(this.s.tickets, ticketId)?.counterId;
    if (counterId && own(this.s.counters, counterId)?.ticketId === ticketId)
      this.patchCounter(counterId, { ticketId: null });
  }
}

const round1 = (v: number) => Math.round(Math.max(0, v) * 10) / 10;

/**
 * Remembers what became of a waiting customer on their first call's outcome (or their cancellation):
 * the estimator's survival curve learns who is still in the branch from these. Only the first leg
 * (a transferred customer is at the counters already) and only once per ticket.
 */
function rememberOutcome(d: Draft, ticketId: TicketId, outcome: 0 | 1 | 2, at?: number): void {
  const t = Object.hasOwn(d.s.tickets, ticketId) ? d.s.tickets[ticketId] : undefined;
  // Appointment holders wait for their slot, not in the walk-in queue: their patience is another matter.
  if (!t || t.transfers > 0 || t.class === 'appointment') return;
  if (outcome === 2) {
    if (t.status !== 'waiting' || at === undefined) return;
    d.remember('outcomes', t.serviceId, [round1((at - t.queuedAt) / MINUTE), 2], OUTCOME_HISTORY_SIZE);
    return;
  }
  // Served: counted at "start" (console) or at the end when start was never pressed (keypad).
  if (t.calledAt === null || t.servingAt !== null || t.status === 'noShow') return;
  d.remember(
    'outcomes',
    t.serviceId,
    [round1((t.calledAt - t.queuedAt) / MINUTE), outcome],
    OUTCOME_HISTORY_SIZE,
  );
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
      if (!has(s.counters, counter.id))
        put(d.counters, counter.id, {
          id: counter.id,
          status: 'closed',
          pauseReason: null,
          ticketId: null,
          since: event.data.at,
        });
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
      if (has(s.counters, counterId)) delete d.counters[counterId];
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
          Object.entries(s.counters).map(([id, { expectedBackAt: _, ...c }]) => [
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
      put(d.tickets, e.ticketId, {
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
      });
      put(d.lastSeq, e.serviceId, Math.max(e.seq, own(s.lastSeq, e.serviceId) ?? 0));
      d.remember('classes', e.serviceId, e.class, CLASS_HISTORY_SIZE);
      return;
    }
    case 'TicketCalled': {
      const e = event.data;
      const before = Object.hasOwn(s.tickets, e.ticketId) ? s.tickets[e.ticketId] : undefined;
      // The estimator's own errors: what it printed at issue against the wait that followed.
      const printed = before?.estimate?.modelMinutes;
      if (before && printed !== undefined && before.calledAt === null && before.transfers === 0)
        d.rememberEstimate([
          printed,
          Math.round((Math.max(0, e.at - before.queuedAt) / MINUTE) * 100) / 100,
          localTime(before.queuedAt, s.config.branch.timeZone).minuteOfDay,
          (before.estimate?.noCounterOpen ? 1 : 0) | (before.class === 'appointment' ? 2 : 0),
        ]);
      d.patchTicket(e.ticketId, {
        status: 'called',
        calledAt: e.at,
        servingAt: null,
        endedAt: null,
        counterId: e.counterId,
        targetCounterId: null,
      });
      for (const id of e.overtaken) {
        const t = own(s.tickets, id);
        if (t) put(d.tickets, id, { ...t, overtaken: t.overtaken + 1 });
      }
      d.patchCounter(e.counterId, { ticketId: e.ticketId });
      return;
    }
    case 'TicketRecalled':
      d.patchTicket(event.data.ticketId, { recalls: event.data.recalls });
      return;
    case 'TicketServingStarted':
      rememberOutcome(d, event.data.ticketId, 0);
      d.patchTicket(event.data.ticketId, { status: 'serving', servingAt: event.data.at });
      return;
    case 'TicketFinished': {
      const e = event.data;
      const serviceId = own(s.tickets, e.ticketId)?.serviceId;
      rememberOutcome(d, e.ticketId, 0);
      d.releaseCounter(e.ticketId);
      d.patchTicket(e.ticketId, { status: 'done', endedAt: e.at });
      if (serviceId)
        put(
          d.serviceHistory,
          serviceId,
          [...(own(s.serviceHistory, serviceId) ?? []), e.serviceMs].slice(-SERVICE_HISTORY_SIZE),
        );
      return;
    }
    case 'TicketNoShow':
      rememberOutcome(d, event.data.ticketId, 1);
      d.releaseCounter(event.data.ticketId);
      d.patchTicket(event.data.ticketId, { status: 'noShow', endedAt: event.data.at });
      return;
    case 'TicketTransferred': {
      const e = event.data;
      const t = own(s.tickets, e.ticketId);
      rememberOutcome(d, e.ticketId, 0);
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
      rememberOutcome(d, event.data.ticketId, 2, event.data.at);
      d.releaseCounter(event.data.ticketId);
      d.patchTicket(event.data.ticketId, { status: 'cancelled', endedAt: event.data.at });
      return;
    case 'TicketRated':
      d.patchTicket(event.data.ticketId, { rating: event.data.score });
      return;
    case 'CounterOpened':
      d.patchCounter(event.data.counterId, {
        status: 'open',
        pauseReason: null,
        since: event.data.at,
        expectedBackAt: undefined,
      });
      return;
    case 'CounterPaused': {
      const { counterId, reason, expectedBackAt, at } = event.data;
      d.patchCounter(counterId, {
        status: 'paused',
        pauseReason: reason,
        since: at,
        expectedBackAt: expectedBackAt ?? undefined,
      });
      return;
    }
    case 'CounterResumed': {
      const { counterId, at } = event.data;
      const c = Object.hasOwn(s.counters, counterId) ? s.counters[counterId] : undefined;
      // A finished pause is data: how long this counter's breaks last, kept across days.
      if (c?.status === 'paused')
        d.remember(
          'pauses',
          counterId,
          {
            at: c.since,
            minutes: Math.max(0, at - c.since) / MINUTE,
            saidMinutes:
              c.expectedBackAt !== undefined ? Math.max(0, c.expectedBackAt - c.since) / MINUTE : null,
            reason: c.pauseReason ?? '',
          },
          PAUSE_HISTORY_SIZE,
        );
      d.patchCounter(counterId, { status: 'open', pauseReason: null, since: at, expectedBackAt: undefined });
      return;
    }
    case 'CounterClosed':
      d.patchCounter(event.data.counterId, {
        status: 'closed',
        pauseReason: null,
        ticketId: null,
        since: event.data.at,
        expectedBackAt: undefined,
      });
      return;
    case 'AppointmentBooked': {
      const e = event.data;
      put(d.appointments, e.appointmentId, {
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
      });
      return;
    }
    case 'AppointmentCancelled': {
      const a = own(s.appointments, event.data.appointmentId);
      if (a) put(d.appointments, event.data.appointmentId, { ...a, status: 'cancelled' });
      return;
    }
    case 'AppointmentCheckedIn': {
      const a = own(s.appointments, event.data.appointmentId);
      if (a)
        put(d.appointments, event.data.appointmentId, {
          ...a,
          status: 'checkedIn',
          ticketId: event.data.ticketId,
        });
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

export type Placement =
  | { ok: true; state: QueueState }
  | { ok: false; index: number; event: QueueEvent; problem: string };

/**
 * Folds events like {@link evolveAll}, but first checks that each can be placed in the state it
 * meets (see {@link placementProblem}). A writer calls this before events enter the log: the first
 * event that cannot be placed is named, and the writer refuses the whole command rather than log an
 * event that the (total) fold would have to ignore.
 */
export function evolveChecked(state: QueueState, events: readonly QueueEvent[]): Placement {
  const d = new Draft(state);
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const problem = placementProblem(d.s, event);
    if (problem) return { ok: false, index, event, problem };
    apply(d, event);
  }
  return { ok: true, state: d.s };
}

/**
 * Why `event` cannot be placed in `state`, or null when it can: every id it carries is an id
 * ({@link isId}), everything it names exists, and what it creates does not exist yet. The decider
 * only ever makes placeable events; this is the check that keeps a defect there (or a hostile id it
 * missed) out of the log.
 */
export function placementProblem(state: QueueState, event: QueueEvent): string | null {
  const { config } = state;
  const ticket = (id: string) => (has(state.tickets, id) ? null : `no ticket ${JSON.stringify(id)}`);
  const counter = (id: string) =>
    has(config.counters, id) && has(state.counters, id) ? null : `no counter ${JSON.stringify(id)}`;
  const service = (id: string) => (has(config.services, id) ? null : `no service ${JSON.stringify(id)}`);
  const newId = (kind: string, id: string, record: Readonly<Record<string, unknown>>) =>
    !isId(id)
      ? `${kind} id ${JSON.stringify(id)} is not an id`
      : has(record, id)
        ? `${kind} ${JSON.stringify(id)} exists already`
        : null;
  const first = (...problems: (string | null)[]) => problems.find((p) => p !== null) ?? null;
  switch (event.type) {
    case 'BranchConfigured':
    case 'DispatchSettingsChanged':
      return null;
    case 'ServiceUpserted':
      return isId(event.data.service.id)
        ? null
        : `service id ${JSON.stringify(event.data.service.id)} is not an id`;
    case 'ServiceRemoved':
      return service(event.data.serviceId);
    case 'CounterUpserted': {
      const c = event.data.counter;
      if (!isId(c.id)) return `counter id ${JSON.stringify(c.id)} is not an id`;
      return first(...c.services.map(service));
    }
    case 'CounterRemoved':
      return counter(event.data.counterId);
    case 'BusinessDayRolled':
      return first(...event.data.unfinished.map((u) => ticket(u.ticketId)));
    case 'TicketIssued': {
      const e = event.data;
      return first(
        newId('ticket', e.ticketId, state.tickets),
        service(e.serviceId),
        e.appointmentId === null || has(state.appointments, e.appointmentId)
          ? null
          : `no appointment ${JSON.stringify(e.appointmentId)}`,
      );
    }
    case 'TicketCalled':
      return first(
        ticket(event.data.ticketId),
        counter(event.data.counterId),
        ...event.data.overtaken.map(ticket),
      );
    case 'TicketRecalled':
    case 'TicketServingStarted':
    case 'TicketFinished':
    case 'TicketNoShow':
      return first(ticket(event.data.ticketId), counter(event.data.counterId));
    case 'TicketTransferred': {
      const e = event.data;
      return first(
        ticket(e.ticketId),
        counter(e.fromCounterId),
        service(e.toServiceId),
        e.toCounterId === null ? null : counter(e.toCounterId),
      );
    }
    case 'TicketCancelled':
    case 'TicketRated':
      return ticket(event.data.ticketId);
    case 'CounterOpened':
    case 'CounterPaused':
    case 'CounterResumed':
    case 'CounterClosed':
      return counter(event.data.counterId);
    case 'AppointmentBooked':
      return first(
        newId('appointment', event.data.appointmentId, state.appointments),
        service(event.data.serviceId),
      );
    case 'AppointmentCancelled':
      return has(state.appointments, event.data.appointmentId)
        ? null
        : `no appointment ${JSON.stringify(event.data.appointmentId)}`;
    case 'AppointmentCheckedIn':
      return first(
        has(state.appointments, event.data.appointmentId)
          ? null
          : `no appointment ${JSON.stringify(event.data.appointmentId)}`,
        ticket(event.data.ticketId),
      );
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
