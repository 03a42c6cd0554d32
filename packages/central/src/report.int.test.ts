import { percentileNearestRank } from '@nextup/core';
import type { LoggedEvent } from '@nextup/protocol';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDay } from './bulk.ts';
import { connectCentral } from './connect.ts';
import { migrate } from './migrations.ts';
import { crossBranchReport, formatReport, type ReportRow } from './report.ts';
import { shipBatch } from './ship.ts';
import { busyBranchConfig, generateBranchEvents } from './test-support/branch-days.ts';
import { type LocalPostgres, startLocalPostgres } from './test-support/postgres.ts';

/**
 * The report's figures, computed again here in plain JS from the same events, by the definitions in
 * `ReportRow`'s documentation — not by translating the SQL.
 */
function expected(branches: { id: string; timeZone: string; events: LoggedEvent[] }[], days: string[]) {
  type Ticket = {
    branch: string;
    day: string;
    service: string;
    issuedAt: number;
    calledAt: number | null;
    last: string | null;
  };
  const tickets: Ticket[] = [];
  for (const b of branches) {
    const byId = new Map<string, Ticket>();
    for (const { event } of b.events) {
      const d = event.data as { ticketId?: string; serviceId?: string; at: number };
      if (event.type === 'TicketIssued') {
        const t: Ticket = {
          branch: b.id,
          day: localDay(d.at, b.timeZone),
          service: d.serviceId!,
          issuedAt: d.at,
          calledAt: null,
          last: null,
        };
        byId.set(d.ticketId!, t);
        if (days.includes(t.day)) tickets.push(t);
        continue;
      }
      const t = d.ticketId ? byId.get(d.ticketId) : undefined;
      if (!t) continue;
      if (event.type === 'TicketCalled' && t.calledAt === null) t.calledAt = d.at;
      if (
        [
          'TicketCalled',
          'TicketNoShow',
          'TicketServingStarted',
          'TicketFinished',
          'TicketTransferred',
          'TicketCancelled',
        ].includes(event.type)
      )
        t.last = event.type;
    }
  }
  const figures = (ts: Ticket[]) => {
    const waits = ts.filter((t) => t.calledAt !== null).map((t) => (t.calledAt! - t.issuedAt) / 1000);
    const noShows = ts.filter((t) => t.last === 'TicketNoShow').length;
    return {
      tickets: ts.length,
      called: waits.length,
      avgWaitSeconds: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : null,
      p90WaitSeconds: percentileNearestRank(waits, 90),
      noShows,
      noShowRate: waits.length ? noShows / waits.length : null,
    };
  };
  const out = new Map<string, ReturnType<typeof figures>>();
  for (const day of days) {
    const ofDay = tickets.filter((t) => t.day === day);
    out.set(`${day}|*|*`, figures(ofDay));
    for (const b of new Set(ofDay.map((t) => t.branch))) {
      const ofBranch = ofDay.filter((t) => t.branch === b);
      out.set(`${day}|${b}|*`, figures(ofBranch));
      for (const s of new Set(ofBranch.map((t) => t.service)))
        out.set(`${day}|${b}|${s}`, figures(ofBranch.filter((t) => t.service === s)));
    }
  }
  return out;
}

const keyOf = (r: ReportRow) => `${r.day}|${r.branchId ?? '*'}|${r.serviceId ?? '*'}`;

