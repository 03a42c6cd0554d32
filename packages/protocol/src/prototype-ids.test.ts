import {
  decide,
  evolve,
  evolveAll,
  evolveChecked,
  fold,
  initialState,
  MINUTE,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { id } from './common.ts';
import { queueState } from './domain.ts';

/**
 * Issue 15, defect 1: an id from outside that names a member of `Object.prototype` (`constructor`,
 * `__proto__`, `toString`…) must never be mistaken for a record. Every id of every command is drawn
 * from those names, random strings and the branch's real ids; after every step the state must be one
 * a snapshot carries faithfully (it passes the protocol's schema, and the schema keeps every record)
 * and every record sits under its own id, and at the end the fold of the events equals the state
 * built step by step.
 */

const PROTOTYPE_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
];
const REAL_IDS = ['cash', 'personal', 'business', 'wealth', 'c1', 'c2', 'c3', 'c4', 'c5'];
const T0 = Date.UTC(2026, 10, 23, 0, 30); // Monday 08:30 in Shanghai

/** An id as an attacker (or a fuzzer) would send it. */
const anyId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...REAL_IDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/) },
);

type Step = { minutes: number; make: (ids: string[], at: number) => QueueCommand };

const cmd = <T extends QueueCommand['type']>(
  type: T,
  data: fc.Arbitrary<Record<string, unknown>>,
): fc.Arbitrary<Step> =>
  fc.record({ minutes: fc.integer({ min: 0, max: 20 }), data }).map(({ minutes, data: d }) => ({
    minutes,
    make: (_ids: string[], at: number) => ({ type, data: { ...d, at } }) as unknown as QueueCommand,
  }));

/** Commands that name an existing ticket or appointment pick one (or a hostile id) at run time. */
const pick = fc.oneof(fc.nat(), anyId);
const pickOf = (ids: string[], p: number | string) =>
  typeof p === 'string' ? p : ids.length === 0 ? 'none' : ids[p % ids.length]!;

const service = (id: string, prefix: string) => ({
  ...sampleBranchConfig().services.cash!,
  id,
  prefix,
  appointments: { slotMinutes: 30, capacity: 2 },
});

const step: fc.Arbitrary<Step> = fc.oneof(
  cmd(
    'IssueTicket',
    fc.record({
      ticketId: anyId,
      serviceId: anyId,
      class: fc.constant('normal'),
      source: fc.constant('kiosk'),
    }),
  ),
  cmd(
    'IssueTicket',
    fc.record({
      ticketId: fc.uuid(),
      serviceId: fc.constantFrom('cash', 'personal'),
      class: fc.constant('vip'),
      source: fc.constant('staff'),
    }),
  ),
  cmd('CallNext', fc.record({ counterId: anyId })),
  cmd('CallTicket', fc.record({ counterId: anyId, number: fc.constantFrom('A001', 'B002', 'constructor') })),
  cmd('Recall', fc.record({ counterId: anyId })),
  cmd('MarkNoShow', fc.record({ counterId: anyId })),
  cmd('StartServing', fc.record({ counterId: anyId })),
  cmd('FinishTicket', fc.record({ counterId: anyId })),
  cmd(
    'TransferTicket',
    fc.record({
      counterId: anyId,
      toServiceId: fc.option(anyId, { nil: null }),
      toCounterId: fc.option(anyId, { nil: null }),
    }),
  ),
  cmd('OpenCounter', fc.record({ counterId: anyId })),
  cmd('PauseCounter', fc.record({ counterId: anyId, reason: fc.constant('break') })),
  cmd('ResumeCounter', fc.record({ counterId: anyId })),
  cmd('CloseCounter', fc.record({ counterId: anyId })),
  cmd('RemoveCounter', fc.record({ counterId: anyId })),
  cmd('RemoveService', fc.record({ serviceId: anyId })),
  cmd(
    'UpsertService',
    fc.record({ service: fc.tuple(anyId, fc.constantFrom('K', 'L', 'M')).map(([id, p]) => service(id, p)) }),
  ),
  cmd(
    'UpsertCounter',
    fc.record({
      counter: fc
        .record({
          id: anyId,
          number: fc.integer({ min: 20, max: 40 }),
          services: fc.array(anyId, { minLength: 1, maxLength: 3 }),
        })
        .map((c) => ({
          ...c,
          name: { zh: `${c.number}号`, en: `Counter ${c.number}` },
          ledAddress: null,
          keypadAddress: null,
        })),
    }),
  ),
  cmd(
    'BookAppointment',
    fc.record({
      appointmentId: anyId,
      code: fc.oneof(anyId, fc.stringMatching(/^\d{8}$/)),
      serviceId: anyId,
      slotStart: fc.integer({ min: 1, max: 12 }).map((k) => T0 + k * 30 * MINUTE + 30 * MINUTE),
      customerName: fc.constant(null),
      phoneTail: fc.constant(null),
    }),
  ),
  fc
    .record({ minutes: fc.integer({ min: 0, max: 20 }), p: pick, score: fc.integer({ min: 1, max: 5 }) })
    .map(({ minutes, p, score }) => ({
      minutes,
      make: (ids: string[], at: number): QueueCommand => ({
        type: 'RateTicket',
        data: { ticketId: pickOf(ids, p), score, at },
      }),
    })),
  fc.record({ minutes: fc.integer({ min: 0, max: 20 }), p: pick }).map(({ minutes, p }) => ({
    minutes,
    make: (ids: string[], at: number): QueueCommand => ({
      type: 'CancelTicket',
      data: { ticketId: pickOf(ids, p), reason: 'customerLeft', at },
    }),
  })),
  fc.record({ minutes: fc.integer({ min: 0, max: 20 }), p: anyId }).map(({ minutes, p }) => ({
    minutes,
    make: (_ids: string[], at: number): QueueCommand => ({
      type: 'CancelAppointment',
      data: { appointmentId: p, at },
    }),
  })),
  fc
    .record({ minutes: fc.integer({ min: 0, max: 20 }), code: anyId, ticketId: anyId })
    .map(({ minutes, code, ticketId }) => ({
      minutes,
      make: (_ids: string[], at: number): QueueCommand => ({
        type: 'CheckInAppointment',
        data: { code, ticketId, at },
      }),
    })),
);

