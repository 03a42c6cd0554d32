import {
  type BranchConfig,
  decide,
  evolve,
  initialState,
  type QueueCommand,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import type { Actor, LoggedEvent } from '@nextup/protocol';

/**
 * Busy branch days for tests and benchmarks, driven through the real decider: customers arrive in
 * the day's two peaks, tellers call next, some customers never come (recalled, then marked
 * no-show), some are transferred, the rest served for a time drawn around the service's expected
 * minutes. The driver only says what people do and when; the domain decides what happens, so a
 * refused command (nobody waiting) simply changes nothing, as at a real counter.
 *
 * The same driver runs against the core decider (`generateBranchEvents`) or a real hub (pass your
 * own `exec`), so the shapes of the events are the hub's own.
 */

/** What a person does, in the hub's client-command shape (no time, no ids). */
export type SimCommand =
  | { type: 'OpenCounter'; data: { counterId: string } }
  | { type: 'CloseCounter'; data: { counterId: string } }
  | { type: 'IssueTicket'; data: { serviceId: string; class: 'normal' | 'vip' | 'priority' } }
  | { type: 'CallNext'; data: { counterId: string } }
  | { type: 'Recall'; data: { counterId: string } }
  | { type: 'MarkNoShow'; data: { counterId: string } }
  | { type: 'StartServing'; data: { counterId: string } }
  | { type: 'FinishTicket'; data: { counterId: string } }
  | { type: 'TransferTicket'; data: { counterId: string; toServiceId: string; toCounterId: null } };

export interface BranchDaysOptions {
  /** 09:00 local of the first day, epoch ms. */
  start: number;
  /** Default 1. */
  days?: number;
  /** Walk-in tickets per day (before the domain refuses any). Default 500: a busy city branch. */
  ticketsPerDay?: number;
  /** PRNG seed. Default 1. */
  seed?: number;
  /** Share of called customers who never come. Default 0.06. */
  noShowShare?: number;
  /** Share of served customers sent to another service. Default 0.03. */
  transferShare?: number;
  /** Counters that open each morning. Default c1–c10 (`busyBranchConfig`). */
  counters?: readonly string[];
  /** Service mix (id → weight). Default cash 50, personal 30, business 12, wealth 8. */
  mix?: Readonly<Record<string, number>>;
  /** Mean minutes at the counter per service. Default cash 3, personal 10, business 12, wealth 15. */
  serviceMinutes?: Readonly<Record<string, number>>;
}

/** A small, fast, seedable PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;

/**
 * Runs the days, calling `exec(command, at)` in time order; `exec` answers whether the command was
 * accepted. Returns how many commands were sent and accepted.
 */
export function driveBranchDays(
  options: BranchDaysOptions,
  exec: (command: SimCommand, at: number) => boolean,
): { sent: number; accepted: number } {
  const rnd = prng(options.seed ?? 1);
  const days = options.days ?? 1;
  const perDay = options.ticketsPerDay ?? 500;
  const noShow = options.noShowShare ?? 0.06;
  const transfer = options.transferShare ?? 0.03;
  const counters = options.counters ?? Array.from({ length: 10 }, (_, i) => `c${i + 1}`);
  const mix = Object.entries(options.mix ?? { cash: 50, personal: 30, business: 12, wealth: 8 });
  const minutes = options.serviceMinutes ?? { cash: 3, personal: 10, business: 12, wealth: 15 };
  const mixTotal = mix.reduce((s, [, w]) => s + w, 0);
  const pickService = () => {
    let x = rnd() * mixTotal;
    for (const [id, w] of mix) {
      x -= w;
      if (x < 0) return id;
    }
    return mix[0]![0];
  };
  // Log-normal service time with the service's mean and a coefficient of variation of about 0.6.
  const serviceMs = (serviceId: string) => {
    const mean = (minutes[serviceId] ?? 5) * MIN;
    const sigma = 0.55;
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    return Math.max(20_000, mean * Math.exp(sigma * z - (sigma * sigma) / 2));
  };

  // A time-ordered agenda (binary insertion; a day has a few thousand entries).
  const agenda: { at: number; n: number; run: () => void }[] = [];
  let order = 0;
  const at = (t: number, run: () => void) => {
    const item = { at: t, n: order++, run };
    let lo = 0;
    let hi = agenda.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = agenda[mid]!;
      if (m.at < t || (m.at === t && m.n < item.n)) lo = mid + 1;
      else hi = mid;
    }
    agenda.splice(lo, 0, item);
  };
  let sent = 0;
  let accepted = 0;
  const send = (c: SimCommand, t: number) => {
    sent++;
    const ok = exec(c, t);
    if (ok) accepted++;
    return ok;
  };

  for (let d = 0; d < days; d++) {
    const open = options.start + d * 24 * 60 * MIN; // 09:00 local
    const close = open + 7.5 * 60 * MIN; // 16:30: the last ticket
    // Arrivals: two peaks (10:00–11:30 and 14:00–15:00) over a steady base, by thinning.
    const weight = (t: number) => {
      const h = (t - open) / (60 * MIN);
      return 0.6 + (h >= 1 && h < 2.5 ? 0.9 : 0) + (h >= 5 && h < 6 ? 0.7 : 0);
    };
    const meanWeight = (0.6 * 7.5 + 0.9 * 1.5 + 0.7 * 1) / 7.5;
    const baseRate = perDay / (7.5 * 60 * MIN) / meanWeight; // arrivals per ms at weight 1
    const peak = 0.6 + 0.9 + 0.7;
    for (let t = open; ; ) {
      t += -Math.log(1 - rnd()) / (baseRate * peak);
      if (t >= close) break;
      if (rnd() * peak < weight(t)) {
        const serviceId = pickService();
        const r = rnd();
        const cls = serviceId === 'wealth' || r < 0.04 ? 'vip' : r < 0.08 ? 'priority' : 'normal';
        const when = Math.round(t);
        at(when, () => send({ type: 'IssueTicket', data: { serviceId, class: cls } }, when));
      }
    }
    for (const counterId of counters) {
      const c = { counterId };
      at(open - 5 * MIN, () => send({ type: 'OpenCounter', data: c }, open - 5 * MIN));
      const tryCall = (t: number) => {
        if (t > close + 60 * MIN) {
          at(t, () => send({ type: 'CloseCounter', data: c }, t));
          return;
        }
        at(t, () => {
          if (!send({ type: 'CallNext', data: c }, t)) return tryCall(t + 30_000);
          if (rnd() < noShow) {
            at(t + MIN, () => send({ type: 'Recall', data: c }, t + MIN));
            at(t + 2 * MIN, () => send({ type: 'MarkNoShow', data: c }, t + 2 * MIN));
            return tryCall(t + 2 * MIN + 10_000);
          }
          const begin = t + 20_000 + Math.round(rnd() * 40_000);
          at(begin, () => send({ type: 'StartServing', data: c }, begin));
          // The service is unknown here (the domain chose the ticket); the mix's time is close enough.
          const end = begin + Math.round(serviceMs(pickService()));
          if (rnd() < transfer) {
            const toServiceId = rnd() < 0.5 ? 'personal' : 'cash';
            at(end, () =>
              send({ type: 'TransferTicket', data: { counterId, toServiceId, toCounterId: null } }, end),
            );
          } else at(end, () => send({ type: 'FinishTicket', data: c }, end));
          tryCall(end + 5_000 + Math.round(rnd() * 20_000));
        });
      };
      tryCall(open + Math.round(rnd() * 2 * MIN));
    }
    while (agenda.length > 0) agenda.shift()!.run();
  }
  return { sent, accepted };
}

