import { describe, expect, it } from 'vitest';
import type { QueueCommand } from './commands.ts';
import { sampleBranchConfig } from './config.ts';
import { decide } from './decide.ts';
import { HOUR, MINUTE } from './durations.ts';
import { type DomainErrorCode, describeError } from './errors.ts';
import { evolve, fold, initialState } from './evolve.ts';
import {
  at,
  branchWith,
  callNext,
  expectRefused,
  issue,
  MONDAY_0900,
  open,
  run,
} from './test-support/branch.ts';
import type { QueueState } from './types.ts';

describe('issuing tickets', () => {
  it('numbers tickets per service with the prefix and a running number', () => {
    const { state, events } = run(
      branchWith(['c1']),
      issue('t1', 'cash'),
      issue('t2', 'cash', 1),
      issue('t3', 'personal', 2),
    );
    const issued = events.flatMap((e) => (e.type === 'TicketIssued' ? [e.data.number] : []));
    expect(issued).toEqual(['A001', 'A002', 'B001']);
    expect(state.tickets.t2?.status).toBe('waiting');
  });

  it('restarts numbering on a new business day in the branch time zone, never reusing one within a day', () => {
    let s = branchWith(['c1']);
    s = run(s, issue('t1', 'cash'), issue('t2', 'cash', 1)).state;
    // 23:59 Shanghai on Monday is still Monday; 00:01 on Tuesday is a new day.
    const lateMonday = Date.UTC(2026, 10, 23, 15, 59);
    const tuesday0901 = Date.UTC(2026, 10, 24, 1, 1);
    const refusedLate = decide(
      {
        type: 'IssueTicket',
        data: { ticketId: 't3', serviceId: 'cash', class: 'normal', source: 'kiosk', at: lateMonday },
      },
      s,
    );
    expect(refusedLate.ok).toBe(false); // outside hours, but still Monday: no roll
    const d = decide(
      {
        type: 'IssueTicket',
        data: { ticketId: 't4', serviceId: 'cash', class: 'normal', source: 'kiosk', at: tuesday0901 },
      },
      s,
    );
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.events.map((e) => e.type)).toEqual(['BusinessDayRolled', 'TicketIssued']);
    const roll = d.events[0]!;
    expect(roll.type === 'BusinessDayRolled' && roll.data).toMatchObject({
      from: '2026-11-23',
      to: '2026-11-24',
    });
    expect(roll.type === 'BusinessDayRolled' && roll.data.unfinished.map((u) => u.ticketId)).toEqual([
      't1',
      't2',
    ]);
    const issued = d.events[1]!;
    expect(issued.type === 'TicketIssued' && issued.data.number).toBe('A001');
  });

  it('prints an estimate range with its basis on every ticket', () => {
    const { events } = run(branchWith(['c1']), issue('t1', 'personal'), issue('t2', 'personal'));
    const second = events[1]!;
    if (second.type !== 'TicketIssued') throw new Error('expected TicketIssued');
    expect(second.data.estimate.ahead).toBe(1);
    expect(second.data.estimate.countersOpen).toBe(1);
    expect(second.data.estimate.basis).toBe('prior');
    expect(second.data.estimate.lowMinutes).toBeLessThan(second.data.estimate.highMinutes);
    expect(second.data.estimate.lowMinutes).toBeLessThanOrEqual(10);
    expect(second.data.estimate.highMinutes).toBeGreaterThanOrEqual(10);
  });
});

