import {
  decide,
  estimateWait,
  evolve,
  evolveAll,
  initialState,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
  serviceOffers,
  serviceTime,
  waitingTickets,
} from '@nextup/core';
import { type BenchSuite, nowMs, rowFromSamples } from '../lib/bench.ts';

const T0 = Date.UTC(2026, 10, 23, 1, 0); // Monday 09:00 Shanghai
const SERVICES = ['cash', 'personal', 'business', 'wealth'];

/** A busy morning: 5 counters open, tickets arriving faster than they are served. */
function busyCommands(n: number): QueueCommand[] {
  const commands: QueueCommand[] = ['c1', 'c2', 'c3', 'c4', 'c5'].map((counterId) => ({
    type: 'OpenCounter',
    data: { counterId, at: T0 },
  }));
  for (let i = 0; i < n; i++) {
    const at = T0 + i * 20_000;
    commands.push({
      type: 'IssueTicket',
      data: {
        ticketId: `t${i}`,
        serviceId: SERVICES[i % 4]!,
        class: i % 7 === 0 ? 'vip' : 'normal',
        source: 'kiosk',
        at,
      },
    });
    if (i % 2 === 1)
      commands.push({ type: 'CallNext', data: { counterId: `c${1 + (i % 5)}`, at: at + 1000 } });
  }
  return commands;
}

export default {
  name: 'core: decider and wait estimate',
  async run({ quick }) {
    const n = quick ? 200 : 600;
    const commands = busyCommands(n);
    const decideSamples: number[] = [];
    const events: QueueEvent[] = [];
    let state: QueueState = initialState(sampleBranchConfig());
    for (const c of commands) {
      const t = nowMs();
      const d = decide(c, state);
      if (d.ok)
        for (const e of d.events) {
          state = evolve(state, e);
          events.push(e);
        }
      decideSamples.push((nowMs() - t) * 1000);
    }
    const evolveSamples: number[] = [];
    let s2: QueueState = initialState(sampleBranchConfig());
    for (const e of events) {
      const t = nowMs();
      s2 = evolve(s2, e);
      evolveSamples.push((nowMs() - t) * 1000);
    }

    // Estimates for every service with the queue as it is now, against the naive formula.
    const waiting = waitingTickets(state).length;
    const estimateSamples: number[] = [];
    const naiveSamples: number[] = [];
    const at = T0 + n * 20_000;
    for (let r = 0; r < (quick ? 20 : 100); r++) {
      for (const serviceId of SERVICES) {
        let t = nowMs();
        estimateWait(state, { kind: 'new', serviceId, class: 'normal' }, at);
        estimateSamples.push(nowMs() - t);
        t = nowMs();
        const ahead = waitingTickets(state).filter((x) => x.serviceId === serviceId).length;
        const open = Object.values(state.counters).filter(
          (c) => c.status === 'open' && state.config.counters[c.id]?.services.includes(serviceId),
        ).length;
        void ((ahead * serviceTime(state, serviceId).minutes) / Math.max(1, open));
        naiveSamples.push(nowMs() - t);
      }
    }
    // The estimate and the kiosk's offers as the queue grows: a queue built without estimates (fast),
    // five counters open, one arrival every 2 seconds.
    const sizeRows = [];
    for (const size of quick ? [300, 1000] : [300, 1000, 3000]) {
      let q: QueueState = initialState(sampleBranchConfig());
      for (const counterId of ['c1', 'c2', 'c3', 'c4', 'c5']) {
        const d = decide({ type: 'OpenCounter', data: { counterId, at: T0 } }, q);
        if (d.ok) q = evolveAll(q, d.events);
      }
      for (let i = 0; i < size; i++) {
        const d = decide(
          {
            type: 'IssueTicket',
            data: {
              ticketId: `q${i}`,
              serviceId: SERVICES[i % 4]!,
              class: i % 9 === 0 ? 'vip' : 'normal',
              source: 'kiosk',
              at: T0 + i * 2000,
            },
          },
          q,
          { estimator: () => null },
        );
        if (d.ok) q = evolveAll(q, d.events);
      }
      const when = T0 + size * 2000 + 1000;
      const one: number[] = [];
      const all: number[] = [];
      const count: number[] = [];
      for (let r = 0; r < (quick ? 5 : 15); r++) {
        // A new instant each time: nothing learned is reused between samples.
        const t1 = when + r * 1000;
        let t = nowMs();
        estimateWait(q, { kind: 'new', serviceId: SERVICES[r % 4]!, class: 'normal' }, t1);
        one.push(nowMs() - t);
        t = nowMs();
        serviceOffers(q, t1 + 500);
        all.push(nowMs() - t);
        t = nowMs();
        void waitingTickets(q).filter((x) => x.serviceId === 'cash').length;
        count.push(nowMs() - t);
      }
      sizeRows.push(
        rowFromSamples(
          `core: one wait estimate, ${size} waiting`,
          'ms',
          one,
          { label: 'counting the waiting', samples: count },
          'a new ticket at the back of the queue: the forward run calls everyone ahead (O(n log n))',
        ),
        rowFromSamples(
          `core: the kiosk's offers, ${size} waiting`,
          'ms',
          all,
          { label: 'one wait estimate, same queue', samples: one },
          'every service and class its customers come in, from one forward run',
        ),
      );
    }
    return [
      ...sizeRows,
      rowFromSamples(
        'core: decide + evolve, one command (busy day)',
        'µs',
        decideSamples,
        { label: 'evolve alone, same events', samples: evolveSamples },
        `${commands.length} commands, ${events.length} events; decide includes the printed estimate`,
      ),
      rowFromSamples(
        `core: wait estimate, ${waiting} waiting, 5 counters`,
        'ms',
        estimateSamples,
        { label: 'naive people×time÷counters', samples: naiveSamples },
        'the estimator runs dispatch forward; the naive one only counts',
      ),
    ];
  },
} satisfies BenchSuite;