/**
 * The sample branch with `counters` counters (default 10): the extra ones serve cash and personal
 * business, as a busy city branch staffs its peak. 500 tickets a day keep them about 75 % busy.
 */
export function busyBranchConfig(counters = 10): BranchConfig {
  const config = sampleBranchConfig();
  for (let n = config.counterOrder.length + 1; n <= counters; n++) {
    const id = `c${n}`;
    const first = config.counters.c1!;
    config.counters[id] = {
      ...first,
      id,
      number: n,
      name: { zh: `${n}号窗口`, en: `Counter ${n}` },
      services: n % 2 === 0 ? ['cash', 'personal'] : ['personal', 'cash'],
      ledAddress: n,
      keypadAddress: 100 + n,
    };
    config.counterOrder.push(id);
  }
  return config;
}

/** The hub's bootstrap: the configuration written as ordinary commands, as a new hub does. */
function bootstrapCommands(config: BranchConfig, at: number): QueueCommand[] {
  return [
    { type: 'ConfigureBranch', data: { branch: config.branch, at } },
    ...config.serviceOrder.map((id) => ({
      type: 'UpsertService' as const,
      data: { service: config.services[id]!, at },
    })),
    ...config.counterOrder.map((id) => ({
      type: 'UpsertCounter' as const,
      data: { counter: config.counters[id]!, at },
    })),
    { type: 'SetDispatchSettings', data: { settings: config.dispatch, at } },
  ];
}

export interface GeneratedBranch {
  events: LoggedEvent[];
  state: QueueState;
}

/**
 * A branch's whole log for `days` busy days, through the core decider: the bootstrap configuration
 * first (as a new hub writes it), then the days. Ticket ids are `<idPrefix>-<n>`.
 */
export function generateBranchEvents(
  options: BranchDaysOptions & { config?: BranchConfig; idPrefix?: string },
): GeneratedBranch {
  const config = options.config ?? busyBranchConfig();
  let state = initialState();
  const events: LoggedEvent[] = [];
  const system: Actor = { kind: 'system' };
  const staff: Actor = { kind: 'staff', id: 'teller-1' };
  let n = 0;
  const apply = (command: QueueCommand, actor: Actor) => {
    const d = decide(command, state);
    if (!d.ok) return false;
    for (const e of d.events) {
      state = evolve(state, e);
      events.push({ seq: events.length + 1, actor, event: e } as LoggedEvent);
    }
    return true;
  };
  for (const c of bootstrapCommands(config, options.start - 60 * MIN)) apply(c, system);
  driveBranchDays(options, (c, at) => {
    switch (c.type) {
      case 'IssueTicket':
        return apply(
          {
            type: 'IssueTicket',
            data: { ...c.data, ticketId: `${options.idPrefix ?? 't'}-${++n}`, source: 'kiosk', at },
          },
          { kind: 'device', id: 'kiosk-1' },
        );
      case 'TransferTicket':
        return apply({ type: 'TransferTicket', data: { ...c.data, at } }, staff);
      default:
        return apply({ type: c.type, data: { ...c.data, at } } as QueueCommand, staff);
    }
  });
  return { events, state };
}
