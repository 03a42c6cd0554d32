import { businessDayOf, checkHours, daysBetween, localTime } from './clock.ts';
import type { CommandOf, QueueCommand } from './commands.ts';
import {
  bookingDaysAhead,
  type ConfigProblem,
  checkBranchSettings,
  checkCounter,
  checkDispatchSettings,
  checkService,
} from './config.ts';
import { canServe, overtakenBy, pickTicket, waitingTickets } from './dispatch.ts';
import { MINUTE } from './durations.ts';
import { type DomainError, domainError } from './errors.ts';
import { estimateWait, type WaitEstimator } from './estimate.ts';
import type { EventOf, QueueEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { isId, own } from './records.ts';
import type { CounterConfig, CounterState, QueueState, ServiceConfig, Ticket, TicketClass } from './types.ts';

export type Decision = { ok: true; events: QueueEvent[] } | { ok: false; error: DomainError };

export interface DecideOptions {
  /** The estimator whose figure is printed on new tickets. Default `estimateWait`. */
  estimator?: WaitEstimator;
}

const ok = (...events: QueueEvent[]): Decision => ({ ok: true, events });
const fail = (error: DomainError): Decision => ({ ok: false, error });

function invalid(p: ConfigProblem): Decision {
  return fail(domainError('INVALID_CONFIG', { reason: p }));
}

/** Formats a running number: prefix + zero-padded sequence ("A023"); grows past the digits if it must. */
export function formatTicketNumber(prefix: string, seq: number, digits: number): string {
  return `${prefix}${String(seq).padStart(digits, '0')}`;
}

/** Normalises what a teller types ("a23", " A023 ") for lookup against issued numbers. */
export function normaliseTicketNumber(input: string): { prefix: string; seq: number } | null {
  const m = /^\s*([A-Za-z])\s*0*(\d{1,6})\s*$/.exec(input);
  if (!m) return null;
  return { prefix: m[1]!.toUpperCase(), seq: Number(m[2]) };
}

function serviceParam(s: ServiceConfig) {
  return { zh: s.name.zh, en: s.name.en };
}

/** Checks the counter exists; returns its config and runtime state or a refusal. */
function counterOf(
  state: QueueState,
  counterId: string,
): { ok: true; config: CounterConfig; rt: CounterState } | { ok: false; decision: Decision } {
  const config = own(state.config.counters, counterId);
  const rt = own(state.counters, counterId);
  if (!config || !rt) return { ok: false, decision: fail(domainError('UNKNOWN_COUNTER', { counterId })) };
  return { ok: true, config, rt };
}

/** The counter must be open (not paused, not closed) to call. */
function mustBeOpen(config: CounterConfig, rt: CounterState): Decision | null {
  if (rt.status === 'closed') return fail(domainError('COUNTER_NOT_OPEN', { counter: config.number }));
  if (rt.status === 'paused') return fail(domainError('COUNTER_PAUSED', { counter: config.number }));
  return null;
}

/**
 * A counter's current ticket is finished by its next call: the caller keypad has no "start" or
 * "finish" key, so "next" means "done with this one". A called ticket counts as served from its
 * call; an explicit "no-show" is the only way to say the customer never came.
 */
function finishCurrent(state: QueueState, counterId: string, at: number): QueueEvent[] {
  const rt = own(state.counters, counterId);
  const current = rt?.ticketId ? own(state.tickets, rt.ticketId) : undefined;
  if (!current || (current.status !== 'called' && current.status !== 'serving')) return [];
  const started = current.servingAt ?? current.calledAt ?? at;
  return [
    {
      type: 'TicketFinished',
      data: { ticketId: current.id, counterId, serviceMs: Math.max(0, at - started), at },
    },
  ];
}

function applyAll(state: QueueState, events: readonly QueueEvent[]): QueueState {
  let s = state;
  for (const e of events) s = evolve(s, e);
  return s;
}

function callEvent(
  state: QueueState,
  counter: CounterConfig,
  chosen: Ticket,
  specific: boolean,
  at: number,
): QueueEvent {
  const overtaken = overtakenBy(waitingTickets(state), counter, chosen).map((t) => t.id);
  return {
    type: 'TicketCalled',
    data: { ticketId: chosen.id, counterId: counter.id, specific, overtaken, at },
  };
}

function issueEvent(
  state: QueueState,
  service: ServiceConfig,
  ticketId: string,
  cls: TicketClass,
  source: Ticket['source'],
  appointment: { id: string; slotStart: number } | null,
  at: number,
  estimator: WaitEstimator,
): EventOf<'TicketIssued'> {
  const seq = (own(state.lastSeq, service.id) ?? 0) + 1;
  const estimate = estimator(
    state,
    {
      kind: 'new',
      serviceId: service.id,
      class: cls,
      ...(appointment ? { appointmentId: appointment.id } : {}),
    },
    at,
  );
  return {
    type: 'TicketIssued',
    data: {
      ticketId,
      number: formatTicketNumber(service.prefix, seq, state.config.dispatch.numberDigits),
      seq,
      serviceId: service.id,
      class: cls,
      source,
      appointmentId: appointment?.id ?? null,
      slotStart: appointment?.slotStart ?? null,
      // The estimator returns null only for an unknown service, which was checked above.
      estimate: estimate ?? {
        minutes: 0,
        lowMinutes: 0,
        highMinutes: 5,
        ahead: 0,
        countersOpen: 0,
        serviceMinutes: service.expectedMinutes,
        basis: 'prior',
        historyCount: 0,
        noCounterOpen: true,
      },
      at,
    },
  };
}

function ticketIdInUse(state: QueueState, id: string): boolean {
  return own(state.tickets, id) !== undefined;
}

/** A new id must be an id (see `isId`): the hub makes them, but the domain does not take it on trust. */
function badNewId(id: string): Decision | null {
  return isId(id) ? null : fail(domainError('INVALID_ID', { id: id.slice(0, 64) }));
}

function decideOnDay(command: QueueCommand, state: QueueState, estimator: WaitEstimator): Decision {
  const { config } = state;
  switch (command.type) {
    case 'ConfigureBranch': {
      const p = checkBranchSettings(command.data.branch);
      if (p) return invalid(p);
      return ok({ type: 'BranchConfigured', data: command.data });
    }
    case 'UpsertService': {
      const { service } = command.data;
      const p = checkService(service, config);
      if (p) return invalid(p);
      // Numbers are never reused within a day: a prefix that numbered tickets today stays with them.
      const before = own(config.services, service.id);
      if (before?.prefix !== service.prefix) {
        if (before && (own(state.lastSeq, service.id) ?? 0) > 0)
          return invalid({
            zh: `今日已按前缀 ${before.prefix} 发号，请明天再改`,
            en: `tickets were issued under prefix ${before.prefix} today; change it tomorrow`,
          });
        if (Object.values(state.tickets).some((t) => t.number.startsWith(service.prefix)))
          return invalid({
            zh: `前缀 ${service.prefix} 今日已发过号`,
            en: `prefix ${service.prefix} already numbered tickets today`,
          });
      }
      return ok({ type: 'ServiceUpserted', data: command.data });
    }
    case 'RemoveService': {
      const { serviceId, at } = command.data;
      const service = own(config.services, serviceId);
      if (!service) return fail(domainError('UNKNOWN_SERVICE', { serviceId }));
      const usedByCounter = Object.values(config.counters).some((c) => c.services.includes(serviceId));
      const usedByTicket = Object.values(state.tickets).some(
        (t) =>
          t.serviceId === serviceId &&
          (t.status === 'waiting' || t.status === 'called' || t.status === 'serving'),
      );
      const usedByAppointment = Object.values(state.appointments).some(
        (a) => a.serviceId === serviceId && a.status === 'booked',
      );
      if (usedByCounter || usedByTicket || usedByAppointment)
        return fail(domainError('SERVICE_IN_USE', { service: serviceParam(service) }));
      return ok({ type: 'ServiceRemoved', data: { serviceId, at } });
    }
    case 'UpsertCounter': {
      const p = checkCounter(command.data.counter, config);
      if (p) return invalid(p);
      return ok({ type: 'CounterUpserted', data: command.data });
    }
    case 'RemoveCounter': {
      const c = counterOf(state, command.data.counterId);
      if (!c.ok) return c.decision;
      if (c.rt.ticketId !== null || c.rt.status !== 'closed')
        return fail(domainError('COUNTER_IN_USE', { counter: c.config.number }));
      const targeted = Object.values(state.tickets).some(
        (t) => t.status === 'waiting' && t.targetCounterId === c.config.id,
      );
      if (targeted) return fail(domainError('COUNTER_IN_USE', { counter: c.config.number }));
      return ok({ type: 'CounterRemoved', data: command.data });
    }
    case 'SetDispatchSettings': {
      const p = checkDispatchSettings(command.data.settings);
      if (p) return invalid(p);
      return ok({ type: 'DispatchSettingsChanged', data: command.data });
    }
    case 'RollBusinessDay':
      // Handled in `decide` before the day check.
      return fail(domainError('SAME_BUSINESS_DAY', { day: state.day ?? '' }));
    case 'IssueTicket':
      return issueTicket(command, state, estimator);
    case 'CancelTicket': {
      const { ticketId, reason, at } = command.data;
      const t = own(state.tickets, ticketId);
      if (!t) return fail(domainError('UNKNOWN_TICKET', { ticket: ticketId }));
      if (t.status === 'done' || t.status === 'noShow' || t.status === 'cancelled')
        return fail(domainError('TICKET_ALREADY_ENDED', { number: t.number }));
      return ok({ type: 'TicketCancelled', data: { ticketId, reason, at } });
    }
    case 'RateTicket': {
      const { ticketId, score, at } = command.data;
      const t = own(state.tickets, ticketId);
      if (!t) return fail(domainError('UNKNOWN_TICKET', { ticket: ticketId }));
      if (t.status !== 'done') return fail(domainError('TICKET_NOT_FINISHED', { number: t.number }));
      if (t.rating !== null) return fail(domainError('ALREADY_RATED', { number: t.number }));
      if (!(Number.isInteger(score) && score >= 1 && score <= 5))
        return fail(domainError('INVALID_RATING', { score }));
      return ok({ type: 'TicketRated', data: { ticketId, score, at } });
    }
    case 'CallNext': {
      const { counterId, at } = command.data;
      const c = counterOf(state, counterId);
      if (!c.ok) return c.decision;
      const closed = mustBeOpen(c.config, c.rt);
      if (closed) return closed;
      const finished = finishCurrent(state, counterId, at);
      const after = applyAll(state, finished);
      const chosen = pickTicket(waitingTickets(after), c.config, config.dispatch, at);
      // "Next" means "done with this one, and the next if there is one": with nobody waiting the
      // current customer is still finished, so their service time does not swallow the idle time.
      if (!chosen) {
        if (finished.length > 0) return ok(...finished);
        return fail(domainError('NO_WAITING_TICKET', { counter: c.config.number }));
      }
      return ok(...finished, callEvent(after, c.config, chosen, false, at));
    }
    case 'CallTicket': {
      const { counterId, number, at } = command.data;
      const c = counterOf(state, counterId);
      if (!c.ok) return c.decision;
      const closed = mustBeOpen(c.config, c.rt);
      if (closed) return closed;
      const wanted = normaliseTicketNumber(number);
      // A transferred ticket keeps its number (and prefix) while its service changes.
      const ticket = wanted
        ? Object.values(state.tickets).find((t) => t.seq === wanted.seq && t.number.startsWith(wanted.prefix))
        : undefined;
      if (!ticket) return fail(domainError('UNKNOWN_TICKET', { ticket: number.trim().slice(0, 12) }));
      if (ticket.status !== 'waiting' && ticket.status !== 'noShow')
        return fail(
          domainError('TICKET_NOT_CALLABLE', {
            number: ticket.number,
            status: { zh: STATUS_ZH[ticket.status], en: ticket.status },
          }),
        );
      if (!canServe(c.config, ticket)) {
        const service = own(config.services, ticket.serviceId);
        return fail(
          domainError('SERVICE_NOT_AT_COUNTER', {
            counter: c.config.number,
            service: service ? serviceParam(service) : ticket.serviceId,
          }),
        );
      }
      const finished = finishCurrent(state, counterId, at);
      const after = applyAll(state, finished);
      return ok(...finished, callEvent(after, c.config, ticket, true, at));
    }
    case 'Recall':
    case 'MarkNoShow':
    case 'StartServing': {
      const { counterId, at } = command.data;
      const c = counterOf(state, counterId);
      if (!c.ok) return c.decision;
      const t = c.rt.ticketId ? own(state.tickets, c.rt.ticketId) : undefined;
      if (!t) return fail(domainError('NO_TICKET_AT_COUNTER', { counter: c.config.number }));
      if (t.status !== 'called') return fail(domainError('TICKET_NOT_CALLED', { number: t.number }));
      if (command.type === 'Recall')
        return ok({
          type: 'TicketRecalled',
          data: { ticketId: t.id, counterId, recalls: t.recalls + 1, at },
        });
      if (command.type === 'MarkNoShow')
        return ok({ type: 'TicketNoShow', data: { ticketId: t.id, counterId, at } });
      return ok({ type: 'TicketServingStarted', data: { ticketId: t.id, counterId, at } });
    }
    case 'FinishTicket': {
      // "Finish" means what "next" means for the ticket at the counter: the customer was served. A
      // called ticket counts as served from its call (a keypad teller never marks serving, and a
      // console teller may not either); a customer who never came is a no-show, said explicitly.
      // So a teller ends the day with finish or no-show, then close, and the service time is true.
      const { counterId, at } = command.data;
      const c = counterOf(state, counterId);
      if (!c.ok) return c.decision;
      const finished = finishCurrent(state, counterId, at);
      if (finished.length === 0)
        return fail(domainError('NO_TICKET_AT_COUNTER', { counter: c.config.number }));
      return ok(...finished);
    }
    case 'TransferTicket':
      return transferTicket(command, state);
    case 'OpenCounter':
    case 'PauseCounter':
    case 'ResumeCounter':
    case 'CloseCounter':
      return counterStatus(command, state);
    case 'BookAppointment':
      return bookAppointment(command, state);
    case 'CancelAppointment': {
      const { appointmentId, at } = command.data;
      const a = own(state.appointments, appointmentId);
      if (!a) return fail(domainError('UNKNOWN_APPOINTMENT', { code: appointmentId }));
      if (a.status === 'cancelled') return fail(domainError('APPOINTMENT_CANCELLED'));
      if (a.status === 'checkedIn') {
        const number = a.ticketId ? (own(state.tickets, a.ticketId)?.number ?? '') : '';
        return fail(domainError('APPOINTMENT_ALREADY_CHECKED_IN', { number }));
      }
      return ok({ type: 'AppointmentCancelled', data: { appointmentId, at } });
    }
    case 'CheckInAppointment':
      return checkIn(command, state, estimator);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

const STATUS_ZH: Record<Ticket['status'], string> = {
  waiting: '等候中',
  called: '已叫号',
  serving: '办理中',
  done: '已办结',
  noShow: '过号',
  cancelled: '已作废',
};

function issueTicket(
  command: CommandOf<'IssueTicket'>,
  state: QueueState,
  estimator: WaitEstimator,
): Decision {
  const { ticketId, serviceId, class: cls, source, at } = command.data;
  const service = own(state.config.services, serviceId);
  if (!service) return fail(domainError('UNKNOWN_SERVICE', { serviceId }));
  const badId = badNewId(ticketId);
  if (badId) return badId;
  if (ticketIdInUse(state, ticketId)) return fail(domainError('DUPLICATE_ID', { id: ticketId }));
  if (cls === 'appointment') return fail(domainError('CHECK_IN_REQUIRED'));
  const avail = serviceAvailability(state, serviceId, at);
  if (!avail.available) {
    switch (avail.reason) {
      case 'disabled':
        return fail(domainError('SERVICE_DISABLED', { service: serviceParam(service) }));
      case 'outsideHours':
        return fail(
          domainError('OUTSIDE_HOURS', {
            service: serviceParam(service),
            opens: avail.opensAt
              ? { zh: `，${avail.opensAt} 开始办理`, en: `; it opens at ${avail.opensAt}` }
              : { zh: '，今日已停止办理', en: '; it is closed for the rest of today' },
          }),
        );
      case 'soldOut':
        return fail(
          domainError('DAILY_LIMIT_REACHED', {
            service: serviceParam(service),
            limit: service.dailyLimit ?? 0,
          }),
        );
    }
  }
  return ok(issueEvent(state, service, ticketId, cls, source, null, at, estimator));
}

export type Availability =
  | { available: true }
  | { available: false; reason: 'disabled' }
  | { available: false; reason: 'outsideHours'; opensAt: string | null }
  | { available: false; reason: 'soldOut' };

/** Whether a walk-in ticket for this service can be issued now, and if not, why. */
export function serviceAvailability(state: QueueState, serviceId: string, at: number): Availability {
  const service = own(state.config.services, serviceId);
  if (!service?.enabled) return { available: false, reason: 'disabled' };
  const hours = service.hours.length > 0 ? service.hours : state.config.branch.hours;
  const h = checkHours(hours, at, state.config.branch.timeZone);
  if (!h.open) return { available: false, reason: 'outsideHours', opensAt: h.opensAt };
  // The day's count restarts at the business-day boundary, which `decide` rolls before this runs;
  // for a query (kiosk screen) taken on a stale day the count is that of the new, empty day.
  const sameDay = state.day === businessDayOf(at, state.config.branch.timeZone);
  const issued = sameDay ? (own(state.lastSeq, serviceId) ?? 0) : 0;
  if (service.dailyLimit !== null && issued >= service.dailyLimit)
    return { available: false, reason: 'soldOut' };
  return { available: true };
}

function transferTicket(command: CommandOf<'TransferTicket'>, state: QueueState): Decision {
  const { counterId, toServiceId, toCounterId, at } = command.data;
  const { config } = state;
  const c = counterOf(state, counterId);
  if (!c.ok) return c.decision;
  const t = c.rt.ticketId ? own(state.tickets, c.rt.ticketId) : undefined;
  if (!t) return fail(domainError('NO_TICKET_AT_COUNTER', { counter: c.config.number }));
  if (toServiceId === null && toCounterId === null) return fail(domainError('TRANSFER_TARGET_REQUIRED'));
  let serviceId = toServiceId ?? t.serviceId;
  if (toServiceId !== null && !own(config.services, toServiceId))
    return fail(domainError('UNKNOWN_SERVICE', { serviceId: toServiceId }));
  if (toCounterId !== null) {
    const target = own(config.counters, toCounterId);
    if (!target) return fail(domainError('UNKNOWN_COUNTER', { counterId: toCounterId }));
    if (toCounterId === counterId) return fail(domainError('TRANSFER_TARGET_REQUIRED'));
    if (!target.services.includes(serviceId)) {
      if (toServiceId !== null) {
        const s = own(config.services, serviceId)!;
        return fail(
          domainError('SERVICE_NOT_AT_COUNTER', { counter: target.number, service: serviceParam(s) }),
        );
      }
      serviceId = target.services[0]!;
    }
  } else if (serviceId === t.serviceId) {
    return fail(domainError('TRANSFER_TARGET_REQUIRED'));
  }
  const started = t.servingAt ?? t.calledAt ?? at;
  return ok({
    type: 'TicketTransferred',
    data: {
      ticketId: t.id,
      fromCounterId: counterId,
      toServiceId: serviceId,
      toCounterId,
      serviceMs: Math.max(0, at - started),
      at,
    },
  });
}

function counterStatus(
  command: CommandOf<'OpenCounter' | 'PauseCounter' | 'ResumeCounter' | 'CloseCounter'>,
  state: QueueState,
): Decision {
  const { counterId, at } = command.data;
  const c = counterOf(state, counterId);
  if (!c.ok) return c.decision;
  const { status } = c.rt;
  const already = (s: string) =>
    fail(domainError('COUNTER_ALREADY', { counter: c.config.number, status: s }));
  switch (command.type) {
    case 'OpenCounter':
      if (status !== 'closed') return already(status);
      return ok({ type: 'CounterOpened', data: { counterId, at } });
    case 'PauseCounter':
      // A teller may pause with a customer still at the counter ("after this one"); calls stop.
      if (status === 'paused') return already(status);
      if (status === 'closed') return fail(domainError('COUNTER_NOT_OPEN', { counter: c.config.number }));
      {
        const { backInMinutes } = command.data;
        if (backInMinutes === undefined)
          return ok({ type: 'CounterPaused', data: { counterId, reason: command.data.reason, at } });
        if (!(Number.isFinite(backInMinutes) && backInMinutes >= 1 && backInMinutes <= 480))
          return fail(domainError('INVALID_BACK_IN'));
        // The wait estimate counts on the teller's word: the counter calls again from then.
        const expectedBackAt = at + Math.round(backInMinutes * MINUTE);
        return ok({
          type: 'CounterPaused',
          data: { counterId, reason: command.data.reason, expectedBackAt, at },
        });
      }
    case 'ResumeCounter':
      if (status === 'open') return already(status);
      if (status === 'closed') return fail(domainError('COUNTER_NOT_OPEN', { counter: c.config.number }));
      return ok({ type: 'CounterResumed', data: { counterId, at } });
    case 'CloseCounter': {
      if (status === 'closed') return already(status);
      const t = c.rt.ticketId ? own(state.tickets, c.rt.ticketId) : undefined;
      if (t) return fail(domainError('COUNTER_BUSY', { counter: c.config.number, number: t.number }));
      return ok({ type: 'CounterClosed', data: { counterId, at } });
    }
  }
}

function bookAppointment(command: CommandOf<'BookAppointment'>, state: QueueState): Decision {
  const d = command.data;
  const service = own(state.config.services, d.serviceId);
  if (!service) return fail(domainError('UNKNOWN_SERVICE', { serviceId: d.serviceId }));
  const slots = service.appointments;
  if (!slots || !service.enabled)
    return fail(domainError('APPOINTMENT_NOT_OFFERED', { service: serviceParam(service) }));
  const badId = badNewId(d.appointmentId);
  if (badId) return badId;
  if (own(state.appointments, d.appointmentId))
    return fail(domainError('DUPLICATE_ID', { id: d.appointmentId }));
  if (Object.values(state.appointments).some((a) => a.code === d.code && a.status !== 'cancelled'))
    return fail(domainError('CODE_IN_USE'));
  const tz = state.config.branch.timeZone;
  const slotEnd = d.slotStart + slots.slotMinutes * MINUTE;
  const start = localTime(d.slotStart, tz);
  const hours = service.hours.length > 0 ? service.hours : state.config.branch.hours;
  const aligned = d.slotStart % MINUTE === 0 && start.minuteOfDay % slots.slotMinutes === 0;
  const inHours = checkHours(hours, d.slotStart, tz).open && checkHours(hours, slotEnd - MINUTE, tz).open;
  if (!aligned || !inHours || d.slotStart <= d.at)
    return fail(domainError('SLOT_INVALID', { slotMinutes: slots.slotMinutes }));
  // Bookings are bounded in time, so the state's appointments (kept until their slot is over) are too.
  const horizon = bookingDaysAhead(state.config.branch);
  if (daysBetween(businessDayOf(d.at, tz), start.date) > horizon)
    return fail(domainError('SLOT_TOO_FAR', { days: horizon }));
  const taken = Object.values(state.appointments).filter(
    (a) => a.serviceId === d.serviceId && a.slotStart === d.slotStart && a.status !== 'cancelled',
  ).length;
  if (taken >= slots.capacity) return fail(domainError('SLOT_FULL'));
  return ok({
    type: 'AppointmentBooked',
    data: {
      appointmentId: d.appointmentId,
      code: d.code,
      serviceId: d.serviceId,
      slotStart: d.slotStart,
      slotEnd,
      customerName: d.customerName,
      phoneTail: d.phoneTail,
      at: d.at,
    },
  });
}

function checkIn(
  command: CommandOf<'CheckInAppointment'>,
  state: QueueState,
  estimator: WaitEstimator,
): Decision {
  const { code, ticketId, at } = command.data;
  const matches = Object.values(state.appointments).filter((a) => a.code === code);
  const a = matches.find((m) => m.status !== 'cancelled') ?? matches[0];
  if (!a) return fail(domainError('UNKNOWN_APPOINTMENT', { code: code.slice(0, 32) }));
  if (a.status === 'cancelled') return fail(domainError('APPOINTMENT_CANCELLED'));
  if (a.status === 'checkedIn') {
    const number = a.ticketId ? (own(state.tickets, a.ticketId)?.number ?? '') : '';
    return fail(domainError('APPOINTMENT_ALREADY_CHECKED_IN', { number }));
  }
  const { dispatch, branch } = state.config;
  const opensAt = a.slotStart - dispatch.checkInEarlyMinutes * MINUTE;
  if (at < opensAt)
    return fail(
      domainError('APPOINTMENT_TOO_EARLY', { comeBackAt: localTime(opensAt, branch.timeZone).hhmm }),
    );
  if (at > a.slotStart + dispatch.checkInLateMinutes * MINUTE)
    return fail(domainError('APPOINTMENT_EXPIRED'));
  const service = own(state.config.services, a.serviceId);
  if (!service) return fail(domainError('UNKNOWN_SERVICE', { serviceId: a.serviceId }));
  const badId = badNewId(ticketId);
  if (badId) return badId;
  if (ticketIdInUse(state, ticketId)) return fail(domainError('DUPLICATE_ID', { id: ticketId }));
  // Appointments are capacity-planned when booked: they do not count against the walk-in daily limit.
  const issued = issueEvent(
    state,
    service,
    ticketId,
    'appointment',
    'appointment',
    { id: a.id, slotStart: a.slotStart },
    at,
    estimator,
  );
  return ok(issued, { type: 'AppointmentCheckedIn', data: { appointmentId: a.id, ticketId, at } });
}

function rollEvent(state: QueueState, to: string, at: number): EventOf<'BusinessDayRolled'> {
  const unfinished = Object.values(state.tickets)
    .filter(
      (t): t is Ticket & { status: 'waiting' | 'called' | 'serving' } =>
        t.status === 'waiting' || t.status === 'called' || t.status === 'serving',
    )
    .map((t) => ({ ticketId: t.id, status: t.status }));
  return { type: 'BusinessDayRolled', data: { from: state.day, to, unfinished, at } };
}

/**
 * Decides what a command does to the queue: the events it causes, or why it is refused. A refused
 * command changes nothing. A command in a later business day (branch time zone) first rolls the day,
 * so numbering restarts even if nobody rolled it at midnight.
 */
export function decide(command: QueueCommand, state: QueueState, options: DecideOptions = {}): Decision {
  const estimator = options.estimator ?? estimateWait;
  const at = command.data.at;
  const today = businessDayOf(at, state.config.branch.timeZone);
  if (command.type === 'RollBusinessDay') {
    if (state.day !== null && today <= state.day)
      return fail(domainError('SAME_BUSINESS_DAY', { day: state.day }));
    return ok(rollEvent(state, today, at));
  }
  if (state.day === null || today > state.day) {
    const roll = rollEvent(state, today, at);
    const decision = decideOnDay(command, evolve(state, roll), estimator);
    return decision.ok ? ok(roll, ...decision.events) : decision;
  }
  return decideOnDay(command, state, estimator);
}
