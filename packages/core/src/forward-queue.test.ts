import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultDispatchSettings } from './config.ts';
import { type DispatchTicket, overtakenBy, pickTicket } from './dispatch.ts';
import { MINUTE } from './durations.ts';
import { ForwardQueue } from './forward-queue.ts';
import type { CounterConfig, DispatchSettings, TicketClass } from './types.ts';

const T0 = Date.UTC(2026, 10, 23, 1, 0);
const SERVICES = ['s0', 's1', 's2', 's3'];
const CLASSES: TicketClass[] = ['normal', 'vip', 'priority', 'appointment'];

interface Spec {
  service: number;
  cls: number;
  /** Minutes before (−) or after T0 the ticket joined. */
  queued: number;
  overtaken: number;
  transfers: number;
  target: number | null;
  slot: number;
}

const ticketSpec: fc.Arbitrary<Spec> = fc.record({
  service: fc.nat({ max: 3 }),
  cls: fc.nat({ max: 3 }),
  // Whole minutes make exact ties between scores (a VIP 10 minutes after a normal ticket) common.
  queued: fc.integer({ min: -90, max: 0 }),
  overtaken: fc.nat({ max: 6 }),
  transfers: fc.nat({ max: 1 }),
  target: fc.option(fc.nat({ max: 3 }), { nil: null, freq: 8 }),
  slot: fc.integer({ min: -20, max: 60 }),
});

function ticketOf(
  s: Spec,
  i: number,
  queueOrder: number,
  counters: CounterConfig[],
  base = T0,
): DispatchTicket {
  const cls = CLASSES[s.cls]!;
  const target = s.target === null ? null : (counters[s.target % counters.length]?.id ?? null);
  return {
    id: `t${i}`,
    serviceId: SERVICES[s.service]!,
    class: cls,
    queuedAt: base + s.queued * MINUTE,
    queueOrder,
    overtaken: s.overtaken,
    targetCounterId: target,
    slotStart: cls === 'appointment' ? T0 + s.slot * MINUTE : null,
    transfers: s.transfers,
  };
}

const countersArb = fc
  .array(fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
  .map((lists) =>
    lists.map(
      (services, i): CounterConfig => ({
        id: `c${i}`,
        number: i + 1,
        name: { zh: '', en: '' },
        services: services.map((s) => SERVICES[s]!),
        ledAddress: null,
        keypadAddress: null,
      }),
    ),
  );

const settingsArb: fc.Arbitrary<DispatchSettings> = fc
  .record({
    vip: fc.constantFrom(0, 10, 7.5),
    priority: fc.constantFrom(0, 15, 20),
    transfer: fc.constantFrom(0, 20),
    rank: fc.constantFrom(0, 10, 30, 100_000),
    maxOvertakes: fc.constantFrom(1, 3, 5, 1000),
  })
  .map((r) => ({
    ...defaultDispatchSettings(),
    classBoostMinutes: { normal: 0, vip: r.vip, priority: r.priority, appointment: 0 },
    transferBoostMinutes: r.transfer,
    serviceRankPenaltyMinutes: r.rank,
    maxOvertakes: r.maxOvertakes,
  }));

type Step = { k: 'call'; counter: number; advance: number } | { k: 'join'; spec: Spec };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('call' as const),
      counter: fc.nat({ max: 4 }),
      advance: fc.integer({ min: 0, max: 6 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('join' as const), spec: ticketSpec }) },
);

describe('the forward run’s queue', () => {
  it('picks exactly what "call next" picks, and counts the same overtakes, call after call', () => {
    fc.assert(
      fc.property(
        settingsArb,
        countersArb,
        fc.array(ticketSpec, { maxLength: 40 }),
        fc.array(stepArb, { maxLength: 80 }),
        (settings, counters, specs, steps) => {
          // The reference: a plain list, `pickTicket` and `overtakenBy` as "call next" uses them.
          const reference: DispatchTicket[] = specs.map((s, i) => ticketOf(s, i, 2 * i + 1, counters));
          const copies = new Map(reference.map((t) => [t.id, { ...t }]));
          const fq = new ForwardQueue(settings, [...copies.values()].reverse());
          let now = T0;
          let order = 1000;
          let n = specs.length;
          for (const step of steps) {
            if (step.k === 'join') {
              const t = ticketOf({ ...step.spec, queued: 0 }, n++, order++, counters, now);
              reference.push(t);
              const copy = { ...t };
              copies.set(t.id, copy);
              fq.add(copy);
              continue;
            }
            now += step.advance * MINUTE;
            const counter = counters[step.counter % counters.length]!;
            const want = pickTicket(reference, counter, settings, now);
            const got = fq.pick(counter, now);
            expect(got?.id ?? null).toBe(want?.id ?? null);
            if (!want || !got) continue;
            for (const t of overtakenBy(reference, counter, want)) t.overtaken += 1;
            reference.splice(reference.indexOf(want), 1);
            fq.take(got, counter);
            for (const t of reference) expect(fq.overtaken(copies.get(t.id)!), t.id).toBe(t.overtaken);
          }
          expect(fq.size).toBe(reference.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses a ticket that joins before one already in the queue', () => {
    const settings = defaultDispatchSettings();
    const counters: CounterConfig[] = [];
    const spec: Spec = { service: 0, cls: 0, queued: 0, overtaken: 0, transfers: 0, target: null, slot: 0 };
    const fq = new ForwardQueue(settings, [ticketOf(spec, 0, 5, counters)]);
    expect(() => fq.add(ticketOf(spec, 1, 3, counters))).toThrow(RangeError);
  });
});