describe('calling', () => {
  it('calls the oldest normal ticket of the counter’s first service', () => {
    const { events } = run(
      branchWith(['c3']),
      issue('a', 'cash'),
      issue('b', 'personal', 1),
      callNext('c3', 2),
    );
    const call = events.at(-1)!;
    expect(call).toMatchObject({
      type: 'TicketCalled',
      data: { ticketId: 'b', counterId: 'c3', specific: false },
    });
  });

  it('finishes the current ticket when the teller calls the next one (the keypad has no finish key)', () => {
    const { state, events } = run(
      branchWith(['c1']),
      issue('a', 'cash'),
      issue('b', 'cash'),
      callNext('c1', 1),
      callNext('c1', 4),
    );
    expect(events.slice(-2).map((e) => e.type)).toEqual(['TicketFinished', 'TicketCalled']);
    const finished = events.at(-2)!;
    expect(finished.type === 'TicketFinished' && finished.data.serviceMs).toBe(3 * MINUTE);
    expect(state.tickets.a?.status).toBe('done');
    expect(state.counters.c1?.ticketId).toBe('b');
  });

  it('finishes the current ticket on "next" even when nobody is waiting, so idle time is not service time', () => {
    const { state, events } = run(
      branchWith(['c1']),
      issue('a', 'cash'),
      callNext('c1', 1),
      callNext('c1', 4),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'TicketFinished',
      data: { ticketId: 'a', serviceMs: 3 * MINUTE },
    });
    expect(state.counters.c1?.ticketId).toBeNull();
    expectRefused(state, callNext('c1', 5), 'NO_WAITING_TICKET');
  });

  it('recalls, starts, finishes and records the service time', () => {
    const { state, events } = run(
      branchWith(['c1']),
      issue('a', 'cash'),
      callNext('c1', 1),
      { type: 'Recall', data: { counterId: 'c1', at: at(2) } },
      { type: 'StartServing', data: { counterId: 'c1', at: at(3) } },
      { type: 'FinishTicket', data: { counterId: 'c1', at: at(8) } },
    );
    expect(events.map((e) => e.type).slice(-4)).toEqual([
      'TicketCalled',
      'TicketRecalled',
      'TicketServingStarted',
      'TicketFinished',
    ]);
    expect(state.tickets.a).toMatchObject({
      status: 'done',
      recalls: 1,
      calledAt: at(1),
      servingAt: at(3),
      endedAt: at(8),
    });
    expect(state.serviceHistory.cash).toEqual([5 * MINUTE]);
    expect(state.counters.c1?.ticketId).toBeNull();
  });

  it('finishes a ticket that was only called, counting the service from the call (a keypad teller never marks serving)', () => {
    const { state, events } = run(
      branchWith(['c1']),
      issue('a', 'cash'),
      callNext('c1', 1),
      { type: 'FinishTicket', data: { counterId: 'c1', at: at(7) } },
      { type: 'CloseCounter', data: { counterId: 'c1', at: at(8) } },
    );
    expect(events.at(-2)).toMatchObject({
      type: 'TicketFinished',
      data: { ticketId: 'a', counterId: 'c1', serviceMs: 6 * MINUTE },
    });
    expect(state.tickets.a).toMatchObject({ status: 'done', endedAt: at(7) });
    expect(state.serviceHistory.cash).toEqual([6 * MINUTE]);
    expect(state.counters.c1).toMatchObject({ status: 'closed', ticketId: null });
  });

  it('closes a counter whose called customer never came only once the teller marks the no-show, which another counter can still call', () => {
    let s = run(branchWith(['c1', 'c2']), issue('a', 'cash'), issue('b', 'cash'), callNext('c1', 1)).state;
    const params = expectRefused(
      s,
      { type: 'CloseCounter', data: { counterId: 'c1', at: at(3) } },
      'COUNTER_BUSY',
    );
    expect(describeError({ code: 'COUNTER_BUSY', params }, 'zh')).toContain('请先办结，或标记过号');
    expect(describeError({ code: 'COUNTER_BUSY', params }, 'en')).toContain('mark it a no-show');
    const { state } = run(
      s,
      { type: 'MarkNoShow', data: { counterId: 'c1', at: at(3) } },
      { type: 'CloseCounter', data: { counterId: 'c1', at: at(3) } },
    );
    s = state;
    expect(s.counters.c1).toMatchObject({ status: 'closed', ticketId: null });
    expect(s.tickets.a?.status).toBe('noShow');
    // The waiting customer was not called to a counter that is closing.
    expect(s.tickets.b?.status).toBe('waiting');
    const later = run(s, { type: 'CallTicket', data: { counterId: 'c2', number: 'A001', at: at(9) } }).state;
    expect(later.tickets.a).toMatchObject({ status: 'called', counterId: 'c2' });
  });

  it('calls a specific number, also one that was marked no-show earlier', () => {
    const { state } = run(
      branchWith(['c1']),
      issue('a', 'cash'),
      issue('b', 'cash'),
      callNext('c1', 1),
      { type: 'MarkNoShow', data: { counterId: 'c1', at: at(2) } },
      { type: 'CallTicket', data: { counterId: 'c1', number: ' a1 ', at: at(10) } },
    );
    expect(state.tickets.a).toMatchObject({ status: 'called', endedAt: null });
    expect(state.counters.c1?.ticketId).toBe('a');
  });

  it('transfers to another service: the customer keeps the number and goes ahead of walk-ins', () => {
    const { state } = run(
      branchWith(['c1', 'c3']),
      issue('a', 'cash'),
      issue('b', 'personal', 1),
      callNext('c1', 2),
      {
        type: 'TransferTicket',
        data: { counterId: 'c1', toServiceId: 'personal', toCounterId: null, at: at(5) },
      },
      callNext('c3', 6),
    );
    expect(state.tickets.a).toMatchObject({
      number: 'A001',
      serviceId: 'personal',
      status: 'called',
      counterId: 'c3',
      transfers: 1,
    });
    expect(state.tickets.b?.status).toBe('waiting');
  });

  it('transfers to a specific counter: only that counter may call it', () => {
    const { state } = run(branchWith(['c1', 'c2', 'c3']), issue('a', 'cash'), callNext('c1', 1), {
      type: 'TransferTicket',
      data: { counterId: 'c1', toServiceId: null, toCounterId: 'c3', at: at(3) },
    });
    expect(state.tickets.a).toMatchObject({ status: 'waiting', targetCounterId: 'c3', serviceId: 'cash' });
    expectRefused(state, callNext('c2', 4), 'NO_WAITING_TICKET');
    const { state: after } = run(state, callNext('c3', 4));
    expect(after.counters.c3?.ticketId).toBe('a');
  });
});