describe('the cross-branch report (real PostgreSQL)', () => {
  let server: LocalPostgres;
  let c: pg.Client;
  // Three branches over two days: two in Shanghai, one in London (its day starts 8 hours later).
  const london = busyBranchConfig(8);
  london.branch = {
    ...london.branch,
    timeZone: 'Europe/London',
    name: { zh: '伦敦分行', en: 'London Branch' },
  };
  const branches = [
    { id: 'SH-001', timeZone: 'Asia/Shanghai', start: Date.UTC(2026, 10, 23, 1, 0), seed: 11, tickets: 500 },
    { id: 'SH-002', timeZone: 'Asia/Shanghai', start: Date.UTC(2026, 10, 23, 1, 0), seed: 12, tickets: 250 },
    { id: 'LDN-01', timeZone: 'Europe/London', start: Date.UTC(2026, 10, 23, 9, 0), seed: 13, tickets: 300 },
  ].map((b) => ({
    ...b,
    events: generateBranchEvents({
      start: b.start,
      days: 2,
      ticketsPerDay: b.tickets,
      seed: b.seed,
      noShowShare: 0.08,
      ...(b.id === 'LDN-01' ? { config: london, counters: london.counterOrder } : {}),
    }).events,
  }));

  beforeAll(async () => {
    server = await startLocalPostgres();
    c = await connectCentral(server.url);
    await migrate(c, { now: Date.UTC(2026, 10, 1) });
    for (const b of branches)
      for (let s = 0; s < b.events.length; s += 500)
        await shipBatch(c, {
          branchId: b.id,
          hubId: `hub-${b.id}`,
          timeZone: b.timeZone,
          hubHead: b.events.length,
          events: b.events.slice(s, s + 500),
        });
  });
  afterAll(async () => {
    await c?.end();
    await server?.destroy();
  });

  it('equals figures computed independently from the same events, per branch, service and day', async () => {
    const rows = await crossBranchReport(c, { from: '2026-11-23' });
    const want = expected(branches, ['2026-11-23']);
    expect(rows.map(keyOf).sort()).toEqual([...want.keys()].sort());
    for (const r of rows) {
      const w = want.get(keyOf(r))!;
      expect({ key: keyOf(r), tickets: r.tickets, called: r.called, noShows: r.noShows }).toEqual({
        key: keyOf(r),
        tickets: w.tickets,
        called: w.called,
        noShows: w.noShows,
      });
      for (const f of ['avgWaitSeconds', 'p90WaitSeconds', 'noShowRate'] as const) {
        if (w[f] === null) expect(r[f]).toBeNull();
        else expect(r[f]).toBeCloseTo(w[f], 6);
      }
    }
    // The data is not trivial: waits, no-shows and every service are there.
    const bank = rows.find((r) => r.branchId === null)!;
    expect(bank.tickets).toBeGreaterThan(800);
    expect(bank.noShows).toBeGreaterThan(10);
    expect(bank.p90WaitSeconds!).toBeGreaterThan(bank.avgWaitSeconds!);
    expect(new Set(rows.map((r) => r.serviceId))).toEqual(
      new Set(['cash', 'personal', 'business', 'wealth', null]),
    );
  });

  it('covers a range of days and a chosen set of branches', async () => {
    const rows = await crossBranchReport(c, {
      from: '2026-11-23',
      to: '2026-11-24',
      branchIds: ['SH-002', 'LDN-01'],
    });
    const want = expected(
      branches.filter((b) => b.id !== 'SH-001'),
      ['2026-11-23', '2026-11-24'],
    );
    expect(rows.map(keyOf).sort()).toEqual([...want.keys()].sort());
    for (const r of rows) expect(r.tickets).toBe(want.get(keyOf(r))!.tickets);
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(['2026-11-23', '2026-11-24']));
  });

  it('names branches and services in both languages, and prints a table, CSV and JSON', async () => {
    const rows = await crossBranchReport(c, { from: '2026-11-23' });
    const cash = rows.find((r) => r.branchId === 'SH-001' && r.serviceId === 'cash')!;
    expect(cash.branchName).toEqual({ zh: '示范支行', en: 'Demo Branch' });
    expect(cash.serviceName).toEqual({ zh: '个人现金业务', en: 'Cash deposits & withdrawals' });
    const table = formatReport(rows, 'table', 'zh');
    if (process.env.SHOW_REPORT) process.stdout.write(table + formatReport(rows, 'table', 'en'));
    expect(table).toContain('个人现金业务');
    expect(table).toContain('全行合计');
    expect(table.split('\n')[0]).toContain('P90 等候');
    const en = formatReport(rows, 'table', 'en');
    expect(en).toContain('All branches');
    const csv = formatReport(rows, 'csv', 'en').trim().split('\n');
    expect(csv).toHaveLength(rows.length + 1);
    expect(csv[0]!.split(',')).toHaveLength(11);
    expect(JSON.parse(formatReport(rows, 'json'))).toEqual(rows);
  });

  it('answers an empty day with no rows', async () => {
    expect(await crossBranchReport(c, { from: '2026-01-01' })).toEqual([]);
    expect(formatReport([], 'table', 'en')).toContain('no data');
  });

  it('refuses a malformed day instead of guessing', async () => {
    await expect(crossBranchReport(c, { from: '23/11/2026' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
