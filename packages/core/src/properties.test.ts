import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueCommand } from './commands.ts';
import { sampleBranchConfig } from './config.ts';
import { decide } from './decide.ts';
import { HOUR, MINUTE } from './durations.ts';
import type { QueueEvent } from './events.ts';
import { evolve, fold, initialState } from './evolve.ts';
import { MONDAY_0900 } from './test-support/branch.ts';
import type { BranchConfig, QueueState, TicketClass } from './types.ts';

/**
 * Random branch days: any mix of customers, tellers and appointment holders doing anything at all,
 * valid or not. The decider must never throw, and the queue's rules must hold after every step.
 */

const SERVICES = ['cash', 'personal', 'business', 'wealth'];
const COUNTERS = ['c1', 'c2', 'c3', 'c4', 'c5'];
const CLASSES: TicketClass[] = ['normal', 'vip', 'priority'];

type Op =
  | { k: 'advance'; minutes: number }
  | { k: 'nextDay' }
  | { k: 'issue'; service: number; cls: number }
  | {
      k: 'callNext' | 'recall' | 'noShow' | 'start' | 'finish' | 'open' | 'pause' | 'resume' | 'close';
      counter: number;
    }
  | { k: 'callTicket'; counter: number; pick: number }
  | { k: 'transfer'; counter: number; service: number | null; to: number | null }
  | { k: 'cancel'; pick: number }
  | { k: 'rate'; pick: number; score: number }
  | { k: 'book'; service: number; slot: number }
  | { k: 'checkIn'; pick: number };