describe('appointments', () => {
  const slot = at(60); // 10:00
  const book = (id: string, code: string, slotStart = slot): QueueCommand => ({
    type: 'BookAppointment',
    data: {
      appointmentId: id,
      code,
      serviceId: 'personal',
      slotStart,
      customerName: '王女士',
      phoneTail: '1234',
      at: at(-120),
    },
  });
  const checkIn = (code: string, ticketId: string, minute: number): QueueCommand => ({
    type: 'CheckInAppointment',
    data: { code, ticketId, at: at(minute) },
  });

  it('checks in within the window and issues an appointment ticket', () => {
    const { state, events } = run(branchWith(['c3']), book('ap1', '123456'), checkIn('123456', 't1', 40));
    expect(events.slice(-2).map((e) => e.type)).toEqual(['TicketIssued', 'AppointmentCheckedIn']);
    expect(state.tickets.t1).toMatchObject({
      class: 'appointment',
      source: 'appointment',
      slotStart: slot,
      number: 'B001',
    });
    expect(state.appointments.ap1?.status).toBe('checkedIn');
  });

  it('calls a checked-in appointment at its slot ahead of walk-ins who waited longer', () => {
    const { state } = run(
      branchWith(['c3']),
      book('ap1', '123456'),
      issue('w1', 'personal', 0),
      issue('w2', 'personal', 1),
      checkIn('123456', 'ap-t', 50),
      callNext('c3', 52), // before the slot (10:00 − 5 min lead): walk-ins by wait
      callNext('c3', 56), // the slot is due now
    );
    expect(state.tickets.w1?.status).toBe('done');
    expect(state.tickets['ap-t']?.status).toBe('called');
    expect(state.tickets.w2?.status).toBe('waiting');
  });

  it('refuses a booking past the slot capacity', () => {
    const s = run(branchWith(), book('ap1', '111111'), book('ap2', '222222')).state;
    expectRefused(s, book('ap3', '333333'), 'SLOT_FULL');
    // Another slot is fine.
    expect(decide(book('ap3', '333333', at(90)), s).ok).toBe(true);
  });
});