const KEYED = ['tickets', 'counters', 'appointments'] as const;

/** A state a snapshot carries faithfully, with every record under its own id. */
function expectSound(state: QueueState, where: string) {
  const json = JSON.parse(JSON.stringify(state)) as unknown;
  const parsed = queueState.safeParse(json);
  expect(parsed.success, `${where}: the snapshot fails the schema: ${parsed.error?.message}`).toBe(true);
  // The schema keeps every record: nothing is silently dropped on the way to a device.
  expect(parsed.data, `${where}: the schema dropped part of the state`).toEqual(json);
  for (const key of KEYED)
    for (const id of Object.keys(state[key]))
      expect((state[key] as Record<string, { id: string }>)[id]!.id, `${where}: ${key}.${id}`).toBe(id);
  for (const [id, s] of Object.entries(state.config.services))
    expect(s.id, `${where}: services.${id}`).toBe(id);
  for (const [id, c] of Object.entries(state.config.counters))
    expect(c.id, `${where}: counters.${id}`).toBe(id);
  expect(Object.getPrototypeOf(state.tickets)).toBe(Object.prototype);
  expect(Object.getPrototypeOf(state.appointments)).toBe(Object.prototype);
}

describe('ids named like Object.prototype members (issue 15, defect 1)', () => {
  it('never put a record in the state that a snapshot cannot carry, whatever id a command names', () => {
    // How often a command naming a prototype member was accepted: the names are ordinary ids.
    let acceptedHostile = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const start = initialState(sampleBranchConfig());
        let state = start;
        let now = T0;
        const events: QueueEvent[] = [];
        const opened = decide({ type: 'OpenCounter', data: { counterId: 'c1', at: now } }, state);
        if (opened.ok)
          for (const e of opened.events) {
            state = evolve(state, e);
            events.push(e);
          }
        for (const s of steps) {
          now += s.minutes * MINUTE;
          const command = s.make(Object.keys(state.tickets), now);
          const d = decide(command, state);
          if (!d.ok) continue;
          if (PROTOTYPE_NAMES.some((n) => JSON.stringify(command.data).includes(`"${n}"`))) acceptedHostile++;
          // The decider only makes events that can be placed: the hub's last check never fires.
          expect(evolveChecked(state, d.events)).toMatchObject({ ok: true });
          for (const e of d.events) {
            state = evolve(state, e);
            events.push(e);
          }
          expectSound(state, `${command.type} ${JSON.stringify(command.data)}`);
        }
        expect(fold(events, start)).toEqual(state);
        expect(evolveAll(start, events)).toEqual(state);
      }),
      { numRuns: 300 },
    );
    expect(acceptedHostile).toBeGreaterThan(50);
  });

  it('take constructor as an id like any other, and refuse __proto__ as an id and as a record key', () => {
    expect(id.safeParse('constructor').success).toBe(true);
    expect(id.safeParse('hasOwnProperty').success).toBe(true);
    expect(id.safeParse('__proto__').success).toBe(false);
    const state = JSON.parse(JSON.stringify(initialState(sampleBranchConfig()))) as QueueState;
    expect(queueState.safeParse(state).success).toBe(true);
    const poisoned = JSON.parse(JSON.stringify(state).replace('"tickets":{}', '"tickets":{"__proto__":{}}'));
    expect(Object.hasOwn(poisoned.tickets, '__proto__')).toBe(true);
    expect(queueState.safeParse(poisoned).success).toBe(false);
  });

  it('place no event that names what does not exist: the writer refuses it instead', () => {
    const state = initialState(sampleBranchConfig());
    for (const name of PROTOTYPE_NAMES) {
      const placed = evolveChecked(state, [
        { type: 'TicketCancelled', data: { ticketId: name, reason: 'customerLeft', at: T0 } },
      ]);
      expect(placed.ok, name).toBe(false);
      const booked = evolveChecked(state, [
        { type: 'AppointmentCancelled', data: { appointmentId: name, at: T0 } },
      ]);
      expect(booked.ok, name).toBe(false);
      const opened = evolveChecked(state, [{ type: 'CounterOpened', data: { counterId: name, at: T0 } }]);
      expect(opened.ok, name).toBe(false);
    }
    // The fold itself stays total (a stored log is folded whatever it holds): such an event changes nothing.
    expect(
      evolve(state, { type: 'TicketCancelled', data: { ticketId: 'constructor', reason: 'x', at: T0 } }),
    ).toEqual(state);
  });
});