const counterIdx = fc.nat({ max: COUNTERS.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('advance' as const), minutes: fc.integer({ min: 0, max: 25 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'nextDay' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('issue' as const),
      service: fc.nat({ max: 3 }),
      cls: fc.nat({ max: 2 }),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      k: fc.constantFrom(
        'callNext',
        'recall',
        'noShow',
        'start',
        'finish',
        'open',
        'pause',
        'resume',
        'close',
      ) as fc.Arbitrary<
        'callNext' | 'recall' | 'noShow' | 'start' | 'finish' | 'open' | 'pause' | 'resume' | 'close'
      >,
      counter: counterIdx,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('callTicket' as const), counter: counterIdx, pick: fc.nat() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('transfer' as const),
      counter: counterIdx,
      service: fc.option(fc.nat({ max: 3 }), { nil: null }),
      to: fc.option(counterIdx, { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('rate' as const),
      pick: fc.nat(),
      score: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('book' as const),
      service: fc.nat({ max: 3 }),
      slot: fc.nat({ max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('checkIn' as const), pick: fc.nat() }) },
);

interface World {
  state: QueueState;
  now: number;
  ids: number;
  events: QueueEvent[];
}

function nth<T>(items: readonly T[], i: number): T | undefined {
  return items.length === 0 ? undefined : items[i % items.length];
}

function toCommand(o: Op, w: World): QueueCommand | null {
  const at = w.now;
  const counterId = 'counter' in o ? COUNTERS[o.counter]! : '';
  switch (o.k) {
    case 'advance':
    case 'nextDay':
      return null;
    case 'issue':
      return {
        type: 'IssueTicket',
        data: {
          ticketId: `t${w.ids++}`,
          serviceId: SERVICES[o.service]!,
          class: CLASSES[o.cls]!,
          source: 'kiosk',
          at,
        },
      };
    case 'callNext':
      return { type: 'CallNext', data: { counterId, at } };
    case 'recall':
      return { type: 'Recall', data: { counterId, at } };
    case 'noShow':
      return { type: 'MarkNoShow', data: { counterId, at } };
    case 'start':
      return { type: 'StartServing', data: { counterId, at } };
    case 'finish':
      return { type: 'FinishTicket', data: { counterId, at } };
    case 'open':
      return { type: 'OpenCounter', data: { counterId, at } };
    case 'pause':
      return { type: 'PauseCounter', data: { counterId, reason: 'break', at } };
    case 'resume':
      return { type: 'ResumeCounter', data: { counterId, at } };
    case 'close':
      return { type: 'CloseCounter', data: { counterId, at } };
    case 'callTicket': {
      const t = nth(Object.values(w.state.tickets), o.pick);
      return { type: 'CallTicket', data: { counterId, number: t?.number ?? 'A001', at } };
    }
    case 'transfer':
      return {
        type: 'TransferTicket',
        data: {
          counterId,
          toServiceId: o.service === null ? null : SERVICES[o.service]!,
          toCounterId: o.to === null ? null : COUNTERS[o.to]!,
          at,
        },
      };
    case 'cancel': {
      const t = nth(Object.values(w.state.tickets), o.pick);
      return { type: 'CancelTicket', data: { ticketId: t?.id ?? 'none', reason: 'customerLeft', at } };
    }
    case 'rate': {
      const t = nth(
        Object.values(w.state.tickets).filter((x) => x.status === 'done'),
        o.pick,
      );
      return { type: 'RateTicket', data: { ticketId: t?.id ?? 'none', score: o.score, at } };
    }
    case 'book': {
      // Half-hour slots from the next half hour on.
      const slotStart = Math.ceil(at / (30 * MINUTE)) * 30 * MINUTE + o.slot * 30 * MINUTE;
      const id = w.ids++;
      return {
        type: 'BookAppointment',
        data: {
          appointmentId: `ap${id}`,
          code: String(100000 + id),
          serviceId: SERVICES[o.service]!,
          slotStart,
          customerName: null,
          phoneTail: null,
          at,
        },
      };
    }
    case 'checkIn': {
      const a = nth(Object.values(w.state.appointments), o.pick);
      return { type: 'CheckInAppointment', data: { code: a?.code ?? '000000', ticketId: `t${w.ids++}`, at } };
    }
  }
}

/** The consistency rules between tickets and counters that must hold after every event. */
function checkConsistency(state: QueueState) {
  const holders = new Map<string, string[]>();
  for (const c of Object.values(state.counters)) {
    if (c.ticketId === null) continue;
    holders.set(c.ticketId, [...(holders.get(c.ticketId) ?? []), c.id]);
    const t = state.tickets[c.ticketId];
    expect(t, `counter ${c.id} holds an unknown ticket`).toBeDefined();
    expect(['called', 'serving']).toContain(t!.status);
    expect(t!.counterId).toBe(c.id);
  }
  for (const t of Object.values(state.tickets)) {
    const held = holders.get(t.id) ?? [];
    if (t.status === 'called' || t.status === 'serving')
      expect(held, `${t.number} (${t.status}) held by`).toHaveLength(1);
    else expect(held, `${t.number} (${t.status}) held by`).toHaveLength(0);
    expect(['waiting', 'called', 'serving', 'done', 'noShow', 'cancelled']).toContain(t.status);
    expect(t.endedAt !== null).toBe(t.status === 'done' || t.status === 'noShow' || t.status === 'cancelled');
  }
}

function play(ops: Op[], config: BranchConfig = sampleBranchConfig()) {
  const start = initialState(config);
  const w: World = { state: start, now: MONDAY_0900 - HOUR, ids: 0, events: [] };
  const numbersByDay = new Map<string, Set<string>>();
  for (const o of ops) {
    if (o.k === 'advance') {
      w.now += o.minutes * MINUTE;
      continue;
    }
    if (o.k === 'nextDay') {
      // 08:45 the next local day.
      const day = Math.floor((w.now + 8 * HOUR) / (24 * HOUR)) + 1;
      w.now = day * 24 * HOUR - 8 * HOUR + 8 * HOUR + 45 * MINUTE;
      continue;
    }
    const command = toCommand(o, w);
    if (!command) continue;
    const decision = decide(command, w.state);
    if (!decision.ok) continue;
    for (const e of decision.events) {
      if (e.type === 'TicketIssued') {
        const day = w.state.day ?? '';
        const seen = numbersByDay.get(day) ?? new Set();
        expect(seen.has(e.data.number), `${e.data.number} issued twice on ${day}`).toBe(false);
        seen.add(e.data.number);
        numbersByDay.set(day, seen);
      }
      if (e.type === 'BusinessDayRolled') {
        // Every ticket of the closing day is in exactly one state; the unfinished ones are listed.
        const unfinished = Object.values(w.state.tickets).filter((t) =>
          ['waiting', 'called', 'serving'].includes(t.status),
        );
        expect(e.data.unfinished.map((u) => u.ticketId).sort()).toEqual(unfinished.map((t) => t.id).sort());
        numbersByDay.set(e.data.to, new Set());
      }
      if (e.type === 'TicketCalled') {
        const t = w.state.tickets[e.data.ticketId]!;
        const counter = w.state.config.counters[e.data.counterId]!;
        expect(counter.services, `${counter.id} handed ${t.number} of ${t.serviceId}`).toContain(t.serviceId);
        expect(w.state.counters[counter.id]!.status).toBe('open');
      }
      w.state = evolve(w.state, e);
      w.events.push(e);
    }
    checkConsistency(w.state);
  }
  return { start, ...w };
}

describe('random branch days', () => {
  it('exercise every kind of event (a check on the generator itself)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 300 }), (ops) => {
        for (const e of play(ops).events) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
      }),
      { numRuns: 200, seed: 42 },
    );
    for (const type of [
      'TicketIssued',
      'TicketCalled',
      'TicketRecalled',
      'TicketServingStarted',
      'TicketFinished',
      'TicketNoShow',
      'TicketTransferred',
      'TicketCancelled',
      'TicketRated',
      'CounterPaused',
      'CounterClosed',
      'AppointmentBooked',
      'AppointmentCheckedIn',
      'BusinessDayRolled',
    ])
      expect(seen.get(type) ?? 0, type).toBeGreaterThan(3);
  });

  it('never issue a number twice in a day, never hand a counter a foreign ticket, and keep tickets and counters consistent', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300, size: 'max' }), (ops) => {
        play(ops);
      }),
      { numRuns: 300 },
    );
  });

  it('fold(events) from scratch equals the incrementally updated state', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300, size: 'max' }), (ops) => {
        const w = play(ops);
        expect(fold(w.events, w.start)).toEqual(w.state);
      }),
      { numRuns: 200 },
    );
  });

  it('decide never throws, whatever the command', () => {
    const anyCommand = fc.record({
      type: fc.constantFrom(
        'IssueTicket',
        'CallNext',
        'CallTicket',
        'Recall',
        'MarkNoShow',
        'StartServing',
        'FinishTicket',
        'TransferTicket',
        'CancelTicket',
        'CheckInAppointment',
        'BookAppointment',
        'RateTicket',
        'PauseCounter',
        'OpenCounter',
      ),
      data: fc.record({
        at: fc.integer({ min: MONDAY_0900 - 48 * HOUR, max: MONDAY_0900 + 48 * HOUR }),
        ticketId: fc.string({ maxLength: 4 }),
        serviceId: fc.constantFrom(...SERVICES, 'x'),
        counterId: fc.constantFrom(...COUNTERS, 'x'),
        class: fc.constantFrom('normal', 'vip', 'priority', 'appointment'),
        source: fc.constant('kiosk'),
        number: fc.string({ maxLength: 6 }),
        code: fc.string({ maxLength: 6 }),
        appointmentId: fc.string({ maxLength: 3 }),
        slotStart: fc.integer({ min: MONDAY_0900 - 48 * HOUR, max: MONDAY_0900 + 48 * HOUR }),
        toServiceId: fc.option(fc.constantFrom(...SERVICES, 'x'), { nil: null }),
        toCounterId: fc.option(fc.constantFrom(...COUNTERS, 'x'), { nil: null }),
        score: fc.integer({ min: -1, max: 7 }),
        reason: fc.string({ maxLength: 5 }),
        customerName: fc.constant(null),
        phoneTail: fc.constant(null),
      }),
    }) as unknown as fc.Arbitrary<QueueCommand>;
    fc.assert(
      fc.property(fc.array(anyCommand, { maxLength: 80, size: 'max' }), (commands) => {
        let s = initialState(sampleBranchConfig());
        for (const c of commands) {
          const d = decide(c, s);
          if (d.ok) for (const e of d.events) s = evolve(s, e);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ageing under the default policy', () => {
  it('calls a normal ticket within (tickets ahead) + maxOvertakes + 1 calls while VIPs, priority customers and appointments keep arriving', () => {
    // The harshest case: one counter whose first service is flooded with VIPs and appointments,
    // and the normal ticket is for its second service.
    const config = sampleBranchConfig();
    config.services.personal = {
      ...config.services.personal!,
      appointments: { slotMinutes: 30, capacity: 100 },
    };
    config.counters = { c3: config.counters.c3! };
    config.counterOrder = ['c3'];
    const { maxOvertakes } = config.dispatch;

    const arrival = fc.record({
      kind: fc.constantFrom('vip', 'priority', 'normal', 'appointment', 'none'),
      service: fc.constantFrom('personal', 'cash'),
      minutes: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(
        fc.nat({ max: 6 }),
        fc.array(fc.array(arrival, { maxLength: 4 }), { minLength: 60, maxLength: 60 }),
        (before, rounds) => {
          let s = initialState(config);
          let now = MONDAY_0900;
          let id = 0;
          const apply = (c: QueueCommand) => {
            const d = decide(c, s);
            if (!d.ok) throw new Error(`${c.type}: ${d.error.code}`);
            for (const e of d.events) s = evolve(s, e);
            return d.events;
          };
          apply({ type: 'OpenCounter', data: { counterId: 'c3', at: now } });
          // Appointments booked every half hour through the day, two per slot.
          for (let k = 1; k <= 14; k++)
            for (let j = 0; j < 2; j++)
              apply({
                type: 'BookAppointment',
                data: {
                  appointmentId: `a${k}-${j}`,
                  code: `${k}-${j}`,
                  serviceId: 'personal',
                  slotStart: MONDAY_0900 + k * 30 * MINUTE,
                  customerName: null,
                  phoneTail: null,
                  at: now,
                },
              });
          for (let i = 0; i < before; i++)
            apply({
              type: 'IssueTicket',
              data: { ticketId: `b${i}`, serviceId: 'personal', class: 'normal', source: 'kiosk', at: now },
            });
          const ahead = Object.values(s.tickets).filter((t) => t.status === 'waiting').length;
          apply({
            type: 'IssueTicket',
            data: { ticketId: 'X', serviceId: 'cash', class: 'normal', source: 'kiosk', at: now },
          });
          let calls = 0;
          const checkedIn = new Set<string>();
          for (const round of rounds) {
            for (const a of round) {
              now += a.minutes * MINUTE;
              if (a.kind === 'none') continue;
              if (a.kind === 'appointment') {
                const due = Object.values(s.appointments).find(
                  (ap) =>
                    ap.status === 'booked' &&
                    !checkedIn.has(ap.id) &&
                    now >= ap.slotStart - 30 * MINUTE &&
                    now <= ap.slotStart + 15 * MINUTE,
                );
                if (due) {
                  checkedIn.add(due.id);
                  apply({
                    type: 'CheckInAppointment',
                    data: { code: due.code, ticketId: `t${id++}`, at: now },
                  });
                }
                continue;
              }
              apply({
                type: 'IssueTicket',
                data: { ticketId: `t${id++}`, serviceId: a.service, class: a.kind, source: 'kiosk', at: now },
              });
            }
            now += MINUTE;
            const events = apply({ type: 'CallNext', data: { counterId: 'c3', at: now } });
            calls += 1;
            const call = events.find((e) => e.type === 'TicketCalled');
            if (call?.type === 'TicketCalled' && call.data.ticketId === 'X') break;
          }
          expect(s.tickets.X!.status, 'X was never called').not.toBe('waiting');
          expect(calls).toBeLessThanOrEqual(ahead + maxOvertakes + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
