import {
  decide,
  evolve,
  initialState,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { reportToCsv } from './csv.ts';
import { dailyReport } from './daily.ts';

const MIN = 60_000;
/** Monday 2026-11-23 08:30 Asia/Shanghai. */
const OPEN = Date.UTC(2026, 10, 23, 0, 30);
const CLOSE = OPEN + 8.5 * 60 * MIN;

/** A small seeded generator (mulberry32), so the day is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the test itself wrote down about each ticket while it ran the day. */
interface Ledger {
  issuedAt: number;
  service: string;
  cls: 'normal' | 'vip' | 'priority';
  firstCall: number | null;
  end: 'done' | 'noShow' | 'left' | 'open';
  rating: number | null;
}

/**
 * Runs a branch day through the real decider: customers arrive at random, four counters call, serve,
 * transfer and mark no-shows, some customers give up, some rate, and some are still waiting when the
 * day closes. The test keeps its own ledger of what it did, to check the report against.
 */
function generateDay(seed: number) {
  const random = rng(seed);
  const events: QueueEvent[] = [];
  let state: QueueState = initialState();
  const run = (c: QueueCommand): QueueEvent[] => {
    const d = decide(c, state);
    if (!d.ok) return [];
    for (const e of d.events) state = evolve(state, e);
    events.push(...d.events);
    return d.events;
  };
  const config = sampleBranchConfig();
  const t0 = OPEN - 10 * MIN;
  run({ type: 'ConfigureBranch', data: { branch: config.branch, at: t0 } });
  for (const id of config.serviceOrder)
    run({ type: 'UpsertService', data: { service: config.services[id]!, at: t0 } });
  for (const id of config.counterOrder)
    run({ type: 'UpsertCounter', data: { counter: config.counters[id]!, at: t0 } });

  const ledger = new Map<string, Ledger>();
  const counters = ['c1', 'c2', 'c3', 'c4'];
  for (const c of counters) run({ type: 'OpenCounter', data: { counterId: c, at: OPEN } });
  /** When each counter does its next thing, and what. */
  const next = new Map<string, { at: number; step: 'call' | 'serve' | 'finish'; ticket: string | null }>(
    counters.map((c) => [c, { at: OPEN + 5 * MIN, step: 'call', ticket: null }]),
  );
  const serviceMs: number[] = [];
  const services = ['cash', 'cash', 'cash', 'personal', 'personal', 'business'];
  let n = 0;
  for (let at = OPEN; at < CLOSE; at += 30_000) {
    // Arrivals: busier late morning.
    const rate = at < OPEN + 3 * 60 * MIN ? 0.45 : 0.3;
    if (random() < rate && at < CLOSE - 30 * MIN) {
      const service = services[Math.floor(random() * services.length)]!;
      const r = random();
      const cls = r < 0.1 ? 'vip' : r < 0.18 ? 'priority' : 'normal';
      const ticketId = `t${++n}`;
      const out = run({
        type: 'IssueTicket',
        data: { ticketId, serviceId: service, class: cls, source: 'kiosk', at },
      });
      if (out.some((e) => e.type === 'TicketIssued'))
        ledger.set(ticketId, { issuedAt: at, service, cls, firstCall: null, end: 'open', rating: null });
    }
    // A waiting customer sometimes gives up.
    if (random() < 0.02) {
      const waiting = Object.values(state.tickets).filter((t) => t.status === 'waiting');
      const t = waiting[Math.floor(random() * waiting.length)];
      if (t) {
        run({ type: 'CancelTicket', data: { ticketId: t.id, reason: 'customerLeft', at } });
        ledger.get(t.id)!.end = 'left';
      }
    }
    for (const c of counters) {
      const plan = next.get(c)!;
      if (plan.at > at) continue;
      if (plan.step === 'call') {
        const out = run({ type: 'CallNext', data: { counterId: c, at } });
        const call = out.find((e) => e.type === 'TicketCalled');
        if (call?.type !== 'TicketCalled') {
          next.set(c, { at: at + 60_000, step: 'call', ticket: null });
          continue;
        }
        const entry = ledger.get(call.data.ticketId)!;
        entry.firstCall ??= at;
        if (random() < 0.08) {
          run({ type: 'MarkNoShow', data: { counterId: c, at: at + 60_000 } });
          entry.end = 'noShow';
          next.set(c, { at: at + 90_000, step: 'call', ticket: null });
        } else {
          next.set(c, { at: at + 30_000, step: 'serve', ticket: call.data.ticketId });
        }
      } else if (plan.step === 'serve') {
        run({ type: 'StartServing', data: { counterId: c, at } });
        const entry = ledger.get(plan.ticket!)!;
        const mean = entry.service === 'cash' ? 3 : entry.service === 'personal' ? 9 : 12;
        const length = Math.round((0.4 + random() * 1.2) * mean * 2) * 30_000;
        next.set(c, { at: at + length, step: 'finish', ticket: plan.ticket });
      } else {
        const ticket = state.tickets[plan.ticket!]!;
        // Now and then a cash customer turns out to need the personal desk.
        if (ticket.serviceId === 'cash' && ticket.transfers === 0 && random() < 0.05) {
          run({
            type: 'TransferTicket',
            data: { counterId: c, toServiceId: 'personal', toCounterId: null, at },
          });
          // The ledger keeps the service chosen at issue, as the report's per-service rows do.
        } else {
          const out = run({ type: 'FinishTicket', data: { counterId: c, at } });
          const fin = out.find((e) => e.type === 'TicketFinished');
          if (fin?.type === 'TicketFinished') {
            serviceMs.push(at - ticket.servingAt!);
            const entry = ledger.get(ticket.id)!;
            entry.end = 'done';
            if (random() < 0.6) {
              const score = random() < 0.8 ? 5 - Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
              run({ type: 'RateTicket', data: { ticketId: ticket.id, score, at: at + 20_000 } });
              entry.rating = score;
            }
          }
        }
        next.set(c, { at: at + 30_000, step: 'call', ticket: null });
      }
    }
  }
  // The next morning: the day is rolled and whatever was open is "unfinished".
  run({ type: 'RollBusinessDay', data: { at: OPEN + 24 * 60 * MIN } });
  return { events, ledger, serviceMs };
}

describe('dailyReport on a generated day', () => {
  const { events, ledger, serviceMs } = generateDay(20261123);
  const report = dailyReport(events, { day: '2026-11-23' });
  const tickets = [...ledger.values()];

  it('is a day worth checking', () => {
    expect(tickets.length).toBeGreaterThan(150);
    expect(tickets.filter((t) => t.end === 'noShow').length).toBeGreaterThan(3);
    expect(tickets.filter((t) => t.end === 'left').length).toBeGreaterThan(2);
    expect(tickets.filter((t) => t.end === 'open').length).toBeGreaterThan(0);
    expect(tickets.filter((t) => t.rating !== null).length).toBeGreaterThan(30);
  });

  it('equals the figures the test computed from its own ledger', () => {
    const waits = tickets.filter((t) => t.firstCall !== null).map((t) => t.firstCall! - t.issuedAt);
    const sorted = [...waits].sort((a, b) => a - b);
    const p90 = sorted[Math.ceil(sorted.length * 0.9) - 1];
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const noShows = tickets.filter((t) => t.end === 'noShow').length;
    const left = tickets.filter((t) => t.end === 'left').length;
    const open = tickets.filter((t) => t.end === 'open').length;
    const ratings = tickets.flatMap((t) => (t.rating === null ? [] : [t.rating]));

    expect(report.closed).toBe(true);
    expect(report.totals.issued).toBe(tickets.length);
    expect(report.totals.served).toBe(tickets.filter((t) => t.end === 'done').length);
    expect(report.totals.noShow).toBe(noShows);
    expect(report.totals.customerLeft).toBe(left);
    expect(report.totals.unfinishedAtClose).toBe(open);
    expect(report.totals.waitCount).toBe(waits.length);
    expect(report.totals.waitMeanMs).toBeCloseTo(avg(waits), 6);
    expect(report.totals.waitP90Ms).toBe(p90);
    expect(report.totals.serviceMeanMs).toBeCloseTo(avg(serviceMs), 6);
    expect(report.totals.noShowRate).toBeCloseTo(noShows / waits.length, 9);
    expect(report.totals.abandonmentRate).toBeCloseTo((left + open) / tickets.length, 9);
    expect(report.satisfaction.count).toBe(ratings.length);
    expect(report.satisfaction.mean).toBeCloseTo(avg(ratings), 9);
    for (let s = 1; s <= 5; s++)
      expect(report.satisfaction.distribution[s - 1]).toBe(ratings.filter((r) => r === s).length);

    for (const service of ['cash', 'personal', 'business']) {
      const row = report.byService.find((r) => r.serviceId === service)!;
      const mine = tickets.filter((t) => t.service === service);
      expect(row.issued).toBe(mine.length);
      const w = mine.filter((t) => t.firstCall !== null).map((t) => t.firstCall! - t.issuedAt);
      expect(row.waitMeanMs).toBeCloseTo(avg(w), 6);
    }
    for (const cls of ['normal', 'vip', 'priority'] as const)
      expect(report.byClass.find((r) => r.class === cls)!.issued).toBe(
        tickets.filter((t) => t.cls === cls).length,
      );
    const byHour = new Map<number, number>();
    for (const t of tickets) {
      // Asia/Shanghai is UTC+8 all year.
      const h = new Date(t.issuedAt + 8 * 3600_000).getUTCHours();
      byHour.set(h, (byHour.get(h) ?? 0) + 1);
    }
    for (const row of report.byHour) expect(row.issued).toBe(byHour.get(row.hour) ?? 0);
    expect(report.byHour.reduce((a, r) => a + r.issued, 0)).toBe(tickets.length);
    expect(report.byCounter.reduce((a, r) => a + r.served, 0)).toBe(report.totals.served);
  });

  it('exports every service and counter row to CSV', () => {
    const csv = reportToCsv(report, { lang: 'en' });
    const q = (s: string) => (s.includes(',') ? `"${s}"` : s);
    for (const r of report.byService) expect(csv).toContain(`\r\n${q(r.name.en)},${r.prefix},${r.issued},`);
    for (const r of report.byCounter) expect(csv).toContain(`\r\n${q(r.name.en)},${r.number},${r.calls},`);
  });
});