describe('refused commands change nothing', () => {
  const base = () => {
    let s = branchWith(['c1', 'c2']);
    s = run(
      s,
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap1',
          code: '424242',
          serviceId: 'personal',
          slotStart: at(120),
          customerName: null,
          phoneTail: null,
          at: at(0),
        },
      },
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap2',
          code: '515151',
          serviceId: 'personal',
          slotStart: at(-30),
          customerName: null,
          phoneTail: null,
          at: at(-90),
        },
      },
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap3',
          code: '616161',
          serviceId: 'personal',
          slotStart: at(90),
          customerName: null,
          phoneTail: null,
          at: at(0),
        },
      },
      { type: 'CancelAppointment', data: { appointmentId: 'ap3', at: at(1) } },
      issue('a', 'cash', 1),
      callNext('c2', 2),
      { type: 'PauseCounter', data: { counterId: 'c2', reason: 'break', at: at(3) } },
    ).state;
    return s;
  };
  const limited = (): QueueState => {
    const config = sampleBranchConfig();
    config.services.cash = { ...config.services.cash!, dailyLimit: 1 };
    return run(branchWith(['c1'], config), issue('x', 'cash', 1)).state;
  };

  const cases: [string, () => QueueState, QueueCommand, DomainErrorCode][] = [
    ['a paused counter calls next', base, callNext('c2', 5), 'COUNTER_PAUSED'],
    ['a closed counter calls next', base, callNext('c3', 5), 'COUNTER_NOT_OPEN'],
    ['an unknown counter calls next', base, callNext('c99', 5), 'UNKNOWN_COUNTER'],
    ['calling next with nobody waiting', base, callNext('c1', 5), 'NO_WAITING_TICKET'],
    [
      'finishing at a counter with no ticket',
      base,
      { type: 'FinishTicket', data: { counterId: 'c1', at: at(5) } },
      'NO_TICKET_AT_COUNTER',
    ],
    [
      'recalling with no ticket',
      base,
      { type: 'Recall', data: { counterId: 'c1', at: at(5) } },
      'NO_TICKET_AT_COUNTER',
    ],
    [
      'closing a counter with a customer',
      base,
      { type: 'CloseCounter', data: { counterId: 'c2', at: at(5) } },
      'COUNTER_BUSY',
    ],
    ['opening an open counter', base, open('c1', 5), 'COUNTER_ALREADY'],
    [
      'resuming an open counter',
      base,
      { type: 'ResumeCounter', data: { counterId: 'c1', at: at(5) } },
      'COUNTER_ALREADY',
    ],
    ['issuing past the daily limit', limited, issue('y', 'cash', 5), 'DAILY_LIMIT_REACHED'],
    ['issuing before opening hours', base, issue('y', 'cash', -45), 'OUTSIDE_HOURS'],
    ['issuing business banking after 16:30', base, issue('y', 'business', 7.5 * 60 + 31), 'OUTSIDE_HOURS'],
    ['issuing an unknown service', base, issue('y', 'nope', 5), 'UNKNOWN_SERVICE'],
    ['reusing a ticket id', base, issue('a', 'cash', 5), 'DUPLICATE_ID'],
    [
      'issuing an appointment ticket without check-in',
      base,
      {
        type: 'IssueTicket',
        data: { ticketId: 'z', serviceId: 'personal', class: 'appointment', source: 'staff', at: at(5) },
      },
      'CHECK_IN_REQUIRED',
    ],
    [
      'checking in too early',
      base,
      { type: 'CheckInAppointment', data: { code: '424242', ticketId: 'z', at: at(60) } },
      'APPOINTMENT_TOO_EARLY',
    ],
    [
      'checking in too late',
      base,
      { type: 'CheckInAppointment', data: { code: '515151', ticketId: 'z', at: at(0) } },
      'APPOINTMENT_EXPIRED',
    ],
    [
      'checking in a cancelled booking',
      base,
      { type: 'CheckInAppointment', data: { code: '616161', ticketId: 'z', at: at(80) } },
      'APPOINTMENT_CANCELLED',
    ],
    [
      'checking in an unknown code',
      base,
      { type: 'CheckInAppointment', data: { code: '000000', ticketId: 'z', at: at(80) } },
      'UNKNOWN_APPOINTMENT',
    ],
    [
      'booking a slot in the past',
      base,
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap9',
          code: '999999',
          serviceId: 'personal',
          slotStart: at(-60),
          customerName: null,
          phoneTail: null,
          at: at(5),
        },
      },
      'SLOT_INVALID',
    ],
    [
      'booking a slot off the half hour',
      base,
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap9',
          code: '999999',
          serviceId: 'personal',
          slotStart: at(75),
          customerName: null,
          phoneTail: null,
          at: at(5),
        },
      },
      'SLOT_INVALID',
    ],
    [
      'booking a service without appointments',
      base,
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap9',
          code: '999999',
          serviceId: 'cash',
          slotStart: at(120),
          customerName: null,
          phoneTail: null,
          at: at(5),
        },
      },
      'APPOINTMENT_NOT_OFFERED',
    ],
    [
      'booking with a code in use',
      base,
      {
        type: 'BookAppointment',
        data: {
          appointmentId: 'ap9',
          code: '424242',
          serviceId: 'personal',
          slotStart: at(150),
          customerName: null,
          phoneTail: null,
          at: at(5),
        },
      },
      'CODE_IN_USE',
    ],
    [
      'calling a number that was never issued',
      base,
      { type: 'CallTicket', data: { counterId: 'c1', number: 'A999', at: at(5) } },
      'UNKNOWN_TICKET',
    ],
    [
      'calling a number at a counter that does not serve it',
      () => run(base(), issue('b', 'business', 5)).state,
      { type: 'CallTicket', data: { counterId: 'c1', number: 'C001', at: at(6) } },
      'SERVICE_NOT_AT_COUNTER',
    ],
    [
      'rating an unfinished ticket',
      base,
      { type: 'RateTicket', data: { ticketId: 'a', score: 5, at: at(5) } },
      'TICKET_NOT_FINISHED',
    ],
    [
      'transferring nowhere',
      base,
      { type: 'TransferTicket', data: { counterId: 'c2', toServiceId: null, toCounterId: null, at: at(5) } },
      'TRANSFER_TARGET_REQUIRED',
    ],
    [
      'transferring to a counter that does not serve the service',
      base,
      {
        type: 'TransferTicket',
        data: { counterId: 'c2', toServiceId: 'wealth', toCounterId: 'c1', at: at(5) },
      },
      'SERVICE_NOT_AT_COUNTER',
    ],
    [
      'cancelling an unknown ticket',
      base,
      { type: 'CancelTicket', data: { ticketId: 'nope', reason: 'x', at: at(5) } },
      'UNKNOWN_TICKET',
    ],
    [
      'a counter with a duplicate number',
      base,
      {
        type: 'UpsertCounter',
        data: { counter: { ...sampleBranchConfig().counters.c1!, id: 'c9' }, at: at(5) },
      },
      'INVALID_CONFIG',
    ],
    [
      'a service with a clashing prefix',
      base,
      {
        type: 'UpsertService',
        data: { service: { ...sampleBranchConfig().services.cash!, id: 'cash2' }, at: at(5) },
      },
      'INVALID_CONFIG',
    ],
    [
      'removing a service a counter serves',
      base,
      { type: 'RemoveService', data: { serviceId: 'cash', at: at(5) } },
      'SERVICE_IN_USE',
    ],
    [
      'rolling to the same business day',
      base,
      { type: 'RollBusinessDay', data: { at: at(5) } },
      'SAME_BUSINESS_DAY',
    ],
  ];

  it.each(cases)('%s', (_name, given, command, code) => {
    expectRefused(given(), command, code);
  });

  it('explains refusals in both languages', () => {
    const params = expectRefused(
      base(),
      { type: 'CheckInAppointment', data: { code: '424242', ticketId: 'z', at: at(60) } },
      'APPOINTMENT_TOO_EARLY',
    );
    const error = { code: 'APPOINTMENT_TOO_EARLY' as const, params };
    expect(describeError(error, 'zh')).toBe('预约时间未到，请于 10:30 后再来签到');
    expect(describeError(error, 'en')).toBe('Too early: please check in from 10:30');
    const hours = expectRefused(base(), issue('y', 'business', -10), 'OUTSIDE_HOURS');
    expect(describeError({ code: 'OUTSIDE_HOURS', params: hours }, 'zh')).toBe(
      '对公业务不在办理时间内，09:00 开始办理',
    );
    const late = expectRefused(base(), issue('y', 'business', 8 * 60), 'OUTSIDE_HOURS');
    expect(describeError({ code: 'OUTSIDE_HOURS', params: late }, 'en')).toBe(
      'Business banking is outside its opening hours; it is closed for the rest of today',
    );
  });
});

describe('state is a fold of the events', () => {
  it('rebuilds the same state from the log', () => {
    const start = initialState(sampleBranchConfig());
    const { state, events } = run(
      start,
      { type: 'RollBusinessDay', data: { at: MONDAY_0900 - HOUR } },
      open('c1'),
      issue('a', 'cash'),
      callNext('c1', 1),
    );
    expect(fold(events, start)).toEqual(state);
    expect(events.reduce(evolve, start)).toEqual(state);
  });
});
